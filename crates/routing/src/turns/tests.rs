//! The car's turn model, one test per rule on tiny hand-made maps.
use super::*;
use crate::graph::{NodeIdx, RoadGraph};
use crate::profile::CarProfile;
use crate::Phantom;
use tournee_osm::RawRoad;

const M_PER_DEG: f64 = 111_195.0;

pub(super) fn tags(t: &[(&str, &str)]) -> Vec<(String, String)> {
    t.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A map from node positions in metres (east, north) around 45° N, and ways
/// (node indices, tags); node `i` has OSM id `i + 1`, way `k` id `k + 1`.
/// A way: its nodes and tags.
pub(super) type Way<'a> = (&'a [u32], &'a [(&'a str, &'a str)]);

pub(super) fn map(nodes: &[(f64, f64)], ways: &[Way]) -> RawMap {
    let scale = 45f64.to_radians().cos();
    RawMap {
        nodes: nodes
            .iter()
            .map(|&(x, y)| LonLat::new(x / (M_PER_DEG * scale), 45.0 + y / M_PER_DEG))
            .collect(),
        node_ids: (1..=nodes.len() as i64).collect(),
        roads: ways
            .iter()
            .enumerate()
            .map(|(k, (n, t))| RawRoad {
                osm_id: k as i64 + 1,
                nodes: n.to_vec(),
                tags: tags(t).into(),
            })
            .collect(),
        ..RawMap::default()
    }
}

pub(super) const RES: &[(&str, &str)] = &[("highway", "residential")];

/// A cross: centre 0, arms 100 m north (1), east (2), south (3), west (4), each
/// arm a two-way street of its own.
fn cross() -> RawMap {
    map(
        &[
            (0.0, 0.0),
            (0.0, 100.0),
            (100.0, 0.0),
            (0.0, -100.0),
            (-100.0, 0.0),
        ],
        &[
            (&[0, 1], RES),
            (&[0, 2], RES),
            (&[0, 3], RES),
            (&[0, 4], RES),
        ],
    )
}

pub(super) fn graph(m: &RawMap) -> RoadGraph {
    RoadGraph::build(m, &CarProfile::default()).expect("a graph")
}

pub(super) fn node(g: &RoadGraph, osm: i64) -> u32 {
    (0..g.node_count() as u32)
        .find(|&v| g.osm_id(NodeIdx(v)) == osm)
        .expect("node in graph")
}

/// The penalty (ds) of the turn from node `a` through `b` to `c` (map indices),
/// or `None` when the turn is not allowed.
pub(super) fn turn(g: &RoadGraph, a: u32, b: u32, c: u32) -> Option<u32> {
    let (a, b, c) = (
        node(g, a as i64 + 1),
        node(g, b as i64 + 1),
        node(g, c as i64 + 1),
    );
    let x = g.edge_state(a, b).expect("segment a→b");
    let y = g.edge_state(b, c).expect("segment b→c");
    g.turns
        .out(x)
        .find(|&i| g.turns.to[i] == y)
        .map(|i| u32::from(g.turns.turn_ds[i]))
}

#[test]
fn the_angle_penalty_is_osrms_sigmoid() {
    let car = CarTurns::default();
    assert!(car.angle_penalty(0.0, false) < 0.01);
    assert!((car.angle_penalty(90.0, false) - 2.105).abs() < 0.001);
    assert!((car.angle_penalty(-90.0, false) - 5.395).abs() < 0.001);
    assert!((car.angle_penalty(180.0, false) - 7.455).abs() < 0.001);
    // Where traffic keeps left, left turns are the cheap ones.
    assert!((car.angle_penalty(-90.0, true) - 2.105).abs() < 0.001);
    assert!((car.angle_penalty(90.0, true) - 5.395).abs() < 0.001);
    assert!((car.angle_penalty(180.0, true) - 7.497).abs() < 0.001);
}

#[test]
fn turns_at_a_junction_cost_by_angle_and_side() {
    let g = graph(&cross());
    // From the south arm (3) through the centre: north straight on, east to the
    // right, west to the left; truncated to deciseconds.
    assert_eq!(turn(&g, 3, 0, 1), Some(0));
    assert_eq!(turn(&g, 3, 0, 2), Some(21));
    // Left: 5.395 s of angle plus 1.925 s for crossing the oncoming traffic.
    assert_eq!(turn(&g, 3, 0, 4), Some(73));
    assert_eq!(g.report.turns.junctions, 1);
    // The same in a search: 100 m at 25 km/h twice (14.4 s each) plus the turn.
    let at = |v| Phantom::at_node(&g, NodeIdx(node(&g, v)), g.coord(NodeIdx(node(&g, v))));
    let m = g.table_dijkstra(&[at(4)], &[at(5), at(3), at(2)]);
    assert_eq!(m.get_tenths(0, 0).unwrap().0, 288 + 73);
    assert_eq!(m.get_tenths(0, 1).unwrap().0, 288 + 21);
    assert_eq!(m.get_tenths(0, 2).unwrap().0, 288);
}

#[test]
fn a_bend_where_two_roads_meet_is_free() {
    let m = map(
        &[(0.0, -100.0), (0.0, 0.0), (100.0, 0.0)],
        &[(&[0, 1], RES), (&[1, 2], RES)],
    );
    let g = graph(&m);
    assert_eq!(turn(&g, 0, 1, 2), Some(0));
    assert_eq!(g.report.turns.junctions, 0);
}

#[test]
fn u_turns_only_where_osrm_allows_them() {
    // At a dead end: allowed, 7.45 s + 20 s.
    let g = graph(&cross());
    assert_eq!(turn(&g, 0, 1, 0), Some(274));
    // Not at an ordinary junction.
    assert_eq!(turn(&g, 3, 0, 3), None);
    // Nor at a turning circle on a junction (OSRM has no such rule).
    let mut m = cross();
    m.node_tags = vec![(0, tags(&[("highway", "turning_circle")]))];
    assert_eq!(turn(&graph(&m), 3, 0, 3), None);
    // Where at most one road leads into the node: the north, east and west arms
    // are one-way away from the centre, only the south one leads in.
    let oneway: &[(&str, &str)] = &[("highway", "residential"), ("oneway", "yes")];
    let m = map(
        &[
            (0.0, 0.0),
            (0.0, 100.0),
            (100.0, 0.0),
            (0.0, -100.0),
            (-100.0, 0.0),
            (0.0, -200.0),
        ],
        &[
            (&[0, 1], oneway),
            (&[0, 2], oneway),
            (&[0, 3], RES),
            (&[0, 4], oneway),
            (&[1, 5], RES),
            (&[2, 5], RES),
            (&[4, 5], RES),
            (&[3, 5], RES),
        ],
    );
    assert_eq!(turn(&graph(&m), 3, 0, 3), Some(274));
}

#[test]
fn obstacles_are_paid_by_every_turn_through_them() {
    let with = |t: &[(&str, &str)]| {
        let mut m = cross();
        m.node_tags = vec![(0, tags(t))];
        graph(&m)
    };
    let g = with(&[("highway", "traffic_signals")]);
    assert_eq!(turn(&g, 3, 0, 1), Some(20));
    assert_eq!(turn(&g, 3, 0, 2), Some(41));
    let g = with(&[("highway", "give_way")]);
    assert_eq!(turn(&g, 3, 0, 1), Some(10));
    let g = with(&[("barrier", "gate")]);
    assert_eq!(turn(&g, 3, 0, 1), Some(600));
    // A stop on the major road is for the minor roads only (`stop=minor`): the
    // east-west road is primary.
    let mut m = cross();
    m.roads[1].tags = tags(&[("highway", "primary")]).into();
    m.roads[3].tags = tags(&[("highway", "primary")]).into();
    m.node_tags = vec![(0, tags(&[("highway", "stop"), ("stop", "minor")]))];
    let g = graph(&m);
    assert_eq!(turn(&g, 3, 0, 1), Some(20), "from the minor road");
    assert_eq!(turn(&g, 4, 0, 2), Some(0), "along the major road");
}

#[test]
fn a_stop_without_direction_is_not_paid_leaving_the_junction() {
    // A junction at 0, a street south of it with a stop sign 10 m from the
    // junction (node 5), then 100 m on.
    let m = map(
        &[
            (0.0, 0.0),
            (0.0, 100.0),
            (100.0, 0.0),
            (-100.0, 0.0),
            (0.0, -110.0),
            (0.0, -10.0),
        ],
        &[(&[1, 0], RES), (&[2, 0, 3], RES), (&[0, 5, 4], RES)],
    );
    let mut with_stop = m.clone();
    with_stop.node_tags = vec![(5, tags(&[("highway", "stop")]))];
    let g = graph(&with_stop);
    assert_eq!(turn(&g, 4, 5, 0), Some(20), "towards the junction");
    assert_eq!(turn(&g, 0, 5, 4), Some(0), "leaving it");
    // With a direction, the tag decides.
    let mut directed = m;
    directed.node_tags = vec![(5, tags(&[("highway", "stop"), ("direction", "backward")]))];
    let g = graph(&directed);
    assert_eq!(turn(&g, 0, 5, 4), Some(0));
    assert_eq!(turn(&g, 4, 5, 0), Some(20));
}

fn restriction(t: &[(&str, &str)], from: i64, via: u32, to: i64) -> RawRestriction {
    RawRestriction {
        osm_id: 1,
        tags: tags(t),
        from: vec![from],
        via_node: Some(via),
        via_ways: vec![],
        to: vec![to],
    }
}

#[test]
fn no_and_only_restrictions() {
    // Ways: 1 north arm, 2 east, 3 south, 4 west.
    let mut m = cross();
    m.restrictions = vec![restriction(&[("restriction", "no_left_turn")], 3, 0, 4)];
    let g = graph(&m);
    assert_eq!(turn(&g, 3, 0, 4), None);
    assert_eq!(turn(&g, 3, 0, 1), Some(0));
    assert_eq!(g.report.turns.restrictions, 1);
    m.restrictions = vec![restriction(&[("restriction", "only_straight_on")], 3, 0, 1)];
    let g = graph(&m);
    assert_eq!(turn(&g, 3, 0, 1), Some(0));
    assert_eq!(turn(&g, 3, 0, 2), None);
    assert_eq!(turn(&g, 3, 0, 4), None);
    assert_eq!(turn(&g, 2, 0, 4), Some(0), "other approaches are free");
    // For cars: `restriction:motorcar` counts, `restriction:hgv` does not, nor a
    // restriction with `except=motorcar`, nor `no_right_turn_on_red`.
    for (t, obeyed) in [
        (&[("restriction:motorcar", "no_right_turn")][..], true),
        (&[("restriction:hgv", "no_right_turn")][..], false),
        (
            &[("restriction", "no_right_turn"), ("except", "bus;motorcar")][..],
            false,
        ),
        (&[("restriction", "no_right_turn_on_red")][..], false),
    ] {
        m.restrictions = vec![restriction(t, 3, 0, 2)];
        assert_eq!(turn(&graph(&m), 3, 0, 2).is_none(), obeyed, "{t:?}");
    }
    // The ways must start or end at the via node.
    let mut m = map(
        &[(0.0, -100.0), (0.0, 0.0), (0.0, 100.0), (100.0, 0.0)],
        &[(&[0, 1, 2], RES), (&[1, 3], RES)],
    );
    m.restrictions = vec![restriction(&[("restriction", "no_right_turn")], 1, 1, 2)];
    let g = graph(&m);
    assert_eq!(turn(&g, 0, 1, 3), Some(21));
    assert_eq!(g.report.turns.restrictions_unmatched, 1);
}

#[test]
fn restricted_turns_change_the_route() {
    // No left turn from the south arm into the west one: the car goes round
    // the block (north arm, then 5) instead.
    let mut m = map(
        &[
            (0.0, 0.0),
            (0.0, 100.0),
            (100.0, 0.0),
            (0.0, -100.0),
            (-100.0, 0.0),
            (-100.0, 100.0),
        ],
        &[
            (&[0, 1], RES),
            (&[0, 2], RES),
            (&[0, 3], RES),
            (&[0, 4], RES),
            (&[1, 5, 4], RES),
        ],
    );
    let free = graph(&m);
    let from = NodeIdx(node(&free, 4));
    let to = NodeIdx(node(&free, 5));
    let direct = free.route(from, to).unwrap();
    assert_eq!(direct.coords.len(), 3);
    m.restrictions = vec![restriction(&[("restriction", "no_left_turn")], 3, 0, 4)];
    let g = graph(&m);
    let around = g.route(NodeIdx(node(&g, 4)), NodeIdx(node(&g, 5))).unwrap();
    assert_eq!(around.coords.len(), 5, "{around:?}");
    assert!(around.time > direct.time);
}

#[test]
fn walkers_and_bikes_turn_anywhere() {
    let g = RoadGraph::build_for(&cross(), &crate::active::FootProfile::default()).unwrap();
    assert_eq!(turn(&g, 3, 0, 3), Some(0));
    assert_eq!(turn(&g, 3, 0, 4), Some(0));
    let g = RoadGraph::build_for(&cross(), &crate::active::BikeProfile::default()).unwrap();
    assert_eq!(turn(&g, 3, 0, 3), Some(7));
}

#[test]
fn crossing_the_oncoming_traffic_costs_more_by_side() {
    let car = CarTurns::default();
    // 2 s times the sigmoid of the angle, only across the traffic.
    assert!((car.oncoming_penalty(-90.0, false) - 1.925).abs() < 0.001);
    assert!((car.oncoming_penalty(-180.0, false) - 2.0).abs() < 0.001);
    assert!((car.oncoming_penalty(-10.0, false) - 0.148).abs() < 0.001);
    assert_eq!(car.oncoming_penalty(90.0, false), 0.0);
    assert!((car.oncoming_penalty(90.0, true) - 1.925).abs() < 0.001);
    assert_eq!(car.oncoming_penalty(-90.0, true), 0.0);
    // Where the incoming road keeps left (tagged here), right turns cross.
    let mut m = cross();
    m.roads[2].tags = tags(&[("highway", "residential"), ("driving_side", "left")]).into();
    let g = graph(&m);
    assert_eq!(turn(&g, 3, 0, 2), Some(73));
    assert_eq!(turn(&g, 3, 0, 4), Some(21));
    // The side is the incoming road's: from the west arm (keeping right), a right
    // turn into the left-hand south arm is cheap.
    assert_eq!(turn(&g, 4, 0, 3), Some(21));
    // The same cross placed in Rutland keeps left everywhere.
    let mut m = cross();
    for p in &mut m.nodes {
        *p = LonLat::new(p.lon - 0.727, p.lat + 7.67);
    }
    let g = graph(&m);
    assert_eq!(turn(&g, 3, 0, 2), Some(73));
    assert_eq!(turn(&g, 3, 0, 4), Some(21));
    // A U-turn at a dead end there: 7.497 s + 20 s.
    assert_eq!(turn(&g, 0, 1, 0), Some(274));
}

#[test]
fn turning_onto_or_off_a_roundabout_crosses_nothing() {
    // The south arm (3) meets a roundabout at 0: 0 → 4 (west) → 5 → 2 (east) → 0.
    let ring: &[(&str, &str)] = &[("highway", "residential"), ("junction", "roundabout")];
    let m = map(
        &[
            (0.0, 0.0),
            (0.0, 300.0),
            (100.0, 0.0),
            (0.0, -100.0),
            (-100.0, 0.0),
            (0.0, 150.0),
        ],
        &[(&[3, 0], RES), (&[0, 4, 5, 2, 0], ring), (&[5, 1], RES)],
    );
    let g = graph(&m);
    // Left onto the roundabout: the angle penalty alone.
    assert_eq!(turn(&g, 3, 0, 4), Some(53));
    assert_eq!(turn(&g, 2, 0, 3), Some(53));
}

/// The table's drive time (ds) between two points exactly on nodes (map indices),
/// each snapped as any point is.
fn node_to_node(g: &RoadGraph, a: u32, b: u32) -> u32 {
    let p = |v: u32| g.snap_segment(g.coord(NodeIdx(node(g, v as i64 + 1))));
    let m = g.table_dijkstra(&[p(a)], &[p(b)]);
    m.get_tenths(0, 0).expect("reachable").0
}

#[test]
fn a_point_on_a_gate_lies_before_it() {
    // A gate (60 s) at 1 on the road 0 – 1 – 2, 100 m each side, and a way back
    // 2 – 3 – 4 – 0 so that the road is a through road; a dead end 3 – 5 (where
    // a car may turn round).
    let nodes = [
        (0.0, 0.0),
        (100.0, 0.0),
        (200.0, 0.0),
        (200.0, 300.0),
        (0.0, 300.0),
        (200.0, 400.0),
    ];
    let gate = |oneway: bool| {
        let road: &[(&str, &str)] = if oneway {
            &[("highway", "residential"), ("oneway", "yes")]
        } else {
            RES
        };
        let mut m = map(
            &nodes,
            &[(&[0, 1, 2], road), (&[2, 3, 4, 0], RES), (&[3, 5], RES)],
        );
        m.node_tags = vec![(1, tags(&[("barrier", "gate")]))];
        graph(&m)
    };
    // One-way, as OSRM: arriving is free, leaving pays the gate (100 m at
    // 25 km/h is 14.4 s).
    let g = gate(true);
    assert_eq!(node_to_node(&g, 0, 1), 144);
    assert_eq!(node_to_node(&g, 1, 2), 144 + 600);
    // Two-way: arriving from either side is free, leaving pays towards either.
    let g = gate(false);
    assert_eq!(node_to_node(&g, 0, 1), 144);
    assert_eq!(node_to_node(&g, 2, 1), 144);
    assert_eq!(node_to_node(&g, 1, 2), 144 + 600);
    assert_eq!(node_to_node(&g, 1, 0), 144 + 600);
    // Passing the gate costs it once, whether or not the trip stops on it.
    assert_eq!(node_to_node(&g, 0, 2), 288 + 600);
    // A graph node given as such (the planner's tables) starts without the turn,
    // as `RoadGraph::shortest_paths` does.
    let at = |v: u32| {
        let n = NodeIdx(node(&g, v as i64 + 1));
        Phantom::at_node(&g, n, g.coord(n))
    };
    let m = g.table_dijkstra(&[at(1)], &[at(2)]);
    assert_eq!(m.get_tenths(0, 0).unwrap().0, 144);
    // At a junction the point is on every road: no turn, no obstacle either way.
    let mut m = cross();
    m.node_tags = vec![(0, tags(&[("barrier", "gate")]))];
    let g = graph(&m);
    assert_eq!(node_to_node(&g, 3, 0), 144);
    assert_eq!(node_to_node(&g, 0, 1), 144);
    assert_eq!(node_to_node(&g, 3, 1), 288 + 600);
}
