//! Publishing: turns a plan into what its readers use.
//!
//! - `plan.json`: the plan, machine-readable; it round-trips through serde
//!   ([`plan_json`]);
//! - `plan.html`: the coordinator's printable weekly grids, per vehicle and per
//!   mediator, with each day's route and drive times ([`weekly_grid_html`]);
//! - `calendriers/<commune>.ics`: one iCalendar (RFC 5545) per commune that hosts
//!   visits, for town halls and residents ([`commune_calendars_with`]), and
//!   `calendriers/sequences.json`, the `SEQUENCE` of every event series
//!   ([`ics::sequences`]), read back when the next plan is published;
//! - `changements.md` and `changements.json`: when a previous plan is given, what
//!   changed for each commune and a French notice to send it ([`notices`]);
//! - `affiches/<commune>.html`: a printable A4 announcement sheet per commune, with
//!   a map drawn in SVG ([`sheet`]);
//! - `panneaux/<commune>.txt`: per visit, 3 lines of 20 characters for a road-side
//!   panel ([`panel`]);
//! - `stops.geojson`: stops, day routes and depots (RFC 7946) ([`stops_geojson`]);
//! - `gtfs/`: a GTFS static feed of the stops and timetables ([`gtfs`]);
//! - `visites.csv`: one line per visit ([`csv_export`]);
//! - `lieux-mediation-numerique.csv`: the stops as entries of the national directory
//!   of places of digital mediation, in the MedNum standard ([`mednum`]); not
//!   written, and said why in [`Written::skipped`], when the scenario lacks what the
//!   standard requires (the organisation's SIRET, a commune's postcode);
//! - a few lines for the terminal ([`summary_text`]).
//!
//! Promises: every output is a pure, deterministic function of the plan and its
//! scenario (and the previous plan, when given) that returns text, so the server
//! can serve it without touching disk; [`write_all`] writes them all into a folder
//! and names the file in any I/O error.

pub mod basemap;
pub mod csv_export;
pub mod french;
pub mod geo;
pub mod gtfs;
pub mod home;
pub mod horizon;
pub mod html;
pub mod ics;
pub mod mednum;
pub mod notices;
pub mod panel;
pub mod sheet;
pub mod summary;

use std::path::{Path, PathBuf};

use tournee_model::{Plan, Scenario};

pub use geo::stops_geojson;
pub use html::weekly_grid_html;
pub use ics::{commune_calendars, commune_calendars_with, CommuneCalendar, Sequences};
pub use summary::summary_text;

/// The folder, inside the output folder, that holds the communes' calendars.
pub const CALENDARS_DIR: &str = "calendriers";
/// The folder of the communes' announcement sheets.
pub const SHEETS_DIR: &str = "affiches";
/// The folder of the communes' panel texts.
pub const PANELS_DIR: &str = "panneaux";
/// The file, inside [`CALENDARS_DIR`], that keeps the series' sequences.
pub const SEQUENCES_FILE: &str = "sequences.json";

/// The plan published before this one, to announce changes and version events.
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    pub plan: Plan,
    /// The `sequences.json` published with it, when it was kept.
    pub sequences: Option<Sequences>,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot create the folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a publication is given beside the plan and its scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishOptions {
    /// The plan published before, to announce changes and version events.
    pub previous: Option<Previous>,
    /// The checker's violations of a plan published anyway (`tournee publish
    /// --force`), one French line each: written for the coordinator at the top of
    /// `changements.md`, never into anything a commune receives.
    pub forced_violations: Vec<String>,
    /// The publication horizon: the cycle is repeated up to this date in the
    /// calendars, sheets, panels, GTFS and CSV ([`horizon`]); `plan.json` and the
    /// coordinator's grid keep the cycle.
    pub until: Option<chrono::NaiveDate>,
    /// The territory's roads, drawn under the sheets' maps (none: stops only).
    pub roads: Vec<basemap::RoadLine>,
}

/// What [`write_all`] wrote, in writing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Outputs not written, each with why (French, for the coordinator).
    pub skipped: Vec<String>,
}

/// The plan as pretty JSON; `serde_json::from_str::<Plan>` gives it back.
pub fn plan_json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).expect("a plan has only string keys and always serialises")
}

/// Writes every output of a first publication into `out_dir` (created if
/// needed); see [`write_all_with`].
pub fn write_all(
    out_dir: &Path,
    plan: &Plan,
    scenario: &Scenario,
) -> Result<Written, PublishError> {
    write_all_with(out_dir, plan, scenario, None)
}

/// Writes every output into `out_dir` (created if needed), in this order:
/// `plan.json`, `plan.html`, `stops.geojson`, `calendriers/<commune>.ics`,
/// `calendriers/sequences.json`, `affiches/<commune>.html`,
/// `panneaux/<commune>.txt`, the `gtfs/` files, `visites.csv`,
/// `lieux-mediation-numerique.csv` (when the scenario has what it needs),
/// `visites-domicile.csv` (when the plan has home visits), then — with a
/// previous plan only —
/// `changements.md` and `changements.json`. Every output is derived from the one
/// `plan`, so none can say other hours, dates or sites than another.
pub fn write_all_with(
    out_dir: &Path,
    plan: &Plan,
    scenario: &Scenario,
    previous: Option<&Previous>,
) -> Result<Written, PublishError> {
    let options = PublishOptions {
        previous: previous.cloned(),
        ..PublishOptions::default()
    };
    write_all_opts(out_dir, plan, scenario, &options)
}

/// [`write_all_with`] with every option; with forced violations, `changements.md`
/// is written (even without a previous plan) and starts with them.
pub fn write_all_opts(
    out_dir: &Path,
    plan: &Plan,
    scenario: &Scenario,
    options: &PublishOptions,
) -> Result<Written, PublishError> {
    let cycle_plan = plan;
    let extended = options
        .until
        .map(|until| horizon::extend(plan, scenario, until));
    let plan = extended.as_ref().unwrap_or(plan);
    let previous_extended = options.previous.as_ref().map(|p| Previous {
        plan: match options.until {
            Some(until) => horizon::extend(&p.plan, scenario, until),
            None => p.plan.clone(),
        },
        sequences: p.sequences.clone(),
    });
    let previous = previous_extended.as_ref();
    let calendars_dir = out_dir.join(CALENDARS_DIR);
    create_dir(&calendars_dir)?;
    let mut written = Written {
        files: Vec::new(),
        skipped: Vec::new(),
    };
    written.write(out_dir.join("plan.json"), &plan_json(cycle_plan))?;
    written.write(
        out_dir.join("plan.html"),
        &weekly_grid_html(cycle_plan, scenario),
    )?;
    written.write(
        out_dir.join("stops.geojson"),
        &stops_geojson(plan, scenario),
    )?;
    let sequences = ics::sequences(
        plan,
        scenario,
        previous.map(|p| (&p.plan, p.sequences.as_ref())),
    );
    for calendar in commune_calendars_with(plan, scenario, &sequences) {
        let path = calendars_dir.join(format!("{}.ics", calendar.file_stem));
        written.write(path, &calendar.ics)?;
    }
    written.write(calendars_dir.join(SEQUENCES_FILE), &sequences.to_json())?;
    let sheets_dir = out_dir.join(SHEETS_DIR);
    create_dir(&sheets_dir)?;
    let last_day = match options.until {
        Some(until) => until.max(horizon::last_day(plan)),
        None => horizon::last_day(plan),
    };
    for s in sheet::announcement_sheets_to(plan, scenario, last_day, &options.roads) {
        written.write(sheets_dir.join(format!("{}.html", s.file_stem)), &s.html)?;
    }
    let panels_dir = out_dir.join(PANELS_DIR);
    create_dir(&panels_dir)?;
    let stems = ics::naming::commune_stems(plan);
    for (commune, panels) in panel::panels_for(plan, scenario) {
        written.write(
            panels_dir.join(format!("{}.txt", stems[&commune])),
            &panel::panels_text(&commune, &panels),
        )?;
    }
    let gtfs_dir = out_dir.join(gtfs::GTFS_DIR);
    create_dir(&gtfs_dir)?;
    for (name, text) in gtfs::gtfs_files(plan, scenario) {
        written.write(gtfs_dir.join(name), &text)?;
    }
    written.write(
        out_dir.join("visites.csv"),
        &csv_export::visits_csv(plan, scenario),
    )?;
    match mednum::directory_csv(plan, scenario) {
        Ok(text) => written.write(out_dir.join(mednum::DIRECTORY_FILE), &text)?,
        Err(why) => written.skipped.push(why.to_string()),
    }
    // The home visits' schedule, for the coordinator and the mediators only.
    if let Some(text) = home::home_visits_csv(cycle_plan, scenario) {
        written.write(out_dir.join("visites-domicile.csv"), &text)?;
    }
    let changes = previous.map(|p| notices::changes_for(&p.plan, plan, scenario));
    if changes.is_some() || !options.forced_violations.is_empty() {
        let mut md = notices::violations_markdown(&options.forced_violations);
        if let Some(changes) = &changes {
            md.push_str(&notices::changes_markdown(changes));
        }
        written.write(out_dir.join("changements.md"), &md)?;
    }
    if let Some(changes) = &changes {
        written.write(
            out_dir.join("changements.json"),
            &notices::changes_json(changes),
        )?;
    }
    Ok(written)
}

fn create_dir(path: &Path) -> Result<(), PublishError> {
    std::fs::create_dir_all(path).map_err(|source| PublishError::CreateDir {
        path: path.to_path_buf(),
        source,
    })
}

impl Written {
    fn write(&mut self, path: PathBuf, content: &str) -> Result<(), PublishError> {
        match std::fs::write(&path, content) {
            Ok(()) => {
                self.files.push(path);
                Ok(())
            }
            Err(source) => Err(PublishError::Write { path, source }),
        }
    }
}
