//! One iCalendar file (RFC 5545) per commune that hosts visits, for town halls to
//! publish and residents to subscribe to.
//!
//! The visits of a commune at the same site, weekday, slot and public hours form one
//! event series (one `VEVENT`); see [`recurrence`](mod@recurrence) for how its dates
//! are written.
//!
//! Promises:
//! - each series expands to exactly the plan's dates for it;
//! - the `UID` of a series depends only on (commune, site OSM reference, weekday,
//!   slot name) ([`naming::stop_uid`]): a re-plan that keeps a stop keeps its UID,
//!   whatever happens to other communes, so subscribed calendars update in place;
//!   when some visits of a stop have other hours (a hand-edited plan), the hours
//!   most of its visits keep have that UID and each other set of hours a UID of
//!   its own ([`naming::stop_uid_at`]);
//! - `SEQUENCE` says which version of a series subscribers hold: 0 the first time
//!   a UID is published; when a plan is published again ([`sequences`] with the
//!   previous plan and the [`Sequences`] published with it), a series whose event
//!   content (dates, hours, site, exceptions, text) differs from what was last
//!   published gets the last sequence + 1, and an unchanged one keeps it;
//! - event times are the visit's public hours (`start`–`end`, not the set-up time:
//!   the same hours as every other output of the plan), local to Europe/Paris,
//!   whose `VTIMEZONE` is included;
//! - output is deterministic: `DTSTAMP` is the cycle's first day at 00:00 UTC (the
//!   plan's `start_date`), not the time of writing;
//! - lines are folded at 75 octets without splitting a character, and end with CRLF.

pub mod content;
pub mod naming;
pub mod recurrence;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use tournee_model::{DayRoute, OsmRef, Plan, Scenario, TimeOfDay, Visit, Weekday};

use crate::french;
use content::{escape_text, local_date_time, ContentLines};
use naming::{commune_stems, fnv1a, stop_uid, stop_uid_at};
use recurrence::{recurrence, Cancellation, Recurrence};

/// The time zone of every event.
pub const TZID: &str = "Europe/Paris";

/// A commune's calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneCalendar {
    pub commune: String,
    /// File name without `.ics`: the commune's [`naming::slug`], made unique among the
    /// plan's communes by a `-2`, `-3`… suffix.
    pub file_stem: String,
    pub ics: String,
}

/// Europe/Paris with the EU rules: summer time from the last Sunday of March at
/// 02:00 to the last Sunday of October at 03:00.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

const CALENDAR_HEADER: &[&str] = &[
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Tournée//Calendrier des passages//FR",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "X-WR-TIMEZONE:Europe/Paris",
    "REFRESH-INTERVAL;VALUE=DURATION:P1D",
    "X-PUBLISHED-TTL:P1D",
];

/// What every event of a plan shares.
struct Context<'a> {
    plan: &'a Plan,
    scenario: &'a Scenario,
    /// `DTSTAMP` value.
    stamp: String,
    /// The first day after the cycle (or the publication horizon).
    cycle_end: NaiveDate,
}

/// The visits of one commune at one site, weekday and slot: one `VEVENT`.
#[derive(Debug)]
struct StopSeries<'a> {
    commune: &'a str,
    site: OsmRef,
    weekday: Weekday,
    slot: &'a str,
    /// Public hours of every visit of the series.
    start: TimeOfDay,
    end: TimeOfDay,
    /// Its `UID`, set once the stop's series are known.
    uid: String,
    /// The earliest visit: site name, kind, location and places reached.
    visit: &'a Visit,
    visit_date: NaiveDate,
    /// Sorted, distinct.
    dates: Vec<NaiveDate>,
    vehicles: BTreeSet<&'a str>,
}

/// The version of one event series as last published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesVersion {
    /// Its `SEQUENCE`.
    pub sequence: u32,
    /// A hash of its event content, `SEQUENCE` left out (64-bit FNV-1a, hex).
    pub fingerprint: String,
}

/// The version of every series ever published by `UID`, as written to
/// `calendriers/sequences.json` beside the calendars and read back at the next
/// publication. Series that left the plan stay listed, so one that comes back gets
/// a sequence above the one subscribers last saw.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sequences(pub BTreeMap<String, SeriesVersion>);

impl Sequences {
    /// The sequence of a UID (0 when unknown).
    pub fn of(&self, uid: &str) -> u32 {
        self.0.get(uid).map_or(0, |v| v.sequence)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("string keys, always serialises")
    }

    pub fn from_json(text: &str) -> Result<Sequences, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// The sequences of `plan`'s series. Without `previous`, every series is at 0 (a
/// first publication). With the previous plan and, when it was kept, the
/// [`Sequences`] published with it: a series keeps the last published sequence if
/// its content is unchanged, and gets it + 1 otherwise. The last published version
/// of a UID is its entry in the previous sequences, or else the previous plan's
/// series at sequence 0 (a plan published before sequences were kept).
pub fn sequences(
    plan: &Plan,
    scenario: &Scenario,
    previous: Option<(&Plan, Option<&Sequences>)>,
) -> Sequences {
    let now = fingerprints(plan, scenario);
    let mut last: BTreeMap<String, SeriesVersion> = BTreeMap::new();
    if let Some((old_plan, old_sequences)) = previous {
        for (uid, fingerprint) in fingerprints(old_plan, scenario) {
            last.insert(
                uid,
                SeriesVersion {
                    sequence: 0,
                    fingerprint,
                },
            );
        }
        if let Some(old) = old_sequences {
            last.extend(old.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let mut out = last.clone();
    for (uid, fingerprint) in now {
        let sequence = match last.get(&uid) {
            Some(v) if v.fingerprint == fingerprint => v.sequence,
            Some(v) => v.sequence + 1,
            None => 0,
        };
        out.insert(
            uid,
            SeriesVersion {
                sequence,
                fingerprint,
            },
        );
    }
    Sequences(out)
}

/// The calendars of every commune that hosts at least one visit, sorted by commune
/// name, every `SEQUENCE` at 0 (a first publication).
pub fn commune_calendars(plan: &Plan, scenario: &Scenario) -> Vec<CommuneCalendar> {
    commune_calendars_with(plan, scenario, &Sequences::default())
}

/// The calendars with each series' `SEQUENCE` taken from `sequences` (0 for a UID
/// it lacks); see [`sequences`].
pub fn commune_calendars_with(
    plan: &Plan,
    scenario: &Scenario,
    sequences: &Sequences,
) -> Vec<CommuneCalendar> {
    let cx = context(plan, scenario);
    let stems = commune_stems(plan);
    series_by_commune(plan)
        .into_iter()
        .map(|(commune, series)| CommuneCalendar {
            commune: commune.to_string(),
            file_stem: stems[commune].clone(),
            ics: calendar_text(commune, &series, &cx, sequences),
        })
        .collect()
}

fn context<'a>(plan: &'a Plan, scenario: &'a Scenario) -> Context<'a> {
    Context {
        plan,
        scenario,
        stamp: format!("{}T000000Z", plan.start_date.format("%Y%m%d")),
        cycle_end: crate::horizon::last_day(plan) + Duration::days(1),
    }
}

/// The content fingerprint of every series of a plan, by UID.
fn fingerprints(plan: &Plan, scenario: &Scenario) -> BTreeMap<String, String> {
    let cx = context(plan, scenario);
    series_by_commune(plan)
        .values()
        .flatten()
        .map(|s| {
            let body = event_lines(s, &cx, None).join("\n");
            (s.uid(), format!("{:016x}", fnv1a(&body)))
        })
        .collect()
}

fn series_by_commune(plan: &Plan) -> BTreeMap<&str, Vec<StopSeries<'_>>> {
    type Key<'a> = (&'a str, OsmRef, Weekday, &'a str, TimeOfDay, TimeOfDay);
    let mut series: BTreeMap<Key<'_>, StopSeries<'_>> = BTreeMap::new();
    for (route, visit) in plan.visits() {
        let key = (
            visit.commune.as_str(),
            visit.site,
            route.weekday,
            visit.slot.as_str(),
            visit.start,
            visit.end,
        );
        series
            .entry(key)
            .or_insert_with(|| StopSeries::new(key, visit, route.date))
            .add(route, visit);
    }
    // The series of one stop (commune, site, weekday, slot) with other hours: the
    // one with the most dates (then the earliest) keeps the stop's UID.
    let mut stops: BTreeMap<(&str, OsmRef, Weekday, &str), Vec<StopSeries<'_>>> = BTreeMap::new();
    for (_, mut s) in series {
        s.dates.sort();
        s.dates.dedup();
        stops
            .entry((s.commune, s.site, s.weekday, s.slot))
            .or_default()
            .push(s);
    }
    let mut by_commune: BTreeMap<&str, Vec<StopSeries<'_>>> = BTreeMap::new();
    for ((commune, site, weekday, slot), mut list) in stops {
        list.sort_by_key(|s| (std::cmp::Reverse(s.dates.len()), s.dates[0]));
        for (i, s) in list.iter_mut().enumerate() {
            s.uid = if i == 0 {
                stop_uid(commune, site, weekday, slot)
            } else {
                stop_uid_at(commune, site, weekday, slot, s.start, s.end)
            };
        }
        list.sort_by_key(|s| (s.start, s.end));
        by_commune.entry(commune).or_default().extend(list);
    }
    by_commune
}

impl<'a> StopSeries<'a> {
    fn new(
        (commune, site, weekday, slot, start, end): (
            &'a str,
            OsmRef,
            Weekday,
            &'a str,
            TimeOfDay,
            TimeOfDay,
        ),
        visit: &'a Visit,
        date: NaiveDate,
    ) -> Self {
        StopSeries {
            commune,
            site,
            weekday,
            slot,
            start,
            end,
            uid: String::new(),
            visit,
            visit_date: date,
            dates: Vec::new(),
            vehicles: BTreeSet::new(),
        }
    }

    fn uid(&self) -> String {
        self.uid.clone()
    }

    /// Adds a visit; the earliest one describes the series, whatever the order of
    /// the plan's routes.
    fn add(&mut self, route: &'a DayRoute, visit: &'a Visit) {
        if route.date < self.visit_date {
            self.visit = visit;
            self.visit_date = route.date;
        }
        self.dates.push(route.date);
        self.vehicles.insert(route.vehicle.as_str());
    }
}

fn calendar_text(
    commune: &str,
    series: &[StopSeries<'_>],
    cx: &Context<'_>,
    sequences: &Sequences,
) -> String {
    let mut out = ContentLines::default();
    out.lines(CALENDAR_HEADER);
    let name = format!("{} — {commune}", cx.scenario.service_name());
    out.line(&format!("X-WR-CALNAME:{}", escape_text(&name)));
    out.lines(VTIMEZONE);
    for s in series {
        out.lines(event_lines(s, cx, Some(sequences.of(&s.uid()))));
    }
    out.line("END:VCALENDAR");
    out.finish()
}

/// Why the series' stop does not run on `date`, if known: the plan cancels this
/// commune that day, or no tour runs (a holiday, every vehicle serving it off the
/// road).
fn cancellation(s: &StopSeries<'_>, cx: &Context<'_>, date: NaiveDate) -> Option<Cancellation> {
    let sc = cx.scenario;
    let named = cx
        .plan
        .unplaced
        .iter()
        .any(|u| u.date == Some(date) && u.commune.as_deref() == Some(s.commune));
    let off_road = s.vehicles.iter().all(|id| {
        sc.vehicle(id)
            .is_some_and(|v| v.unavailable.contains(&date))
    });
    if named {
        Some(Cancellation::OfThisStop)
    } else if sc.is_day_off(date) || off_road {
        Some(Cancellation::NoTour)
    } else {
        None
    }
}

/// The lines of a series' `VEVENT`; without `sequence`, the `SEQUENCE` line is left
/// out (to fingerprint the content).
fn event_lines(s: &StopSeries<'_>, cx: &Context<'_>, sequence: Option<u32>) -> Vec<String> {
    let (start, end) = (s.start, s.end);
    let first = s.dates[0];
    let at = |d: NaiveDate| format!("TZID={TZID}:{}", local_date_time(d, start));
    let v = s.visit;
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", s.uid()),
        format!("DTSTAMP:{}", cx.stamp),
    ];
    lines.extend(sequence.map(|n| format!("SEQUENCE:{n}")));
    lines.extend([
        format!("DTSTART;{}", at(first)),
        format!("DTEND;TZID={TZID}:{}", local_date_time(first, end)),
    ]);
    match recurrence(&s.dates, cx.cycle_end, |d| cancellation(s, cx, d)) {
        Recurrence::Once => {}
        Recurrence::Weekly {
            interval,
            count,
            cancelled,
        } => {
            lines.push(format!(
                "RRULE:FREQ=WEEKLY;INTERVAL={interval};COUNT={count}"
            ));
            lines.extend(cancelled.into_iter().map(|d| format!("EXDATE;{}", at(d))));
        }
        Recurrence::Dates(others) => {
            lines.extend(others.into_iter().map(|d| format!("RDATE;{}", at(d))));
        }
    }
    let summary = format!(
        "{} — médiation numérique gratuite — {}",
        cx.scenario.service_name(),
        v.site_name
    );
    let location = match &v.address {
        Some(a) => format!("{}, {a}", v.site_name),
        None => format!("{}, {}", v.site_name, s.commune),
    };
    lines.extend([
        format!("SUMMARY:{}", escape_text(&summary)),
        format!("LOCATION:{}", escape_text(&location)),
        format!("GEO:{:.6};{:.6}", v.location.lat, v.location.lon),
        format!(
            "DESCRIPTION:{}",
            escape_text(&description(s, cx.scenario, start, end))
        ),
        "STATUS:CONFIRMED".to_string(),
        "TRANSP:TRANSPARENT".to_string(),
        "END:VEVENT".to_string(),
    ]);
    lines
}

/// What residents need to know, in French: the help offered, where (with the
/// address and access) and when, what to bring, which places the stop is meant
/// for, and whom to ask.
fn description(s: &StopSeries<'_>, sc: &Scenario, start: TimeOfDay, end: TimeOfDay) -> String {
    let v = s.visit;
    let mut text = vec![
        format!(
            "{} : médiation numérique gratuite à bord du bus. Des médiateurs numériques vous \
         aident dans vos démarches en ligne (impôts, CAF, santé et Ameli, retraite, \
         emploi et France Travail, carte grise et permis, ANTS…) et à utiliser un \
         ordinateur, une tablette ou un smartphone.",
            french::service_with_label(sc)
        ),
        format!(
            "Où : {}, {}. Le {}, de {} à {}.",
            french::site_with_kind(v),
            s.commune,
            s.weekday.french(),
            french::hour(start),
            french::hour(end)
        ),
    ];
    text.extend(v.description.clone());
    text.extend(v.address.as_ref().map(|a| format!("Adresse : {a}.")));
    text.extend(french::access(v.wheelchair.as_deref()));
    text.push(
        "À apporter : une pièce d'identité, vos identifiants et mots de passe (ou le \
         téléphone qui reçoit vos codes), les documents utiles à votre démarche (avis \
         d'imposition, courriers, justificatifs)."
            .to_string(),
    );
    let mut places: Vec<&str> = Vec::new();
    for r in &v.reaches {
        if !places.contains(&r.place.as_str()) {
            places.push(&r.place);
        }
    }
    if !places.is_empty() {
        text.push(format!("Pour les habitants de : {}.", places.join(", ")));
    }
    text.extend(sc.contact.as_ref().map(french::contact));
    text.join("\n")
}
