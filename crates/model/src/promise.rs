//! Per-commune frequency promises: what a commune was told about how often the bus
//! comes, and the rule that says whether a plan keeps it.
//!
//! A **promised visit** is a stop at a site *in* the commune (the site's `commune`,
//! the nearest commune seat): that is the visit the commune announces, on its
//! calendar and panel. Stops elsewhere that merely reach the commune count in the
//! objective but not for the promise, so a stop in a neighbouring village never
//! breaks the commune's stable weekday.
//!
//! The rule ([`Promise::verdict`]) is shared by the optimiser and the checker:
//!
//! - `frequency`: in every run of `k` consecutive weeks of the calendar (the cycle
//!   repeats, so runs wrap around its end), at least `m` weeks have a visit —
//!   weekly 1 in 1, two_in_three 2 in 3, fortnightly 1 in 2, monthly 1 in 4,
//!   every_5_weeks 1 in 5;
//! - `min_visits` / `max_visits`: visits in the cycle;
//! - `stable` (default true): every visit on the same weekday and in the same slot,
//!   hence at most one a week.
//!
//! Visits cancelled by a public holiday do not count: a promise is planned on days
//! that run.

use serde::{Deserialize, Serialize};

use crate::calendar::Weekday;
use crate::plan::{PlanNote, PREFERENCE_MISSED};

/// How every `Plan::unplaced` reason for a promise not kept starts: a plan declares
/// the promises it cannot keep, and the checker accepts a broken promise only when
/// it is declared.
pub const NOT_KEPT: &str = "promesse non tenue";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Frequency {
    #[serde(rename = "weekly")]
    Weekly,
    #[serde(rename = "two_in_three")]
    TwoInThree,
    #[serde(rename = "fortnightly")]
    Fortnightly,
    /// Every 4 weeks.
    #[serde(rename = "monthly")]
    Monthly,
    #[serde(rename = "every_5_weeks")]
    Every5Weeks,
    /// Once in every run of `k` weeks: the scenario rule
    /// `rules.every_commune_every_weeks` (`model::rules`), never written in a
    /// scenario's promises.
    #[serde(skip)]
    EveryWeeks(u32),
}

impl Frequency {
    /// `(k, m)`: at least `m` visited weeks in every run of `k` consecutive weeks.
    pub fn rule(self) -> (u32, u32) {
        match self {
            Frequency::Weekly => (1, 1),
            Frequency::TwoInThree => (3, 2),
            Frequency::Fortnightly => (2, 1),
            Frequency::Monthly => (4, 1),
            Frequency::Every5Weeks => (5, 1),
            Frequency::EveryWeeks(k) => (k.max(1), 1),
        }
    }

    pub fn french(self) -> String {
        match self {
            Frequency::EveryWeeks(k) => {
                return tournee_i18n::tr!("rules-every-weeks", weeks = k.max(1))
            }
            Frequency::Weekly => "chaque semaine",
            Frequency::TwoInThree => "deux semaines sur trois",
            Frequency::Fortnightly => "une semaine sur deux",
            Frequency::Monthly => "toutes les quatre semaines",
            Frequency::Every5Weeks => "toutes les cinq semaines",
        }
        .to_string()
    }

    /// Whether `visited` (one flag per week of a repeating cycle) keeps the rule;
    /// `Err` names the first run of weeks that falls short.
    pub fn kept_by(self, visited: &[bool]) -> Result<(), String> {
        let (k, m) = self.rule();
        let w = visited.len();
        if w == 0 {
            return Err(tournee_i18n::tr!("promise-no-week"));
        }
        for start in 0..w {
            let n = (0..k as usize).filter(|j| visited[(start + j) % w]).count() as u32;
            if n < m {
                return Err(tournee_i18n::tr!(
                    "promise-frequency",
                    visited = n,
                    k = k,
                    week = start + 1,
                    needed = m,
                    promise = self.french()
                ));
            }
        }
        Ok(())
    }

    /// The fewest weeks of a `weeks`-week cycle that can keep the rule (a lower
    /// bound: each week lies in `k` runs, each run needs `m`).
    pub fn min_weeks(self, weeks: u32) -> u32 {
        let (k, m) = self.rule();
        (weeks * m).div_ceil(k).max(1)
    }

    /// Sets of visited weeks that keep the rule, fewest weeks first: the regular
    /// patterns `(w + offset) mod k < m`, then every week.
    pub fn week_sets(self, weeks: u32) -> Vec<Vec<bool>> {
        let (k, m) = self.rule();
        let mut out: Vec<Vec<bool>> = (0..k)
            .map(|o| (0..weeks).map(|w| (w + o) % k < m).collect::<Vec<bool>>())
            .filter(|s| self.kept_by(s).is_ok())
            .collect();
        out.push(vec![true; weeks as usize]);
        out.sort_by_key(|s| s.iter().filter(|&&b| b).count());
        out.dedup();
        out
    }
}

/// What a commune was promised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promise {
    /// The commune: a place name or its INSEE code.
    pub commune: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    /// Visits in the cycle, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_visits: Option<u32>,
    /// Visits in the cycle, at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_visits: Option<u32>,
    /// Preferred weekday (tried first; a rule with `strict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<Weekday>,
    /// Preferred slot name (tried first; a rule with `strict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// The weekday and slot given are rules, not preferences: every visit is on
    /// them (checked like the rest of the promise). Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// Every visit on the same weekday and slot. Default true.
    #[serde(default = "yes")]
    pub stable: bool,
}

fn yes() -> bool {
    true
}

/// One visit of a commune, as the rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PromiseVisit<'a> {
    /// 0-based week of the cycle.
    pub week: u32,
    pub weekday: Weekday,
    pub slot: &'a str,
}

impl Promise {
    /// A short French description ("une semaine sur deux, même jour et créneau").
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.frequency {
            parts.push(f.french());
        }
        if let Some(n) = self.min_visits {
            parts.push(format!("au moins {n} passage(s) par cycle"));
        }
        if let Some(n) = self.max_visits {
            parts.push(format!("au plus {n} passage(s) par cycle"));
        }
        if self.stable {
            parts.push("même jour et même créneau".into());
        }
        if self.strict {
            let mut on = Vec::new();
            if let Some(w) = self.weekday {
                on.push(w.french().to_string());
            }
            if let Some(s) = &self.slot {
                on.push(s.clone());
            }
            parts.push(format!("toujours le {}", on.join(" ")));
        }
        parts.join(", ")
    }

    /// Whether the commune's `visits` in a `weeks`-week cycle keep the promise;
    /// `Err` says which part is broken.
    pub fn verdict(&self, weeks: u32, visits: &[PromiseVisit]) -> Result<(), String> {
        let mut visited = vec![false; weeks as usize];
        for v in visits {
            if let Some(w) = visited.get_mut(v.week as usize) {
                *w = true;
            }
        }
        if let Some(f) = self.frequency {
            f.kept_by(&visited)?;
        }
        if self.strict {
            if let Some(v) = visits
                .iter()
                .find(|v| !self.on_promised_day(v.weekday, v.slot))
            {
                return Err(tournee_i18n::tr!(
                    "promise-off-day",
                    day = v.weekday.name(),
                    slot = v.slot,
                    promised = self.preferred_text()
                ));
            }
        }
        let n = visits.len() as u32;
        if let Some(min) = self.min_visits.filter(|&min| n < min) {
            return Err(tournee_i18n::tr!("promise-too-few", count = n, min = min));
        }
        if let Some(max) = self.max_visits.filter(|&max| n > max) {
            return Err(tournee_i18n::tr!("promise-too-many", count = n, max = max));
        }
        if self.stable {
            if let Some(first) = visits.first() {
                if let Some(other) = visits
                    .iter()
                    .find(|v| v.weekday != first.weekday || v.slot != first.slot)
                {
                    return Err(tournee_i18n::tr!(
                        "promise-not-stable",
                        first_day = first.weekday.name(),
                        first_slot = first.slot,
                        other_day = other.weekday.name(),
                        other_slot = other.slot
                    ));
                }
            }
        }
        Ok(())
    }

    /// The preferred weekday and slot as words ("mercredi matin"; "any day" when
    /// the promise names neither).
    fn preferred_text(&self) -> String {
        let words: Vec<String> = self
            .weekday
            .map(|w| w.name())
            .into_iter()
            .chain(self.slot.clone())
            .collect();
        if words.is_empty() {
            tournee_i18n::tr!("promise-any-day")
        } else {
            words.join(" ")
        }
    }

    /// The visits that miss the preferred weekday or slot of a promise that gives
    /// them as preferences (not `strict`: a strict promise breaks instead, in
    /// `verdict`). Empty when it prefers nothing.
    pub fn off_preference<'v, 'a>(
        &self,
        visits: &'v [PromiseVisit<'a>],
    ) -> Vec<&'v PromiseVisit<'a>> {
        if self.strict || (self.weekday.is_none() && self.slot.is_none()) {
            return Vec::new();
        }
        visits
            .iter()
            .filter(|v| {
                !(self.weekday.is_none_or(|w| w == v.weekday)
                    && self.slot.as_deref().is_none_or(|s| s == v.slot))
            })
            .collect()
    }

    /// The coordinator's note when some of `commune`'s `visits` miss the preferred
    /// weekday or slot (`off_preference`); `None` when all are on it.
    pub fn preference_note(&self, commune: &str, visits: &[PromiseVisit]) -> Option<PlanNote> {
        let off = self.off_preference(visits);
        if off.is_empty() {
            return None;
        }
        let mut given: Vec<String> = Vec::new();
        for v in &off {
            let text = format!("{} {}", v.weekday.name(), v.slot);
            if !given.contains(&text) {
                given.push(text);
            }
        }
        Some(PlanNote {
            commune: commune.to_string(),
            kind: PREFERENCE_MISSED.to_string(),
            message: tournee_i18n::tr!(
                "promise-preference-missed",
                commune = commune,
                preferred = self.preferred_text(),
                off = off.len(),
                total = visits.len(),
                given = given.join(", ")
            ),
        })
    }

    /// Whether a visit on `weekday` in `slot` may serve the promise: always, unless
    /// it is `strict` and they differ from the promised ones.
    pub fn on_promised_day(&self, weekday: Weekday, slot: &str) -> bool {
        !self.strict
            || (self.weekday.is_none_or(|w| w == weekday)
                && self.slot.as_deref().is_none_or(|s| s == slot))
    }

    /// The visited weeks the optimiser aims at, one entry per visit (a week may
    /// repeat when more visits than weeks are promised), fewest first.
    pub fn week_plans(&self, weeks: u32) -> Vec<Vec<u32>> {
        let sets: Vec<Vec<bool>> = match self.frequency {
            Some(f) => f.week_sets(weeks),
            None => {
                // Spread min_visits (or one) over the cycle.
                let n = self.min_visits.unwrap_or(1).clamp(1, weeks);
                let mut s = vec![false; weeks as usize];
                for i in 0..n {
                    s[(i * weeks / n) as usize] = true;
                }
                vec![s]
            }
        };
        let min = self.min_visits.unwrap_or(0);
        sets.into_iter()
            .map(|s| {
                let mut list: Vec<u32> = (0..weeks).filter(|&w| s[w as usize]).collect();
                // Top up to min_visits, unchosen weeks first, then again round.
                let mut extra = (0..weeks).filter(|&w| !s[w as usize]).collect::<Vec<_>>();
                extra.extend(0..weeks);
                let mut i = 0;
                while (list.len() as u32) < min && i < extra.len() {
                    list.push(extra[i]);
                    i += 1;
                }
                while (list.len() as u32) < min {
                    list.push(list.len() as u32 % weeks);
                }
                list.sort_unstable();
                list
            })
            .filter(|l| self.max_visits.is_none_or(|max| l.len() as u32 <= max))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(week: u32, weekday: Weekday, slot: &str) -> PromiseVisit<'_> {
        PromiseVisit {
            week,
            weekday,
            slot,
        }
    }

    fn promise(f: Option<Frequency>) -> Promise {
        Promise {
            commune: "X".into(),
            frequency: f,
            min_visits: None,
            max_visits: None,
            weekday: None,
            slot: None,
            stable: true,
            strict: false,
        }
    }

    #[test]
    fn fortnightly_wraps_around_the_cycle() {
        let f = Frequency::Fortnightly;
        assert!(f.kept_by(&[true, false, true, false]).is_ok());
        // Weeks 2 and 3 visited: weeks 4 and 1 of the repeated calendar are not.
        let e = f.kept_by(&[false, true, true, false]).unwrap_err();
        assert!(e.contains("à partir de la semaine 4"), "{e}");
        assert!(Frequency::Monthly.kept_by(&[false, true]).is_ok());
        assert!(Frequency::TwoInThree
            .kept_by(&[true, true, false, true, true, false])
            .is_ok());
        assert!(Frequency::TwoInThree.kept_by(&[true, false]).is_err());
        assert!(Frequency::Weekly.kept_by(&[true, true, false]).is_err());
    }

    #[test]
    fn week_sets_keep_their_rule_and_start_with_the_fewest() {
        for f in [
            Frequency::Weekly,
            Frequency::TwoInThree,
            Frequency::Fortnightly,
            Frequency::Monthly,
            Frequency::Every5Weeks,
        ] {
            for weeks in 1..=10 {
                let sets = f.week_sets(weeks);
                assert!(!sets.is_empty());
                for s in &sets {
                    assert!(f.kept_by(s).is_ok(), "{f:?} {weeks} {s:?}");
                    let n = s.iter().filter(|&&b| b).count() as u32;
                    assert!(n >= f.min_weeks(weeks), "{f:?} {weeks} {s:?}");
                }
            }
        }
        assert_eq!(
            Frequency::Fortnightly.week_sets(4)[0],
            vec![true, false, true, false]
        );
    }

    #[test]
    fn verdict_names_the_broken_part() {
        let p = promise(Some(Frequency::Fortnightly));
        let ok = [v(0, Weekday::Tue, "matin"), v(2, Weekday::Tue, "matin")];
        assert!(p.verdict(4, &ok).is_ok());
        let moved = [v(0, Weekday::Tue, "matin"), v(2, Weekday::Wed, "matin")];
        assert!(p.verdict(4, &moved).unwrap_err().contains("les mêmes"));
        let loose = Promise {
            stable: false,
            ..p.clone()
        };
        assert!(loose.verdict(4, &moved).is_ok());
        assert!(p.verdict(4, &ok[..1]).is_err());
        let capped = Promise {
            frequency: None,
            min_visits: Some(1),
            max_visits: Some(1),
            ..p
        };
        assert!(capped.verdict(4, &ok).unwrap_err().contains("au plus 1"));
        assert!(capped.verdict(4, &[]).unwrap_err().contains("au moins 1"));
    }

    #[test]
    fn strict_promises_hold_their_weekday_and_slot() {
        let preferred = Promise {
            weekday: Some(Weekday::Wed),
            slot: Some("matin".into()),
            ..promise(Some(Frequency::Fortnightly))
        };
        let tuesdays = [v(0, Weekday::Tue, "matin"), v(2, Weekday::Tue, "matin")];
        assert!(preferred.verdict(4, &tuesdays).is_ok(), "a preference only");
        let strict = Promise {
            strict: true,
            ..preferred.clone()
        };
        assert!(strict
            .verdict(4, &tuesdays)
            .unwrap_err()
            .contains("la promesse dit mercredi matin"));
        let wednesdays = [v(0, Weekday::Wed, "matin"), v(2, Weekday::Wed, "matin")];
        assert!(strict.verdict(4, &wednesdays).is_ok());
        let afternoon = Promise {
            weekday: None,
            ..strict.clone()
        };
        assert!(afternoon.on_promised_day(Weekday::Fri, "matin"));
        assert!(!afternoon.on_promised_day(Weekday::Fri, "après-midi"));
        assert!(
            strict.describe().contains("toujours le mercredi matin"),
            "{}",
            strict.describe()
        );
    }

    #[test]
    fn a_preference_missed_is_noted_and_a_strict_one_is_not() {
        let preferred = Promise {
            weekday: Some(Weekday::Wed),
            slot: Some("matin".into()),
            ..promise(Some(Frequency::Weekly))
        };
        let mixed = [
            v(0, Weekday::Wed, "matin"),
            v(1, Weekday::Tue, "matin"),
            v(2, Weekday::Wed, "après-midi"),
            v(3, Weekday::Tue, "matin"),
        ];
        assert_eq!(preferred.off_preference(&mixed).len(), 3);
        let note = preferred.preference_note("La Turbie", &mixed).unwrap();
        assert_eq!(note.kind, PREFERENCE_MISSED);
        assert_eq!(
            note.message,
            "La Turbie : préférence « mercredi matin » non respectée pour 3 passage(s) \
             sur 4 (placé(s) : mardi matin, mercredi après-midi)"
        );
        let on = [v(0, Weekday::Wed, "matin"), v(1, Weekday::Wed, "matin")];
        assert!(preferred.preference_note("La Turbie", &on).is_none());
        // Strict: broken, not noted; no preference: nothing to note.
        let strict = Promise {
            strict: true,
            ..preferred.clone()
        };
        assert!(strict.off_preference(&mixed).is_empty());
        assert!(promise(None).off_preference(&mixed).is_empty());
    }

    #[test]
    fn week_plans_top_up_to_min_visits_and_respect_max() {
        let p = Promise {
            min_visits: Some(3),
            ..promise(Some(Frequency::Fortnightly))
        };
        let plans = p.week_plans(4);
        assert_eq!(plans[0], vec![0, 1, 2]);
        assert!(plans.iter().all(|l| l.len() >= 3));
        let capped = Promise {
            max_visits: Some(2),
            ..promise(Some(Frequency::Weekly))
        };
        assert!(capped.week_plans(4).is_empty());
        let spread = Promise {
            min_visits: Some(2),
            ..promise(None)
        };
        assert_eq!(spread.week_plans(4), vec![vec![0, 2]]);
    }
}
