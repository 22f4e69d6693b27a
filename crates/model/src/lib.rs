//! Domain model of Tournée: what a coordinator of itinerant digital mediation talks
//! about (sites, communes, vehicles, mediators, slots, visits, plans) and the units
//! they are measured in.
//!
//! Promises:
//! - no I/O except [`scenario::Scenario::load`], which reads the scenario file and
//!   the files it names: demand tables (`[demand]`) and home-visit requests
//!   ([`home::read_requests`]);
//! - every unit is a newtype ([`Seconds`], [`Meters`], [`Population`]) so a distance is
//!   never passed as a time;
//! - a [`Scenario`] that passed [`Scenario::validate`] is internally consistent
//!   (ids resolve, slots are ordered, a crew can be formed on at least one day).

pub mod availability;
pub mod calendar;
pub mod commune;
pub mod demand;
pub mod geo;
pub mod home;
pub mod ids;
pub mod lunch;
pub mod plan;
pub mod progress;
pub mod promise;
pub mod publication;
pub mod rules;
pub mod scenario;
pub mod site;
pub mod units;
pub mod whatif;

pub use calendar::{TimeOfDay, Weekday};
pub use geo::LonLat;
pub use ids::{OsmKind, OsmRef, PlaceId, SiteId};
pub use plan::{
    DayRoute, HomeStop, HomeSummary, HomeVisitDay, Plan, PlanNote, PlanSummary, Unplaced, Visit,
};
pub use progress::{NoProgress, Progress, StopReason, StopSignal};
pub use promise::{Frequency, Promise};
pub use scenario::organisation;
pub use scenario::Organisation;
pub use scenario::{Contact, Scenario, ScenarioError, TravelMode};
pub use site::{Place, PopulationSource, Site, SiteKind};
pub use units::{Meters, Population, Seconds};
