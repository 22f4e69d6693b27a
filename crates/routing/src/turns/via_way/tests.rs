//! Via-way restrictions on tiny hand-made maps.
use super::*;
use crate::ch::ContractionHierarchy;
use crate::graph::{NodeIdx, RoadGraph};
use crate::turns::tests::{graph, map, node, tags, turn, RES};
use crate::Phantom;
use tournee_model::LonLat;
use tournee_osm::{RawRestriction, RawRoad};

/// Two junctions 50 m apart on a north–south street: J1 (1) and J2 (2). Arms:
/// south 0 (100 m below J1), west 7 and east 4 of J1, west 3, east 5 and north 6 of
/// J2 (100 m each); the east arms are joined (4 – 5), so the west arm of J2 can be
/// reached from the south by going round. Ways (OSM id = index + 1): 1 south arm
/// 0–1, 2 the street between the junctions 1–2, 3 J2's west arm, 4 J1's east arm, 5
/// J2's east arm, 6 north arm, 7 J1's west arm, 8 the link 4–5.
fn junctions() -> RawMap {
    map(
        &[
            (0.0, -100.0),
            (0.0, 0.0),
            (0.0, 50.0),
            (-100.0, 50.0),
            (100.0, 0.0),
            (100.0, 50.0),
            (0.0, 150.0),
            (-100.0, 0.0),
        ],
        &[
            (&[0, 1], RES),
            (&[1, 2], RES),
            (&[2, 3], RES),
            (&[1, 4], RES),
            (&[2, 5], RES),
            (&[2, 6], RES),
            (&[1, 7], RES),
            (&[4, 5], RES),
        ],
    )
}

fn via_way(t: &[(&str, &str)], from: i64, via: &[i64], to: i64) -> RawRestriction {
    RawRestriction {
        osm_id: 1,
        tags: tags(t),
        from: vec![from],
        via_node: None,
        via_ways: via.to_vec(),
        to: vec![to],
    }
}

/// Drive time (ds) and length (dm) between two nodes (map indices), by Dijkstra; the
/// contraction hierarchy must agree.
fn drive(g: &RoadGraph, a: u32, b: u32) -> (u32, u32) {
    let at = |v: u32| {
        let n = NodeIdx(node(g, v as i64 + 1));
        Phantom::at_node(g, n, g.coord(n))
    };
    let (s, t) = ([at(a)], [at(b)]);
    let cell = g
        .table_dijkstra(&s, &t)
        .get_tenths(0, 0)
        .expect("reachable");
    let ch = ContractionHierarchy::build(g).table(&s, &t);
    assert_eq!(
        ch.get_tenths(0, 0),
        Some(cell),
        "CH and Dijkstra, {a} → {b}"
    );
    cell
}

#[test]
fn a_no_left_turn_via_a_way_is_obeyed() {
    let free = graph(&junctions());
    let mut m = junctions();
    // From the south arm, along the street between the junctions, not left into
    // J2's west arm.
    m.restrictions = vec![via_way(&[("restriction", "no_left_turn")], 1, &[2], 3)];
    let g = graph(&m);
    assert_eq!(g.report.turns.restrictions_via_way, 1);
    assert_eq!(g.report.turns.restrictions_unmatched, 0);
    assert_eq!(g.report.turns.states_copied, 1);
    // The turn itself stays allowed on the ordinary state: other cars use it.
    assert_eq!(turn(&g, 1, 2, 3), turn(&free, 1, 2, 3));
    // From the south: 250 m straight there before, now round the block (450 m).
    assert_eq!(drive(&free, 0, 3).1, 2500);
    let (t, d) = drive(&g, 0, 3);
    assert!(d >= 4500, "{d}");
    assert!(t > drive(&free, 0, 3).0);
    let route = g.route(NodeIdx(node(&g, 1)), NodeIdx(node(&g, 4))).unwrap();
    assert!(route.coords.len() > 4, "{route:?}");
    assert_eq!(route.distance.0 * 10, d);
    // The other turns of that path are free.
    assert_eq!(drive(&g, 0, 6), drive(&free, 0, 6));
    assert_eq!(drive(&g, 0, 5), drive(&free, 0, 5));
    // A car that enters the street from J1's west or east arm may turn left at J2.
    assert_eq!(drive(&g, 7, 3), drive(&free, 7, 3));
    assert_eq!(drive(&g, 4, 3), drive(&free, 4, 3));
    // So may one coming from the south that turns round on J2's north arm.
    let back = drive(&g, 6, 3);
    assert_eq!(back, drive(&free, 6, 3));
    // A point on the via way is reached from the south as before.
    let mid = |g: &RoadGraph| {
        let (a, b) = (g.coord(NodeIdx(node(g, 2))), g.coord(NodeIdx(node(g, 3))));
        g.snap_segment(LonLat::new(
            (a.lon + b.lon) / 2.0 + 1e-5,
            (a.lat + b.lat) / 2.0,
        ))
    };
    let (p, q) = (mid(&g), mid(&free));
    assert!(p.fraction > 0.4 && p.fraction < 0.6, "{p:?}");
    let from = |g: &RoadGraph| {
        let n = NodeIdx(node(g, 1));
        Phantom::at_node(g, n, g.coord(n))
    };
    assert_eq!(
        g.table_dijkstra(&[from(&g)], &[p]).get_tenths(0, 0),
        free.table_dijkstra(&[from(&free)], &[q]).get_tenths(0, 0)
    );
}

#[test]
fn an_only_straight_on_via_ways_is_obeyed() {
    // The street between the junctions as two ways (2 and 9, meeting at node 8).
    let split = || {
        let mut m = junctions();
        let (a, b) = (m.nodes[1], m.nodes[2]);
        m.nodes.push(LonLat::new(a.lon, (a.lat + b.lat) / 2.0));
        m.node_ids.push(9);
        m.roads[1].nodes = vec![1, 8];
        m.roads.push(RawRoad {
            osm_id: 9,
            nodes: vec![2, 8],
            tags: tags(RES).into(),
        });
        m
    };
    let free = graph(&split());
    let mut m = split();
    m.restrictions = vec![via_way(
        &[("restriction", "only_straight_on")],
        1,
        &[2, 9],
        6,
    )];
    let g = graph(&m);
    assert_eq!(g.report.turns.restrictions_unmatched, 0);
    assert_eq!(g.report.turns.states_copied, 2);
    assert_eq!(drive(&g, 0, 6), drive(&free, 0, 6));
    // West at J2: round the block, 200 m more.
    assert!(drive(&g, 0, 3).1 >= drive(&free, 0, 3).1 + 2000);
    // East at J2: by J1's east arm instead, as long but with other turns.
    assert!(drive(&g, 0, 5).0 >= drive(&free, 0, 5).0);
    // Entering the street elsewhere, every turn at J2 is allowed.
    for to in [3, 5, 6] {
        assert_eq!(drive(&g, 7, to), drive(&free, 7, to), "7 → {to}");
    }
}

#[test]
fn via_way_restrictions_a_car_does_not_obey() {
    let mut m = junctions();
    for t in [
        &[("restriction:hgv", "no_left_turn")][..],
        &[("restriction", "no_left_turn"), ("except", "motorcar")][..],
        &[(
            "restriction:conditional",
            "no_left_turn @ (Mo-Fr 07:00-09:00)",
        )][..],
    ] {
        m.restrictions = vec![via_way(t, 1, &[2], 3)];
        let g = graph(&m);
        assert_eq!(g.report.turns.states_copied, 0, "{t:?}");
        assert_eq!(turn(&g, 1, 2, 3), Some(73));
    }
    // Ways that do not connect end to end: not obeyed, counted.
    m.restrictions = vec![via_way(&[("restriction", "no_left_turn")], 1, &[6], 3)];
    let g = graph(&m);
    assert_eq!(g.report.turns.restrictions_unmatched, 1);
    assert_eq!(g.report.turns.states_copied, 0);
}

#[test]
fn paths_resolve_as_osrm_orients_them() {
    // From [a, b, c] ending where the via way [d, c] ends; the to way starts there.
    let path = via_way_path(&[1, 2, 3], &[&[4, 3]], &[4, 5, 6]);
    assert_eq!(path, Some(vec![2, 3, 4, 5]));
    // Two via ways, the second reversed.
    let path = via_way_path(&[3, 2, 1], &[&[3, 4], &[7, 4]], &[8, 7]);
    assert_eq!(path, Some(vec![2, 3, 4, 7, 8]));
    assert_eq!(via_way_path(&[1, 2], &[&[3, 4]], &[4, 5]), None);
    assert_eq!(via_way_path(&[1, 2], &[&[2, 3]], &[5, 6]), None);
}

#[test]
fn copies_share_paths_and_obey_restrictions_ending_theirs() {
    // States 0 → 1 → 2 restricted at their end (to node 9); 5 → 1 → 2 → 3 (to node 8);
    // and 1 → 2 restricted on its own (to node 7).
    let v = ViaWays::build(
        10,
        &[
            (vec![0, 1, 2], 9, false),
            (vec![0, 1, 2, 3], 8, false),
            (vec![1, 2], 7, true),
        ],
    );
    // Copies of 1 and 2 after 0 (shared by the first two), 3 after them, 2 after 1.
    assert_eq!(v.original, vec![1, 2, 3, 2]);
    assert_eq!(v.next(0, 1), 10);
    assert_eq!(v.next(10, 2), 11);
    assert_eq!(v.next(11, 3), 12);
    assert_eq!(v.next(1, 2), 13);
    // Off the paths, back to ordinary states.
    assert_eq!(v.next(11, 4), 4);
    assert_eq!(v.next(5, 1), 1);
    // The copy of 2 after 0, 1 obeys its own restriction and the one of 1 → 2.
    assert_eq!(v.rules(11), &[(7, true), (9, false)]);
    assert_eq!(v.rules(13), &[(7, true)]);
    assert_eq!(v.rules(12), &[(8, false)]);
    assert!(v.rules(10).is_empty());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Random via-way restrictions on the two junctions (most of them, ways that do
    /// not connect, are not obeyed): the contraction hierarchy agrees with Dijkstra,
    /// and no trip is faster than without restrictions.
    #[test]
    fn random_via_way_restrictions_keep_the_engines_equal(
        rules in proptest::collection::vec(
            (1i64..=8, proptest::collection::vec(1i64..=8, 1..=2), 1i64..=8, proptest::bool::ANY),
            0..6,
        ),
    ) {
        let free = graph(&junctions());
        let mut m = junctions();
        m.restrictions = rules
            .iter()
            .map(|(from, via, to, only)| {
                let kind = if *only { "only_straight_on" } else { "no_left_turn" };
                via_way(&[("restriction", kind)], *from, via, *to)
            })
            .collect();
        let g = graph(&m);
        // Both graphs keep every node (the restrictions leave a way round).
        proptest::prop_assert_eq!(g.node_count(), free.node_count());
        let table = |g: &RoadGraph| {
            let mut at: Vec<Phantom> = (0..8)
                .map(|v| {
                    let n = NodeIdx(node(g, v + 1));
                    Phantom::at_node(g, n, g.coord(n))
                })
                .collect();
            // And a point a third of the way along each road.
            for r in &junctions().roads {
                let (a, b) = (m.nodes[r.nodes[0] as usize], m.nodes[r.nodes[1] as usize]);
                let p = LonLat::new(a.lon + (b.lon - a.lon) / 3.0, a.lat + (b.lat - a.lat) / 3.0);
                at.push(g.snap_segment(p));
            }
            let dijkstra = g.table_dijkstra(&at, &at);
            let ch = ContractionHierarchy::build(g).table(&at, &at);
            (dijkstra, ch)
        };
        let (want, ch) = table(&g);
        let (before, _) = table(&free);
        for a in 0..16 {
            for b in 0..16 {
                let cell = want.get_tenths(a, b);
                proptest::prop_assert_eq!(ch.get_tenths(a, b), cell, "{} → {}", a, b);
                let (t, _) = cell.expect("reachable");
                proptest::prop_assert!(t >= before.get_tenths(a, b).expect("reachable").0);
            }
        }
    }
}
