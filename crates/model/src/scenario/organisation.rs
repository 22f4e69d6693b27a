//! The organisation that runs the tours (`[organisation]`), as the national directory
//! of places of digital mediation (the MedNum standard, "lieux de médiation
//! numérique" v1.0.2) needs it: its name, its SIRET (the standard's `pivot`), and
//! what it offers, in the standard's own words.
//!
//! Promises: a validated organisation has a name; its SIRET, when given, is 14
//! digits with a valid Luhn key (La Poste's establishments, SIREN 356 000 000, use
//! their own key) and is not the all-zero placeholder; every value of a closed list
//! (`services`, `frais`, …) is one of the standard's, spelt exactly as the standard
//! spells it; each postcode is five digits. Nothing here is required for planning:
//! only the directory export (`publish::mednum`) needs the organisation and its
//! SIRET, and says so when they are missing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[organisation]` in a scenario.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name ("Centre social de la Lize").
    pub name: String,
    /// SIRET of the establishment that runs the tours (14 digits, spaces allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// What is offered at the stops (the standard's `services`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Fees (`frais_a_charge`): "Gratuit", "Gratuit sous condition", "Payant".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frais: Vec<String>,
    /// How to come (`modalites_acces`): "Se présenter", "Téléphoner", …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalites_acces: Vec<String>,
    /// How people are helped (`modalites_accompagnement`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalites_accompagnement: Vec<String>,
    /// Publics specially welcomed (`publics_specifiquement_adresses`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publics: Vec<String>,
    /// National programmes the service belongs to (`dispositif_programmes_nationaux`),
    /// e.g. "France Services", "Conseillers numériques".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispositifs: Vec<String>,
    /// A short presentation (`presentation_resume`, at most 280 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentation: Option<String>,
    /// Postcodes of the communes served (commune name or INSEE code → postcode), for
    /// the directory, where the commune table gives none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub postcodes: BTreeMap<String, String>,
}

/// The standard's closed lists (schema v1.0.2, field by field).
pub mod vocabulary {
    pub const SERVICES: &[&str] = &[
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
        "Insertion professionnelle via le numérique",
        "Utilisation sécurisée du numérique",
        "Parentalité et éducation avec le numérique",
        "Loisirs et créations numériques",
        "Compréhension du monde numérique",
        "Accès internet et matériel informatique",
        "Acquisition de matériel informatique à prix solidaire",
    ];
    pub const FRAIS: &[&str] = &["Gratuit", "Gratuit sous condition", "Payant"];
    pub const MODALITES_ACCES: &[&str] = &[
        "Se présenter",
        "Téléphoner",
        "Contacter par mail",
        "Prendre un RDV en ligne",
        "Ce lieu n'accueille pas de public",
        "Envoyer un mail avec une fiche de prescription",
    ];
    pub const MODALITES_ACCOMPAGNEMENT: &[&str] = &[
        "En autonomie",
        "Accompagnement individuel",
        "Dans un atelier collectif",
        "À distance",
    ];
    pub const PUBLICS: &[&str] = &[
        "Jeunes",
        "Étudiants",
        "Familles et/ou enfants",
        "Seniors",
        "Femmes",
    ];
    pub const DISPOSITIFS: &[&str] = &[
        "Aidants Connect",
        "Bibliothèques numérique de référence",
        "Certification PIX",
        "Conseillers numériques",
        "Emmaüs Connect",
        "France Services",
        "Grande école du numérique",
        "La Croix Rouge",
        "Point d'accès numérique CAF",
        "Promeneurs du net",
        "Relais numérique (Emmaüs Connect)",
    ];
}

/// The longest `presentation_resume` the standard accepts.
pub const PRESENTATION_MAX_CHARS: usize = 280;

impl Organisation {
    /// The SIRET without spaces, when given.
    pub fn siret_digits(&self) -> Option<String> {
        self.siret
            .as_deref()
            .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect())
    }

    /// The first problem, as (field under `organisation.`, French message).
    pub fn problem(&self) -> Option<(String, String)> {
        if self.name.trim().is_empty() {
            return Some(("name".into(), "l'organisation doit avoir un nom".into()));
        }
        if let Some(siret) = self.siret_digits() {
            if let Err(why) = check_siret(&siret) {
                return Some(("siret".into(), why));
            }
        }
        let lists: [(&str, &Vec<String>, &[&str]); 6] = [
            ("services", &self.services, vocabulary::SERVICES),
            ("frais", &self.frais, vocabulary::FRAIS),
            (
                "modalites_acces",
                &self.modalites_acces,
                vocabulary::MODALITES_ACCES,
            ),
            (
                "modalites_accompagnement",
                &self.modalites_accompagnement,
                vocabulary::MODALITES_ACCOMPAGNEMENT,
            ),
            ("publics", &self.publics, vocabulary::PUBLICS),
            ("dispositifs", &self.dispositifs, vocabulary::DISPOSITIFS),
        ];
        for (field, values, allowed) in lists {
            if let Some(v) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                return Some((
                    field.into(),
                    format!(
                        "« {v} » n'est pas une valeur du standard MedNum ; valeurs possibles : {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        if let Some(p) = &self.presentation {
            let n = p.chars().count();
            if n > PRESENTATION_MAX_CHARS {
                return Some((
                    "presentation".into(),
                    format!(
                        "la présentation fait {n} caractères ; le standard MedNum en accepte {PRESENTATION_MAX_CHARS} au plus"
                    ),
                ));
            }
        }
        for (commune, code) in &self.postcodes {
            if !is_postcode(code) {
                return Some((
                    format!("postcodes.{commune}"),
                    format!("« {code} » n'est pas un code postal (5 chiffres)"),
                ));
            }
        }
        None
    }
}

/// Five ASCII digits.
pub fn is_postcode(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `siret` (no spaces) is a SIRET: 14 digits, Luhn key right (La Poste's
/// establishments: digit sum a multiple of 5), not all zeros.
pub fn check_siret(siret: &str) -> Result<(), String> {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "« {siret} » n'est pas un SIRET : il faut 14 chiffres"
        ));
    }
    if siret.bytes().all(|b| b == b'0') {
        return Err("le SIRET 00000000000000 n'est pas un vrai SIRET".into());
    }
    let digits: Vec<u32> = siret.bytes().map(|b| u32::from(b - b'0')).collect();
    let valid = if siret.starts_with("356000000") && siret != "35600000000048" {
        digits.iter().sum::<u32>().is_multiple_of(5)
    } else {
        luhn(&digits)
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "« {siret} » n'est pas un SIRET valide (clé de contrôle fausse) : vérifiez-le sur annuaire-entreprises.data.gouv.fr"
        ))
    }
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_keys() {
        // Luhn key right, then one digit off.
        assert_eq!(check_siret("13002526500013"), Ok(()));
        assert!(check_siret("13002526500014").unwrap_err().contains("clé"));
        assert!(check_siret("1300252650001")
            .unwrap_err()
            .contains("14 chiffres"));
        assert!(check_siret("00000000000000").is_err());
        // La Poste: digit sum a multiple of 5, not Luhn.
        assert_eq!(check_siret("35600000000048"), Ok(()));
        assert_eq!(check_siret("35600000049837"), Ok(()));
    }

    #[test]
    fn closed_lists_and_postcodes_are_checked() {
        let ok = Organisation {
            name: "CS".into(),
            siret: Some("130 025 265 00013".into()),
            services: vec!["Aide aux démarches administratives".into()],
            frais: vec!["Gratuit".into()],
            ..Default::default()
        };
        assert_eq!(ok.problem(), None);
        assert_eq!(ok.siret_digits().as_deref(), Some("13002526500013"));
        let typo = Organisation {
            services: vec!["Aide aux demarches administratives".into()],
            ..ok.clone()
        };
        assert_eq!(typo.problem().unwrap().0, "services");
        let mut bad_cp = ok.clone();
        bad_cp.postcodes.insert("Brumeval".into(), "1700".into());
        assert_eq!(bad_cp.problem().unwrap().0, "postcodes.Brumeval");
        let long = Organisation {
            presentation: Some("x".repeat(281)),
            ..ok
        };
        assert_eq!(long.problem().unwrap().0, "presentation");
    }

    #[test]
    fn a_bad_siret_in_a_scenario_names_the_field_and_line() {
        use crate::scenario::tests::MINIMAL;
        use crate::Scenario;
        let with = |org: &str| MINIMAL.replacen("[[slots]]", &format!("{org}\n[[slots]]"), 1);
        let good = with("[organisation]\nname = \"CS\"\nsiret = \"13002526500013\"\n");
        let s = Scenario::parse(&good, None).unwrap();
        assert_eq!(s.organisation.unwrap().name, "CS");
        assert_eq!(Scenario::parse(MINIMAL, None).unwrap().organisation, None);
        let bad = with("[organisation]\nname = \"CS\"\nsiret = \"13002526500014\"\n");
        let e = Scenario::parse(&bad, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("organisation.siret"));
        assert!(e.line.is_some(), "{e}");
        let typo = with("[organisation]\nname = \"CS\"\nsirett = \"1\"\n");
        assert!(Scenario::parse(&typo, None).is_err());
    }
}
