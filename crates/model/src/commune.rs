//! Which commune a demand place belongs to, for the reach rule "a stop counts in
//! full in its own commune" (`scenario::Reach::share_at`).
//!
//! A commune seat (`Place::is_commune_seat`) is its own commune; a hamlet belongs to
//! the nearest seat as the crow flies — the rule the import uses for a site's
//! `commune` (`Site::commune`) and the commune table for hamlets, so a site and the
//! places around it are named alike. With no seat at all, every place is its own.

use crate::geo::LonLat;
use crate::site::Place;

/// The commune of each place of `places`, by name, in the same order.
pub fn place_communes(places: &[Place]) -> Vec<String> {
    let seats: Vec<&Place> = places.iter().filter(|p| p.is_commune_seat()).collect();
    places
        .iter()
        .map(|p| {
            if p.is_commune_seat() {
                return p.name.clone();
            }
            nearest(&seats, p.location).map_or_else(|| p.name.clone(), |s| s.name.clone())
        })
        .collect()
}

/// The commune of a point: the nearest commune seat's name among `places` (the
/// rule of a site's commune), `None` when there is no seat.
pub fn commune_at(places: &[Place], at: LonLat) -> Option<String> {
    let seats: Vec<&Place> = places.iter().filter(|p| p.is_commune_seat()).collect();
    nearest(&seats, at).map(|s| s.name.clone())
}

fn nearest<'a>(seats: &[&'a Place], at: LonLat) -> Option<&'a Place> {
    seats.iter().copied().min_by(|a, b| {
        a.location
            .distance_m(&at)
            .total_cmp(&b.location.distance_m(&at))
    })
}

/// Whether a stop whose site is in commune `site_commune` is in the place's own
/// commune (`place_commune`, from [`place_communes`]).
pub fn same_commune(site_commune: &str, place_commune: &str) -> bool {
    site_commune == place_commune
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OsmRef, PlaceId};
    use crate::site::PopulationSource;
    use crate::units::Population;

    fn place(i: u32, name: &str, kind: &str, lon: f64) -> Place {
        Place {
            id: PlaceId(i),
            osm: OsmRef::node(i as i64 + 1),
            name: name.into(),
            place_type: kind.into(),
            location: LonLat::new(lon, 45.0),
            population: Population(100),
            population_source: PopulationSource::Osm,
            insee: None,
        }
    }

    #[test]
    fn a_hamlet_belongs_to_the_nearest_seat_and_a_seat_to_itself() {
        let places = [
            place(0, "Bourg", "village", 0.0),
            place(1, "Le Moulin", "hamlet", 0.01),
            place(2, "Ville", "town", 0.05),
            place(3, "La Forge", "hamlet", 0.04),
        ];
        assert_eq!(
            place_communes(&places),
            ["Bourg", "Bourg", "Ville", "Ville"]
        );
        let hamlets = [place(0, "A", "hamlet", 0.0), place(1, "B", "hamlet", 0.1)];
        assert_eq!(place_communes(&hamlets), ["A", "B"]);
    }
}
