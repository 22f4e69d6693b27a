//! Re-plans of the fixture: the change notices per commune, and the `SEQUENCE` of
//! the calendars' event series, read back with the `icalendar` parser.

mod common;

use std::collections::BTreeMap;

use common::*;
use icalendar::parser::{read_calendar, unfold};
use tournee_model::{Plan, Unplaced};
use tournee_publish::ics::sequences;
use tournee_publish::notices::{changes, changes_json, changes_markdown, Change};
use tournee_publish::{commune_calendars_with, Sequences};

/// Bors moves from Tuesday 5 January afternoon (bus 1) to Friday 8 January morning
/// (bus 2).
fn bors_moved() -> Plan {
    let mut p = plan();
    p.routes[0].visits.pop();
    p.routes.push(route(
        "bus-2",
        "2027-01-08",
        ["c", "d"],
        vec![visit(&bors(), "matin", 10)],
    ));
    p
}

/// La Genétouze's Thursday 14 January visit moves to Friday 15 January.
fn genetouze_moved() -> Plan {
    let mut p = plan();
    p.routes.retain(|r| r.date != date("2027-01-14"));
    p.routes.push(route(
        "bus-2",
        "2027-01-15",
        ["c", "d"],
        vec![visit(&genetouze(), "après-midi", 25)],
    ));
    p
}

#[test]
fn a_moved_visit_is_announced_to_its_commune_only() {
    let all = changes(&plan(), &bors_moved());
    assert_eq!(all.len(), 1, "{all:#?}");
    let bors_changes = &all[0];
    assert_eq!(bors_changes.commune, BORS);
    assert!(matches!(
        bors_changes.changes.as_slice(),
        [Change::Moved { from, to }]
            if from.date == date("2027-01-05") && to.date == date("2027-01-08")
    ));
    let notice = &bors_changes.notice;
    assert!(
        notice.contains(
            "Changement de passage du bus numérique à Bors : le passage du mardi 5 janvier \
             2027 (14 h – 16 h 30, Salle des fêtes) est déplacé au vendredi 8 janvier 2027 \
             (9 h 30 – 12 h, Salle des fêtes)."
        ),
        "{notice}"
    );
    assert!(changes(&plan(), &plan()).is_empty(), "no change, no notice");
}

#[test]
fn cancelled_and_added_visits_are_announced_with_the_reason() {
    let mut new = plan();
    new.routes.retain(|r| r.date != date("2027-01-14"));
    new.unplaced.push(Unplaced {
        vehicle: Some("bus-2".into()),
        date: Some(date("2027-01-14")),
        commune: Some(GENETOUZE.into()),
        mediator: None,
        request: None,
        reason: "bus en panne".into(),
    });
    new.routes.push(route(
        "bus-1",
        "2027-01-13",
        ["a", "b"],
        vec![visit(&saint_eloi(), "après-midi", 15)],
    ));
    let all = changes(&plan(), &new);
    let communes: Vec<&str> = all.iter().map(|c| c.commune.as_str()).collect();
    assert_eq!(communes, [GENETOUZE, SAINT_ELOI]);
    assert!(matches!(
        all[0].changes.as_slice(),
        [Change::Cancelled { passage, reason: Some(r) }]
            if passage.date == date("2027-01-14") && r == "bus en panne"
    ));
    assert!(
        all[0].notice.contains(
            "le passage du jeudi 14 janvier 2027 (14 h – 16 h 30, Mairie, parking; cour) \
             est annulé (motif : bus en panne)."
        ),
        "{}",
        all[0].notice
    );
    assert!(matches!(
        all[1].changes.as_slice(),
        [Change::Added { passage }] if passage.date == date("2027-01-13")
    ));
    assert!(all[1]
        .notice
        .contains("nouveau passage : le bus numérique passera le mercredi 13 janvier 2027"));

    let md = changes_markdown(&all);
    assert!(md.contains(&format!("## {GENETOUZE}")) && md.contains(&format!("## {SAINT_ELOI}")));
    let json: serde_json::Value = serde_json::from_str(&changes_json(&all)).unwrap();
    assert_eq!(json[0]["commune"], GENETOUZE);
    assert_eq!(json[0]["changes"][0]["change"], "cancelled");
    assert_eq!(json[0]["changes"][0]["passage"]["date"], "2027-01-14");
    assert_eq!(json[1]["changes"][0]["change"], "added");
}

/// Every event of every calendar: UID → SEQUENCE.
fn event_sequences(plan: &Plan, seq: &Sequences) -> BTreeMap<(String, String), u32> {
    let mut out = BTreeMap::new();
    for cal in commune_calendars_with(plan, &scenario(), seq) {
        let unfolded = unfold(&cal.ics);
        let parsed = read_calendar(&unfolded).unwrap();
        for ev in parsed.components.iter().filter(|c| c.name == "VEVENT") {
            let uid = ev.find_prop("UID").unwrap().val.as_str().to_string();
            let n = ev
                .find_prop("SEQUENCE")
                .unwrap()
                .val
                .as_str()
                .parse()
                .unwrap();
            assert!(out.insert((cal.commune.clone(), uid), n).is_none());
        }
    }
    out
}

#[test]
fn only_the_changed_series_gets_a_higher_sequence_and_uids_stay() {
    let sc = scenario();
    let first = sequences(&plan(), &sc, None);
    let before = event_sequences(&plan(), &first);
    assert!(before.values().all(|&n| n == 0), "{before:?}");

    let moved = genetouze_moved();
    let second = sequences(&moved, &sc, Some((&plan(), Some(&first))));
    let after = event_sequences(&moved, &second);
    // Every series of the first plan is still there, under the same UID.
    for key in before.keys() {
        assert!(after.contains_key(key), "{key:?} lost its UID");
    }
    let bumped: Vec<&(String, String)> = after
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(bumped.len(), 1, "{after:?}");
    assert_eq!(bumped[0].0, GENETOUZE);
    assert!(bumped[0].1.ends_with("-thu@tournee"));
    assert_eq!(after[bumped[0]], 1);
    let new_series: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(new_series.len(), 1, "the Friday series is new");
    assert_eq!(after[new_series[0]], 0);

    // Without the sequences file, the previous plan alone gives the same answer.
    assert_eq!(sequences(&moved, &sc, Some((&plan(), None))), second);
    // Publishing the same plan again changes nothing.
    assert_eq!(
        sequences(&moved, &sc, Some((&moved, Some(&second)))),
        second
    );

    // Moving the visit back bumps the Thursday series again, from the kept sequence.
    let text = second.to_json();
    let kept = Sequences::from_json(&text).unwrap();
    let third = sequences(&plan(), &sc, Some((&moved, Some(&kept))));
    let back = event_sequences(&plan(), &third);
    assert_eq!(back[bumped[0]], 2);
    assert_eq!(back.values().filter(|&&n| n > 0).count(), 1, "{back:?}");
    // The Friday series left the plan but stays known, should it come back.
    assert_eq!(third.of(&new_series[0].1), 0);
    assert!(third.0.contains_key(&new_series[0].1));
}
