//! The import's two passes over the file's data blocks, decoded in parallel: what
//! the first keeps of each object ([`FirstPass`]), the node positions the second
//! reads without decoding tags ([`node_positions`]), and the block scheduler
//! ([`par_blocks`]): blocks decoded a few per core at a time, handed over in file
//! order, so the import is deterministic whatever the number of cores.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use osmpbfreader::osmformat::PrimitiveBlock;
use osmpbfreader::{Node, NodeId, OsmObj, Tags};
use rayon::prelude::*;
use tournee_model::{LonLat, OsmRef, SiteKind};

use super::{
    is_road, node_tags, road_tags, site_kind, ReadError, RoadFilter, WayTags, PLACE_TYPES,
};
use crate::buildings::PendingBuilding;
use crate::pbf_check::{FramedBlob, Framing};
use crate::restrictions::{pending_restriction, PendingRestriction};

/// A road way from the first pass, before its nodes have coordinates.
pub(super) struct RoadWay {
    pub osm_id: i64,
    pub refs: Vec<i64>,
    pub tags: super::RoadTags,
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
    /// Road ways the caller's filter rejected.
    pub roads_filtered: u64,
    pub filtered: FilteredWays,
    /// The smallest and largest node id of the block (set per block, not absorbed).
    pub node_range: Option<(i64, i64)>,
}

impl FirstPass {
    pub fn saw_node(&mut self, id: i64) {
        self.node_range = Some(match self.node_range {
            None => (id, id),
            Some((lo, hi)) => (lo.min(id), hi.max(id)),
        });
    }

    /// Keeps what matters of one object.
    pub fn take(
        &mut self,
        obj: OsmObj,
        kinds: &[SiteKind],
        roads_only: bool,
        keep: &RoadFilter<'_>,
    ) {
        match obj {
            OsmObj::Node(n) => {
                self.nodes_read += 1;
                self.saw_node(n.id.0);
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
                let tags = WayTags::of(&w.tags);
                let road = is_road(&tags) && w.nodes.len() >= 2;
                if road && !keep(&tags) {
                    self.roads_filtered += 1;
                    self.filtered.push(w.id.0, w.nodes.iter().map(|n| n.0));
                } else if road {
                    self.road_ways.push(RoadWay {
                        osm_id: w.id.0,
                        refs: w.nodes.iter().map(|n| n.0).collect(),
                        tags: road_tags(&tags),
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
        self.roads_filtered += o.roads_filtered;
        self.road_ways.extend(o.road_ways);
        self.filtered.absorb(o.filtered);
        self.pending_sites.extend(o.pending_sites);
        self.places_raw.extend(o.places_raw);
        self.tagged_nodes.extend(o.tagged_nodes);
        self.pending_buildings.extend(o.pending_buildings);
        self.pending_restrictions.extend(o.pending_restrictions);
    }
}

/// Packed varints read one by one from their bytes; a cut varint ends the stream
/// and sets `bad` (the block is corrupt).
pub(super) struct Varints<'a> {
    bytes: std::slice::Iter<'a, u8>,
    bad: &'a std::cell::Cell<bool>,
}

impl<'a> Varints<'a> {
    pub fn new(bytes: &'a [u8], bad: &'a std::cell::Cell<bool>) -> Varints<'a> {
        Varints {
            bytes: bytes.iter(),
            bad,
        }
    }

    /// As zigzag-coded deltas (`sint64`), summed: the values themselves.
    pub fn deltas(self) -> impl Iterator<Item = i64> + 'a {
        let mut sum = 0i64;
        self.map(move |z| {
            sum = sum.wrapping_add(((z >> 1) as i64) ^ -((z & 1) as i64));
            sum
        })
    }
}

impl Iterator for Varints<'_> {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let Some(&b) = self.bytes.next() else {
                if shift > 0 {
                    self.bad.set(true);
                }
                return None;
            };
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
            if shift >= 64 {
                self.bad.set(true);
                return None;
            }
        }
    }
}

/// Reads dense nodes (ids, decimicro `(lat, lon)`, keys and values): counts them;
/// those with tags are handed to [`FirstPass::take`].
#[allow(clippy::too_many_arguments)]
pub(super) fn dense_nodes(
    part: &mut FirstPass,
    strings: &[Vec<u8>],
    ids: impl Iterator<Item = i64>,
    positions: impl Iterator<Item = (i32, i32)>,
    keys_vals: impl Iterator<Item = i32>,
    kinds: &[SiteKind],
    roads_only: bool,
    keep: &RoadFilter<'_>,
) -> Result<(), String> {
    let mut kv = keys_vals;
    for (id, (lat, lon)) in ids.zip(positions) {
        let mut tags: Option<Tags> = None;
        loop {
            let k = match kv.next() {
                None | Some(0) => break,
                Some(k) => k as usize,
            };
            let Some(v) = kv.next() else { break };
            let (Some(k), Some(v)) = (strings.get(k), strings.get(v as usize)) else {
                return Err("a node tag points outside the block's string table".into());
            };
            tags.get_or_insert_with(Tags::new).insert(
                String::from_utf8_lossy(k).as_ref().into(),
                String::from_utf8_lossy(v).as_ref().into(),
            );
        }
        match tags {
            None => {
                part.nodes_read += 1;
                part.saw_node(id);
            }
            Some(tags) => {
                let node = Node {
                    id: NodeId(id),
                    tags,
                    decimicro_lat: lat,
                    decimicro_lon: lon,
                };
                part.take(OsmObj::Node(node), kinds, roads_only, keep);
            }
        }
    }
    Ok(())
}

/// The first pass over one block. Nodes without tags (most of them) are only
/// counted: their tags and positions are not decoded into objects.
pub(super) fn first_pass(
    block: &PrimitiveBlock,
    kinds: &[SiteKind],
    roads_only: bool,
    keep: &RoadFilter<'_>,
) -> Result<FirstPass, String> {
    let mut part = FirstPass::default();
    let strings = &block.stringtable.s;
    let g = i64::from(block.granularity());
    let (lat0, lon0) = (block.lat_offset(), block.lon_offset());
    for group in &block.primitivegroup {
        for n in osmpbfreader::groups::simple_nodes(group, block) {
            part.take(OsmObj::Node(n), kinds, roads_only, keep);
        }
        let d = &group.dense;
        let (mut lat, mut lon) = (0i64, 0i64);
        let positions = d.lat.iter().zip(&d.lon).map(|(dla, dlo)| {
            lat = lat.wrapping_add(*dla);
            lon = lon.wrapping_add(*dlo);
            (
                (lat0.wrapping_add(g.wrapping_mul(lat)) / 100) as i32,
                (lon0.wrapping_add(g.wrapping_mul(lon)) / 100) as i32,
            )
        });
        let mut id = 0i64;
        let ids = d.id.iter().map(|di| {
            id = id.wrapping_add(*di);
            id
        });
        let kv = d.keys_vals.iter().copied();
        dense_nodes(
            &mut part, strings, ids, positions, kv, kinds, roads_only, keep,
        )?;
        for w in osmpbfreader::groups::ways(group, block) {
            part.take(OsmObj::Way(w), kinds, roads_only, keep);
        }
        for r in osmpbfreader::groups::relations(group, block) {
            part.take(OsmObj::Relation(r), kinds, roads_only, keep);
        }
    }
    Ok(part)
}

/// Decodes a block of the second pass: node ids and positions only.
pub(super) fn positions_block(raw: &[u8]) -> Result<crate::proto::PositionsBlock, String> {
    prost::Message::decode(raw).map_err(|e| format!("the block does not decode ({e})"))
}

/// Calls `f` with the id and position of every node of `block` (simple and dense),
/// in decimicro-degrees `(lon, lat)` rounded as osmpbfreader rounds them.
pub(super) fn node_positions(
    block: &crate::proto::PositionsBlock,
    mut f: impl FnMut(i64, (i32, i32)),
) -> Result<(), String> {
    let g = i64::from(block.granularity.unwrap_or(100));
    let (lat0, lon0) = (block.lat_offset.unwrap_or(0), block.lon_offset.unwrap_or(0));
    let at = |lat: i64, lon: i64| {
        let lat = (lat0.wrapping_add(g.wrapping_mul(lat)) / 100) as i32;
        let lon = (lon0.wrapping_add(g.wrapping_mul(lon)) / 100) as i32;
        (lon, lat)
    };
    for group in &block.primitivegroup {
        for n in &group.nodes {
            f(n.id, at(n.lat, n.lon));
        }
        let Some(d) = &group.dense else { continue };
        let bad = std::cell::Cell::new(false);
        let ids = Varints::new(&d.id, &bad).deltas();
        let lats = Varints::new(&d.lat, &bad).deltas();
        let lons = Varints::new(&d.lon, &bad).deltas();
        for ((id, lat), lon) in ids.zip(lats).zip(lons) {
            f(id, at(lat, lon));
        }
        if bad.get() {
            return Err("the block does not decode (a packed field is cut)".into());
        }
    }
    Ok(())
}

/// Reads the data blobs of `blobs` that `want` (by number), inflates and decodes
/// them in parallel (batches of a few blobs per core) and hands each `decode`
/// result to `consume` with the blob's number, in file order. The first fault in
/// file order (framing, inflating, decoding or a decoder panic) is the error, naming
/// the blob and its offset. Returns the bytes the blobs inflated to.
pub(super) fn par_blobs<R: Read, T: Send>(
    blobs: &mut Framing<R>,
    want: impl Fn(u64) -> bool,
    decode: impl Fn(Vec<u8>) -> Result<T, String> + Sync,
    mut consume: impl FnMut(u64, T),
) -> Result<u64, ReadError> {
    let batch = 4 * rayon::current_num_threads().max(1);
    let mut raw_bytes = 0;
    loop {
        let mut chunk = Vec::with_capacity(batch);
        let mut fault = None;
        while chunk.len() < batch {
            match blobs.next_blob(&want) {
                Ok(Some(b)) => chunk.push(b),
                Ok(None) => break,
                Err(e) => {
                    fault = Some(e);
                    break;
                }
            }
        }
        if chunk.is_empty() && fault.is_none() {
            return Ok(raw_bytes);
        }
        let decoded: Vec<Result<(u64, Option<T>), String>> = chunk
            .par_iter()
            .map(|blob| decode_blob(blob, &decode))
            .collect();
        // A blob read before a framing fault comes first in file order.
        for (blob, d) in chunk.iter().zip(decoded) {
            let (size, t) = d.map_err(ReadError::Pbf)?;
            raw_bytes += size;
            if let Some(t) = t {
                consume(blob.number, t);
            }
        }
        if let Some(e) = fault {
            return Err(ReadError::Pbf(e));
        }
    }
}

/// Inflates and decodes one blob (a wanted one of type `OSMData`); the size it
/// inflated to. A decoder panic is an error naming the blob.
fn decode_blob<T>(
    blob: &FramedBlob,
    decode: &impl Fn(Vec<u8>) -> Result<T, String>,
) -> Result<(u64, Option<T>), String> {
    if blob.blob.is_none() {
        return Ok((0, None));
    }
    let raw = blob.inflate()?;
    let size = raw.len() as u64;
    if !blob.data {
        // Unknown blob types are skipped, as the format says, but must inflate like
        // the others.
        return Ok((size, None));
    }
    catch_unwind(AssertUnwindSafe(|| decode(raw)))
        .unwrap_or_else(|panic| {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the decoder gave up".into());
            Err(format!("the decoder gave up ({detail})"))
        })
        .map(|t| (size, Some(t)))
        .map_err(|e| blob.at(&e))
}

/// A node position in decimicro-degrees `(lon, lat)`; [`MISSING`] when unknown.
pub(super) type Decimicro = (i32, i32);

/// The position of a node absent from the file (or with invalid coordinates).
pub(super) const MISSING: Decimicro = (i32::MIN, i32::MIN);

/// Positions of the nodes the roads and sites use: `ids` sorted, `positions` in
/// the same order (decimicro-degrees, 8 bytes a node).
pub(super) struct Coords {
    pub ids: Vec<i64>,
    pub positions: Vec<Decimicro>,
}

impl Coords {
    /// The position of the node at `k` in `ids`, when the file has it.
    pub fn position(&self, k: usize) -> Option<LonLat> {
        let (lon, lat) = *self.positions.get(k)?;
        ((lon, lat) != MISSING).then(|| LonLat::new(lon as f64 * 1e-7, lat as f64 * 1e-7))
    }

    pub fn get(&self, id: &i64) -> Option<LonLat> {
        self.position(self.index_of(*id)?)
    }

    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }
}

/// Looks ids up in a sorted list, for ids that mostly come in increasing order (the
/// nodes of a block): from the last match on, by a galloping search, so that a
/// block's lookups cost about its length, not its length times log(list).
pub(super) struct SortedLookup<'a> {
    ids: &'a [i64],
    /// Every id before `at` is smaller than the last id looked up.
    at: usize,
    last: i64,
}

impl<'a> SortedLookup<'a> {
    pub fn new(ids: &'a [i64]) -> SortedLookup<'a> {
        SortedLookup {
            ids,
            at: 0,
            last: i64::MIN,
        }
    }

    /// The index of `id` in the list, if it is there.
    pub fn find(&mut self, id: i64) -> Option<usize> {
        if id < self.last {
            self.at = 0;
        }
        self.last = id;
        // Gallop from `at` to a bound past `id`, then search between.
        let rest = &self.ids[self.at..];
        let mut step = 1;
        while step < rest.len() && rest[step] < id {
            step *= 2;
        }
        let window = &rest[..rest.len().min(step + 1)];
        let k = window.partition_point(|&x| x < id);
        self.at += k;
        (self.ids.get(self.at) == Some(&id)).then_some(self.at)
    }
}

/// The node refs of the road ways a caller's filter rejected, delta-encoded (zigzag
/// varints, two or three bytes a ref): read only to number the kept nodes as an
/// import without the filter numbers them (in the order of first use by way id),
/// as downstream ties (snapping to a junction node, say) follow that order.
#[derive(Default)]
pub(super) struct FilteredWays {
    /// Way id, and where its refs start and end in `bytes`.
    ways: Vec<(i64, usize, usize)>,
    bytes: Vec<u8>,
}

impl FilteredWays {
    pub fn push(&mut self, id: i64, refs: impl Iterator<Item = i64>) {
        let start = self.bytes.len();
        let mut last = 0i64;
        for r in refs {
            let delta = r.wrapping_sub(last);
            last = r;
            let mut z = ((delta << 1) ^ (delta >> 63)) as u64;
            while z >= 0x80 {
                self.bytes.push((z as u8) | 0x80);
                z >>= 7;
            }
            self.bytes.push(z as u8);
        }
        self.ways.push((id, start, self.bytes.len()));
    }

    fn absorb(&mut self, o: FilteredWays) {
        let shift = self.bytes.len();
        self.ways.extend(
            o.ways
                .into_iter()
                .map(|(id, a, b)| (id, a + shift, b + shift)),
        );
        self.bytes.extend(o.bytes);
    }

    /// The ways, sorted by id (stable: in file order for the same id).
    pub fn sort(&mut self) {
        self.ways.sort_by_key(|w| w.0);
    }

    pub fn len(&self) -> usize {
        self.ways.len()
    }

    /// The id of the `i`-th way.
    pub fn id(&self, i: usize) -> i64 {
        self.ways[i].0
    }

    /// The node refs of the `i`-th way.
    pub fn refs(&self, i: usize) -> impl Iterator<Item = i64> + '_ {
        let (_, a, b) = self.ways[i];
        let mut bytes = self.bytes[a..b].iter();
        let mut last = 0i64;
        std::iter::from_fn(move || {
            let mut z = 0u64;
            let mut shift = 0;
            loop {
                let &b = bytes.next()?;
                z |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 || shift >= 64 {
                    break;
                }
            }
            let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
            last = last.wrapping_add(delta);
            Some(last)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_zigzag_deltas_and_flag_a_cut_one() {
        let bad = std::cell::Cell::new(false);
        // 1, +1 (2), -3 (-1), +150 (149): zigzag 2, 2, 5, 300 (0xac 0x02).
        let bytes = [2u8, 2, 5, 0xac, 0x02];
        let v: Vec<i64> = Varints::new(&bytes, &bad).deltas().collect();
        assert_eq!(v, [1, 2, -1, 149]);
        assert!(!bad.get());
        let v: Vec<i64> = Varints::new(&bytes[..4], &bad).deltas().collect();
        assert_eq!(v, [1, 2, -1]);
        assert!(bad.get());
    }

    #[test]
    fn sorted_lookup_finds_ids_in_any_order() {
        let ids = [2i64, 3, 5, 8, 13, 21, 34];
        let mut l = SortedLookup::new(&ids);
        let found: Vec<Option<usize>> = [1, 2, 4, 5, 34, 3, 21, 40]
            .iter()
            .map(|&id| l.find(id))
            .collect();
        assert_eq!(
            found,
            [
                None,
                Some(0),
                None,
                Some(2),
                Some(6),
                Some(1),
                Some(5),
                None
            ]
        );
    }

    #[test]
    fn filtered_ways_give_their_refs_back() {
        let mut f = FilteredWays::default();
        f.push(9, [5i64, 4, 3].into_iter());
        let mut g = FilteredWays::default();
        g.push(2, [i64::MAX, -7, 1 << 40].into_iter());
        f.absorb(g);
        f.sort();
        assert_eq!((f.len(), f.id(0), f.id(1)), (2, 2, 9));
        assert_eq!(f.refs(0).collect::<Vec<_>>(), [i64::MAX, -7, 1 << 40]);
        assert_eq!(f.refs(1).collect::<Vec<_>>(), [5, 4, 3]);
    }
}
