//! The import's two passes over the file's data blocks, decoded in parallel: what
//! the first keeps of each object ([`FirstPass`]), the node positions the second
//! reads without decoding tags ([`node_positions`]), and the block scheduler
//! ([`par_blocks`]): blocks decoded a few per core at a time, handed over in file
//! order, so the import is deterministic whatever the number of cores.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use osmpbfreader::osmformat::PrimitiveBlock;
use osmpbfreader::{primitive_block_from_blob, Node, NodeId, OsmObj, OsmPbfReader, Tags};
use rayon::prelude::*;
use tournee_model::{LonLat, OsmRef, SiteKind};

use super::{is_road, node_tags, site_kind, ReadError, PLACE_TYPES, ROAD_TAGS};
use crate::buildings::PendingBuilding;
use crate::restrictions::{pending_restriction, PendingRestriction};

/// A road way from the first pass, before its nodes have coordinates.
pub(super) struct RoadWay {
    pub osm_id: i64,
    pub refs: Vec<i64>,
    pub tags: Vec<(String, String)>,
}

pub(super) struct PendingSite {
    pub osm: OsmRef,
    pub kind: SiteKind,
    pub tags: Tags,
    /// Node refs (ways) or the node's own position.
    pub refs: Vec<i64>,
    pub position: Option<LonLat>,
}

/// What the first pass keeps of the file (or of one of its blocks).
#[derive(Default)]
pub(super) struct FirstPass {
    pub nodes_read: u64,
    pub ways_read: u64,
    pub buildings_read: u64,
    pub restrictions_read: u64,
    pub road_ways: Vec<RoadWay>,
    pub pending_sites: Vec<PendingSite>,
    pub places_raw: Vec<(i64, LonLat, Tags)>,
    pub tagged_nodes: Vec<(i64, Vec<(String, String)>)>,
    pub pending_buildings: Vec<PendingBuilding>,
    pub pending_restrictions: Vec<PendingRestriction>,
}

impl FirstPass {
    /// Keeps what matters of one object.
    pub fn take(&mut self, obj: OsmObj, kinds: &[SiteKind], roads_only: bool) {
        match obj {
            OsmObj::Node(n) => {
                self.nodes_read += 1;
                if n.tags.is_empty() {
                    return;
                }
                let pos = LonLat::new(n.lon(), n.lat());
                if !pos.is_valid() {
                    return;
                }
                if let Some(t) = node_tags(&n.tags) {
                    self.tagged_nodes.push((n.id.0, t));
                }
                if let Some(kind) = site_kind(&n.tags, kinds) {
                    self.pending_sites.push(PendingSite {
                        osm: OsmRef::node(n.id.0),
                        kind,
                        tags: n.tags.clone(),
                        refs: Vec::new(),
                        position: Some(pos),
                    });
                }
                if !roads_only
                    && n.tags
                        .get("place")
                        .is_some_and(|p| PLACE_TYPES.iter().any(|(t, _)| p == t))
                {
                    self.places_raw.push((n.id.0, pos, n.tags.clone()));
                }
            }
            OsmObj::Way(w) => {
                self.ways_read += 1;
                if is_road(&w.tags) && w.nodes.len() >= 2 {
                    // The way's few tags looked up in the list, not the list's many
                    // keys in the way's tags.
                    let mut tags: Vec<(String, String)> = w
                        .tags
                        .iter()
                        .filter(|(k, _)| ROAD_TAGS.contains(&k.as_str()))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    tags.sort();
                    self.road_ways.push(RoadWay {
                        osm_id: w.id.0,
                        refs: w.nodes.iter().map(|n| n.0).collect(),
                        tags,
                    });
                }
                if !roads_only && w.tags.contains_key("building") {
                    self.buildings_read += 1;
                    if let Some(b) = PendingBuilding::from_way(&w) {
                        self.pending_buildings.push(b);
                    }
                }
                if w.is_closed() {
                    if let Some(kind) = site_kind(&w.tags, kinds) {
                        self.pending_sites.push(PendingSite {
                            osm: OsmRef::way(w.id.0),
                            kind,
                            tags: w.tags.clone(),
                            refs: w.nodes.iter().map(|n| n.0).collect(),
                            position: None,
                        });
                    }
                }
            }
            OsmObj::Relation(r) => {
                if let Some(p) = pending_restriction(&r) {
                    self.restrictions_read += 1;
                    self.pending_restrictions.push(p);
                }
            }
        }
    }

    /// Appends what a later block kept.
    pub fn absorb(&mut self, o: FirstPass) {
        self.nodes_read += o.nodes_read;
        self.ways_read += o.ways_read;
        self.buildings_read += o.buildings_read;
        self.restrictions_read += o.restrictions_read;
        self.road_ways.extend(o.road_ways);
        self.pending_sites.extend(o.pending_sites);
        self.places_raw.extend(o.places_raw);
        self.tagged_nodes.extend(o.tagged_nodes);
        self.pending_buildings.extend(o.pending_buildings);
        self.pending_restrictions.extend(o.pending_restrictions);
    }
}

/// The first pass over one block. Nodes without tags (most of them) are only
/// counted: their tags and positions are not decoded into objects.
pub(super) fn first_pass(
    block: &PrimitiveBlock,
    kinds: &[SiteKind],
    roads_only: bool,
) -> Result<FirstPass, String> {
    let mut part = FirstPass::default();
    let strings = &block.stringtable.s;
    let g = i64::from(block.granularity());
    let (lat0, lon0) = (block.lat_offset(), block.lon_offset());
    for group in &block.primitivegroup {
        for n in osmpbfreader::groups::simple_nodes(group, block) {
            part.take(OsmObj::Node(n), kinds, roads_only);
        }
        let d = &group.dense;
        let mut kv = d.keys_vals.iter();
        let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
        for ((di, dla), dlo) in d.id.iter().zip(&d.lat).zip(&d.lon) {
            id += di;
            lat += dla;
            lon += dlo;
            let mut tags: Option<Tags> = None;
            loop {
                let k = match kv.next() {
                    None | Some(&0) => break,
                    Some(&k) => k as usize,
                };
                let Some(&v) = kv.next() else { break };
                let (Some(k), Some(v)) = (strings.get(k), strings.get(v as usize)) else {
                    return Err("a node tag points outside the block's string table".into());
                };
                tags.get_or_insert_with(Tags::new).insert(
                    String::from_utf8_lossy(k).as_ref().into(),
                    String::from_utf8_lossy(v).as_ref().into(),
                );
            }
            match tags {
                None => part.nodes_read += 1,
                Some(tags) => {
                    let node = Node {
                        id: NodeId(id),
                        tags,
                        decimicro_lat: ((lat0 + g * lat) / 100) as i32,
                        decimicro_lon: ((lon0 + g * lon) / 100) as i32,
                    };
                    part.take(OsmObj::Node(node), kinds, roads_only);
                }
            }
        }
        for w in osmpbfreader::groups::ways(group, block) {
            part.take(OsmObj::Way(w), kinds, roads_only);
        }
        for r in osmpbfreader::groups::relations(group, block) {
            part.take(OsmObj::Relation(r), kinds, roads_only);
        }
    }
    Ok(part)
}

/// Calls `f` with the id and position of every node of `block` (simple and dense),
/// positions rounded as osmpbfreader rounds them; tags are not decoded.
pub(super) fn node_positions(block: &PrimitiveBlock, mut f: impl FnMut(i64, LonLat)) {
    let g = i64::from(block.granularity());
    let (lat0, lon0) = (block.lat_offset(), block.lon_offset());
    let at = |lat: i64, lon: i64| {
        let lat = ((lat0 + g * lat) / 100) as i32;
        let lon = ((lon0 + g * lon) / 100) as i32;
        LonLat::new(lon as f64 * 1e-7, lat as f64 * 1e-7)
    };
    for group in &block.primitivegroup {
        for n in &group.nodes {
            f(n.id(), at(n.lat(), n.lon()));
        }
        let d = &group.dense;
        let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
        for ((di, dla), dlo) in d.id.iter().zip(&d.lat).zip(&d.lon) {
            id += di;
            lat += dla;
            lon += dlo;
            f(id, at(lat, lon));
        }
    }
}

/// Decodes the data blocks of `pbf` in parallel (batches of a few blocks per core)
/// and hands each block's `decode` result to `consume`, in file order. On a
/// decoding error or a decoder panic, `pos` is left at the end of the faulty blob,
/// so that the error names it.
pub(super) fn par_blocks<R: Read, T: Send>(
    pbf: &mut OsmPbfReader<R>,
    pos: &std::cell::Cell<u64>,
    decode: impl Fn(&PrimitiveBlock) -> Result<T, String> + Sync,
    mut consume: impl FnMut(T),
) -> Result<(), ReadError> {
    let batch = 4 * rayon::current_num_threads().max(1);
    let mut blobs = pbf.blobs();
    loop {
        let mut chunk = Vec::with_capacity(batch);
        let mut ends = Vec::with_capacity(batch);
        for blob in blobs.by_ref().take(batch) {
            chunk.push(blob.map_err(|e| ReadError::Pbf(e.to_string()))?);
            ends.push(pos.get());
        }
        if chunk.is_empty() {
            return Ok(());
        }
        let decoded: Vec<Result<T, String>> = chunk
            .par_iter()
            .map(|blob| {
                catch_unwind(AssertUnwindSafe(|| {
                    primitive_block_from_blob(blob)
                        .map_err(|e| e.to_string())
                        .and_then(|b| decode(&b))
                }))
                .unwrap_or_else(|panic| {
                    let detail = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "the decoder gave up".into());
                    Err(format!("the decoder gave up ({detail})"))
                })
            })
            .collect();
        let end = pos.get();
        for (d, at) in decoded.into_iter().zip(ends) {
            match d {
                Ok(t) => consume(t),
                Err(e) => {
                    pos.set(at);
                    return Err(ReadError::Pbf(e));
                }
            }
        }
        pos.set(end);
    }
}

/// Positions of the nodes the roads and sites use: `ids` sorted.
pub(super) struct Coords {
    pub ids: Vec<i64>,
    pub positions: Vec<Option<LonLat>>,
}

impl Coords {
    pub fn get(&self, id: &i64) -> Option<&LonLat> {
        let i = self.ids.binary_search(id).ok()?;
        self.positions[i].as_ref()
    }

    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }
}
