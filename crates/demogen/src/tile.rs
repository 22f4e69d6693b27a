//! A large test territory from a small real extract: `k × k` copies of it side by side
//! (each shifted by the extract's extent, with its own node and way ids), neighbouring
//! copies linked by a two-way primary road between their outermost main-road nodes, so
//! that the whole is one road network. Used to measure import time and memory on a
//! département-size PBF; deterministic (same input and `k`, same bytes).

use std::path::Path;

use osmpbfreader::{OsmObj, OsmPbfReader};
use tournee_osm::write::{Node, OsmData, Way};

/// Classes whose nodes may anchor a link between copies.
const ANCHOR_CLASSES: &[&str] = &["trunk", "primary", "secondary", "tertiary"];

/// Reads `input` (nodes and ways; relations are left out) and lays out `k × k` copies.
pub fn tile(input: &Path, k: u32) -> Result<OsmData, String> {
    if k == 0 {
        return Err("the number of copies per side must be at least 1".into());
    }
    let file = std::fs::File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let mut pbf = OsmPbfReader::new(std::io::BufReader::new(file));
    let mut nodes = Vec::new();
    let mut ways = Vec::new();
    for obj in pbf.iter() {
        match obj.map_err(|e| format!("{}: {e}", input.display()))? {
            OsmObj::Node(n) => nodes.push(Node {
                id: n.id.0,
                lon: n.lon(),
                lat: n.lat(),
                tags: sorted_tags(&n.tags),
            }),
            OsmObj::Way(w) => ways.push(Way {
                id: w.id.0,
                nodes: w.nodes.iter().map(|n| n.0).collect(),
                tags: sorted_tags(&w.tags),
            }),
            OsmObj::Relation(_) => {}
        }
    }
    nodes.sort_by_key(|n| n.id);
    ways.sort_by_key(|w| w.id);
    if nodes.is_empty() {
        return Err(format!("{}: no nodes", input.display()));
    }
    let (min_lon, max_lon) = bounds(nodes.iter().map(|n| n.lon));
    let (min_lat, max_lat) = bounds(nodes.iter().map(|n| n.lat));
    // A 5 % gap between copies.
    let (dx, dy) = ((max_lon - min_lon) * 1.05, (max_lat - min_lat) * 1.05);
    let node_step = nodes.iter().map(|n| n.id).max().unwrap_or(0).max(0) + 1;
    let way_step = ways.iter().map(|w| w.id).max().unwrap_or(0).max(0) + 1;

    // Anchors: the outermost nodes of two-way main roads.
    let position = |id: i64| {
        nodes
            .binary_search_by_key(&id, |n| n.id)
            .ok()
            .map(|i| &nodes[i])
    };
    let tag = |w: &Way, key: &str| {
        w.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let anchors: Vec<&Node> = ways
        .iter()
        .filter(|w| {
            tag(w, "highway").is_some_and(|h| ANCHOR_CLASSES.contains(&h.as_str()))
                && tag(w, "oneway").is_none()
                && tag(w, "junction").is_none()
        })
        .flat_map(|w| w.nodes.iter().filter_map(|&id| position(id)))
        .collect();
    let pick = |key: &dyn Fn(&Node) -> f64| {
        anchors
            .iter()
            .max_by(|a, b| key(a).total_cmp(&key(b)).then(b.id.cmp(&a.id)))
            .map(|n| n.id)
    };
    let (east, west, north, south) = (
        pick(&|n| n.lon),
        pick(&|n| -n.lon),
        pick(&|n| n.lat),
        pick(&|n| -n.lat),
    );

    let mut out = OsmData::default();
    let copy = |i: u32, j: u32| i64::from(i * k + j);
    for i in 0..k {
        for j in 0..k {
            let c = copy(i, j);
            out.nodes.extend(nodes.iter().map(|n| Node {
                id: n.id + c * node_step,
                lon: n.lon + f64::from(i) * dx,
                lat: n.lat + f64::from(j) * dy,
                tags: n.tags.clone(),
            }));
            out.ways.extend(ways.iter().map(|w| Way {
                id: w.id + c * way_step,
                nodes: w.nodes.iter().map(|n| n + c * node_step).collect(),
                tags: w.tags.clone(),
            }));
        }
    }
    // Links: ids after every copy's ways.
    let mut next_way = i64::from(k * k) * way_step;
    let link = |from: i64, to: i64, next_way: &mut i64| {
        *next_way += 1;
        Way {
            id: *next_way,
            nodes: vec![from, to],
            tags: vec![
                ("highway".into(), "primary".into()),
                ("name".into(), "Liaison".into()),
            ],
        }
    };
    for i in 0..k {
        for j in 0..k {
            let c = copy(i, j);
            if let (Some(e), Some(w)) = (east, west) {
                if i + 1 < k {
                    let l = link(
                        e + c * node_step,
                        w + copy(i + 1, j) * node_step,
                        &mut next_way,
                    );
                    out.ways.push(l);
                }
            }
            if let (Some(n), Some(s)) = (north, south) {
                if j + 1 < k {
                    let l = link(
                        n + c * node_step,
                        s + copy(i, j + 1) * node_step,
                        &mut next_way,
                    );
                    out.ways.push(l);
                }
            }
        }
    }
    Ok(out)
}

fn sorted_tags(tags: &osmpbfreader::Tags) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    t.sort();
    t
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}
