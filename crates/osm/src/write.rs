//! A small, deterministic OSM PBF writer: for the demo territory and for test maps
//! drawn by hand.
//!
//! It writes the standard format every OSM tool reads (osmpbfreader, osmium, OSRM):
//! an `OSMHeader` blob (features `OsmSchema-V0.6` and `DenseNodes`, a bounding box),
//! then `OSMData` blobs of at most 8,000 entities, zlib-compressed. The messages are
//! declared with `prost` derives (the subset of `fileformat.proto` and
//! `osmformat.proto` this writer needs), so no `protoc` is needed at build time.
//!
//! Promises: the same [`OsmData`] gives the same bytes (nodes then ways, each sorted
//! by id; no timestamps; fixed compression level); coordinates are stored at the
//! format's default granularity of 100 nanodegrees (about 1 cm).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use flate2::write::ZlibEncoder;
use flate2::Compression;
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

/// Interns the strings of one block; index 0 is the empty string, as the format
/// requires.
#[derive(Default)]
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
    let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
    z.write_all(payload)?;
    let blob = proto::Blob {
        raw: None,
        raw_size: Some(payload.len() as i32),
        zlib_data: Some(z.finish()?),
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

/// Writes `data` as an OSM PBF stream.
pub fn write_pbf<W: Write>(mut out: W, data: &OsmData, writing_program: &str) -> io::Result<()> {
    let mut nodes: Vec<&Node> = data.nodes.iter().collect();
    nodes.sort_by_key(|n| n.id);
    let mut ways: Vec<&Way> = data.ways.iter().collect();
    ways.sort_by_key(|w| w.id);
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

/// Writes `data` to a file (created or replaced).
pub fn write_pbf_file(path: &Path, data: &OsmData, writing_program: &str) -> io::Result<()> {
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
