//! Turn restrictions (`restriction=no_*|only_*` relations) as found in OSM, before
//! any routing decision: the import keeps the relation's restriction tags and its
//! `from` / `via` / `to` members; which tags a mode obeys, and how, is decided by the
//! routing profile (`tournee-routing`'s `turns` module).
//!
//! A relation is kept when it has a tag whose key starts with `restriction` and at
//! least one `from` way, one `via` (a node or ways) and one `to` way. A `via` node
//! must be a node of the kept roads, else the relation is dropped (counted in
//! [`crate::ImportReport::restrictions_dropped`]); via ways are kept by id.

use osmpbfreader::{OsmId, Relation};

/// A turn-restriction relation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRestriction {
    pub osm_id: i64,
    /// Tags whose key starts with `restriction` or is `except`, sorted by key.
    pub tags: Vec<(String, String)>,
    /// OSM ids of the `from` ways (several only for `no_entry`).
    pub from: Vec<i64>,
    /// The `via` node, as an index into [`crate::RawMap::nodes`].
    pub via_node: Option<u32>,
    /// OSM ids of the `via` ways, in member order (empty for a via-node restriction).
    pub via_ways: Vec<i64>,
    /// OSM ids of the `to` ways (several only for `no_exit`).
    pub to: Vec<i64>,
}

impl RawRestriction {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A restriction from the first pass, its via node still an OSM id.
pub(crate) struct PendingRestriction {
    raw: RawRestriction,
    via_node: Option<i64>,
}

/// The restriction in relation `r`, if it is one.
pub(crate) fn pending_restriction(r: &Relation) -> Option<PendingRestriction> {
    let mut tags: Vec<(String, String)> = r
        .tags
        .iter()
        .filter(|(k, _)| k.starts_with("restriction") || k.as_str() == "except")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !tags.iter().any(|(k, _)| k.starts_with("restriction")) {
        return None;
    }
    tags.sort();
    let mut raw = RawRestriction {
        osm_id: r.id.0,
        tags,
        ..RawRestriction::default()
    };
    let mut via_node = None;
    for m in &r.refs {
        match (m.role.as_str(), m.member) {
            ("from", OsmId::Way(w)) => raw.from.push(w.0),
            ("to", OsmId::Way(w)) => raw.to.push(w.0),
            ("via", OsmId::Way(w)) => raw.via_ways.push(w.0),
            ("via", OsmId::Node(n)) => via_node = Some(n.0),
            _ => {}
        }
    }
    let has_via = via_node.is_some() || !raw.via_ways.is_empty();
    (!raw.from.is_empty() && has_via && !raw.to.is_empty())
        .then_some(PendingRestriction { raw, via_node })
}

/// The pending restrictions with their via node resolved to a road node index
/// (`index`: OSM node id → index); those whose via node is not a road node are
/// dropped and counted. Sorted by relation id.
pub(crate) fn resolve_restrictions(
    pending: Vec<PendingRestriction>,
    index: impl Fn(i64) -> Option<u32>,
    dropped: &mut u64,
) -> Vec<RawRestriction> {
    let mut out: Vec<RawRestriction> = pending
        .into_iter()
        .filter_map(|p| {
            let mut raw = p.raw;
            if let Some(id) = p.via_node {
                match index(id) {
                    Some(i) => raw.via_node = Some(i),
                    None => {
                        *dropped += 1;
                        return None;
                    }
                }
            }
            Some(raw)
        })
        .collect();
    out.sort_by_key(|r| r.osm_id);
    out
}
