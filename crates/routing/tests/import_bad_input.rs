//! Bad input through the whole road stage (PBF → import → car graph): ways pointing
//! to missing nodes, zero-length ways, absurd `maxspeed` values are skipped or ignored
//! and counted, never a panic; node tags and ferries reach the profile.

use tournee_model::{NoProgress, SiteKind};
use tournee_osm::write::{tags, write_pbf_file, Node, OsmData, Way};
use tournee_routing::{CarProfile, Direction, RoadGraph};

fn node(id: i64, lat: f64, t: &[(&str, &str)]) -> Node {
    Node {
        id,
        lon: 1.0,
        lat,
        tags: tags(t),
    }
}

fn way(id: i64, nodes: &[i64], t: &[(&str, &str)]) -> Way {
    Way {
        id,
        nodes: nodes.to_vec(),
        tags: tags(t),
    }
}

fn import(data: &OsmData, name: &str) -> tournee_osm::RawMap {
    let path = std::env::temp_dir().join(format!("tournee-{name}-{}.osm.pbf", std::process::id()));
    write_pbf_file(&path, data, "test").unwrap();
    let map = tournee_osm::import(&path, &SiteKind::ALL, &NoProgress);
    std::fs::remove_file(&path).ok();
    map.unwrap()
}

/// Nodes 1..=6 along a meridian, ~111 m apart.
fn line() -> Vec<Node> {
    (1..=6)
        .map(|i| node(i, 45.0 + i as f64 * 0.001, &[]))
        .collect()
}

#[test]
fn missing_nodes_zero_length_ways_and_absurd_maxspeed_are_counted() {
    let mut nodes = line();
    // Node 7 sits exactly on node 6.
    nodes.push(node(7, 45.006, &[]));
    let data = OsmData {
        nodes,
        ways: vec![
            // 1-2-(99 missing)-3-4: split at the gap into 1-2 and 3-4.
            way(10, &[1, 2, 99, 3, 4], &[("highway", "residential")]),
            // Links 2-3 and 4-5 so that the network is one piece.
            way(11, &[2, 3], &[("highway", "residential")]),
            way(
                12,
                &[4, 5, 6],
                &[("highway", "primary"), ("maxspeed", "5000")],
            ),
            // Only one known node: dropped.
            way(13, &[98, 5, 97], &[("highway", "residential")]),
            // Zero length: a node repeated, and two nodes at one position.
            way(14, &[6, 6], &[("highway", "residential")]),
            way(15, &[6, 7], &[("highway", "residential")]),
        ],
    };
    let map = import(&data, "bad");
    assert_eq!(map.report.roads_with_missing_nodes, 2);
    assert_eq!(map.report.missing_node_refs, 3);
    assert_eq!(map.report.roads_dropped, 1);
    // Way 10 became two roads, neither crossing the gap.
    let pieces: Vec<&Vec<u32>> = map
        .roads
        .iter()
        .filter(|r| r.osm_id == 10)
        .map(|r| &r.nodes)
        .collect();
    assert_eq!(pieces.len(), 2);
    assert!(pieces.iter().all(|p| p.len() == 2));

    let g = RoadGraph::build(&map, &CarProfile::default()).expect("a graph");
    assert_eq!(g.report.profile.maxspeed_rejected, 1);
    assert_eq!(g.report.profile.zero_length_segments, 2);
    assert_eq!(g.node_count(), 7);
    // The absurd limit is ignored: 4 → 6 (~222 m) at the primary class speed, 65 km/h.
    let at = |lat: f64| g.snap(tournee_model::LonLat::new(1.0, lat)).node;
    let sp = g.shortest_paths(at(45.004), Direction::Forward, None);
    let (t, _) = sp.get(at(45.006)).unwrap();
    assert!((12..=13).contains(&t.0), "{t:?}");
}

#[test]
fn barriers_signals_and_ferries_reach_the_graph() {
    let mut nodes = line();
    nodes[1].tags = tags(&[("barrier", "gate")]);
    nodes[3].tags = tags(&[("highway", "traffic_signals")]);
    // A bollard on a shortcut 1-6, and a tagged node off the roads (not kept).
    nodes.push(node(8, 45.0035, &[("barrier", "bollard")]));
    nodes.push(node(9, 46.0, &[("barrier", "bollard")]));
    let data = OsmData {
        nodes,
        ways: vec![
            way(10, &[1, 2, 3, 4, 5], &[("highway", "residential")]),
            way(11, &[1, 8, 6], &[("highway", "residential")]),
            way(12, &[5, 6], &[("route", "ferry"), ("duration", "00:10")]),
        ],
    };
    let map = import(&data, "nodes");
    let tagged: Vec<i64> = map
        .node_tags
        .iter()
        .map(|(i, _)| map.node_ids[*i as usize])
        .collect();
    assert_eq!(tagged, vec![2, 4, 8]);
    assert!(map.roads.iter().any(|r| r.tag("route") == Some("ferry")));

    let g = RoadGraph::build(&map, &CarProfile::default()).expect("a graph");
    assert_eq!(g.report.profile.blocked_nodes, 1);
    assert_eq!(g.report.profile.delay_nodes, 2);
    assert_eq!(g.report.profile.ferries, 1);
    let at = |lat: f64| g.snap(tournee_model::LonLat::new(1.0, lat)).node;
    // 1 → 5: four segments of ~111 m at 25 km/h (64 s), a 60 s gate, a 2 s signal.
    let sp = g.shortest_paths(at(45.001), Direction::Forward, None);
    let (t, _) = sp.get(at(45.005)).unwrap();
    assert!((125..=127).contains(&t.0), "{t:?}");
    // 1 → 6: not through the bollard; by the street, then the 10-minute ferry.
    let (t, _) = sp.get(at(45.006)).unwrap();
    assert!((725..=727).contains(&t.0), "{t:?}");
}

/// `CarWays` keeps out of the import only ways the car profile drops whatever their
/// other tags: a footway or a track without an access tag, not a footway that says
/// motor vehicles may use it, nor a ferry; the graph built from the filtered import
/// is the graph of the whole one.
#[test]
fn car_ways_leave_out_only_what_a_car_never_uses() {
    let data = OsmData {
        nodes: line(),
        ways: vec![
            way(20, &[1, 2, 3], &[("highway", "residential")]),
            way(
                21,
                &[3, 4],
                &[("highway", "footway"), ("motor_vehicle", "yes")],
            ),
            way(22, &[4, 5], &[("route", "ferry")]),
            way(23, &[5, 6], &[("highway", "footway")]),
            way(24, &[2, 6], &[("highway", "track")]),
            way(
                25,
                &[6, 1],
                &[("highway", "cycleway"), ("access:forward", "yes")],
            ),
        ],
    };
    let path = std::env::temp_dir().join(format!("tournee-carways-{}.osm.pbf", std::process::id()));
    write_pbf_file(&path, &data, "test").unwrap();
    let car = CarProfile::default();
    let ways = tournee_routing::CarWays::new(&car);
    let filtered = tournee_osm::import_roads_filtered(&path, &NoProgress, &|t| ways.may_use(t));
    let all = tournee_osm::import_roads(&path, &NoProgress);
    std::fs::remove_file(&path).ok();
    let (filtered, all) = (filtered.unwrap(), all.unwrap());
    let kept: Vec<i64> = filtered.roads.iter().map(|r| r.osm_id).collect();
    assert_eq!(kept, vec![20, 21, 22, 25]);
    assert_eq!(all.roads.len(), 6);
    let (a, b) = (
        RoadGraph::build(&filtered, &car).unwrap(),
        RoadGraph::build(&all, &car).unwrap(),
    );
    assert_eq!(a.report.nodes, b.report.nodes);
    assert_eq!(a.report.edges, b.report.edges);
    assert_eq!(a.total_km(), b.total_km());
}
