//! The tiling tool: k × k shifted copies with their own ids, neighbours linked by a
//! road, the same output for the same input.

use std::collections::BTreeSet;

use tournee_demogen::tile::tile;
use tournee_osm::write::{tags, write_pbf_file, Node, OsmData, Way};

fn sample() -> OsmData {
    let node = |id, lon, lat| Node {
        id,
        lon,
        lat,
        tags: vec![],
    };
    OsmData {
        nodes: vec![
            node(1, 1.0, 45.0),
            node(2, 1.01, 45.0),
            node(3, 1.01, 45.01),
        ],
        ways: vec![
            Way {
                id: 10,
                nodes: vec![1, 2],
                tags: tags(&[("highway", "primary")]),
            },
            Way {
                id: 11,
                nodes: vec![2, 3],
                tags: tags(&[("highway", "residential")]),
            },
        ],
    }
}

#[test]
fn copies_are_shifted_renumbered_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.osm.pbf");
    write_pbf_file(&input, &sample(), "test").unwrap();
    let out = tile(&input, 3).unwrap();
    assert_eq!(out.nodes.len(), 27);
    let ids: BTreeSet<i64> = out.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids.len(), 27);
    let way_ids: BTreeSet<i64> = out.ways.iter().map(|w| w.id).collect();
    assert_eq!(way_ids.len(), out.ways.len());
    // Every way points to nodes that exist.
    assert!(out
        .ways
        .iter()
        .all(|w| w.nodes.iter().all(|n| ids.contains(n))));
    // 18 copied ways, and 2 × 3 × 2 links between neighbours.
    let links = out
        .ways
        .iter()
        .filter(|w| w.tags.iter().any(|(_, v)| v == "Liaison"))
        .count();
    assert_eq!(out.ways.len(), 18 + links);
    assert_eq!(links, 12);
    // Copies do not overlap: the second column starts east of the first one's end.
    let lon_of = |id: i64| out.nodes.iter().find(|n| n.id == id).unwrap().lon;
    assert!(lon_of(1 + 3 * 4) > 1.01 + 1e-4);
    // Deterministic.
    assert_eq!(tile(&input, 3).unwrap(), out);
    assert!(tile(&input, 0).is_err());
    assert!(tile(&dir.path().join("missing.pbf"), 2).is_err());
}
