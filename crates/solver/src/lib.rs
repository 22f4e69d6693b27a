//! The optimiser and the independent checker.
//!
//! - [`Instance`]: what the optimiser sees — the scenario, usable candidate sites,
//!   demand places with weights, who each site reaches, and a travel table between
//!   depots and sites. Pure data: no I/O, no OSM.
//! - [`greedy`]: the first constructive heuristic (day by day, best insertion of the
//!   stop that adds the most weighted population not yet reached that week).
//! - [`check`]: re-validates any [`Plan`](tournee_model::Plan) against the scenario
//!   and the road graph, recomputing every drive and the objective itself; it shares
//!   no code with the optimiser beyond the model's rules.

pub mod baseline;
pub mod bound;
pub mod check;
pub mod check_home;
pub mod check_rules;
pub mod cyclebound;
pub mod daybound;
pub mod exact;
pub mod greedy;
pub mod home;
pub mod instance;
pub mod lns;
pub mod local;
pub mod pairbound;
pub mod peers;
mod place_terms;
pub mod promises;
mod reach;
pub mod rules;
pub mod toptw;

pub use check::{check, CheckInput, CheckReport};
pub use instance::Instance;
