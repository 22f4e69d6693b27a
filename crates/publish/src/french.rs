//! French wording shared by the outputs read by people: dates as residents write
//! them ("mardi 5 janvier") and hours ("9 h 30").

use chrono::{Datelike, NaiveDate};
use tournee_model::scenario::Contact;
use tournee_model::{Scenario, SiteKind, TimeOfDay, Visit, Weekday};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mardi 5 janvier".
pub fn date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        Weekday::from_chrono(d.weekday()).french(),
        d.day(),
        MONTHS[d.month0() as usize]
    )
}

/// "mardi 5 janvier 2027".
pub fn date_with_year(d: NaiveDate) -> String {
    format!("{} {}", date(d), d.year())
}

/// "9 h 30", "14 h".
pub fn hour(t: TimeOfDay) -> String {
    let (h, m) = (t.0 / 3600, t.0 / 60 % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m:02}")
    }
}

/// "9 h 30 – 12 h".
pub fn hours(start: TimeOfDay, end: TimeOfDay) -> String {
    format!("{} – {}", hour(start), hour(end))
}

/// "Place de la Halle (place du marché)", or the name alone when it already says
/// what kind of site it is ("Place du marché", "Parking de l'église, rue Haute").
pub fn site_with_kind(v: &Visit) -> String {
    let kind = v.site_kind.french();
    let key = match v.site_kind {
        SiteKind::Marketplace => "marché",
        SiteKind::PlaceOfWorship => "église",
        SiteKind::School => "école",
        SiteKind::Parking => "parking",
        SiteKind::Townhall => "mairie",
        SiteKind::CommunityCentre => "salle",
        SiteKind::SocialFacility => "structure",
        SiteKind::Library => "médiathèque",
        SiteKind::Cafe => "café",
    };
    let name = v.site_name.to_lowercase();
    if name.contains(kind) || name.contains(key) {
        v.site_name.clone()
    } else {
        format!("{} ({kind})", v.site_name)
    }
}

/// Access for people with reduced mobility, from `wheelchair=*` ("Accès en
/// fauteuil roulant : oui."), `None` when unknown.
pub fn access(wheelchair: Option<&str>) -> Option<String> {
    let what = match wheelchair? {
        "yes" | "designated" => "oui",
        "limited" => "partiel",
        "no" => "non",
        other => other,
    };
    Some(format!("Accès en fauteuil roulant : {what}."))
}

/// "Renseignements : Centre social, 05 45 00 00 00, contact@cs.fr, https://…".
pub fn contact(c: &Contact) -> String {
    let mut parts = vec![c.name.as_str()];
    parts.extend(c.phone.as_deref());
    parts.extend(c.email.as_deref());
    parts.extend(c.web.as_deref());
    format!("Renseignements : {}.", parts.join(", "))
}

/// The service as a sentence names it: "le bus numérique" for the default name,
/// else the name as given ("le Bus France Services").
pub fn service_in_sentence(sc: &Scenario) -> String {
    let name = sc.service_name();
    if name == tournee_model::publication::DEFAULT_SERVICE_NAME {
        format!("le {}", name.to_lowercase())
    } else if name.starts_with("Bus ") || name.starts_with("bus ") {
        format!("le {name}")
    } else {
        name.to_string()
    }
}

/// "Bus France Services (label France Services)", or the name alone.
pub fn service_with_label(sc: &Scenario) -> String {
    match sc.service.as_ref().and_then(|s| s.label.as_deref()) {
        Some(label) if !sc.service_name().contains(label) => {
            format!("{} (label {label})", sc.service_name())
        }
        _ => sc.service_name().to_string(),
    }
}

/// A reach share below 1 as a percentage ("50 %"), `None` for a full share.
pub fn share(share: f64) -> Option<String> {
    (share < 1.0).then(|| format!("{:.0} %", share * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hours_read_as_in_french() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        assert_eq!(date(d), "lundi 4 janvier");
        assert_eq!(date_with_year(d), "lundi 4 janvier 2027");
        assert_eq!(hour(TimeOfDay::hm(9, 5)), "9 h 05");
        assert_eq!(hour(TimeOfDay::hm(14, 0)), "14 h");
        assert_eq!(
            hours(TimeOfDay::hm(9, 30), TimeOfDay::hm(12, 0)),
            "9 h 30 – 12 h"
        );
    }
}
