//! Publishing: turns a plan into what its readers use.
//!
//! - `plan.json`: the plan, machine-readable; it round-trips through serde
//!   ([`plan_json`]);
//! - `plan.html`: the coordinator's printable weekly grid ([`weekly_grid_html`]);
//! - `calendriers/<commune>.ics`: one iCalendar (RFC 5545) per commune that hosts
//!   visits, for town halls and residents ([`commune_calendars`]);
//! - `stops.geojson`: stops, day routes and depots (RFC 7946) ([`stops_geojson`]);
//! - a few lines for the terminal ([`summary_text`]).
//!
//! Promises: every output is a pure, deterministic function of the plan and its
//! scenario that returns text, so the server can serve it without touching disk;
//! [`write_all`] writes them all into a folder and names the file in any I/O error.

pub mod french;
pub mod geo;
pub mod html;
pub mod ics;
pub mod summary;

use std::path::{Path, PathBuf};

use tournee_model::{Plan, Scenario};

pub use geo::stops_geojson;
pub use html::weekly_grid_html;
pub use ics::{commune_calendars, CommuneCalendar};
pub use summary::summary_text;

/// The folder, inside the output folder, that holds the communes' calendars.
pub const CALENDARS_DIR: &str = "calendriers";

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

/// What [`write_all`] wrote, in writing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub files: Vec<PathBuf>,
}

/// The plan as pretty JSON; `serde_json::from_str::<Plan>` gives it back.
pub fn plan_json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).expect("a plan has only string keys and always serialises")
}

/// Writes every output into `out_dir` (created if needed): `plan.json`,
/// `plan.html`, `stops.geojson` and `calendriers/<commune>.ics`.
pub fn write_all(
    out_dir: &Path,
    plan: &Plan,
    scenario: &Scenario,
) -> Result<Written, PublishError> {
    let calendars_dir = out_dir.join(CALENDARS_DIR);
    create_dir(&calendars_dir)?;
    let mut written = Written { files: Vec::new() };
    written.write(out_dir.join("plan.json"), &plan_json(plan))?;
    written.write(out_dir.join("plan.html"), &weekly_grid_html(plan, scenario))?;
    written.write(
        out_dir.join("stops.geojson"),
        &stops_geojson(plan, scenario),
    )?;
    for calendar in commune_calendars(plan, scenario) {
        let path = calendars_dir.join(format!("{}.ics", calendar.file_stem));
        written.write(path, &calendar.ics)?;
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
