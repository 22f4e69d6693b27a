//! The coordinator's weekly grid, printable on A4 landscape: for each week of the
//! cycle and each vehicle, a table with the days across and the slots down; each
//! cell names the commune, the site and its kind, the public hours, the drive from
//! the previous stop and the crew. Then, for the same week, one line per mediator
//! with the days across: the vehicle they crew and the day's route, depot → stops →
//! depot, with the drive time of every leg, or their home-visit day (base → homes →
//! base, see [`crate::home`]), or why they are not on the road: leave, day not
//! worked. Then what could not be placed, with its reasons, and the plan's
//! headline figures.
//!
//! Promises: one self-contained French page (inline CSS, no script, no external
//! resource); every text that comes from data (names, reasons) is escaped, so a
//! site called `<script>` prints as text.

use std::fmt::Write;

use chrono::{Duration, NaiveDate};
use tournee_model::{DayRoute, Plan, Scenario, Visit, Weekday};

use crate::{french, summary};

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; table-layout: fixed; }
th, td { border: 1px solid #777; padding: .35rem; vertical-align: top; font-size: .85rem; }
th { background: #e8eef5; text-align: left; }
td.vide { color: #777; text-align: center; }
.ferie { background: #f3e3e3; font-style: italic; }
td.ferie, td.indisponible { text-align: center; }
td.indisponible { background: #eee; font-style: italic; }
.commune { font-weight: bold; } .meta { color: #444; }
.trajet { white-space: nowrap; font-style: italic; }
table.figures { width: auto; } table.figures th, table.figures td { font-size: .9rem; }
@media print {
  @page { size: A4 landscape; margin: 1cm; }
  body { margin: 0; }
  section.semaine { break-after: page; }
  th, td { font-size: 8pt; }
}
";

/// The whole printable page.
pub fn weekly_grid_html(plan: &Plan, sc: &Scenario) -> String {
    let mut h = head(plan);
    for week in 0..plan.cycle_weeks {
        h.push_str(&week_section(plan, sc, week));
    }
    h.push_str(&unplaced_section(plan, sc));
    h.push_str(&notes_section(plan));
    h.push_str(&figures_section(plan));
    h.push_str("</body>\n</html>\n");
    h
}

fn head(plan: &Plan) -> String {
    let title = format!("Plan de tournée — {}", plan.scenario);
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n\
         <p class=\"meta\">Cycle de {w} semaine(s) à partir du {d}</p>\n",
        t = escape(&title),
        w = plan.cycle_weeks,
        d = french::date_with_year(plan.start_date),
    )
}

/// The tour days of a week, Monday first: (weekday, date).
fn week_days(plan: &Plan, sc: &Scenario, week: u32) -> Vec<(Weekday, NaiveDate)> {
    let monday = plan.start_date + Duration::weeks(i64::from(week));
    let mut days: Vec<Weekday> = sc.days.clone();
    days.sort();
    days.into_iter()
        .map(|d| (d, monday + Duration::days(i64::from(d.index()))))
        .collect()
}

/// Vehicles of the scenario, then any the plan uses that the scenario lacks:
/// (id, name).
fn vehicles<'a>(plan: &'a Plan, sc: &'a Scenario) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = sc
        .vehicles
        .iter()
        .map(|v| (v.id.as_str(), v.name.as_str()))
        .collect();
    for r in &plan.routes {
        if !out.iter().any(|(id, _)| *id == r.vehicle) {
            out.push((&r.vehicle, &r.vehicle));
        }
    }
    out
}

fn week_section(plan: &Plan, sc: &Scenario, week: u32) -> String {
    let days = week_days(plan, sc, week);
    let monday = plan.start_date + Duration::weeks(i64::from(week));
    let mut h = format!(
        "<section class=\"semaine\">\n<h2>Semaine {} — du {}</h2>\n",
        week + 1,
        french::date_with_year(monday)
    );
    for (id, name) in vehicles(plan, sc) {
        let _ = writeln!(h, "<h3>{}</h3>", escape(name));
        h.push_str(&vehicle_table(plan, sc, id, &days));
    }
    h.push_str("<h3>Par médiateur</h3>\n");
    h.push_str(&mediator_table(plan, sc, &days));
    h.push_str("</section>\n");
    h
}

fn vehicle_table(
    plan: &Plan,
    sc: &Scenario,
    vehicle: &str,
    days: &[(Weekday, NaiveDate)],
) -> String {
    let route = |date: NaiveDate| {
        plan.routes
            .iter()
            .find(|r| r.vehicle == vehicle && r.date == date)
    };
    let mut h = String::from("<table>\n<tr><th scope=\"col\">Créneau</th>");
    for (_, date) in days {
        h.push_str(&day_header(sc, *date));
    }
    h.push_str("</tr>\n");
    for slot in &sc.slots {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}<br><span class=\"meta\">{}–{}</span></th>",
            escape(&slot.name),
            slot.start,
            slot.end
        );
        for (_, date) in days {
            h.push_str(&slot_cell(sc, vehicle, *date, route(*date), &slot.name));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("<tr><th scope=\"row\">Départ / retour</th>");
    for (_, date) in days {
        h.push_str(&day_cell(sc, route(*date)));
    }
    h.push_str("</tr>\n</table>\n");
    h
}

/// Mediators of the scenario, then any the plan's crews name that the scenario
/// lacks: (id, name).
fn mediators<'a>(plan: &'a Plan, sc: &'a Scenario) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = sc
        .mediators
        .iter()
        .map(|m| (m.id.as_str(), m.name.as_str()))
        .collect();
    for id in plan.routes.iter().flat_map(|r| &r.crew) {
        if !out.iter().any(|(m, _)| m == id) {
            out.push((id, id));
        }
    }
    out
}

fn mediator_table(plan: &Plan, sc: &Scenario, days: &[(Weekday, NaiveDate)]) -> String {
    let mut h = String::from("<table class=\"mediateurs\">\n<tr><th scope=\"col\">Médiateur</th>");
    for (_, date) in days {
        h.push_str(&day_header(sc, *date));
    }
    h.push_str("</tr>\n");
    for (id, name) in mediators(plan, sc) {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", escape(name));
        for (weekday, date) in days {
            let route = plan
                .routes
                .iter()
                .find(|r| r.date == *date && r.crew.iter().any(|c| c == id));
            let mediator = sc.mediator(id);
            let home = plan
                .home_visits
                .iter()
                .find(|d| d.date == *date && d.mediator == id);
            let cell = match route {
                Some(r) => format!("<td>{}</td>", route_text(sc, r)),
                None if home.is_some() => home
                    .map(|d| format!("<td>{}</td>", crate::home::day_text(sc, d)))
                    .unwrap_or_default(),
                None if sc.is_holiday(*date) => "<td class=\"ferie\">férié</td>".to_string(),
                None if mediator.is_some_and(|m| m.leave.contains(date)) => {
                    "<td class=\"indisponible\">congé</td>".to_string()
                }
                None if mediator.is_some_and(|m| !m.works_on(sc, *weekday)) => {
                    "<td class=\"indisponible\">non travaillé</td>".to_string()
                }
                None => "<td class=\"vide\">—</td>".to_string(),
            };
            h.push_str(&cell);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    h
}

/// A day's route for its crew: the vehicle, then depot (departure) → drive → stop
/// (commune, site, public hours) → … → drive → depot (return).
fn route_text(sc: &Scenario, r: &DayRoute) -> String {
    let vehicle = sc
        .vehicle(&r.vehicle)
        .map_or(r.vehicle.as_str(), |v| v.name.as_str());
    let depot = sc
        .depot(&r.depot)
        .map_or(r.depot.as_str(), |d| d.name.as_str());
    let leg = |s: tournee_model::Seconds| {
        format!(
            " → <span class=\"trajet\">{} min</span> → ",
            (s.0 + 30) / 60
        )
    };
    // A cargo bike says so, modestly: its legs are rides, not drives.
    let mode = match r.mode {
        tournee_model::TravelMode::Car => "",
        tournee_model::TravelMode::CargoBike => " <span class=\"meta\">(triporteur, à vélo)</span>",
    };
    let mut t = format!(
        "<div class=\"commune\">{}{mode}</div><div class=\"meta\">{} {}",
        escape(vehicle),
        escape(depot),
        r.depart
    );
    for v in &r.visits {
        t.push_str(&leg(v.drive_from_previous));
        let _ = write!(
            t,
            "<strong>{}</strong> ({}, {}–{})",
            escape(&v.commune),
            escape(&v.site_name),
            v.start,
            v.end
        );
    }
    t.push_str(&leg(r.drive_back));
    let _ = write!(t, "{} {}</div>", escape(depot), r.back);
    t
}

fn day_header(sc: &Scenario, date: NaiveDate) -> String {
    let holiday = if sc.is_holiday(date) {
        "<br><span class=\"ferie\">férié</span>"
    } else {
        ""
    };
    format!("<th scope=\"col\">{}{holiday}</th>", french::date(date))
}

fn slot_cell(
    sc: &Scenario,
    vehicle: &str,
    date: NaiveDate,
    route: Option<&DayRoute>,
    slot: &str,
) -> String {
    let visit = route.and_then(|r| {
        r.visits
            .iter()
            .enumerate()
            .find(|(_, v)| v.slot == slot)
            .map(|(i, v)| (r, i, v))
    });
    match visit {
        Some((r, i, v)) => visit_cell(sc, r, i, v),
        None if sc.is_holiday(date) => "<td class=\"ferie\">férié</td>".to_string(),
        None if vehicle_off_road(sc, vehicle, date) => {
            "<td class=\"indisponible\">bus indisponible</td>".to_string()
        }
        None => "<td class=\"vide\">—</td>".to_string(),
    }
}

fn vehicle_off_road(sc: &Scenario, vehicle: &str, date: NaiveDate) -> bool {
    sc.vehicle(vehicle)
        .is_some_and(|v| v.unavailable.contains(&date))
}

/// A stop: commune, site and kind, public hours, drive, crew. `index` is the
/// stop's rank in the day, 0 for the first (driven to from the depot).
fn visit_cell(sc: &Scenario, route: &DayRoute, index: usize, v: &Visit) -> String {
    let minutes = (v.drive_from_previous.0 + 30) / 60;
    let from = if index == 0 {
        "depuis le dépôt"
    } else {
        "depuis l'arrêt précédent"
    };
    format!(
        "<td><div class=\"commune\">{}</div><div>{} <span class=\"meta\">({})</span></div>\
         <div class=\"meta\">{}–{} · {minutes} min de route {from}</div>\
         <div class=\"meta\">Équipe : {}</div>{}</td>",
        escape(&v.commune),
        escape(&v.site_name),
        escape(v.site_kind.french()),
        v.start,
        v.end,
        escape(&crew_names(route, sc)),
        reach_line(sc, v),
    )
}

/// With a reach decay curve, the places a stop reaches, each farther one with the
/// share it counts for ("Bourg (50 %)"); nothing with a hard radius, where every
/// place counts in full.
fn reach_line(sc: &Scenario, v: &Visit) -> String {
    if sc.reach.is_hard() || v.reaches.is_empty() {
        return String::new();
    }
    let places: Vec<String> = v
        .reaches
        .iter()
        .map(|r| match french::share(r.share) {
            Some(pct) => format!("{} ({pct})", escape(&r.place)),
            None => escape(&r.place),
        })
        .collect();
    format!("<div class=\"meta\">Atteint : {}</div>", places.join(", "))
}

fn crew_names(route: &DayRoute, sc: &Scenario) -> String {
    route
        .crew
        .iter()
        .map(|id| sc.mediator(id).map_or(id.as_str(), |m| m.name.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn day_cell(sc: &Scenario, route: Option<&DayRoute>) -> String {
    match route {
        Some(r) => {
            let depot = sc
                .depot(&r.depot)
                .map_or(r.depot.as_str(), |d| d.name.as_str());
            format!(
                "<td class=\"meta\">départ {} · retour {}<br>{} · {:.0} km · {} min de route</td>",
                r.depart,
                r.back,
                escape(depot),
                r.distance().as_km_f64(),
                (r.driving().0 + 30) / 60
            )
        }
        None => "<td class=\"vide\">—</td>".to_string(),
    }
}

fn unplaced_section(plan: &Plan, sc: &Scenario) -> String {
    let mut h = String::from("<section>\n<h2>Non planifié</h2>\n");
    if plan.unplaced.is_empty() {
        h.push_str("<p>Rien : toutes les demandes sont planifiées.</p>\n");
    } else {
        h.push_str("<ul>\n");
        for u in &plan.unplaced {
            let vehicle = u
                .vehicle
                .as_deref()
                .map(|id| sc.vehicle(id).map_or(id, |v| v.name.as_str()).to_string());
            let mediator = u
                .mediator
                .as_deref()
                .map(|id| sc.mediator(id).map_or(id, |m| m.name.as_str()).to_string());
            let request = u.request.as_deref().map(|id| {
                sc.home_visits_of(u.mediator.as_deref().unwrap_or(""))
                    .and_then(|h| h.request_list().iter().find(|r| r.id == id))
                    .map_or(format!("demande {id}"), |r| {
                        format!("demande {id} ({})", r.name)
                    })
            });
            let what = [
                vehicle,
                mediator,
                u.date.map(french::date_with_year),
                u.commune.clone(),
                request,
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            let _ = writeln!(
                h,
                "<li><strong>{}</strong> : {}</li>",
                escape(&what),
                escape(&u.reason)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
    h
}

/// The coordinator's notes (preferences not honoured), when there are any.
fn notes_section(plan: &Plan) -> String {
    if plan.notes.is_empty() {
        return String::new();
    }
    let mut h = String::from("<section>\n<h2>Remarques</h2>\n<ul>\n");
    for n in &plan.notes {
        let _ = writeln!(h, "<li>{}</li>", escape(&n.message));
    }
    h.push_str("</ul>\n</section>\n");
    h
}

fn figures_section(plan: &Plan) -> String {
    let mut h = String::from("<section>\n<h2>Bilan</h2>\n<table class=\"figures\">\n");
    for f in summary::figures(plan) {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(f.label),
            escape(&f.value)
        );
    }
    h.push_str("</table>\n</section>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }
}
