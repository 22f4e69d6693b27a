//! `lieux-mediation-numerique.csv`: the plan's stops as entries of the national
//! directory of places of digital mediation, in the MedNum data standard
//! ("lieux de médiation numérique", Table Schema v1.0.2: 32 columns in the schema's
//! order, UTF-8, `,` between columns, `|` between the values of one field).
//!
//! One record per stop site (a site served by several vehicles or slots is one
//! place with all its hours):
//! - `id`: `arret-` and the site's OSM reference, stable from one plan to the next;
//! - `pivot`: the organisation's SIRET (`[organisation] siret`), never a placeholder:
//!   without it there is no file, and [`DirectoryError`] says what to add;
//! - `nom`: the vehicles' names, the site and its commune; `adresse`: the site's
//!   name (the plan knows no street address); `commune`; `code_postal` from
//!   `[organisation] postcodes` (by commune name or INSEE code), required: a
//!   commune without one is an error naming it, unless the commune table gives the
//!   commune exactly one (`codesPostaux`); `code_insee`: the stop's own (from the
//!   commune boundary it stands in), else the commune table's when one row has the
//!   commune's name, else empty;
//! - `latitude`, `longitude`: the stop (WGS84, 6 decimals);
//! - `horaires`: the stop's days and hours over the cycle in OSM `opening_hours`
//!   syntax ([`horaires`]); `itinerance`: `Itinérant`;
//! - `telephone` (written `+33…` from a French number), `courriels`, `site_web` from
//!   `[contact]`; `services`, `frais_a_charge`, `modalites_acces`,
//!   `modalites_accompagnement`, `publics_specifiquement_adresses`,
//!   `dispositif_programmes_nationaux`, `presentation_resume` from
//!   `[organisation]`; `source`: the organisation's name;
//! - `date_maj`: the cycle's first day, from which these hours hold (a pure function
//!   of the plan, like the calendars' `DTSTAMP`);
//! - every other field (`typologie`, `complement_adresse`, `structure_parente`,
//!   labels, accessibility, booking) is left empty: the scenario does not know it.
//!
//! Home visits never appear (homes are private).

pub mod horaires;

use std::collections::BTreeMap;
use std::fmt;

use chrono::Duration;
use serde::Serialize;
use tournee_model::demand::normalise_name;
use tournee_model::{OsmRef, Plan, Scenario, Visit};

/// The file's name in the output folder.
pub const DIRECTORY_FILE: &str = "lieux-mediation-numerique.csv";

/// Why the directory file cannot be written; the text is for the coordinator.
#[derive(Debug, Clone, PartialEq)]
pub enum DirectoryError {
    /// No `[organisation]` section, or one without a SIRET.
    NoSiret,
    /// Communes served with no known postcode.
    NoPostcode(Vec<String>),
}

impl fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectoryError::NoSiret => write!(
                f,
                "{DIRECTORY_FILE} non écrit : l'export vers l'annuaire des lieux de médiation \
                 numérique (standard MedNum) a besoin du SIRET de la structure qui porte les \
                 tournées. Ajoutez au scénario une section [organisation] avec name = \"…\" et \
                 siret = \"…\" (14 chiffres)."
            ),
            DirectoryError::NoPostcode(communes) => write!(
                f,
                "{DIRECTORY_FILE} non écrit : le standard MedNum exige le code postal de chaque \
                 lieu, et il manque celui de : {}. Ajoutez-les au scénario dans \
                 [organisation.postcodes] (par exemple \"{}\" = \"17000\").",
                communes.join(", "),
                communes.first().map_or("Commune", String::as_str)
            ),
        }
    }
}

impl std::error::Error for DirectoryError {}

/// One line of the file: the schema's 32 fields, in its order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Record {
    pub id: String,
    pub pivot: String,
    pub nom: String,
    pub commune: String,
    pub code_postal: String,
    pub code_insee: String,
    pub adresse: String,
    pub complement_adresse: String,
    pub latitude: String,
    pub longitude: String,
    pub typologie: String,
    pub telephone: String,
    pub courriels: String,
    pub site_web: String,
    pub horaires: String,
    pub presentation_resume: String,
    pub presentation_detail: String,
    pub source: String,
    pub itinerance: String,
    pub structure_parente: String,
    pub date_maj: String,
    pub services: String,
    pub publics_specifiquement_adresses: String,
    pub prise_en_charge_specifique: String,
    pub frais_a_charge: String,
    pub dispositif_programmes_nationaux: String,
    pub formations_labels: String,
    pub autres_formations_labels: String,
    pub modalites_acces: String,
    pub modalites_accompagnement: String,
    pub fiche_acces_libre: String,
    pub prise_rdv: String,
}

/// The records of the plan's stop sites, by commune, then site name, then site.
pub fn records(plan: &Plan, scenario: &Scenario) -> Result<Vec<Record>, DirectoryError> {
    let organisation = scenario
        .organisation
        .as_ref()
        .filter(|o| o.siret_digits().is_some_and(|s| !s.is_empty()))
        .ok_or(DirectoryError::NoSiret)?;
    let siret = organisation.siret_digits().unwrap_or_default();
    let first = plan.start_date;
    let last = first + Duration::days(7 * i64::from(plan.cycle_weeks.max(1)) - 1);

    // Site → its visits (with the vehicle's name).
    let mut sites: BTreeMap<&OsmRef, Vec<(&str, &Visit, chrono::NaiveDate)>> = BTreeMap::new();
    for (route, visit) in plan.visits() {
        let vehicle = scenario
            .vehicle(&route.vehicle)
            .map_or(route.vehicle.as_str(), |v| v.name.as_str());
        sites
            .entry(&visit.site)
            .or_default()
            .push((vehicle, visit, route.date));
    }
    let contact = scenario.contact.as_ref();
    let join = |values: &[String]| values.join("|");
    let mut missing_postcodes: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (site, visits) in sites {
        let (_, visit, _) = visits[0];
        // The stop's own INSEE code (from the commune boundary it stands in), else
        // the commune table's by name.
        let insee = visit
            .insee
            .clone()
            .or_else(|| insee_code(scenario, &visit.commune));
        let postcode = organisation
            .postcodes
            .get(&visit.commune)
            .or_else(|| insee.as_ref().and_then(|c| organisation.postcodes.get(c)))
            .or_else(|| {
                let key = normalise_name(&visit.commune);
                organisation
                    .postcodes
                    .iter()
                    .find(|(k, _)| normalise_name(k) == key)
                    .map(|(_, v)| v)
            })
            .cloned()
            .or_else(|| table_postcode(scenario, insee.as_deref(), &visit.commune));
        let Some(postcode) = postcode else {
            if !missing_postcodes.contains(&visit.commune) {
                missing_postcodes.push(visit.commune.clone());
            }
            continue;
        };
        let mut days: BTreeMap<chrono::NaiveDate, Vec<_>> = BTreeMap::new();
        for (_, v, date) in &visits {
            days.entry(*date).or_default().push((v.start, v.end));
        }
        let days: BTreeMap<chrono::NaiveDate, horaires::DayHours> = days
            .into_iter()
            .map(|(d, h)| (d, horaires::merge(h)))
            .collect();
        let mut vehicles: Vec<&str> = visits.iter().map(|(name, _, _)| *name).collect();
        vehicles.sort_unstable();
        vehicles.dedup();
        out.push(Record {
            id: format!("arret-{}", site.to_string().replace('/', "-")),
            pivot: siret.clone(),
            nom: format!(
                "{} – {}, {}",
                vehicles.join(" / "),
                visit.site_name,
                visit.commune
            ),
            commune: visit.commune.clone(),
            code_postal: postcode,
            code_insee: insee.unwrap_or_default(),
            adresse: visit.site_name.clone(),
            latitude: format!("{:.6}", visit.location.lat),
            longitude: format!("{:.6}", visit.location.lon),
            telephone: contact
                .and_then(|c| c.phone.as_deref())
                .and_then(international_phone)
                .unwrap_or_default(),
            courriels: contact.and_then(|c| c.email.clone()).unwrap_or_default(),
            site_web: contact.and_then(|c| c.web.clone()).unwrap_or_default(),
            horaires: horaires::opening_hours(&days, first, last),
            presentation_resume: organisation.presentation.clone().unwrap_or_default(),
            source: organisation.name.clone(),
            itinerance: "Itinérant".into(),
            date_maj: first.to_string(),
            services: join(&organisation.services),
            publics_specifiquement_adresses: join(&organisation.publics),
            frais_a_charge: join(&organisation.frais),
            dispositif_programmes_nationaux: join(&organisation.dispositifs),
            modalites_acces: join(&organisation.modalites_acces),
            modalites_accompagnement: join(&organisation.modalites_accompagnement),
            ..Record::default()
        });
    }
    if !missing_postcodes.is_empty() {
        missing_postcodes.sort();
        return Err(DirectoryError::NoPostcode(missing_postcodes));
    }
    out.sort_by(|a, b| (&a.commune, &a.adresse, &a.id).cmp(&(&b.commune, &b.adresse, &b.id)));
    Ok(out)
}

/// `lieux-mediation-numerique.csv` for the plan (header line, then [`records`]).
pub fn directory_csv(plan: &Plan, scenario: &Scenario) -> Result<String, DirectoryError> {
    let records = records(plan, scenario)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    if records.is_empty() {
        // The header alone (serialize writes it with the first record).
        w.serialize(Record::default())
            .expect("writing into memory cannot fail");
        let bytes = w.into_inner().expect("flushing into memory cannot fail");
        let text = String::from_utf8(bytes).expect("UTF-8");
        return Ok(text.lines().next().unwrap_or_default().to_string() + "\n");
    }
    for r in &records {
        w.serialize(r).expect("writing into memory cannot fail");
    }
    let bytes = w.into_inner().expect("flushing into memory cannot fail");
    Ok(String::from_utf8(bytes).expect("the records are UTF-8 text"))
}

/// The commune's INSEE code from the scenario's commune table, when exactly one
/// row with a code has its name.
/// The commune's postcode from the scenario's commune table (`codesPostaux`), by
/// INSEE code, else by name: only when the commune has exactly one (a town with
/// several cannot say which is the stop's; `[organisation] postcodes` must).
fn table_postcode(scenario: &Scenario, insee: Option<&str>, commune: &str) -> Option<String> {
    let table = scenario.communes.as_ref()?;
    let key = normalise_name(commune);
    let row = match insee {
        Some(code) => table.rows.iter().find(|r| r.code.as_deref() == Some(code)),
        None => table.rows.iter().find(|r| normalise_name(&r.name) == key),
    }?;
    match row.postcodes.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn insee_code(scenario: &Scenario, commune: &str) -> Option<String> {
    let table = scenario.communes.as_ref()?;
    let key = normalise_name(commune);
    let mut codes = table
        .rows
        .iter()
        .filter(|r| normalise_name(&r.name) == key)
        .filter_map(|r| r.code.clone());
    let code = codes.next()?;
    codes.next().is_none().then_some(code)
}

/// A French number as the standard writes it (`+33` and 9 digits), from
/// "05 45 00 00 00", "05.45.00.00.00", "+33 5 45 00 00 00"; `None` otherwise.
pub fn international_phone(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect();
    let national = if let Some(rest) = digits.strip_prefix("+33") {
        rest.strip_prefix('0').unwrap_or(rest).to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_string()
    } else {
        return None;
    };
    (national.len() == 9
        && national.bytes().all(|b| b.is_ascii_digit())
        && !national.starts_with('0'))
    .then(|| format!("+33{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            international_phone("05 45 00 00 00").as_deref(),
            Some("+33545000000")
        );
        assert_eq!(
            international_phone("05.45.00.00.00").as_deref(),
            Some("+33545000000")
        );
        assert_eq!(
            international_phone("+33 5 45 00 00 00").as_deref(),
            Some("+33545000000")
        );
        assert_eq!(international_phone("+33 (0)5 45 00 00 00"), None);
        assert_eq!(international_phone("3939"), None);
        assert_eq!(international_phone("00 00 00 00 00"), None);
    }
}
