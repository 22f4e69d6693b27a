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
pub mod driving_side;
pub mod graph;
mod grid;
pub mod matrix;
pub mod path;
pub mod profile;
mod scc;

/// Gives the memory freed by a finished stage back to the system, so that the
/// next stage's peak is not added to it: glibc's allocator keeps freed blocks
/// between live ones (an import leaves hundreds of megabytes of them), and only
/// `malloc_trim` returns those pages. Elsewhere, nothing to do.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}
pub mod table;
pub mod turns;

pub use active::{BikeProfile, FootProfile};
pub use ch::{ChStats, ContractionHierarchy};
pub use graph::{BuildReport, NodeIdx, RoadGraph, Snap};
pub use matrix::{Direction, Matrix, ShortestPaths};
pub use path::Route;
pub use profile::{CarProfile, CarWays, ProfileReport, RoadUse, TravelProfile};
pub use table::Phantom;
pub use turns::{CarTurns, TurnModel, TurnReport};
