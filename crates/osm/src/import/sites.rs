//! The import's last steps for the full import ([`super::import`]): places with
//! their population, candidate sites with their position, name and commune.

use osmpbfreader::Tags;
use tournee_model::{
    LonLat, OsmRef, Place, PlaceId, Population, PopulationSource, Site, SiteId, SiteKind,
};

use super::blocks::{Coords, PendingSite};
use super::{parse_population, ImportReport, PLACE_TYPES};

pub(super) fn build_places(
    mut raw: Vec<(i64, LonLat, Tags)>,
    homes: &[crate::buildings::Home],
    report: &mut ImportReport,
) -> Vec<Place> {
    raw.sort_by_key(|p| p.0);
    let located: Vec<(LonLat, &str)> = raw
        .iter()
        .map(|(_, pos, tags)| (*pos, tags.get("place").map_or("", |s| s.as_str())))
        .collect();
    let dwellings = crate::buildings::dwellings_per_place(&located, homes, report);
    raw.into_iter()
        .enumerate()
        .map(|(i, (id, location, tags))| {
            let place_type = tags.get("place").map(|s| s.to_string()).unwrap_or_default();
            let (population, population_source) =
                match tags.get("population").and_then(|p| parse_population(p)) {
                    Some(p) => (p, PopulationSource::Osm),
                    None if dwellings[i] > 0 => {
                        report.places_from_buildings += 1;
                        (
                            crate::buildings::population_of(dwellings[i]),
                            PopulationSource::Buildings,
                        )
                    }
                    None => {
                        report.places_estimated += 1;
                        let guess = PLACE_TYPES
                            .iter()
                            .find(|(t, _)| *t == place_type)
                            .map_or(0, |(_, g)| *g);
                        (guess, PopulationSource::Estimated)
                    }
                };
            report.places += 1;
            Place {
                id: PlaceId(i as u32),
                osm: OsmRef::node(id),
                name: tags
                    .get("name")
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("{place_type} (node/{id})")),
                place_type,
                location,
                population: Population(population),
                population_source,
                insee: tags.get("ref:INSEE").map(|s| s.to_string()),
            }
        })
        .collect()
}

pub(super) fn build_sites(
    mut pending: Vec<PendingSite>,
    coords: &Coords,
    places: &[Place],
    streets: &crate::names::Streets,
    report: &mut ImportReport,
) -> (Vec<Site>, Vec<crate::names::SiteDetails>) {
    pending.sort_by_key(|s| s.osm);
    let seats: Vec<&Place> = places.iter().filter(|p| p.is_commune_seat()).collect();
    let seats: Vec<&Place> = if seats.is_empty() {
        places.iter().collect()
    } else {
        seats
    };
    let mut sites = Vec::new();
    let mut located = Vec::new();
    for s in pending {
        let location = match s.position {
            Some(p) => p,
            None => {
                // Centroid of the ring's distinct nodes.
                let pts: Vec<LonLat> = s
                    .refs
                    .iter()
                    .take(s.refs.len().saturating_sub(1).max(1))
                    .filter_map(|r| coords.get(r))
                    .collect();
                if pts.is_empty() {
                    report.sites_dropped += 1;
                    continue;
                }
                let n = pts.len() as f64;
                LonLat::new(
                    pts.iter().map(|p| p.lon).sum::<f64>() / n,
                    pts.iter().map(|p| p.lat).sum::<f64>() / n,
                )
            }
        };
        located.push((s, location));
    }
    let beside: Vec<(SiteKind, LonLat)> = located.iter().map(|(s, at)| (s.kind, *at)).collect();
    let mut details = Vec::new();
    for (s, location) in located {
        let commune = seats
            .iter()
            .min_by(|a, b| {
                a.location
                    .distance_m(&location)
                    .total_cmp(&b.location.distance_m(&location))
            })
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "(commune inconnue)".into());
        let name = crate::names::public_name(s.kind, &s.tags, location, &beside, streets);
        details.push(crate::names::SiteDetails::of(&s.tags, location, streets));
        *report
            .sites_by_kind
            .entry(s.kind.amenity().to_string())
            .or_default() += 1;
        sites.push(Site {
            id: SiteId(sites.len() as u32),
            osm: s.osm,
            kind: s.kind,
            name,
            location,
            commune,
            opening_hours: s.tags.get("opening_hours").map(|s| s.to_string()),
            reason: format!("amenity={}", s.kind.amenity()),
        });
    }
    (sites, details)
}
