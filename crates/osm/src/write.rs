//! A small, deterministic OSM PBF writer: for the demo territory and for test maps
//! drawn by hand (a few nodes and ways, see [`tags`]).
//!
//! It writes the standard format every OSM tool reads (osmpbfreader, osmium, OSRM):
//! an `OSMHeader` blob (required features `OsmSchema-V0.6` and `DenseNodes`, the
//! writing program, a bounding box), then `OSMData` blobs of at most 8,000 entities
//! each (`DenseNodes` with delta-coded ids and coordinates, then ways with
//! delta-coded node references), zlib-compressed, with `raw_size` set.
//!
//! Promises:
//! - the same [`OsmData`] gives the same bytes, whatever the order of its vectors:
//!   nodes then ways, each sorted by id; no timestamp, version or user; a fixed
//!   compression level;
//! - coordinates are stored at the format's default granularity of 100 nanodegrees
//!   (about 1 cm), rounded to the nearest;
//! - invalid input is an [`io::ErrorKind::InvalidInput`] error, never a panic nor a
//!   file readers would reject: a coordinate that is not finite or out of range, or
//!   two nodes (or two ways) with the same id. Whether ways reference nodes that
//!   exist is the caller's business (`osmium check-refs` tells).
//!
//! A hand-drawn test map:
//!
//! ```
//! use tournee_osm::write::{tags, write_pbf, Node, OsmData, Way};
//!
//! let node = |id, lon, lat| Node { id, lon, lat, tags: vec![] };
//! let map = OsmData {
//!     nodes: vec![node(1, -2.50, 45.00), node(2, -2.49, 45.00), node(3, -2.49, 45.01)],
//!     ways: vec![Way {
//!         id: 1,
//!         nodes: vec![1, 2, 3],
//!         tags: tags(&[("highway", "residential"), ("name", "Rue du Four")]),
//!     }],
//! };
//! let mut bytes = Vec::new();
//! write_pbf(&mut bytes, &map, "my-test")?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! How: the messages are declared with `prost` derives (the subset of
//! `fileformat.proto` and `osmformat.proto` this writer needs, in `crate::proto`), so
//! no `protoc` or build script is needed, and compressed with `miniz_oxide` called
//! directly, not through `flate2`: flate2's backend is chosen by feature unification
//! across the whole build (a dependency enabling `zlib-rs` switched it once and the
//! demo file came out different), and a writer must not depend on that. The
//! crate `pbf-craft` was considered: it brings a build script and its own element
//! model with metadata whose determinism we would have to audit, for what is here
//! about a hundred lines of encoding that we control byte by byte.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use prost::Message;

use crate::proto;

/// A node to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i64,
    pub lon: f64,
    pub lat: f64,
    pub tags: Vec<(String, String)>,
}

/// A way to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Way {
    pub id: i64,
    pub nodes: Vec<i64>,
    pub tags: Vec<(String, String)>,
}

/// What to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmData {
    pub nodes: Vec<Node>,
    pub ways: Vec<Way>,
}

const BLOCK_SIZE: usize = 8_000;
const GRANULARITY: i64 = 100;
/// The format's limit on an uncompressed block (`raw_size`), 32 MiB.
const MAX_BLOB: usize = 32 * 1024 * 1024;

/// Interns the strings of one block; index 0 is the empty string, as the format
/// requires. Indices follow first use, so the table depends on the data only (the
/// hash map is only looked up, never iterated).
struct Strings {
    table: Vec<Vec<u8>>,
    index: HashMap<String, u32>,
}

impl Strings {
    fn new() -> Strings {
        Strings {
            table: vec![Vec::new()],
            index: HashMap::new(),
        }
    }
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.table.len() as u32;
        self.table.push(s.as_bytes().to_vec());
        self.index.insert(s.to_string(), i);
        i
    }
}

fn to_units(deg: f64) -> i64 {
    (deg * 1e9 / GRANULARITY as f64).round() as i64
}

fn write_blob<W: Write>(out: &mut W, kind: &str, payload: &[u8]) -> io::Result<()> {
    if payload.len() > MAX_BLOB {
        return Err(invalid(format!(
            "a block of {} bytes is over the format's 32 MiB limit (tags too long?)",
            payload.len()
        )));
    }
    let zlib_data = miniz_oxide::deflate::compress_to_vec_zlib(payload, 6);
    let blob = proto::Blob {
        raw: None,
        raw_size: Some(payload.len() as i32),
        zlib_data: Some(zlib_data),
        lzma_data: None,
        lz4_data: None,
        zstd_data: None,
    }
    .encode_to_vec();
    let header = proto::BlobHeader {
        r#type: kind.to_string(),
        datasize: blob.len() as i32,
    }
    .encode_to_vec();
    out.write_all(&(header.len() as u32).to_be_bytes())?;
    out.write_all(&header)?;
    out.write_all(&blob)
}

fn delta(values: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut prev = 0;
    values
        .map(|v| {
            let d = v - prev;
            prev = v;
            d
        })
        .collect()
}

fn node_block(nodes: &[&Node]) -> proto::PrimitiveBlock {
    let mut strings = Strings::new();
    let mut keys_vals = Vec::new();
    for n in nodes {
        for (k, v) in &n.tags {
            keys_vals.push(strings.get(k) as i32);
            keys_vals.push(strings.get(v) as i32);
        }
        keys_vals.push(0);
    }
    let dense = proto::DenseNodes {
        id: delta(nodes.iter().map(|n| n.id)),
        lat: delta(nodes.iter().map(|n| to_units(n.lat))),
        lon: delta(nodes.iter().map(|n| to_units(n.lon))),
        keys_vals,
    };
    proto::PrimitiveBlock {
        stringtable: proto::StringTable { s: strings.table },
        primitivegroup: vec![proto::PrimitiveGroup {
            dense: Some(dense),
            ways: Vec::new(),
        }],
        granularity: None,
    }
}

fn way_block(ways: &[&Way]) -> proto::PrimitiveBlock {
    let mut strings = Strings::new();
    let ways = ways
        .iter()
        .map(|w| proto::Way {
            id: w.id,
            keys: w.tags.iter().map(|(k, _)| strings.get(k)).collect(),
            vals: w.tags.iter().map(|(_, v)| strings.get(v)).collect(),
            refs: delta(w.nodes.iter().copied()),
        })
        .collect();
    proto::PrimitiveBlock {
        stringtable: proto::StringTable { s: strings.table },
        primitivegroup: vec![proto::PrimitiveGroup { dense: None, ways }],
        granularity: None,
    }
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Sorts by id and checks what readers would choke on.
fn checked(data: &OsmData) -> io::Result<(Vec<&Node>, Vec<&Way>)> {
    let mut nodes: Vec<&Node> = data.nodes.iter().collect();
    nodes.sort_by_key(|n| n.id);
    let mut ways: Vec<&Way> = data.ways.iter().collect();
    ways.sort_by_key(|w| w.id);
    for n in &nodes {
        let ok = n.lon.is_finite()
            && n.lat.is_finite()
            && (-180.0..=180.0).contains(&n.lon)
            && (-90.0..=90.0).contains(&n.lat);
        if !ok {
            return Err(invalid(format!(
                "node {} has an invalid coordinate (lon {}, lat {})",
                n.id, n.lon, n.lat
            )));
        }
    }
    if let Some(w) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(invalid(format!("two nodes have the id {}", w[0].id)));
    }
    if let Some(w) = ways.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(invalid(format!("two ways have the id {}", w[0].id)));
    }
    Ok((nodes, ways))
}

/// Writes `data` as an OSM PBF stream; `writing_program` goes into the header.
///
/// Nothing is written when `data` is invalid (see the module doc).
pub fn write_pbf<W: Write>(mut out: W, data: &OsmData, writing_program: &str) -> io::Result<()> {
    let (nodes, ways) = checked(data)?;
    let bbox = (!nodes.is_empty()).then(|| {
        let fold = |f: fn(&Node) -> f64, pick: fn(f64, f64) -> f64| {
            nodes.iter().map(|n| f(n)).fold(f(nodes[0]), pick)
        };
        proto::HeaderBBox {
            left: (fold(|n| n.lon, f64::min) * 1e9).floor() as i64,
            right: (fold(|n| n.lon, f64::max) * 1e9).ceil() as i64,
            top: (fold(|n| n.lat, f64::max) * 1e9).ceil() as i64,
            bottom: (fold(|n| n.lat, f64::min) * 1e9).floor() as i64,
        }
    });
    let header = proto::HeaderBlock {
        bbox,
        required_features: vec!["OsmSchema-V0.6".into(), "DenseNodes".into()],
        optional_features: Vec::new(),
        writingprogram: Some(writing_program.to_string()),
    };
    write_blob(&mut out, "OSMHeader", &header.encode_to_vec())?;
    for chunk in nodes.chunks(BLOCK_SIZE) {
        write_blob(&mut out, "OSMData", &node_block(chunk).encode_to_vec())?;
    }
    for chunk in ways.chunks(BLOCK_SIZE) {
        write_blob(&mut out, "OSMData", &way_block(chunk).encode_to_vec())?;
    }
    out.flush()
}

/// Writes `data` to a file (created or replaced). An invalid `data` leaves the file
/// untouched.
pub fn write_pbf_file(path: &Path, data: &OsmData, writing_program: &str) -> io::Result<()> {
    checked(data)?;
    let file = std::fs::File::create(path)?;
    write_pbf(io::BufWriter::new(file), data, writing_program)
}

/// Tags from string pairs, for hand-drawn test maps.
pub fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
