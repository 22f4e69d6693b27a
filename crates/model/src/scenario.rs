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
use crate::geo::LonLat;
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reach {
    /// A stop reaches a place when the drive from the place to the stop takes at most
    /// this long.
    #[serde(default = "fifteen")]
    pub radius_minutes: u32,
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
            radius_minutes: 15,
            walk_minutes: 10,
        }
    }
}

impl Reach {
    pub fn radius(&self) -> Seconds {
        Seconds::from_minutes(self.radius_minutes)
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

    pub fn weight_of(&self, name: &str, insee: Option<&str>) -> f64 {
        insee
            .and_then(|c| self.weights.get(c))
            .or_else(|| self.weights.get(name))
            .copied()
            .unwrap_or(self.default_weight)
    }
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
fn fifteen() -> u32 {
    15
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
    pub fn works_on(&self, scenario: &Scenario, weekday: Weekday) -> bool {
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
        Ok(s)
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
        if !(1..=120).contains(&self.reach.radius_minutes) {
            return bad(
                "reach.radius_minutes".into(),
                format!(
                    "the reach radius must be 1 to 120 minutes, not {}",
                    self.reach.radius_minutes
                ),
            );
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
        self.validate_promises()
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
        assert_eq!(s.reach.radius_minutes, 15);
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

    #[test]
    fn scenario_round_trips_through_toml() {
        let s = Scenario::parse(MINIMAL, None).unwrap();
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::parse(&text, None).unwrap(), s);
    }
}
