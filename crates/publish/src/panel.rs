//! Texts for the communes' road-side panels (the illuminated signs at the village
//! entrance): per visit, at most [`PANEL_LINES`] lines of [`PANEL_WIDTH`]
//! characters, in capitals without accents (what such panels show):
//!
//! ```text
//! BUS NUMERIQUE
//! MAR 9/3 9H30-12H
//! PL. DU MARCHE
//! ```
//!
//! Promises: every line fits; the second line always holds the weekday, the day and
//! month, and the public hours; shortening is deterministic — the site name is
//! kept whole when it fits, else common words are abbreviated (`PLACE` → `PL.`,
//! `SAINT` → `ST`…), then small words (`DU`, `DE`, `LA`…) are dropped, and only
//! then is it cut, at a word when possible.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tournee_model::{Plan, Scenario, TimeOfDay, Weekday};

use crate::ics::naming::ascii_of;

/// Lines of a panel.
pub const PANEL_LINES: usize = 3;
/// Characters of a panel line.
pub const PANEL_WIDTH: usize = 20;

const TITLE: &str = "BUS NUMERIQUE";

/// The panel text of one visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    pub commune: String,
    pub date: NaiveDate,
    pub start: TimeOfDay,
    /// At most [`PANEL_LINES`], each at most [`PANEL_WIDTH`] ASCII characters.
    pub lines: Vec<String>,
}

/// One panel per visit of the plan, by commune (name order), then date and hour,
/// titled with the default service name.
pub fn panels(plan: &Plan) -> BTreeMap<String, Vec<Panel>> {
    panels_titled(plan, TITLE)
}

/// The panels titled with the scenario's service name (`[service]`).
pub fn panels_for(plan: &Plan, scenario: &Scenario) -> BTreeMap<String, Vec<Panel>> {
    panels_titled(plan, scenario.service_name())
}

fn panels_titled(plan: &Plan, title: &str) -> BTreeMap<String, Vec<Panel>> {
    let title = fit(title);
    let mut out: BTreeMap<String, Vec<Panel>> = BTreeMap::new();
    for (route, v) in plan.visits() {
        out.entry(v.commune.clone()).or_default().push(Panel {
            commune: v.commune.clone(),
            date: route.date,
            start: v.start,
            lines: vec![
                title.clone(),
                when_line(route.date, v.start, v.end),
                fit(&v.site_name),
            ],
        });
    }
    for list in out.values_mut() {
        list.sort_by_key(|p| (p.date, p.start));
    }
    out
}

/// A commune's panels as a text file: a French heading, then each panel's lines
/// between rulers, in date order.
pub fn panels_text(commune: &str, panels: &[Panel]) -> String {
    let ruler = "-".repeat(PANEL_WIDTH);
    let mut text = format!(
        "Textes pour le panneau lumineux de {commune} ({} lignes de {} caractères au plus, \
         un texte par passage)\n\n",
        PANEL_LINES, PANEL_WIDTH
    );
    for p in panels {
        text.push_str(&ruler);
        text.push('\n');
        for l in &p.lines {
            text.push_str(l);
            text.push('\n');
        }
    }
    text.push_str(&ruler);
    text.push('\n');
    text
}

/// "MAR 9/3 9H30-12H"; "MER30/12 14H30-16H30" when the space would not fit.
fn when_line(date: NaiveDate, start: TimeOfDay, end: TimeOfDay) -> String {
    let day = &Weekday::from_chrono(date.weekday()).french()[..3].to_uppercase();
    let hours = format!("{}-{}", short_hour(start), short_hour(end));
    let line = format!("{day} {}/{} {hours}", date.day(), date.month());
    if line.len() <= PANEL_WIDTH {
        line
    } else {
        format!("{day}{}/{} {hours}", date.day(), date.month())
    }
}

/// "9H30", "12H".
fn short_hour(t: TimeOfDay) -> String {
    let (h, m) = (t.0 / 3600, t.0 / 60 % 60);
    if m == 0 {
        format!("{h}H")
    } else {
        format!("{h}H{m:02}")
    }
}

/// Capitals without accents; characters other than letters, digits, `'`, `-` and
/// `.` become spaces, and spaces are not repeated.
fn panel_ascii(s: &str) -> String {
    let mut out = String::new();
    for l in s.chars().flat_map(char::to_lowercase) {
        let piece = match ascii_of(l) {
            "" => match l {
                '\'' | '’' => "'",
                '-' => "-",
                '.' => ".",
                _ => " ",
            },
            a => a,
        };
        for a in piece.chars().map(|a| a.to_ascii_uppercase()) {
            if a != ' ' || !(out.is_empty() || out.ends_with(' ')) {
                out.push(a);
            }
        }
    }
    out.trim_end().to_string()
}

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("PLACE", "PL."),
    ("SAINT", "ST"),
    ("SAINTE", "STE"),
    ("PARKING", "PKG"),
    ("AVENUE", "AV."),
    ("BOULEVARD", "BD"),
    ("ROUTE", "RTE"),
    ("CHEMIN", "CH."),
    ("CENTRE", "CTRE"),
    ("SOCIAL", "SOC."),
    ("CULTUREL", "CULT."),
    ("POLYVALENTE", "POLYV."),
    ("COMMUNALE", "COMM."),
    ("MUNICIPALE", "MUN."),
    ("ASSOCIATION", "ASSO."),
    ("EGLISE", "EGL."),
    ("ECOLE", "EC."),
    ("GROUPE", "GPE"),
    ("SCOLAIRE", "SCOL."),
    ("PRIMAIRE", "PRIM."),
    ("MATERNELLE", "MAT."),
    ("ELEMENTAIRE", "ELEM."),
    ("NOTRE-DAME", "N.-D."),
];

const SMALL_WORDS: &[&str] = &["DU", "DE", "DES", "LA", "LE", "LES", "AU", "AUX", "ET"];

/// A word's abbreviation: the whole word, else each part of a hyphenated word;
/// an elided article (`L'`, `D'`) stays in front.
fn abbreviate(w: &str) -> String {
    let lookup = |x: &str| {
        ABBREVIATIONS
            .iter()
            .find(|(long, _)| *long == x)
            .map(|(_, short)| *short)
    };
    if let Some(short) = lookup(w) {
        return short.to_string();
    }
    if let Some(rest) = w.strip_prefix("L'").or_else(|| w.strip_prefix("D'")) {
        return format!("{}{}", &w[..2], abbreviate(rest));
    }
    w.split('-')
        .map(|part| lookup(part).unwrap_or(part))
        .collect::<Vec<_>>()
        .join("-")
}

/// A word without its small words: `""` for `DU`, `EGLISE` for `L'EGLISE`.
fn without_small_words(w: &str) -> &str {
    if SMALL_WORDS.contains(&w) {
        return "";
    }
    w.strip_prefix("L'")
        .or_else(|| w.strip_prefix("D'"))
        .unwrap_or(w)
}

/// A site name on one panel line.
fn fit(name: &str) -> String {
    let full = panel_ascii(name);
    if full.len() <= PANEL_WIDTH {
        return full;
    }
    let abbreviated: Vec<String> = full.split(' ').map(abbreviate).collect();
    let joined = abbreviated.join(" ");
    if joined.len() <= PANEL_WIDTH {
        return joined;
    }
    let kept: Vec<&str> = abbreviated
        .iter()
        .map(|w| without_small_words(w))
        .filter(|w| !w.is_empty())
        .collect();
    let joined = kept.join(" ");
    if joined.len() <= PANEL_WIDTH {
        return joined;
    }
    cut(&joined)
}

/// The first [`PANEL_WIDTH`] characters, ending at a word when that keeps at least
/// half the line.
fn cut(s: &str) -> String {
    let head = &s[..PANEL_WIDTH];
    let at_word = if s.as_bytes()[PANEL_WIDTH] == b' ' {
        Some(PANEL_WIDTH)
    } else {
        head.rfind(' ')
    };
    match at_word {
        Some(i) if i >= PANEL_WIDTH / 2 => head[..i].trim_end().to_string(),
        _ => head.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hours_fit_even_at_their_longest() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            when_line(d(2027, 3, 9), TimeOfDay::hm(9, 30), TimeOfDay::hm(12, 0)),
            "MAR 9/3 9H30-12H"
        );
        let longest = when_line(
            d(2027, 12, 29),
            TimeOfDay::hm(14, 30),
            TimeOfDay::hm(16, 45),
        );
        assert_eq!(longest, "MER29/12 14H30-16H45");
        assert_eq!(longest.len(), PANEL_WIDTH);
    }

    #[test]
    fn site_names_are_shortened_step_by_step() {
        assert_eq!(fit("Place du Marché"), "PLACE DU MARCHE");
        assert_eq!(fit("Place de l’Église Saint-Pierre"), "PL. EGL. ST-PIERRE");
        assert_eq!(fit("Parvis de l'église Notre-Dame"), "PARVIS EGL. N.-D.");
        assert_eq!(fit("Parking de la salle polyvalente"), "PKG SALLE POLYV.");
        assert_eq!(fit("Salle des fêtes; cour, côté rue"), "SALLE FETES COUR");
        assert_eq!(fit("Anticonstitutionnellement"), "ANTICONSTITUTIONNELL");
    }
}
