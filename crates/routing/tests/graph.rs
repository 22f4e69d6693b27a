//! The road graph on tiny hand-drawn maps a reader can see in full.

use proptest::prelude::*;
use tournee_model::LonLat;
use tournee_osm::{RawMap, RawRoad};
use tournee_routing::{CarProfile, Direction, FootProfile, NodeIdx, RoadGraph};

type Tags<'a> = &'a [(&'a str, &'a str)];
/// A road: its node indices and its tags.
type Road<'a> = (&'a [u32], Tags<'a>);
/// An owned road, for generated maps.
type OwnedRoad<'a> = (Vec<u32>, Vec<(&'a str, &'a str)>);

/// Nodes on a grid of ~111 m steps (0.001° of latitude; longitude scaled to match at 45°).
fn map(points: &[(f64, f64)], roads: &[Road]) -> RawMap {
    let k = 0.001;
    let lon_k = k / 45f64.to_radians().cos();
    RawMap {
        nodes: points
            .iter()
            .map(|(x, y)| LonLat::new(x * lon_k, 45.0 + y * k))
            .collect(),
        node_ids: (1..=points.len() as i64).collect(),
        roads: roads
            .iter()
            .enumerate()
            .map(|(i, (nodes, tags))| RawRoad {
                osm_id: i as i64 + 1,
                nodes: nodes.to_vec(),
                tags: tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            })
            .collect(),
        ..RawMap::default()
    }
}

/// Node of the graph at the map's point `i` (graph indices are renumbered).
fn at(g: &RoadGraph, m: &RawMap, i: usize) -> NodeIdx {
    let s = g.snap(m.nodes[i]);
    assert!(s.distance.0 < 1, "point {i} is not a graph node");
    s.node
}

//   0 ---- 1
//   |      |      the top edge 0→1 is one-way (eastbound)
//   3 ---- 2      4 is an island joined to 2 only by a track
//                 5 is joined by a one-way dead end (a trap): dropped
const SQUARE: &[(f64, f64)] = &[(0., 1.), (1., 1.), (1., 0.), (0., 0.), (3., 0.), (0., -1.)];

fn square() -> RawMap {
    map(
        SQUARE,
        &[
            (&[0, 1], &[("highway", "residential"), ("oneway", "yes")]),
            (&[1, 2, 3, 0], &[("highway", "residential")]),
            (&[2, 4], &[("highway", "track")]),
            (&[3, 5], &[("highway", "residential"), ("oneway", "yes")]),
        ],
    )
}

#[test]
fn one_way_street_makes_times_asymmetric() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let (a, b) = (at(&g, &m, 0), at(&g, &m, 1));
    let ab = g
        .shortest_paths(a, Direction::Forward, None)
        .get(b)
        .unwrap();
    let ba = g
        .shortest_paths(b, Direction::Forward, None)
        .get(a)
        .unwrap();
    // 0→1 directly: ~111 m at 25 km/h ≈ 16 s; 1→0 must go round: three sides.
    assert!((100..=125).contains(&ab.1 .0), "{ab:?}");
    assert!(ba.1 .0 > 3 * 100, "{ba:?}");
    assert!(ba.0 > ab.0);
    // Backward search gives the same numbers seen from the other end.
    let back = g
        .shortest_paths(b, Direction::Backward, None)
        .get(a)
        .unwrap();
    assert_eq!(back, ab);
}

#[test]
fn tracks_and_one_way_traps_are_not_in_the_graph() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    assert_eq!(g.node_count(), 4);
    assert_eq!(g.report.roads_not_for_cars, 1);
    assert_eq!(g.report.nodes_dropped, 1, "the dead end behind a one-way");
    // The island snaps to the nearest kept node, 2, with the gap reported.
    let s = g.snap(m.nodes[4]);
    assert_eq!(s.node, at(&g, &m, 2));
    assert!((200..=250).contains(&s.distance.0), "{s:?}");
}

#[test]
fn time_limit_stops_the_search() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let sp = g.shortest_paths(
        at(&g, &m, 0),
        Direction::Forward,
        Some(tournee_model::Seconds(20)),
    );
    assert!(sp.get(at(&g, &m, 1)).is_some());
    assert!(sp.get(at(&g, &m, 2)).is_none());
}

proptest! {
    /// On a random ring of two-way roads with random chords, the matrix of a mode
    /// that turns freely (walkers) is zero on the diagonal and obeys the triangle
    /// inequality (within one second of rounding). A car's need not (nor do OSRM's):
    /// stopping in between lets it turn round where it could not U-turn.
    #[test]
    fn matrix_obeys_triangle_inequality(
        n in 4usize..12,
        chords in proptest::collection::vec((0usize..12, 0usize..12, any::<bool>()), 0..8),
        jitter in proptest::collection::vec(-0.4f64..0.4, 24),
    ) {
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                (5.0 * a.cos() + jitter[2 * i], 5.0 * a.sin() + jitter[2 * i + 1])
            })
            .collect();
        let ring: Vec<u32> = (0..=n as u32).map(|i| i % n as u32).collect();
        let mut roads: Vec<OwnedRoad> =
            vec![(ring, vec![("highway", "tertiary")])];
        for (a, b, oneway) in chords {
            let (a, b) = (a % n, b % n);
            if a != b {
                let mut tags = vec![("highway", "residential")];
                if oneway { tags.push(("oneway", "yes")); }
                roads.push((vec![a as u32, b as u32], tags));
            }
        }
        let road_refs: Vec<Road> =
            roads.iter().map(|(n, t)| (n.as_slice(), t.as_slice())).collect();
        let m = map(&pts, &road_refs);
        let g = RoadGraph::build_for(&m, &FootProfile::default()).unwrap();
        prop_assert_eq!(g.node_count(), n);
        let nodes: Vec<NodeIdx> = (0..n).map(|i| at(&g, &m, i)).collect();
        let mx = g.matrix(&nodes, &nodes, &|| {});
        for i in 0..n {
            prop_assert_eq!(mx.get(i, i).unwrap().0 .0, 0);
            for j in 0..n {
                for k in 0..n {
                    let ij = mx.get(i, j).unwrap().0 .0;
                    let jk = mx.get(j, k).unwrap().0 .0;
                    let ik = mx.get(i, k).unwrap().0 .0;
                    prop_assert!(ik <= ij + jk + 1, "{i}->{k}: {ik} > {ij} + {jk}");
                }
            }
        }
    }
}

#[test]
fn route_follows_the_one_way_street_and_matches_the_search() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let (n0, n1, n3) = (at(&g, &m, 0), at(&g, &m, 1), at(&g, &m, 3));
    // 0 → 1 takes the one-way edge directly; 1 → 0 must go round by 2 and 3.
    let there = g.route(n0, n1).unwrap();
    assert_eq!(there.coords, vec![m.nodes[0], m.nodes[1]]);
    let back = g.route(n1, n0).unwrap();
    assert_eq!(
        back.coords,
        vec![m.nodes[1], m.nodes[2], m.nodes[3], m.nodes[0]]
    );
    for (a, b, r) in [(n0, n1, &there), (n1, n0, &back)] {
        let sp = g.shortest_paths(a, Direction::Forward, None);
        assert_eq!(sp.get(b), Some((r.time, r.distance)));
    }
    assert_eq!(g.route(n3, n3).unwrap().coords, vec![m.nodes[3]]);
}

//        2          the direct road 0–1 (1.1 km, 160 s) against the detour by 2
//       /  \        (1.3 km, 186 s): a single-lane two-way road weighs double,
// 4 -- 0----1 -- 3  the yielding direction of a `priority` road 1 / 0.7 of its
//                   time. (Dead ends at 3 and 4, where a car may turn back.)
fn choice(direct: Tags) -> RawMap {
    let side: Tags = &[("highway", "unclassified")];
    map(
        &[(0., 0.), (10., 0.), (5., 3.), (15., 0.), (-5., 0.)],
        &[
            (&[0, 1], direct),
            (&[0, 2, 1], side),
            (&[1, 3], side),
            (&[4, 0], side),
        ],
    )
}

#[test]
fn routes_avoid_what_osrm_weighs_more_and_report_the_drive_time() {
    let profile = CarProfile::default();
    let trip = |m: &RawMap, from: usize, to: usize| {
        let g = RoadGraph::build(m, &profile).unwrap();
        let (a, b) = (at(&g, m, from), at(&g, m, to));
        let route = g.route(a, b).unwrap();
        // One graph, one rule: the route, the search and the hierarchy agree.
        let sp = g.shortest_paths(a, Direction::Forward, None);
        assert_eq!(sp.get(b), Some((route.time, route.distance)));
        let points = [a, b].map(|v| tournee_routing::Phantom::at_node(&g, v, g.coord(v)));
        let ch = tournee_routing::ContractionHierarchy::build(&g);
        let cell = ch.table(&points[..1], &points[1..]).get(0, 0);
        assert_eq!(cell, Some((route.time, route.distance)));
        (route.coords.len(), route.time.0, route.distance.0)
    };
    let plain = choice(&[("highway", "unclassified")]);
    let single_lane = choice(&[("highway", "unclassified"), ("lanes", "1")]);
    let priority = choice(&[("highway", "unclassified"), ("priority", "forward")]);
    let direct = trip(&plain, 0, 1);
    assert_eq!(direct.0, 2, "the plain direct road is the fastest");
    // The single-lane road takes 160 s but weighs 320: the detour (186 s) wins, and
    // its drive time is what is reported.
    let avoided = trip(&single_lane, 0, 1);
    assert_eq!(avoided.0, 3);
    assert!(
        avoided.1 > direct.1 && avoided.2 > direct.2,
        "{avoided:?} {direct:?}"
    );
    assert_eq!(trip(&single_lane, 1, 0).0, 3);
    // With priority forward, 0 → 1 keeps the direct road, 1 → 0 yields (229 s of
    // weight) and goes round.
    assert_eq!(trip(&priority, 0, 1), direct);
    assert_eq!(trip(&priority, 1, 0).0, 3);
}

#[test]
fn reach_area_grows_with_the_limit_and_holds_the_reached_nodes() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let n0 = at(&g, &m, 0);
    let small = g.reach_area(n0, tournee_model::Seconds(1), Direction::Backward);
    assert_eq!(small, vec![m.nodes[0]]);
    let all = g.reach_area(n0, tournee_model::Seconds(3600), Direction::Backward);
    // The square's four corners, closed.
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(all.first(), all.last());
    for i in 0..4 {
        assert!(all.contains(&m.nodes[i]), "corner {i} missing: {all:?}");
    }
}

/// Seconds and metres of a table cell, rounded like every other drive.
fn cell(m: &tournee_routing::Matrix, i: usize, j: usize) -> (f64, f64) {
    let (t, d) = m.get_tenths(i, j).expect("reachable");
    (t as f64 / 10.0, d as f64 / 10.0)
}

#[test]
fn points_between_nodes_snap_onto_the_segment_and_start_part_way() {
    let m = square();
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let (n0, n1, n2) = (at(&g, &m, 0), at(&g, &m, 1), at(&g, &m, 2));
    let k = 0.001;
    let lon_k = k / 45f64.to_radians().cos();
    let point = |x: f64, y: f64| tournee_model::LonLat::new(x * lon_k, 45.0 + y * k);
    // P and Q on the one-way top edge 0→1, a quarter and three quarters along,
    // ~11 m north of it; R in the middle of the two-way side 1–2.
    let inputs = [point(0.25, 1.1), point(0.75, 1.1), point(1.1, 0.5)];
    let [p, q, r] = inputs.map(|x| g.snap_segment(x));
    for (s, x) in [&p, &q, &r].into_iter().zip(inputs) {
        assert!((10.0..12.5).contains(&s.distance_m), "{s:?}");
        // Much closer than the nearest node (~30 m away at best).
        assert!(s.distance_m + 15.0 < g.snap(x).distance.0 as f64, "{s:?}");
    }
    assert!((p.point.lat - 45.001).abs() < 1e-9, "on the road: {p:?}");
    assert!((p.fraction - 0.25).abs() < 1e-6 || (p.fraction - 0.75).abs() < 1e-6);

    let nodes = |a, b| {
        let sp = g.shortest_paths(a, Direction::Forward, None);
        let (t, d) = sp.get(b).unwrap();
        (t.0 as f64, d.0 as f64)
    };
    let (t01, d01) = nodes(n0, n1);
    let (t10, d10) = nodes(n1, n0); // round the three other sides
    let (t12, d12) = nodes(n1, n2);
    let pts = [p, q, r];
    let table = g.table_dijkstra(&pts, &pts);
    let close = |got: (f64, f64), want: (f64, f64), what: &str| {
        assert!(
            (got.0 - want.0).abs() <= 1.0 && (got.1 - want.1).abs() <= 1.5,
            "{what}: got {got:?}, want {want:?}"
        );
    };
    // Along the one-way: half the edge.
    close(cell(&table, 0, 1), (t01 / 2.0, d01 / 2.0), "P→Q");
    // Against it: on to node 1, round the square to node 0, then a quarter.
    close(
        cell(&table, 1, 0),
        (t01 / 2.0 + t10, d01 / 2.0 + d10),
        "Q→P",
    );
    // Q→R: a quarter edge to node 1, then half the side.
    close(
        cell(&table, 1, 2),
        (t01 / 4.0 + t12 / 2.0, d01 / 4.0 + d12 / 2.0),
        "Q→R",
    );
    for i in 0..3 {
        assert_eq!(table.get_tenths(i, i), Some((0, 0)));
    }
}
