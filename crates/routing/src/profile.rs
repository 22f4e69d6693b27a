//! The car profile, as data: which ways and nodes a car may use, in which direction,
//! and how long it takes.
//!
//! It follows OSRM's car profile (`car.lua`, OSRM 26) rule by rule, so that our drive
//! times can be compared with OSRM's (`bench/osrm-compare.sh`):
//!
//! - **speeds by `highway` class** are OSRM's (motorway 90 … service 15 km/h); a class
//!   absent from the table is for cars only when an access tag says so (then 10 km/h);
//! - **`maxspeed`** (`maxspeed:advisory` first, then `maxspeed`, `source:maxspeed`,
//!   `maxspeed:type`, each with its `:forward`/`:backward` variant) *replaces* the class
//!   speed, times 0.8 (`speed_reduction`: traffic rarely runs at the limit); `mph`
//!   is converted (× 1.609); implicit values are car.lua's: the whole value
//!   (lower-cased) in its `maxspeed_table` (`GB:nsl_single` 60 mph = 96.54 km/h,
//!   `GB:nsl_dual` and `GB:motorway` 70 mph, `FR:rural` 80, `DE:rural` 100,
//!   `CH:motorway` 120, `none` 140, …; `DE:motorway` 0, i.e. none), else the kind
//!   after `cc:` in its `maxspeed_table_default` (`urban` 50, `rural` 90, `trunk`
//!   110, `motorway` 130: `FR:urban` is 50, `FR:motorway` 130); any other value
//!   (`FR:zone30`, `FR:walk`…) leaves the class speed;
//! - **surface, tracktype and smoothness** cap the speed;
//! - **routability** (`weight_name = 'routability'`, `WayHandlers.penalties`): parking
//!   aisles, driveways, narrow or single-lane two-way roads, alternating one-ways,
//!   side roads and the yielding direction of a `priority` road weigh more in the
//!   route choice than the time they take (a rate factor of 0.4–0.8,
//!   [`routability`]); a route is the least weight, its reported time the drive's;
//! - **access**: the first of `motorcar`, `motor_vehicle`, `vehicle`, `access` present
//!   decides (directional `:forward`/`:backward` variants first; in a `a;b` list the most
//!   permissive value counts: allowed, then restricted, then forbidden, then any other,
//!   OSRM's `Access.classify_access`); `no`, `agricultural`, `forestry`, `psv`, … forbid
//!   the way;
//! - **restricted access** (`WayHandlers.access`): on a road class of OSRM's
//!   `restricted_highway_whitelist` (motorway … tertiary and their links,
//!   `unclassified`, `residential`, `living_street`, `service`), the values `private`,
//!   `delivery`, `destination`, `customers`, `permit`, `residents` and `unknown` do not
//!   forbid the direction they apply to but mark it *restricted*: a trip may start or
//!   end there, and [`crate::turns`] makes entering it from an unrestricted segment
//!   cost an *entry* (OSRM's `max_turn_weight` on that turn, see its doc). On any other
//!   class these values forbid the way, as OSRM's `access_tag_blacklist` does;
//! - **start points** (`WayHandlers.startpoint`): a `highway=service` way whose access
//!   is `private` is kept for routing but no point snaps onto it;
//! - **driving side** (`WayHandlers.driving_side`): a way's `driving_side=left|right`
//!   tag, else where it lies ([`crate::driving_side`]: Great Britain, Ireland, the
//!   Isle of Man, the Channel Islands, Malta and Cyprus keep left); the turn model
//!   reads it ([`crate::turns`], rules 1 and 1b); junction=roundabout segments are
//!   flagged for rule 1b too;
//! - **`oneway`**: `oneway:motorcar` / `:motor_vehicle` / `:vehicle` before `oneway`;
//!   `yes`/`1`/`true`, `-1`; motorways and `junction=roundabout`/`circular` are one-way
//!   unless `oneway=no`; `oneway=reversible` is not used;
//! - **blocked ways**: `area=yes`, `highway=steps/construction/proposed`, `construction=*`
//!   (except `no`, `minor`, `widening`), `impassable=yes`, `status=impassable`,
//!   `service=emergency_access`; physical limits below a car's size (height < 2 m,
//!   width ≤ 1.9 m, length < 4.8 m, weight < 2 t);
//! - **ferries** (`route=ferry`): 5 km/h, or the `duration` tag over the whole way;
//! - **nodes**: a barrier blocks passage except the harmless ones (`cattle_grid`,
//!   `border_control`, `toll_booth`, `entrance`, lowered kerbs, rising bollards, …);
//!   `gate` and `lift_gate` cost 60 s; an access tag on the node overrides its barrier;
//!   traffic signals cost 2 s (in their `traffic_signals:direction` only), `stop` 2 s
//!   and `give_way` 1 s.
//!
//! Where we deliberately differ:
//!
//! - turns are the edge-based graph's ([`crate::turns`]): OSRM's angle penalty, U-turn
//!   rules and penalty, obstacles paid per turn through the node (the delays above)
//!   and turn restrictions, rule by rule in that module's doc;
//! - OSRM's entry into a restricted segment weighs 3276.7 s (it crosses a restricted
//!   area only to save more than that); ours comes before any weight (a path enters
//!   as few restricted areas as it can, then weighs the least): the same routes except where
//!   crossing one would save OSRM over 54 minutes. The reported time is the drive's
//!   in both;
//! - a `maxspeed` below 5 or above 150 km/h is a mapping error for us: it is ignored
//!   (the class speed is kept) and counted in [`ProfileReport`]; OSRM uses it as is.

use tournee_osm::{RawMap, RawRoad};

use crate::turns::{CarTurns, TurnModel};

mod car_ways;
mod edges;
pub mod routability;
pub use car_ways::CarWays;
pub use edges::profile_edges;
pub use routability::RATE_ONE;

/// How a car may use one road way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadUse {
    /// Speed in the way's node order, km/h.
    pub speed_kmh: f64,
    /// Speed against the way's node order, km/h.
    pub backward_speed_kmh: f64,
    /// Drivable in the way's node order.
    pub forward: bool,
    /// Drivable against the way's node order.
    pub backward: bool,
    /// A ferry's crossing time for the whole way, in seconds (from `duration`).
    pub duration_s: Option<f64>,
    /// A `maxspeed` value was present but absurd, and ignored.
    pub maxspeed_rejected: bool,
    /// In the way's node order, for those it concerns only (`destination`, `private`…):
    /// a trip may start or end there, entering costs an entry ([`crate::turns`]).
    pub forward_restricted: bool,
    /// Against the way's node order.
    pub backward_restricted: bool,
    /// A point may snap onto the way (OSRM's `is_startpoint`).
    pub startpoint: bool,
    /// Routability rate factors in the way's node order and against it, in
    /// twentieths ([`routability`]).
    pub rates: (u8, u8),
}

impl RoadUse {
    /// Both directions at `speed_kmh`, for everyone, a start point.
    pub fn open(speed_kmh: f64) -> RoadUse {
        RoadUse {
            speed_kmh,
            backward_speed_kmh: speed_kmh,
            forward: true,
            backward: true,
            duration_s: None,
            maxspeed_rejected: false,
            forward_restricted: false,
            backward_restricted: false,
            startpoint: true,
            rates: (RATE_ONE, RATE_ONE),
        }
    }
}

/// What a node does to a car passing through it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeRule {
    /// No car passes.
    Blocked,
    /// Passing costs `seconds`, in the given direction relative to the ways through it.
    Delay { seconds: f64, direction: Along },
}

/// Which travel direction a node rule applies to, relative to the way's node order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Along {
    Both,
    Forward,
    Backward,
}

/// Counts of what the profile decided over a whole map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileReport {
    pub roads_for_cars: u64,
    pub roads_not_for_cars: u64,
    /// Ways whose `maxspeed` was absurd (below 5 or above 150 km/h) and ignored.
    pub maxspeed_rejected: u64,
    pub ferries: u64,
    /// Road nodes a car cannot pass (barriers, `access=no`).
    pub blocked_nodes: u64,
    /// Road nodes with a delay (gates, traffic signals, stops, give-ways).
    pub delay_nodes: u64,
    /// Segments of zero length: a node repeated in a way (skipped), or two nodes at
    /// the same position (kept, as they link the two).
    pub zero_length_segments: u64,
}

/// A directed road segment: `(from, to, time in ds, length in dm, delay in ds, flags,
/// rate factor)` over [`RawMap::nodes`]; the delay (an obstacle at `to`, in this
/// direction) is paid by every turn out of the segment at `to`; the flags are
/// [`RESTRICTED`], [`NO_START`], [`LEFT_HAND`] and [`ROUNDABOUT`]; the rate factor
/// is the routability's, in twentieths ([`routability`], [`RATE_ONE`] is none).
pub type RawEdge = (u32, u32, u32, u32, u32, u8, u8);

/// Edge flag: the segment is restricted (`access=destination`…, see the module doc).
pub const RESTRICTED: u8 = 1;
/// Edge flag: no point snaps onto the segment (OSRM's `is_startpoint` false).
pub const NO_START: u8 = 2;
/// Edge flag: traffic keeps left on the segment ([`crate::driving_side`]).
pub const LEFT_HAND: u8 = 4;
/// Edge flag: the segment is part of a roundabout (`junction=roundabout`).
pub const ROUNDABOUT: u8 = 8;

/// Directed edges over [`RawMap::nodes`], and what the profile decided.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdges {
    pub edges: Vec<RawEdge>,
    pub report: ProfileReport,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CarProfile {
    /// Speed in km/h by `highway=*` value.
    pub speeds: Vec<(&'static str, f64)>,
    /// Speed of a way whose class is not in `speeds` but whose access tag admits cars.
    pub default_speed: f64,
    /// Share of a `maxspeed` that traffic actually drives at.
    pub maxspeed_factor: f64,
    /// Access values that forbid a car.
    pub forbidden_access: Vec<&'static str>,
    /// Access values that only restrict a car to trips starting or ending there, on
    /// the classes of `restricted_classes` (forbidden on others).
    pub restricted_access: Vec<&'static str>,
    /// Road classes where the `restricted_access` values restrict rather than forbid.
    pub restricted_classes: Vec<&'static str>,
    /// Access values that keep a `highway=service` way from being a start point.
    pub service_no_start_access: Vec<&'static str>,
    /// Access values that admit a car on any way.
    pub allowed_access: Vec<&'static str>,
    /// Access tags, most specific first: the first present decides.
    pub access_precedence: Vec<&'static str>,
    /// Implicit speed limits (`GB:nsl_single`…), lower-case, km/h, looked up first
    /// (car.lua's `maxspeed_table`); 0 means none.
    pub maxspeed_table: Vec<(&'static str, f64)>,
    /// Implicit speed limits by the kind `k` of a `cc:k` value (`FR:urban` → `urban`),
    /// when the whole value is not in `maxspeed_table` (car.lua's
    /// `maxspeed_table_default`).
    pub maxspeed_table_default: Vec<(&'static str, f64)>,
    /// Speed caps by `surface`, `tracktype` and `smoothness` value, km/h.
    pub surface_caps: Vec<(&'static str, &'static str, f64)>,
    /// Speed on a ferry without a `duration` tag, km/h.
    pub ferry_speed: f64,
    /// Delay at gates, seconds.
    pub gate_delay: f64,
    pub traffic_signal_delay: f64,
    pub stop_delay: f64,
    pub give_way_delay: f64,
    /// How cars turn ([`crate::turns`]).
    pub turns: CarTurns,
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
            default_speed: 10.0,
            maxspeed_factor: 0.8,
            forbidden_access: vec![
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
                "emergency_vehicle",
                "psv",
                "bus",
                "taxi",
                "minibus",
                "share_taxi",
                "foot",
                "restricted",
                "military",
                "official",
            ],
            restricted_access: vec![
                "private",
                "delivery",
                "destination",
                "customers",
                "permit",
                "residents",
                "unknown",
            ],
            restricted_classes: vec![
                "motorway",
                "motorway_link",
                "trunk",
                "trunk_link",
                "primary",
                "primary_link",
                "secondary",
                "secondary_link",
                "tertiary",
                "tertiary_link",
                "residential",
                "living_street",
                "unclassified",
                "service",
            ],
            service_no_start_access: vec!["private"],
            allowed_access: vec![
                "yes",
                "permissive",
                "designated",
                "motorcar",
                "motor_vehicle",
                "vehicle",
                "hov",
            ],
            access_precedence: vec!["motorcar", "motor_vehicle", "vehicle", "access"],
            // car.lua's `maxspeed_table` (exceptions), lower-case, km/h; the UK
            // values are its mph limits times 1.609.
            maxspeed_table: vec![
                ("at:rural", 100.0),
                ("at:trunk", 100.0),
                ("ar:urban", 40.0),
                ("ar:rural", 110.0),
                ("be:motorway", 120.0),
                ("be-bru:rural", 70.0),
                ("be-bru:urban", 30.0),
                ("be-vlg:rural", 70.0),
                ("bg:motorway", 140.0),
                ("by:urban", 60.0),
                ("by:motorway", 110.0),
                ("ca-on:rural", 80.0),
                ("ch:rural", 80.0),
                ("ch:trunk", 100.0),
                ("ch:motorway", 120.0),
                ("de:living_street", 7.0),
                ("de:rural", 100.0),
                ("de:motorway", 0.0),
                ("dk:rural", 80.0),
                ("es:trunk", 90.0),
                ("fr:rural", 80.0),
                ("gb:nsl_single", 60.0 * 1609.0 / 1000.0),
                ("gb:nsl_dual", 70.0 * 1609.0 / 1000.0),
                ("gb:motorway", 70.0 * 1609.0 / 1000.0),
                ("lv:living_street", 20.0),
                ("nl:rural", 80.0),
                ("nl:trunk", 100.0),
                ("no:rural", 80.0),
                ("no:motorway", 110.0),
                ("ph:urban", 40.0),
                ("ph:rural", 80.0),
                ("ph:motorway", 100.0),
                ("pl:rural", 100.0),
                ("pl:expressway", 120.0),
                ("pl:motorway", 140.0),
                ("ro:trunk", 100.0),
                ("ru:living_street", 20.0),
                ("ru:urban", 60.0),
                ("ru:motorway", 110.0),
                ("uk:nsl_single", 60.0 * 1609.0 / 1000.0),
                ("uk:nsl_dual", 70.0 * 1609.0 / 1000.0),
                ("uk:motorway", 70.0 * 1609.0 / 1000.0),
                ("za:urban", 60.0),
                ("za:rural", 100.0),
                ("none", 140.0),
            ],
            // car.lua's `maxspeed_table_default`, by the kind after `cc:`.
            maxspeed_table_default: vec![
                ("urban", 50.0),
                ("rural", 90.0),
                ("trunk", 110.0),
                ("motorway", 130.0),
            ],
            surface_caps: vec![
                ("surface", "cement", 80.0),
                ("surface", "compacted", 80.0),
                ("surface", "fine_gravel", 80.0),
                ("surface", "paving_stones", 60.0),
                ("surface", "metal", 60.0),
                ("surface", "bricks", 60.0),
                ("surface", "grass", 40.0),
                ("surface", "wood", 40.0),
                ("surface", "sett", 40.0),
                ("surface", "grass_paver", 40.0),
                ("surface", "gravel", 40.0),
                ("surface", "unpaved", 40.0),
                ("surface", "ground", 40.0),
                ("surface", "dirt", 40.0),
                ("surface", "pebblestone", 40.0),
                ("surface", "tartan", 40.0),
                ("surface", "cobblestone", 30.0),
                ("surface", "clay", 30.0),
                ("surface", "earth", 20.0),
                ("surface", "stone", 20.0),
                ("surface", "rocky", 20.0),
                ("surface", "sand", 20.0),
                ("surface", "laterite", 15.0),
                ("surface", "mud", 10.0),
                ("surface", "ice", 20.0),
                ("surface", "snow", 30.0),
                ("tracktype", "grade1", 60.0),
                ("tracktype", "grade2", 40.0),
                ("tracktype", "grade3", 30.0),
                ("tracktype", "grade4", 25.0),
                ("tracktype", "grade5", 20.0),
                ("smoothness", "intermediate", 80.0),
                ("smoothness", "bad", 40.0),
                ("smoothness", "very_bad", 20.0),
                ("smoothness", "horrible", 10.0),
                ("smoothness", "very_horrible", 5.0),
            ],
            ferry_speed: 5.0,
            gate_delay: 60.0,
            traffic_signal_delay: 2.0,
            stop_delay: 2.0,
            give_way_delay: 1.0,
            turns: CarTurns::default(),
        }
    }
}

/// Barrier values a car passes freely.
const HARMLESS_BARRIERS: &[&str] = &[
    "cattle_grid",
    "border_control",
    "toll_booth",
    "sally_port",
    "no",
    "entrance",
    "height_restrictor",
    "arch",
];

/// Lowest and highest `maxspeed` we believe, km/h.
const MAXSPEED_RANGE: std::ops::RangeInclusive<f64> = 5.0..=150.0;

impl CarProfile {
    /// OSRM's `Access.classify_access`: allowed 3, restricted 2, forbidden 1, other 0.
    fn access_rank(&self, v: &str) -> u8 {
        if self.allowed_access.contains(&v) {
            3
        } else if self.restricted_access.contains(&v) {
            2
        } else if self.forbidden_access.contains(&v) {
            1
        } else {
            0
        }
    }

    /// The access value that decides, for one direction (`suffix` is `:forward` or
    /// `:backward`); of a `;` list, the most permissive.
    fn access<'a>(&self, tag: &impl Fn(&str) -> Option<&'a str>, suffix: &str) -> Option<&'a str> {
        let raw = self
            .access_precedence
            .iter()
            .find_map(|k| tag(&format!("{k}{suffix}")).or_else(|| tag(k)))?;
        raw.split(';')
            .map(str::trim)
            .max_by_key(|v| self.access_rank(v))
    }

    /// How a car may use `road`, or `None` when it may not.
    pub fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        let tag = |k: &str| road.tag(k);
        let highway = tag("highway").unwrap_or("");
        let ferry = tag("route") == Some("ferry");
        if highway.is_empty() && !ferry {
            return None;
        }
        // Ways a car never uses.
        if tag("area") == Some("yes")
            || matches!(highway, "steps" | "construction" | "proposed")
            || tag("oneway") == Some("reversible")
            || tag("impassable") == Some("yes")
            || tag("status") == Some("impassable")
            || tag("service") == Some("emergency_access")
            || tag("construction").is_some_and(|c| !matches!(c, "no" | "minor" | "widening"))
            || self.too_small(road)
        {
            return None;
        }
        let (mut forward, mut backward) = self.directions(road, highway);
        let access_f = self.access(&tag, ":forward");
        let access_b = self.access(&tag, ":backward");
        let may_restrict = self.restricted_classes.contains(&highway);
        let restricted = |a: Option<&str>| {
            may_restrict && a.is_some_and(|a| self.restricted_access.contains(&a))
        };
        let (forward_restricted, backward_restricted) =
            (restricted(access_f), restricted(access_b));
        let forbidden = |a: Option<&str>| a.is_some_and(|a| self.forbidden_access.contains(&a));
        forward &= forward_restricted || !forbidden(access_f);
        backward &= backward_restricted || !forbidden(access_b);
        let startpoint = !(highway == "service"
            && access_f.is_some_and(|a| self.service_no_start_access.contains(&a)));
        let class_speed = self
            .speeds
            .iter()
            .find(|(c, _)| *c == highway)
            .map(|(_, s)| *s);
        let (mut speed_f, mut speed_b, duration_s) = match class_speed {
            _ if ferry => {
                let d = tag("duration").and_then(parse_duration).map(|d| d.max(1.0));
                (self.ferry_speed, self.ferry_speed, d)
            }
            Some(s) => (s, s, None),
            // Another class (track, pedestrian…) is for cars only when tagged so.
            None => {
                forward &= access_f.is_some();
                backward &= access_b.is_some();
                (self.default_speed, self.default_speed, None)
            }
        };
        if !forward && !backward {
            return None;
        }
        let mut maxspeed_rejected = false;
        if !ferry {
            let keys = [
                "maxspeed:advisory",
                "maxspeed",
                "source:maxspeed",
                "maxspeed:type",
            ];
            for (suffix, speed) in [(":forward", &mut speed_f), (":backward", &mut speed_b)] {
                let raw = keys
                    .iter()
                    .find_map(|k| tag(&format!("{k}{suffix}")).or_else(|| tag(k)));
                match raw.map(|r| self.parse_maxspeed(r)) {
                    Some(Maxspeed::Limit(v)) => *speed = v * self.maxspeed_factor,
                    Some(Maxspeed::Absurd) => maxspeed_rejected = true,
                    Some(Maxspeed::Unknown) | None => {}
                }
            }
            for (key, value, cap) in &self.surface_caps {
                if tag(key) == Some(value) {
                    speed_f = speed_f.min(*cap);
                    speed_b = speed_b.min(*cap);
                }
            }
        }
        Some(RoadUse {
            speed_kmh: speed_f,
            backward_speed_kmh: speed_b,
            forward,
            backward,
            duration_s,
            maxspeed_rejected,
            forward_restricted: forward && forward_restricted,
            backward_restricted: backward && backward_restricted,
            startpoint,
            rates: routability::rate_factors(road, forward && backward),
        })
    }

    /// Which directions the way may be driven in, by its `oneway` tags alone.
    fn directions(&self, road: &RawRoad, highway: &str) -> (bool, bool) {
        let oneway = [
            "oneway:motorcar",
            "oneway:motor_vehicle",
            "oneway:vehicle",
            "oneway",
        ]
        .iter()
        .find_map(|k| road.tag(k));
        match oneway {
            Some("yes" | "1" | "true") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("no") => (true, true),
            _ if highway == "motorway"
                || matches!(road.tag("junction"), Some("roundabout" | "circular")) =>
            {
                (true, false)
            }
            _ => (true, true),
        }
    }

    /// Physical limits below a car's size: height 2 m, width 1.9 m, length 4.8 m,
    /// weight 2 t.
    fn too_small(&self, road: &RawRoad) -> bool {
        let first = |keys: &[&str]| keys.iter().find_map(|k| road.tag(k));
        let below = |keys: &[&str], limit: f64, strict: bool| {
            first(keys).and_then(parse_number).is_some_and(|v| {
                if strict {
                    v < limit
                } else {
                    v <= limit
                }
            })
        };
        below(&["maxheight:physical", "maxheight"], 2.0, true)
            || below(
                &["maxwidth:physical", "maxwidth", "width", "est_width"],
                1.9,
                false,
            )
            || below(&["maxlength"], 4.8, true)
            || first(&["maxweightrating", "maxweight"])
                .and_then(parse_number)
                .is_some_and(|t| t < 2.0)
    }

    /// Reads one `maxspeed`-like value: "50", "50 km/h", "30 mph", "FR:urban", "none".
    fn parse_maxspeed(&self, raw: &str) -> Maxspeed {
        let raw = raw.trim();
        let digits: String = raw.chars().take_while(|c| c.is_ascii_digit()).collect();
        let value = if !digits.is_empty() {
            let v: f64 = digits.parse().unwrap_or(0.0);
            if raw.contains("mph") || raw.contains("mp/h") {
                v * 1.609
            } else {
                v
            }
        } else {
            // car.lua's `parse_maxspeed`: the whole value in `maxspeed_table`, else
            // the kind after the first `cc:` (Lua's `%a%a:(%a+)`) in the defaults;
            // 0 or neither: no limit.
            let lower = raw.to_ascii_lowercase();
            let lookup = |table: &[(&str, f64)], k: &str| {
                table.iter().find(|(n, _)| *n == k).map(|(_, v)| *v)
            };
            let v = lookup(&self.maxspeed_table, &lower)
                .or_else(|| {
                    implicit_kind(&lower).and_then(|k| lookup(&self.maxspeed_table_default, k))
                })
                .unwrap_or(0.0);
            if v <= 0.0 {
                return Maxspeed::Unknown;
            }
            v
        };
        if MAXSPEED_RANGE.contains(&value) {
            Maxspeed::Limit(value)
        } else {
            Maxspeed::Absurd
        }
    }

    /// What the node with these tags does to a car passing through it.
    pub fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        let tag = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
        if let Some(access) = self.access(&tag, "") {
            // An access tag on the node decides alone; restricted values (private,
            // destination…) are handled on the ways, not at their entrance.
            let restricted = self.restricted_access.contains(&access);
            return (self.forbidden_access.contains(&access) && !restricted)
                .then_some(NodeRule::Blocked)
                .or_else(|| self.node_delay(&tag));
        }
        if let Some(barrier) = tag("barrier") {
            if matches!(barrier, "gate" | "lift_gate") {
                return Some(NodeRule::Delay {
                    seconds: self.gate_delay,
                    direction: Along::Both,
                });
            }
            let too_low = barrier == "height_restrictor"
                && tag("maxheight")
                    .and_then(parse_number)
                    .is_some_and(|h| h < 2.0);
            let passable = HARMLESS_BARRIERS.contains(&barrier)
                || tag("bollard") == Some("rising")
                || matches!(tag("kerb"), Some("lowered" | "flush"))
                || (barrier == "kerb" && tag("highway") == Some("crossing"))
                || (barrier == "fence" && matches!(tag("sensory"), Some("audible" | "audio")));
            if too_low || !passable {
                return Some(NodeRule::Blocked);
            }
        }
        self.node_delay(&tag)
    }

    fn node_delay<'a>(&self, tag: &impl Fn(&str) -> Option<&'a str>) -> Option<NodeRule> {
        let seconds = match tag("highway")? {
            "traffic_signals" => self.traffic_signal_delay,
            "stop" => self.stop_delay,
            "give_way" => self.give_way_delay,
            _ => return None,
        };
        let direction = match tag("traffic_signals:direction").or_else(|| tag("direction")) {
            Some("forward") => Along::Forward,
            Some("backward") => Along::Backward,
            _ => Along::Both,
        };
        Some(NodeRule::Delay { seconds, direction })
    }

    /// Every directed road segment a car may drive in `map`, with its time (ds),
    /// length (dm) and the delay its turns pay at its end: see [`profile_edges`].
    pub fn edges(&self, map: &RawMap) -> ProfileEdges {
        profile_edges(self, map)
    }
}

impl TravelProfile for CarProfile {
    fn road_use(&self, road: &RawRoad) -> Option<RoadUse> {
        CarProfile::road_use(self, road)
    }
    fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule> {
        CarProfile::node_rule(self, tags)
    }
    fn turn_model(&self) -> TurnModel {
        TurnModel::Car(self.turns.clone())
    }
}

/// What the edge builder asks of a travel mode's profile (car, cargo bike, foot).
pub trait TravelProfile {
    /// How the mode may use `road`, or `None` when it may not.
    fn road_use(&self, road: &RawRoad) -> Option<RoadUse>;
    /// What the node with these tags does to the mode passing through it.
    fn node_rule(&self, tags: &[(String, String)]) -> Option<NodeRule>;
    /// How the mode turns.
    fn turn_model(&self) -> TurnModel;
}

enum Maxspeed {
    Limit(f64),
    Absurd,
    Unknown,
}

/// The kind in an implicit limit such as `fr:urban`: the letters after the first two
/// letters followed by `:` (Lua's `string.match(s, "%a%a:(%a+)")`).
fn implicit_kind(lower: &str) -> Option<&str> {
    let b = lower.as_bytes();
    (0..b.len().saturating_sub(2)).find_map(|i| {
        if !(b[i].is_ascii_alphabetic() && b[i + 1].is_ascii_alphabetic() && b[i + 2] == b':') {
            return None;
        }
        let rest = &lower[i + 3..];
        let end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// The leading number of a measure ("2.5", "2,5 m", "3.5 t").
fn parse_number(raw: &str) -> Option<f64> {
    let s = raw.trim().replace(',', ".");
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    s[..end].parse().ok()
}

/// A ferry's `duration`: "PT1H30M" (ISO 8601), "hh:mm:ss", "hh:mm", or minutes.
pub fn parse_duration(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    if let Some(iso) = raw.strip_prefix("PT").or_else(|| raw.strip_prefix("pt")) {
        let mut total = 0.0;
        let mut num = String::new();
        for c in iso.chars() {
            match c.to_ascii_uppercase() {
                d if d.is_ascii_digit() || d == '.' => num.push(d),
                unit @ ('H' | 'M' | 'S') => {
                    let v: f64 = num.parse().ok()?;
                    num.clear();
                    total += v * match unit {
                        'H' => 3600.0,
                        'M' => 60.0,
                        _ => 1.0,
                    };
                }
                _ => return None,
            }
        }
        return (num.is_empty() && total > 0.0).then_some(total);
    }
    let parts: Vec<f64> = raw
        .split(':')
        .map(|p| p.trim().parse::<f64>().ok().filter(|v| *v >= 0.0))
        .collect::<Option<_>>()?;
    let seconds = match parts[..] {
        [m] => m * 60.0,
        [h, m] => h * 3600.0 + m * 60.0,
        [h, m, s] => h * 3600.0 + m * 60.0 + s,
        _ => return None,
    };
    (seconds > 0.0).then_some(seconds)
}

/// Reads `maxspeed=*` with the default profile: "50", "50 km/h", "30 mph",
/// "FR:urban"; `None` for unknown or absurd values (below 5 or above 150 km/h).
pub fn parse_maxspeed(raw: &str) -> Option<f64> {
    match CarProfile::default().parse_maxspeed(raw) {
        Maxspeed::Limit(v) => Some(v),
        _ => None,
    }
}

/// A road of two nodes with `tags`, for the profiles' tests.
#[cfg(test)]
pub(crate) fn test_road(tags: &[(&str, &str)]) -> RawRoad {
    RawRoad {
        osm_id: 1,
        nodes: vec![0, 1],
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
