//! Restricted access (`access=destination`, `private`…) on a small hand-drawn map: a
//! trip may start or end on a restricted street, never cross one when another way
//! exists, and every search agrees on it.

use tournee_model::LonLat;
use tournee_osm::{RawMap, RawRoad};
use tournee_routing::{
    CarProfile, ContractionHierarchy, Direction, Matrix, NodeIdx, Phantom, RoadGraph,
};

type Tags<'a> = &'a [(&'a str, &'a str)];

/// Grid step, in degrees of latitude (≈ 111 m).
const K: f64 = 0.001;

fn lonlat(x: f64, y: f64) -> LonLat {
    LonLat::new(x * K / 45f64.to_radians().cos(), 45.0 + y * K)
}

fn map(points: &[(f64, f64)], roads: &[(&[u32], Tags)]) -> RawMap {
    RawMap {
        nodes: points.iter().map(|&(x, y)| lonlat(x, y)).collect(),
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

const RES: Tags = &[("highway", "residential")];
const DEST: Tags = &[("highway", "residential"), ("access", "destination")];
const PRIVATE_SERVICE: Tags = &[("highway", "service"), ("access", "private")];

//   3 -------- 4          5 → 0 … 2 → 6: the straight way crosses the
//   |          |          destination-only street 0 – 1 – 2; the detour
//   5 - 0 == 1 == 2 - 6   0 → 3 → 4 → 2 is twice as long.
//                 |
//                 7       2 – 7: a private service spur.
const POINTS: &[(f64, f64)] = &[
    (0., 0.),
    (1., 0.),
    (2., 0.),
    (0., 2.),
    (2., 2.),
    (-1., 0.),
    (3., 0.),
    (2., -1.),
];

fn town() -> RawMap {
    map(
        POINTS,
        &[
            (&[0, 1, 2], DEST),
            (&[0, 3, 4, 2], RES),
            (&[5, 0], RES),
            (&[2, 6], RES),
            (&[2, 7], PRIVATE_SERVICE),
        ],
    )
}

fn graph() -> RoadGraph {
    RoadGraph::build(&town(), &CarProfile::default()).expect("a graph")
}

/// The graph node at the map's point `i`.
fn node(g: &RoadGraph, i: usize) -> NodeIdx {
    (0..g.node_count() as u32)
        .map(NodeIdx)
        .find(|&v| g.osm_id(v) == i as i64 + 1)
        .expect("point in the graph")
}

fn at(g: &RoadGraph, i: usize) -> Phantom {
    let v = node(g, i);
    Phantom::at_node(g, v, g.coord(v))
}

/// Metres between two points of the map, along the grid.
fn metres(units: f64) -> u32 {
    (units * lonlat(0., 0.).distance_m(&lonlat(0., 1.))).round() as u32
}

#[test]
fn restricted_ways_stay_in_the_graph() {
    let g = graph();
    assert_eq!(g.node_count(), POINTS.len());
    assert_eq!(g.report.roads_for_cars, 5);
}

#[test]
fn a_trip_goes_round_a_restricted_street_rather_than_through_it() {
    let g = graph();
    let sp = g.shortest_paths(node(&g, 5), Direction::Forward, None);
    let (_, d) = sp.get(node(&g, 6)).unwrap();
    // 5 → 0 → 3 → 4 → 2 → 6: 8 steps, not the 4 of the straight way.
    assert_eq!(d.0, metres(8.0));
    let route = g.route(node(&g, 5), node(&g, 6)).unwrap();
    assert!(route.coords.contains(&g.coord(node(&g, 3))));
    assert_eq!(route.distance, d);
    // The same backwards.
    let back = g.shortest_paths(node(&g, 6), Direction::Backward, None);
    assert_eq!(back.get(node(&g, 5)).unwrap().1 .0, metres(8.0));
}

#[test]
fn a_trip_may_end_or_start_on_a_restricted_street() {
    let g = graph();
    // Node 1 lies inside the restricted street: reached by its shortest way in,
    // 5 → 0 → 1, and left by its shortest way out, 1 → 2 → 6.
    let from5 = g.shortest_paths(node(&g, 5), Direction::Forward, None);
    assert_eq!(from5.get(node(&g, 1)).unwrap().1 .0, metres(2.0));
    let from1 = g.shortest_paths(node(&g, 1), Direction::Forward, None);
    assert_eq!(from1.get(node(&g, 6)).unwrap().1 .0, metres(2.0));
    // A point beside the street snaps onto it, and trips to and from it take the
    // street from the nearer end.
    let p = g.snap_segment(lonlat(0.5, 0.05));
    assert!(p.distance_m < 10.0, "{p:?}");
    let m = g.table_dijkstra(&[at(&g, 5), p.clone()], &[p, at(&g, 6)]);
    assert_eq!(m.get(0, 0).unwrap().1 .0, metres(1.5));
    assert_eq!(m.get(1, 1).unwrap().1 .0, metres(2.5));
}

#[test]
fn a_trip_between_two_points_of_one_restricted_street_stays_on_it() {
    let g = graph();
    let p = g.snap_segment(lonlat(0.5, 0.05));
    let q = g.snap_segment(lonlat(1.5, 0.05));
    let m = g.table_dijkstra(&[p.clone(), q.clone()], &[q, p]);
    assert_eq!(m.get(0, 0).unwrap().1 .0, metres(1.0));
    assert_eq!(m.get(1, 1).unwrap().1 .0, metres(1.0));
}

#[test]
fn no_point_snaps_onto_a_private_service_way() {
    let g = graph();
    // Beside the spur's end: the nearest node of a start-point way is 2, and the
    // nearest segment the destination street or the road east.
    let beside = lonlat(2.05, -0.9);
    assert_eq!(g.snap(beside).node, node(&g, 2));
    let p = g.snap_segment(beside);
    assert!(p.distance_m > 80.0, "{p:?}");
    // The spur is still driven: its end is reached from 6.
    let sp = g.shortest_paths(node(&g, 6), Direction::Forward, None);
    assert_eq!(sp.get(node(&g, 7)).unwrap().1 .0, metres(2.0));
}

fn assert_same(a: &Matrix, b: &Matrix) {
    for i in 0..a.sources() {
        for j in 0..a.targets() {
            assert_eq!(a.get_tenths(i, j), b.get_tenths(i, j), "cell ({i}, {j})");
        }
    }
}

#[test]
fn every_search_agrees_with_restricted_streets() {
    let g = graph();
    let ch = ContractionHierarchy::build(&g);
    let mut points: Vec<Phantom> = (0..POINTS.len()).map(|i| at(&g, i)).collect();
    for (x, y) in [
        (0.5, 0.05),
        (1.5, -0.05),
        (2.1, -0.5),
        (1.0, 2.1),
        (-0.5, 0.1),
    ] {
        points.push(g.snap_segment(lonlat(x, y)));
    }
    let want = g.table_dijkstra(&points, &points);
    assert_same(&ch.table(&points, &points), &want);
    // Between nodes, the one-to-all searches (the checker's) and the route give the
    // same, rounded to seconds and metres.
    for i in 0..POINTS.len() {
        let fwd = g.shortest_paths(node(&g, i), Direction::Forward, None);
        for j in 0..POINTS.len() {
            let (t, d) = want.get_tenths(i, j).unwrap();
            let cell = ((t + 5) / 10, (d + 5) / 10);
            let (ft, fd) = fwd.get(node(&g, j)).unwrap();
            assert_eq!((ft.0, fd.0), cell, "forward ({i}, {j})");
            let bwd = g.shortest_paths(node(&g, j), Direction::Backward, None);
            let (bt, bd) = bwd.get(node(&g, i)).unwrap();
            assert_eq!((bt.0, bd.0), cell, "backward ({i}, {j})");
            let r = g.route(node(&g, i), node(&g, j)).unwrap();
            assert_eq!((r.time.0, r.distance.0), cell, "route ({i}, {j})");
        }
    }
}

#[test]
fn a_time_limit_keeps_what_it_reaches_within_it() {
    let g = graph();
    let one_step = {
        let sp = g.shortest_paths(node(&g, 5), Direction::Forward, None);
        sp.get(node(&g, 0)).unwrap().0 .0
    };
    let detour = g.shortest_paths(node(&g, 5), Direction::Forward, None);
    let (detour_t, detour_d) = detour.get(node(&g, 6)).unwrap();
    // A limit above the detour gives the unbounded answer.
    let wide = g.shortest_paths(node(&g, 5), Direction::Forward, Some(detour_t));
    assert_eq!(wide.get(node(&g, 6)), Some((detour_t, detour_d)));
    // A limit below the detour but above the straight way: the detour is cut, and the
    // straight way through the destination-only street is what the search reaches
    // (the documented behaviour of a bounded search, see `shortest_paths`).
    let straight = tournee_model::Seconds(4 * one_step + 5);
    assert!(straight < detour_t);
    let narrow = g.shortest_paths(node(&g, 5), Direction::Forward, Some(straight));
    let (t, d) = narrow.get(node(&g, 6)).expect("reached through the street");
    assert!(t <= straight && d.0 == metres(4.0), "{t:?} {d:?}");
}

#[test]
fn hundreds_of_restricted_streets_in_a_row_do_not_overflow_the_costs() {
    // 600 short ways in a line, every other one destination-only: a trip from one end
    // to the other would enter 300 restricted streets, more than the packing counts.
    let points: Vec<(f64, f64)> = (0..=600).map(|i| (i as f64 * 0.1, 0.0)).collect();
    let ways: Vec<Vec<u32>> = (0..600u32).map(|i| vec![i, i + 1]).collect();
    let roads: Vec<(&[u32], Tags)> = ways
        .iter()
        .enumerate()
        .map(|(i, w)| (&w[..], if i % 2 == 0 { RES } else { DEST }))
        .collect();
    let g = RoadGraph::build(&map(&points, &roads), &CarProfile::default()).unwrap();
    let near = g.snap(lonlat(0.0, 0.0)).node;
    let sp = g.shortest_paths(near, Direction::Forward, None);
    // Near nodes are reached; beyond 255 entries the far end counts as unreachable.
    let second = g.snap(lonlat(0.3, 0.0)).node;
    assert!(sp.get(second).is_some());
    let far = g.snap(lonlat(60.0, 0.0)).node;
    assert_eq!(sp.get(far), None);
    // The hierarchy agrees with plain Dijkstra.
    let ch = ContractionHierarchy::build(&g);
    let pts: Vec<Phantom> = [0.0, 0.3, 30.0, 60.0]
        .iter()
        .map(|&x| g.snap_segment(lonlat(x, 0.01)))
        .collect();
    assert_same(&ch.table(&pts, &pts), &g.table_dijkstra(&pts, &pts));
}
