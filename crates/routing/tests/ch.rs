//! Contraction hierarchies give exactly the tables of plain Dijkstra: on random
//! strongly connected maps and on the demo territory, every time and distance.

use std::path::Path;

use proptest::prelude::*;
use tournee_model::{LonLat, NoProgress};
use tournee_osm::{RawMap, RawRoad};
use tournee_routing::{
    CarProfile, ContractionHierarchy, Direction, Matrix, NodeIdx, Phantom, RoadGraph,
};

const HIGHWAYS: [&str; 4] = ["primary", "secondary", "tertiary", "residential"];

/// A random map: a ring (two-way, or one-way when `ring_oneway`) so that the graph
/// is strongly connected, plus random chords of random road classes, some one-way,
/// some restricted (`class / 4 % 3`: 1 `access=destination`, 2 `motor_vehicle=private`
/// on a `service` way, which no point snaps onto), some weighing more than their time
/// (`class / 12`: 1 `lanes=1`, 2 `priority=backward`, routability).
fn random_map(
    pts: &[(f64, f64)],
    ring_oneway: bool,
    chords: &[(usize, usize, usize, bool)],
) -> RawMap {
    let n = pts.len();
    let k = 0.001;
    let mut roads = Vec::new();
    let mut ring_tags = vec![("highway".to_string(), "tertiary".to_string())];
    if ring_oneway {
        ring_tags.push(("oneway".into(), "yes".into()));
    }
    roads.push(RawRoad {
        osm_id: 1,
        nodes: (0..=n as u32).map(|i| i % n as u32).collect(),
        tags: ring_tags.into(),
    });
    for (i, &(a, b, class, oneway)) in chords.iter().enumerate() {
        let (a, b) = (a % n, b % n);
        if a == b {
            continue;
        }
        let mut tags = vec![("highway".to_string(), HIGHWAYS[class % 4].to_string())];
        match class / 4 % 3 {
            1 => tags.push(("access".into(), "destination".into())),
            2 => {
                tags[0].1 = "service".into();
                tags.push(("motor_vehicle".into(), "private".into()));
            }
            _ => {}
        }
        match class / 12 {
            1 => tags.push(("lanes".into(), "1".into())),
            2 => tags.push(("priority".into(), "backward".into())),
            _ => {}
        }
        if oneway {
            tags.push(("oneway".into(), "yes".into()));
        }
        roads.push(RawRoad {
            osm_id: i as i64 + 2,
            nodes: vec![a as u32, b as u32],
            tags: tags.into(),
        });
    }
    RawMap {
        nodes: pts
            .iter()
            .map(|(x, y)| LonLat::new(-2.5 + x * k * 1.41, 45.0 + y * k))
            .collect(),
        node_ids: (1..=n as i64).collect(),
        roads,
        ..RawMap::default()
    }
}

fn assert_same(ch: &Matrix, dijkstra: &Matrix) {
    assert_eq!(ch.sources(), dijkstra.sources());
    assert_eq!(ch.targets(), dijkstra.targets());
    for i in 0..ch.sources() {
        for j in 0..ch.targets() {
            assert_eq!(
                ch.get_tenths(i, j),
                dijkstra.get_tenths(i, j),
                "cell ({i}, {j})"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Node points and points part-way along roads, as sources and targets.
    #[test]
    fn ch_table_equals_dijkstra_on_random_maps(
        pts in proptest::collection::vec((0.0f64..30.0, 0.0f64..30.0), 5..40),
        ring_oneway in any::<bool>(),
        chords in proptest::collection::vec((0usize..40, 0usize..40, 0usize..36, any::<bool>()), 0..60),
        probes in proptest::collection::vec((0.0f64..30.0, 0.0f64..30.0), 1..12),
    ) {
        let map = random_map(&pts, ring_oneway, &chords);
        let g = RoadGraph::build(&map, &CarProfile::default()).unwrap();
        let ch = ContractionHierarchy::build(&g);
        let mut points: Vec<Phantom> = (0..g.node_count() as u32)
            .map(|v| Phantom::at_node(&g, NodeIdx(v), g.coord(NodeIdx(v))))
            .collect();
        points.extend(probes.iter().map(|&(x, y)| {
            g.snap_segment(LonLat::new(-2.5 + x * 0.001 * 1.41, 45.0 + y * 0.001))
        }));
        let want = g.table_dijkstra(&points, &points);
        assert_same(&ch.table(&points, &points), &want);
        // Fewer sources than targets and the reverse.
        let (few, many) = points.split_at(points.len().min(3));
        assert_same(&ch.table(few, many), &g.table_dijkstra(few, many));
        assert_same(&ch.table(many, few), &g.table_dijkstra(many, few));
        // Between nodes, the one-to-all searches (the checker's) agree once rounded.
        for i in 0..g.node_count() {
            let fwd = g.shortest_paths(NodeIdx(i as u32), Direction::Forward, None);
            let bwd = g.shortest_paths(NodeIdx(i as u32), Direction::Backward, None);
            for j in 0..g.node_count() {
                let round = |(t, d): (u32, u32)| ((t + 5) / 10, (d + 5) / 10);
                let (t, d) = fwd.get(NodeIdx(j as u32)).unwrap();
                prop_assert_eq!((t.0, d.0), round(want.get_tenths(i, j).unwrap()));
                let (t, d) = bwd.get(NodeIdx(j as u32)).unwrap();
                prop_assert_eq!((t.0, d.0), round(want.get_tenths(j, i).unwrap()));
            }
        }
    }
}

fn demo_graph() -> RoadGraph {
    let pbf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf");
    let map = tournee_osm::import(&pbf, &[], &NoProgress).unwrap();
    RoadGraph::build(&map, &CarProfile::default()).unwrap()
}

#[test]
fn ch_table_equals_dijkstra_on_the_demo_territory() {
    let g = demo_graph();
    let ch = ContractionHierarchy::build(&g);
    assert!(ch.stats.shortcuts > 0, "{:?}", ch.stats);
    let n = g.node_count() as u32;
    // 60 nodes spread over the graph and 60 points between nodes on a lattice over
    // the territory.
    let mut points: Vec<Phantom> = (0..60)
        .map(|k| NodeIdx(k * 7919 % n))
        .map(|v| Phantom::at_node(&g, v, g.coord(v)))
        .collect();
    for i in 0..6 {
        for j in 0..10 {
            let p = LonLat::new(-2.75 + 0.05 * j as f64, 44.87 + 0.05 * i as f64);
            points.push(g.snap_segment(p));
        }
    }
    let want = g.table_dijkstra(&points, &points);
    let got = ch.table(&points, &points);
    assert_same(&got, &want);
    // Between node points, the one-to-all search the checker uses agrees once
    // rounded to whole seconds and metres.
    for i in 0..60 {
        let sp = g.shortest_paths(NodeIdx(i as u32 * 7919 % n), Direction::Forward, None);
        for j in 0..60 {
            let (t, d) = got.get_tenths(i, j).unwrap();
            let (want_t, want_d) = sp.get(NodeIdx(j as u32 * 7919 % n)).unwrap();
            assert_eq!(
                ((t + 5) / 10, (d + 5) / 10),
                (want_t.0, want_d.0),
                "({i}, {j})"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A point part-way along a road behaves as if the road were split there: the
    /// same map with a node inserted at the snapped position gives the same times
    /// to and from every node (within the rounding of the two road pieces).
    #[test]
    fn a_phantom_point_drives_like_a_node_inserted_in_the_road(
        pts in proptest::collection::vec((0.0f64..30.0, 0.0f64..30.0), 5..30),
        ring_oneway in any::<bool>(),
        chords in proptest::collection::vec((0usize..30, 0usize..30, 0usize..4, any::<bool>()), 0..40),
        probe in (0.0f64..30.0, 0.0f64..30.0),
    ) {
        let map = random_map(&pts, ring_oneway, &chords);
        let g = RoadGraph::build(&map, &CarProfile::default()).unwrap();
        // Without a junction where a car can turn back (none at all, or only a
        // chord beside a ring segment, a U-turn), a two-way ring is two one-way
        // cycles (no U-turn where a road merely bends) and the graph keeps the
        // larger, whose direction the split below may change: only maps whose
        // graph keeps every road segment in every direction it is open.
        let open_ways: usize = map
            .roads
            .iter()
            .map(|road| {
                let oneway = road.tags.get("oneway") == Some("yes");
                (road.nodes.len() - 1) * if oneway { 1 } else { 2 }
            })
            .sum();
        prop_assume!(g.state_count() == open_ways);
        let at = LonLat::new(-2.5 + probe.0 * 0.001 * 1.41, 45.0 + probe.1 * 0.001);
        let p = g.snap_segment(at);
        prop_assume!(p.fraction > 0.001 && p.fraction < 0.999);
        // Raw indices of the segment's ends (node ids are 1-based indices).
        let (ra, rb) = ((g.osm_id(p.a) - 1) as u32, (g.osm_id(p.b) - 1) as u32);
        let places: Vec<(usize, usize)> = map
            .roads
            .iter()
            .enumerate()
            .flat_map(|(r, road)| {
                road.nodes
                    .windows(2)
                    .enumerate()
                    .filter(|(_, w)| (w[0], w[1]) == (ra, rb) || (w[0], w[1]) == (rb, ra))
                    .map(move |(k, _)| (r, k))
            })
            .collect();
        // Only when one road holds the segment (no parallel road to split too).
        prop_assume!(places.len() == 1);
        let (r, k) = places[0];
        let mut split = map.clone();
        let new = split.nodes.len() as u32;
        split.nodes.push(p.point);
        split.node_ids.push(new as i64 + 1);
        split.roads[r].nodes.insert(k + 1, new);
        let g2 = RoadGraph::build(&split, &CarProfile::default()).unwrap();
        prop_assert_eq!(g2.node_count(), g.node_count() + 1);
        let in_g2 = |osm: i64| {
            (0..g2.node_count() as u32)
                .map(NodeIdx)
                .find(|&v| g2.osm_id(v) == osm)
                .unwrap()
        };
        let nodes: Vec<NodeIdx> = (0..g.node_count() as u32).map(NodeIdx).collect();
        let at_nodes: Vec<Phantom> =
            nodes.iter().map(|&v| Phantom::at_node(&g, v, g.coord(v))).collect();
        let nodes2: Vec<Phantom> = nodes
            .iter()
            .map(|&v| in_g2(g.osm_id(v)))
            .map(|v| Phantom::at_node(&g2, v, g2.coord(v)))
            .collect();
        let inserted = in_g2(new as i64 + 1);
        let inserted = [Phantom::at_node(&g2, inserted, g2.coord(inserted))];
        let ch = ContractionHierarchy::build(&g);
        let from_p = ch.table(std::slice::from_ref(&p), &at_nodes);
        let to_p = ch.table(&at_nodes, &[p]);
        let from_new = g2.table_dijkstra(&inserted, &nodes2);
        let to_new = g2.table_dijkstra(&nodes2, &inserted);
        for j in 0..nodes.len() {
            for (a, b) in [
                (from_p.get_tenths(0, j), from_new.get_tenths(0, j)),
                (to_p.get_tenths(j, 0), to_new.get_tenths(j, 0)),
            ] {
                let (ta, tb) = (a.unwrap().0, b.unwrap().0);
                // Each road piece is rounded to a decisecond (at least one); turns
                // are the same (the inserted node is a bend, free).
                prop_assert!(
                    ta.abs_diff(tb) <= 3,
                    "node {}: {} ds vs {} ds",
                    j,
                    ta,
                    tb
                );
            }
        }
    }
}

/// On a one-way ring (a single closed chain of states) and on a two-way road with
/// bends (chains between its junctions), a trip from a point to one behind it goes
/// round, and one to a point ahead drives straight on: the hierarchy, whose nodes
/// are chains, agrees with Dijkstra over the states.
#[test]
fn trips_within_one_chain_go_straight_on_or_round() {
    let pts: Vec<(f64, f64)> = (0..24)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / 24.0;
            (15.0 + 10.0 * a.cos(), 15.0 + 10.0 * a.sin())
        })
        .collect();
    for (oneway, chords) in [(true, vec![]), (false, vec![(0, 12, 3, false)])] {
        let map = random_map(&pts, oneway, &chords);
        let g = RoadGraph::build(&map, &CarProfile::default()).unwrap();
        let ch = ContractionHierarchy::build(&g);
        assert!(ch.stats.nodes * 4 < ch.stats.states, "{:?}", ch.stats);
        let mut points: Vec<Phantom> = (0..g.node_count() as u32)
            .map(|v| Phantom::at_node(&g, NodeIdx(v), g.coord(NodeIdx(v))))
            .collect();
        points.extend(pts.iter().step_by(5).map(|&(x, y)| {
            g.snap_segment(LonLat::new(
                -2.5 + (x + 0.3) * 0.001 * 1.41,
                45.0 + (y + 0.2) * 0.001,
            ))
        }));
        assert_same(
            &ch.table(&points, &points),
            &g.table_dijkstra(&points, &points),
        );
    }
}
