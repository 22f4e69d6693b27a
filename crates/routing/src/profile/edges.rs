//! The edge builder: every directed road segment a travel mode may use in a
//! [`RawMap`], timed by its profile ([`super::TravelProfile`]), with the delay its
//! turns pay at its end and its flags.

use std::collections::HashMap;

use tournee_osm::RawMap;

use super::{
    Along, NodeRule, ProfileEdges, ProfileReport, TravelProfile, LEFT_HAND, NO_START, RESTRICTED,
    ROUNDABOUT,
};

/// Every directed road segment `profile` may use in `map`, with its time (ds) and
/// length (dm): ways by [`TravelProfile::road_use`], nodes by
/// [`TravelProfile::node_rule`] (a blocked node loses all its segments; a delay is
/// recorded on the segments entering the node in the rule's direction, paid by the
/// turns out of them). The report's
/// `roads_for_cars` / `roads_not_for_cars` count the ways the mode may / may not use.
pub fn profile_edges(profile: &impl TravelProfile, map: &RawMap) -> ProfileEdges {
    let mut report = ProfileReport::default();
    let mut rules: HashMap<u32, NodeRule> = HashMap::new();
    for (node, tags) in &map.node_tags {
        if let Some(rule) = profile.node_rule(tags) {
            match rule {
                NodeRule::Blocked => report.blocked_nodes += 1,
                NodeRule::Delay { .. } => report.delay_nodes += 1,
            }
            rules.insert(*node, rule);
        }
    }
    // Most nodes have no rule: a flag per node spares the lookups.
    let mut ruled = vec![false; map.nodes.len()];
    for &node in rules.keys() {
        if let Some(r) = ruled.get_mut(node as usize) {
            *r = true;
        }
    }
    let rule = |node: u32| {
        if ruled[node as usize] {
            rules.get(&node)
        } else {
            None
        }
    };
    let delay_ds = |node: u32, along: Along| match rule(node) {
        Some(NodeRule::Delay { seconds, direction })
            if *direction == Along::Both || *direction == along =>
        {
            (seconds * 10.0).round() as u32
        }
        _ => 0,
    };
    let blocked = |node: u32| matches!(rule(node), Some(NodeRule::Blocked));
    let mut edges = Vec::new();
    for road in &map.roads {
        let Some(u) = profile.road_use(road) else {
            report.roads_not_for_cars += 1;
            continue;
        };
        report.roads_for_cars += 1;
        report.maxspeed_rejected += u64::from(u.maxspeed_rejected);
        let lengths: Vec<f64> = road
            .nodes
            .windows(2)
            .map(|p| map.nodes[p[0] as usize].distance_m(&map.nodes[p[1] as usize]))
            .collect();
        // A ferry's duration is spread over its segments by length.
        let ferry_rate = u.duration_s.map(|d| {
            report.ferries += 1;
            d / lengths.iter().sum::<f64>().max(1.0)
        });
        let left = road.nodes.first().is_some_and(|&f| {
            crate::driving_side::left_hand(road.tag("driving_side"), map.nodes[f as usize])
        });
        let way_flags = (if left { LEFT_HAND } else { 0 })
            | (if road.tag("junction") == Some("roundabout") {
                ROUNDABOUT
            } else {
                0
            });
        for (pair, &len) in road.nodes.windows(2).zip(&lengths) {
            let (a, b) = (pair[0], pair[1]);
            if a == b || len == 0.0 {
                // Kept when two distinct nodes share a position (it links them).
                report.zero_length_segments += 1;
                if a == b {
                    continue;
                }
            }
            if blocked(a) || blocked(b) {
                continue;
            }
            let time = |kmh: f64| {
                let s = ferry_rate.map_or(len / (kmh / 3.6), |r| len * r);
                (s * 10.0).round().max(1.0) as u32
            };
            let dist_dm = (len * 10.0).round() as u32;
            let flags = |restricted: bool| {
                (if restricted { RESTRICTED } else { 0 })
                    | (if u.startpoint { 0 } else { NO_START })
                    | way_flags
            };
            if u.forward {
                let t = time(u.speed_kmh);
                let d = delay_ds(b, Along::Forward);
                edges.push((a, b, t, dist_dm, d, flags(u.forward_restricted), u.rates.0));
            }
            if u.backward {
                let t = time(u.backward_speed_kmh);
                let d = delay_ds(a, Along::Backward);
                edges.push((b, a, t, dist_dm, d, flags(u.backward_restricted), u.rates.1));
            }
        }
    }
    ProfileEdges { edges, report }
}
