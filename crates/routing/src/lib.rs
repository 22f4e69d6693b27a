//! Road graphs for cars, cargo bikes and walkers ([`active`]): which roads a car may use and how fast ([`profile`]), how it
//! turns ([`turns`]: an edge-based graph with OSRM's turn penalties and restrictions), a
//! compact graph of the largest strongly connected part of the network ([`graph`]),
//! snapping of points to it, and shortest drive times and distances between points
//! ([`matrix`]).
//!
//! Promises: every node of a [`RoadGraph`] can reach every other (one strongly
//! connected component), so any two snapped points have a finite drive time (unless
//! the only way between them enters more than 255 restricted areas, [`table`]); times
//! are whole seconds and distances whole metres, rounded once at the end of a path.

pub mod active;
pub mod ch;
mod cost;
pub mod driving_side;
pub mod graph;
mod grid;
pub mod matrix;
mod memory;
pub mod path;
pub mod profile;
mod scc;

pub mod table;
pub mod turns;

pub use active::{BikeProfile, FootProfile};
pub use ch::{ChStats, ContractionHierarchy};
pub use graph::{BuildReport, NodeIdx, RoadGraph, Snap};
pub use matrix::{Direction, Matrix, ShortestPaths};
pub(crate) use memory::release_freed_memory;
pub use memory::return_large_blocks_at_once;
pub use path::Route;
pub use profile::{CarProfile, CarWays, ProfileReport, RoadUse, TravelProfile};
pub use table::Phantom;
pub use turns::{CarTurns, TurnModel, TurnReport};
