//! A plan: for each vehicle and day of the cycle, the route from the depot through
//! the day's stops and back, its crew, and what could not be placed and why.
//!
//! `plan.json` is this structure serialised. Sites are keyed by their OSM reference,
//! so a plan can be re-checked against a fresh import of the same territory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{TimeOfDay, Weekday};
use crate::geo::LonLat;
use crate::ids::OsmRef;
use crate::scenario::TravelMode;
use crate::site::SiteKind;
use crate::units::{Meters, Seconds};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Name of the scenario the plan was made for.
    pub scenario: String,
    pub start_date: NaiveDate,
    pub cycle_weeks: u32,
    /// Which optimiser made the plan ("greedy", …) and with which seed.
    pub method: String,
    pub routes: Vec<DayRoute>,
    /// Vehicle-days that could not run, and visits cancelled, each with its reason.
    pub unplaced: Vec<Unplaced>,
    pub summary: PlanSummary,
    /// Days a mediator visits people at home (`[[home_visits]]`), in mediator and
    /// date order. Private: never published to the communes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_visits: Vec<HomeVisitDay>,
    /// What the coordinator should know that is neither a route nor a refusal: a
    /// commune's preferred weekday or slot that the plan could not honour. For the
    /// coordinator only; never published to the communes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<PlanNote>,
}

/// A remark on the plan for the coordinator (`Plan::notes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanNote {
    /// The commune it concerns, as the scenario names it.
    pub commune: String,
    /// What kind of remark (`PREFERENCE_MISSED`, …).
    pub kind: String,
    /// The remark, in the user's language.
    pub message: String,
}

/// `PlanNote::kind` of a preferred weekday or slot (a promise's, not `strict`)
/// that some visits of the commune do not fall on.
pub const PREFERENCE_MISSED: &str = "preference-missed";

/// A mediator's home-visit day: base → homes → base, by car.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeVisitDay {
    pub mediator: String,
    pub date: NaiveDate,
    /// 0-based week of the cycle.
    pub week: u32,
    pub weekday: Weekday,
    /// The depot the mediator leaves from and returns to.
    pub base: String,
    pub depart: TimeOfDay,
    pub back: TimeOfDay,
    pub stops: Vec<HomeStop>,
    pub drive_back: Seconds,
    pub distance_back: Meters,
}

impl HomeVisitDay {
    pub fn driving(&self) -> Seconds {
        self.stops
            .iter()
            .fold(self.drive_back, |acc, v| acc + v.drive_from_previous)
    }
    pub fn distance(&self) -> Meters {
        self.stops
            .iter()
            .fold(self.distance_back, |acc, v| acc + v.distance_from_previous)
    }
    /// Working time: from leaving the base to being back.
    pub fn duration(&self) -> Seconds {
        self.depart.span_to(self.back).unwrap_or(Seconds::ZERO)
    }
}

/// A visit at someone's home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeStop {
    /// The request's id in the requests file.
    pub request: String,
    pub name: String,
    pub location: LonLat,
    pub arrive: TimeOfDay,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub drive_from_previous: Seconds,
    pub distance_from_previous: Meters,
}

/// Home visits in figures, counted apart from the buses' objective.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HomeSummary {
    /// Requests in the files, and those visited.
    pub requests: usize,
    pub served: usize,
    /// Σ priority of all requests, and of those visited.
    pub priority_requested: u64,
    pub priority_served: u64,
    pub days: usize,
    pub distance: Meters,
    pub driving: Seconds,
    /// Σ working hours of the home-visit days.
    pub hours: f64,
}

/// One vehicle's day: depot → stops → depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRoute {
    pub vehicle: String,
    pub date: NaiveDate,
    /// 0-based week of the cycle.
    pub week: u32,
    pub weekday: Weekday,
    pub depot: String,
    /// Leaves the depot.
    pub depart: TimeOfDay,
    /// Back at the depot.
    pub back: TimeOfDay,
    /// Mediator ids aboard.
    pub crew: Vec<String>,
    pub visits: Vec<Visit>,
    /// Drive from the last stop back to the depot.
    pub drive_back: Seconds,
    pub distance_back: Meters,
    /// The vehicle's travel mode (written only for a cargo bike, whose legs are
    /// rides and whose stops' `reaches` are walks).
    #[serde(default, skip_serializing_if = "TravelMode::is_car")]
    pub mode: TravelMode,
}

impl DayRoute {
    pub fn driving(&self) -> Seconds {
        self.visits
            .iter()
            .fold(self.drive_back, |acc, v| acc + v.drive_from_previous)
    }
    pub fn distance(&self) -> Meters {
        self.visits
            .iter()
            .fold(self.distance_back, |acc, v| acc + v.distance_from_previous)
    }
    /// Working time of the crew: from leaving the depot to being back.
    pub fn duration(&self) -> Seconds {
        self.depart.span_to(self.back).unwrap_or(Seconds::ZERO)
    }
}

/// A stop: the vehicle is open to the public at a site during a slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub slot: String,
    pub site: OsmRef,
    pub site_name: String,
    pub site_kind: SiteKind,
    pub commune: String,
    pub location: LonLat,
    /// Arrives on site (before set-up).
    pub arrive: TimeOfDay,
    /// Opens to the public.
    pub start: TimeOfDay,
    /// Closes to the public.
    pub end: TimeOfDay,
    /// Leaves the site (after packing up).
    pub leave: TimeOfDay,
    pub drive_from_previous: Seconds,
    pub distance_from_previous: Meters,
    /// Places whose residents can drive to this stop within the reach radius, each
    /// with the share of its value the stop earns (`Reach::share`).
    pub reaches: Vec<Reached>,
    /// The stop's address ("12 rue du Moulin, 17800 Pons", "rue du Moulin, Pons"),
    /// when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Access for people with reduced mobility as mapped (`wheelchair=*`: `yes`,
    /// `limited`, `no`) or as the scenario says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wheelchair: Option<String>,
    /// The INSEE code of the commune, when its boundary gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee: Option<String>,
    /// What the scenario says of the stop for the public (`[[site]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reached {
    pub place: String,
    pub osm: OsmRef,
    pub population: u32,
    pub drive: Seconds,
    /// The share of the place's value this stop earns (`Reach::share`): below 1
    /// only with a reach decay curve, and written only then.
    #[serde(default = "full_share", skip_serializing_if = "is_full_share")]
    pub share: f64,
}

fn full_share() -> f64 {
    1.0
}

fn is_full_share(share: &f64) -> bool {
    *share >= 1.0
}

/// Something the coordinator asked for or could expect that the plan does not do.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Unplaced {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// The mediator, for a home-visit day or request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator: Option<String>,
    /// The home-visit request not visited (its id in the requests file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PlanSummary {
    /// Σ population × weight × share of the cycle's weeks in which the place is
    /// reached (repeats in a week adding their `repeat_factors` share, each reach
    /// at its reach share: `Objective::weekly_value`): the objective.
    pub reachable_population_per_week: f64,
    /// The same without weights and without repeats: inhabitants who can reach a
    /// stop, per week, each place counted at the best reach share of its week's
    /// stops (in full with a hard radius).
    pub reachable_inhabitants_per_week: f64,
    pub places_reached: usize,
    pub places_total: usize,
    pub population_total: u64,
    pub visits: usize,
    pub distance: Meters,
    pub driving: Seconds,
    /// Sum over mediators of their working hours in the cycle.
    pub mediator_hours: f64,
    /// An upper bound on `reachable_population_per_week` that no valid plan can
    /// exceed (the optimum of a relaxation), when it was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<f64>,
    /// Home visits (requests served, priority served…), when the scenario has any;
    /// not part of the objective above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<HomeSummary>,
}

impl PlanSummary {
    /// How far the plan may be from the best possible, in percent of the bound.
    pub fn gap_percent(&self) -> Option<f64> {
        self.upper_bound.map(|b| {
            if b <= 0.0 {
                0.0
            } else {
                100.0 * (b - self.reachable_population_per_week).max(0.0) / b
            }
        })
    }
}

impl Plan {
    /// Every visit with the route it belongs to, in date order.
    pub fn visits(&self) -> impl Iterator<Item = (&DayRoute, &Visit)> {
        self.routes
            .iter()
            .flat_map(|r| r.visits.iter().map(move |v| (r, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reached_place_writes_its_share_only_below_one() {
        let mut r = Reached {
            place: "Bourg".into(),
            osm: OsmRef::node(7),
            population: 120,
            drive: Seconds(300),
            share: 1.0,
        };
        let full = serde_json::to_value(&r).unwrap();
        assert!(full.get("share").is_none(), "{full}");
        assert_eq!(serde_json::from_value::<Reached>(full).unwrap(), r);
        r.share = 0.5;
        let half = serde_json::to_value(&r).unwrap();
        assert_eq!(half["share"], 0.5);
        assert_eq!(serde_json::from_value::<Reached>(half).unwrap(), r);
    }
}
