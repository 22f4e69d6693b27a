//! The first pass over a block when only roads are read ([`super::import_roads`]):
//! the block decoded by prost into what a road graph needs (strings, tagged nodes,
//! ways), each way's tags looked up in the block's strings, not copied into a map
//! first. The result is the same as [`super::blocks::first_pass`]'s.

use std::borrow::Cow;

use osmpbfreader::{Node, NodeId, OsmObj, Tags};

use super::blocks::{dense_nodes, FirstPass, RoadWay, Varints};
use super::{is_road, road_tags, RoadFilter, WayTags};
use crate::proto::RoadsBlock;

/// The first pass over the inflated block `raw`, or `None` when the block holds
/// relations (turn restrictions: read by [`super::blocks::first_pass`]).
pub(super) fn first_pass_roads(
    raw: &[u8],
    keep: &RoadFilter<'_>,
) -> Result<Option<FirstPass>, String> {
    let block: RoadsBlock =
        prost::Message::decode(raw).map_err(|e| format!("the block does not decode ({e})"))?;
    if block.primitivegroup.iter().any(|g| !g.relations.is_empty()) {
        return Ok(None);
    }
    let bytes = &block.stringtable.s;
    let strings: Vec<Cow<str>> = bytes.iter().map(|s| String::from_utf8_lossy(s)).collect();
    let g = i64::from(block.granularity.unwrap_or(100));
    let (lat0, lon0) = (block.lat_offset.unwrap_or(0), block.lon_offset.unwrap_or(0));
    let at = |c0: i64, c: i64| (c0.wrapping_add(g.wrapping_mul(c)) / 100) as i32;
    let outside = || "a tag points outside the block's string table".to_string();
    let mut part = FirstPass::default();
    for group in &block.primitivegroup {
        for n in &group.nodes {
            // As osmpbfreader reads them: a repeated key keeps its first value.
            let tags: Tags = n
                .keys
                .iter()
                .zip(&n.vals)
                .map(|(&k, &v)| {
                    let k = strings.get(k as usize).ok_or_else(outside)?;
                    let v = strings.get(v as usize).ok_or_else(outside)?;
                    Ok((k.as_ref().into(), v.as_ref().into()))
                })
                .collect::<Result<_, String>>()?;
            let node = Node {
                id: NodeId(n.id),
                tags,
                decimicro_lat: at(lat0, n.lat),
                decimicro_lon: at(lon0, n.lon),
            };
            part.take(OsmObj::Node(node), &[], true, keep);
        }
        if let Some(d) = &group.dense {
            // The tagged nodes' positions are not needed here (the second pass reads
            // those of the road nodes, and a node without a valid one is left out
            // with its tags): their fields are not even decoded.
            let bad = std::cell::Cell::new(false);
            let ids = Varints::new(&d.id, &bad).deltas();
            let kv = Varints::new(&d.keys_vals, &bad).map(|v| v as i32);
            let nowhere = std::iter::repeat((0, 0));
            dense_nodes(&mut part, bytes, ids, nowhere, kv, &[], true, keep)?;
            if bad.get() {
                return Err("the block does not decode (a packed field is cut)".into());
            }
        }
        for w in &group.ways {
            part.ways_read += 1;
            let tags = WayTags::in_block(&w.keys, &w.vals, &strings).ok_or_else(outside)?;
            if w.refs.len() < 2 || !is_road(&tags) {
                continue;
            }
            let mut last = 0i64;
            let refs = w.refs.iter().map(|&d| {
                last = last.wrapping_add(d);
                last
            });
            if keep(&tags) {
                part.road_ways.push(RoadWay {
                    osm_id: w.id,
                    refs: refs.collect(),
                    tags: road_tags(&tags),
                });
            } else {
                part.roads_filtered += 1;
                part.filtered.push(w.id, refs);
            }
        }
    }
    Ok(Some(part))
}
