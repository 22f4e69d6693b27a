//! Calendar events read back with independent parsers: `icalendar` for the
//! structure, `rrule` for the recurrence.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use icalendar::parser::{Component, Property};
use rrule::RRuleSet;

pub fn prop<'a>(c: &'a Component<'_>, name: &str) -> &'a Property<'a> {
    c.find_prop(name)
        .unwrap_or_else(|| panic!("{} has no {name}", c.name.as_str()))
}

pub fn value(c: &Component<'_>, name: &str) -> String {
    prop(c, name).val.as_str().to_string()
}

/// A property as a content line again (`RDATE;TZID=Europe/Paris:2027…`).
pub fn content_line(p: &Property<'_>) -> String {
    let params: String = p
        .params
        .iter()
        .map(|x| match &x.val {
            Some(v) => format!(";{}={}", x.key.as_str(), v.as_str()),
            None => format!(";{}", x.key.as_str()),
        })
        .collect();
    format!("{}{params}:{}", p.name.as_str(), p.val.as_str())
}

pub fn local(prop: &Property<'_>) -> NaiveDateTime {
    let tzid = prop.params.iter().find(|p| p.key == "TZID");
    assert_eq!(
        tzid.and_then(|p| p.val.as_ref()).map(|v| v.as_str()),
        Some("Europe/Paris"),
        "{} must be local to Europe/Paris",
        prop.name.as_str()
    );
    NaiveDateTime::parse_from_str(prop.val.as_str(), "%Y%m%dT%H%M%S").unwrap()
}

/// Every local start date-time an event stands for (RFC 5545 §3.8.5.3): DTSTART,
/// plus RRULE and RDATE, minus EXDATE, expanded by the `rrule` crate.
pub fn occurrences(event: &Component<'_>) -> BTreeSet<NaiveDateTime> {
    let dtstart = local(prop(event, "DTSTART"));
    let recurrence: Vec<String> = event
        .properties
        .iter()
        .filter(|p| ["RRULE", "RDATE", "EXDATE"].contains(&p.name.as_str()))
        .map(content_line)
        .collect();
    let mut out = BTreeSet::from([dtstart]);
    if recurrence.iter().any(|l| !l.starts_with("EXDATE")) {
        let text = format!(
            "{}\n{}",
            content_line(prop(event, "DTSTART")),
            recurrence.join("\n")
        );
        let set: RRuleSet = text.parse().unwrap_or_else(|e| panic!("{e}: {text}"));
        out.extend(set.all(500).dates.iter().map(|d| d.naive_local()));
    }
    for ex in event.properties.iter().filter(|p| p.name == "EXDATE") {
        out.remove(&local(ex));
    }
    out
}
