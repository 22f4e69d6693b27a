//! What the writer writes, readers read back: osmpbfreader (ours) and osmium (the
//! reference OSM tool).

use std::collections::BTreeMap;
use std::process::Command;

use osmpbfreader::{OsmObj, OsmPbfReader};
use proptest::prelude::*;
use tournee_osm::write::{tags, write_pbf, write_pbf_file, Node, OsmData, Way};

fn sample() -> OsmData {
    OsmData {
        nodes: vec![
            Node {
                id: 3,
                lon: -2.5,
                lat: 45.0,
                tags: tags(&[("place", "village"), ("name", "Brumeval-le-Haut")]),
            },
            Node {
                id: 1,
                lon: -2.4912345,
                lat: 45.0087654,
                tags: vec![],
            },
            Node {
                id: 2,
                lon: -2.51,
                lat: 44.99,
                tags: tags(&[
                    ("amenity", "marketplace"),
                    ("opening_hours", "Tu 08:00-13:00"),
                ]),
            },
        ],
        ways: vec![Way {
            id: 7,
            nodes: vec![1, 3, 2],
            tags: tags(&[("highway", "tertiary"), ("name", "Route de l'Étang")]),
        }],
    }
}

type Read = (
    BTreeMap<i64, (f64, f64, Vec<(String, String)>)>,
    BTreeMap<i64, (Vec<i64>, Vec<(String, String)>)>,
);

fn read(bytes: &[u8]) -> Read {
    let mut nodes = BTreeMap::new();
    let mut ways = BTreeMap::new();
    let mut r = OsmPbfReader::new(std::io::Cursor::new(bytes));
    for obj in r.iter() {
        let sorted = |t: &osmpbfreader::Tags| {
            let mut v: Vec<(String, String)> = t
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            v.sort();
            v
        };
        match obj.unwrap() {
            OsmObj::Node(n) => {
                nodes.insert(n.id.0, (n.lon(), n.lat(), sorted(&n.tags)));
            }
            OsmObj::Way(w) => {
                ways.insert(
                    w.id.0,
                    (w.nodes.iter().map(|n| n.0).collect(), sorted(&w.tags)),
                );
            }
            OsmObj::Relation(_) => {}
        }
    }
    (nodes, ways)
}

fn assert_same(data: &OsmData, bytes: &[u8]) {
    let (nodes, ways) = read(bytes);
    assert_eq!(nodes.len(), data.nodes.len());
    for n in &data.nodes {
        let (lon, lat, t) = &nodes[&n.id];
        assert!(
            (lon - n.lon).abs() < 1e-7 && (lat - n.lat).abs() < 1e-7,
            "node {}",
            n.id
        );
        let mut expected = n.tags.clone();
        expected.sort();
        assert_eq!(t, &expected);
    }
    assert_eq!(ways.len(), data.ways.len());
    for w in &data.ways {
        let (refs, t) = &ways[&w.id];
        assert_eq!(refs, &w.nodes);
        let mut expected = w.tags.clone();
        expected.sort();
        assert_eq!(t, &expected);
    }
}

#[test]
fn round_trip_through_osmpbfreader() {
    let mut bytes = Vec::new();
    write_pbf(&mut bytes, &sample(), "test").unwrap();
    assert_same(&sample(), &bytes);
}

#[test]
fn writing_is_deterministic() {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    write_pbf(&mut a, &sample(), "test").unwrap();
    let mut shuffled = sample();
    shuffled.nodes.reverse();
    write_pbf(&mut b, &shuffled, "test").unwrap();
    assert_eq!(a, b);
}

#[test]
fn osmium_reads_and_checks_it() {
    let Ok(out) = Command::new("osmium").arg("--version").output() else {
        panic!("osmium-tool is not installed: run the README's test command, which installs it");
    };
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.osm.pbf");
    // More than one block of nodes, to exercise block boundaries.
    let mut data = sample();
    for i in 0..9_000 {
        data.nodes.push(Node {
            id: 100 + i,
            lon: -2.5 + i as f64 * 1e-5,
            lat: 45.0,
            tags: vec![],
        });
    }
    data.ways.push(Way {
        id: 8,
        nodes: (100..9_100).collect(),
        tags: tags(&[("highway", "track")]),
    });
    write_pbf_file(&path, &data, "test").unwrap();
    let info = Command::new("osmium")
        .args(["fileinfo", "-e", "-j"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(json["data"]["count"]["nodes"], 9_003, "{json}");
    assert_eq!(json["data"]["count"]["ways"], 2);
    assert_eq!(json["data"]["objects_ordered"], true);
    assert_eq!(json["header"]["option"]["generator"], "test");
    assert_eq!(json["header"]["option"]["pbf_dense_nodes"], "true");
    // 9,003 nodes make two blocks of at most 8,000, then one block of ways. Blob
    // headers are not compressed, so their type names can be counted in the bytes.
    let bytes = std::fs::read(&path).unwrap();
    let blobs = |kind: &[u8]| bytes.windows(kind.len()).filter(|w| *w == kind).count();
    assert_eq!((blobs(b"OSMHeader"), blobs(b"OSMData")), (1, 3));
    let refs = Command::new("osmium")
        .args(["check-refs"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        refs.status.success(),
        "{}",
        String::from_utf8_lossy(&refs.stderr)
    );
}

#[test]
fn invalid_input_is_an_error_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.osm.pbf");
    std::fs::write(&path, b"before").unwrap();
    let mut nan = sample();
    nan.nodes[0].lat = f64::NAN;
    let mut off_earth = sample();
    off_earth.nodes[1].lon = 181.0;
    let mut twin_nodes = sample();
    twin_nodes.nodes[2].id = 1;
    let mut twin_ways = sample();
    twin_ways.ways.push(twin_ways.ways[0].clone());
    for (what, data) in [
        ("NaN", nan),
        ("lon 181", off_earth),
        ("twin nodes", twin_nodes),
        ("twin ways", twin_ways),
    ] {
        let err = write_pbf_file(&path, &data, "test").expect_err(what);
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{what}");
        let mut sink = Vec::new();
        assert!(write_pbf(&mut sink, &data, "test").is_err(), "{what}");
        assert!(sink.is_empty(), "{what}: nothing written");
    }
    assert_eq!(std::fs::read(&path).unwrap(), b"before");
}

#[test]
fn an_empty_map_is_a_valid_file() {
    let mut bytes = Vec::new();
    write_pbf(&mut bytes, &OsmData::default(), "test").unwrap();
    let (nodes, ways) = read(&bytes);
    assert!(nodes.is_empty() && ways.is_empty());
}

proptest! {
    #[test]
    fn random_maps_round_trip(
        coords in proptest::collection::vec((-180.0f64..180.0, -85.0f64..85.0), 1..40),
        tag_values in proptest::collection::vec("[a-zé ]{0,12}", 0..6),
        way_len in 2usize..10,
    ) {
        let nodes: Vec<Node> = coords.iter().enumerate().map(|(i, (lon, lat))| Node {
            id: i as i64 * 3 - 20,
            lon: (lon * 1e7).round() / 1e7,
            lat: (lat * 1e7).round() / 1e7,
            tags: tag_values.iter().enumerate().filter(|(j, _)| (i + j) % 2 == 0)
                .map(|(j, v)| (format!("k{j}"), v.clone())).collect(),
        }).collect();
        let ways = vec![Way {
            id: 5,
            nodes: nodes.iter().cycle().take(way_len).map(|n| n.id).collect(),
            tags: tags(&[("highway", "residential")]),
        }];
        let data = OsmData { nodes, ways };
        let mut bytes = Vec::new();
        write_pbf(&mut bytes, &data, "proptest").unwrap();
        assert_same(&data, &bytes);
        let mut again = Vec::new();
        write_pbf(&mut again, &data, "proptest").unwrap();
        prop_assert_eq!(bytes, again);
    }
}
