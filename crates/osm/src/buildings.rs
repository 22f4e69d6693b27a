//! Population estimated from residential buildings, for places without
//! `population=*`.
//!
//! Each building way is read in the first pass as its node references and the few
//! tags that say how many homes it holds; after the second pass it becomes a
//! [`Home`] (centroid and number of dwellings) and its node list is dropped. Each
//! home goes to the nearest place within that place's [`catchment_m`]; a place
//! without `population=*` that received dwellings is estimated at dwellings ×
//! [`PERSONS_PER_HOUSEHOLD`] ([`tournee_model::PopulationSource::Buildings`]).
//!
//! Which buildings are homes:
//! - `house`, `detached`, `semidetached_house`, `bungalow`, `farm` (the farmhouse):
//!   one dwelling;
//! - `terrace` (a row of houses drawn as one way): one per [`TERRACE_HOUSE_M2`] of
//!   footprint;
//! - `apartments`, and `residential` larger than a house: one per [`FLAT_FLOOR_M2`]
//!   of floor area (footprint × `building:levels`, [`DEFAULT_LEVELS`] if unknown);
//!   `residential` of a house's size is one dwelling;
//! - `yes` (the French cadastre import tags most houses so): one dwelling when the
//!   footprint is a house's, [`HOUSE_MIN_M2`] to [`HOUSE_MAX_M2`] (smaller: a shed
//!   or garage; larger: a barn, a workshop, a shop), and the way has no tag saying
//!   it is something else (`amenity`, `shop`, `office`, `craft`, `industrial`…);
//! - `building:flats=N` on any of these gives N dwellings outright;
//! - nothing else (garages, sheds, barns, churches, schools…), nor ruins.

use osmpbfreader::Way;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use tournee_model::LonLat;

use crate::import::ImportReport;

/// Persons per household in France: about 2.2 (INSEE, recensement de la
/// population — 2.19 in 2020, down from 2.4 in 1999). Dwellings are counted as
/// households: secondary and vacant homes (≈ 18 % of French dwellings) are not
/// told apart, so the estimate is on the high side where they are many.
pub const PERSONS_PER_HOUSEHOLD: f64 = 2.2;

/// A `building=yes` smaller than this is a shed, garage or annex, not a home.
pub const HOUSE_MIN_M2: f64 = 35.0;
/// A `building=yes` larger than this is a barn, workshop or shop, not a home.
pub const HOUSE_MAX_M2: f64 = 300.0;
/// Footprint of one house of a terrace.
pub const TERRACE_HOUSE_M2: f64 = 60.0;
/// Gross floor area per flat (the French average flat is about 63 m² of living
/// space; walls, stairs and landings add some).
pub const FLAT_FLOOR_M2: f64 = 75.0;
/// Levels of an apartment building without `building:levels`.
pub const DEFAULT_LEVELS: f64 = 3.0;
/// More flats than this in one way is a tagging error; capped.
const MAX_FLATS: u32 = 2_000;

/// How far from a place its homes may lie: a hamlet is a cluster of a few houses
/// (500 m); a village's houses and outlying farms lie within about 1.5 km of its
/// centre (a rural French commune covers ~15 km², a radius of ~2 km, shared
/// with its hamlets); towns and cities spread further (3 and 6 km). A home goes to
/// the nearest place whose catchment holds it, so a house 400 m from a hamlet and
/// 1 km from a village belongs to the hamlet.
pub fn catchment_m(place_type: &str) -> f64 {
    match place_type {
        "hamlet" => 500.0,
        "village" => 1_500.0,
        "town" => 3_000.0,
        "city" => 6_000.0,
        _ => 500.0,
    }
}
const MAX_CATCHMENT_M: f64 = 6_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    House,
    Terrace,
    Apartments,
    Residential,
    Yes,
}

/// A building way from the first pass.
pub(crate) struct PendingBuilding {
    /// The ring's nodes, the closing one left out.
    pub refs: Box<[i64]>,
    class: Class,
    flats: Option<u32>,
    levels: Option<f64>,
}

impl PendingBuilding {
    /// The way, when it may hold homes.
    pub fn from_way(w: &Way) -> Option<PendingBuilding> {
        let tags = &w.tags;
        let class = match tags.get("building")?.as_str() {
            "house" | "detached" | "semidetached_house" | "bungalow" | "farm" => Class::House,
            "terrace" => Class::Terrace,
            "apartments" => Class::Apartments,
            "residential" => Class::Residential,
            "yes" => Class::Yes,
            _ => return None,
        };
        let gone = ["ruins", "abandoned", "disused", "demolished"]
            .iter()
            .any(|k| tags.get(*k).is_some_and(|v| v == "yes"));
        let other_use = [
            "amenity",
            "shop",
            "office",
            "craft",
            "industrial",
            "tourism",
            "leisure",
            "man_made",
        ]
        .iter()
        .any(|k| tags.contains_key(*k));
        if gone || (class == Class::Yes && other_use) || !w.is_closed() || w.nodes.len() < 4 {
            return None;
        }
        let flats = tags
            .get("building:flats")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .map(|f| f.min(MAX_FLATS));
        let levels = tags
            .get("building:levels")
            .and_then(|v| v.trim().replace(',', ".").parse::<f64>().ok())
            .filter(|l| l.is_finite() && *l >= 1.0)
            .map(|l| l.min(60.0));
        Some(PendingBuilding {
            refs: w.nodes[..w.nodes.len() - 1].iter().map(|n| n.0).collect(),
            class,
            flats,
            levels,
        })
    }

    /// Dwellings in a building of this footprint.
    fn dwellings(&self, area_m2: f64) -> u32 {
        if let Some(f) = self.flats {
            return f;
        }
        let flats = |levels: f64| ((area_m2 * levels / FLAT_FLOOR_M2).round() as u32).max(1);
        match self.class {
            Class::House => 1,
            Class::Terrace => ((area_m2 / TERRACE_HOUSE_M2).round() as u32).max(1),
            Class::Apartments => flats(self.levels.unwrap_or(DEFAULT_LEVELS)),
            Class::Residential if area_m2 <= HOUSE_MAX_M2 => 1,
            Class::Residential => flats(self.levels.unwrap_or(DEFAULT_LEVELS)),
            Class::Yes if (HOUSE_MIN_M2..=HOUSE_MAX_M2).contains(&area_m2) => 1,
            Class::Yes => 0,
        }
    }
}

/// A residential building, reduced to what the estimate needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Home {
    pub centroid: LonLat,
    pub dwellings: u32,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Planar metres around `lat0` (equirectangular; fine over a département).
fn project(p: LonLat, cos_lat0: f64) -> [f64; 2] {
    let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
    [p.lon * k * cos_lat0, p.lat * k]
}

/// Area (m²) of a ring, by the shoelace formula in local planar metres.
pub fn ring_area_m2(ring: &[LonLat]) -> f64 {
    let Some(first) = ring.first() else {
        return 0.0;
    };
    let c = first.lat.to_radians().cos();
    let pts: Vec<[f64; 2]> = ring.iter().map(|p| project(*p, c)).collect();
    let twice: f64 = (0..pts.len())
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            (a[0] - pts[0][0]) * (b[1] - pts[0][1]) - (b[0] - pts[0][0]) * (a[1] - pts[0][1])
        })
        .sum();
    twice.abs() / 2.0
}

/// The positions of the buildings' nodes: their ids sorted, and a position for
/// each once the second pass has seen it.
pub(crate) struct NodeTable {
    ids: Vec<i64>,
    positions: Vec<Option<LonLat>>,
}

impl NodeTable {
    pub fn new(pending: &[PendingBuilding]) -> NodeTable {
        let mut ids: Vec<i64> = pending
            .iter()
            .flat_map(|b| b.refs.iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let positions = vec![None; ids.len()];
        NodeTable { ids, positions }
    }

    /// Where `id` is in the table, if it is a building node.
    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// Sets the position of the node at `i` (from [`NodeTable::index_of`]).
    pub fn set_at(&mut self, i: usize, pos: LonLat) {
        if pos.is_valid() {
            self.positions[i] = Some(pos);
        }
    }

    fn get(&self, id: i64) -> Option<LonLat> {
        self.ids
            .binary_search(&id)
            .ok()
            .and_then(|i| self.positions[i])
    }
}

/// Buildings → homes (centroid, dwellings); the node lists are consumed.
pub(crate) fn homes(
    pending: Vec<PendingBuilding>,
    nodes: &NodeTable,
    report: &mut ImportReport,
) -> Vec<Home> {
    let mut out = Vec::new();
    for b in pending {
        let ring: Vec<LonLat> = b.refs.iter().filter_map(|r| nodes.get(*r)).collect();
        // A ring with missing nodes has no trustworthy area.
        if ring.len() < 3 || ring.len() != b.refs.len() {
            continue;
        }
        let dwellings = b.dwellings(ring_area_m2(&ring));
        if dwellings == 0 {
            continue;
        }
        let n = ring.len() as f64;
        out.push(Home {
            centroid: LonLat::new(
                ring.iter().map(|p| p.lon).sum::<f64>() / n,
                ring.iter().map(|p| p.lat).sum::<f64>() / n,
            ),
            dwellings,
        });
        report.buildings_residential += 1;
        report.dwellings += dwellings as u64;
    }
    out
}

/// Dwellings per place (indexed like `places`: position and `place=*` type): each
/// home goes to the nearest place whose [`catchment_m`] holds it, or to none.
pub(crate) fn dwellings_per_place(
    places: &[(LonLat, &str)],
    homes: &[Home],
    report: &mut ImportReport,
) -> Vec<u32> {
    let mut out = vec![0u32; places.len()];
    if places.is_empty() || homes.is_empty() {
        return out;
    }
    let lat0 = places.iter().map(|(p, _)| p.lat).sum::<f64>() / places.len() as f64;
    let c = lat0.to_radians().cos();
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        places
            .iter()
            .enumerate()
            .map(|(i, (p, _))| GeomWithData::new(project(*p, c), i))
            .collect(),
    );
    for h in homes {
        let at = project(h.centroid, c);
        let found = tree
            .nearest_neighbor_iter_with_distance_2(&at)
            .take_while(|(_, d2)| *d2 <= MAX_CATCHMENT_M * MAX_CATCHMENT_M)
            .find(|(p, d2)| {
                let r = catchment_m(places[p.data].1);
                *d2 <= r * r
            });
        if let Some((p, _)) = found {
            out[p.data] += h.dwellings;
            report.dwellings_assigned += h.dwellings as u64;
        }
    }
    out
}

/// The population estimated for `dwellings` homes.
pub fn population_of(dwellings: u32) -> u32 {
    (dwellings as f64 * PERSONS_PER_HOUSEHOLD).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lon: f64, lat: f64, side_m: f64) -> Vec<LonLat> {
        let dlat = side_m / 111_195.0;
        let dlon = dlat / lat.to_radians().cos();
        vec![
            LonLat::new(lon, lat),
            LonLat::new(lon + dlon, lat),
            LonLat::new(lon + dlon, lat + dlat),
            LonLat::new(lon, lat + dlat),
        ]
    }

    #[test]
    fn a_ring_area_is_its_footprint() {
        let a = ring_area_m2(&square(-1.5, 47.0, 10.0));
        assert!((a - 100.0).abs() < 0.5, "{a}");
        let a = ring_area_m2(&square(2.0, 43.0, 40.0));
        assert!((a - 1600.0).abs() < 5.0, "{a}");
    }

    fn pending(class: Class, flats: Option<u32>, levels: Option<f64>) -> PendingBuilding {
        PendingBuilding {
            refs: Box::new([]),
            class,
            flats,
            levels,
        }
    }

    #[test]
    fn dwellings_by_kind_and_size() {
        // building=yes: a shed, a house, a barn.
        assert_eq!(pending(Class::Yes, None, None).dwellings(12.0), 0);
        assert_eq!(pending(Class::Yes, None, None).dwellings(110.0), 1);
        assert_eq!(pending(Class::Yes, None, None).dwellings(900.0), 0);
        // Flats given win, even on a large `yes`.
        assert_eq!(pending(Class::Yes, Some(12), None).dwellings(900.0), 12);
        assert_eq!(pending(Class::House, None, None).dwellings(400.0), 1);
        // 500 m² × 4 levels / 75 m² per flat.
        assert_eq!(
            pending(Class::Apartments, None, Some(4.0)).dwellings(500.0),
            27
        );
        assert_eq!(pending(Class::Apartments, None, None).dwellings(500.0), 20);
        assert_eq!(pending(Class::Residential, None, None).dwellings(120.0), 1);
        assert_eq!(pending(Class::Terrace, None, None).dwellings(300.0), 5);
    }

    #[test]
    fn a_home_goes_to_the_nearest_place_whose_catchment_holds_it() {
        // A hamlet at the origin, a village 2 km east.
        let hamlet = LonLat::new(0.0, 45.0);
        let km = 1.0 / (111.195 * 45f64.to_radians().cos());
        let village = LonLat::new(2.0 * km, 45.0);
        let places = [(hamlet, "hamlet"), (village, "village")];
        let home = |x_km: f64, dwellings| Home {
            centroid: LonLat::new(x_km * km, 45.0),
            dwellings,
        };
        let mut r = ImportReport::default();
        let d = dwellings_per_place(
            &places,
            &[
                home(0.3, 1),  // the hamlet's
                home(0.8, 2),  // beyond the hamlet's 500 m, 1.2 km from the village
                home(1.7, 4),  // the village's
                home(-1.0, 8), // 1 km west of the hamlet, 3 km from the village: nobody's
            ],
            &mut r,
        );
        assert_eq!(d, vec![1, 6]);
        assert_eq!(r.dwellings_assigned, 7);
    }
}
