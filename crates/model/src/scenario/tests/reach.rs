//! The reach model and the objective's value: decay curves, own-commune rule, repeat factors.

use super::super::*;
use super::MINIMAL;

#[test]
fn the_default_reach_counts_the_own_commune_in_full_and_decays_by_steps() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    let r = &s.reach;
    assert!(!r.is_hard());
    assert_eq!(r.radius(), Seconds::from_minutes(20));
    for (drive, share) in [
        (0, 1.0),
        (120, 1.0),
        (121, 0.5),
        (300, 0.5),
        (301, 0.3),
        (600, 0.3),
        (601, 0.1),
        (1200, 0.1),
        (1201, 0.0),
    ] {
        assert_eq!(r.share(Seconds(drive)), share, "{drive} s");
    }
    assert_eq!(r.share_at(Seconds(900), true), 1.0);
    assert_eq!(r.share_at(Seconds(900), false), 0.1);
    assert_eq!(r.share_at(Seconds(1201), true), 0.0, "beyond the reach");
    // A hard radius: the own commune changes nothing.
    let hard = MINIMAL.replacen("[[slots]]", "[reach]\nradius_minutes = 10\n[[slots]]", 1);
    let h = Scenario::parse(&hard, None).unwrap().reach;
    assert!(h.is_hard());
    assert_eq!(h.share_at(Seconds(700), true), 0.0);
    assert_eq!(h.share_at(Seconds(600), false), 1.0);
    // Own commune off, a written curve as steps.
    let curve = MINIMAL.replacen(
        "[[slots]]",
        "[reach]\nown_commune = false\nshape = \"steps\"\n\
         decay = [{ minutes = 5, share = 1.0 }, { minutes = 10, share = 0.4 }]\n[[slots]]",
        1,
    );
    let c = Scenario::parse(&curve, None).unwrap().reach;
    assert_eq!(c.share_at(Seconds(400), true), 0.4);
    assert_eq!(c.share_at(Seconds(601), true), 0.0);
    let shape_alone = MINIMAL.replacen("[[slots]]", "[reach]\nshape = \"steps\"\n[[slots]]", 1);
    let e = Scenario::parse(&shape_alone, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reach.shape"), "{e}");
}

#[test]
fn repeats_are_ranked_over_the_cycle_by_default() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    assert_eq!(s.objective.repeat_factors, DEFAULT_REPEAT_FACTORS);
    assert_eq!(s.objective.repeat_value(2), 0.5);
    assert_eq!((s.objective.period_of(1), s.objective.periods(2)), (0, 1));
    let weekly = MINIMAL.replacen(
        "[[slots]]",
        "[objective]\nrepeat_period = \"week\"\nrepeat_factors = []\n[[slots]]",
        1,
    );
    let w = Scenario::parse(&weekly, None).unwrap();
    assert_eq!((w.objective.period_of(1), w.objective.periods(2)), (1, 2));
    assert!(w.objective.repeat_factors.is_empty());
}

#[test]
fn repeat_factors_give_diminishing_returns_and_are_checked() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    assert_eq!(s.objective.weekly_share(0), 0.0);
    // The default factors: 1 + 0.5 + 0.25, then + 0.125, then nothing more.
    assert_eq!(s.objective.weekly_share(3), 1.75);
    assert_eq!(s.objective.weekly_share(6), 1.875);
    let text = MINIMAL.replacen(
        "[[slots]]",
        "[objective]\nrepeat_factors = [0.5, 0.25]\n[[slots]]",
        1,
    );
    let s = Scenario::parse(&text, None).unwrap();
    assert_eq!(s.objective.repeat_value(2), 0.5);
    assert_eq!(s.objective.repeat_value(4), 0.0);
    assert_eq!(s.objective.weekly_share(2), 1.5);
    assert_eq!(s.objective.weekly_share(9), 1.75);
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&t, None).unwrap(), s);
    let rising = text.replace("[0.5, 0.25]", "[0.25, 0.5]");
    let e = Scenario::parse(&rising, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("objective.repeat_factors"), "{e}");
    assert!(e.line.is_some());
    let e = Scenario::parse(&text.replace("[0.5, 0.25]", "[1.5]"), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("objective.repeat_factors"), "{e}");
}

fn with_reach(reach: &str) -> String {
    MINIMAL.replacen("[[slots]]", &format!("{reach}\n[[slots]]"), 1)
}

#[test]
fn reach_share_with_a_hard_radius_is_all_or_nothing() {
    let s = Scenario::parse(&with_reach("[reach]\nradius_minutes = 15"), None).unwrap();
    assert_eq!(s.reach.radius(), Seconds(900));
    assert_eq!(s.reach.share(Seconds(0)), 1.0);
    assert_eq!(s.reach.share(Seconds(900)), 1.0);
    assert_eq!(s.reach.share(Seconds(901)), 0.0);
    let s = Scenario::parse(&with_reach("[reach]\nradius_minutes = 8"), None).unwrap();
    assert_eq!(s.reach.share(Seconds(480)), 1.0);
    assert_eq!(s.reach.share(Seconds(481)), 0.0);
}

#[test]
fn reach_share_follows_the_decay_curve() {
    let text = with_reach(
        "[reach]\ndecay = [{ minutes = 10, share = 1.0 }, { minutes = 20, share = 0.5 }, \
         { minutes = 30, share = 0.0 }]",
    );
    let s = Scenario::parse(&text, None).unwrap();
    let r = &s.reach;
    assert_eq!(r.radius(), Seconds::from_minutes(30));
    assert_eq!(r.share(Seconds(0)), 1.0);
    assert_eq!(r.share(Seconds(600)), 1.0);
    assert_eq!(r.share(Seconds(900)), 0.75);
    assert_eq!(r.share(Seconds(1200)), 0.5);
    assert_eq!(r.share(Seconds(1500)), 0.25);
    assert_eq!(r.share(Seconds(1800)), 0.0);
    assert_eq!(r.share(Seconds(5000)), 0.0);
    // Never rising with the drive.
    let mut last = 1.0;
    for t in 0..2000 {
        let x = r.share(Seconds(t));
        assert!(x <= last && (0.0..=1.0).contains(&x), "{t}: {x}");
        last = x;
    }
    // A curve ending above 0 stops at its last point; a first share below 1
    // holds before the first point.
    let s = Scenario::parse(
        &with_reach(
            "[reach]\ndecay = [{ minutes = 5, share = 0.8 }, { minutes = 12, share = 0.4 }]",
        ),
        None,
    )
    .unwrap();
    assert_eq!(s.reach.radius(), Seconds(720));
    assert_eq!(s.reach.share(Seconds(60)), 0.8);
    assert_eq!(s.reach.share(Seconds(720)), 0.4);
    assert_eq!(s.reach.share(Seconds(721)), 0.0);
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&t, None).unwrap(), s);
}

#[test]
fn bad_decay_curves_name_their_point_and_line() {
    let curve = |points: &str| with_reach(&format!("[reach]\ndecay = [\n{points}\n]"));
    let err = |text: String| Scenario::parse(&text, None).unwrap_err();
    let e = err(curve(
        "{ minutes = 10, share = 1.0 },\n{ minutes = 20, share = 0.5 },\n{ minutes = 20, share = 0.0 },",
    ));
    assert_eq!(e.field.as_deref(), Some("reach.decay[2].minutes"), "{e}");
    // The element's own line: MINIMAL's line 12 is `[[slots]]`, pushed down.
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let text = curve(
        "{ minutes = 10, share = 1.0 },\n{ minutes = 20, share = 0.5 },\n{ minutes = 20, share = 0.0 },",
    );
    assert_eq!(
        e.line,
        Some(line_of(&text, "{ minutes = 20, share = 0.0 }"))
    );
    let e = err(curve(
        "{ minutes = 10, share = 0.5 },\n{ minutes = 20, share = 0.7 },",
    ));
    assert_eq!(e.field.as_deref(), Some("reach.decay[1].share"), "{e}");
    assert!(e.message.contains("cannot be worth more"), "{e}");
    let e = err(curve("{ minutes = 10, share = 1.5 },"));
    assert_eq!(e.field.as_deref(), Some("reach.decay[0].share"), "{e}");
    let e = err(curve("{ minutes = 10, share = 0.0 },"));
    assert_eq!(e.field.as_deref(), Some("reach.decay[0].share"), "{e}");
    let e = err(curve("{ minutes = 0, share = 1.0 },"));
    assert_eq!(e.field.as_deref(), Some("reach.decay[0].minutes"), "{e}");
    let e = err(curve(""));
    assert_eq!(e.field.as_deref(), Some("reach.decay"), "{e}");
    assert!(e.line.is_some(), "{e}");
    let e = err(with_reach(
        "[reach]\nradius_minutes = 12\ndecay = [{ minutes = 10, share = 1.0 }]",
    ));
    assert_eq!(e.field.as_deref(), Some("reach.radius_minutes"), "{e}");
    assert!(e.message.contains("not both"), "{e}");
    let e = err(with_reach(
        "[reach]\ndecay = [{ minutes = 10, share = 1.0, radius = 3 }]",
    ));
    assert!(e.message.contains("champ inconnu"), "{e}");
    let e = err(with_reach("[reach]\nradius_minutes = 0"));
    assert_eq!(e.field.as_deref(), Some("reach.radius_minutes"), "{e}");
}

#[test]
fn weekly_value_sorts_shares_and_applies_repeat_factors() {
    let mut o = Objective {
        repeat_factors: Vec::new(),
        ..Objective::default()
    };
    // No repeat factors: the best share.
    assert_eq!(o.weekly_value(&mut [0.25, 0.75, 0.5]), 0.75);
    assert_eq!(o.weekly_value(&mut []), 0.0);
    o.repeat_factors = vec![0.5, 0.25];
    assert_eq!(
        o.weekly_value(&mut [0.25, 1.0, 0.5, 0.5]),
        1.0 + 0.5 * 0.5 + 0.5 * 0.25
    );
    for n in 0..6 {
        assert_eq!(o.weekly_value(&mut vec![1.0; n]), o.weekly_share(n as u32));
    }
    // Adding a reach adds exactly the difference, and the levels sum to the same.
    let cases: [&[f64]; 5] = [&[], &[1.0], &[0.5, 0.25], &[1.0, 0.75, 0.75], &[0.1, 0.9]];
    for objective in [Objective::default(), o.clone()] {
        for existing in cases {
            for new in [1.0, 0.75, 0.5, 0.3, 0.1] {
                let mut sorted = existing.to_vec();
                let before = objective.weekly_value(&mut sorted);
                let mut all = [existing, &[new]].concat();
                let after = objective.weekly_value(&mut all);
                let added = objective.added_value(&sorted, new);
                assert!(
                    (after - before - added).abs() < 1e-12,
                    "{existing:?} + {new}"
                );
                assert!(added >= 0.0);
                let by_levels: f64 = share_steps(all.iter().copied())
                    .into_iter()
                    .map(|(level, step)| {
                        let n = all.iter().filter(|&&s| s >= level).count() as u32;
                        step * objective.weekly_share(n)
                    })
                    .sum();
                assert!((after - by_levels).abs() < 1e-12, "{all:?}");
            }
        }
    }
    // Hard radius: exactly the repeat value, as before decay existed.
    for n in 0..5 {
        assert_eq!(
            o.added_value(&vec![1.0; n], 1.0),
            o.repeat_value(n as u32 + 1)
        );
    }
    assert_eq!(share_steps([1.0, 1.0]), vec![(1.0, 1.0)]);
}
