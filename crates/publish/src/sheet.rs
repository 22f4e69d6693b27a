//! The announcement sheet of each commune: one A4 page in French for the town hall
//! to print and post (or to put on its web page). It says what the bus offers, the
//! dates, hours and place of every visit of the cycle, shows where the stops are on
//! a small map, what to bring, and whom to ask.
//!
//! The map is inline SVG drawn from the stops' longitude and latitude (the plan's
//! visits; the depot from the scenario) and, when the publication is given them,
//! the territory's roads ([`basemap`](crate::basemap)): the roads and streets
//! around, the commune's stops numbered as in the list of places with the name of
//! their street, the other communes' stops nearby in grey, a scale bar and the
//! north; labels never overlap a marker or one another (a label that finds no free
//! place is left out). No tiles, no external resource.
//!
//! Promises: one self-contained page per commune (inline CSS and SVG, no script, no
//! link), every text from data escaped, files named like the commune's calendar
//! ([`crate::ics::naming::commune_stems`]).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use tournee_model::{LonLat, OsmRef, Plan, Scenario, Visit};

use crate::basemap::{self, RoadLine};
use crate::french;
use crate::html::escape;
use crate::ics::naming::commune_stems;

/// A commune's sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub commune: String,
    /// File name without `.html`, the same as the commune's calendar.
    pub file_stem: String,
    pub html: String,
}

const STYLE: &str = "
@page { size: A4 portrait; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, 'DejaVu Sans', sans-serif; color: #1a1a1a; margin: 0 auto;
  max-width: 182mm; font-size: 11pt; line-height: 1.35; }
header { border-bottom: 4px solid #0b5fa5; padding-bottom: 4mm; margin-bottom: 4mm; }
.surtitre { color: #0b5fa5; font-weight: bold; letter-spacing: .05em; text-transform: uppercase;
  font-size: 10pt; margin: 0; }
h1 { font-size: 24pt; margin: 1mm 0; }
.accroche { font-size: 13pt; margin: 0; }
h2 { font-size: 13pt; color: #0b5fa5; margin: 5mm 0 2mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #bbb; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
.colonnes { display: flex; gap: 6mm; align-items: flex-start; }
.colonnes > div { flex: 1; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; border: 1px solid #999; }
figcaption { font-size: 9pt; color: #444; }
ol.lieux { margin: 1mm 0 0; padding-left: 6mm; font-size: 10pt; }
ul { margin: 1mm 0; padding-left: 6mm; }
.contact { border: 2px solid #0b5fa5; padding: 3mm; margin-top: 5mm; }
.abonnement { display: flex; gap: 4mm; align-items: center; margin-top: 4mm; font-size: 10pt; }
.abonnement svg.qr { width: 26mm; height: 26mm; flex: none; }
.abonnement .lien { word-break: break-all; font-family: monospace; }
.a-remplir { display: inline-block; min-width: 70mm; border-bottom: 1px dotted #333; }
.annuaire { margin-top: 2mm; font-size: 10pt; }
footer { margin-top: 4mm; font-size: 9pt; color: #444; }
";

/// The sheets of every commune that hosts a visit, in commune name order, for
/// the plan's dates.
pub fn announcement_sheets(plan: &Plan, scenario: &Scenario) -> Vec<Sheet> {
    announcement_sheets_to(plan, scenario, crate::horizon::last_day(plan), &[])
}

/// Beyond this many visits, a sheet lists each stop's rhythm and exceptions
/// rather than every date, so that it stays one page.
pub const MAX_LISTED_VISITS: usize = 14;

/// The sheets, saying that the visits run up to `last_day` (the publication
/// horizon).
pub fn announcement_sheets_to(
    plan: &Plan,
    scenario: &Scenario,
    last_day: NaiveDate,
    roads: &[RoadLine],
) -> Vec<Sheet> {
    let stems = commune_stems(plan);
    let mut by_commune: BTreeMap<&str, Vec<(NaiveDate, &Visit)>> = BTreeMap::new();
    for (route, v) in plan.visits() {
        by_commune
            .entry(v.commune.as_str())
            .or_default()
            .push((route.date, v));
    }
    by_commune
        .into_iter()
        .map(|(commune, mut visits)| {
            visits.sort_by_key(|(d, v)| (*d, v.start, v.site));
            Sheet {
                commune: commune.to_string(),
                file_stem: stems[commune].clone(),
                html: sheet_html(plan, scenario, commune, &visits, last_day, roads),
            }
        })
        .collect()
}

/// A commune's stops, numbered in order of first visit: (site, name, location).
fn numbered_sites<'a>(visits: &[(NaiveDate, &'a Visit)]) -> Vec<(OsmRef, &'a Visit)> {
    let mut out: Vec<(OsmRef, &Visit)> = Vec::new();
    for (_, v) in visits {
        if !out.iter().any(|(s, _)| *s == v.site) {
            out.push((v.site, v));
        }
    }
    out
}

fn sheet_html(
    plan: &Plan,
    sc: &Scenario,
    commune: &str,
    visits: &[(NaiveDate, &Visit)],
    last_day: NaiveDate,
    roads: &[RoadLine],
) -> String {
    let sites = numbered_sites(visits);
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{s} à {c}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<p class=\"surtitre\">{label}Médiation numérique gratuite</p>\n\
         <h1>{le} vient à {c}</h1>\n\
         <p class=\"accroche\">Des médiateurs numériques vous aident, sans rendez-vous, \
         dans vos démarches en ligne et à utiliser un ordinateur, une tablette ou un \
         smartphone.</p>\n</header>\n",
        c = escape(commune),
        s = escape(sc.service_name()),
        le = escape(&capitalised(&french::service_in_sentence(sc))),
        label = sc
            .service
            .as_ref()
            .and_then(|s| s.label.as_deref())
            .map(|l| format!("{} · ", escape(l)))
            .unwrap_or_default()
    );
    if visits.len() <= MAX_LISTED_VISITS {
        h.push_str(&dates_table(plan, visits, &sites, last_day));
    } else {
        h.push_str(&rhythm_table(plan, visits, &sites, last_day));
    }
    h.push_str("<div class=\"colonnes\">\n<div>\n<h2>Où ?</h2>\n<figure>\n");
    h.push_str(&map_svg(plan, sc, commune, &sites, roads));
    h.push_str("<figcaption>Les points bleus numérotés sont les lieux d’arrêt ci-dessous ; les points gris, les arrêts du bus dans les communes voisines.</figcaption>\n<ol class=\"lieux\">\n");
    for (_, v) in &sites {
        let mut details: Vec<String> = v.description.iter().cloned().collect();
        details.extend(v.address.iter().cloned());
        details.extend(french::access(v.wheelchair.as_deref()));
        let details = if details.is_empty() {
            String::new()
        } else {
            format!("<br><small>{}</small>", escape(&details.join(" · ")))
        };
        let _ = writeln!(
            h,
            "<li>{}{details}</li>",
            escape(&french::site_with_kind(v))
        );
    }
    h.push_str("</ol>\n</figure>\n</div>\n<div>\n");
    h.push_str(
        "<h2>Pour quoi ?</h2>\n<ul>\n<li>Impôts, CAF, santé et Ameli, retraite</li>\n\
         <li>Emploi et France Travail</li>\n<li>Carte grise, permis de conduire, ANTS</li>\n\
         <li>Messagerie, documents, rendez-vous en ligne</li>\n\
         <li>Prendre en main ordinateur, tablette ou smartphone</li>\n</ul>\n\
         <h2>À apporter</h2>\n<ul>\n<li>Une pièce d'identité</li>\n\
         <li>Vos identifiants et mots de passe (ou le téléphone qui reçoit vos codes)</li>\n\
         <li>Les justificatifs et documents utiles à votre démarche (avis d'imposition, \
         courriers, attestations)</li>\n\
         <li>Votre smartphone, tablette ou ordinateur portable si vous en avez un</li>\n</ul>\n",
    );
    h.push_str("</div>\n</div>\n");
    let link = sc
        .service
        .as_ref()
        .and_then(|s| s.calendar_link(&commune_stems(plan)[commune]));
    if let Some(link) = link {
        h.push_str(&calendar_qr_html(&link));
    }
    h.push_str(&contact_html(sc));
    // Said only when the directory file is written for these stops.
    if crate::mednum::records(plan, sc).is_ok_and(|r| !r.is_empty()) {
        h.push_str(
            "<p class=\"annuaire\">Ces permanences sont publiées, avec leurs jours et horaires, \
             dans l'annuaire national des lieux de médiation numérique (données ouvertes au \
             standard MedNum).</p>\n",
        );
    }
    let _ = writeln!(
        h,
        "<footer>Service gratuit, ouvert à toutes et à tous. {} — calendrier du {}.</footer>\n</body>\n</html>",
        escape(&sc.name),
        french::date_with_year(plan.start_date)
    );
    h
}

/// " (n° 2 sur le plan)" when the commune has more than one stop.
fn map_number(sites: &[(OsmRef, &Visit)], v: &Visit) -> String {
    let n = sites.iter().position(|(s, _)| *s == v.site).unwrap_or(0) + 1;
    if sites.len() > 1 {
        format!(" <small>(n° {n} sur le plan)</small>")
    } else {
        String::new()
    }
}

/// Every visit, one row each: date, hours, place.
fn dates_table(
    plan: &Plan,
    visits: &[(NaiveDate, &Visit)],
    sites: &[(OsmRef, &Visit)],
    last_day: NaiveDate,
) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<h2>Prochains passages</h2>\n<p>Du {} au {} :</p>\n<table>\n\
         <tr><th scope=\"col\">Date</th><th scope=\"col\">Horaires</th><th scope=\"col\">Lieu</th></tr>",
        french::date_with_year(plan.start_date),
        french::date_with_year(last_day)
    );
    for (date, v) in visits {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            escape(&capitalised(&french::date_with_year(*date))),
            escape(&french::hours(v.start, v.end)),
            escape(&french::site_with_kind(v)),
            map_number(sites, v)
        );
    }
    h.push_str("</table>\n");
    h
}

/// One row per stop, weekday and hours: its rhythm from the first to the last
/// date, and the dates it skips.
fn rhythm_table(
    plan: &Plan,
    visits: &[(NaiveDate, &Visit)],
    sites: &[(OsmRef, &Visit)],
    last_day: NaiveDate,
) -> String {
    type Key = (
        u32,
        tournee_model::TimeOfDay,
        tournee_model::TimeOfDay,
        OsmRef,
    );
    let mut series: BTreeMap<Key, (Vec<NaiveDate>, &Visit)> = BTreeMap::new();
    for (d, v) in visits {
        use chrono::Datelike;
        series
            .entry((d.weekday().num_days_from_monday(), v.start, v.end, v.site))
            .or_insert_with(|| (Vec::new(), v))
            .0
            .push(*d);
    }
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<h2>Passages réguliers</h2>\n<p>Du {} au {} :</p>\n<table>\n\
         <tr><th scope=\"col\">Jour et horaires</th><th scope=\"col\">Quand</th><th scope=\"col\">Lieu</th></tr>",
        french::date_with_year(plan.start_date),
        french::date_with_year(last_day)
    );
    for (dates, v) in series.values() {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            escape(&capitalised(&format!(
                "le {}, {}",
                tournee_model::Weekday::from_chrono(chrono::Datelike::weekday(&dates[0])).french(),
                french::hours(v.start, v.end)
            ))),
            escape(&rhythm(dates)),
            escape(&french::site_with_kind(v)),
            map_number(sites, v)
        );
    }
    h.push_str("</table>\n");
    h
}

/// "toutes les semaines du 7 janvier au 30 décembre 2027, sauf le 6 mai et le 11
/// novembre", "toutes les 2 semaines du …", or the dates listed when they keep
/// no rhythm. `dates` sorted, not empty.
fn rhythm(dates: &[NaiveDate]) -> String {
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    if dates.len() == 1 {
        return format!("le {}", french::date_with_year(first));
    }
    let weeks = |a: NaiveDate, b: NaiveDate| (b - a).num_days() / 7;
    let k = dates
        .windows(2)
        .map(|w| weeks(w[0], w[1]))
        .fold(0, gcd)
        .max(1);
    let expected: Vec<NaiveDate> = (0..=weeks(first, last) / k)
        .map(|i| first + chrono::Duration::weeks(i * k))
        .collect();
    let missing: Vec<NaiveDate> = expected
        .into_iter()
        .filter(|d| dates.binary_search(d).is_err())
        .collect();
    if missing.len() * 3 > dates.len() {
        let list: Vec<String> = dates.iter().map(|d| french::date(*d)).collect();
        return format!("les {}", list.join(", "));
    }
    let every = if k == 1 {
        "toutes les semaines".to_string()
    } else {
        format!("toutes les {k} semaines")
    };
    let mut text = format!(
        "{every} du {} au {}",
        french::date(first),
        french::date_with_year(last)
    );
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|d| format!("le {}", french::date(*d)))
            .collect();
        let _ = write!(text, ", sauf {}", list.join(", "));
    }
    text
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The commune's calendar link as text and as a QR code.
fn calendar_qr_html(link: &str) -> String {
    let qr = qr_svg(link).unwrap_or_default();
    format!(
        "<div class=\"abonnement\">{qr}<p><strong>Les dates dans votre agenda :</strong> \
         abonnez-vous au calendrier de la commune en flashant ce code ou à l’adresse \
         <br><span class=\"lien\">{}</span></p></div>\n",
        escape(link)
    )
}

/// A QR code of `text` as inline SVG (one square per dark module, a quiet zone of
/// four modules), by the `qrcode` crate.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let w = code.width();
    let size = w + 8;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let _ = write!(path, "M{} {}h1v1h-1z", i % w + 4, i / w + 4);
        }
    }
    Some(format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" \
         aria-label=\"QR code du calendrier\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

fn contact_html(sc: &Scenario) -> String {
    let mut h = String::from("<div class=\"contact\">\n<strong>Renseignements :</strong> ");
    match &sc.contact {
        Some(c) => {
            h.push_str(&escape(&c.name));
            for (label, value) in [("tél.", &c.phone), ("courriel", &c.email), ("site", &c.web)] {
                if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                    let _ = write!(h, " · {label} {}", escape(v));
                }
            }
            h.push_str(" · ou en mairie.");
        }
        None => h.push_str("en mairie, ou <span class=\"a-remplir\">&nbsp;</span> (à compléter)"),
    }
    h.push_str("\n</div>\n");
    h
}

/// Width and height of the map's view box, in SVG units.
const MAP_W: f64 = 400.0;
const MAP_H: f64 = 300.0;
/// Margin inside the view box.
const MAP_PAD: f64 = 40.0;
/// The smallest width of ground the map shows, in km.
const MIN_SPAN_KM: f64 = 10.0;
/// The same when the roads are drawn.
const MIN_SPAN_KM_WITH_ROADS: f64 = 2.0;
/// How far from a stop its street is looked for.
const STOP_STREET_METERS: f64 = 150.0;

/// A flat projection around a centre: km east and north of it.
struct Projection {
    centre: LonLat,
    /// km per degree of longitude at the centre's latitude.
    kx: f64,
    /// SVG units per km.
    scale: f64,
}

const KM_PER_DEGREE_LAT: f64 = 111.195;

impl Projection {
    fn km(&self, p: LonLat) -> (f64, f64) {
        (
            (p.lon - self.centre.lon) * self.kx,
            (p.lat - self.centre.lat) * KM_PER_DEGREE_LAT,
        )
    }

    fn xy(&self, p: LonLat) -> (f64, f64) {
        let (e, n) = self.km(p);
        (MAP_W / 2.0 + e * self.scale, MAP_H / 2.0 - n * self.scale)
    }

    fn inside(&self, p: LonLat) -> bool {
        let (x, y) = self.xy(p);
        (8.0..=MAP_W - 8.0).contains(&x) && (8.0..=MAP_H - 8.0).contains(&y)
    }
}

fn map_svg(
    plan: &Plan,
    sc: &Scenario,
    commune: &str,
    sites: &[(OsmRef, &Visit)],
    roads: &[RoadLine],
) -> String {
    let points: Vec<LonLat> = sites.iter().map(|(_, v)| v.location).collect();
    let n = points.len().max(1) as f64;
    let centre = LonLat::new(
        points.iter().map(|p| p.lon).sum::<f64>() / n,
        points.iter().map(|p| p.lat).sum::<f64>() / n,
    );
    let kx = KM_PER_DEGREE_LAT * centre.lat.to_radians().cos();
    let mut proj = Projection {
        centre,
        kx,
        scale: 1.0,
    };
    // With the roads drawn, a closer view, so that the streets can be read.
    let min_span = if roads.is_empty() {
        MIN_SPAN_KM
    } else {
        MIN_SPAN_KM_WITH_ROADS
    };
    let (mut half_w, mut half_h) = (min_span / 2.0, min_span / 2.0 * MAP_H / MAP_W);
    for p in &points {
        let (e, n) = proj.km(*p);
        half_w = half_w.max(e.abs());
        half_h = half_h.max(n.abs());
    }
    proj.scale = ((MAP_W / 2.0 - MAP_PAD) / half_w).min((MAP_H / 2.0 - MAP_PAD) / half_h);
    let area = (MAP_W, MAP_H);

    let mut svg = format!(
        "<svg viewBox=\"0 0 {MAP_W} {MAP_H}\" \
         role=\"img\" aria-label=\"Plan des arrêts du bus à {}\">\n\
         <rect x=\"0\" y=\"0\" width=\"{MAP_W}\" height=\"{MAP_H}\" fill=\"#f4f1e8\"/>\n",
        escape(commune)
    );
    svg.push_str(&basemap::roads_svg(roads, |p| proj.xy(p), area));
    // What labels must not cover: the title, the north arrow, the scale bar and
    // every marker.
    let mut placed = basemap::Placed::default();
    placed.take([MAP_W / 2.0 - 90.0, 6.0, MAP_W / 2.0 + 90.0, 28.0]);
    placed.take([MAP_W - 36.0, 8.0, MAP_W, 54.0]);
    placed.take([8.0, MAP_H - 34.0, MAP_W / 4.0 + 40.0, MAP_H]);
    for (_, v) in sites {
        let (x, y) = proj.xy(v.location);
        placed.take([x - 12.0, y - 12.0, x + 12.0, y + 12.0]);
    }
    let mut labels = String::new();
    // The street of each stop, named.
    for (_, v) in sites {
        if let Some(street) = basemap::nearest_street(roads, v.location, STOP_STREET_METERS) {
            labels.extend(placed.label(
                proj.xy(v.location),
                street,
                11.0,
                "font-style=\"italic\" fill=\"#333\"",
                area,
            ));
        }
    }
    // The other communes' stops in view, one label per commune.
    let mut neighbours: BTreeMap<OsmRef, &Visit> = BTreeMap::new();
    for (_, v) in plan.visits() {
        if v.commune != commune && proj.inside(v.location) {
            neighbours.entry(v.site).or_insert(v);
        }
    }
    let mut labelled: Vec<&str> = Vec::new();
    for v in neighbours.values() {
        let (x, y) = proj.xy(v.location);
        let _ = writeln!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#999\"/>"
        );
        placed.take([x - 4.0, y - 4.0, x + 4.0, y + 4.0]);
        if !labelled.contains(&v.commune.as_str()) {
            labelled.push(&v.commune);
            labels.extend(placed.label((x, y), &v.commune, 10.0, "fill=\"#555\"", area));
        }
    }
    for d in &sc.depots {
        if proj.inside(d.location()) {
            let (x, y) = proj.xy(d.location());
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#666\"/>",
                x - 4.0,
                y - 4.0,
            );
            placed.take([x - 4.0, y - 4.0, x + 4.0, y + 4.0]);
            labels.extend(placed.label((x, y), &d.name, 10.0, "fill=\"#555\"", area));
        }
    }
    for (i, (_, v)) in sites.iter().enumerate() {
        let (x, y) = proj.xy(v.location);
        let _ = writeln!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"11\" fill=\"#0b5fa5\" stroke=\"#fff\" stroke-width=\"2\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"bold\" fill=\"#fff\" \
             text-anchor=\"middle\">{}</text>",
            y + 4.0,
            i + 1
        );
    }
    svg.push_str(&labels);
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"22\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\" \
         paint-order=\"stroke\" stroke=\"#f4f1e8\" stroke-width=\"4\">{}</text>",
        MAP_W / 2.0,
        escape(commune)
    );
    svg.push_str(&north_arrow());
    svg.push_str(&scale_bar(proj.scale));
    svg.push_str("</svg>\n");
    svg
}

fn north_arrow() -> String {
    let x = MAP_W - 24.0;
    format!(
        "<path d=\"M{x} 14 L{} 36 L{x} 31 L{} 36 Z\" fill=\"#333\"/>\
         <text x=\"{x}\" y=\"50\" font-size=\"12\" text-anchor=\"middle\">N</text>\n",
        x + 7.0,
        x - 7.0
    )
}

/// A bar of a round length (0.5, 1, 2 or 5 km…) close to a quarter of the width.
fn scale_bar(units_per_km: f64) -> String {
    let target = MAP_W / 4.0 / units_per_km;
    let mut km = 0.5;
    for candidate in [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0] {
        if candidate <= target {
            km = candidate;
        }
    }
    let len = km * units_per_km;
    let (x, y) = (14.0, MAP_H - 16.0);
    let label = if km < 1.0 {
        format!("{} m", (km * 1000.0).round())
    } else {
        format!("{km} km")
    };
    format!(
        "<path d=\"M{x} {} V{y} H{:.1} V{}\" stroke=\"#333\" stroke-width=\"2\" fill=\"none\"/>\
         <text x=\"{x}\" y=\"{}\" font-size=\"10\">{label}</text>\n",
        y - 5.0,
        x + len,
        y - 5.0,
        y - 8.0
    )
}
