//! What-if questions: a scenario derived from another by a list of [`Change`]s, and
//! the [`Comparison`] of the two plans a coordinator reads ("a second bus reaches
//! 4,000 more people a week; Sainte-Eulalie loses its Friday visit").
//!
//! Changes are applied in order to a copy of the base scenario and the result is
//! validated as any scenario; an error names the change at fault by its index
//! (`changes[2].id`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Weekday;
use crate::ids::OsmRef;
use crate::plan::Plan;
use crate::promise::{Frequency, Promise};
use crate::scenario::{Scenario, ScenarioError};

/// One change to a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A vehicle like `like` (same depot, days, hours, crew size), named `id`.
    AddVehicle {
        like: String,
        id: String,
    },
    RemoveVehicle {
        id: String,
    },
    /// A mediator like `like` (same base, days, contract), named `id`.
    AddMediator {
        like: String,
        id: String,
    },
    RemoveMediator {
        id: String,
    },
    /// The site may no longer be used (works, a market moved, the commune refused).
    CloseSite {
        site: OsmRef,
    },
    /// No tour runs on that day.
    AddHoliday {
        date: NaiveDate,
    },
    /// No tour runs on that weekday any more ("drop Fridays").
    DropWeekday {
        day: Weekday,
    },
    /// Residents are reached within this drive time of a stop.
    SetReachMinutes {
        minutes: u32,
    },
    /// Weight of a commune (or INSEE code) in the objective, e.g. a fragility index.
    SetWeight {
        commune: String,
        weight: f64,
    },
    /// Promise the commune a visit at this frequency, on a stable weekday and slot
    /// (replacing any promise it had): "what if Ayrac were visited every week?".
    SetPromise {
        commune: String,
        frequency: Frequency,
    },
    /// The commune is no longer promised anything.
    RemovePromise {
        commune: String,
    },
}

impl Change {
    /// A short French description, for the comparison's heading.
    pub fn describe(&self) -> String {
        match self {
            Change::AddVehicle { like, id } => format!("ajout du véhicule {id} (comme {like})"),
            Change::RemoveVehicle { id } => format!("retrait du véhicule {id}"),
            Change::AddMediator { like, id } => {
                format!("ajout de la médiatrice ou du médiateur {id} (comme {like})")
            }
            Change::RemoveMediator { id } => {
                format!("retrait de la médiatrice ou du médiateur {id}")
            }
            Change::CloseSite { site } => format!("site {site} fermé"),
            Change::AddHoliday { date } => format!("jour férié le {date}"),
            Change::DropWeekday { day } => format!("plus de tournée le {}", day.french()),
            Change::SetReachMinutes { minutes } => {
                format!("rayon d'accès de {minutes} min en voiture")
            }
            Change::SetWeight { commune, weight } => format!("poids {weight} pour {commune}"),
            Change::SetPromise { commune, frequency } => {
                format!("{commune} promise {}", frequency.french())
            }
            Change::RemovePromise { commune } => format!("plus de promesse à {commune}"),
        }
    }
}

/// Applies `changes` in order to a copy of `base` and validates the result.
pub fn apply(base: &Scenario, changes: &[Change]) -> Result<Scenario, ScenarioError> {
    let mut s = base.clone();
    for (i, change) in changes.iter().enumerate() {
        apply_one(&mut s, change).map_err(|(field, message)| ScenarioError {
            path: None,
            line: None,
            field: Some(format!(
                "changes[{i}]{}",
                field.map_or(String::new(), |f| format!(".{f}"))
            )),
            message,
        })?;
    }
    if !changes.is_empty() {
        s.name = format!(
            "{} — {}",
            base.name,
            changes
                .iter()
                .map(Change::describe)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s.validate()?;
    Ok(s)
}

type ChangeError = (Option<&'static str>, String);

fn apply_one(s: &mut Scenario, change: &Change) -> Result<(), ChangeError> {
    use tournee_i18n::tr;
    let no_such = |what: &str, id: &str| {
        (
            Some("id"),
            if what == "vehicle" {
                tr!("whatif-no-vehicle", id = id)
            } else {
                tr!("whatif-no-mediator", id = id)
            },
        )
    };
    match change {
        Change::AddVehicle { like, id } => {
            let model = s
                .vehicle(like)
                .ok_or_else(|| (Some("like"), tr!("whatif-no-vehicle", id = like)))?;
            if s.vehicle(id).is_some() {
                return Err((Some("id"), tr!("whatif-vehicle-exists", id = id)));
            }
            let mut v = model.clone();
            v.id = id.clone();
            v.name = format!("{} (bis)", model.name);
            v.unavailable.clear();
            s.vehicles.push(v);
        }
        Change::RemoveVehicle { id } => {
            let before = s.vehicles.len();
            s.vehicles.retain(|v| &v.id != id);
            if s.vehicles.len() == before {
                return Err(no_such("vehicle", id));
            }
            if s.vehicles.is_empty() {
                return Err((Some("id"), tr!("whatif-last-vehicle")));
            }
        }
        Change::AddMediator { like, id } => {
            let model = s
                .mediator(like)
                .ok_or_else(|| (Some("like"), tr!("whatif-no-mediator", id = like)))?;
            if s.mediator(id).is_some() {
                return Err((Some("id"), tr!("whatif-mediator-exists", id = id)));
            }
            let mut m = model.clone();
            m.id = id.clone();
            m.name = format!("{} (renfort)", model.name);
            m.leave.clear();
            s.mediators.push(m);
        }
        Change::RemoveMediator { id } => {
            let before = s.mediators.len();
            s.mediators.retain(|m| &m.id != id);
            if s.mediators.len() == before {
                return Err(no_such("mediator", id));
            }
        }
        Change::CloseSite { site } => {
            if !s.sites.closed.contains(site) {
                s.sites.closed.push(*site);
            }
        }
        Change::AddHoliday { date } => {
            if !s.cycle_days_all().contains(date) {
                return Err((
                    Some("date"),
                    tr!(
                        "whatif-not-in-cycle",
                        date = date.to_string(),
                        start = s.start_date.to_string()
                    ),
                ));
            }
            if !s.holidays.contains(date) {
                s.holidays.push(*date);
                s.holidays.sort();
            }
        }
        Change::DropWeekday { day } => {
            if !s.days.contains(day) {
                return Err((Some("day"), tr!("whatif-day-not-run", day = day.name())));
            }
            s.days.retain(|d| d != day);
            if s.days.is_empty() {
                return Err((Some("day"), tr!("whatif-no-day-left")));
            }
            for v in &mut s.vehicles {
                if let Some(days) = &mut v.days {
                    days.retain(|d| d != day);
                }
            }
        }
        Change::SetReachMinutes { minutes } => {
            if !(1..=60).contains(minutes) {
                return Err((Some("minutes"), tr!("whatif-bad-reach", minutes = *minutes)));
            }
            // A hard radius, replacing a decay curve if the scenario has one.
            s.reach.radius_minutes = Some(*minutes);
            s.reach.decay = None;
        }
        Change::SetWeight { commune, weight } => {
            if !weight.is_finite() || *weight < 0.0 {
                return Err((
                    Some("weight"),
                    tr!("whatif-bad-weight", weight = weight.to_string()),
                ));
            }
            s.objective.weights.insert(commune.clone(), *weight);
        }
        Change::SetPromise { commune, frequency } => {
            if commune.trim().is_empty() {
                return Err((Some("commune"), tr!("whatif-empty-commune")));
            }
            s.promises.retain(|p| &p.commune != commune);
            s.promises.push(Promise {
                commune: commune.clone(),
                frequency: Some(*frequency),
                min_visits: None,
                max_visits: None,
                weekday: None,
                slot: None,
                stable: true,
                strict: false,
            });
            s.validate_promises()
                .map_err(|e| (Some("frequency"), e.message))?;
        }
        Change::RemovePromise { commune } => {
            let before = s.promises.len();
            s.promises.retain(|p| &p.commune != commune);
            if s.promises.len() == before {
                return Err((Some("commune"), tr!("whatif-no-promise", commune = commune)));
            }
        }
    }
    Ok(())
}

impl Scenario {
    /// Every calendar day of the cycle, including week-ends and holidays.
    fn cycle_days_all(&self) -> Vec<NaiveDate> {
        (0..self.cycle_weeks * 7)
            .map(|i| self.start_date + chrono::Days::new(i as u64))
            .collect()
    }
}

/// Headline figures of one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub reachable_population_per_week: f64,
    pub places_reached: usize,
    pub communes_visited: usize,
    pub visits: usize,
    pub kilometres: f64,
    pub mediator_hours: f64,
}

impl Figures {
    pub fn of(plan: &Plan) -> Figures {
        let communes: BTreeSet<&str> = plan.visits().map(|(_, v)| v.commune.as_str()).collect();
        Figures {
            reachable_population_per_week: plan.summary.reachable_population_per_week,
            places_reached: plan.summary.places_reached,
            communes_visited: communes.len(),
            visits: plan.summary.visits,
            kilometres: plan.summary.distance.0 as f64 / 1000.0,
            mediator_hours: plan.summary.mediator_hours,
        }
    }
}

/// A visit as the comparison names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VisitKey {
    pub date: NaiveDate,
    pub slot: String,
    pub site: OsmRef,
    pub site_name: String,
    pub vehicle: String,
}

/// What changed for one commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneChange {
    pub commune: String,
    pub base_visits: usize,
    pub variant_visits: usize,
    /// Visits of the variant with no counterpart in the base.
    pub added: Vec<VisitKey>,
    /// A base visit replaced by a variant visit on another day, slot or site.
    pub moved: Vec<(VisitKey, VisitKey)>,
    /// Base visits with no counterpart in the variant.
    pub cancelled: Vec<VisitKey>,
}

/// Base plan against variant plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub base: Figures,
    pub variant: Figures,
    /// Communes whose visits differ, by name.
    pub communes: Vec<CommuneChange>,
}

/// Compares two plans of the same territory. A visit is the same when its date,
/// slot and site are; a commune's cancelled and added visits are paired as moves, in
/// date order.
pub fn compare(base: &Plan, variant: &Plan) -> Comparison {
    let index = |p: &Plan| {
        let mut by: BTreeMap<String, BTreeSet<VisitKey>> = BTreeMap::new();
        for (r, v) in p.visits() {
            by.entry(v.commune.clone()).or_default().insert(VisitKey {
                date: r.date,
                slot: v.slot.clone(),
                site: v.site,
                site_name: v.site_name.clone(),
                vehicle: r.vehicle.clone(),
            });
        }
        by
    };
    let (a, b) = (index(base), index(variant));
    let same =
        |x: &VisitKey, y: &VisitKey| x.date == y.date && x.slot == y.slot && x.site == y.site;
    let empty = BTreeSet::new();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut communes = Vec::new();
    for name in names {
        let va = a.get(name).unwrap_or(&empty);
        let vb = b.get(name).unwrap_or(&empty);
        let gone: Vec<VisitKey> = va
            .iter()
            .filter(|x| !vb.iter().any(|y| same(x, y)))
            .cloned()
            .collect();
        let new: Vec<VisitKey> = vb
            .iter()
            .filter(|y| !va.iter().any(|x| same(x, y)))
            .cloned()
            .collect();
        if gone.is_empty() && new.is_empty() {
            continue;
        }
        let paired = gone.len().min(new.len());
        communes.push(CommuneChange {
            commune: name.clone(),
            base_visits: va.len(),
            variant_visits: vb.len(),
            moved: gone[..paired]
                .iter()
                .cloned()
                .zip(new[..paired].iter().cloned())
                .collect(),
            cancelled: gone[paired..].to_vec(),
            added: new[paired..].to_vec(),
        });
    }
    Comparison {
        base: Figures::of(base),
        variant: Figures::of(variant),
        communes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn demo() -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/demo.toml");
        Scenario::load(&path).unwrap()
    }

    #[test]
    fn changes_apply_in_order_and_name_the_variant() {
        let base = demo();
        let s = apply(
            &base,
            &[
                Change::AddVehicle {
                    like: "bus-1".into(),
                    id: "bus-3".into(),
                },
                Change::DropWeekday { day: Weekday::Fri },
                Change::AddHoliday {
                    date: "2027-03-02".parse().unwrap(),
                },
                Change::SetReachMinutes { minutes: 12 },
            ],
        )
        .unwrap();
        assert_eq!(s.vehicles.len(), base.vehicles.len() + 1);
        let bus3 = s.vehicle("bus-3").unwrap();
        assert_eq!(bus3.depot, base.vehicle("bus-1").unwrap().depot);
        assert!(bus3.unavailable.is_empty());
        assert!(!s.days.contains(&Weekday::Fri));
        assert!(s
            .vehicles
            .iter()
            .all(|v| v.days.as_ref().is_none_or(|d| !d.contains(&Weekday::Fri))));
        assert!(s.holidays.contains(&"2027-03-02".parse().unwrap()));
        assert_eq!(s.reach.radius_minutes, Some(12));
        assert!(s.name.contains("bus-3"), "{}", s.name);
        // The base is untouched.
        assert_eq!(base.vehicles.len(), 2);
    }

    #[test]
    fn a_bad_change_is_named_by_its_index() {
        let base = demo();
        let err = apply(
            &base,
            &[
                Change::SetReachMinutes { minutes: 10 },
                Change::RemoveMediator {
                    id: "nobody".into(),
                },
            ],
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("changes[1].id"));
        assert!(err.message.contains("nobody"), "{}", err.message);

        let err = apply(
            &base,
            &[Change::AddHoliday {
                date: "2030-01-01".parse().unwrap(),
            }],
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("changes[0].date"));
    }

    #[test]
    fn removing_too_many_mediators_fails_validation_with_the_reason() {
        let base = demo();
        let changes: Vec<Change> = base
            .mediators
            .iter()
            .skip(1)
            .map(|m| Change::RemoveMediator { id: m.id.clone() })
            .collect();
        let err = apply(&base, &changes).unwrap_err();
        assert!(
            err.message.contains("équipage") || err.message.contains("médiateur"),
            "{err}"
        );
    }

    #[test]
    fn changes_read_from_json_with_a_kind_tag() {
        let c: Vec<Change> = serde_json::from_str(
            r#"[{"kind":"close_site","site":"node/12"},{"kind":"drop_weekday","day":"fri"}]"#,
        )
        .unwrap();
        assert_eq!(
            c[0],
            Change::CloseSite {
                site: "node/12".parse().unwrap()
            }
        );
        assert!(serde_json::from_str::<Change>(r#"{"kind":"add_vehicle","like":"a"}"#).is_err());
        assert!(serde_json::from_str::<Change>(r#"{"kind":"fly","id":"a"}"#).is_err());
    }

    #[test]
    fn a_promise_is_set_replaced_and_removed() {
        let base = demo();
        let before = base
            .promises
            .iter()
            .find(|p| p.commune == "Sorvezac")
            .expect("the demo promises Sorvezac a visit");
        assert_eq!(before.frequency, Some(Frequency::Weekly));
        let s = apply(
            &base,
            &[
                Change::SetPromise {
                    commune: "Sorvezac".into(),
                    frequency: Frequency::Fortnightly,
                },
                Change::SetPromise {
                    commune: "Ayrac".into(),
                    frequency: Frequency::Weekly,
                },
            ],
        )
        .unwrap();
        assert_eq!(s.promises.len(), base.promises.len() + 1);
        let sorvezac: Vec<_> = s
            .promises
            .iter()
            .filter(|p| p.commune == "Sorvezac")
            .collect();
        assert_eq!(sorvezac.len(), 1, "replaced, not duplicated");
        assert_eq!(sorvezac[0].frequency, Some(Frequency::Fortnightly));
        assert!(sorvezac[0].stable);
        assert!(s.name.contains("une semaine sur deux"), "{}", s.name);

        let s = apply(
            &base,
            &[Change::RemovePromise {
                commune: "Sorvezac".into(),
            }],
        )
        .unwrap();
        assert!(s.promises.iter().all(|p| p.commune != "Sorvezac"));
        let err = apply(
            &base,
            &[Change::RemovePromise {
                commune: "Nowhere".into(),
            }],
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("changes[0].commune"));

        let c: Change = serde_json::from_str(
            r#"{"kind":"set_promise","commune":"Ayrac","frequency":"monthly"}"#,
        )
        .unwrap();
        assert_eq!(
            c,
            Change::SetPromise {
                commune: "Ayrac".into(),
                frequency: Frequency::Monthly
            }
        );
        assert!(serde_json::from_str::<Change>(
            r#"{"kind":"set_promise","commune":"Ayrac","frequency":"daily"}"#
        )
        .is_err());
    }
}
