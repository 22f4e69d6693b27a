//! Home visits: a mediator who, on some weekdays of the cycle, visits people at home
//! within a radius of their base instead of crewing a bus (domain.md: "a mediator
//! who visits people at home within ~25 km").
//!
//! The scenario section `[[home_visits]]` ([`HomeVisits`]) names the mediator, the
//! weekdays, the base (a depot), the radius, the visit length, the hours of the day
//! and a CSV file of requests ([`HomeRequest`], read by [`read_requests`] when the
//! scenario is loaded). On those weekdays the mediator is not available for bus
//! crews ([`crate::scenario::Mediator::works_on`] says so, so every bus module and
//! the checker see it in one place).
//!
//! The radius is a **straight-line** (great-circle) distance from the base, as
//! coordinators draw their service area on a map; drive times are still road times.
//!
//! People's homes are private: home visits go to the coordinator's outputs
//! (`plan.json`, the per-mediator grid of `plan.html`, the mediator's CSV) and never
//! to the communes' public outputs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::calendar::{TimeOfDay, Weekday};
use crate::geo::LonLat;
use crate::scenario::ScenarioError;
use crate::units::Seconds;

/// Default radius of the home-visit area (domain.md: "within ~25 km").
pub const DEFAULT_RADIUS_KM: f64 = 25.0;
/// "am" availability: the visit ends by 12:30.
pub const MORNING_END: TimeOfDay = TimeOfDay(12 * 3600 + 30 * 60);
/// "pm" availability: the visit starts from 13:30.
pub const AFTERNOON_START: TimeOfDay = TimeOfDay(13 * 3600 + 30 * 60);
/// A request whose home is farther than this from any car road cannot be driven to.
pub const REQUEST_MAX_SNAP_METERS: u32 = 1_000;
/// Reason prefix of every request declared not visited in `Plan::unplaced`.
pub const NOT_VISITED: &str = "visite à domicile non planifiée";

/// One `[[home_visits]]` section of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeVisits {
    /// Id of the mediator who makes the visits.
    pub mediator: String,
    /// Weekdays of the cycle the mediator makes home visits (and crews no bus).
    pub days: Vec<Weekday>,
    /// Depot id the mediator leaves from and comes back to; default: the mediator's
    /// own base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Homes farther than this in a straight line from the base are not visited.
    #[serde(default = "default_radius")]
    pub radius_km: f64,
    /// Length of a visit, unless the request says otherwise.
    #[serde(default = "sixty")]
    pub visit_minutes: u32,
    /// Earliest departure from the base.
    #[serde(default = "default_start")]
    pub start: TimeOfDay,
    /// Latest return to the base.
    #[serde(default = "default_end")]
    pub end: TimeOfDay,
    /// CSV of requests (`id,name,lon,lat` and optional `minutes`, `priority`,
    /// `commune`, `available`), relative to the scenario file.
    pub requests: PathBuf,
    /// The requests, read from `requests` by `Scenario::load`.
    #[serde(skip)]
    pub loaded: Option<Vec<HomeRequest>>,
}

fn default_radius() -> f64 {
    DEFAULT_RADIUS_KM
}
fn sixty() -> u32 {
    60
}
fn default_start() -> TimeOfDay {
    TimeOfDay::hm(8, 30)
}
fn default_end() -> TimeOfDay {
    TimeOfDay::hm(17, 30)
}

impl HomeVisits {
    /// The requests read from the file (empty if they were not loaded).
    pub fn request_list(&self) -> &[HomeRequest] {
        self.loaded.as_deref().unwrap_or(&[])
    }

    pub fn radius_m(&self) -> f64 {
        self.radius_km * 1000.0
    }

    /// Length of a visit to `r`.
    pub fn service(&self, r: &HomeRequest) -> Seconds {
        Seconds::from_minutes(r.minutes.unwrap_or(self.visit_minutes))
    }

    /// When the visit to `r` may take place on a day open `start`–`end`: the earliest
    /// and latest time it may begin, or `None` if it cannot fit.
    pub fn window(&self, r: &HomeRequest) -> Option<(TimeOfDay, TimeOfDay)> {
        let (from, to) = r.available.bounds(self.start, self.end);
        let from = from.max(self.start);
        let to = to.min(self.end);
        let service = self.service(r);
        (from.0 + service.0 <= to.0).then(|| (from, TimeOfDay(to.0 - service.0)))
    }
}

/// When a person can be visited, in the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Availability {
    /// Any time of the mediator's day (column empty).
    #[default]
    Any,
    /// `am`: the visit ends by [`MORNING_END`].
    Morning,
    /// `pm`: the visit starts from [`AFTERNOON_START`].
    Afternoon,
    /// `HH:MM-HH:MM`: the whole visit within.
    Window(TimeOfDay, TimeOfDay),
}

impl Availability {
    /// The period the visit must lie in, given the mediator's day.
    pub fn bounds(self, day_start: TimeOfDay, day_end: TimeOfDay) -> (TimeOfDay, TimeOfDay) {
        match self {
            Availability::Any => (day_start, day_end),
            Availability::Morning => (day_start, MORNING_END),
            Availability::Afternoon => (AFTERNOON_START, day_end),
            Availability::Window(a, b) => (a, b),
        }
    }

    fn parse(s: &str) -> Result<Availability, String> {
        let s = s.trim();
        match s.to_lowercase().as_str() {
            "" => Ok(Availability::Any),
            "am" => Ok(Availability::Morning),
            "pm" => Ok(Availability::Afternoon),
            _ => {
                let (a, b) = s.split_once('-').ok_or_else(|| {
                    format!("`{s}` is not `am`, `pm` or a time window like `09:00-11:30`")
                })?;
                let a: TimeOfDay = a.trim().parse().map_err(|e| format!("`{s}`: {e}"))?;
                let b: TimeOfDay = b.trim().parse().map_err(|e| format!("`{s}`: {e}"))?;
                if a >= b {
                    return Err(format!("`{s}` ends before it starts"));
                }
                Ok(Availability::Window(a, b))
            }
        }
    }
}

/// A person who asked for a visit at home.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeRequest {
    pub id: String,
    pub name: String,
    pub location: LonLat,
    /// Length of the visit, overriding `visit_minutes`.
    pub minutes: Option<u32>,
    /// Weight of the request in the objective (an integer, at least 1).
    pub priority: u32,
    pub commune: Option<String>,
    pub available: Availability,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    name: String,
    lon: String,
    lat: String,
    #[serde(default)]
    minutes: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    commune: Option<String>,
    #[serde(default)]
    available: Option<String>,
}

/// Reads a requests file. Errors name the file, the line and the column.
pub fn read_requests(path: &Path) -> Result<Vec<HomeRequest>, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        path: Some(path.to_path_buf()),
        line: None,
        field: None,
        message: format!("cannot read the home-visit requests: {e}"),
    })?;
    parse_requests(&text, Some(path))
}

/// Parses requests CSV text (`path` only names the file in errors).
pub fn parse_requests(text: &str, path: Option<&Path>) -> Result<Vec<HomeRequest>, ScenarioError> {
    let err = |line: Option<u64>, field: Option<&str>, message: String| ScenarioError {
        path: path.map(Path::to_path_buf),
        line: line.map(|l| l as usize),
        field: field.map(str::to_string),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| err(Some(1), None, format!("cannot read the header: {e}")))?
        .clone();
    for needed in ["id", "name", "lon", "lat"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(err(
                Some(1),
                Some(needed),
                format!("the header lacks the column `{needed}` (columns: id,name,lon,lat and optional minutes,priority,commune,available)"),
            ));
        }
    }
    let mut out: Vec<HomeRequest> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            err(
                e.position().map(|p| p.line()),
                None,
                format!("not a CSV row: {e}"),
            )
        })?;
        let line = record.position().map(|p| p.line());
        let row: Row = record.deserialize(Some(&headers)).map_err(|e| {
            let field = match e.kind() {
                csv::ErrorKind::Deserialize { err: de, .. } => de
                    .field()
                    .and_then(|i| headers.get(i as usize))
                    .map(str::to_string),
                _ => None,
            };
            err(line, field.as_deref(), format!("{e}"))
        })?;
        let bad = |field: &str, message: String| Err(err(line, Some(field), message));
        if row.id.is_empty() {
            return bad("id", "a request needs an id".into());
        }
        if out.iter().any(|r| r.id == row.id) {
            return bad("id", format!("two requests have the id `{}`", row.id));
        }
        if row.name.is_empty() {
            return bad("name", format!("request `{}` needs a name", row.id));
        }
        let number = |field: &str, v: &str| -> Result<f64, ScenarioError> {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| err(line, Some(field), format!("`{v}` is not a number")))
        };
        let location = LonLat::new(number("lon", &row.lon)?, number("lat", &row.lat)?);
        if !location.is_valid() {
            return bad(
                "lon",
                format!(
                    "request `{}`: ({}, {}) is not longitude/latitude",
                    row.id, row.lon, row.lat
                ),
            );
        }
        let present = |v: Option<String>| v.filter(|s| !s.is_empty());
        let minutes = match present(row.minutes) {
            None => None,
            Some(m) => match m.parse::<u32>() {
                Ok(m) if (5..=480).contains(&m) => Some(m),
                _ => return bad("minutes", format!("`{m}` is not 5 to 480 minutes")),
            },
        };
        let priority = match present(row.priority) {
            None => 1,
            Some(p) => match p.parse::<u32>() {
                Ok(p) if (1..=1000).contains(&p) => p,
                _ => {
                    return bad(
                        "priority",
                        format!("`{p}` is not a whole number from 1 to 1000"),
                    )
                }
            },
        };
        let available = match Availability::parse(row.available.as_deref().unwrap_or("")) {
            Ok(a) => a,
            Err(m) => return bad("available", m),
        };
        out.push(HomeRequest {
            id: row.id,
            name: row.name,
            location,
            minutes,
            priority,
            commune: present(row.commune),
            available,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
# fictitious
id,name,lon,lat,minutes,priority,commune,available
r1,Mme A,0.51,45.51,,,Ayrac,
r2,M. B,0.52,45.52,90,3,,am
r3,Mme C,0.53,45.53,,,,14:00-16:00
";

    #[test]
    fn requests_parse_with_defaults() {
        let r = parse_requests(GOOD, None).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].priority, 1);
        assert_eq!(r[0].commune.as_deref(), Some("Ayrac"));
        assert_eq!(r[0].available, Availability::Any);
        assert_eq!(r[1].minutes, Some(90));
        assert_eq!(r[1].priority, 3);
        assert_eq!(r[1].available, Availability::Morning);
        assert_eq!(
            r[2].available,
            Availability::Window(TimeOfDay::hm(14, 0), TimeOfDay::hm(16, 0))
        );
        // Only the four mandatory columns.
        let r = parse_requests("id,name,lon,lat\nx,X,1,45\n", None).unwrap();
        assert_eq!(r[0].minutes, None);
    }

    #[test]
    fn bad_requests_name_file_line_and_column() {
        let p = Path::new("req.csv");
        let e = parse_requests(&GOOD.replace("0.52", "east"), Some(p)).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert_eq!(e.field.as_deref(), Some("lon"), "{e}");
        assert!(e.to_string().contains("req.csv"), "{e}");
        let e = parse_requests(&GOOD.replace(",3,", ",0,"), Some(p)).unwrap_err();
        assert_eq!(
            (e.line, e.field.as_deref()),
            (Some(4), Some("priority")),
            "{e}"
        );
        let e = parse_requests(&GOOD.replace("14:00-16:00", "16:00-14:00"), None).unwrap_err();
        assert_eq!(
            (e.line, e.field.as_deref()),
            (Some(5), Some("available")),
            "{e}"
        );
        let e = parse_requests(&GOOD.replace("r3", "r1"), None).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(5), Some("id")), "{e}");
        let e = parse_requests("id,name,lat\n", None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("lon"), "{e}");
        let e = parse_requests(&GOOD.replace(",Ayrac,", ",Ayrac,,extra"), None).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse_requests(&GOOD.replace("45.53", "95"), None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("lon"), "{e}");
    }

    #[test]
    fn windows_fit_the_visit_in_the_day() {
        let hv: HomeVisits =
            toml::from_str("mediator = \"a\"\ndays = [\"tue\"]\nrequests = \"r.csv\"\n").unwrap();
        assert_eq!(hv.radius_km, 25.0);
        let r = parse_requests(GOOD, None).unwrap();
        assert_eq!(
            hv.window(&r[0]),
            Some((TimeOfDay::hm(8, 30), TimeOfDay::hm(16, 30)))
        );
        // 90 minutes ending by 12:30.
        assert_eq!(
            hv.window(&r[1]),
            Some((TimeOfDay::hm(8, 30), TimeOfDay::hm(11, 0)))
        );
        assert_eq!(
            hv.window(&r[2]),
            Some((TimeOfDay::hm(14, 0), TimeOfDay::hm(15, 0)))
        );
        let mut late = r[2].clone();
        late.available = Availability::Window(TimeOfDay::hm(18, 0), TimeOfDay::hm(20, 0));
        assert_eq!(hv.window(&late), None);
    }
}
