//! The car profile's rules, one test per rule on hand-made ways and nodes.
use super::*;
use tournee_model::LonLat;

use super::test_road as road;

fn usage(tags: &[(&str, &str)]) -> Option<RoadUse> {
    CarProfile::default().road_use(&road(tags))
}

fn dirs(tags: &[(&str, &str)]) -> Option<(bool, bool)> {
    usage(tags).map(|u| (u.forward, u.backward))
}

fn node(tags: &[(&str, &str)]) -> Option<NodeRule> {
    let tags: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    CarProfile::default().node_rule(&tags)
}

#[test]
fn class_speeds_and_classes_not_for_cars() {
    assert_eq!(usage(&[("highway", "primary")]).unwrap().speed_kmh, 65.0);
    assert_eq!(usage(&[("highway", "service")]).unwrap().speed_kmh, 15.0);
    assert!(usage(&[("highway", "footway")]).is_none());
    assert!(usage(&[("highway", "track")]).is_none());
    // Another class opened to cars by its access tag runs at the default speed.
    let u = usage(&[("highway", "track"), ("motor_vehicle", "yes")]).unwrap();
    assert_eq!((u.speed_kmh, u.forward, u.backward), (10.0, true, true));
    assert!(usage(&[("highway", "track"), ("motor_vehicle", "no")]).is_none());
}

#[test]
fn access_precedence_and_values() {
    assert!(usage(&[("highway", "residential"), ("access", "no")]).is_none());
    assert!(usage(&[("highway", "residential"), ("access", "agricultural")]).is_none());
    assert!(usage(&[("highway", "primary"), ("motor_vehicle", "psv")]).is_none());
    assert!(usage(&[("highway", "residential"), ("access", "permissive")]).is_some());
    // The most specific tag wins, whichever way.
    assert!(usage(&[
        ("highway", "residential"),
        ("access", "no"),
        ("motorcar", "yes")
    ])
    .is_some());
    assert!(usage(&[
        ("highway", "residential"),
        ("motor_vehicle", "no"),
        ("access", "yes")
    ])
    .is_none());
    assert!(usage(&[
        ("highway", "residential"),
        ("vehicle", "no"),
        ("motor_vehicle", "yes")
    ])
    .is_some());
    // In a list, the most permissive value counts.
    assert!(usage(&[("highway", "residential"), ("access", "no;yes")]).is_some());
    // Directional access closes one direction only.
    assert_eq!(
        dirs(&[("highway", "residential"), ("motor_vehicle:backward", "no")]),
        Some((true, false))
    );
}

#[test]
fn oneway_forms() {
    let d = |tags: &[(&str, &str)]| dirs(tags).unwrap();
    assert_eq!(
        d(&[("highway", "residential"), ("oneway", "yes")]),
        (true, false)
    );
    assert_eq!(
        d(&[("highway", "residential"), ("oneway", "1")]),
        (true, false)
    );
    assert_eq!(
        d(&[("highway", "residential"), ("oneway", "-1")]),
        (false, true)
    );
    assert_eq!(
        d(&[("highway", "residential"), ("oneway", "no")]),
        (true, true)
    );
    assert_eq!(
        d(&[("highway", "primary"), ("junction", "roundabout")]),
        (true, false)
    );
    assert_eq!(
        d(&[("highway", "primary"), ("junction", "circular")]),
        (true, false)
    );
    assert_eq!(d(&[("highway", "motorway")]), (true, false));
    assert_eq!(
        d(&[("highway", "motorway"), ("oneway", "no")]),
        (true, true)
    );
    // A vehicle-specific oneway tag comes first.
    assert_eq!(
        d(&[
            ("highway", "residential"),
            ("oneway", "yes"),
            ("oneway:motor_vehicle", "no")
        ]),
        (true, true)
    );
    assert!(dirs(&[("highway", "residential"), ("oneway", "reversible")]).is_none());
}

#[test]
fn maxspeed_replaces_the_class_speed_at_four_fifths() {
    let speed = |tags: &[(&str, &str)]| usage(tags).unwrap().speed_kmh;
    assert_eq!(speed(&[("highway", "primary"), ("maxspeed", "50")]), 40.0);
    // Higher than the class speed, too.
    assert_eq!(
        speed(&[("highway", "residential"), ("maxspeed", "50")]),
        40.0
    );
    assert_eq!(
        speed(&[("highway", "residential"), ("maxspeed", "FR:urban")]),
        40.0
    );
    assert_eq!(
        speed(&[("highway", "secondary"), ("maxspeed", "FR:rural")]),
        64.0
    );
    assert_eq!(
        speed(&[("highway", "motorway"), ("maxspeed", "FR:motorway")]),
        104.0
    );
    // source:maxspeed counts when maxspeed is absent; advisory comes first.
    assert_eq!(
        speed(&[("highway", "residential"), ("source:maxspeed", "FR:urban")]),
        40.0
    );
    assert_eq!(
        speed(&[
            ("highway", "primary"),
            ("maxspeed", "90"),
            ("maxspeed:advisory", "70")
        ]),
        56.0
    );
    let u = usage(&[
        ("highway", "primary"),
        ("maxspeed:forward", "70"),
        ("maxspeed:backward", "50"),
    ])
    .unwrap();
    assert_eq!((u.speed_kmh, u.backward_speed_kmh), (56.0, 40.0));
    assert_eq!(parse_maxspeed("30 mph").map(|v| v.round()), Some(48.0));
    assert_eq!(parse_maxspeed("50 km/h"), Some(50.0));
    assert_eq!(parse_maxspeed("DE:rural"), Some(100.0));
    assert_eq!(parse_maxspeed("XX:urban"), Some(50.0));
    assert_eq!(parse_maxspeed("signals"), None);
}

#[test]
fn absurd_maxspeed_is_ignored_and_flagged() {
    let u = usage(&[("highway", "primary"), ("maxspeed", "5000")]).unwrap();
    assert_eq!(u.speed_kmh, 65.0);
    assert!(u.maxspeed_rejected);
    let u = usage(&[("highway", "primary"), ("maxspeed", "1")]).unwrap();
    assert_eq!(u.speed_kmh, 65.0);
    assert!(u.maxspeed_rejected);
    assert!(
        !usage(&[("highway", "primary"), ("maxspeed", "50")])
            .unwrap()
            .maxspeed_rejected
    );
}

#[test]
fn surfaces_cap_the_speed() {
    let speed = |tags: &[(&str, &str)]| usage(tags).unwrap().speed_kmh;
    assert_eq!(
        speed(&[("highway", "primary"), ("surface", "gravel")]),
        40.0
    );
    assert_eq!(
        speed(&[("highway", "residential"), ("surface", "gravel")]),
        25.0
    );
    assert_eq!(
        speed(&[("highway", "primary"), ("surface", "asphalt")]),
        65.0
    );
    assert_eq!(
        speed(&[
            ("highway", "unclassified"),
            ("motor_vehicle", "yes"),
            ("tracktype", "grade5")
        ]),
        20.0
    );
    assert_eq!(
        speed(&[("highway", "primary"), ("smoothness", "bad")]),
        40.0
    );
}

#[test]
fn blocked_ways() {
    assert!(usage(&[("highway", "residential"), ("area", "yes")]).is_none());
    assert!(usage(&[("highway", "construction")]).is_none());
    assert!(usage(&[("highway", "primary"), ("construction", "yes")]).is_none());
    assert!(usage(&[("highway", "primary"), ("construction", "minor")]).is_some());
    assert!(usage(&[("highway", "primary"), ("impassable", "yes")]).is_none());
    assert!(usage(&[("highway", "service"), ("service", "emergency_access")]).is_none());
    assert!(usage(&[("highway", "service"), ("service", "parking_aisle")]).is_some());
    assert!(usage(&[("highway", "primary"), ("maxheight", "1.8")]).is_none());
    assert!(usage(&[("highway", "primary"), ("maxheight", "3.5")]).is_some());
    assert!(usage(&[("highway", "primary"), ("maxwidth", "1.8")]).is_none());
    assert!(usage(&[("highway", "primary"), ("maxweight", "1.5")]).is_none());
    assert!(usage(&[("highway", "primary"), ("maxweight", "3.5")]).is_some());
}

#[test]
fn ferries() {
    let u = usage(&[("route", "ferry")]).unwrap();
    assert_eq!((u.speed_kmh, u.duration_s), (5.0, None));
    let u = usage(&[("route", "ferry"), ("duration", "00:20")]).unwrap();
    assert_eq!(u.duration_s, Some(1200.0));
    assert!(usage(&[("route", "ferry"), ("motorcar", "no")]).is_none());
    assert_eq!(parse_duration("PT1H30M"), Some(5400.0));
    assert_eq!(parse_duration("1:02:03"), Some(3723.0));
    assert_eq!(parse_duration("45"), Some(2700.0));
    assert_eq!(parse_duration("soon"), None);
    // Over a 2-segment way, the crossing time is split by length.
    let map = RawMap {
        nodes: vec![
            LonLat::new(0.0, 45.0),
            LonLat::new(0.0, 45.01),
            LonLat::new(0.0, 45.03),
        ],
        node_ids: vec![1, 2, 3],
        roads: vec![RawRoad {
            osm_id: 1,
            nodes: vec![0, 1, 2],
            tags: [("duration", "00:30"), ("route", "ferry")]
                .into_iter()
                .collect(),
        }],
        ..RawMap::default()
    };
    let e = CarProfile::default().edges(&map);
    let forward: Vec<u32> = e.edges.iter().filter(|x| x.0 < x.1).map(|x| x.2).collect();
    assert_eq!(forward, vec![6000, 12000]);
    assert_eq!(e.report.ferries, 1);
}

#[test]
fn barriers_gates_and_signals() {
    assert_eq!(node(&[("barrier", "bollard")]), Some(NodeRule::Blocked));
    assert_eq!(node(&[("barrier", "block")]), Some(NodeRule::Blocked));
    assert_eq!(node(&[("barrier", "cattle_grid")]), None);
    assert_eq!(node(&[("barrier", "bollard"), ("bollard", "rising")]), None);
    assert_eq!(node(&[("barrier", "kerb"), ("kerb", "lowered")]), None);
    assert_eq!(
        node(&[("barrier", "bollard"), ("motor_vehicle", "yes")]),
        None
    );
    assert_eq!(node(&[("access", "no")]), Some(NodeRule::Blocked));
    assert_eq!(node(&[("barrier", "gate"), ("access", "private")]), None);
    assert_eq!(
        node(&[("barrier", "height_restrictor"), ("maxheight", "1.9")]),
        Some(NodeRule::Blocked)
    );
    assert_eq!(
        node(&[("barrier", "gate")]),
        Some(NodeRule::Delay {
            seconds: 60.0,
            direction: Along::Both
        })
    );
    assert_eq!(
        node(&[
            ("highway", "traffic_signals"),
            ("traffic_signals:direction", "forward")
        ]),
        Some(NodeRule::Delay {
            seconds: 2.0,
            direction: Along::Forward
        })
    );
    assert_eq!(
        node(&[("highway", "give_way")]),
        Some(NodeRule::Delay {
            seconds: 1.0,
            direction: Along::Both
        })
    );
    assert_eq!(node(&[("highway", "crossing")]), None);
}

/// A straight residential street of three nodes, 100 m apart.
fn street(node_tags: Vec<(u32, Vec<(String, String)>)>) -> ProfileEdges {
    let step = 100.0 / 111_195.0;
    let map = RawMap {
        nodes: (0..3)
            .map(|i| LonLat::new(0.0, 45.0 + i as f64 * step))
            .collect(),
        node_ids: vec![1, 2, 3],
        roads: vec![road(&[("highway", "residential")])]
            .into_iter()
            .map(|r| RawRoad {
                nodes: vec![0, 1, 2],
                ..r
            })
            .collect(),
        node_tags,
        ..RawMap::default()
    };
    CarProfile::default().edges(&map)
}

fn tags(t: &[(&str, &str)]) -> Vec<(String, String)> {
    t.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn node_rules_on_the_edges() {
    let plain = street(vec![]);
    assert_eq!(plain.edges.len(), 4);
    let time = |e: &ProfileEdges, a: u32, b: u32| {
        e.edges
            .iter()
            .find(|x| x.0 == a && x.1 == b)
            .map(|x| x.2 + x.4)
    };
    // 100 m at 25 km/h = 14.4 s.
    assert_eq!(time(&plain, 0, 1), Some(144));
    // A bollard in the middle cuts the street.
    let cut = street(vec![(1, tags(&[("barrier", "bollard")]))]);
    assert!(cut.edges.is_empty());
    assert_eq!(cut.report.blocked_nodes, 1);
    // A forward-only signal delays arrivals along the way only (the delay is
    // recorded on the segment, paid by the turns out of it).
    let lights = street(vec![(
        1,
        tags(&[
            ("highway", "traffic_signals"),
            ("traffic_signals:direction", "forward"),
        ]),
    )]);
    assert_eq!(time(&lights, 0, 1), Some(164));
    assert_eq!(time(&lights, 2, 1), Some(144));
    assert_eq!(time(&lights, 1, 2), Some(144));
    let gate = street(vec![(1, tags(&[("barrier", "gate")]))]);
    assert_eq!(time(&gate, 2, 1), Some(744));
}

#[test]
fn zero_length_segments_are_skipped_and_counted() {
    let map = RawMap {
        nodes: vec![
            LonLat::new(0.0, 45.0),
            LonLat::new(0.0, 45.0),
            LonLat::new(0.0, 45.001),
        ],
        node_ids: vec![1, 2, 3],
        roads: vec![RawRoad {
            osm_id: 1,
            nodes: vec![0, 1, 2],
            tags: tags(&[("highway", "residential")]).into(),
        }],
        ..RawMap::default()
    };
    let e = CarProfile::default().edges(&map);
    assert_eq!(e.report.zero_length_segments, 1);
    assert_eq!(e.edges.len(), 4);
    assert!(e.edges.contains(&(0, 1, 1, 0, 0, 0, RATE_ONE)));
    // A node repeated in a way adds no edge.
    let mut repeated = map.clone();
    repeated.roads[0].nodes = vec![0, 0, 2];
    let e = CarProfile::default().edges(&repeated);
    assert_eq!(e.report.zero_length_segments, 1);
    assert_eq!(e.edges.len(), 2);
}

#[test]
fn restricted_access_is_kept_and_marked() {
    // Destination-only and private streets stay, restricted both ways.
    for value in [
        "destination",
        "private",
        "delivery",
        "customers",
        "permit",
        "residents",
    ] {
        let u = usage(&[("highway", "residential"), ("access", value)]).unwrap();
        assert!(u.forward && u.backward, "{value}");
        assert!(u.forward_restricted && u.backward_restricted, "{value}");
        assert!(u.startpoint, "{value}");
    }
    // An ordinary street is not restricted.
    let u = usage(&[("highway", "residential")]).unwrap();
    assert!(!u.forward_restricted && !u.backward_restricted && u.startpoint);
    // A private service way is kept, but no point snaps onto it; a destination one is
    // a start point.
    let u = usage(&[("highway", "service"), ("access", "private")]).unwrap();
    assert!(u.forward_restricted && !u.startpoint);
    let u = usage(&[("highway", "service"), ("access", "destination")]).unwrap();
    assert!(u.forward_restricted && u.startpoint);
    // The most specific tag decides: cars allowed on a private way are not
    // restricted; cars restricted on an open way are.
    let u = usage(&[
        ("highway", "residential"),
        ("access", "private"),
        ("motor_vehicle", "yes"),
    ])
    .unwrap();
    assert!(!u.forward_restricted);
    let u = usage(&[
        ("highway", "residential"),
        ("access", "no"),
        ("motor_vehicle", "destination"),
    ])
    .unwrap();
    assert!(u.forward_restricted && u.backward_restricted);
    // One direction only.
    let u = usage(&[("highway", "tertiary"), ("motorcar:forward", "destination")]).unwrap();
    assert!(u.forward_restricted && !u.backward_restricted);
    // In a list, restricted ranks above forbidden (OSRM's classification), and an
    // unknown value below both.
    let u = usage(&[("highway", "residential"), ("access", "no;destination")]).unwrap();
    assert!(u.forward_restricted);
    assert!(usage(&[("highway", "residential"), ("access", "no;gibberish")]).is_none());
    // Off OSRM's restricted classes, the same values forbid the way.
    assert!(usage(&[("highway", "track"), ("motor_vehicle", "destination")]).is_none());
    assert!(usage(&[("highway", "pedestrian"), ("motorcar", "private")]).is_none());
}

#[test]
fn restricted_segments_carry_their_flags() {
    let map = RawMap {
        nodes: vec![LonLat::new(1.0, 45.0), LonLat::new(1.0, 45.001)],
        node_ids: vec![1, 2],
        roads: vec![
            RawRoad {
                osm_id: 1,
                nodes: vec![0, 1],
                tags: tags(&[("highway", "service"), ("access", "private")]).into(),
            },
            RawRoad {
                osm_id: 2,
                nodes: vec![0, 1],
                tags: tags(&[
                    ("highway", "residential"),
                    ("oneway", "yes"),
                    ("motor_vehicle:forward", "destination"),
                ])
                .into(),
            },
        ],
        ..RawMap::default()
    };
    let e = CarProfile::default().edges(&map);
    let flags: Vec<u8> = e.edges.iter().map(|e| e.5).collect();
    assert_eq!(
        flags,
        vec![RESTRICTED | NO_START, RESTRICTED | NO_START, RESTRICTED]
    );
    assert_eq!(e.report.roads_for_cars, 2);
}

#[test]
fn implicit_limits_are_car_luas_table() {
    let speed = |v: &str| {
        usage(&[("highway", "primary"), ("maxspeed", v)])
            .unwrap()
            .speed_kmh
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    // An exception of `maxspeed_table`, whole value, any case.
    assert!(close(speed("GB:nsl_single"), 60.0 * 1.609 * 0.8));
    assert!(close(speed("GB:nsl_dual"), 70.0 * 1.609 * 0.8));
    assert!(close(speed("UK:motorway"), 70.0 * 1.609 * 0.8));
    assert!(close(speed("DE:rural"), 80.0));
    assert!(close(speed("fr:rural"), 64.0));
    // Else the kind after `cc:` in `maxspeed_table_default`.
    assert!(close(speed("FR:urban"), 40.0));
    assert!(close(speed("IT:rural"), 72.0));
    assert!(close(speed("AD:trunk"), 88.0));
    assert!(close(speed("BE-VLG:urban"), 40.0));
    // Not in car.lua (or 0 there): the class speed stays.
    assert_eq!(speed("FR:zone30"), 65.0);
    assert_eq!(speed("FR:walk"), 65.0);
    assert_eq!(speed("DE:motorway"), 65.0);
    assert_eq!(speed("GB:nsl_restricted"), 65.0);
    assert!(close(speed("none"), 112.0));
}

#[test]
fn driving_side_and_roundabouts_flag_the_segments() {
    let map = |tags: &[(&str, &str)], lon: f64, lat: f64| RawMap {
        nodes: vec![LonLat::new(lon, lat), LonLat::new(lon + 0.001, lat)],
        node_ids: vec![1, 2],
        roads: vec![road(tags)],
        ..RawMap::default()
    };
    let flags = |m: &RawMap| {
        let e = CarProfile::default().edges(m).edges;
        assert!(!e.is_empty());
        e.iter().map(|e| e.5).collect::<Vec<_>>()
    };
    let res = [("highway", "residential")];
    // Oakham (Rutland) keeps left, Andorra la Vella right; the way's tag decides first.
    assert!(flags(&map(&res, -0.727, 52.67))
        .iter()
        .all(|f| f & LEFT_HAND != 0));
    assert!(flags(&map(&res, 1.521, 42.507))
        .iter()
        .all(|f| f & LEFT_HAND == 0));
    let tagged = [("highway", "residential"), ("driving_side", "right")];
    assert!(flags(&map(&tagged, -0.727, 52.67))
        .iter()
        .all(|f| f & LEFT_HAND == 0));
    let tagged = [("highway", "residential"), ("driving_side", "left")];
    assert!(flags(&map(&tagged, 7.42, 43.74))
        .iter()
        .all(|f| f & LEFT_HAND != 0));
    let ring = [("highway", "residential"), ("junction", "roundabout")];
    assert_eq!(flags(&map(&ring, 7.42, 43.74)), vec![ROUNDABOUT]);
}
