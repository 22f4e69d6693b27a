//! The checker catches each kind of broken rule: a valid plan is made on a small
//! hand-made territory, then broken one rule at a time.
//!
//! ```text
//!   0 ─ 1 ─ 2 ─ 3 ─ 4      a row of villages 1.3 km apart on a tertiary road;
//!   │               │      a market at 1 (Tuesday mornings), a church at 3,
//!   9 ─ 8 ─ 7 ─ 6 ─ 5      a village hall at 7; the depot at 0.
//! ```

mod common;

use tournee_model::{NoProgress, OsmRef, Plan, Scenario};
use tournee_pipeline::Territory;

use common::hand_made::{territory, SCENARIO};

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

#[test]
fn each_broken_rule_is_named() {
    let t = territory();
    let sc = Scenario::parse(SCENARIO, None).unwrap();
    let plan = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap().plan;
    assert!(rules_broken(&plan, &t, &sc).is_empty());
    // The market is used on Tuesday morning, and only then.
    let market = OsmRef::node(100);
    let market_days: Vec<_> = plan
        .visits()
        .filter(|(_, v)| v.site == market)
        .map(|(r, v)| (r.date.to_string(), v.slot.clone()))
        .collect();
    let all: Vec<_> = plan
        .visits()
        .map(|(r, v)| (r.date.to_string(), v.slot.clone(), v.site.to_string()))
        .collect();
    assert_eq!(
        market_days,
        vec![("2027-03-02".to_string(), "matin".to_string())],
        "{all:?} {:?}",
        plan.unplaced
    );
    let tuesday = plan
        .routes
        .iter()
        .position(|r| r.date.to_string() == "2027-03-02")
        .unwrap();

    let broken = |f: &dyn Fn(&mut Plan)| {
        let mut p = plan.clone();
        f(&mut p);
        rules_broken(&p, &t, &sc)
    };
    // Market on a Monday.
    assert!(broken(&|p| {
        p.routes[tuesday].date = "2027-03-01".parse().unwrap();
        p.routes[tuesday].weekday = tournee_model::Weekday::Mon;
    })
    .contains(&"site hours"));
    // On the holiday.
    assert!(broken(&|p| {
        p.routes[tuesday].date = "2027-03-03".parse().unwrap();
        p.routes[tuesday].weekday = tournee_model::Weekday::Wed;
    })
    .contains(&"holiday"));
    // A crew of one.
    assert_eq!(
        broken(&|p| {
            p.routes[tuesday].crew.truncate(1);
        }),
        vec!["crew size"]
    );
    // A mediator who does not exist, and one counted twice.
    assert!(broken(&|p| p.routes[tuesday].crew[1] = "zoe".into()).contains(&"crew"));
    assert!(
        broken(&|p| p.routes[tuesday].crew[1] = p.routes[tuesday].crew[0].clone())
            .contains(&"crew size")
    );
    // The same vehicle twice the same day.
    assert!(broken(&|p| {
        let r = p.routes[tuesday].clone();
        p.routes.push(r);
    })
    .contains(&"double booking"));
    // A day too long for B's 9 hours.
    assert!(broken(&|p| {
        p.routes[tuesday].depart = tournee_model::TimeOfDay::hm(8, 0);
        p.routes[tuesday].back = tournee_model::TimeOfDay::hm(18, 0);
    })
    .contains(&"daily hours"));
    // Back at the depot before the drive home is done.
    assert!(broken(&|p| {
        let r = &mut p.routes[tuesday];
        r.back = r.visits.last().unwrap().leave;
    })
    .contains(&"drive"));
    // A site the territory does not have.
    assert!(broken(&|p| p.routes[tuesday].visits[0].site = OsmRef::node(999)).contains(&"site"));
    // A slot the scenario does not have.
    assert!(broken(&|p| p.routes[tuesday].visits[0].slot = "soir".into()).contains(&"slot"));
}

/// "The village hall is free on Tuesdays only": a `[[site]]` rule of the scenario
/// that the optimiser keeps and the checker enforces (one rule in `model`).
#[test]
fn a_site_the_coordinator_keeps_for_tuesdays_is_used_on_tuesdays_only() {
    let t = territory();
    let hall = OsmRef::node(102);
    let free = Scenario::parse(SCENARIO, None).unwrap();
    let free_plan = tournee_pipeline::plan(&free, &t, &NoProgress).unwrap().plan;
    let off_tuesday = |plan: &Plan| {
        plan.visits()
            .filter(|(r, v)| v.site == hall && r.weekday != tournee_model::Weekday::Tue)
            .count()
    };
    // Without the rule the hall is used on another day: the test can see the rule.
    assert!(off_tuesday(&free_plan) > 0, "{:?}", free_plan.routes);

    let ruled = Scenario::parse(
        &format!("{SCENARIO}\n[[site]]\nosm = \"node/102\"\ndays = [\"mardi\"]\n"),
        None,
    )
    .unwrap();
    let plan = tournee_pipeline::plan(&ruled, &t, &NoProgress)
        .unwrap()
        .plan;
    assert!(rules_broken(&plan, &t, &ruled).is_empty());
    assert_eq!(off_tuesday(&plan), 0, "{:?}", plan.routes);
    assert!(
        plan.visits().any(|(_, v)| v.site == hall),
        "the hall is still used, on Tuesday"
    );
    // The checker rejects the plan made without the rule.
    assert!(rules_broken(&free_plan, &t, &ruled).contains(&"site hours"));
    // Hours too: a market day given by the coordinator where OSM has none.
    let bad = Scenario::parse(
        &format!("{SCENARIO}\n[[site]]\nosm = \"node/102\"\nhours = \"mardi matin\"\n"),
        None,
    )
    .unwrap_err();
    assert!(bad.to_string().contains("opening_hours"), "{bad}");
}
