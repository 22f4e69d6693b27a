//! A plan edited by hand as a coordinator would (one visit's hours moved, one visit
//! cancelled), then published again with the previous plan: calendars, sheets,
//! panels, CSV, GTFS and notices must all say the same, and `SEQUENCE` goes up
//! exactly for the series that changed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use common::ics::*;
use common::*;
use icalendar::parser::{read_calendar, unfold};
use tournee_model::{Plan, TimeOfDay};
use tournee_publish::{french, write_all_with, Previous};

/// (commune, date, public start, public end) of one visit.
type Passage = (String, NaiveDate, NaiveTime, NaiveTime);

fn passages(plan: &Plan) -> BTreeSet<Passage> {
    plan.visits()
        .map(|(r, v)| {
            (
                v.commune.clone(),
                r.date,
                v.start.to_naive_time(),
                v.end.to_naive_time(),
            )
        })
        .collect()
}

/// The edit: Saint-Éloi's morning moves to 10:00–12:30, La Genétouze's second
/// Thursday is cancelled (its route removed, no reason given).
fn edited() -> Plan {
    let mut plan = plan();
    let v = &mut plan.routes[0].visits[0];
    assert_eq!(v.commune, SAINT_ELOI);
    v.start = TimeOfDay::hm(10, 0);
    v.end = TimeOfDay::hm(12, 30);
    assert_eq!(plan.routes[2].date, date("2027-01-14"));
    plan.routes.remove(2);
    plan
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(dir: &Path, ext: &str) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect()
}

/// Every occurrence of every calendar's events, with the sequence of its event.
fn calendar_passages(out: &Path) -> (BTreeSet<Passage>, BTreeMap<String, Vec<u32>>) {
    let mut all = BTreeSet::new();
    let mut sequences = BTreeMap::new();
    for (_, ics) in files(&out.join("calendriers"), "ics") {
        let unfolded = unfold(&ics);
        let parsed = read_calendar(&unfolded).unwrap();
        let name = parsed
            .properties
            .iter()
            .find(|p| p.name == "X-WR-CALNAME")
            .expect("a calendar name")
            .val
            .as_str()
            .to_string();
        let commune = name.rsplit(" — ").next().unwrap().to_string();
        for event in parsed.components.iter().filter(|c| c.name == "VEVENT") {
            let end = local(prop(event, "DTEND")).time();
            for start in occurrences(event) {
                all.insert((commune.clone(), start.date(), start.time(), end));
            }
            sequences
                .entry(commune.clone())
                .or_insert_with(Vec::new)
                .push(value(event, "SEQUENCE").parse().unwrap());
        }
    }
    (all, sequences)
}

fn csv_passages(out: &Path) -> BTreeSet<Passage> {
    let mut reader = csv::Reader::from_path(out.join("visites.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (c, d, s, e) = (col("commune"), col("date"), col("start"), col("end"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let t = |i: usize| NaiveTime::parse_from_str(&r[i], "%H:%M").unwrap();
            (r[c].to_string(), r[d].parse().unwrap(), t(s), t(e))
        })
        .collect()
}

/// The GTFS stop times, one per visit: (arrival, departure) are the public hours;
/// the date comes from the trip's service.
fn gtfs_passages(out: &Path) -> BTreeSet<(NaiveDate, NaiveTime, NaiveTime)> {
    let gtfs = gtfs_structures::Gtfs::new(out.join("gtfs").to_str().unwrap()).unwrap();
    let mut all = BTreeSet::new();
    for trip in gtfs.trips.values() {
        let dates: Vec<NaiveDate> = gtfs
            .calendar_dates
            .get(&trip.service_id)
            .map(|l| {
                l.iter()
                    .map(|d| d.date.to_string().parse().expect("a GTFS date"))
                    .collect()
            })
            .unwrap_or_default();
        for st in &trip.stop_times {
            let t = |s: Option<u32>| NaiveTime::from_num_seconds_from_midnight_opt(s.unwrap(), 0);
            for d in &dates {
                all.insert((
                    *d,
                    t(st.arrival_time).unwrap(),
                    t(st.departure_time).unwrap(),
                ));
            }
        }
    }
    all
}

/// The (date, hours) cells of a sheet's table, lowercased.
fn sheet_rows(html: &str) -> BTreeSet<(String, String)> {
    html.split("<tr><td>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row.split("</td><td>").collect();
            (cells[0].to_lowercase(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn a_hand_edited_plan_is_published_the_same_in_every_output() {
    let sc = scenario();
    let before = plan();
    let after = edited();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let previous = Previous {
        plan: before.clone(),
        sequences: None,
    };
    write_all_with(out, &after, &sc, Some(&previous)).unwrap();
    let expected = passages(&after);
    assert_eq!(expected.len(), 3);

    let (cal, sequences) = calendar_passages(out);
    assert_eq!(cal, expected, "calendars");
    assert_eq!(csv_passages(out), expected, "visites.csv");
    let gtfs: BTreeSet<_> = expected.iter().map(|(_, d, s, e)| (*d, *s, *e)).collect();
    assert_eq!(gtfs_passages(out), gtfs, "GTFS");

    // Sheets and panels, commune by commune, in the words they print.
    let sheets = files(&out.join("affiches"), "html");
    let panels = files(&out.join("panneaux"), "txt");
    for commune in [SAINT_ELOI, BORS, GENETOUZE] {
        let stem = tournee_publish::ics::naming::slug(commune);
        let mine: Vec<_> = after
            .visits()
            .filter(|(_, v)| v.commune == commune)
            .collect();
        let rows: BTreeSet<(String, String)> = mine
            .iter()
            .map(|(r, v)| {
                (
                    french::date_with_year(r.date).to_lowercase(),
                    french::hours(v.start, v.end),
                )
            })
            .collect();
        assert_eq!(sheet_rows(&sheets[&stem]), rows, "sheet of {commune}");
        let panel = &panels[&stem];
        let panel_lines = panel
            .lines()
            .filter(|l| l.contains('H') && l.contains('/'))
            .count();
        assert_eq!(panel_lines, mine.len(), "panels of {commune}:\n{panel}");
    }
    assert!(panels[&tournee_publish::ics::naming::slug(SAINT_ELOI)].contains("10H-12H30"));
    assert!(!panels[&tournee_publish::ics::naming::slug(SAINT_ELOI)].contains("9H30-12H"));

    // The notices name the new hours and the cancelled Thursday.
    let notices = read(&out.join("changements.md"));
    assert!(
        notices.contains(&format!("## {SAINT_ELOI}"))
            && notices.contains(&french::hours(TimeOfDay::hm(10, 0), TimeOfDay::hm(12, 30))),
        "{notices}"
    );
    assert!(
        notices.contains(&format!("## {GENETOUZE}"))
            && notices.contains(&french::date_with_year(date("2027-01-14"))),
        "{notices}"
    );
    assert!(!notices.contains(&format!("## {BORS}")), "{notices}");

    // SEQUENCE goes up exactly where a series changed.
    assert_eq!(sequences[SAINT_ELOI], vec![1], "moved hours");
    assert_eq!(sequences[GENETOUZE], vec![1], "a date cancelled");
    assert_eq!(sequences[BORS], vec![0], "unchanged");
}

#[test]
fn one_visit_moved_out_of_a_weekly_series_gets_its_own_event() {
    let sc = scenario();
    let mut after = plan();
    // Only the second Thursday of La Genétouze moves to 15:00–17:30.
    let v = &mut after.routes[2].visits[0];
    v.start = TimeOfDay::hm(15, 0);
    v.end = TimeOfDay::hm(17, 30);
    let dir = tempfile::tempdir().unwrap();
    let previous = Previous {
        plan: plan(),
        sequences: None,
    };
    write_all_with(dir.path(), &after, &sc, Some(&previous)).unwrap();
    let (cal, sequences) = calendar_passages(dir.path());
    assert_eq!(cal, passages(&after));
    // The series kept its first Thursday (changed: SEQUENCE 1); the moved one is new.
    let mut seq = sequences[GENETOUZE].clone();
    seq.sort();
    assert_eq!(seq, vec![0, 1]);
}
