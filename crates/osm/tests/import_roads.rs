//! `import_roads` and `import_roads_filtered`: the caller's road filter, and the
//! file checks the first pass makes (a damaged block is a `Corrupt` error naming
//! the file and the blob, never a panic).

use std::path::Path;

use tournee_model::NoProgress;
use tournee_osm::write::{tags, write_pbf_file, Node, OsmData, Way};
use tournee_osm::{import_roads, import_roads_filtered, ImportError, RawMap, WayTags};

/// A footway (5, 4, 3) and a street (1–3) that it joins, and a track (5, 6)
/// with `motor_vehicle=yes`: without a filter, the footway (the lowest way id)
/// numbers nodes 5 and 3 first.
fn sample() -> OsmData {
    OsmData {
        nodes: (1..=6)
            .map(|i| Node {
                id: i,
                lon: 1.5 + i as f64 * 1e-3,
                lat: 42.5,
                tags: vec![],
            })
            .collect(),
        ways: vec![
            Way {
                id: 9,
                nodes: vec![5, 4, 3],
                tags: tags(&[("highway", "footway")]),
            },
            Way {
                id: 10,
                nodes: vec![1, 2, 3],
                tags: tags(&[("highway", "residential"), ("name", "Carrer Major")]),
            },
            Way {
                id: 12,
                nodes: vec![5, 6],
                tags: tags(&[("highway", "track"), ("motor_vehicle", "yes")]),
            },
        ],
    }
}

fn written(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("sample.osm.pbf");
    write_pbf_file(&path, &sample(), "test").unwrap();
    path
}

fn way_ids(map: &RawMap) -> Vec<i64> {
    map.roads.iter().map(|r| r.osm_id).collect()
}

fn no_footway(t: &WayTags) -> bool {
    t.get("highway") != Some("footway")
}

#[test]
fn a_way_the_filter_rejects_is_absent_and_one_it_keeps_is_present() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path());
    let all = import_roads(&path, &NoProgress).unwrap();
    assert_eq!(way_ids(&all), [9, 10, 12]);
    assert_eq!(all.report.roads_filtered, 0);

    let map = import_roads_filtered(&path, &NoProgress, &no_footway).unwrap();
    assert_eq!(way_ids(&map), [10, 12]);
    assert_eq!(map.report.roads_filtered, 1);
    assert_eq!(map.roads[0].tag("name"), Some("Carrer Major"));
    assert_eq!(map.roads[1].tag("motor_vehicle"), Some("yes"));
    // Node 4 is only on the footway: not read. Nodes 3 and 5 are on kept ways.
    let mut ids = map.node_ids.clone();
    ids.sort();
    assert_eq!(ids, [1, 2, 3, 5, 6]);
    // The kept nodes are numbered as without the filter (first use, by way id).
    let order =
        |m: &RawMap| -> Vec<i64> { m.node_ids.iter().copied().filter(|&id| id != 4).collect() };
    assert_eq!(order(&all), [5, 3, 1, 2, 6]);
    assert_eq!(order(&map), order(&all));
    assert_eq!(map.node_ids, [5, 3, 1, 2, 6]);
}

#[test]
fn a_filter_that_rejects_every_road_leaves_an_empty_map() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(dir.path());
    let map = import_roads_filtered(&path, &NoProgress, &|_| false).unwrap();
    assert!(map.roads.is_empty() && map.nodes.is_empty());
    assert_eq!(map.report.roads_filtered, 3);
}

/// Offset and length of each blob (its 4-byte length, header and data).
fn blobs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        // The header's `datasize` (field 3, varint) is its last field.
        let header = &bytes[at + 4..at + 4 + len];
        let mut size = 0usize;
        let mut shift = 0;
        let start = header.iter().rposition(|&b| b == 0x18).unwrap() + 1;
        for &b in &header[start..] {
            size |= ((b & 0x7f) as usize) << shift;
            shift += 7;
        }
        out.push((at, 4 + len + size));
        at += 4 + len + size;
    }
    out
}

fn corrupt_detail(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.osm.pbf");
    std::fs::write(&path, bytes).unwrap();
    match import_roads(&path, &NoProgress) {
        Err(ImportError::Corrupt { path: p, detail }) => {
            assert_eq!(p, path);
            detail
        }
        other => panic!("expected a corrupt file, got {other:?}"),
    }
}

#[test]
fn a_damaged_data_block_is_corrupt_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(written(dir.path())).unwrap();
    let b = blobs(&bytes);
    assert!(b.len() >= 2, "{b:?}");
    let (at, len) = b[1];
    // Zeroes over the end of the second blob's compressed data.
    let mut damaged = bytes.clone();
    for x in &mut damaged[at + len - 12..at + len] {
        *x = 0;
    }
    let detail = corrupt_detail(&damaged);
    assert!(
        detail.starts_with(&format!("blob 2 at byte {at}")),
        "{detail}"
    );
    // Cut inside it: the same blob is named.
    let detail = corrupt_detail(&bytes[..at + len - 3]);
    assert!(
        detail.starts_with(&format!("blob 2 at byte {at}")),
        "{detail}"
    );
}

#[test]
fn the_first_fault_in_file_order_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(written(dir.path())).unwrap();
    let b = blobs(&bytes);
    let (at, len) = b[1];
    // Blob 2 damaged, and the file cut inside its last blob: blob 2 is named.
    let mut damaged = bytes.clone();
    for x in &mut damaged[at + len - 12..at + len] {
        *x = 0;
    }
    damaged.truncate(bytes.len() - 2);
    let detail = corrupt_detail(&damaged);
    assert!(
        detail.starts_with(&format!("blob 2 at byte {at}")),
        "{detail}"
    );
}

/// The roads-only decoder ([`import_roads`]) reads blocks its own way: every
/// single-byte change of a small file is imported or a clean error, never a panic.
#[test]
fn damaged_files_never_panic_the_roads_only_import() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(written(dir.path())).unwrap();
    let path = dir.path().join("damaged.osm.pbf");
    for at in 0..bytes.len() {
        for v in [0u8, 0x7f, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] = v;
            std::fs::write(&path, &damaged).unwrap();
            let outcome = std::panic::catch_unwind(|| {
                import_roads_filtered(&path, &NoProgress, &no_footway).map(|m| m.roads.len())
            });
            match outcome {
                Ok(Ok(_)) | Ok(Err(ImportError::Corrupt { .. } | ImportError::NoRoads { .. })) => {}
                Ok(Err(e)) => panic!("byte {at} = {v}: {e}"),
                Err(_) => panic!("byte {at} = {v}: the import panicked"),
            }
        }
    }
}
