//! The scenario: everything a coordinator decides before planning — territory, depots,
//! vehicles, mediators, weekly slots, cycle, reach and objective weights.
//!
//! Written in TOML (see `scenarios/demo.toml` for a commented example). Unknown keys
//! are rejected, so a typo never silently falls back to a default. Every error names
//! the file, the line and the field.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::calendar::{TimeOfDay, Weekday};
use crate::demand::{CommuneTable, DemandConfig, DemandFileError};
use crate::geo::LonLat;
use crate::home::HomeVisits;
use crate::ids::OsmRef;
use crate::promise::Promise;
use crate::site::SiteKind;
use crate::units::Seconds;

/// Labour-law ceilings that no contract may exceed (Code du travail: 10 h a day,
/// 48 h a week, 11 h of daily rest).
pub const LEGAL_MAX_HOURS_PER_DAY: f64 = 10.0;
pub const LEGAL_MAX_HOURS_PER_WEEK: f64 = 48.0;
pub const LEGAL_MIN_DAILY_REST_HOURS: f64 = 11.0;

/// A place (village node) farther than this from any car road is not counted as
/// reachable demand: its node is misplaced or it has no road access.
pub const PLACE_MAX_SNAP_METERS: u32 = 2_000;
/// A depot farther than this from any car road is a mistake in its coordinates.
pub const DEPOT_MAX_SNAP_METERS: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A human name for the scenario ("Bus France Services du Pays de …").
    pub name: String,
    /// First day of the cycle; must be a Monday.
    pub start_date: NaiveDate,
    /// Length of the planning cycle in weeks.
    #[serde(default = "one")]
    pub cycle_weeks: u32,
    /// Days of the week on which tours may run.
    #[serde(default = "working_days")]
    pub days: Vec<Weekday>,
    /// Public holidays and other days on which no tour runs.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// School holidays (first and last day, inclusive): school parkings are free all
    /// day then; with `pause_in_school_holidays`, no tour runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub school_holidays: Vec<Period>,
    /// No tour during school holidays (visits there are reported as cancelled).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pause_in_school_holidays: bool,
    /// Time on site before and after each slot (setting up the bus, packing up).
    #[serde(default = "thirty")]
    pub setup_minutes: u32,
    /// Seed for every random choice, so a plan is reproducible.
    #[serde(default = "one_u64")]
    pub seed: u64,
    pub territory: Territory,
    #[serde(default)]
    pub reach: Reach,
    #[serde(default)]
    pub sites: SiteRulesConfig,
    #[serde(default)]
    pub objective: Objective,
    /// Who residents and town halls can ask about the tours, printed on the
    /// communes' announcement sheets. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    pub slots: Vec<Slot>,
    pub depots: Vec<Depot>,
    pub vehicles: Vec<Vehicle>,
    pub mediators: Vec<Mediator>,
    /// What communes were promised (frequency, stable weekday and slot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promises: Vec<Promise>,
    /// Demand from files: an INSEE commune table, a weights file. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<DemandConfig>,
    /// The commune table of `demand.communes`, read by [`Scenario::load`].
    #[serde(skip)]
    pub communes: Option<CommuneTable>,
    /// Mediators who visit people at home on some weekdays (see `model::home`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_visits: Vec<HomeVisits>,
    /// The file the scenario was read from; relative paths are resolved against its
    /// folder.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    /// OpenStreetMap extract (PBF), relative to the scenario file.
    pub pbf: PathBuf,
}

/// Who a stop reaches: a place counts for a stop by a **share** of its value that
/// depends on the drive from the place to the stop ([`Reach::share`], the one rule
/// used by the optimiser, the checker and the outputs).
///
/// Either a hard radius (`radius_minutes`, 15 when nothing is given: share 1 up to
/// the radius, 0 beyond) or a decay curve (`decay`), never both: with a curve, the
/// reach ends where the curve does (its last point, or its first point with share
/// 0), and a radius written next to it would be a second, contradictory answer to
/// "how far does a stop reach", so it is an error rather than silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reach {
    /// A stop reaches a place when the drive from the place to the stop takes at most
    /// this long (default 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_minutes: Option<u32>,
    /// A piecewise-linear share of a place's value by drive time, e.g.
    /// `[{ minutes = 10, share = 1.0 }, { minutes = 20, share = 0.5 },
    /// { minutes = 30, share = 0.0 }]`: the first point's share before it, linear
    /// between points, 0 after the last. Minutes strictly increasing (1 to 120),
    /// shares within [0, 1], non-increasing, the first above 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<Vec<DecayPoint>>,
    /// A cargo bike's stop reaches a place when residents walk from the place to the
    /// stop in at most this long (on the foot graph). Default 10.
    #[serde(default = "ten_u32", skip_serializing_if = "is_ten")]
    pub walk_minutes: u32,
}

fn ten_u32() -> u32 {
    10
}
fn is_ten(v: &u32) -> bool {
    *v == 10
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            radius_minutes: None,
            decay: None,
            walk_minutes: 10,
        }
    }
}

/// One point of a reach decay curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecayPoint {
    pub minutes: u32,
    pub share: f64,
}

/// The hard radius when neither `radius_minutes` nor `decay` is given.
pub const DEFAULT_REACH_MINUTES: u32 = 15;

impl Reach {
    /// How far a stop reaches at all: the hard radius, or where the decay curve
    /// ends (its first point with share 0, else its last point). No place farther
    /// than this has a share above 0.
    pub fn radius(&self) -> Seconds {
        match self.decay.as_deref() {
            Some(points) if !points.is_empty() => {
                let end = points
                    .iter()
                    .find(|p| p.share <= 0.0)
                    .or(points.last())
                    .map_or(0, |p| p.minutes);
                Seconds::from_minutes(end)
            }
            _ => Seconds::from_minutes(self.radius_minutes.unwrap_or(DEFAULT_REACH_MINUTES)),
        }
    }

    /// The share (within [0, 1]) of a place's value that a stop earns when the
    /// drive from the place to the stop takes `drive`: 1 within the hard radius and
    /// 0 beyond it, or the decay curve's value (its first point's share up to that
    /// point, linear between points, 0 after the last).
    pub fn share(&self, drive: Seconds) -> f64 {
        let Some(points) = self.decay.as_deref().filter(|p| !p.is_empty()) else {
            return if drive <= self.radius() { 1.0 } else { 0.0 };
        };
        let at = |p: &DecayPoint| p.minutes.saturating_mul(60);
        if drive.0 <= at(&points[0]) {
            return points[0].share;
        }
        for w in points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if drive.0 <= at(b) {
                let f = (drive.0 - at(a)) as f64 / (at(b) - at(a)) as f64;
                return a.share + (b.share - a.share) * f;
            }
        }
        0.0
    }

    /// Whether every reached place counts in full (no decay curve).
    pub fn is_hard(&self) -> bool {
        self.decay.is_none()
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let Some(points) = &self.decay else {
            let r = self.radius_minutes.unwrap_or(DEFAULT_REACH_MINUTES);
            if !(1..=120).contains(&r) {
                return Err((
                    "reach.radius_minutes".into(),
                    format!("the reach radius must be 1 to 120 minutes, not {r}"),
                ));
            }
            return Ok(());
        };
        if points.is_empty() {
            return Err((
                "reach.decay".into(),
                "a decay curve needs at least one point ({ minutes = 15, share = 1.0 })".into(),
            ));
        }
        if let Some(r) = self.radius_minutes {
            return Err((
                "reach.radius_minutes".into(),
                format!(
                    "give either a hard radius (radius_minutes = {r}) or a decay curve, not \
                     both: with a curve the reach ends where the curve does ({} min here)",
                    self.radius().0 / 60
                ),
            ));
        }
        for (i, p) in points.iter().enumerate() {
            if !(1..=120).contains(&p.minutes) {
                return Err((
                    format!("reach.decay[{i}].minutes"),
                    format!("a drive of {} min is outside 1 to 120", p.minutes),
                ));
            }
            if i > 0 && p.minutes <= points[i - 1].minutes {
                return Err((
                    format!("reach.decay[{i}].minutes"),
                    format!(
                        "minutes must increase from point to point: {} comes after {}",
                        p.minutes,
                        points[i - 1].minutes
                    ),
                ));
            }
            if !(p.share.is_finite() && (0.0..=1.0).contains(&p.share)) {
                return Err((
                    format!("reach.decay[{i}].share"),
                    format!("a share is within [0, 1], not {}", p.share),
                ));
            }
            if i > 0 && p.share > points[i - 1].share {
                return Err((
                    format!("reach.decay[{i}].share"),
                    format!(
                        "a longer drive cannot be worth more: share {} after {}",
                        p.share,
                        points[i - 1].share
                    ),
                ));
            }
        }
        if points[0].share <= 0.0 {
            return Err((
                "reach.decay[0].share".into(),
                "a curve whose first share is 0 reaches no one".into(),
            ));
        }
        Ok(())
    }

    /// The reach of a cargo bike's stop: residents walk to it, and every place
    /// within `walk_minutes` on foot counts in full (the decay curve, a rule about
    /// driving, does not apply to walking).
    pub fn walking(&self) -> Reach {
        Reach {
            radius_minutes: Some(self.walk_minutes),
            decay: None,
            walk_minutes: self.walk_minutes,
        }
    }

    /// The reach of a stop of a vehicle of this mode: the drive radius for a car,
    /// the walk for a cargo bike.
    pub fn radius_for(&self, mode: TravelMode) -> Seconds {
        match mode {
            TravelMode::Car => self.radius(),
            TravelMode::CargoBike => Seconds::from_minutes(self.walk_minutes),
        }
    }
}

/// How a vehicle travels between stops, and so how residents come to its stops.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TravelMode {
    /// A bus or van on the car graph; residents drive to its stops.
    #[default]
    Car,
    /// A cargo bike (triporteur) on the bike graph; residents walk to its stops.
    CargoBike,
}

impl TravelMode {
    pub fn is_car(&self) -> bool {
        *self == TravelMode::Car
    }

    /// English name, as written in scenarios and plans.
    pub fn as_str(&self) -> &'static str {
        match self {
            TravelMode::Car => "car",
            TravelMode::CargoBike => "cargo_bike",
        }
    }
}

/// Cruising speed of a cargo bike when its scenario does not say, km/h.
pub const DEFAULT_BIKE_KMH: f64 = 15.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRulesConfig {
    /// Which kinds of OSM features are candidate stops.
    #[serde(default = "all_kinds")]
    pub kinds: Vec<SiteKind>,
    /// A site farther than this from a usable road is not used.
    #[serde(default = "three_hundred")]
    pub max_snap_meters: u32,
    /// Sites the coordinator excludes (works, refusal of the commune…).
    #[serde(default)]
    pub closed: Vec<OsmRef>,
}

impl Default for SiteRulesConfig {
    fn default() -> Self {
        SiteRulesConfig {
            kinds: all_kinds(),
            max_snap_meters: 300,
            closed: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Weight of a place whose name (or INSEE code) is not in `weights`.
    #[serde(default = "one_f64")]
    pub default_weight: f64,
    /// Weight per place name or INSEE code, e.g. a digital-fragility index.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Diminishing returns: the share of a place's value earned by reaching it a
    /// second, third… time in the same week (non-increasing, within [0, 1]). Empty
    /// (the default): only the first time counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repeat_factors: Vec<f64>,
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            default_weight: 1.0,
            weights: BTreeMap::new(),
            repeat_factors: Vec::new(),
        }
    }
}

impl Objective {
    /// The share of a place's value earned by the `nth` stop (1-based) reaching it
    /// in a week: 1 for the first, then `repeat_factors`, then 0.
    pub fn repeat_value(&self, nth: u32) -> f64 {
        match nth {
            0 => 0.0,
            1 => 1.0,
            n => self
                .repeat_factors
                .get(n as usize - 2)
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// The share of a place's value earned in a week where `n` stops reach it.
    pub fn weekly_share(&self, n: u32) -> f64 {
        (1..=n.min(self.repeat_factors.len() as u32 + 1))
            .map(|k| self.repeat_value(k))
            .sum()
    }

    /// The share of a place's value earned in a week from the reach shares
    /// ([`Reach::share`]) of the stops reaching it that week: sorted in decreasing
    /// order s1 ≥ s2 ≥ …, `Σ_k s_k × repeat_value(k)`. With no repeat factors, the
    /// best share; with a hard radius (all shares 1), [`Objective::weekly_share`].
    /// The one rule of the objective: every optimiser and the checker count so
    /// (the MILP and the bounds through [`share_steps`], which sums to the same).
    /// Sorts `shares`.
    pub fn weekly_value(&self, shares: &mut [f64]) -> f64 {
        shares.sort_by(|a, b| b.total_cmp(a));
        shares
            .iter()
            .take(self.repeat_factors.len() + 1)
            .enumerate()
            .map(|(k, s)| s * self.repeat_value(k as u32 + 1))
            .sum()
    }

    /// What one more reach with `share` adds to [`Objective::weekly_value`] of a
    /// place already reached with `sorted` (in decreasing order) that week: the
    /// new reach takes its rank, and the smaller ones each move one rank down.
    /// With a hard radius, `repeat_value(n + 1)` exactly.
    pub fn added_value(&self, sorted: &[f64], share: f64) -> f64 {
        let ranks = self.repeat_factors.len() + 1;
        let j = sorted.partition_point(|&s| s >= share);
        if j >= ranks {
            return 0.0;
        }
        let mut gain = share * self.repeat_value(j as u32 + 1);
        for (k, &s) in sorted.iter().enumerate().take(ranks).skip(j) {
            gain -= s * (self.repeat_value(k as u32 + 1) - self.repeat_value(k as u32 + 2));
        }
        gain
    }

    pub fn weight_of(&self, name: &str, insee: Option<&str>) -> f64 {
        insee
            .and_then(|c| self.weights.get(c))
            .or_else(|| self.weights.get(name))
            .copied()
            .unwrap_or(self.default_weight)
    }
}

/// The weekly value of a place, by levels, as the MILP and the bounds count it:
/// for the distinct shares `L_1 > L_2 > … > L_m` among `shares`, the pairs
/// `(L_l, L_l − L_{l+1})` (with `L_{m+1} = 0`). For any plan, with `n_l` the
/// number of its reaches of share ≥ `L_l`,
/// `weekly_value = Σ_l (L_l − L_{l+1}) × weekly_share(n_l)`: each level is a
/// hard-radius reach worth its step, so one `z` per level and reach is exact.
/// A hard radius has the one level `(1, 1)`.
pub fn share_steps(shares: impl IntoIterator<Item = f64>) -> Vec<(f64, f64)> {
    let mut levels: Vec<f64> = shares.into_iter().filter(|s| *s > 0.0).collect();
    levels.sort_by(|a, b| b.total_cmp(a));
    levels.dedup();
    (0..levels.len())
        .map(|l| {
            (
                levels[l],
                levels[l] - levels.get(l + 1).copied().unwrap_or(0.0),
            )
        })
        .collect()
}

/// Who answers questions about the tours: a name and at least one way to reach
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who answers ("Centre social de la Lize").
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A web page (`https://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

/// A half-day slot: the bus is open to the public from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub name: String,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Depot {
    pub id: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

impl Depot {
    pub fn location(&self) -> LonLat {
        LonLat::new(self.lon, self.lat)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    pub id: String,
    pub name: String,
    /// Depot id the vehicle leaves from and returns to every day.
    pub depot: String,
    /// Mediators needed aboard (safety, reception and help).
    #[serde(default = "two")]
    pub crew_size: u32,
    /// Days the vehicle runs; defaults to the scenario's days.
    #[serde(default)]
    pub days: Option<Vec<Weekday>>,
    #[serde(default = "default_departure")]
    pub earliest_departure: TimeOfDay,
    #[serde(default = "default_return")]
    pub latest_return: TimeOfDay,
    /// Maintenance and other days off the road.
    #[serde(default)]
    pub unavailable: Vec<NaiveDate>,
    /// Gross vehicle weight in tonnes. Over 3.5 t, the crew needs a driver holding a
    /// C1 (up to 7.5 t) or C licence, and EU driving-time rules apply. Default: a
    /// light vehicle (licence B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_weight_tonnes: Option<f64>,
    /// `car` (default) or `cargo_bike`.
    #[serde(default, skip_serializing_if = "TravelMode::is_car")]
    pub mode: TravelMode,
    /// A cargo bike's cruising speed on a good surface, km/h (default 15; every
    /// cargo bike of a scenario rides at the same speed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// The communes a cargo bike serves (place names or INSEE codes): their sites are
    /// its stops, and only its (a bus does not stop there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mediator {
    pub id: String,
    pub name: String,
    /// Depot id the mediator starts from; they crew vehicles of that depot.
    pub base: String,
    /// Days the mediator works; defaults to the scenario's days.
    #[serde(default)]
    pub days: Option<Vec<Weekday>>,
    #[serde(default = "ten_f64")]
    pub max_hours_per_day: f64,
    #[serde(default = "thirty_five_f64")]
    pub max_hours_per_week: f64,
    /// Leave, training and other days away.
    #[serde(default)]
    pub leave: Vec<NaiveDate>,
    /// Driving licences held (`B`, `C1`, `C`…). Default `["B"]`; `[]` for a
    /// mediator who does not drive.
    #[serde(default = "licence_b")]
    pub licences: Vec<String>,
}

/// Driving licences a mediator may hold.
pub const LICENCES: [&str; 10] = ["B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"];
/// EU driving-time rules for vehicles over 3.5 t (Regulation (EC) 561/2006): at
/// most 9 h of driving a day, and a 45-minute break after 4 h 30 of driving.
pub const MAX_DRIVING_PER_DAY: Seconds = Seconds(9 * 3600);
pub const MAX_DRIVING_WITHOUT_BREAK: Seconds = Seconds(4 * 3600 + 30 * 60);

fn licence_b() -> Vec<String> {
    vec!["B".into()]
}

impl Vehicle {
    /// Over 3.5 t: a heavy-goods licence and EU driving-time rules.
    pub fn is_heavy(&self) -> bool {
        self.gross_weight_tonnes.is_some_and(|t| t > 3.5)
    }

    /// A cargo bike's cruising speed, km/h.
    pub fn bike_kmh(&self) -> f64 {
        self.speed_kmh.unwrap_or(DEFAULT_BIKE_KMH)
    }

    /// The licence the vehicle's driver needs (none for a cargo bike).
    pub fn licence_needed(&self) -> &'static str {
        if self.mode == TravelMode::CargoBike {
            return "aucun";
        }
        match self.gross_weight_tonnes {
            Some(t) if t > 7.5 => "C",
            Some(t) if t > 3.5 => "C1",
            _ => "B",
        }
    }

    /// EU driving-time rules on a day's legs (driving between stops, which last a
    /// slot and so give the 45-minute break): `Err` says which one is broken. Light
    /// vehicles are not concerned.
    pub fn driving_rules(&self, legs: &[Seconds]) -> Result<(), String> {
        if !self.is_heavy() {
            return Ok(());
        }
        let total: u32 = legs.iter().map(|l| l.0).sum();
        if total > MAX_DRIVING_PER_DAY.0 {
            return Err(format!(
                "{:.2} h of driving in the day, at most 9 h over 3.5 t",
                total as f64 / 3600.0
            ));
        }
        if let Some(l) = legs.iter().find(|l| l.0 > MAX_DRIVING_WITHOUT_BREAK.0) {
            return Err(format!(
                "{:.2} h of driving without a stop, a 45-minute break is due after 4 h 30",
                l.0 as f64 / 3600.0
            ));
        }
        Ok(())
    }
}

impl Mediator {
    /// Whether the mediator may drive `v` (a C licence covers C1, and both cover B).
    pub fn can_drive(&self, v: &Vehicle) -> bool {
        if v.mode == TravelMode::CargoBike {
            // Anyone rides a cargo bike.
            return true;
        }
        let covers: &[&str] = match v.licence_needed() {
            "C" => &["C", "CE"],
            "C1" => &["C1", "C1E", "C", "CE"],
            _ => &LICENCES,
        };
        self.licences.iter().any(|l| covers.contains(&l.as_str()))
    }
}

fn one() -> u32 {
    1
}
fn two() -> u32 {
    2
}
fn one_u64() -> u64 {
    1
}
fn one_f64() -> f64 {
    1.0
}
fn ten_f64() -> f64 {
    10.0
}
fn thirty_five_f64() -> f64 {
    35.0
}
fn thirty() -> u32 {
    30
}
fn three_hundred() -> u32 {
    300
}
fn working_days() -> Vec<Weekday> {
    Weekday::ALL[..5].to_vec()
}
fn all_kinds() -> Vec<SiteKind> {
    SiteKind::ALL.to_vec()
}
fn default_departure() -> TimeOfDay {
    TimeOfDay::hm(7, 30)
}
fn default_return() -> TimeOfDay {
    TimeOfDay::hm(19, 0)
}

/// One day of the cycle on which tours may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleDay {
    /// 0-based week of the cycle.
    pub week: u32,
    pub weekday: Weekday,
    pub date: NaiveDate,
}

impl Vehicle {
    pub fn runs_on(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.days
            .as_ref()
            .unwrap_or(&scenario.days)
            .contains(&weekday)
    }
}

impl Mediator {
    /// Whether the mediator may crew a bus on `weekday`: a day they work
    /// ([`Mediator::works_on_weekday`]) that is not one of their home-visit days
    /// (`[[home_visits]]`). Every bus module and the checker ask this.
    pub fn works_on(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.works_on_weekday(scenario, weekday)
            && !scenario
                .home_visits
                .iter()
                .any(|h| h.mediator == self.id && h.days.contains(&weekday))
    }

    /// Whether `weekday` is one of the mediator's working days (bus or home visits).
    pub fn works_on_weekday(&self, scenario: &Scenario, weekday: Weekday) -> bool {
        self.days
            .as_ref()
            .unwrap_or(&scenario.days)
            .contains(&weekday)
    }
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            path: Some(path.to_path_buf()),
            line: None,
            field: None,
            message: format!("cannot read the scenario file: {e}"),
        })?;
        let mut s = Scenario::parse(&text, Some(path))?;
        s.source = Some(path.to_path_buf());
        s.read_demand_files().map_err(|(field, e)| ScenarioError {
            path: Some(path.to_path_buf()),
            line: line_of_field(&text, field),
            field: Some(field.to_string()),
            message: e.to_string(),
        })?;
        s.load_home_requests()?;
        Ok(s)
    }

    /// Reads the files of `[demand]`: the commune table (kept in `communes`, its
    /// weight column merged into `objective.weights`) and the weights file (merged
    /// too). Precedence: `objective.weights` in the scenario, then the weights file,
    /// then the table's weight column, key by key — the scenario's own entries win,
    /// so a what-if can change one commune's weight without editing the files. (A
    /// place's weight is looked up by INSEE code before its name, as always: to
    /// override a file's entry by code, write the code.)
    pub fn read_demand_files(&mut self) -> Result<(), (&'static str, DemandFileError)> {
        let Some(d) = self.demand.clone() else {
            return Ok(());
        };
        let folder = self.resolve(Path::new(""));
        let read = |p: &Path, field: &'static str| {
            let path = if p.is_absolute() {
                p.to_path_buf()
            } else {
                folder.join(p)
            };
            std::fs::read(&path)
                .map(|b| (b, path.clone()))
                .map_err(|e| {
                    (
                        field,
                        DemandFileError {
                            path,
                            line: None,
                            column: None,
                            message: format!("cannot read the file: {e}"),
                        },
                    )
                })
        };
        let mut weights = BTreeMap::new();
        if let Some(p) = &d.communes {
            let (bytes, path) = read(p, "demand.communes")?;
            let table = crate::demand::read_communes(&bytes, &path, d.weight_column.as_deref())
                .map_err(|e| ("demand.communes", e))?;
            weights.extend(crate::demand::table_weights(&table));
            self.communes = Some(table);
        }
        if let Some(p) = &d.weights {
            let (bytes, path) = read(p, "demand.weights")?;
            let file = crate::demand::read_weights(&bytes, &path, d.weight_column.as_deref())
                .map_err(|e| ("demand.weights", e))?;
            weights.extend(file);
        }
        for (k, w) in weights {
            self.objective.weights.entry(k).or_insert(w);
        }
        Ok(())
    }

    /// Parses and validates scenario text; `path` is only used in error messages and
    /// to resolve relative paths.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Scenario, ScenarioError> {
        let mut s: Scenario = toml::from_str(text).map_err(|e| {
            let (line, field) = match e.span() {
                Some(span) => {
                    let (line, field) = field_at(text, span.start);
                    (Some(line), field)
                }
                None => (None, None),
            };
            ScenarioError {
                path: path.map(Path::to_path_buf),
                line,
                field,
                message: e.message().trim().to_string(),
            }
        })?;
        s.source = path.map(Path::to_path_buf);
        if let Err(mut err) = s.validate() {
            err.path = path.map(Path::to_path_buf);
            if let Some(field) = &err.field {
                err.line = line_of_field(text, field);
            }
            return Err(err);
        }
        Ok(s)
    }

    /// Resolves a path written in the scenario against the scenario file's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        match (&self.source, p.is_absolute()) {
            (Some(src), false) => src.parent().unwrap_or(Path::new(".")).join(p),
            _ => p.to_path_buf(),
        }
    }

    /// Reads the requests file of every `[[home_visits]]` section not read yet
    /// (relative to the scenario file). Called by [`Scenario::load`].
    pub fn load_home_requests(&mut self) -> Result<(), ScenarioError> {
        for i in 0..self.home_visits.len() {
            if self.home_visits[i].loaded.is_none() {
                let path = self.resolve(&self.home_visits[i].requests);
                self.home_visits[i].loaded = Some(crate::home::read_requests(&path)?);
            }
        }
        Ok(())
    }

    pub fn pbf_path(&self) -> PathBuf {
        self.resolve(&self.territory.pbf)
    }

    pub fn setup(&self) -> Seconds {
        Seconds::from_minutes(self.setup_minutes)
    }

    pub fn depot(&self, id: &str) -> Option<&Depot> {
        self.depots.iter().find(|d| d.id == id)
    }

    pub fn vehicle(&self, id: &str) -> Option<&Vehicle> {
        self.vehicles.iter().find(|v| v.id == id)
    }

    pub fn mediator(&self, id: &str) -> Option<&Mediator> {
        self.mediators.iter().find(|m| m.id == id)
    }

    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// Every day of the cycle on which tours may run (holidays included: callers
    /// report them as cancelled).
    pub fn cycle_days(&self) -> Vec<CycleDay> {
        let mut out = Vec::new();
        for week in 0..self.cycle_weeks {
            for &weekday in &self.days {
                let date = self.start_date
                    + Duration::days(i64::from(week) * 7 + i64::from(weekday.index()));
                out.push(CycleDay {
                    week,
                    weekday,
                    date,
                });
            }
        }
        out.sort_by_key(|d| d.date);
        out
    }

    /// The week of the cycle a date falls in, if it falls in the cycle.
    pub fn week_of(&self, date: NaiveDate) -> Option<u32> {
        let days = (date - self.start_date).num_days();
        if days < 0 || days >= i64::from(self.cycle_weeks) * 7 {
            None
        } else {
            Some((days / 7) as u32)
        }
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    pub fn is_school_holiday(&self, date: NaiveDate) -> bool {
        self.school_holidays.iter().any(|p| p.contains(date))
    }

    /// Why no tour runs on `date` (a public holiday, or school holidays when tours
    /// pause then), if none does.
    pub fn day_off(&self, date: NaiveDate) -> Option<&'static str> {
        if self.is_holiday(date) {
            Some("jour férié : pas de tournée ce jour")
        } else if self.pause_in_school_holidays && self.is_school_holiday(date) {
            Some("vacances scolaires : tournées suspendues")
        } else {
            None
        }
    }

    /// Whether no tour runs on `date` ([`Scenario::day_off`]).
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        self.day_off(date).is_some()
    }

    /// Checks internal consistency. The error names the first field at fault.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        if self.name.trim().is_empty() {
            return bad("name".into(), "the scenario needs a name".into());
        }
        if self.start_date.weekday() != chrono::Weekday::Mon {
            return bad(
                "start_date".into(),
                format!(
                    "the cycle must start on a Monday, and {} is a {}",
                    self.start_date,
                    Weekday::from_chrono(self.start_date.weekday()).french()
                ),
            );
        }
        if !(1..=52).contains(&self.cycle_weeks) {
            return bad(
                "cycle_weeks".into(),
                format!("a cycle lasts 1 to 52 weeks, not {}", self.cycle_weeks),
            );
        }
        if self.days.is_empty() {
            return bad(
                "days".into(),
                "at least one day of the week is needed".into(),
            );
        }
        if let Some(d) = duplicate(self.days.iter().map(|d| d.to_string())) {
            return bad("days".into(), format!("`{d}` is listed twice"));
        }
        for (i, p) in self.school_holidays.iter().enumerate() {
            if p.from > p.to {
                return bad(
                    format!("school_holidays[{i}].to"),
                    format!(
                        "school holidays end ({}) before they start ({})",
                        p.to, p.from
                    ),
                );
            }
        }
        if self.setup_minutes > 120 {
            return bad(
                "setup_minutes".into(),
                format!(
                    "{} minutes of set-up is more than the 120 allowed",
                    self.setup_minutes
                ),
            );
        }
        if let Err((field, message)) = self.reach.validate() {
            return bad(field, message);
        }
        if !(1..=60).contains(&self.reach.walk_minutes) {
            return bad(
                "reach.walk_minutes".into(),
                format!(
                    "the walk to a cargo bike's stop must be 1 to 60 minutes, not {}",
                    self.reach.walk_minutes
                ),
            );
        }
        if self.sites.kinds.is_empty() {
            return bad(
                "sites.kinds".into(),
                "at least one kind of site is needed".into(),
            );
        }
        if !(self.objective.default_weight.is_finite() && self.objective.default_weight >= 0.0) {
            return bad(
                "objective.default_weight".into(),
                "weights must be finite and not negative".into(),
            );
        }
        for (k, w) in &self.objective.weights {
            if !(w.is_finite() && *w >= 0.0) {
                return bad(
                    format!("objective.weights.{k}"),
                    format!("weight {w} must be finite and not negative"),
                );
            }
        }
        if let Some(d) = &self.demand {
            let empty = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.as_os_str().is_empty());
            if empty(&d.communes) {
                return bad("demand.communes".into(), "the path is empty".into());
            }
            if empty(&d.weights) {
                return bad("demand.weights".into(), "the path is empty".into());
            }
            match (&d.communes, d.vintage) {
                (Some(_), None) => {
                    return bad(
                        "demand.communes".into(),
                        "a commune table needs its `vintage`, the year of the Code officiel géographique its codes follow (e.g. vintage = 2024)".into(),
                    )
                }
                (None, Some(_)) => {
                    return bad(
                        "demand.vintage".into(),
                        "`vintage` is the year of the commune table's codes: set `communes` too, or remove it".into(),
                    )
                }
                (Some(_), Some(v)) if !crate::demand::VINTAGE_RANGE.contains(&v) => {
                    return bad(
                        "demand.vintage".into(),
                        format!(
                            "{v} is not a year of the Code officiel géographique ({} to {})",
                            crate::demand::VINTAGE_RANGE.start(),
                            crate::demand::VINTAGE_RANGE.end()
                        ),
                    )
                }
                _ => {}
            }
            if let Some(w) = &d.weight_column {
                if w.trim().is_empty() {
                    return bad(
                        "demand.weight_column".into(),
                        "the column name is empty".into(),
                    );
                }
                if d.communes.is_none() && d.weights.is_none() {
                    return bad(
                        "demand.weight_column".into(),
                        "names a column of the commune table or weights file: set `communes` or `weights` too".into(),
                    );
                }
            }
            if d.communes.is_none() && d.weights.is_none() {
                return bad(
                    "demand".into(),
                    "set `communes` (an INSEE commune table) or `weights` (a weights file), or remove [demand]".into(),
                );
            }
        }
        let mut previous = 1.0;
        for &f in &self.objective.repeat_factors {
            if !(f.is_finite() && (0.0..=previous).contains(&f)) {
                return bad(
                    "objective.repeat_factors".into(),
                    format!(
                        "repeat factor {f}: each must be within [0, 1] and not above the one before ({previous})"
                    ),
                );
            }
            previous = f;
        }
        if let Some(c) = &self.contact {
            let given = |x: &Option<String>| x.as_deref().is_some_and(|v| !v.trim().is_empty());
            if c.name.trim().is_empty() {
                return bad("contact.name".into(), "the contact needs a name".into());
            }
            if !(given(&c.phone) || given(&c.email) || given(&c.web)) {
                return bad(
                    "contact".into(),
                    "the contact needs at least a phone, an email or a web page".into(),
                );
            }
            if let Some(e) = c.email.as_deref().filter(|e| !e.contains('@')) {
                return bad(
                    "contact.email".into(),
                    format!("`{e}` is not an email address"),
                );
            }
            if let Some(w) = c
                .web
                .as_deref()
                .filter(|w| !(w.starts_with("https://") || w.starts_with("http://")))
            {
                return bad(
                    "contact.web".into(),
                    format!("`{w}` is not a web address (https://…)"),
                );
            }
        }
        if self.slots.is_empty() {
            return bad("slots".into(), "at least one slot is needed".into());
        }
        if let Some(n) = duplicate(self.slots.iter().map(|s| s.name.clone())) {
            return bad("slots".into(), format!("two slots are named `{n}`"));
        }
        for (i, s) in self.slots.iter().enumerate() {
            if s.start >= s.end {
                return bad(
                    format!("slots[{i}].end"),
                    format!(
                        "slot `{}` ends ({}) before it starts ({})",
                        s.name, s.end, s.start
                    ),
                );
            }
            if s.start.0 < self.setup().0 || s.end.0 + self.setup().0 > 24 * 3600 {
                return bad(
                    format!("slots[{i}].start"),
                    format!(
                        "slot `{}` with its set-up time does not fit in one day",
                        s.name
                    ),
                );
            }
            if i > 0 && self.slots[i - 1].end > s.start {
                return bad(
                    format!("slots[{i}].start"),
                    format!(
                        "slot `{}` starts at {} before slot `{}` ends at {}: slots must be in order and not overlap",
                        s.name, s.start, self.slots[i - 1].name, self.slots[i - 1].end
                    ),
                );
            }
        }
        if self.depots.is_empty() {
            return bad("depots".into(), "at least one depot is needed".into());
        }
        if let Some(d) = duplicate(self.depots.iter().map(|d| d.id.clone())) {
            return bad("depots".into(), format!("two depots have the id `{d}`"));
        }
        for (i, d) in self.depots.iter().enumerate() {
            if !d.location().is_valid() {
                return bad(
                    format!("depots[{i}].lon"),
                    format!(
                        "depot `{}` has coordinates ({}, {}) that are not longitude/latitude",
                        d.id, d.lon, d.lat
                    ),
                );
            }
        }
        let depot_ids: Vec<&str> = self.depots.iter().map(|d| d.id.as_str()).collect();
        if self.vehicles.is_empty() {
            return bad("vehicles".into(), "at least one vehicle is needed".into());
        }
        if let Some(v) = duplicate(self.vehicles.iter().map(|v| v.id.clone())) {
            return bad("vehicles".into(), format!("two vehicles have the id `{v}`"));
        }
        if let Some(m) = duplicate(self.mediators.iter().map(|m| m.id.clone())) {
            return bad(
                "mediators".into(),
                format!("two mediators have the id `{m}`"),
            );
        }
        for (i, m) in self.mediators.iter().enumerate() {
            if !depot_ids.contains(&m.base.as_str()) {
                return bad(
                    format!("mediators[{i}].base"),
                    format!(
                        "mediator `{}` is based at unknown depot `{}` (depots: {})",
                        m.id,
                        m.base,
                        depot_ids.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_day > 0.0 && m.max_hours_per_day <= LEGAL_MAX_HOURS_PER_DAY) {
                return bad(
                    format!("mediators[{i}].max_hours_per_day"),
                    format!(
                        "mediator `{}`: {} hours a day is outside (0, {}] (legal daily maximum)",
                        m.id, m.max_hours_per_day, LEGAL_MAX_HOURS_PER_DAY
                    ),
                );
            }
            if let Some(l) = m.licences.iter().find(|l| !LICENCES.contains(&l.as_str())) {
                return bad(
                    format!("mediators[{i}].licences"),
                    format!(
                        "mediator `{}`: unknown licence `{l}` (known: {})",
                        m.id,
                        LICENCES.join(", ")
                    ),
                );
            }
            if !(m.max_hours_per_week > 0.0 && m.max_hours_per_week <= LEGAL_MAX_HOURS_PER_WEEK) {
                return bad(
                    format!("mediators[{i}].max_hours_per_week"),
                    format!(
                        "mediator `{}`: {} hours a week is outside (0, {}] (legal weekly maximum)",
                        m.id, m.max_hours_per_week, LEGAL_MAX_HOURS_PER_WEEK
                    ),
                );
            }
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            if !depot_ids.contains(&v.depot.as_str()) {
                return bad(
                    format!("vehicles[{i}].depot"),
                    format!(
                        "vehicle `{}` leaves from unknown depot `{}` (depots: {})",
                        v.id,
                        v.depot,
                        depot_ids.join(", ")
                    ),
                );
            }
            if !(1..=6).contains(&v.crew_size) {
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    format!("a crew of {} is outside 1 to 6", v.crew_size),
                );
            }
            if v.earliest_departure >= v.latest_return {
                return bad(
                    format!("vehicles[{i}].latest_return"),
                    format!(
                        "vehicle `{}` must be back ({}) after it leaves ({})",
                        v.id, v.latest_return, v.earliest_departure
                    ),
                );
            }
            if let Some(t) = v
                .gross_weight_tonnes
                .filter(|t| !(t.is_finite() && *t > 0.0 && *t <= 44.0))
            {
                return bad(
                    format!("vehicles[{i}].gross_weight_tonnes"),
                    format!("vehicle `{}`: {t} t is not a weight (0 to 44 t)", v.id),
                );
            }
            if v.mode == TravelMode::CargoBike {
                if v.gross_weight_tonnes.is_some() {
                    return bad(
                        format!("vehicles[{i}].gross_weight_tonnes"),
                        format!(
                            "vehicle `{}` is a cargo bike: it has no gross weight (no licence or driving-time rules for bikes)",
                            v.id
                        ),
                    );
                }
                if let Some(k) = v
                    .speed_kmh
                    .filter(|k| !(k.is_finite() && (5.0..=30.0).contains(k)))
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        format!("cargo bike `{}`: {k} km/h is outside 5 to 30 km/h", v.id),
                    );
                }
                if let Some(other) = self.vehicles[..i]
                    .iter()
                    .find(|o| o.mode == TravelMode::CargoBike && o.bike_kmh() != v.bike_kmh())
                {
                    return bad(
                        format!("vehicles[{i}].speed_kmh"),
                        format!(
                            "cargo bikes `{}` ({} km/h) and `{}` ({} km/h): every cargo bike of a scenario rides at the same speed",
                            other.id,
                            other.bike_kmh(),
                            v.id,
                            v.bike_kmh()
                        ),
                    );
                }
                if v.communes.is_empty() {
                    return bad(
                        format!("vehicles[{i}].communes"),
                        format!(
                            "cargo bike `{}`: list the communes it serves (place names or INSEE codes), e.g. communes = [\"Brumeval\"]",
                            v.id
                        ),
                    );
                }
            } else {
                let field = if v.speed_kmh.is_some() {
                    Some("speed_kmh")
                } else if !v.communes.is_empty() {
                    Some("communes")
                } else {
                    None
                };
                if let Some(f) = field {
                    return bad(
                        format!("vehicles[{i}].{f}"),
                        format!(
                            "vehicle `{}`: `{f}` is for cargo bikes (mode = \"cargo_bike\")",
                            v.id
                        ),
                    );
                }
            }
            // An impossible crew rule is an error, with the explanation of why.
            let crew_days: Vec<Weekday> = self
                .days
                .iter()
                .copied()
                .filter(|&d| v.runs_on(self, d))
                .filter(|&d| {
                    self.mediators
                        .iter()
                        .filter(|m| m.base == v.depot && m.works_on(self, d))
                        .count()
                        >= v.crew_size as usize
                })
                .collect();
            let driver_days: Vec<Weekday> = crew_days
                .iter()
                .copied()
                .filter(|&d| {
                    self.mediators
                        .iter()
                        .any(|m| m.base == v.depot && m.works_on(self, d) && m.can_drive(v))
                })
                .collect();
            if !crew_days.is_empty() && driver_days.is_empty() {
                let field = if v.is_heavy() {
                    format!("vehicles[{i}].gross_weight_tonnes")
                } else {
                    format!("vehicles[{i}].depot")
                };
                return bad(
                    field,
                    format!(
                        "vehicle `{}`{} needs a driver with licence {}, and no mediator based at depot `{}` who holds it works on the vehicle's days",
                        v.id,
                        v.gross_weight_tonnes.map(|t| format!(" ({t} t)")).unwrap_or_default(),
                        v.licence_needed(),
                        v.depot
                    ),
                );
            }
            if crew_days.is_empty() {
                let based = self.mediators.iter().filter(|m| m.base == v.depot).count();
                return bad(
                    format!("vehicles[{i}].crew_size"),
                    format!(
                        "vehicle `{}` needs a crew of {} mediators based at depot `{}`, but on none of its days do that many work there ({} mediator(s) based there in all)",
                        v.id, v.crew_size, v.depot, based
                    ),
                );
            }
        }
        self.validate_promises()?;
        self.validate_home_visits()
    }

    /// Home visits: an existing mediator and depot, days the mediator works, a
    /// sensible radius and day. Requests outside the radius are not errors (the plan
    /// reports them).
    pub(crate) fn validate_home_visits(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        for (i, h) in self.home_visits.iter().enumerate() {
            let at = |f: &str| format!("home_visits[{i}].{f}");
            let Some(m) = self.mediator(&h.mediator) else {
                return bad(
                    at("mediator"),
                    format!(
                        "no mediator `{}` (mediators: {})",
                        h.mediator,
                        self.mediators
                            .iter()
                            .map(|m| m.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            };
            if self.home_visits[..i]
                .iter()
                .any(|o| o.mediator == h.mediator)
            {
                return bad(
                    at("mediator"),
                    format!(
                        "mediator `{}` has two home_visits sections: merge them",
                        h.mediator
                    ),
                );
            }
            if h.days.is_empty() {
                return bad(at("days"), "at least one weekday is needed".into());
            }
            if let Some(d) = duplicate(h.days.iter().map(|d| d.to_string())) {
                return bad(at("days"), format!("`{d}` is listed twice"));
            }
            if let Some(d) = h
                .days
                .iter()
                .find(|&&d| !m.works_on_weekday(self, d) || !self.days.contains(&d))
            {
                return bad(
                    at("days"),
                    format!(
                        "mediator `{}` does not work on {} (or it is not one of the scenario's days)",
                        m.id,
                        d.french()
                    ),
                );
            }
            if let Some(b) = h.base.as_deref().filter(|b| self.depot(b).is_none()) {
                return bad(at("base"), format!("no depot `{b}`"));
            }
            if !(h.radius_km.is_finite() && h.radius_km > 0.0 && h.radius_km <= 200.0) {
                return bad(
                    at("radius_km"),
                    format!("a radius of {} km is outside (0, 200]", h.radius_km),
                );
            }
            if !(5..=480).contains(&h.visit_minutes) {
                return bad(
                    at("visit_minutes"),
                    format!("a visit of {} minutes is outside 5 to 480", h.visit_minutes),
                );
            }
            if h.start >= h.end {
                return bad(
                    at("end"),
                    format!("the day ends ({}) before it starts ({})", h.end, h.start),
                );
            }
            // Two home-visit days in a row then always leave 11 h of rest.
            if h.end.0 - h.start.0 > 24 * 3600 - (LEGAL_MIN_DAILY_REST_HOURS * 3600.0) as u32 {
                return bad(
                    at("end"),
                    format!(
                        "a day from {} to {} leaves less than {} h of rest before the next",
                        h.start, h.end, LEGAL_MIN_DAILY_REST_HOURS
                    ),
                );
            }
        }
        Ok(())
    }

    /// The `[[home_visits]]` section of `mediator`, if any.
    pub fn home_visits_of(&self, mediator: &str) -> Option<&HomeVisits> {
        self.home_visits.iter().find(|h| h.mediator == mediator)
    }

    /// The depot a home-visit section starts from (its `base`, else the mediator's).
    pub fn home_base(&self, h: &HomeVisits) -> Option<&Depot> {
        match &h.base {
            Some(b) => self.depot(b),
            None => self.mediator(&h.mediator).and_then(|m| self.depot(&m.base)),
        }
    }

    /// Promises: each says what and for whom, and can be kept at all on paper (the
    /// territory's sites are checked later, by the planner).
    pub(crate) fn validate_promises(&self) -> Result<(), ScenarioError> {
        let bad = |field: String, message: String| {
            Err(ScenarioError {
                path: None,
                line: None,
                field: Some(field),
                message,
            })
        };
        let mut seen = BTreeSet::new();
        let slot_days = self.cycle_weeks * self.days.len() as u32 * self.slots.len() as u32;
        for (i, p) in self.promises.iter().enumerate() {
            let at = |f: &str| format!("promises[{i}].{f}");
            if p.commune.trim().is_empty() {
                return bad(
                    at("commune"),
                    "a promise names its commune (place name or INSEE code)".into(),
                );
            }
            if !seen.insert(p.commune.trim().to_lowercase()) {
                return bad(
                    at("commune"),
                    format!(
                        "commune `{}` has two promises: merge them into one",
                        p.commune
                    ),
                );
            }
            if p.frequency.is_none() && p.min_visits.is_none() {
                return bad(
                    format!("promises[{i}]"),
                    format!(
                        "the promise to `{}` needs a frequency (weekly, two_in_three, fortnightly, monthly, every_5_weeks) or min_visits",
                        p.commune
                    ),
                );
            }
            if p.max_visits == Some(0) {
                return bad(
                    at("max_visits"),
                    format!(
                        "a promise to `{}` of at most 0 visits promises nothing: remove it",
                        p.commune
                    ),
                );
            }
            if let (Some(min), Some(max)) = (p.min_visits, p.max_visits) {
                if min > max {
                    return bad(
                        at("max_visits"),
                        format!(
                            "`{}`: max_visits {max} is below min_visits {min}",
                            p.commune
                        ),
                    );
                }
            }
            if let (Some(f), Some(max)) = (p.frequency, p.max_visits) {
                let need = f.min_weeks(self.cycle_weeks);
                if need > max {
                    return bad(
                        at("max_visits"),
                        format!(
                            "`{}`: {} needs at least {need} visits in a {}-week cycle, more than max_visits {max}",
                            p.commune,
                            f.french(),
                            self.cycle_weeks
                        ),
                    );
                }
            }
            if let Some(min) = p.min_visits {
                let most = if p.stable {
                    self.cycle_weeks
                } else {
                    slot_days
                };
                if min > most {
                    return bad(
                        at("min_visits"),
                        format!(
                            "`{}`: {min} visits cannot fit in a {}-week cycle ({most} at most{})",
                            p.commune,
                            self.cycle_weeks,
                            if p.stable {
                                ": a stable weekday and slot allows one a week"
                            } else {
                                ""
                            }
                        ),
                    );
                }
            }
            if p.strict && p.weekday.is_none() && p.slot.is_none() {
                return bad(
                    at("strict"),
                    format!(
                        "`{}`: strict makes the promised weekday and slot rules, but the promise gives neither",
                        p.commune
                    ),
                );
            }
            if let Some(d) = p.weekday.filter(|d| !self.days.contains(d)) {
                return bad(
                    at("weekday"),
                    format!(
                        "`{}`: no tour runs on {} (days: {})",
                        p.commune,
                        d.french(),
                        self.days
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if let Some(s) = p.slot.as_deref().filter(|s| self.slot(s).is_none()) {
                return bad(
                    at("slot"),
                    format!(
                        "`{}`: no slot `{s}` (slots: {})",
                        p.commune,
                        self.slots
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        Ok(())
    }
}

fn duplicate(items: impl Iterator<Item = String>) -> Option<String> {
    let mut seen = BTreeSet::new();
    items.into_iter().find(|i| !seen.insert(i.clone()))
}

/// A scenario that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub path: Option<PathBuf>,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// Dotted field path, e.g. `vehicles[1].depot`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scenario")?;
        if let Some(p) = &self.path {
            write!(f, " {}", p.display())?;
        }
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// The 1-based line of byte `offset`, and the dotted path of the key written on that
/// line (`vehicles[1].depot`), found by reading the table headers above it.
fn field_at(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let line = text[..offset].matches('\n').count() + 1;
    let mut header: Option<String> = None;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut key_here = None;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if i + 1 > line {
            break;
        }
        if let Some(h) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let h = h.trim().to_string();
            let n = counts.entry(h.clone()).or_insert(0);
            header = Some(format!("{h}[{n}]"));
            *n += 1;
        } else if let Some(h) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            header = Some(h.trim().to_string());
        }
        if i + 1 == line {
            key_here = t
                .split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('['));
        }
    }
    let field = match (header, key_here) {
        (Some(h), Some(k)) => Some(format!("{h}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(h), None) => Some(h),
        (None, None) => None,
    };
    (line, field)
}

/// The 1-based line where a dotted field path (`vehicles[1].depot`) is written, when
/// it is written at all (a field left to its default has no line).
fn line_of_field(text: &str, field: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text.to_string()).ok()?;
    let mut table = doc.as_table();
    let mut span = None;
    let parts: Vec<&str> = field.split('.').collect();
    for (pi, part) in parts.iter().enumerate() {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        let last = pi + 1 == parts.len();
        let item = table.get(name)?;
        if let Some(k) = table.key(name) {
            span = k.span().or(span);
        }
        match (item, index) {
            (toml_edit::Item::ArrayOfTables(a), Some(i)) => {
                let t = a.get(i)?;
                span = t.span().or(span);
                table = t;
            }
            (toml_edit::Item::Table(t), None) if !last => {
                span = t.span().or(span);
                table = t;
            }
            // An inline array of inline tables (`decay = [{ … }, { … }]`): the
            // element's own line when the array spans several.
            (toml_edit::Item::Value(toml_edit::Value::Array(a)), Some(i)) => {
                span = a.get(i).and_then(|v| v.span()).or(span);
                break;
            }
            _ => break,
        }
    }
    let start = span?.start;
    Some(text[..start.min(text.len())].matches('\n').count() + 1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const MINIMAL: &str = r#"
name = "Test"
start_date = "2027-01-04"
cycle_weeks = 2

[territory]
pbf = "demo.osm.pbf"

[[slots]]
name = "matin"
start = "09:30"
end = "12:00"

[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"

[[depots]]
id = "cs"
name = "Centre social"
lon = 0.5
lat = 45.5

[[vehicles]]
id = "bus-1"
name = "Bus 1"
depot = "cs"

[[mediators]]
id = "a"
name = "A"
base = "cs"

[[mediators]]
id = "b"
name = "B"
base = "cs"
"#;

    #[test]
    fn minimal_scenario_parses_with_defaults() {
        let s = Scenario::parse(MINIMAL, None).unwrap();
        assert_eq!(s.cycle_weeks, 2);
        assert_eq!(s.days.len(), 5);
        assert_eq!(s.vehicles[0].crew_size, 2);
        assert_eq!(s.reach.radius(), Seconds::from_minutes(15));
        assert_eq!(s.cycle_days().len(), 10);
        assert_eq!(
            s.cycle_days()[5].date,
            NaiveDate::from_ymd_opt(2027, 1, 11).unwrap()
        );
    }

    #[test]
    fn unknown_depot_names_field_and_line() {
        let text = MINIMAL.replace("depot = \"cs\"", "depot = \"nowhere\"");
        let e = Scenario::parse(&text, Some(Path::new("x.toml"))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].depot"));
        let expected_line = text
            .lines()
            .position(|l| l.contains("nowhere"))
            .map(|i| i + 1);
        assert_eq!(e.line, expected_line);
        let msg = e.to_string();
        assert!(msg.contains("x.toml") && msg.contains("nowhere"), "{msg}");
    }

    #[test]
    fn syntax_error_names_line_and_field() {
        let text = MINIMAL.replace("depot = \"cs\"", "depot = 3");
        let e = Scenario::parse(&text, Some(Path::new("x.toml"))).unwrap_err();
        let expected_line = text.lines().position(|l| l == "depot = 3").map(|i| i + 1);
        assert_eq!(e.line, expected_line);
        assert_eq!(e.field.as_deref(), Some("vehicles[0].depot"));
    }

    #[test]
    fn unknown_key_is_rejected() {
        let text = MINIMAL.replace("cycle_weeks = 2", "cycle_weeks = 2\ncylce = 3");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert!(e.message.contains("cylce"), "{}", e.message);
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn start_date_must_be_monday() {
        let text = MINIMAL.replace("2027-01-04", "2027-01-05");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("start_date"));
        assert!(e.message.contains("mardi"));
    }

    #[test]
    fn cargo_bike_mode_and_its_rules() {
        let bike = MINIMAL.replace(
            "depot = \"cs\"\n",
            "depot = \"cs\"\nmode = \"cargo_bike\"\ncommunes = [\"Brumeval\"]\n",
        );
        let s = Scenario::parse(&bike, None).unwrap();
        let v = &s.vehicles[0];
        assert_eq!(v.mode, TravelMode::CargoBike);
        assert_eq!(v.bike_kmh(), DEFAULT_BIKE_KMH);
        assert_eq!(s.reach.walk_minutes, 10);
        assert_eq!(
            s.reach.radius_for(TravelMode::CargoBike),
            Seconds::from_minutes(10)
        );
        // No licence: a mediator who does not drive rides a cargo bike.
        let mut walker = s.mediators[0].clone();
        walker.licences.clear();
        assert!(walker.can_drive(v));
        assert!(!walker.can_drive(&Scenario::parse(MINIMAL, None).unwrap().vehicles[0]));
        // A cargo bike must say which communes it serves.
        let e =
            Scenario::parse(&bike.replace("communes = [\"Brumeval\"]\n", ""), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].communes"));
        // It has no weight, and rides at a plausible speed.
        let e = Scenario::parse(
            &bike.replace("mode =", "gross_weight_tonnes = 3.0\nmode ="),
            None,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].gross_weight_tonnes"));
        let e =
            Scenario::parse(&bike.replace("mode =", "speed_kmh = 45.0\nmode ="), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].speed_kmh"));
        // Bike fields on a bus are mistakes.
        let e = Scenario::parse(
            &MINIMAL.replace("depot = \"cs\"\n", "depot = \"cs\"\ncommunes = [\"X\"]\n"),
            None,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].communes"));
        let e = Scenario::parse(&format!("{bike}\n[reach]\nwalk_minutes = 0\n"), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("reach.walk_minutes"));
        // A car-only scenario serialises as before: no mode, no walk.
        let car = Scenario::parse(MINIMAL, None).unwrap();
        let text = toml::to_string(&car).unwrap();
        assert!(
            !text.contains("mode") && !text.contains("walk_minutes"),
            "{text}"
        );
        assert!(toml::to_string(&s)
            .unwrap()
            .contains("mode = \"cargo_bike\""));
    }

    #[test]
    fn impossible_crew_is_explained() {
        let text = MINIMAL.replace("[[vehicles]]", "[[vehicles]]\ncrew_size = 3");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].crew_size"));
        assert!(e.message.contains("crew of 3"), "{}", e.message);
    }

    #[test]
    fn overlapping_slots_are_rejected() {
        let text = MINIMAL.replace("start = \"14:00\"", "start = \"11:00\"");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("slots[1].start"));
    }

    #[test]
    fn contract_above_legal_maximum_is_rejected() {
        let text = MINIMAL.replace("name = \"B\"", "name = \"B\"\nmax_hours_per_week = 50");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("mediators[1].max_hours_per_week"));
    }

    #[test]
    fn contact_is_optional_and_checked() {
        assert_eq!(Scenario::parse(MINIMAL, None).unwrap().contact, None);
        let with =
            |contact: &str| MINIMAL.replacen("[[slots]]", &format!("{contact}\n[[slots]]"), 1);
        let good = with("[contact]\nname = \"Centre social\"\nphone = \"05 45 00 00 00\"\n");
        let s = Scenario::parse(&good, None).unwrap();
        let c = s.contact.as_ref().unwrap();
        assert_eq!(c.phone.as_deref(), Some("05 45 00 00 00"));
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&text, None).unwrap(), s);

        let unreachable = with("[contact]\nname = \"Centre social\"\n");
        let e = Scenario::parse(&unreachable, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("contact"));
        let bad_mail = with("[contact]\nname = \"CS\"\nemail = \"nobody\"\n");
        let e = Scenario::parse(&bad_mail, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("contact.email"));
        assert!(e.line.is_some());
        let typo = with("[contact]\nname = \"CS\"\nfax = \"1\"\n");
        assert!(Scenario::parse(&typo, None)
            .unwrap_err()
            .message
            .contains("fax"));
    }

    #[test]
    fn promises_parse_and_bad_ones_name_their_field_and_line() {
        let with = |p: &str| format!("{MINIMAL}\n[[promises]]\ncommune = \"Ayrac\"\n{p}\n");
        let s = Scenario::parse(
            &with("frequency = \"fortnightly\"\nweekday = \"tue\""),
            None,
        )
        .unwrap();
        let p = &s.promises[0];
        assert_eq!(p.frequency, Some(crate::Frequency::Fortnightly));
        assert_eq!(p.weekday, Some(Weekday::Tue));
        assert!(p.stable, "stable by default");
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&text, None).unwrap(), s);
        assert!(Scenario::parse(MINIMAL, None).unwrap().promises.is_empty());

        let err = |p: &str| {
            let text = with(p);
            let e = Scenario::parse(&text, Some(Path::new("p.toml"))).unwrap_err();
            (e, text)
        };
        let (e, _) = err("frequency = \"daily\"");
        assert_eq!(e.field.as_deref(), Some("promises[0].frequency"), "{e}");
        assert!(e.message.contains("daily"), "{e}");
        let (e, _) = err("stable = false");
        assert_eq!(e.field.as_deref(), Some("promises[0]"), "{e}");
        assert!(e.to_string().contains("needs a frequency"), "{e}");
        let (e, text) = err("min_visits = 3\nmax_visits = 2");
        assert_eq!(e.field.as_deref(), Some("promises[0].max_visits"), "{e}");
        let line = text
            .lines()
            .position(|l| l == "max_visits = 2")
            .map(|i| i + 1);
        assert_eq!(e.line, line);
        let (e, _) = err("frequency = \"weekly\"\nmax_visits = 1");
        assert_eq!(e.field.as_deref(), Some("promises[0].max_visits"), "{e}");
        assert!(e.message.contains("at least 2"), "{e}");
        let (e, _) = err("min_visits = 3");
        assert_eq!(e.field.as_deref(), Some("promises[0].min_visits"), "{e}");
        assert!(e.message.contains("one a week"), "{e}");
        assert!(Scenario::parse(&with("min_visits = 3\nstable = false"), None).is_ok());
        let (e, _) = err("frequency = \"weekly\"\nweekday = \"sat\"");
        assert_eq!(e.field.as_deref(), Some("promises[0].weekday"), "{e}");
        let (e, _) = err("frequency = \"weekly\"\nslot = \"soir\"");
        assert_eq!(e.field.as_deref(), Some("promises[0].slot"), "{e}");
        let (e, _) = err("frequency = \"weekly\"\nstrict = true");
        assert_eq!(e.field.as_deref(), Some("promises[0].strict"), "{e}");
        let strict = Scenario::parse(&with("frequency = \"weekly\"\nweekday = \"tue\"\nstrict = true"), None)
            .unwrap();
        assert!(strict.promises[0].strict);
        let twice = format!(
            "{}[[promises]]\ncommune = \"ayrac\"\nmin_visits = 1\n",
            with("min_visits = 1")
        );
        let e = Scenario::parse(&twice, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("promises[1].commune"), "{e}");
        let (e, _) = err("frequency = \"weekly\"\nday = \"tue\"");
        assert!(e.message.contains("day"), "{e}");
    }

    #[test]
    fn school_holidays_parse_pause_tours_when_asked_and_are_checked() {
        let text = MINIMAL.replace(
            "cycle_weeks = 2",
            "cycle_weeks = 2\nschool_holidays = [{ from = \"2027-01-09\", to = \"2027-01-17\" }]",
        );
        let s = Scenario::parse(&text, None).unwrap();
        let d = |x: &str| x.parse::<NaiveDate>().unwrap();
        assert!(s.is_school_holiday(d("2027-01-11")));
        assert!(!s.is_school_holiday(d("2027-01-18")));
        // Without the pause, school holidays are working days.
        assert_eq!(s.day_off(d("2027-01-11")), None);
        let paused =
            Scenario::parse(&format!("pause_in_school_holidays = true\n{text}"), None).unwrap();
        assert!(paused
            .day_off(d("2027-01-11"))
            .unwrap()
            .contains("vacances scolaires"));
        assert_eq!(paused.day_off(d("2027-01-08")), None);
        let t = toml::to_string(&paused).unwrap();
        assert_eq!(Scenario::parse(&t, None).unwrap(), paused);

        let backwards = text.replace("\"2027-01-17\"", "\"2027-01-02\"");
        let e = Scenario::parse(&backwards, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("school_holidays[0].to"), "{e}");
        let typo = text.replace("to = ", "until = ");
        let e = Scenario::parse(&typo, None).unwrap_err();
        assert!(e.message.contains("until"), "{e}");
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn heavy_vehicles_need_a_licensed_driver() {
        let heavy = MINIMAL.replace("depot = \"cs\"", "depot = \"cs\"\ngross_weight_tonnes = 7");
        let e = Scenario::parse(&heavy, None).unwrap_err();
        assert_eq!(
            e.field.as_deref(),
            Some("vehicles[0].gross_weight_tonnes"),
            "{e}"
        );
        assert!(e.message.contains("licence C1"), "{e}");
        let line = heavy
            .lines()
            .position(|l| l.starts_with("gross_weight"))
            .map(|i| i + 1);
        assert_eq!(e.line, line);
        let licensed = heavy.replace("name = \"B\"", "name = \"B\"\nlicences = [\"B\", \"C1\"]");
        let s = Scenario::parse(&licensed, None).unwrap();
        let v = &s.vehicles[0];
        assert!(v.is_heavy() && v.licence_needed() == "C1");
        assert!(s.mediators[1].can_drive(v) && !s.mediators[0].can_drive(v));
        // Over 7.5 t, C1 is not enough.
        let big = licensed.replace("gross_weight_tonnes = 7", "gross_weight_tonnes = 12");
        assert!(Scenario::parse(&big, None).is_err());
        // Nobody drives: even a light vehicle cannot go out.
        let walkers = MINIMAL.replace("base = \"cs\"", "base = \"cs\"\nlicences = []");
        let e = Scenario::parse(&walkers, None).unwrap_err();
        assert!(e.message.contains("licence B"), "{e}");
        let e = Scenario::parse(
            &MINIMAL.replace("name = \"B\"", "name = \"B\"\nlicences = [\"X\"]"),
            None,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("mediators[1].licences"));
        // EU driving time.
        let h = Seconds::from_minutes;
        assert!(v.driving_rules(&[h(200), h(200), h(100)]).is_ok());
        assert!(v
            .driving_rules(&[h(200), h(200), h(200)])
            .unwrap_err()
            .contains("9 h"));
        assert!(v
            .driving_rules(&[h(280)])
            .unwrap_err()
            .contains("45-minute"));
        assert!(s.vehicles[0].driving_rules(&[h(280)]).is_err());
        let light = Scenario::parse(MINIMAL, None).unwrap();
        assert!(light.vehicles[0].driving_rules(&[h(600)]).is_ok());
    }

    #[test]
    fn repeat_factors_give_diminishing_returns_and_are_checked() {
        let s = Scenario::parse(MINIMAL, None).unwrap();
        assert_eq!(s.objective.weekly_share(0), 0.0);
        assert_eq!(s.objective.weekly_share(3), 1.0);
        let text = MINIMAL.replacen(
            "[[slots]]",
            "[objective]\nrepeat_factors = [0.5, 0.25]\n[[slots]]",
            1,
        );
        let s = Scenario::parse(&text, None).unwrap();
        assert_eq!(s.objective.repeat_value(2), 0.5);
        assert_eq!(s.objective.repeat_value(4), 0.0);
        assert_eq!(s.objective.weekly_share(2), 1.5);
        assert_eq!(s.objective.weekly_share(9), 1.75);
        let t = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&t, None).unwrap(), s);
        let rising = text.replace("[0.5, 0.25]", "[0.25, 0.5]");
        let e = Scenario::parse(&rising, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("objective.repeat_factors"), "{e}");
        assert!(e.line.is_some());
        let e = Scenario::parse(&text.replace("[0.5, 0.25]", "[1.5]"), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("objective.repeat_factors"), "{e}");
    }

    fn with_reach(reach: &str) -> String {
        MINIMAL.replacen("[[slots]]", &format!("{reach}\n[[slots]]"), 1)
    }

    #[test]
    fn reach_share_is_a_hard_radius_by_default() {
        let s = Scenario::parse(MINIMAL, None).unwrap();
        assert_eq!(s.reach.radius(), Seconds(900));
        assert_eq!(s.reach.share(Seconds(0)), 1.0);
        assert_eq!(s.reach.share(Seconds(900)), 1.0);
        assert_eq!(s.reach.share(Seconds(901)), 0.0);
        let s = Scenario::parse(&with_reach("[reach]\nradius_minutes = 8"), None).unwrap();
        assert_eq!(s.reach.share(Seconds(480)), 1.0);
        assert_eq!(s.reach.share(Seconds(481)), 0.0);
    }

    #[test]
    fn reach_share_follows_the_decay_curve() {
        let text = with_reach(
            "[reach]\ndecay = [{ minutes = 10, share = 1.0 }, { minutes = 20, share = 0.5 }, \
             { minutes = 30, share = 0.0 }]",
        );
        let s = Scenario::parse(&text, None).unwrap();
        let r = &s.reach;
        assert_eq!(r.radius(), Seconds::from_minutes(30));
        assert_eq!(r.share(Seconds(0)), 1.0);
        assert_eq!(r.share(Seconds(600)), 1.0);
        assert_eq!(r.share(Seconds(900)), 0.75);
        assert_eq!(r.share(Seconds(1200)), 0.5);
        assert_eq!(r.share(Seconds(1500)), 0.25);
        assert_eq!(r.share(Seconds(1800)), 0.0);
        assert_eq!(r.share(Seconds(5000)), 0.0);
        // Never rising with the drive.
        let mut last = 1.0;
        for t in 0..2000 {
            let x = r.share(Seconds(t));
            assert!(x <= last && (0.0..=1.0).contains(&x), "{t}: {x}");
            last = x;
        }
        // A curve ending above 0 stops at its last point; a first share below 1
        // holds before the first point.
        let s = Scenario::parse(
            &with_reach(
                "[reach]\ndecay = [{ minutes = 5, share = 0.8 }, { minutes = 12, share = 0.4 }]",
            ),
            None,
        )
        .unwrap();
        assert_eq!(s.reach.radius(), Seconds(720));
        assert_eq!(s.reach.share(Seconds(60)), 0.8);
        assert_eq!(s.reach.share(Seconds(720)), 0.4);
        assert_eq!(s.reach.share(Seconds(721)), 0.0);
        let t = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&t, None).unwrap(), s);
    }

    #[test]
    fn bad_decay_curves_name_their_point_and_line() {
        let curve = |points: &str| with_reach(&format!("[reach]\ndecay = [\n{points}\n]"));
        let err = |text: String| Scenario::parse(&text, None).unwrap_err();
        let e = err(curve(
            "{ minutes = 10, share = 1.0 },\n{ minutes = 20, share = 0.5 },\n{ minutes = 20, share = 0.0 },",
        ));
        assert_eq!(e.field.as_deref(), Some("reach.decay[2].minutes"), "{e}");
        // The element's own line: MINIMAL's line 12 is `[[slots]]`, pushed down.
        let line_of =
            |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let text = curve(
            "{ minutes = 10, share = 1.0 },\n{ minutes = 20, share = 0.5 },\n{ minutes = 20, share = 0.0 },",
        );
        assert_eq!(
            e.line,
            Some(line_of(&text, "{ minutes = 20, share = 0.0 }"))
        );
        let e = err(curve(
            "{ minutes = 10, share = 0.5 },\n{ minutes = 20, share = 0.7 },",
        ));
        assert_eq!(e.field.as_deref(), Some("reach.decay[1].share"), "{e}");
        assert!(e.message.contains("cannot be worth more"), "{e}");
        let e = err(curve("{ minutes = 10, share = 1.5 },"));
        assert_eq!(e.field.as_deref(), Some("reach.decay[0].share"), "{e}");
        let e = err(curve("{ minutes = 10, share = 0.0 },"));
        assert_eq!(e.field.as_deref(), Some("reach.decay[0].share"), "{e}");
        let e = err(curve("{ minutes = 0, share = 1.0 },"));
        assert_eq!(e.field.as_deref(), Some("reach.decay[0].minutes"), "{e}");
        let e = err(curve(""));
        assert_eq!(e.field.as_deref(), Some("reach.decay"), "{e}");
        assert!(e.line.is_some(), "{e}");
        let e = err(with_reach(
            "[reach]\nradius_minutes = 12\ndecay = [{ minutes = 10, share = 1.0 }]",
        ));
        assert_eq!(e.field.as_deref(), Some("reach.radius_minutes"), "{e}");
        assert!(e.message.contains("not both"), "{e}");
        let e = err(with_reach(
            "[reach]\ndecay = [{ minutes = 10, share = 1.0, radius = 3 }]",
        ));
        assert!(e.message.contains("unknown field"), "{e}");
        let e = err(with_reach("[reach]\nradius_minutes = 0"));
        assert_eq!(e.field.as_deref(), Some("reach.radius_minutes"), "{e}");
    }

    #[test]
    fn weekly_value_sorts_shares_and_applies_repeat_factors() {
        let mut o = Objective::default();
        // No repeat factors: the best share.
        assert_eq!(o.weekly_value(&mut [0.25, 0.75, 0.5]), 0.75);
        assert_eq!(o.weekly_value(&mut []), 0.0);
        o.repeat_factors = vec![0.5, 0.25];
        assert_eq!(
            o.weekly_value(&mut [0.25, 1.0, 0.5, 0.5]),
            1.0 + 0.5 * 0.5 + 0.5 * 0.25
        );
        for n in 0..6 {
            assert_eq!(o.weekly_value(&mut vec![1.0; n]), o.weekly_share(n as u32));
        }
        // Adding a reach adds exactly the difference, and the levels sum to the same.
        let cases: [&[f64]; 5] = [&[], &[1.0], &[0.5, 0.25], &[1.0, 0.75, 0.75], &[0.1, 0.9]];
        for objective in [Objective::default(), o.clone()] {
            for existing in cases {
                for new in [1.0, 0.75, 0.5, 0.3, 0.1] {
                    let mut sorted = existing.to_vec();
                    let before = objective.weekly_value(&mut sorted);
                    let mut all = [existing, &[new]].concat();
                    let after = objective.weekly_value(&mut all);
                    let added = objective.added_value(&sorted, new);
                    assert!(
                        (after - before - added).abs() < 1e-12,
                        "{existing:?} + {new}"
                    );
                    assert!(added >= 0.0);
                    let by_levels: f64 = share_steps(all.iter().copied())
                        .into_iter()
                        .map(|(level, step)| {
                            let n = all.iter().filter(|&&s| s >= level).count() as u32;
                            step * objective.weekly_share(n)
                        })
                        .sum();
                    assert!((after - by_levels).abs() < 1e-12, "{all:?}");
                }
            }
        }
        // Hard radius: exactly the repeat value, as before decay existed.
        for n in 0..5 {
            assert_eq!(
                o.added_value(&vec![1.0; n], 1.0),
                o.repeat_value(n as u32 + 1)
            );
        }
        assert_eq!(share_steps([1.0, 1.0]), vec![(1.0, 1.0)]);
    }

    #[test]
    fn scenario_round_trips_through_toml() {
        let s = Scenario::parse(MINIMAL, None).unwrap();
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&text, None).unwrap(), s);
    }

    #[test]
    fn demand_fields_are_validated() {
        let with = |d: &str| format!("{MINIMAL}\n[demand]\n{d}\n");
        let field = |d: &str| {
            let e = Scenario::parse(&with(d), Some(Path::new("d.toml"))).unwrap_err();
            assert!(e.line.is_some(), "{e}");
            e.field.unwrap()
        };
        assert_eq!(field(r#"communes = "c.csv""#), "demand.communes");
        assert_eq!(field("vintage = 2024"), "demand.vintage");
        assert_eq!(
            field("communes = \"c.csv\"\nvintage = 1800"),
            "demand.vintage"
        );
        assert_eq!(field(r#"weight_column = "IFN""#), "demand.weight_column");
        assert_eq!(
            field("weights = \"w.csv\"\nweight_column = \" \""),
            "demand.weight_column"
        );
        assert_eq!(field(r#"weights = """#), "demand.weights");
        assert_eq!(field(""), "demand");
        let e = Scenario::parse(&with("communes_file = \"c.csv\""), None).unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
        let s = Scenario::parse(&with("communes = \"c.csv\"\nvintage = 2024"), None).unwrap();
        assert_eq!(s.demand.as_ref().unwrap().vintage, Some(2024));
        // parse() reads no file.
        assert_eq!(s.communes, None);
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&text, None).unwrap(), s);
    }

    #[test]
    fn load_reads_the_demand_files_and_the_scenario_weights_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("communes.csv"),
            "CODGEO;LIBGEO;PMUN;IFN\n00001;Aubrac;800;1.5\n00002;Brès;300;0.5\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("fragilite.csv"),
            "CODGEO;weight\n00002;2\n00003;3\n",
        )
        .unwrap();
        let text = format!(
            "{MINIMAL}\n[objective.weights]\n\"00003\" = 9.0\n\n[demand]\ncommunes = \"communes.csv\"\nvintage = 2024\nweight_column = \"IFN\"\nweights = \"fragilite.csv\"\n"
        );
        let path = dir.path().join("s.toml");
        std::fs::write(&path, &text).unwrap();
        let s = Scenario::load(&path).unwrap();
        assert_eq!(s.communes.as_ref().unwrap().rows.len(), 2);
        let w = &s.objective.weights;
        // Table < weights file < scenario.
        assert_eq!(w.get("00001"), Some(&1.5));
        assert_eq!(w.get("00002"), Some(&2.0));
        assert_eq!(w.get("00003"), Some(&9.0));
        // A bad weights file: the scenario's field, and the file's line and column.
        std::fs::write(dir.path().join("fragilite.csv"), "CODGEO;weight\n00002;x\n").unwrap();
        let e = Scenario::load(&path).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("demand.weights"));
        assert!(e.line.is_some());
        assert!(
            e.message.contains("fragilite.csv, line 2, column `weight`"),
            "{e}"
        );
        std::fs::remove_file(dir.path().join("communes.csv")).unwrap();
        let e = Scenario::load(&path).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("demand.communes"));
        assert!(e.message.contains("cannot read the file"), "{e}");
    }

    #[test]
    fn home_visits_parse_take_the_days_off_the_buses_and_are_checked() {
        let three = MINIMAL.replace(
            "[[mediators]]\nid = \"b\"",
            "[[mediators]]\nid = \"c\"\nname = \"C\"\nbase = \"cs\"\n\n[[mediators]]\nid = \"b\"",
        );
        let with = |h: &str| format!("{three}\n[[home_visits]]\n{h}\nrequests = \"r.csv\"\n");
        let s = Scenario::parse(&with("mediator = \"c\"\ndays = [\"tue\"]"), None).unwrap();
        let h = &s.home_visits[0];
        assert_eq!(h.radius_km, 25.0);
        assert_eq!(h.visit_minutes, 60);
        assert_eq!(s.home_base(h).unwrap().id, "cs");
        let c = s.mediator("c").unwrap();
        assert!(!c.works_on(&s, Weekday::Tue), "no bus on a home-visit day");
        assert!(c.works_on(&s, Weekday::Mon) && c.works_on_weekday(&s, Weekday::Tue));
        assert!(s.mediator("a").unwrap().works_on(&s, Weekday::Tue));
        let t = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&t, None).unwrap(), s);

        let err = |h: &str| Scenario::parse(&with(h), Some(Path::new("h.toml"))).unwrap_err();
        let e = err("mediator = \"zoe\"\ndays = [\"tue\"]");
        assert_eq!(e.field.as_deref(), Some("home_visits[0].mediator"), "{e}");
        assert!(e.line.is_some() && e.message.contains("zoe"), "{e}");
        let e = err("mediator = \"c\"\ndays = [\"sat\"]");
        assert_eq!(e.field.as_deref(), Some("home_visits[0].days"), "{e}");
        let e = err("mediator = \"c\"\ndays = [\"tue\"]\nbase = \"x\"");
        assert_eq!(e.field.as_deref(), Some("home_visits[0].base"), "{e}");
        let e = err("mediator = \"c\"\ndays = [\"tue\"]\nradius_km = 0");
        assert_eq!(e.field.as_deref(), Some("home_visits[0].radius_km"), "{e}");
        let e = err("mediator = \"c\"\ndays = [\"tue\"]\nstart = \"06:00\"\nend = \"20:00\"");
        assert_eq!(e.field.as_deref(), Some("home_visits[0].end"), "{e}");
        // The bus then lacks a crew on Tuesdays if `a` visits homes too: the crew
        // rule sees the home-visit days.
        let two = MINIMAL.to_string() + "\n[[home_visits]]\nmediator = \"a\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nrequests = \"r.csv\"\n";
        let e = Scenario::parse(&two, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("vehicles[0].crew_size"), "{e}");
    }
}
