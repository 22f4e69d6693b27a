//! The active modes, as data: a loaded **cargo bike** (triporteur) and **walking**,
//! on the same imported ways as the car ([`crate::profile`]), with the same edge
//! builder ([`crate::profile::profile_edges`]) and graph builder
//! ([`crate::RoadGraph::build_for`]).
//!
//! A cargo bike carries the mediators' equipment from stop to stop; residents walk
//! to a cargo-bike stop (its reach is measured on the foot graph).
//!
//! What we follow from OSRM's `bicycle.lua`:
//!
//! - one **cruising speed** on every road a bike may use ([`BikeProfile::cruise_kmh`],
//!   15 km/h by default, OSRM's `default_speed`), lower on `living_street`;
//! - **surface, tracktype and smoothness** cap the speed (gravel, ground, cobbles…);
//! - **access**: the first of `bicycle`, `vehicle`, `access` present decides
//!   (directional `:forward`/`:backward` first; of a `;` list the most permissive);
//!   `no`, `private`, `agricultural`, `use_sidepath`… forbid the way; `motor_vehicle`
//!   and `motorcar` say nothing about bikes (a track closed to cars is open to them);
//! - **oneways** (`oneway:bicycle` before `oneway`; roundabouts are one-way) are
//!   respected, except `oneway:bicycle=no` and `cycleway=opposite*` (also on
//!   `cycleway:left`/`:right`/`:both`), which open the contraflow;
//! - `cycleway`, `path` and `track` are ridable; `footway` and `bridleway` only
//!   with `bicycle=yes|designated|permissive`; ferries as for cars;
//! - barriers: a bike passes bollards, gates, lowered kerbs, cattle grids…
//!
//! Where we deliberately differ (a *loaded cargo bike*, about 1 m wide and 150 kg):
//!
//! - no `motorway`, no `trunk` and no `motorroad=yes` at all (OSRM allows trunks);
//! - **no pushing**: OSRM's bicycle walks its bike along footways and against
//!   oneways at walking speed; nobody pushes a loaded triporteur along a footway, so a
//!   footway without bicycle access and a oneway without a contraflow are not used.
//!   The exception is `highway=pedestrian`: in France a cyclist may ride in an *aire
//!   piétonne* at walking pace (Code de la route, R110-2), so it is used at
//!   [`BikeProfile::pedestrian_kmh`] unless `bicycle=no`;
//! - **no steps** (OSRM carries the bike down them), no `cycle_barrier`, `stile`,
//!   `turnstile`, `kissing_gate` (a trike does not fit);
//! - no turn costs and U-turns anywhere ([`crate::turns::TurnModel::Free`]); turning
//!   through a junction costs a flat allowance.
//!
//! What we follow from OSRM's `foot.lua`: one walking speed (5 km/h) in both
//! directions whatever the `oneway`; access by `foot`, then `access`; `steps`
//! allowed (at half speed: OSRM walks them at full speed, which underrates a flight
//! of stairs); no motorway, and no trunk or `motorroad=yes` unless it has a
//! `sidewalk` (or `foot=yes`); ferries as for cars. We differ: surfaces do not slow a
//! walker, barriers do not block one (only a node's `foot=no` / `access=no` does),
//! and no junction cost.

use tournee_osm::RawRoad;

use crate::profile::{parse_duration, NodeRule, RoadUse, TravelProfile};
use crate::turns::TurnModel;

/// Access values that close a way (or node) to a bike or a walker.
const FORBIDDEN_ACCESS: &[&str] = &[
    "no",
    "private",
    "destination",
    "delivery",
    "customers",
    "permit",
    "residents",
    "agricultural",
    "forestry",
    "emergency",
    "psv",
    "bus",
    "use_sidepath",
    "restricted",
    "military",
    "official",
    "dismount",
];

/// Access values that open a way to the mode whatever its class.
const ALLOWED_ACCESS: &[&str] = &["yes", "designated", "permissive"];

fn rank(v: &str) -> u8 {
    if ALLOWED_ACCESS.contains(&v) {
        3
    } else if !FORBIDDEN_ACCESS.contains(&v) {
        2
    } else {
        1
    }
}

/// The access value that decides, by `precedence` (most specific first), for one
/// direction (`suffix` is `:forward`, `:backward` or empty).
fn access<'a>(
    precedence: &[&str],
    tag: &impl Fn(&str) -> Option<&'a str>,
    suffix: &str,
) -> Option<&'a str> {
    let raw = precedence.iter().find_map(|k| {
        if suffix.is_empty() {
            tag(k)
        } else {
            tag(&format!("{k}{suffix}")).or_else(|| tag(k))
        }
    })?;
    raw.split(';').map(str::trim).max_by_key(|v| rank(v))
}

/// Ways no active mode uses, whatever the tags say.
fn blocked(road: &RawRoad, highway: &str) -> bool {
    let tag = |k: &str| road.tag(k);
    matches!(highway, "construction" | "proposed")
        || tag("impassable") == Some("yes")
        || tag("status") == Some("impassable")
        || tag("construction").is_some_and(|c| !matches!(c, "no" | "minor" | "widening"))
}

/// A ferry crossing for an active mode: the `duration` tag, else 5 km/h.
fn ferry(road: &RawRoad, ferry_kmh: f64) -> RoadUse {
    let d = road
        .tag("duration")
        .and_then(parse_duration)
        .map(|d| d.max(1.0));
    RoadUse {
        duration_s: d,
        ..RoadUse::open(ferry_kmh)
    }
}

/// Barrier values a cargo bike cannot pass.
const BIKE_BLOCKING_BARRIERS: &[&str] = &[
    "cycle_barrier",
    "stile",
    "turnstile",
    "kissing_gate",
    "fence",
    "wall",
    "block",
    "log",
    "chain",
    "full-height_turnstile",
    "hampshire_gate",
];

/// A loaded cargo bike.
#[derive(Debug, Clone, PartialEq)]
pub struct BikeProfile {
    /// Cruising speed on a good surface, km/h.
    pub cruise_kmh: f64,
    /// Speed caps by `highway` class, km/h (the cruise applies below them).
    pub class_caps: Vec<(&'static str, f64)>,
    /// Classes a bike rides by default (besides those in `class_caps`).
    pub ridable: Vec<&'static str>,
    /// Classes ridden only with `bicycle=yes|designated|permissive`.
    pub with_permission: Vec<&'static str>,
    /// Speed in a pedestrian zone (walking pace), km/h.
    pub pedestrian_kmh: f64,
    /// Speed caps by `surface`, `tracktype` and `smoothness`, km/h.
    pub surface_caps: Vec<(&'static str, &'static str, f64)>,
    /// Speed on a ferry without a `duration` tag, km/h.
    pub ferry_kmh: f64,
    /// Delay at traffic signals, seconds.
    pub traffic_signal_delay: f64,
    /// Flat allowance on entering a junction, seconds.
    pub junction_delay: f64,
}

impl Default for BikeProfile {
    fn default() -> Self {
        BikeProfile::with_cruise(15.0)
    }
}

impl BikeProfile {
    /// The default profile with another cruising speed (km/h).
    pub fn with_cruise(cruise_kmh: f64) -> BikeProfile {
        BikeProfile {
            cruise_kmh,
            class_caps: vec![("living_street", 10.0), ("track", 12.0), ("path", 12.0)],
            ridable: vec![
                "cycleway",
                "primary",
                "primary_link",
                "secondary",
                "secondary_link",
                "tertiary",
                "tertiary_link",
                "unclassified",
                "residential",
                "living_street",
                "service",
                "road",
                "track",
                "path",
                "busway",
            ],
            with_permission: vec!["footway", "bridleway", "corridor"],
            pedestrian_kmh: 6.0,
            surface_caps: vec![
                ("surface", "paving_stones", 12.0),
                ("surface", "compacted", 12.0),
                ("surface", "fine_gravel", 10.0),
                ("surface", "wood", 10.0),
                ("surface", "sett", 8.0),
                ("surface", "cobblestone", 8.0),
                ("surface", "unpaved", 8.0),
                ("surface", "gravel", 8.0),
                ("surface", "pebblestone", 8.0),
                ("surface", "ground", 8.0),
                ("surface", "dirt", 8.0),
                ("surface", "earth", 8.0),
                ("surface", "grass", 6.0),
                ("surface", "grass_paver", 6.0),
                ("surface", "mud", 4.0),
                ("surface", "sand", 4.0),
                ("tracktype", "grade2", 10.0),
                ("tracktype", "grade3", 8.0),
                ("tracktype", "grade4", 6.0),
                ("tracktype", "grade5", 4.0),
                ("smoothness", "bad", 10.0),
                ("smoothness", "very_bad", 6.0),
                ("smoothness", "horrible", 4.0),
                ("smoothness", "very_horrible", 4.0),
            ],
            ferry_kmh: 5.0,
            traffic_signal_delay: 2.0,
            junction_delay: 0.7,
        }
    }

    const PRECEDENCE: [&'static str; 3] = ["bicycle", "vehicle", "access"];

    /// How a cargo bike may use `road`, or `None` when it may not.
    pub fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        let tag = |k: &str| road.tag(k);
        let highway = tag("highway").unwrap_or("");
        if tag("route") == Some("ferry") {
            let a = access(&Self::PRECEDENCE, &tag, "");
            return (!a.is_some_and(|a| FORBIDDEN_ACCESS.contains(&a)))
                .then(|| ferry(road, self.ferry_kmh));
        }
        if highway.is_empty()
            || blocked(road, highway)
            || tag("area") == Some("yes") && highway != "pedestrian"
            || tag("motorroad") == Some("yes")
            || matches!(
                highway,
                "motorway" | "motorway_link" | "trunk" | "trunk_link" | "steps"
            )
        {
            return None;
        }
        let access_f = access(&Self::PRECEDENCE, &tag, ":forward");
        let access_b = access(&Self::PRECEDENCE, &tag, ":backward");
        let permitted = |a: Option<&str>| a.is_some_and(|a| ALLOWED_ACCESS.contains(&a));
        let forbidden = |a: Option<&str>| a.is_some_and(|a| FORBIDDEN_ACCESS.contains(&a));
        let base = if highway == "pedestrian" {
            if permitted(access_f) || permitted(access_b) {
                self.cruise_kmh
            } else {
                self.pedestrian_kmh
            }
        } else if self.ridable.contains(&highway) {
            self.cruise_kmh
        } else if self.with_permission.contains(&highway) || permitted(access_f) {
            // Footways without a permission, or any other class without one: not
            // ridden (no pushing a loaded cargo bike).
            if !(permitted(access_f) || permitted(access_b)) {
                return None;
            }
            self.cruise_kmh
        } else {
            return None;
        };
        let (mut forward, mut backward) = self.directions(road);
        forward &= !forbidden(access_f);
        backward &= !forbidden(access_b);
        if !forward && !backward {
            return None;
        }
        let mut speed = base;
        for (class, cap) in &self.class_caps {
            if *class == highway {
                speed = speed.min(*cap);
            }
        }
        for (key, value, cap) in &self.surface_caps {
            if tag(key) == Some(value) {
                speed = speed.min(*cap);
            }
        }
        Some(RoadUse {
            forward,
            backward,
            ..RoadUse::open(speed)
        })
    }

    /// Which directions a bike may ride, by the oneway tags and contraflow lanes.
    fn directions(&self, road: &RawRoad) -> (bool, bool) {
        let tag = |k: &str| road.tag(k);
        let contraflow = [
            "cycleway",
            "cycleway:left",
            "cycleway:right",
            "cycleway:both",
        ]
        .iter()
        .any(|k| tag(k).is_some_and(|v| v.starts_with("opposite")));
        let oneway = ["oneway:bicycle", "oneway"].iter().find_map(|k| tag(k));
        let (f, b) = match oneway {
            Some("yes" | "1" | "true") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("no") => (true, true),
            _ if matches!(tag("junction"), Some("roundabout" | "circular")) => (true, false),
            _ => (true, true),
        };
        if contraflow && tag("oneway:bicycle").is_none() {
            (true, true)
        } else {
            (f, b)
        }
    }

    /// What the node with these tags does to a cargo bike.
    pub fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        let tag = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
        if let Some(a) = access(&Self::PRECEDENCE, &tag, "") {
            if FORBIDDEN_ACCESS.contains(&a)
                && !matches!(a, "private" | "destination" | "delivery" | "customers")
            {
                return Some(NodeRule::Blocked);
            }
            if ALLOWED_ACCESS.contains(&a) {
                return self.delay(&tag);
            }
        }
        if tag("barrier").is_some_and(|b| BIKE_BLOCKING_BARRIERS.contains(&b))
            || (tag("barrier") == Some("kerb")
                && !matches!(tag("kerb"), Some("lowered" | "flush" | "no")))
        {
            return Some(NodeRule::Blocked);
        }
        self.delay(&tag)
    }

    fn delay<'a>(&self, tag: &impl Fn(&str) -> Option<&'a str>) -> Option<NodeRule> {
        (tag("highway") == Some("traffic_signals")).then_some(NodeRule::Delay {
            seconds: self.traffic_signal_delay,
            direction: crate::profile::Along::Both,
        })
    }
}

impl TravelProfile for BikeProfile {
    fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        BikeProfile::road_use(self, road)
    }
    fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        BikeProfile::node_rule(self, tags)
    }
    fn turn_model(&self) -> TurnModel {
        TurnModel::Free {
            junction_delay: self.junction_delay,
        }
    }
}

/// A walker: residents coming to a cargo-bike stop.
#[derive(Debug, Clone, PartialEq)]
pub struct FootProfile {
    /// Walking speed, km/h.
    pub walk_kmh: f64,
    /// Speed on steps, km/h.
    pub steps_kmh: f64,
    /// Speed on a ferry without a `duration` tag, km/h.
    pub ferry_kmh: f64,
}

impl Default for FootProfile {
    fn default() -> Self {
        FootProfile {
            walk_kmh: 5.0,
            steps_kmh: 2.5,
            ferry_kmh: 5.0,
        }
    }
}

impl FootProfile {
    const PRECEDENCE: [&'static str; 2] = ["foot", "access"];

    /// How a walker may use `road`, or `None` when they may not.
    pub fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        let tag = |k: &str| road.tag(k);
        let highway = tag("highway").unwrap_or("");
        let a = access(&Self::PRECEDENCE, &tag, "");
        let forbidden = a.is_some_and(|a| FORBIDDEN_ACCESS.contains(&a));
        let permitted = a.is_some_and(|a| ALLOWED_ACCESS.contains(&a));
        if tag("route") == Some("ferry") {
            return (!forbidden).then(|| ferry(road, self.ferry_kmh));
        }
        if highway.is_empty() || forbidden || blocked(road, highway) {
            return None;
        }
        let sidewalk = [
            "sidewalk",
            "sidewalk:both",
            "sidewalk:left",
            "sidewalk:right",
        ]
        .iter()
        .any(|k| tag(k).is_some_and(|v| !matches!(v, "no" | "none" | "separate")));
        let fast_road =
            matches!(highway, "trunk" | "trunk_link") || tag("motorroad") == Some("yes");
        if (matches!(highway, "motorway" | "motorway_link") && !permitted)
            || (fast_road && !(sidewalk || permitted))
        {
            return None;
        }
        let speed = if highway == "steps" {
            self.steps_kmh
        } else {
            self.walk_kmh
        };
        Some(RoadUse::open(speed))
    }

    /// A node blocks a walker only when its access says so.
    pub fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        let tag = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
        access(&Self::PRECEDENCE, &tag, "")
            .is_some_and(|a| matches!(a, "no" | "use_sidepath" | "military"))
            .then_some(NodeRule::Blocked)
    }
}

impl TravelProfile for FootProfile {
    fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        FootProfile::road_use(self, road)
    }
    fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        FootProfile::node_rule(self, tags)
    }
    fn turn_model(&self) -> TurnModel {
        TurnModel::Free {
            junction_delay: 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{profile_edges, test_road as road, RATE_ONE};
    use tournee_model::LonLat;
    use tournee_osm::RawMap;

    fn bike(tags: &[(&str, &str)]) -> Option<RoadUse> {
        BikeProfile::default().road_use(&road(tags))
    }

    fn bike_dirs(tags: &[(&str, &str)]) -> Option<(bool, bool)> {
        bike(tags).map(|u| (u.forward, u.backward))
    }

    fn foot(tags: &[(&str, &str)]) -> Option<RoadUse> {
        FootProfile::default().road_use(&road(tags))
    }

    fn tags(t: &[(&str, &str)]) -> Vec<(String, String)> {
        t.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn bike_cruises_on_roads_and_cycleways_at_the_configured_speed() {
        assert_eq!(bike(&[("highway", "residential")]).unwrap().speed_kmh, 15.0);
        assert_eq!(bike(&[("highway", "cycleway")]).unwrap().speed_kmh, 15.0);
        assert_eq!(bike(&[("highway", "primary")]).unwrap().speed_kmh, 15.0);
        assert_eq!(
            bike(&[("highway", "living_street")]).unwrap().speed_kmh,
            10.0
        );
        let slow = BikeProfile::with_cruise(12.0);
        let u = slow.road_use(&road(&[("highway", "tertiary")])).unwrap();
        assert_eq!(u.speed_kmh, 12.0);
    }

    #[test]
    fn bike_never_on_motorways_trunks_motorroads_or_steps() {
        for h in ["motorway", "motorway_link", "trunk", "trunk_link", "steps"] {
            assert!(bike(&[("highway", h)]).is_none(), "{h}");
        }
        assert!(bike(&[("highway", "primary"), ("motorroad", "yes")]).is_none());
        // Even a `bicycle=yes` does not put a loaded cargo bike on steps.
        assert!(bike(&[("highway", "steps"), ("bicycle", "yes")]).is_none());
    }

    #[test]
    fn bike_slows_on_unpaved_surfaces_and_tracks() {
        assert_eq!(bike(&[("highway", "track")]).unwrap().speed_kmh, 12.0);
        let u = bike(&[("highway", "track"), ("tracktype", "grade3")]).unwrap();
        assert_eq!(u.speed_kmh, 8.0);
        let u = bike(&[("highway", "residential"), ("surface", "gravel")]).unwrap();
        assert_eq!(u.speed_kmh, 8.0);
        let u = bike(&[("highway", "residential"), ("surface", "asphalt")]).unwrap();
        assert_eq!(u.speed_kmh, 15.0);
    }

    #[test]
    fn bike_access_by_bicycle_then_vehicle_then_access() {
        assert!(bike(&[("highway", "residential"), ("bicycle", "no")]).is_none());
        assert!(bike(&[("highway", "primary"), ("bicycle", "use_sidepath")]).is_none());
        assert!(bike(&[("highway", "residential"), ("access", "private")]).is_none());
        assert!(bike(&[
            ("highway", "track"),
            ("access", "agricultural"),
            ("bicycle", "yes")
        ])
        .is_some());
        assert!(bike(&[("highway", "track"), ("access", "agricultural")]).is_none());
        // Closed to motor vehicles is open to bikes.
        assert!(bike(&[("highway", "track"), ("motor_vehicle", "no")]).is_some());
        assert!(bike(&[("highway", "residential"), ("vehicle", "no")]).is_none());
    }

    #[test]
    fn bike_rides_footways_only_with_permission_and_pedestrian_zones_at_walking_pace() {
        assert!(bike(&[("highway", "footway")]).is_none());
        assert!(bike(&[("highway", "footway"), ("bicycle", "dismount")]).is_none());
        let u = bike(&[("highway", "footway"), ("bicycle", "designated")]).unwrap();
        assert_eq!(u.speed_kmh, 15.0);
        assert!(bike(&[("highway", "path")]).is_some());
        assert!(bike(&[("highway", "path"), ("bicycle", "no")]).is_none());
        assert_eq!(bike(&[("highway", "pedestrian")]).unwrap().speed_kmh, 6.0);
        let u = bike(&[("highway", "pedestrian"), ("bicycle", "yes")]).unwrap();
        assert_eq!(u.speed_kmh, 15.0);
        assert!(bike(&[("highway", "pedestrian"), ("bicycle", "no")]).is_none());
    }

    #[test]
    fn bike_keeps_oneways_except_contraflow() {
        let r = |t: &[(&str, &str)]| bike_dirs(t).unwrap();
        assert_eq!(
            r(&[("highway", "residential"), ("oneway", "yes")]),
            (true, false)
        );
        assert_eq!(
            r(&[("highway", "residential"), ("oneway", "-1")]),
            (false, true)
        );
        assert_eq!(
            r(&[("highway", "residential"), ("junction", "roundabout")]),
            (true, false)
        );
        assert_eq!(
            r(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("oneway:bicycle", "no")
            ]),
            (true, true)
        );
        assert_eq!(
            r(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("cycleway", "opposite_lane")
            ]),
            (true, true)
        );
        assert_eq!(
            r(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("cycleway:left", "opposite_track")
            ]),
            (true, true)
        );
        // A oneway closed to bikes backwards by its directional access.
        assert_eq!(
            r(&[("highway", "residential"), ("bicycle:backward", "no")]),
            (true, false)
        );
    }

    #[test]
    fn bike_barriers() {
        let n = |t: &[(&str, &str)]| BikeProfile::default().node_rule(&tags(t));
        assert_eq!(n(&[("barrier", "bollard")]), None);
        assert_eq!(n(&[("barrier", "gate")]), None);
        assert_eq!(n(&[("barrier", "cycle_barrier")]), Some(NodeRule::Blocked));
        assert_eq!(n(&[("barrier", "stile")]), Some(NodeRule::Blocked));
        assert_eq!(n(&[("barrier", "kerb")]), Some(NodeRule::Blocked));
        assert_eq!(n(&[("barrier", "kerb"), ("kerb", "lowered")]), None);
        assert_eq!(n(&[("bicycle", "no")]), Some(NodeRule::Blocked));
        assert_eq!(n(&[("barrier", "cycle_barrier"), ("bicycle", "yes")]), None);
        assert!(matches!(
            n(&[("highway", "traffic_signals")]),
            Some(NodeRule::Delay { seconds, .. }) if seconds == 2.0
        ));
    }

    #[test]
    fn bike_blocked_ways_and_ferries() {
        assert!(bike(&[("highway", "construction")]).is_none());
        assert!(bike(&[("highway", "residential"), ("impassable", "yes")]).is_none());
        assert!(bike(&[("highway", "service"), ("area", "yes")]).is_none());
        let f = BikeProfile::default()
            .road_use(&road(&[("route", "ferry"), ("duration", "00:20")]))
            .unwrap();
        assert_eq!(f.duration_s, Some(1200.0));
        assert!(BikeProfile::default()
            .road_use(&road(&[("route", "ferry"), ("bicycle", "no")]))
            .is_none());
    }

    #[test]
    fn foot_walks_both_ways_at_five_and_steps_at_half() {
        let u = foot(&[("highway", "residential"), ("oneway", "yes")]).unwrap();
        assert_eq!((u.speed_kmh, u.forward, u.backward), (5.0, true, true));
        assert_eq!(foot(&[("highway", "footway")]).unwrap().speed_kmh, 5.0);
        assert_eq!(foot(&[("highway", "steps")]).unwrap().speed_kmh, 2.5);
        // Surfaces do not slow a walker.
        let u = foot(&[("highway", "track"), ("surface", "mud")]).unwrap();
        assert_eq!(u.speed_kmh, 5.0);
    }

    #[test]
    fn foot_no_motorways_nor_trunks_without_sidewalk() {
        assert!(foot(&[("highway", "motorway")]).is_none());
        assert!(foot(&[("highway", "trunk")]).is_none());
        assert!(foot(&[("highway", "trunk"), ("sidewalk", "both")]).is_some());
        assert!(foot(&[("highway", "trunk"), ("sidewalk", "no")]).is_none());
        assert!(foot(&[("highway", "primary"), ("motorroad", "yes")]).is_none());
        assert!(foot(&[("highway", "trunk"), ("foot", "yes")]).is_some());
    }

    #[test]
    fn foot_access() {
        assert!(foot(&[("highway", "path"), ("foot", "no")]).is_none());
        assert!(foot(&[("highway", "service"), ("access", "private")]).is_none());
        assert!(foot(&[("highway", "service"), ("access", "no"), ("foot", "yes")]).is_some());
        // Cars' and bikes' restrictions do not concern walkers.
        assert!(foot(&[
            ("highway", "track"),
            ("motor_vehicle", "no"),
            ("bicycle", "no")
        ])
        .is_some());
        let n = |t: &[(&str, &str)]| FootProfile::default().node_rule(&tags(t));
        assert_eq!(n(&[("barrier", "stile")]), None);
        assert_eq!(
            n(&[("barrier", "gate"), ("foot", "no")]),
            Some(NodeRule::Blocked)
        );
    }

    #[test]
    fn the_edge_builder_gives_bike_and_foot_times() {
        // 100 m of residential street, one-way, then 100 m of footway.
        let step = 100.0 / 111_195.0;
        let map = RawMap {
            nodes: (0..3)
                .map(|i| LonLat::new(0.0, 45.0 + i as f64 * step))
                .collect(),
            node_ids: vec![1, 2, 3],
            roads: vec![
                RawRoad {
                    osm_id: 1,
                    nodes: vec![0, 1],
                    tags: tags(&[("highway", "residential"), ("oneway", "yes")]).into(),
                },
                RawRoad {
                    osm_id: 2,
                    nodes: vec![1, 2],
                    tags: tags(&[("highway", "footway")]).into(),
                },
            ],
            ..RawMap::default()
        };
        let b = profile_edges(&BikeProfile::default(), &map);
        // 100 m at 15 km/h = 24 s; the footway and the contraflow are not ridden.
        assert_eq!(b.edges, vec![(0, 1, 240, 1000, 0, 0, RATE_ONE)]);
        assert_eq!(b.report.roads_not_for_cars, 1);
        let f = profile_edges(&FootProfile::default(), &map);
        // 100 m at 5 km/h = 72 s, both ways on both.
        assert_eq!(f.edges.len(), 4);
        assert!(f.edges.iter().all(|e| e.2 == 720));
    }
}
