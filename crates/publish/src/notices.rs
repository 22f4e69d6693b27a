//! Change notices: what a re-plan changes for each commune, and a French text the
//! coordinator can send to its town hall as it is.
//!
//! A commune's visits in the previous and the new plan are compared as
//! (date, public hours, site). Visits found in both are unchanged. Of the others,
//! taken in date order, the n-th one that left is paired with the n-th one that
//! came: the visit is **moved** (other date, hours or site). What remains is
//! **cancelled** (only in the previous plan) or **added** (only in the new one).
//!
//! Promises: communes come in name order, changes in date order; a commune with no
//! change is not listed; a cancelled visit gives the reason the new plan records for
//! that commune and day, when it records one.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;
use tournee_model::{OsmRef, Plan, Scenario, TimeOfDay, Visit};

use crate::french;

/// One visit as residents see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    pub date: NaiveDate,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub site: OsmRef,
    pub site_name: String,
    /// "Place de la Halle (place du marché)".
    pub place: String,
    pub vehicle: String,
}

impl Passage {
    fn of(date: NaiveDate, vehicle: &str, v: &Visit) -> Passage {
        Passage {
            date,
            start: v.start,
            end: v.end,
            site: v.site,
            site_name: v.site_name.clone(),
            place: french::site_with_kind(v),
            vehicle: vehicle.to_string(),
        }
    }

    /// What residents compare: the vehicle serving it does not matter to them.
    fn key(&self) -> (NaiveDate, TimeOfDay, TimeOfDay, OsmRef) {
        (self.date, self.start, self.end, self.site)
    }

    /// "mardi 9 mars 2027 (9 h 30 – 12 h, Place du Marché)".
    fn french(&self) -> String {
        format!(
            "{} ({}, {})",
            french::date_with_year(self.date),
            french::hours(self.start, self.end),
            self.place
        )
    }
}

/// One change of a commune's visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Added {
        passage: Passage,
    },
    Moved {
        from: Passage,
        to: Passage,
    },
    Cancelled {
        passage: Passage,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

impl Change {
    /// The date the change is sorted by: the visit it removes or moves, else the
    /// one it adds.
    fn date(&self) -> NaiveDate {
        match self {
            Change::Added { passage } | Change::Cancelled { passage, .. } => passage.date,
            Change::Moved { from, .. } => from.date,
        }
    }

    /// One French sentence; `service` as a sentence names it ("bus numérique").
    fn sentence(&self, service: &str) -> String {
        match self {
            Change::Added { passage } => format!(
                "Nouveau passage : le {service} passera le {}.",
                passage.french()
            ),
            Change::Moved { from, to } => format!(
                "Le passage du {} est déplacé au {}.",
                from.french(),
                to.french()
            ),
            Change::Cancelled { passage, reason } => {
                let why = reason
                    .as_deref()
                    .map(|r| format!(" (motif : {r})"))
                    .unwrap_or_default();
                format!("Le passage du {} est annulé{why}.", passage.french())
            }
        }
    }
}

/// The changes of one commune and the notice to send it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommuneChanges {
    pub commune: String,
    pub changes: Vec<Change>,
    /// Ready to send, in French: a subject line, then the changes.
    pub notice: String,
}

/// Every commune whose visits differ between `previous` and `plan`, in name order,
/// the notices naming the default service.
pub fn changes(previous: &Plan, plan: &Plan) -> Vec<CommuneChanges> {
    changes_named(
        previous,
        plan,
        tournee_model::publication::DEFAULT_SERVICE_NAME,
    )
}

/// [`changes`] with the notices naming the scenario's service (`[service]`).
pub fn changes_for(previous: &Plan, plan: &Plan, scenario: &Scenario) -> Vec<CommuneChanges> {
    changes_named(previous, plan, scenario.service_name())
}

fn changes_named(previous: &Plan, plan: &Plan, service: &str) -> Vec<CommuneChanges> {
    let before = passages_by_commune(previous);
    let after = passages_by_commune(plan);
    let mut communes: Vec<&String> = before.keys().chain(after.keys()).collect();
    communes.sort();
    communes.dedup();
    communes
        .into_iter()
        .filter_map(|commune| {
            let empty = Vec::new();
            let old = before.get(commune).unwrap_or(&empty);
            let new = after.get(commune).unwrap_or(&empty);
            let changes = diff(old, new, |date| cancel_reason(plan, commune, date));
            (!changes.is_empty()).then(|| CommuneChanges {
                notice: notice(service, commune, &changes),
                commune: commune.clone(),
                changes,
            })
        })
        .collect()
}

fn passages_by_commune(plan: &Plan) -> BTreeMap<String, Vec<Passage>> {
    let mut out: BTreeMap<String, Vec<Passage>> = BTreeMap::new();
    for (route, visit) in plan.visits() {
        out.entry(visit.commune.clone())
            .or_default()
            .push(Passage::of(route.date, &route.vehicle, visit));
    }
    for passages in out.values_mut() {
        passages.sort_by(|a, b| a.key().cmp(&b.key()).then(a.vehicle.cmp(&b.vehicle)));
    }
    out
}

/// `old` and `new` sorted by key.
fn diff(
    old: &[Passage],
    new: &[Passage],
    reason: impl Fn(NaiveDate) -> Option<String>,
) -> Vec<Change> {
    let mut unmatched_new: Vec<Option<&Passage>> = new.iter().map(Some).collect();
    let mut left = Vec::new();
    for p in old {
        let same = unmatched_new
            .iter()
            .position(|n| n.is_some_and(|n| n.key() == p.key()));
        match same {
            Some(i) => unmatched_new[i] = None,
            None => left.push(p),
        }
    }
    let came: Vec<&Passage> = unmatched_new.into_iter().flatten().collect();
    let moved = left.len().min(came.len());
    let mut changes: Vec<Change> = left
        .iter()
        .zip(&came)
        .map(|(from, to)| Change::Moved {
            from: (*from).clone(),
            to: (*to).clone(),
        })
        .collect();
    changes.extend(left[moved..].iter().map(|p| Change::Cancelled {
        passage: (*p).clone(),
        reason: reason(p.date),
    }));
    changes.extend(came[moved..].iter().map(|p| Change::Added {
        passage: (*p).clone(),
    }));
    changes.sort_by_key(Change::date);
    changes
}

/// The reason `plan` gives for not visiting `commune` on `date`, if any.
fn cancel_reason(plan: &Plan, commune: &str, date: NaiveDate) -> Option<String> {
    plan.unplaced
        .iter()
        .find(|u| u.date == Some(date) && u.commune.as_deref() == Some(commune))
        .map(|u| u.reason.clone())
}

fn notice(service: &str, commune: &str, changes: &[Change]) -> String {
    // "du bus numérique" for the default name, "du Bus France Services" else.
    let of = if service == tournee_model::publication::DEFAULT_SERVICE_NAME {
        service.to_lowercase()
    } else {
        service.to_string()
    };
    let mut text = format!("{service} : changement de passage à {commune}\n\n");
    text.push_str(&match changes {
        [one] => format!(
            "Changement de passage du {of} à {commune} : {}\n",
            lowercase_first(&one.sentence(&of))
        ),
        _ => {
            let mut t = format!(
                "Les passages du {of} à {commune} changent ({} modifications) :\n",
                changes.len()
            );
            for c in changes {
                let _ = writeln!(t, "- {}", c.sentence(&of));
            }
            t
        }
    });
    text.push_str(
        "\nLa médiation numérique à bord du bus reste gratuite et sans rendez-vous. \
         Le calendrier en ligne de la commune est mis à jour : les agendas qui y sont \
         abonnés se mettent à jour d'eux-mêmes. Merci de relayer ce changement \
         (panneau lumineux, site internet, bulletin municipal, affichage en mairie).\n",
    );
    text
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The checker's violations of a plan published anyway, for the coordinator only
/// (the head of `changements.md`); empty when there are none.
pub fn violations_markdown(violations: &[String]) -> String {
    if violations.is_empty() {
        return String::new();
    }
    let mut md = format!(
        "# Avertissement au coordinateur — ne pas transmettre aux communes

         Ce plan a été publié malgré {} anomalie(s) relevée(s) par la vérification          (`tournee publish --force`). Corrigez le plan et publiez-le de nouveau :

",
        violations.len()
    );
    for v in violations {
        let _ = writeln!(md, "- {v}");
    }
    md.push('\n');
    md
}

/// Every commune's notice, one after the other, as Markdown (`changements.md`).
pub fn changes_markdown(all: &[CommuneChanges]) -> String {
    let mut md = String::from("# Changements de passage du bus numérique\n\n");
    if all.is_empty() {
        md.push_str("Aucun changement par rapport au plan précédent.\n");
    }
    for c in all {
        let mut lines = c.notice.lines();
        let subject = lines.next().unwrap_or_default();
        let _ = writeln!(md, "## {}\n\n**Objet : {subject}**", c.commune);
        for l in lines {
            md.push_str(l);
            md.push('\n');
        }
        md.push('\n');
    }
    md
}

/// The changes as JSON (`changements.json`): an array of communes, each with its
/// changes (`"change": "added" | "moved" | "cancelled"`) and notice.
pub fn changes_json(all: &[CommuneChanges]) -> String {
    serde_json::to_string_pretty(all).expect("plain data always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(day: u32, start_h: u32, site: i64) -> Passage {
        Passage {
            date: NaiveDate::from_ymd_opt(2027, 3, day).unwrap(),
            start: TimeOfDay::hm(start_h, 0),
            end: TimeOfDay::hm(start_h + 2, 30),
            site: OsmRef::node(site),
            site_name: format!("Site {site}"),
            place: format!("Site {site}"),
            vehicle: "bus-1".into(),
        }
    }

    #[test]
    fn unchanged_visits_are_not_changes_and_the_rest_pair_up_in_date_order() {
        let old = [passage(2, 9, 1), passage(9, 9, 1), passage(16, 9, 1)];
        let new = [passage(2, 9, 1), passage(11, 14, 1)];
        let changes = diff(&old, &new, |_| Some("jour férié".into()));
        assert_eq!(
            changes,
            [
                Change::Moved {
                    from: passage(9, 9, 1),
                    to: passage(11, 14, 1)
                },
                Change::Cancelled {
                    passage: passage(16, 9, 1),
                    reason: Some("jour férié".into())
                },
            ]
        );
        let added = diff(&old[..1], &new, |_| None);
        assert_eq!(
            added,
            [Change::Added {
                passage: passage(11, 14, 1)
            }]
        );
    }

    #[test]
    fn a_single_move_reads_as_one_french_sentence() {
        let c = Change::Moved {
            from: passage(9, 9, 1),
            to: passage(11, 14, 2),
        };
        let text = notice(
            tournee_model::publication::DEFAULT_SERVICE_NAME,
            "Bors",
            &[c],
        );
        assert!(
            text.contains(
                "Changement de passage du bus numérique à Bors : le passage du mardi 9 mars \
                 2027 (9 h – 11 h 30, Site 1) est déplacé au jeudi 11 mars 2027 \
                 (14 h – 16 h 30, Site 2)."
            ),
            "{text}"
        );
    }
}
