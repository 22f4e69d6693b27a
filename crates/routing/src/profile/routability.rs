//! OSRM's *routability* rate factors (car.lua's `weight_name = 'routability'`,
//! `WayHandlers.penalties`): a way a driver avoids when there is a choice weighs more
//! in the route choice than the time it takes. The route choice sees the way as if
//! driven at `factor ×` its speed, so its weight is its time over the factor; the
//! reported time stays the drive's. Of the rules below, the lowest factor applies, to
//! each direction:
//!
//! - **`service`**: `alley`, `parking`, `parking_aisle`, `driveway`, `drive-through`
//!   and `drive-thru`: 0.5 (car.lua's `service_penalties`);
//! - **narrow two-way roads** (both directions open to cars), read in this order, a
//!   later rule replacing an earlier one: `lane_markings=no` 0.75 (car.lua's
//!   `lane_markings_penalty`); a `width` (metres, or feet and inches after `'`) of at
//!   most 3 m 0.5, below 4 m 0.6, below 5 m 0.75, below 6 m 0.8; `lanes` (its leading
//!   digits) at most 1: 0.5;
//! - **`oneway=alternating`** (traffic lights letting each direction through in
//!   turn): 0.4;
//! - **`side_road=yes`** or **`rotary`**: 0.8 (car.lua's `side_road_multiplier`);
//! - **`priority=forward`** (or `backward`): the other direction 0.7 (car.lua's
//!   `priority_penalty`).
//!
//! Factors are kept in twentieths ([`RATE_ONE`] is 1): every factor above is one
//! exactly.

use tournee_osm::RawRoad;

/// A rate factor of 1 (no penalty), in the twentieths edges store.
pub const RATE_ONE: u8 = 20;

/// The rate factors of `road` in its node order and against it, in twentieths;
/// `two_way`: a car may drive both directions.
pub fn rate_factors(road: &RawRoad, two_way: bool) -> (u8, u8) {
    let tag = |k: &str| road.tag(k);
    let mut both = 1.0f64;
    if matches!(
        tag("service"),
        Some("alley" | "parking" | "parking_aisle" | "driveway" | "drive-through" | "drive-thru")
    ) {
        both = both.min(0.5);
    }
    if two_way {
        let mut width_factor = 1.0;
        if tag("lane_markings") == Some("no") {
            width_factor = 0.75;
        }
        if let Some(width) = tag("width").and_then(metres) {
            width_factor = match width {
                w if w <= 3.0 => 0.5,
                w if w < 4.0 => 0.6,
                w if w < 5.0 => 0.75,
                w if w < 6.0 => 0.8,
                _ => width_factor,
            };
        }
        if tag("lanes")
            .and_then(leading_integer)
            .is_some_and(|l| l <= 1)
        {
            width_factor = 0.5;
        }
        both = both.min(width_factor);
    }
    if tag("oneway") == Some("alternating") {
        both = both.min(0.4);
    }
    if matches!(tag("side_road"), Some("yes" | "rotary")) {
        both = both.min(0.8);
    }
    let (mut forward, mut backward) = (both, both);
    match tag("priority") {
        Some("forward") => backward = backward.min(0.7),
        Some("backward") => forward = forward.min(0.7),
        _ => {}
    }
    let twentieths = |f: f64| (f * f64::from(RATE_ONE)).round() as u8;
    (twentieths(forward), twentieths(backward))
}

/// The leading digits of `raw` as a number (Lua's `tonumber(s:match("%d*"))`).
fn leading_integer(raw: &str) -> Option<u64> {
    let end = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    raw[..end].parse().ok()
}

/// A length in metres: the first number in `raw` (a comma read as a point), or, with
/// a `'`, feet and the inches after it (car.lua's `Measure.parse_value_meters`).
fn metres(raw: &str) -> Option<f64> {
    let raw = raw.replace(',', ".");
    let start = raw.find(|c: char| c.is_ascii_digit())?;
    let mut point = false;
    let len = raw[start..]
        .find(|c: char| {
            let first_point = c == '.' && !point;
            point |= first_point;
            !(c.is_ascii_digit() || first_point)
        })
        .unwrap_or(raw.len() - start);
    let n: f64 = raw[start..start + len].parse().ok()?;
    let Some(quote) = raw.find('\'') else {
        return Some(n);
    };
    let after = &raw[quote..];
    let inches = after
        .find(|c: char| c.is_ascii_digit())
        .and_then(|i| leading_integer(&after[i..]))
        .unwrap_or(0);
    Some((n * 12.0 + inches as f64) * 0.0254)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::test_road as road;

    fn factors(tags: &[(&str, &str)], two_way: bool) -> (f64, f64) {
        let (f, b) = rate_factors(&road(tags), two_way);
        (f64::from(f) / 20.0, f64::from(b) / 20.0)
    }

    #[test]
    fn a_plain_road_keeps_its_speed() {
        assert_eq!(factors(&[("highway", "residential")], true), (1.0, 1.0));
    }

    #[test]
    fn parking_aisles_and_driveways_weigh_double() {
        for service in [
            "alley",
            "parking",
            "parking_aisle",
            "driveway",
            "drive-through",
        ] {
            let tags = [("highway", "service"), ("service", service)];
            assert_eq!(factors(&tags, false), (0.5, 0.5), "{service}");
        }
        let tags = [("highway", "service"), ("service", "siding")];
        assert_eq!(factors(&tags, true), (1.0, 1.0));
    }

    #[test]
    fn a_single_lane_counts_on_two_way_roads_only() {
        let tags = [("highway", "unclassified"), ("lanes", "1")];
        assert_eq!(factors(&tags, true), (0.5, 0.5));
        assert_eq!(factors(&tags, false), (1.0, 1.0));
        let two = [("highway", "unclassified"), ("lanes", "2")];
        assert_eq!(factors(&two, true), (1.0, 1.0));
    }

    #[test]
    fn width_steps_and_lane_markings() {
        let at = |w: &str| factors(&[("highway", "tertiary"), ("width", w)], true).0;
        assert_eq!(at("3"), 0.5);
        assert_eq!(at("3,5"), 0.6);
        assert_eq!(at("4.5 m"), 0.75);
        assert_eq!(at("5.9"), 0.8);
        assert_eq!(at("6"), 1.0);
        // 12 ft 6 in = 3.81 m.
        assert_eq!(at("12'6\""), 0.6);
        assert_eq!(
            factors(&[("highway", "tertiary"), ("lane_markings", "no")], true),
            (0.75, 0.75)
        );
        // A width rule replaces the lane markings' factor, even with a higher one.
        assert_eq!(
            factors(
                &[
                    ("highway", "tertiary"),
                    ("lane_markings", "no"),
                    ("width", "5.5")
                ],
                true
            ),
            (0.8, 0.8)
        );
        assert_eq!(
            factors(&[("highway", "tertiary"), ("width", "2")], false),
            (1.0, 1.0)
        );
    }

    #[test]
    fn alternating_side_roads_and_priority() {
        assert_eq!(
            factors(&[("highway", "tertiary"), ("oneway", "alternating")], true),
            (0.4, 0.4)
        );
        assert_eq!(
            factors(&[("highway", "tertiary"), ("side_road", "yes")], true),
            (0.8, 0.8)
        );
        assert_eq!(
            factors(&[("highway", "tertiary"), ("priority", "forward")], true),
            (1.0, 0.7)
        );
        assert_eq!(
            factors(&[("highway", "tertiary"), ("priority", "backward")], true),
            (0.7, 1.0)
        );
    }

    #[test]
    fn the_lowest_factor_applies() {
        let tags = [
            ("highway", "service"),
            ("service", "parking_aisle"),
            ("side_road", "yes"),
            ("priority", "forward"),
        ];
        assert_eq!(factors(&tags, true), (0.5, 0.5));
    }
}
