//! OpenStreetMap import: reads a PBF extract into a raw map (road ways with the tags
//! routing needs, candidate stop sites, places where people live), and writes PBF
//! files deterministically (for the demo territory and for test fixtures).
//!
//! This crate decides *what* is in the extract; it makes no routing decision (which
//! roads a car may use, at what speed): that is `tournee-routing`'s car profile.

pub mod boundaries;
pub mod buildings;
pub mod import;
pub mod names;
pub mod pbf_check;
mod proto;
pub mod restrictions;
mod road_tags;
pub mod write;

pub use import::{
    import, import_roads, import_roads_filtered, ImportError, ImportReport, RawMap, RawRoad,
    RoadFilter, RoadTags, WayTags,
};
pub use restrictions::RawRestriction;
