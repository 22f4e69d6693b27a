//! PBF → [`RawMap`]: road ways with the tags routing needs, candidate stop sites and
//! places where people live.
//!
//! Promises:
//! - never panics on bad input: a truncated or corrupted file is an [`ImportError`]
//!   naming the file; ways that point to missing nodes are split at the gap and
//!   counted in the [`ImportReport`], never silently joined;
//! - reads the file twice (ways and tagged nodes first, then the coordinates of the
//!   nodes they need), so memory follows what is kept, not the size of the extract;
//!   each pass decodes the file's blocks in parallel ([`blocks`]), in file order.
//!   The first pass checks the framing of every blob and inflates each once
//!   (`pbf_check::Framing`; a fault is reported for the first faulty blob
//!   in file order); the second inflates only the blobs whose node id range holds a
//!   needed node, and decodes only their node ids and positions;
//! - [`import_roads`] reads only what a road graph needs (`tournee matrix`): no
//!   site, place, building or boundary; [`import_roads_filtered`] also leaves out
//!   the road ways the caller's [`RoadFilter`] rejects (`tournee matrix`: those the
//!   car profile certainly drops), and the nodes only they use, while numbering the
//!   kept nodes as the unfiltered import does (first use, by way id), so that the
//!   graph built from it, ties included, is the same;
//! - the output order is deterministic (by OSM id).
//!
//! What it costs (`tournee matrix`'s `import_s`, release build, the 2-core machine
//! shared with other work, median of 3): Andorra (3.2 MB) 0.052 s, Monaco 0.034 s,
//! Rutland 0.031 s (0.137, 0.093 and 0.073 s before `import17`'s changes: the framing
//! check merged into the first pass, zlib-rs, prost decoding of only what is read,
//! the car filter); the 9×9 tiling of Andorra (222 MB, 38 M nodes) 4.0 to 5.8 s,
//! 3.06 M nodes and 290 k roads kept (12.0 s, 11.7 M and 629 k), a `RawMap` of about
//! 236 MB on the heap (732 MB) and 397 MB of peak RSS at the end of the import
//! (1.2 GB). Most of what is left is inflating (each blob of the first pass, the
//! node blobs of the second) and the roads' tags as `String`s (about 115 MB on the
//! 9×9: interning them needs [`RawRoad::tags`] to change type, with the routing
//! crate).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use osmpbfreader::Tags;

mod blocks;
mod roads_pass;
mod sites;
mod way_tags;

pub use way_tags::WayTags;

use crate::pbf_check::Framing;
use blocks::{
    first_pass, node_positions, par_blobs, positions_block, Coords, Decimicro, FilteredWays,
    FirstPass, RoadWay, SortedLookup, MISSING,
};
use sites::{build_places, build_sites};

use crate::restrictions::{resolve_restrictions, RawRestriction};
pub use crate::road_tags::RoadTags;
use tournee_model::{LonLat, Place, Progress, Site, SiteKind};

/// Tags of a road way that the car profile may look at.
pub const ROAD_TAGS: &[&str] = &[
    "highway",
    "route",
    "duration",
    "oneway",
    "oneway:motorcar",
    "oneway:motor_vehicle",
    "oneway:vehicle",
    "junction",
    "driving_side",
    "maxspeed",
    "maxspeed:forward",
    "maxspeed:backward",
    "maxspeed:advisory",
    "maxspeed:advisory:forward",
    "maxspeed:advisory:backward",
    "source:maxspeed",
    "source:maxspeed:forward",
    "source:maxspeed:backward",
    "maxspeed:type",
    "maxspeed:type:forward",
    "maxspeed:type:backward",
    "access",
    "access:forward",
    "access:backward",
    "vehicle",
    "vehicle:forward",
    "vehicle:backward",
    "motor_vehicle",
    "motor_vehicle:forward",
    "motor_vehicle:backward",
    "motorcar",
    "motorcar:forward",
    "motorcar:backward",
    "service",
    "area",
    "construction",
    "impassable",
    "status",
    "surface",
    "tracktype",
    "smoothness",
    "maxheight",
    "maxheight:physical",
    "maxwidth",
    "maxwidth:physical",
    "width",
    "est_width",
    "maxlength",
    "maxweight",
    "maxweightrating",
    // Routability (`routing::profile::routability`).
    "lanes",
    "lane_markings",
    "side_road",
    "priority",
    "name",
    "ref",
    // Read by the cargo-bike and foot profiles (`routing::active`).
    "bicycle",
    "bicycle:forward",
    "bicycle:backward",
    "foot",
    "oneway:bicycle",
    "cycleway",
    "cycleway:left",
    "cycleway:right",
    "cycleway:both",
    "sidewalk",
    "sidewalk:both",
    "sidewalk:left",
    "sidewalk:right",
    "motorroad",
];

/// Tags of a road node that the car profile may look at (barriers, access, traffic
/// signals, stops); a node is kept in [`RawMap::node_tags`] when it has one of the
/// first six, `bicycle` or `foot` (read by `routing::active`).
pub const NODE_TAGS: &[&str] = &[
    "barrier",
    "highway",
    "access",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "bollard",
    "kerb",
    "sensory",
    "maxheight",
    "direction",
    "traffic_signals:direction",
    "stop",
    "bicycle",
    "foot",
];

/// Which road ways (`highway=*` or ferry routes) to keep: the caller's own rule
/// ([`import_roads_filtered`]); a way it rejects is not stored, nor are its nodes
/// read unless another way needs them.
pub type RoadFilter<'a> = dyn Fn(&WayTags) -> bool + Sync + 'a;

/// The filter that keeps every road way.
fn every_road(_: &WayTags) -> bool {
    true
}

/// Whether a way is one the car profile should see: a road, or a ferry route.
fn is_road(tags: &WayTags) -> bool {
    tags.contains("highway") || tags.get("route") == Some("ferry")
}

/// The way's [`ROAD_TAGS`], sorted (a repeated key keeps its first value).
fn road_tags(tags: &WayTags) -> RoadTags {
    // The way's few tags looked up in the list, not the list's many keys in the
    // way's tags.
    tags.pairs()
        .filter(|(k, _)| ROAD_TAGS.contains(k))
        .collect()
}

/// The node's [`NODE_TAGS`], sorted, when it may matter to a car.
fn node_tags(tags: &Tags) -> Option<Vec<(String, String)>> {
    let relevant = [
        "barrier",
        "access",
        "vehicle",
        "motor_vehicle",
        "motorcar",
        "bicycle",
        "foot",
    ]
    .iter()
    .any(|k| tags.contains_key(*k))
        || tags.get("highway").is_some_and(|h| {
            matches!(
                h.as_str(),
                "traffic_signals" | "stop" | "give_way" | "turning_circle" | "turning_loop"
            )
        });
    relevant.then(|| {
        let mut t: Vec<(String, String)> = NODE_TAGS
            .iter()
            .filter_map(|k| tags.get(*k).map(|v| (k.to_string(), v.to_string())))
            .collect();
        t.sort();
        t
    })
}

/// A road way as found in OSM, before any routing decision.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRoad {
    pub osm_id: i64,
    /// Indices into [`RawMap::nodes`]; at least two.
    pub nodes: Vec<u32>,
    /// The subset of [`ROAD_TAGS`] present on the way, sorted by key.
    pub tags: RoadTags,
}

impl RawRoad {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key)
    }
}

/// Everything the later stages need from an extract.
#[derive(Debug, Clone, Default)]
pub struct RawMap {
    /// Coordinates of the road nodes, indexed by the `nodes` of [`RawRoad`].
    pub nodes: Vec<LonLat>,
    /// OSM id of each node in `nodes`.
    pub node_ids: Vec<i64>,
    pub roads: Vec<RawRoad>,
    /// Tags ([`NODE_TAGS`]) of the road nodes that have any that matter to a car,
    /// by index into `nodes`, in index order.
    pub node_tags: Vec<(u32, Vec<(String, String)>)>,
    /// Turn-restriction relations whose via node (if any) is a road node, by id.
    pub restrictions: Vec<RawRestriction>,
    pub sites: Vec<Site>,
    /// Address, access and commune details of each site, by index into `sites`
    /// ([`crate::names`]).
    pub site_details: Vec<crate::names::SiteDetails>,
    /// The communes as areas ([`crate::boundaries`]), when the extract has their
    /// boundaries.
    pub communes: crate::boundaries::Communes,
    pub places: Vec<Place>,
    pub report: ImportReport,
}

/// What the import read, kept and skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub nodes_read: u64,
    pub ways_read: u64,
    pub roads_kept: u64,
    /// Road ways with references to nodes absent from the file.
    pub roads_with_missing_nodes: u64,
    pub missing_node_refs: u64,
    /// Road ways left with fewer than two known nodes.
    pub roads_dropped: u64,
    /// Road ways the caller's [`RoadFilter`] rejected (not stored).
    pub roads_filtered: u64,
    pub sites_by_kind: BTreeMap<String, u64>,
    /// Site areas (closed ways) none of whose nodes are in the file.
    pub sites_dropped: u64,
    pub places: u64,
    /// Places without `population=*` given the per-type guess ([`PLACE_TYPES`]).
    pub places_estimated: u64,
    /// Ways tagged `building=*`.
    pub buildings_read: u64,
    /// Of them, buildings counted as housing ([`dwellings`] > 0).
    pub buildings_residential: u64,
    /// Dwellings in those buildings, and those within reach of a place.
    pub dwellings: u64,
    pub dwellings_assigned: u64,
    /// Places without `population=*` whose population is estimated from the
    /// dwellings around them ([`PopulationSource::Buildings`]).
    pub places_from_buildings: u64,
    /// Turn-restriction relations read, and dropped because their via node is not
    /// a node of the kept roads.
    pub restrictions_read: u64,
    pub restrictions_dropped: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", tournee_i18n::tr!("osm-open", path = path, reason = tournee_i18n::io_reason(reason)))]
    Open {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{}", tournee_i18n::tr!("osm-corrupt", path = path, detail = detail))]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}", tournee_i18n::tr!("osm-no-roads", path = path))]
    NoRoads { path: PathBuf },
}

/// Places that count as where people live.
const PLACE_TYPES: &[(&str, u32)] = &[
    ("city", 20_000),
    ("town", 3_000),
    ("village", 400),
    ("hamlet", 60),
];

/// Reads `path` and keeps roads, candidate sites of the given kinds and places.
pub fn import(
    path: &Path,
    kinds: &[SiteKind],
    progress: &dyn Progress,
) -> Result<RawMap, ImportError> {
    import_with(path, kinds, false, &every_road, progress)
}

/// Reads only what a road graph needs from `path`: road ways, the tags of their
/// nodes and turn restrictions. No site, place, building or commune boundary is
/// read (`tournee matrix`, which needs nothing else, imports faster and in less
/// memory).
pub fn import_roads(path: &Path, progress: &dyn Progress) -> Result<RawMap, ImportError> {
    import_with(path, &[], true, &every_road, progress)
}

/// [`import_roads`], keeping only the road ways `keep` accepts: a caller that
/// knows it will reject some (a car never uses a footway) spares their storage and
/// the reading of their nodes. The error for an extract without any road way is
/// still [`ImportError::NoRoads`]; when the filter rejected them all, the map is
/// returned empty, [`ImportReport::roads_filtered`] saying how many.
pub fn import_roads_filtered(
    path: &Path,
    progress: &dyn Progress,
    keep: &RoadFilter<'_>,
) -> Result<RawMap, ImportError> {
    import_with(path, &[], true, keep, progress)
}

fn import_with(
    path: &Path,
    kinds: &[SiteKind],
    roads_only: bool,
    keep: &RoadFilter<'_>,
    progress: &dyn Progress,
) -> Result<RawMap, ImportError> {
    let size = std::fs::metadata(path)
        .map_err(|reason| ImportError::Open {
            path: path.to_path_buf(),
            reason,
        })?
        .len();
    let corrupt = |detail: String| ImportError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    // The framing of every blob is checked, and every blob inflated, as the first
    // pass reads it ([`crate::pbf_check::Framing`]): a truncated or corrupted file is
    // an error naming the first faulty blob in file order. osmpbfreader asserts on
    // some corruptions (it panics): such a panic is a corrupt file for us too.
    let outcome = {
        let _quiet = QuietDecoderPanics::new();
        catch_unwind(AssertUnwindSafe(|| {
            read_all(path, size, kinds, roads_only, keep, progress).map_err(|e| match e {
                ReadError::Open(reason) => ImportError::Open {
                    path: path.to_path_buf(),
                    reason,
                },
                ReadError::Pbf(d) => corrupt(d),
            })
        }))
    };
    let mut map = match outcome {
        Ok(r) => r?,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the decoder gave up".into());
            return Err(corrupt(format!("the decoder gave up ({detail})")));
        }
    };
    if map.roads.is_empty() && map.report.roads_filtered == 0 {
        return Err(ImportError::NoRoads {
            path: path.to_path_buf(),
        });
    }
    if roads_only {
        return Ok(map);
    }
    progress.begin(&tournee_i18n::tr!("osm-stage-boundaries"), 0);
    let communes = crate::boundaries::Communes::from_pbf(path).map_err(corrupt)?;
    crate::boundaries::assign_sites(&mut map, communes);
    progress.done(&tournee_i18n::tr!(
        "osm-boundaries-done",
        boundaries = map.communes.boundaries.len(),
        placed = map
            .site_details
            .iter()
            .filter(|d| !d.commune_from_nearest_place)
            .count(),
        sites = map.sites.len()
    ));
    Ok(map)
}

/// While alive, panics raised inside the PBF decoder (osmpbfreader) are not
/// printed: they are caught and reported as a corrupt file with its blob and
/// offset, and a user must never see `panicked at …`. Other panics print as usual.
struct QuietDecoderPanics;

static QUIET_IMPORTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl QuietDecoderPanics {
    fn new() -> QuietDecoderPanics {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let in_decoder = info
                    .location()
                    .is_some_and(|l| l.file().contains("osmpbfreader"));
                if !(in_decoder && QUIET_IMPORTS.load(std::sync::atomic::Ordering::Relaxed) > 0) {
                    previous(info);
                }
            }));
        });
        QUIET_IMPORTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        QuietDecoderPanics
    }
}

impl Drop for QuietDecoderPanics {
    fn drop(&mut self) {
        QUIET_IMPORTS.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

enum ReadError {
    Open(std::io::Error),
    Pbf(String),
}

/// Reports every byte read to the progress receiver.
struct Counting<'p, R> {
    inner: R,
    progress: &'p dyn Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

fn read_all(
    path: &Path,
    size: u64,
    kinds: &[SiteKind],
    roads_only: bool,
    keep: &RoadFilter<'_>,
    progress: &dyn Progress,
) -> Result<RawMap, ReadError> {
    let open = || -> Result<Framing<Counting<'_, BufReader<File>>>, ReadError> {
        let file = File::open(path).map_err(ReadError::Open)?;
        Ok(Framing::new(Counting {
            inner: BufReader::with_capacity(1 << 16, file),
            progress,
        }))
    };

    let mut report = ImportReport::default();
    progress.begin(&tournee_i18n::tr!("osm-stage-ways"), size);
    let mut first = FirstPass::default();
    // The node ids each data blob holds (smallest, largest), by blob number: the
    // second pass reads only the blobs that may hold a node it needs.
    let mut node_ranges: Vec<(u64, i64, i64)> = Vec::new();
    let mut blobs = open()?;
    par_blobs(
        &mut blobs,
        |_| true,
        |raw| {
            if roads_only {
                if let Some(part) = roads_pass::first_pass_roads(&raw, keep)? {
                    return Ok(part);
                }
            }
            let mut blob = osmpbfreader::fileformat::Blob::new();
            blob.set_raw(raw);
            let block = osmpbfreader::primitive_block_from_blob(&blob)
                .map_err(|e| format!("the block does not decode ({e})"))?;
            first_pass(&block, kinds, roads_only, keep)
        },
        |number, mut part| {
            if let Some((lo, hi)) = part.node_range.take() {
                node_ranges.push((number, lo, hi));
            }
            first.absorb(part)
        },
    )?;
    drop(blobs);
    let FirstPass {
        nodes_read,
        ways_read,
        buildings_read,
        restrictions_read,
        roads_filtered,
        filtered,
        road_ways,
        pending_sites,
        places_raw,
        tagged_nodes,
        pending_buildings,
        pending_restrictions,
        node_range: _,
    } = first;
    report.nodes_read = nodes_read;
    report.ways_read = ways_read;
    report.buildings_read = buildings_read;
    report.restrictions_read = restrictions_read;
    report.roads_filtered = roads_filtered;
    // A node listed twice keeps its last tags.
    let tagged_nodes: HashMap<i64, Vec<(String, String)>> = tagged_nodes.into_iter().collect();
    progress.done(&tournee_i18n::tr!(
        "osm-ways-done",
        ways = road_ways.len(),
        sites = pending_sites.len(),
        places = places_raw.len()
    ));

    // Second pass: coordinates of the nodes the roads and site areas use, kept as
    // a sorted list of ids and a parallel vector of positions (no hashing).
    let mut needed: Vec<i64> = road_ways
        .iter()
        .flat_map(|w| w.refs.iter().copied())
        .chain(pending_sites.iter().flat_map(|s| s.refs.iter().copied()))
        .collect();
    needed.sort_unstable();
    needed.dedup();
    needed.shrink_to_fit();
    // Building nodes: the same, as they are many in real extracts.
    let mut building_nodes = crate::buildings::NodeTable::new(&pending_buildings);
    // The blobs worth reading: those with a node in the id range of a needed node
    // (every blob with nodes when buildings are read).
    let wanted: Vec<u64> = node_ranges
        .iter()
        .filter(|&&(_, lo, hi)| {
            let i = needed.partition_point(|&id| id < lo);
            !pending_buildings.is_empty() || needed.get(i).is_some_and(|&id| id <= hi)
        })
        .map(|&(number, _, _)| number)
        .collect();
    drop(node_ranges);
    progress.begin(&tournee_i18n::tr!("osm-stage-coords"), size);
    let mut positions: Vec<Decimicro> = vec![MISSING; needed.len()];
    let mut found = 0usize;
    let mut building_positions: Vec<(u32, LonLat)> = Vec::new();
    let mut blobs = open()?;
    par_blobs(
        &mut blobs,
        |number| wanted.binary_search(&number).is_ok(),
        |raw| {
            let block = positions_block(&raw)?;
            drop(raw);
            let mut roads = Vec::new();
            let mut buildings = Vec::new();
            let mut lookup = SortedLookup::new(&needed);
            node_positions(&block, |id, (lon, lat)| {
                if let Some(i) = lookup.find(id) {
                    let at = LonLat::new(lon as f64 * 1e-7, lat as f64 * 1e-7);
                    if at.is_valid() {
                        roads.push((i as u32, (lon, lat)));
                    }
                }
                if let Some(i) = building_nodes.index_of(id) {
                    let at = LonLat::new(lon as f64 * 1e-7, lat as f64 * 1e-7);
                    buildings.push((i as u32, at));
                }
            })?;
            Ok((roads, buildings))
        },
        |_, (roads, buildings)| {
            for (i, at) in roads {
                found += usize::from(positions[i as usize] == MISSING);
                positions[i as usize] = at;
            }
            building_positions.extend(buildings);
        },
    )?;
    drop(blobs);
    for (i, at) in building_positions {
        building_nodes.set_at(i as usize, at);
    }
    let coords = Coords {
        ids: needed,
        positions,
    };
    progress.done(&tournee_i18n::tr!("osm-coords-done", count = found));

    let mut map = RawMap {
        report,
        ..RawMap::default()
    };
    // The map holds at most the nodes of `coords` with a position (all of them when
    // only roads are read), and about one road per way: no room to spare.
    map.nodes.reserve_exact(found);
    map.node_ids.reserve_exact(found);
    map.roads.reserve_exact(road_ways.len());
    let index = build_roads(&mut map, road_ways, filtered, &coords, tagged_nodes);
    map.roads.shrink_to_fit();
    map.restrictions = resolve_restrictions(
        pending_restrictions,
        &index,
        &mut map.report.restrictions_dropped,
    );
    drop(index);
    if roads_only {
        return Ok(map);
    }
    let homes = crate::buildings::homes(pending_buildings, &building_nodes, &mut map.report);
    map.places = build_places(places_raw, &homes, &mut map.report);
    if map.report.buildings_read > 0 {
        progress.begin(&tournee_i18n::tr!("osm-stage-buildings"), 0);
        progress.done(&tournee_i18n::tr!(
            "osm-buildings-done",
            buildings = map.report.buildings_read,
            dwellings = map.report.dwellings,
            residential = map.report.buildings_residential,
            assigned = map.report.dwellings_assigned,
            places = map.report.places_from_buildings
        ));
    }
    let streets = crate::names::Streets::new(&map);
    (map.sites, map.site_details) = build_sites(
        pending_sites,
        &coords,
        &map.places,
        &streets,
        &mut map.report,
    );
    Ok(map)
}

fn site_kind(tags: &Tags, kinds: &[SiteKind]) -> Option<SiteKind> {
    tags.get("amenity")
        .and_then(|a| SiteKind::from_amenity(a))
        .filter(|k| kinds.contains(k))
}

fn build_roads<'c>(
    map: &mut RawMap,
    mut ways: Vec<RoadWay>,
    mut filtered: FilteredWays,
    coords: &'c Coords,
    mut tagged_nodes: HashMap<i64, Vec<(String, String)>>,
) -> impl Fn(i64) -> Option<u32> + 'c {
    ways.sort_by_key(|w| w.osm_id);
    filtered.sort();
    let mut next_filtered = 0;
    // The road node index of each id of `coords` (u32::MAX until first used).
    let mut slot: Vec<u32> = vec![u32::MAX; coords.ids.len()];
    for RoadWay { osm_id, refs, tags } in ways {
        // The ways the filter rejected before this one number the kept nodes they
        // use first, as without the filter.
        while next_filtered < filtered.len() && filtered.id(next_filtered) < osm_id {
            for r in filtered.refs(next_filtered) {
                let Some(k) = coords.index_of(r) else {
                    continue;
                };
                if slot[k] == u32::MAX {
                    if let Some(pos) = coords.position(k) {
                        map.nodes.push(pos);
                        map.node_ids.push(r);
                        slot[k] = (map.nodes.len() - 1) as u32;
                    }
                }
            }
            next_filtered += 1;
        }
        // Split the way wherever it points to a node the file does not have.
        let mut pieces: Vec<Vec<u32>> = vec![Vec::with_capacity(refs.len())];
        let mut missing = 0;
        for r in refs {
            let known = coords
                .index_of(r)
                .and_then(|k| coords.position(k).map(|p| (k, p)));
            match known {
                Some((k, pos)) => {
                    if slot[k] == u32::MAX {
                        map.nodes.push(pos);
                        map.node_ids.push(r);
                        slot[k] = (map.nodes.len() - 1) as u32;
                    }
                    pieces.last_mut().expect("never empty").push(slot[k]);
                }
                None => {
                    missing += 1;
                    pieces.push(Vec::new());
                }
            }
        }
        if missing > 0 {
            map.report.roads_with_missing_nodes += 1;
            map.report.missing_node_refs += missing;
        }
        let mut kept = false;
        for mut nodes in pieces.into_iter().filter(|p| p.len() >= 2) {
            kept = true;
            nodes.shrink_to_fit();
            map.roads.push(RawRoad {
                osm_id,
                nodes,
                tags: tags.clone(),
            });
        }
        if kept {
            map.report.roads_kept += 1;
        } else {
            map.report.roads_dropped += 1;
        }
    }
    // OSM node id → road node index, for the few nodes that need it.
    let index = move |id: i64| {
        coords
            .index_of(id)
            .map(|k| slot[k])
            .filter(|&i| i != u32::MAX)
    };
    map.node_tags = tagged_nodes
        .drain()
        .filter_map(|(id, t)| index(id).map(|i| (i, t)))
        .collect();
    map.node_tags.sort_unstable_by_key(|(i, _)| *i);
    index
}

/// Parses `population=*` as mapped in the wild: "1234", "1 234", "1,234", "1.234".
pub fn parse_population(raw: &str) -> Option<u32> {
    let digits: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '.' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_as_mapped_in_the_wild() {
        assert_eq!(parse_population("1234"), Some(1234));
        assert_eq!(parse_population("1 234"), Some(1234));
        assert_eq!(parse_population("12,345"), Some(12345));
        assert_eq!(parse_population("about 300"), None);
        assert_eq!(parse_population(""), None);
    }
}
