//! The car profile, as data: speeds by road class, which access tags forbid a car,
//! and how one-way streets are written. It follows the broad lines of OSRM's car
//! profile (same classes and access precedence); speeds are OSRM's defaults, and a
//! `maxspeed` lower than the class speed caps it.

use tournee_osm::RawRoad;

/// How a car may use one road way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadUse {
    pub speed_kmh: f64,
    /// Drivable in the way's node order.
    pub forward: bool,
    /// Drivable against the way's node order.
    pub backward: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CarProfile {
    /// Speed in km/h by `highway=*` value; a class absent here is not for cars.
    pub speeds: Vec<(&'static str, f64)>,
    /// Access values that forbid a car.
    pub forbidden_access: Vec<&'static str>,
    /// Access tags, most specific first: the first present decides.
    pub access_precedence: Vec<&'static str>,
}

impl Default for CarProfile {
    fn default() -> Self {
        CarProfile {
            speeds: vec![
                ("motorway", 90.0),
                ("motorway_link", 45.0),
                ("trunk", 85.0),
                ("trunk_link", 40.0),
                ("primary", 65.0),
                ("primary_link", 30.0),
                ("secondary", 55.0),
                ("secondary_link", 25.0),
                ("tertiary", 40.0),
                ("tertiary_link", 20.0),
                ("unclassified", 25.0),
                ("residential", 25.0),
                ("living_street", 10.0),
                ("service", 15.0),
            ],
            forbidden_access: vec![
                "no",
                "private",
                "agricultural",
                "forestry",
                "emergency",
                "psv",
                "customers",
                "delivery",
                "military",
            ],
            access_precedence: vec!["motorcar", "motor_vehicle", "vehicle", "access"],
        }
    }
}

impl CarProfile {
    /// How a car may use `road`, or `None` when it may not.
    pub fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        let highway = road.tag("highway")?;
        let class_speed = self
            .speeds
            .iter()
            .find(|(c, _)| *c == highway)
            .map(|(_, s)| *s)?;
        if road.tag("area") == Some("yes") {
            return None;
        }
        if let Some(access) = self.access_precedence.iter().find_map(|k| road.tag(k)) {
            if self.forbidden_access.contains(&access) {
                return None;
            }
        }
        let speed_kmh = match road.tag("maxspeed").and_then(parse_maxspeed) {
            Some(max) => class_speed.min(max),
            None => class_speed,
        };
        let implied_oneway = highway == "motorway"
            || matches!(road.tag("junction"), Some("roundabout" | "circular"));
        let (forward, backward) = match road.tag("oneway") {
            Some("yes" | "true" | "1") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("no" | "false" | "0") => (true, true),
            _ if implied_oneway => (true, false),
            _ => (true, true),
        };
        Some(RoadUse {
            speed_kmh,
            forward,
            backward,
        })
    }
}

/// Reads `maxspeed=*`: "50", "50 km/h", "30 mph", "FR:urban"; absurd values (below 5
/// or above 150 km/h) are ignored.
pub fn parse_maxspeed(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let named = match raw {
        "FR:urban" | "urban" => Some(50.0),
        "FR:rural" | "rural" => Some(80.0),
        "FR:motorway" => Some(130.0),
        "walk" | "FR:walk" => Some(6.0),
        _ => None,
    };
    let v = named.or_else(|| {
        let (num, factor) = match raw.strip_suffix("mph") {
            Some(n) => (n, 1.609),
            None => (raw.trim_end_matches("km/h"), 1.0),
        };
        num.trim().parse::<f64>().ok().map(|v| v * factor)
    })?;
    (5.0..=150.0).contains(&v).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn road(tags: &[(&str, &str)]) -> RawRoad {
        RawRoad {
            osm_id: 1,
            nodes: vec![0, 1],
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn classes_and_access() {
        let p = CarProfile::default();
        assert!(p.road_use(&road(&[("highway", "footway")])).is_none());
        assert!(p.road_use(&road(&[("highway", "track")])).is_none());
        assert!(p
            .road_use(&road(&[("highway", "service"), ("access", "private")]))
            .is_none());
        // The most specific tag wins.
        assert!(p
            .road_use(&road(&[
                ("highway", "residential"),
                ("access", "no"),
                ("motorcar", "yes")
            ]))
            .is_some());
        assert!(p
            .road_use(&road(&[
                ("highway", "residential"),
                ("motor_vehicle", "no"),
                ("access", "yes")
            ]))
            .is_none());
    }

    #[test]
    fn oneway_forms() {
        let p = CarProfile::default();
        let u = p
            .road_use(&road(&[("highway", "residential"), ("oneway", "yes")]))
            .unwrap();
        assert!(u.forward && !u.backward);
        let u = p
            .road_use(&road(&[("highway", "residential"), ("oneway", "-1")]))
            .unwrap();
        assert!(!u.forward && u.backward);
        let u = p
            .road_use(&road(&[("highway", "primary"), ("junction", "roundabout")]))
            .unwrap();
        assert!(u.forward && !u.backward);
    }

    #[test]
    fn maxspeed_caps_and_absurd_values_are_ignored() {
        let p = CarProfile::default();
        let u = p
            .road_use(&road(&[("highway", "primary"), ("maxspeed", "50")]))
            .unwrap();
        assert_eq!(u.speed_kmh, 50.0);
        let u = p
            .road_use(&road(&[("highway", "primary"), ("maxspeed", "5000")]))
            .unwrap();
        assert_eq!(u.speed_kmh, 65.0);
        assert_eq!(parse_maxspeed("30 mph").map(|v| v.round()), Some(48.0));
        assert_eq!(parse_maxspeed("FR:urban"), Some(50.0));
        assert_eq!(parse_maxspeed("none"), None);
    }
}
