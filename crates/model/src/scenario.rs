//! The scenario: everything a coordinator decides before planning — territory, depots,
//! vehicles, mediators, weekly slots, cycle, reach and objective weights.
//!
//! Written in TOML (see `scenarios/demo.toml` for a commented example). Unknown keys
//! are rejected, so a typo never silently falls back to a default. Every error names
//! the file, the line and the field.
//!
//! One concern a file: `calendar` (cycle, days off, slots), `fleet` (depots, vehicles,
//! mediators, labour and driving rules), `sites` (candidate-site rules), `reach`
//! (who a stop reaches), `objective` (how reached places are valued), `organisation`
//! (who runs the tours, for the directory of places of digital mediation), `validate`
//! (consistency checks before planning), `error` (errors with file, line and field).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::calendar::Weekday;
use crate::demand::{CommuneTable, DemandConfig, DemandFileError};
use crate::home::HomeVisits;
use crate::promise::Promise;
use crate::units::Seconds;

mod calendar;
mod defaults;
mod error;
mod fleet;
mod objective;
pub mod organisation;
mod reach;
mod sites;
#[cfg(test)]
pub(crate) mod tests;
mod validate;
mod warnings;

pub use calendar::{CycleDay, Period, Slot};
use defaults::*;
pub use error::ScenarioError;
use error::{field_at, line_of_field};
pub use fleet::{
    Depot, Mediator, TravelMode, Vehicle, DEFAULT_BIKE_KMH, LEGAL_MAX_HOURS_PER_DAY,
    LEGAL_MAX_HOURS_PER_WEEK, LEGAL_MIN_DAILY_REST_HOURS, LICENCES, MAX_DRIVING_PER_DAY,
    MAX_DRIVING_WITHOUT_BREAK,
};
pub use objective::{
    share_steps, valid_weight, Objective, RepeatPeriod, DEFAULT_REPEAT_FACTORS, MAX_WEIGHT,
};
pub use organisation::Organisation;
pub use reach::{DecayPoint, DecayShape, Reach, DEFAULT_DECAY};
pub use sites::SiteRulesConfig;
pub use warnings::ScenarioWarning;

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
    /// First day of the cycle; must be a Monday. `2027-03-01` or `01/03/2027`.
    #[serde(deserialize_with = "crate::calendar::date::deserialize")]
    pub start_date: NaiveDate,
    /// Length of the planning cycle in weeks.
    #[serde(default = "one")]
    pub cycle_weeks: u32,
    /// Days of the week on which tours may run.
    #[serde(default = "working_days")]
    pub days: Vec<Weekday>,
    /// Public holidays and other days on which no tour runs.
    #[serde(default, deserialize_with = "crate::calendar::date::deserialize_vec")]
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
    /// The crew's lunch break between a morning stop and an afternoon stop, from the
    /// end of packing up to the start of setting up, the drive between the two sites
    /// not included (`model::lunch`). Default 45.
    #[serde(default = "default_lunch", skip_serializing_if = "is_default_lunch")]
    pub lunch_minutes: u32,
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
    /// What the plan as a whole must keep (`model::rules`).
    #[serde(default, skip_serializing_if = "crate::rules::Rules::is_default")]
    pub rules: crate::rules::Rules,
    /// Who residents and town halls can ask about the tours, printed on the
    /// communes' announcement sheets. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The organisation running the tours, for the directory of places of digital
    /// mediation (`organisation`). Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Organisation>,
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
    /// The served sites of `demand.served`, read by [`Scenario::load`].
    #[serde(skip)]
    pub served: Option<crate::demand::ServedList>,
    /// Mediators who visit people at home on some weekdays (see `model::home`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_visits: Vec<HomeVisits>,
    /// The service as the public knows it (`[service]`; see `model::publication`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<crate::publication::Service>,
    /// What the coordinator says of particular stops (`[[site]]`).
    #[serde(default, rename = "site", skip_serializing_if = "Vec::is_empty")]
    pub site_entries: Vec<crate::publication::SiteEntry>,
    /// Calendars, sheets, panels and GTFS repeat the cycle up to this date, unless
    /// `tournee publish --until` says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_until: Option<NaiveDate>,
    /// The file the scenario was read from; relative paths are resolved against its
    /// folder.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// The scenario's text when it was parsed from one, for the lines of warnings.
    #[serde(skip)]
    pub text: SourceText,
}

/// The text a scenario was parsed from (none when built otherwise); never part of
/// a scenario's equality.
#[derive(Debug, Clone, Default)]
pub struct SourceText(pub Option<std::sync::Arc<str>>);

impl PartialEq for SourceText {
    fn eq(&self, _: &SourceText) -> bool {
        true
    }
}

impl SourceText {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    /// OpenStreetMap extract (PBF), relative to the scenario file.
    pub pbf: PathBuf,
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
            // With a weights file too, `weight_column` may name that file's column
            // only (the table's own weights are then not read).
            let column = d.weight_column.as_deref().filter(|w| {
                d.weights.is_none() || crate::demand::table::has_column(&bytes, &path, w)
            });
            let table = crate::demand::read_communes(&bytes, &path, column)
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
        let reference = d.weight_reference.unwrap_or(1.0);
        for (k, w) in weights {
            self.objective.weights.entry(k).or_insert(w / reference);
        }
        if let Some(p) = &d.served {
            let (bytes, path) = read(p, "demand.served")?;
            let list =
                crate::demand::read_served(&bytes, &path).map_err(|e| ("demand.served", e))?;
            self.served = Some(list);
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
                message: match e.message().trim() {
                    // The TOML parser says nothing of some characters (a NUL byte).
                    "" => "le texte n'est pas du TOML valide à cet endroit".to_string(),
                    m => tournee_i18n::serde_message(m),
                },
            }
        })?;
        s.source = path.map(Path::to_path_buf);
        s.text = SourceText(Some(text.into()));
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

    /// Every file the scenario names, with its field, as written: the territory,
    /// the `[demand]` tables and the home-visit requests. A server confines them
    /// all to its data folder before reading any.
    pub fn named_files(&self) -> Vec<(String, &Path)> {
        let mut files = vec![("territory.pbf".to_string(), self.territory.pbf.as_path())];
        if let Some(d) = &self.demand {
            if let Some(p) = &d.communes {
                files.push(("demand.communes".into(), p.as_path()));
            }
            if let Some(p) = &d.weights {
                files.push(("demand.weights".into(), p.as_path()));
            }
        }
        for (i, h) in self.home_visits.iter().enumerate() {
            files.push((format!("home_visits[{i}].requests"), h.requests.as_path()));
        }
        files
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
}
