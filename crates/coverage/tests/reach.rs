//! Reach on a straight tertiary road (40 km/h): nodes every 1 km, so 90 s apart.

use tournee_coverage::{Coverage, Covered};
use tournee_model::scenario::{DecayPoint, Reach};
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
            tags: [("highway", "tertiary")].into_iter().collect(),
        }],
        ..RawMap::default()
    }
}

#[test]
fn places_within_the_radius_and_only_those() {
    let m = line(6);
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let nodes: Vec<_> = m.nodes.iter().map(|p| g.snap(*p).node).collect();
    // One site at node 0 and one at node 5; a place at every node; 4 min radius.
    let places: Vec<_> = nodes.iter().map(|n| Some(*n)).collect();
    let cov = Coverage::compute(&g, &[nodes[0], nodes[5]], &places, &radius(4), &NoProgress);
    let reached: Vec<u32> = cov.by_site[0].iter().map(|c| c.place.0).collect();
    assert_eq!(reached, vec![0, 1, 2]);
    assert!(cov.by_site[0].iter().all(|c| c.share == 1.0));
    let times: Vec<u32> = cov.by_site[0].iter().map(|c| c.drive.0).collect();
    assert_eq!(times[0], 0);
    assert!(
        (89..=91).contains(&times[1]) && (179..=181).contains(&times[2]),
        "{times:?}"
    );
    let reached: Vec<u32> = cov.by_site[1].iter().map(|c| c.place.0).collect();
    assert_eq!(reached, vec![3, 4, 5]);
    assert_eq!(cov.reached_by([0, 1]).len(), 6);
}

#[test]
fn unusable_places_are_never_reached() {
    let m = line(3);
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let n0 = g.snap(m.nodes[0]).node;
    let cov = Coverage::compute(&g, &[n0], &[None, Some(n0)], &radius(10), &NoProgress);
    assert_eq!(
        cov.by_site[0],
        vec![Covered {
            place: PlaceId(1),
            drive: Seconds(0),
            share: 1.0
        }]
    );
}

fn radius(minutes: u32) -> Reach {
    Reach {
        radius_minutes: Some(minutes),
        decay: None,
        ..Reach::default()
    }
}

#[test]
fn a_decay_curve_gives_each_place_its_share_and_drops_zero_shares() {
    let m = line(6);
    let g = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    let nodes: Vec<_> = m.nodes.iter().map(|p| g.snap(*p).node).collect();
    let places: Vec<_> = nodes.iter().map(|n| Some(*n)).collect();
    // Full share up to 1 min, half at ~1.5 min (90 s), nothing from 2 min on.
    let reach = Reach {
        radius_minutes: None,
        decay: Some(vec![
            DecayPoint {
                minutes: 1,
                share: 1.0,
            },
            DecayPoint {
                minutes: 2,
                share: 0.0,
            },
        ]),
        ..Reach::default()
    };
    let cov = Coverage::compute(&g, &[nodes[0]], &places, &reach, &NoProgress);
    assert_eq!(cov.radius, Seconds(120));
    let reached: Vec<u32> = cov.by_site[0].iter().map(|c| c.place.0).collect();
    assert_eq!(reached, vec![0, 1]);
    assert_eq!(cov.by_site[0][0].share, 1.0);
    let second = cov.by_site[0][1];
    assert_eq!(second.share, reach.share(second.drive));
    assert!((0.45..0.55).contains(&second.share), "{second:?}");
    // A flat half share up to 4 min: the first three nodes, at half their value.
    let reach = Reach {
        radius_minutes: None,
        decay: Some(vec![DecayPoint {
            minutes: 4,
            share: 0.5,
        }]),
        ..Reach::default()
    };
    let cov = Coverage::compute(&g, &[nodes[0]], &places, &reach, &NoProgress);
    let shares: Vec<(u32, f64)> = cov.by_site[0]
        .iter()
        .map(|c| (c.place.0, c.share))
        .collect();
    assert_eq!(shares, vec![(0, 0.5), (1, 0.5), (2, 0.5)]);
}
