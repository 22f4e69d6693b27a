//! Which ways the car profile rejects whatever their other tags, for an import that
//! should not store them (`tournee_osm::import_roads_filtered`).

use super::CarProfile;

/// The ways `car`'s `road_use` certainly rejects, whatever their other tags: not
/// ferries, of a `highway` class without a speed in the profile (footway, path,
/// cycleway, track, steps…), without any access tag that could admit a car (on such
/// a class a car goes only where an access tag says so). The import neither stores
/// them nor reads the nodes only they use; the tables are the same.
pub struct CarWays<'p> {
    car: &'p CarProfile,
    /// The profile's access keys and their `:forward`/`:backward` variants.
    access_keys: Vec<String>,
}

impl CarWays<'_> {
    pub fn new(car: &CarProfile) -> CarWays<'_> {
        let access_keys = car
            .access_precedence
            .iter()
            .flat_map(|k| {
                [
                    k.to_string(),
                    format!("{k}:forward"),
                    format!("{k}:backward"),
                ]
            })
            .collect();
        CarWays { car, access_keys }
    }

    /// `false` when the car profile would reject the way for sure.
    pub fn may_use(&self, tags: &tournee_osm::WayTags) -> bool {
        let highway = tags.get("highway").unwrap_or("");
        tags.get("route") == Some("ferry")
            || self.car.speeds.iter().any(|(class, _)| *class == highway)
            || self.access_keys.iter().any(|k| tags.contains(k))
    }
}
