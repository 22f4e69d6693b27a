//! Reach on a straight tertiary road (40 km/h): nodes every 1 km, so 90 s apart.

use tournee_coverage::Coverage;
use tournee_model::{LonLat, NoProgress, PlaceId, Seconds};
use tournee_osm::{RawMap, RawRoad};
use tournee_routing::{CarProfile, RoadGraph};

fn line(n: usize) -> RawMap {
    let step = 0.001 * 1000.0 / 111.195; // 1 km of latitude
    RawMap {
        nodes: (0..n)
            .map(|i| LonLat::new(-2.5, 45.0 + i as f64 * step))
            .collect(),
        node_ids: (1..=n as i64).collect(),
        roads: vec![RawRoad {
            osm_id: 1,
            nodes: (0..n as u32).collect(),
            tags: vec![("highway".into(), "tertiary".into())],
        }],
        ..RawMap::default()
    }
}

#[test]
fn places_within_the_radius_and_only_those() {
    let m = line(6);
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let nodes: Vec<_> = m.nodes.iter().map(|p| g.snap(*p).node).collect();
    // One site at node 0 and one at node 5; a place at every node; 200 s radius.
    let places: Vec<_> = nodes.iter().map(|n| Some(*n)).collect();
    let cov = Coverage::compute(
        &g,
        &[nodes[0], nodes[5]],
        &places,
        Seconds(200),
        &NoProgress,
    );
    let reached: Vec<u32> = cov.by_site[0].iter().map(|(p, _)| p.0).collect();
    assert_eq!(reached, vec![0, 1, 2]);
    let times: Vec<u32> = cov.by_site[0].iter().map(|(_, t)| t.0).collect();
    assert_eq!(times[0], 0);
    assert!(
        (89..=91).contains(&times[1]) && (179..=181).contains(&times[2]),
        "{times:?}"
    );
    let reached: Vec<u32> = cov.by_site[1].iter().map(|(p, _)| p.0).collect();
    assert_eq!(reached, vec![3, 4, 5]);
    assert_eq!(cov.reached_by([0, 1]).len(), 6);
}

#[test]
fn unusable_places_are_never_reached() {
    let m = line(3);
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let n0 = g.snap(m.nodes[0]).node;
    let cov = Coverage::compute(&g, &[n0], &[None, Some(n0)], Seconds(600), &NoProgress);
    assert_eq!(cov.by_site[0], vec![(PlaceId(1), Seconds(0))]);
}
