//! The coordinator's rules (`model::rules`) end to end on the small hand-made
//! territory: the optimiser keeps each rule, the checker rejects a plan that breaks
//! it, and what makes no sense is reported with its line and a suggestion.

mod common;

use common::hand_made::{territory, SCENARIO};
use tournee_model::rules::{added_site_ref, DAY_NOT_USED, IDLE_REASON, RULE_NOT_KEPT};
use tournee_model::{NoProgress, OsmRef, Plan, Scenario};
use tournee_pipeline::{PipelineError, Territory};

fn scenario(top: &str, tail: &str) -> Scenario {
    let text = SCENARIO.replacen("\ndays = [", &format!("\n{top}\ndays = ["), 1);
    Scenario::parse(&format!("{text}\n{tail}\n"), None).unwrap()
}

fn rules_broken(plan: &Plan, t: &Territory, sc: &Scenario) -> Vec<&'static str> {
    let mut rules: Vec<&str> = tournee_pipeline::check_with(plan, t, sc)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

fn visits_at(plan: &Plan, site: OsmRef) -> usize {
    plan.visits().filter(|(_, v)| v.site == site).count()
}

#[test]
fn a_site_cap_is_kept_by_the_optimiser_and_checked() {
    let t = territory();
    let free = scenario("cycle_weeks = 2", "");
    let free_plan = tournee_pipeline::plan(&free, &t, &NoProgress).unwrap().plan;
    let (most, n) = [100, 101, 102]
        .map(OsmRef::node)
        .into_iter()
        .map(|s| (s, visits_at(&free_plan, s)))
        .max_by_key(|x| x.1)
        .unwrap();
    assert!(n >= 2, "a site used twice, so a cap can bind: {n}");
    let ruled = scenario(
        "cycle_weeks = 2",
        &format!("[[site]]\nosm = \"{most}\"\nmax_visits = 1\n"),
    );
    let plan = tournee_pipeline::plan(&ruled, &t, &NoProgress)
        .unwrap()
        .plan;
    assert_eq!(visits_at(&plan, most), 1, "{:?}", plan.routes);
    assert!(rules_broken(&plan, &t, &ruled).is_empty());
    assert_eq!(
        rules_broken(&free_plan, &t, &ruled),
        ["site max visits"],
        "the checker rejects the plan made without the cap"
    );
}

#[test]
fn a_site_added_by_coordinates_is_planned_and_checked() {
    let t = territory();
    // Node 5 of the hand-made territory; every OSM site closed.
    let lon = -2.5 + 4.0 * 0.012 / 45f64.to_radians().cos();
    let sc = scenario(
        "",
        &format!("[[site]]\nname = \"Aire du lavoir\"\nlat = 45.0\nlon = {lon}\nmax_visits = 1\n"),
    );
    let mut sc = sc;
    sc.sites.closed = [100, 101, 102].map(OsmRef::node).to_vec();
    let out = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    let added = added_site_ref("Aire du lavoir");
    assert!(added.id < 0);
    assert_eq!(visits_at(&out.plan, added), 1, "{:?}", out.plan.routes);
    let v = out.plan.visits().find(|(_, v)| v.site == added).unwrap().1;
    assert_eq!(v.commune, "Village 5");
    assert!(out.check.is_ok());
    // The same plan under a scenario without the site: unknown to the checker.
    let mut without = sc.clone();
    without.site_entries.clear();
    assert!(rules_broken(&out.plan, &t, &without).contains(&"site"));
}

#[test]
fn every_vehicle_day_is_used_or_says_why() {
    let t = territory();
    let free = scenario("cycle_weeks = 2", "");
    let free_plan = tournee_pipeline::plan(&free, &t, &NoProgress).unwrap().plan;
    let idle = |p: &Plan| {
        free.vehicle_days()
            .iter()
            .filter(|(_, d)| !p.routes.iter().any(|r| r.date == d.date))
            .count()
    };
    assert!(idle(&free_plan) > 0, "without the rule some day stays idle");
    let ruled = scenario("cycle_weeks = 2", "[rules]\nuse_every_vehicle_day = true\n");
    let plan = tournee_pipeline::plan(&ruled, &t, &NoProgress)
        .unwrap()
        .plan;
    assert!(plan.unplaced.iter().all(|u| u.reason != IDLE_REASON));
    assert!(idle(&plan) < idle(&free_plan));
    for (vi, day) in ruled.vehicle_days() {
        let id = &ruled.vehicles[vi].id;
        let used = plan
            .routes
            .iter()
            .any(|r| &r.vehicle == id && r.date == day.date);
        let said = plan.unplaced.iter().any(|u| {
            u.vehicle.as_ref() == Some(id)
                && u.date == Some(day.date)
                && u.reason.starts_with(DAY_NOT_USED)
        });
        assert!(used || said, "{id} {}", day.date);
    }
    assert!(plan.routes.len() > free_plan.routes.len());
    assert!(rules_broken(&plan, &t, &ruled).is_empty());
    assert!(rules_broken(&free_plan, &t, &ruled).contains(&"every vehicle day"));
}

#[test]
fn every_commune_is_visited_every_k_weeks_or_declared() {
    let t = territory();
    let ruled = scenario(
        "cycle_weeks = 2",
        "[rules]\nevery_commune_every_weeks = 2\n",
    );
    let plan = tournee_pipeline::plan(&ruled, &t, &NoProgress)
        .unwrap()
        .plan;
    for c in ["Village 1", "Village 3", "Village 7"] {
        assert!(
            plan.visits().any(|(_, v)| v.commune == c),
            "{c} has a site: visited; {:?}",
            plan.routes
        );
    }
    // Village 0 has no site: declared, as the rule's.
    let declared = |p: &Plan, c: &str| {
        p.unplaced
            .iter()
            .any(|u| u.commune.as_deref() == Some(c) && u.reason.starts_with(RULE_NOT_KEPT))
    };
    assert!(declared(&plan, "Village 0"), "{:?}", plan.unplaced);
    assert!(rules_broken(&plan, &t, &ruled).is_empty());
    // Without its declarations, the checker rejects it.
    let mut hidden = plan.clone();
    hidden.unplaced.retain(|u| u.commune.is_none());
    assert_eq!(rules_broken(&hidden, &t, &ruled), ["every commune"]);
}

#[test]
fn nonsense_is_reported_with_its_line_and_a_suggestion() {
    let t = territory();
    let text = SCENARIO.replace(
        "holidays = [\"2027-03-03\"]",
        "holidays = [\"2027-03-03\", \"2027-06-01\"]",
    );
    let sc = Scenario::parse(
        &format!("{text}\n[objective.weights]\n\"Vilage 2\" = 2.0\n"),
        None,
    )
    .unwrap();
    let prepared = tournee_pipeline::prepare(&sc, &t, &NoProgress).unwrap();
    let said: Vec<String> = prepared.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].contains("01/06/2027") && said[0].contains("holidays"),
        "{said:?}"
    );
    assert!(
        said[1].contains("vouliez-vous dire `Village 2`"),
        "{said:?}"
    );
    assert!(prepared.warnings[1].line.is_some());

    let sc = Scenario::parse(
        &format!("{SCENARIO}\n[[promises]]\ncommune = \"Vilage 3\"\nfrequency = \"weekly\"\n"),
        None,
    )
    .unwrap();
    let err = tournee_pipeline::plan(&sc, &t, &NoProgress).err().unwrap();
    assert!(matches!(err, PipelineError::UnknownCommune { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("`Village 3`") && text.contains("ligne"),
        "{text}"
    );
}

#[test]
fn a_preferred_weekday_not_honoured_is_reported_and_checked() {
    let t = territory();
    // Wednesday 3 March is a holiday: week 1's visit to Village 3 cannot be on the
    // Wednesday the commune prefers (a preference, not `strict`).
    let sc = scenario(
        "cycle_weeks = 2",
        "[[promises]]\ncommune = \"Village 3\"\nfrequency = \"weekly\"\nweekday = \"wed\"\nstable = false\n",
    );
    let out = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    assert!(out.check.is_ok(), "{:?}", out.check.violations);
    let plan = out.plan;
    let visits: Vec<_> = plan
        .routes
        .iter()
        .flat_map(|r| r.visits.iter().map(move |v| (r.weekday, v)))
        .filter(|(_, v)| v.commune == "Village 3")
        .collect();
    assert!(visits.len() >= 2, "{visits:?}");
    let off = visits
        .iter()
        .filter(|(d, _)| *d != tournee_model::Weekday::Wed)
        .count();
    assert!(off >= 1, "the holiday forces a visit off Wednesday");
    let notes: Vec<_> = plan
        .notes
        .iter()
        .filter(|n| n.commune == "Village 3")
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", plan.notes);
    assert_eq!(notes[0].kind, tournee_model::plan::PREFERENCE_MISSED);
    assert!(
        notes[0].message.contains("mercredi")
            && notes[0]
                .message
                .contains(&format!("{off} passage(s) sur {}", visits.len())),
        "{}",
        notes[0].message
    );
    // A preference, not a rule: the checker accepts the plan.
    assert!(rules_broken(&plan, &t, &sc).is_empty());
    // Made strict, the same promise cannot be kept in week 1: declared, not noted.
    let strict = scenario(
        "cycle_weeks = 2",
        "[[promises]]\ncommune = \"Village 3\"\nfrequency = \"weekly\"\nweekday = \"wed\"\nstable = false\nstrict = true\n",
    );
    let plan = tournee_pipeline::plan(&strict, &t, &NoProgress)
        .unwrap()
        .plan;
    assert!(plan.notes.is_empty(), "{:?}", plan.notes);
    assert!(plan
        .unplaced
        .iter()
        .any(|u| u.commune.as_deref() == Some("Village 3")
            && u.reason.starts_with(tournee_model::promise::NOT_KEPT)));
}

#[test]
fn an_idle_day_says_nothing_useful_only_when_it_is_true() {
    let t = territory();
    // Repeat visits are worth something again, so every day has a useful stop;
    // but the two mediators have 9 hours a week each: one day's crew at most.
    let text = SCENARIO
        .replace("repeat_factors = []\n", "")
        .replace("base = \"d\"\n", "base = \"d\"\nmax_hours_per_week = 9\n");
    let text = text.replacen("\ndays = [", "\ncycle_weeks = 2\ndays = [", 1);
    let sc = Scenario::parse(&text, None).unwrap();
    let out = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    assert!(out.check.is_ok(), "{:?}", out.check.violations);
    let plan = out.plan;
    let idle: Vec<_> = plan
        .unplaced
        .iter()
        .filter(|u| u.commune.is_none() && u.vehicle.is_some())
        .filter(|u| !plan.routes.iter().any(|r| Some(r.date) == u.date))
        .collect();
    assert!(
        idle.len() > 1,
        "the hours leave days idle: {:?}",
        plan.routes
            .iter()
            .map(|r| (r.date, r.depart, r.back, &r.crew))
            .collect::<Vec<_>>()
    );
    for u in idle {
        assert_ne!(u.reason, IDLE_REASON, "{:?}", plan.unplaced);
    }
    assert!(
        plan.unplaced
            .iter()
            .any(|u| u.reason.contains("heures hebdomadaires")),
        "{:?}",
        plan.unplaced
    );
}
