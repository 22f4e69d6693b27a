//! Places already served: a list of fixed, open sites (France services, digital
//! mediation places) whose reach counts as already covered, so that tours go
//! elsewhere (`demand.served` in a scenario).
//!
//! The reader accepts the ANCT France services list as published
//! (`liste-fs-*.csv`: `lib_fs`, `latitude`, `longitude`, `insee_com`, `h_lundi` …
//! `h_samedi`, `format_fs`, and the derived `itinerant` column when present) and the
//! MedNum standard of digital-mediation places (`nom`, `latitude`, `longitude`,
//! `code_insee`, `horaires`, `itinerance`), and any CSV with a name and
//! `lat`/`lon` columns. Itinerant services (a bus: its coordinates are its home
//! base, not where it stops) are not fixed sites and are left out; a row whose
//! opening-hours columns are all empty is counted as open (hours unknown) and
//! reported.
//!
//! How the pipeline uses the list: each place's population is reduced by the share
//! of it a served site already reaches (`Reach::share` of the drive from the place
//! to the site, 1 within a hard radius) times how much of the week the site is open
//! ([`ServedSite::openness`]: its weekly hours over [`FULL_WEEK_HOURS`], at most 1),
//! the largest over the sites, for the optimiser and the checker alike.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::table::*;
use super::DemandFileError;
use crate::geo::LonLat;
use crate::site::Place;
use crate::units::Population;

/// A fixed site that already serves its surroundings.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedSite {
    /// 1-based line in the file.
    pub line: u64,
    pub name: String,
    pub location: LonLat,
    /// The INSEE code of its commune, when the file gives it.
    pub insee: Option<String>,
    /// Every opening-hours column of the row is empty (counted as open).
    pub hours_unknown: bool,
    /// Hours a week the site is open, when its hours can be read: ANCT's
    /// `h_lundi` … `h_samedi` ("09:00 - 12:00 / 14:00 - 17:00") or MedNum's
    /// `horaires` (OSM `opening_hours`).
    pub weekly_hours: Option<f64>,
}

/// The weekly opening a France services site must have for its label (24 hours
/// over five days): a site open that long or longer counts as fully open.
pub const FULL_WEEK_HOURS: f64 = 24.0;

impl ServedSite {
    /// How much of the week the site serves its surroundings, 0 to 1: its weekly
    /// hours over [`FULL_WEEK_HOURS`]; 1 when its hours are unknown (counted open,
    /// and reported).
    pub fn openness(&self) -> f64 {
        self.weekly_hours
            .map_or(1.0, |h| (h / FULL_WEEK_HOURS).clamp(0.0, 1.0))
    }
}

/// Hours in an ANCT day cell: "09:00 - 12:00 / 14:00 - 17:00"; `None` when a part
/// is not of that form.
fn anct_day_hours(cell: &str) -> Option<f64> {
    let minutes = |t: &str| -> Option<f64> {
        let (h, m) = t.trim().split_once(':')?;
        Some(h.trim().parse::<f64>().ok()? * 60.0 + m.trim().parse::<f64>().ok()?)
    };
    let mut total = 0.0;
    for part in cell.split('/').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-')?;
        let (a, b) = (minutes(a)?, minutes(b)?);
        if b < a {
            return None;
        }
        total += b - a;
    }
    Some(total / 60.0)
}

/// Hours open in a week of OSM `opening_hours` (sampled every quarter of an hour
/// over a week with no public holiday).
fn osm_week_hours(text: &str) -> Option<f64> {
    let hours: opening_hours::OpeningHours = text.parse().ok()?;
    let monday = chrono::NaiveDate::from_ymd_opt(2027, 3, 1)?.and_hms_opt(0, 0, 0)?;
    let open = (0..7 * 24 * 4)
        .filter(|q| hours.is_open(monday + chrono::Duration::minutes(15 * q)))
        .count();
    Some(open as f64 / 4.0)
}

/// A list of served sites, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedList {
    pub path: PathBuf,
    pub sites: Vec<ServedSite>,
    /// Rows of itinerant services (buses), not fixed sites.
    pub skipped_itinerant: usize,
}

/// Whether a row describes an itinerant service: ANCT's `itinerant` = `true` or
/// `format_fs` `Bus_équivalent`/`Itinérante`; MedNum's `itinerance` without `Fixe`.
fn itinerant(headers: &[String], row: &[String]) -> bool {
    let col = |keys: &[&str]| find(headers, keys).map(|i| header_key(&row[i]));
    if let Some(v) = col(&["itinerant"]) {
        if !v.is_empty() {
            return matches!(v.as_str(), "true" | "oui" | "1" | "vrai");
        }
    }
    if let Some(v) = col(&["format_fs"]) {
        return v.contains("bus") || v.contains("itinerant");
    }
    if let Some(v) = col(&["itinerance"]) {
        return !v.is_empty() && !v.contains("fixe");
    }
    false
}

/// Reads a list of served sites (see the module doc for the layouts).
pub fn read_served(bytes: &[u8], path: &Path) -> Result<ServedList, DemandFileError> {
    let text = decode(bytes, path)?;
    let rec = records(&text, path)?;
    let error = |line: Option<u64>, column: Option<&str>, message: String| DemandFileError {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let h = &rec.headers;
    let (Some(lon), Some(lat)) = (
        find(h, &["longitude", "lon", "lng"]),
        find(h, &["latitude", "lat"]),
    ) else {
        return Err(error(
            Some(1),
            None,
            format!(
                "pas de colonnes de coordonnées (`latitude` et `longitude`, ou `lat` et `lon`) : les colonnes sont {}",
                columns_found(&rec)
            ),
        ));
    };
    let name = find(h, &["lib_fs", "nom", "name", "nom_structure", "libelle"]);
    let insee = find(
        h,
        &["insee_com_cog2026", "insee_com", "code_insee", "codgeo"],
    );
    let hours: Vec<usize> = (0..h.len())
        .filter(|&i| {
            let k = header_key(&h[i]);
            k.starts_with("h_") || k == "horaires" || k == "opening_hours"
        })
        .collect();
    let mut list = ServedList {
        path: path.to_path_buf(),
        sites: Vec::new(),
        skipped_itinerant: 0,
    };
    for (line, row) in &rec.rows {
        if itinerant(h, row) {
            list.skipped_itinerant += 1;
            continue;
        }
        let location = match (parse_number(&row[lon]), parse_number(&row[lat])) {
            (Some(x), Some(y)) => Some(LonLat::new(x, y)),
            _ => None,
        }
        .filter(LonLat::is_valid)
        .ok_or_else(|| {
            error(
                Some(*line),
                Some(&h[lat]),
                format!(
                    "`{}`, `{}` n'est pas une latitude et une longitude en degrés",
                    row[lat], row[lon]
                ),
            )
        })?;
        let code = insee
            .map(|i| row[i].to_uppercase())
            .filter(|c| !c.is_empty());
        if let (Some(c), Some(i)) = (&code, insee) {
            if !is_code5(c) {
                return Err(error(
                    Some(*line),
                    Some(&h[i]),
                    format!("`{c}` n'est pas un code commune INSEE (5 caractères)"),
                ));
            }
        }
        let name = name
            .map(|i| row[i].clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("site de la ligne {line}"));
        list.sites.push(ServedSite {
            line: *line,
            name,
            location,
            insee: code,
            hours_unknown: !hours.is_empty() && hours.iter().all(|&i| row[i].is_empty()),
            weekly_hours: weekly_hours(h, row, &hours),
        });
    }
    if list.sites.is_empty() {
        return Err(error(
            None,
            None,
            format!(
                "aucun site fixe dans la liste ({} service(s) itinérant(s) écarté(s))",
                list.skipped_itinerant
            ),
        ));
    }
    Ok(list)
}

/// The row's weekly opening hours from its hours columns, when they all read.
fn weekly_hours(headers: &[String], row: &[String], hours: &[usize]) -> Option<f64> {
    if hours.is_empty() || hours.iter().all(|&i| row[i].trim().is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for &i in hours {
        let cell = row[i].trim();
        if cell.is_empty() {
            continue;
        }
        total += if header_key(&headers[i]).starts_with("h_") {
            anct_day_hours(cell)?
        } else {
            osm_week_hours(cell)?
        };
    }
    Some(total)
}

/// What counting the served sites did to the places.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ServedReport {
    pub path: PathBuf,
    /// Fixed sites in the file, and itinerant rows left out.
    pub sites: usize,
    pub skipped_itinerant: usize,
    /// Fixed sites on the territory's roads (the others are elsewhere).
    pub sites_in_territory: usize,
    /// Places some served site reaches, and the population they had and have left.
    pub places_reached: usize,
    pub population_before: u64,
    pub population_after: u64,
}

impl ServedReport {
    /// One paragraph for the coordinator.
    pub fn text(&self) -> String {
        format!(
            "Lieux déjà desservis {} : {} site(s) fixe(s) ({} itinérant(s) écarté(s)), dont {} sur le territoire ; ils atteignent {} lieu(x), dont la population restant à atteindre passe de {} à {} habitants.",
            self.path.display(),
            self.sites,
            self.skipped_itinerant,
            self.sites_in_territory,
            self.places_reached,
            self.population_before,
            self.population_after
        )
    }
}

/// The places with what the served sites already reach taken off: `shares[p]` is
/// the largest share of place `p` a served site reaches (0 when none); its
/// population becomes `population × (1 − share)`, rounded to the nearest person.
pub fn discount(places: &[Place], shares: &[f64], report: &mut ServedReport) -> Vec<Place> {
    places
        .iter()
        .zip(shares)
        .map(|(p, &share)| {
            let mut p = p.clone();
            if share > 0.0 {
                report.places_reached += 1;
                report.population_before += u64::from(p.population.0);
                p.population =
                    Population((f64::from(p.population.0) * (1.0 - share.min(1.0))).round() as u32);
                report.population_after += u64::from(p.population.0);
            }
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anct_list_keeps_fixed_sites_and_skips_buses() {
        let csv = "id_fs,lib_fs,insee_com,latitude,longitude,h_lundi,h_mardi,format_fs\n\
                   1,France services de Cozes,17131,45.58428,-0.83095,09:00 - 12:00,,Fixe\n\
                   590,Bus France services Tonnay-Charente,17449,45.94,-0.89,,,Bus_équivalent\n\
                   3,\"France services, Saujon\",17421,45.67,-0.92,,,Fixe\n";
        let l = read_served(csv.as_bytes(), Path::new("fs.csv")).unwrap();
        assert_eq!(l.sites.len(), 2);
        assert_eq!(l.skipped_itinerant, 1);
        assert_eq!(l.sites[0].name, "France services de Cozes");
        assert_eq!(l.sites[0].insee.as_deref(), Some("17131"));
        assert_eq!(l.sites[0].location, LonLat::new(-0.83095, 45.58428));
        assert!(!l.sites[0].hours_unknown);
        assert!(l.sites[1].hours_unknown);
        assert_eq!(l.sites[1].line, 4);
        // Open three hours a week: it serves an eighth of its reach (24 h is full);
        // hours unknown: counted open.
        assert_eq!(l.sites[0].weekly_hours, Some(3.0));
        assert!((l.sites[0].openness() - 0.125).abs() < 1e-9);
        assert_eq!(l.sites[1].weekly_hours, None);
        assert_eq!(l.sites[1].openness(), 1.0);
    }

    #[test]
    fn weekly_hours_from_both_layouts() {
        assert_eq!(anct_day_hours("09:00 - 12:00 / 14:00 - 17:30"), Some(6.5));
        assert_eq!(anct_day_hours("sur rendez-vous"), None);
        assert_eq!(osm_week_hours("Mo-Fr 09:00-12:00,14:00-17:00"), Some(30.0));
        assert_eq!(osm_week_hours("We 14:00-16:00"), Some(2.0));
        assert_eq!(osm_week_hours("pas un horaire"), None);
        let csv = "nom,latitude,longitude,horaires,itinerance\n\
                   Médiathèque,45.9,-0.9,We 14:00-16:00,Fixe\n\
                   Tiers-lieu,45.8,-0.8,Mo-Fr 09:00-17:00,Fixe\n";
        let l = read_served(csv.as_bytes(), Path::new("mednum.csv")).unwrap();
        assert!((l.sites[0].openness() - 2.0 / 24.0).abs() < 1e-9);
        assert_eq!(l.sites[1].openness(), 1.0);
    }

    #[test]
    fn the_mednum_layout_and_a_derived_itinerant_column() {
        let csv = "id,nom,code_insee,latitude,longitude,horaires,itinerance\n\
                   a,Médiathèque,17300,46.16,-1.15,Mo 09:00-12:00,Fixe\n\
                   b,Bus numérique,17300,46.16,-1.15,,Itinérant\n";
        let l = read_served(csv.as_bytes(), Path::new("m.csv")).unwrap();
        assert_eq!(l.sites.len(), 1);
        assert_eq!(l.skipped_itinerant, 1);
        let csv = "lib_fs,latitude,longitude,format_fs,itinerant\nA,46,-1,Fixe,true\nB,46,-1,Fixe,false\n";
        let l = read_served(csv.as_bytes(), Path::new("m.csv")).unwrap();
        assert_eq!(l.sites.len(), 1);
        assert_eq!(l.sites[0].name, "B");
    }

    #[test]
    fn a_served_share_is_taken_off_the_population() {
        let place = |pop: u32| Place {
            id: crate::ids::PlaceId(0),
            osm: crate::ids::OsmRef::node(1),
            name: "A".into(),
            place_type: "village".into(),
            location: LonLat::new(0.0, 45.0),
            population: Population(pop),
            population_source: crate::site::PopulationSource::Osm,
            insee: None,
        };
        let mut r = ServedReport::default();
        let out = discount(
            &[place(1000), place(300), place(7)],
            &[1.0, 0.0, 0.5],
            &mut r,
        );
        let pops: Vec<u32> = out.iter().map(|p| p.population.0).collect();
        assert_eq!(pops, vec![0, 300, 4]);
        assert_eq!(
            (r.places_reached, r.population_before, r.population_after),
            (2, 1007, 4)
        );
        assert!(
            r.text().contains("passe de 1007 à 4 habitants"),
            "{}",
            r.text()
        );
    }

    #[test]
    fn bad_files_name_the_file_line_and_column() {
        let e = read_served(b"nom,x,y\nA,1,2\n", Path::new("s.csv")).unwrap_err();
        assert!(e.to_string().starts_with("s.csv, line 1"), "{e}");
        assert!(e.message.contains("`nom`, `x`, `y`"), "{e}");
        let e = read_served(
            b"nom,latitude,longitude\nA,46,-1\nB,146,-1\n",
            Path::new("s.csv"),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("latitude")));
        let e = read_served(
            b"nom,insee_com,latitude,longitude\nA,1730,46,-1\n",
            Path::new("s.csv"),
        )
        .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("insee_com"));
        let e = read_served(
            b"nom,latitude,longitude,itinerant\nA,46,-1,true\n",
            Path::new("s.csv"),
        )
        .unwrap_err();
        assert!(e.message.contains("aucun site fixe"), "{e}");
    }
}
