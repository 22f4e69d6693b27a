use super::*;

pub(crate) const MINIMAL: &str = r#"
name = "Test"
start_date = "2027-01-04"
cycle_weeks = 2

[territory]
pbf = "demo.osm.pbf"

[[slots]]
name = "matin"
start = "09:30"
end = "12:00"

[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"

[[depots]]
id = "cs"
name = "Centre social"
lon = 0.5
lat = 45.5

[[vehicles]]
id = "bus-1"
name = "Bus 1"
depot = "cs"

[[mediators]]
id = "a"
name = "A"
base = "cs"

[[mediators]]
id = "b"
name = "B"
base = "cs"
"#;

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
fn the_lunch_break_needs_room_between_a_morning_and_an_afternoon_slot() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    assert_eq!(s.lunch_minutes, 45);
    let (am, pm) = (&s.slots[0], &s.slots[1]);
    assert_eq!(crate::lunch::between(&s, am, pm), Seconds::from_minutes(45));
    assert_eq!(crate::lunch::between(&s, pm, pm), Seconds::ZERO);
    // 12:30 packed up, 13:30 set-up: 60 min, 45 of them for lunch.
    assert_eq!(
        crate::lunch::longest_drive(&s, am, pm),
        Some(Seconds::from_minutes(15))
    );
    let long = MINIMAL.replacen("cycle_weeks = 2", "cycle_weeks = 2\nlunch_minutes = 75", 1);
    let e = Scenario::parse(&long, Some(Path::new("x.toml"))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("lunch_minutes"), "{e}");
    let line = long
        .lines()
        .position(|l| l.contains("lunch_minutes"))
        .map(|i| i + 1);
    assert_eq!(e.line, line, "{e}");
    assert!(e.to_string().contains("après-midi"), "{e}");
}

#[test]
fn minimal_scenario_parses_with_defaults() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    assert_eq!(s.cycle_weeks, 2);
    assert_eq!(s.days.len(), 5);
    assert_eq!(s.vehicles[0].crew_size, 2);
    assert_eq!(s.reach.radius(), Seconds::from_minutes(20));
    assert_eq!(s.cycle_days().len(), 10);
    assert_eq!(
        s.cycle_days()[5].date,
        NaiveDate::from_ymd_opt(2027, 1, 11).unwrap()
    );
}

#[test]
fn unknown_depot_names_field_and_line() {
    let text = MINIMAL.replace("depot = \"cs\"", "depot = \"nowhere\"");
    let e = Scenario::parse(&text, Some(Path::new("x.toml"))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].depot"));
    let expected_line = text
        .lines()
        .position(|l| l.contains("nowhere"))
        .map(|i| i + 1);
    assert_eq!(e.line, expected_line);
    let msg = e.to_string();
    assert!(msg.contains("x.toml") && msg.contains("nowhere"), "{msg}");
}

#[test]
fn syntax_error_names_line_and_field() {
    let text = MINIMAL.replace("depot = \"cs\"", "depot = 3");
    let e = Scenario::parse(&text, Some(Path::new("x.toml"))).unwrap_err();
    let expected_line = text.lines().position(|l| l == "depot = 3").map(|i| i + 1);
    assert_eq!(e.line, expected_line);
    assert_eq!(e.field.as_deref(), Some("vehicles[0].depot"));
}

#[test]
fn unknown_key_is_rejected() {
    let text = MINIMAL.replace("cycle_weeks = 2", "cycle_weeks = 2\ncylce = 3");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert!(e.message.contains("cylce"), "{}", e.message);
    assert_eq!(e.line, Some(5));
}

#[test]
fn absurd_weights_are_refused_with_their_field() {
    for (line, field) in [
        (
            "[objective]\ndefault_weight = 1e308",
            "objective.default_weight",
        ),
        (
            "[objective]\ndefault_weight = -1",
            "objective.default_weight",
        ),
        (
            "[objective.weights]\nBrumeval = 1e300",
            "objective.weights.Brumeval",
        ),
    ] {
        let text = format!("{MINIMAL}\n{line}\n");
        let e = Scenario::parse(&text, None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
        assert!(e.message.contains("poids"), "{}", e.message);
    }
    let fine = format!("{MINIMAL}\n[objective]\ndefault_weight = {MAX_WEIGHT}\n");
    assert!(Scenario::parse(&fine, None).is_ok());
}

#[test]
fn start_date_must_be_monday() {
    let text = MINIMAL.replace("2027-01-04", "2027-01-05");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("start_date"));
    assert!(e.message.contains("mardi"));
}

#[test]
fn cargo_bike_mode_and_its_rules() {
    let bike = MINIMAL.replace(
        "depot = \"cs\"\n",
        "depot = \"cs\"\nmode = \"cargo_bike\"\ncommunes = [\"Brumeval\"]\n",
    );
    let s = Scenario::parse(&bike, None).unwrap();
    let v = &s.vehicles[0];
    assert_eq!(v.mode, TravelMode::CargoBike);
    assert_eq!(v.bike_kmh(), DEFAULT_BIKE_KMH);
    assert_eq!(s.reach.walk_minutes, 10);
    assert_eq!(
        s.reach.radius_for(TravelMode::CargoBike),
        Seconds::from_minutes(10)
    );
    // No licence: a mediator who does not drive rides a cargo bike.
    let mut walker = s.mediators[0].clone();
    walker.licences.clear();
    assert!(walker.can_drive(v));
    assert!(!walker.can_drive(&Scenario::parse(MINIMAL, None).unwrap().vehicles[0]));
    // A cargo bike must say which communes it serves.
    let e = Scenario::parse(&bike.replace("communes = [\"Brumeval\"]\n", ""), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].communes"));
    // It has no weight, and rides at a plausible speed.
    let e = Scenario::parse(
        &bike.replace("mode =", "gross_weight_tonnes = 3.0\nmode ="),
        None,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].gross_weight_tonnes"));
    let e = Scenario::parse(&bike.replace("mode =", "speed_kmh = 45.0\nmode ="), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].speed_kmh"));
    // Bike fields on a bus are mistakes.
    let e = Scenario::parse(
        &MINIMAL.replace("depot = \"cs\"\n", "depot = \"cs\"\ncommunes = [\"X\"]\n"),
        None,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].communes"));
    let e = Scenario::parse(&format!("{bike}\n[reach]\nwalk_minutes = 0\n"), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("reach.walk_minutes"));
    // A car-only scenario serialises as before: no mode, no walk.
    let car = Scenario::parse(MINIMAL, None).unwrap();
    let text = toml::to_string(&car).unwrap();
    assert!(
        !text.contains("mode") && !text.contains("walk_minutes"),
        "{text}"
    );
    assert!(toml::to_string(&s)
        .unwrap()
        .contains("mode = \"cargo_bike\""));
}

#[test]
fn impossible_crew_is_explained() {
    let text = MINIMAL.replace("[[vehicles]]", "[[vehicles]]\ncrew_size = 3");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].crew_size"));
    assert!(e.message.contains("équipage de 3"), "{}", e.message);
}

#[test]
fn overlapping_slots_are_rejected() {
    let text = MINIMAL.replace("start = \"14:00\"", "start = \"11:00\"");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("slots[1].start"));
}

#[test]
fn contract_above_legal_maximum_is_rejected() {
    let text = MINIMAL.replace("name = \"B\"", "name = \"B\"\nmax_hours_per_week = 50");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("mediators[1].max_hours_per_week"));
}

#[test]
fn contact_is_optional_and_checked() {
    assert_eq!(Scenario::parse(MINIMAL, None).unwrap().contact, None);
    let with = |contact: &str| MINIMAL.replacen("[[slots]]", &format!("{contact}\n[[slots]]"), 1);
    let good = with("[contact]\nname = \"Centre social\"\nphone = \"05 45 00 00 00\"\n");
    let s = Scenario::parse(&good, None).unwrap();
    let c = s.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("05 45 00 00 00"));
    let text = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&text, None).unwrap(), s);

    let unreachable = with("[contact]\nname = \"Centre social\"\n");
    let e = Scenario::parse(&unreachable, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("contact"));
    let bad_mail = with("[contact]\nname = \"CS\"\nemail = \"nobody\"\n");
    let e = Scenario::parse(&bad_mail, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("contact.email"));
    assert!(e.line.is_some());
    let typo = with("[contact]\nname = \"CS\"\nfax = \"1\"\n");
    assert!(Scenario::parse(&typo, None)
        .unwrap_err()
        .message
        .contains("fax"));
}

#[test]
fn promises_parse_and_bad_ones_name_their_field_and_line() {
    let with = |p: &str| format!("{MINIMAL}\n[[promises]]\ncommune = \"Ayrac\"\n{p}\n");
    let s = Scenario::parse(
        &with("frequency = \"fortnightly\"\nweekday = \"tue\""),
        None,
    )
    .unwrap();
    let p = &s.promises[0];
    assert_eq!(p.frequency, Some(crate::Frequency::Fortnightly));
    assert_eq!(p.weekday, Some(Weekday::Tue));
    assert!(p.stable, "stable by default");
    let text = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&text, None).unwrap(), s);
    assert!(Scenario::parse(MINIMAL, None).unwrap().promises.is_empty());

    let err = |p: &str| {
        let text = with(p);
        let e = Scenario::parse(&text, Some(Path::new("p.toml"))).unwrap_err();
        (e, text)
    };
    let (e, _) = err("frequency = \"daily\"");
    assert_eq!(e.field.as_deref(), Some("promises[0].frequency"), "{e}");
    assert!(e.message.contains("daily"), "{e}");
    let (e, _) = err("stable = false");
    assert_eq!(e.field.as_deref(), Some("promises[0]"), "{e}");
    assert!(e.to_string().contains("a besoin d'une fréquence"), "{e}");
    let (e, text) = err("min_visits = 3\nmax_visits = 2");
    assert_eq!(e.field.as_deref(), Some("promises[0].max_visits"), "{e}");
    let line = text
        .lines()
        .position(|l| l == "max_visits = 2")
        .map(|i| i + 1);
    assert_eq!(e.line, line);
    let (e, _) = err("frequency = \"weekly\"\nmax_visits = 1");
    assert_eq!(e.field.as_deref(), Some("promises[0].max_visits"), "{e}");
    assert!(e.message.contains("au moins 2"), "{e}");
    let (e, _) = err("min_visits = 3");
    assert_eq!(e.field.as_deref(), Some("promises[0].min_visits"), "{e}");
    assert!(e.message.contains("un par semaine"), "{e}");
    assert!(Scenario::parse(&with("min_visits = 3\nstable = false"), None).is_ok());
    let (e, _) = err("frequency = \"weekly\"\nweekday = \"sat\"");
    assert_eq!(e.field.as_deref(), Some("promises[0].weekday"), "{e}");
    let (e, _) = err("frequency = \"weekly\"\nslot = \"soir\"");
    assert_eq!(e.field.as_deref(), Some("promises[0].slot"), "{e}");
    let (e, _) = err("frequency = \"weekly\"\nstrict = true");
    assert_eq!(e.field.as_deref(), Some("promises[0].strict"), "{e}");
    let strict = Scenario::parse(
        &with("frequency = \"weekly\"\nweekday = \"tue\"\nstrict = true"),
        None,
    )
    .unwrap();
    assert!(strict.promises[0].strict);
    let twice = format!(
        "{}[[promises]]\ncommune = \"ayrac\"\nmin_visits = 1\n",
        with("min_visits = 1")
    );
    let e = Scenario::parse(&twice, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("promises[1].commune"), "{e}");
    let (e, _) = err("frequency = \"weekly\"\nday = \"tue\"");
    assert!(e.message.contains("day"), "{e}");
}

#[test]
fn school_holidays_parse_pause_tours_when_asked_and_are_checked() {
    let text = MINIMAL.replace(
        "cycle_weeks = 2",
        "cycle_weeks = 2\nschool_holidays = [{ from = \"2027-01-09\", to = \"2027-01-17\" }]",
    );
    let s = Scenario::parse(&text, None).unwrap();
    let d = |x: &str| x.parse::<NaiveDate>().unwrap();
    assert!(s.is_school_holiday(d("2027-01-11")));
    assert!(!s.is_school_holiday(d("2027-01-18")));
    // Without the pause, school holidays are working days.
    assert_eq!(s.day_off(d("2027-01-11")), None);
    let paused =
        Scenario::parse(&format!("pause_in_school_holidays = true\n{text}"), None).unwrap();
    assert!(paused
        .day_off(d("2027-01-11"))
        .unwrap()
        .contains("vacances scolaires"));
    assert_eq!(paused.day_off(d("2027-01-08")), None);
    let t = toml::to_string(&paused).unwrap();
    assert_eq!(Scenario::parse(&t, None).unwrap(), paused);

    let backwards = text.replace("\"2027-01-17\"", "\"2027-01-02\"");
    let e = Scenario::parse(&backwards, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("school_holidays[0].to"), "{e}");
    let typo = text.replace("to = ", "until = ");
    let e = Scenario::parse(&typo, None).unwrap_err();
    assert!(e.message.contains("until"), "{e}");
    assert_eq!(e.line, Some(5));
}

#[test]
fn heavy_vehicles_need_a_licensed_driver() {
    let heavy = MINIMAL.replace("depot = \"cs\"", "depot = \"cs\"\ngross_weight_tonnes = 7");
    let e = Scenario::parse(&heavy, None).unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("vehicles[0].gross_weight_tonnes"),
        "{e}"
    );
    assert!(e.message.contains("permis C1"), "{e}");
    let line = heavy
        .lines()
        .position(|l| l.starts_with("gross_weight"))
        .map(|i| i + 1);
    assert_eq!(e.line, line);
    let licensed = heavy.replace("name = \"B\"", "name = \"B\"\nlicences = [\"B\", \"C1\"]");
    let s = Scenario::parse(&licensed, None).unwrap();
    let v = &s.vehicles[0];
    assert!(v.is_heavy() && v.licence_needed() == "C1");
    assert!(s.mediators[1].can_drive(v) && !s.mediators[0].can_drive(v));
    // Over 7.5 t, C1 is not enough.
    let big = licensed.replace("gross_weight_tonnes = 7", "gross_weight_tonnes = 12");
    assert!(Scenario::parse(&big, None).is_err());
    // Nobody drives: even a light vehicle cannot go out.
    let walkers = MINIMAL.replace("base = \"cs\"", "base = \"cs\"\nlicences = []");
    let e = Scenario::parse(&walkers, None).unwrap_err();
    assert!(e.message.contains("permis B"), "{e}");
    let e = Scenario::parse(
        &MINIMAL.replace("name = \"B\"", "name = \"B\"\nlicences = [\"X\"]"),
        None,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("mediators[1].licences"));
    // EU driving time.
    let h = Seconds::from_minutes;
    assert!(v.driving_rules(&[h(200), h(200), h(100)], 1).is_ok());
    let long_day = [h(200), h(200), h(200)];
    assert!(v
        .driving_rules(&long_day, 1)
        .unwrap_err()
        .contains("2 conducteur(s) nécessaire(s) à 9 h"));
    // Two licensed drivers share the day, changing at a stop.
    assert!(v.driving_rules(&long_day, 2).is_ok());
    // Consecutive legs per driver: five legs of 3 h 20 (16 h 40 in all) need
    // three drivers, as no one drives three in a row.
    let uneven = [h(200); 5];
    assert!(v.driving_rules(&uneven, 2).is_err());
    assert!(v.driving_rules(&uneven, 3).is_ok());
    assert!(v
        .driving_rules(&[h(280)], 2)
        .unwrap_err()
        .contains("45 minutes"));
    assert!(s.vehicles[0].driving_rules(&[h(280)], 1).is_err());
    let light = Scenario::parse(MINIMAL, None).unwrap();
    assert!(light.vehicles[0].driving_rules(&[h(600)], 1).is_ok());
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

#[test]
fn scenario_round_trips_through_toml() {
    let s = Scenario::parse(MINIMAL, None).unwrap();
    let text = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&text, None).unwrap(), s);
}

#[test]
fn demand_fields_are_validated() {
    let with = |d: &str| format!("{MINIMAL}\n[demand]\n{d}\n");
    let field = |d: &str| {
        let e = Scenario::parse(&with(d), Some(Path::new("d.toml"))).unwrap_err();
        assert!(e.line.is_some(), "{e}");
        e.field.unwrap()
    };
    assert_eq!(field(r#"communes = "c.csv""#), "demand.communes");
    assert_eq!(field("vintage = 2024"), "demand.vintage");
    assert_eq!(
        field("communes = \"c.csv\"\nvintage = 1800"),
        "demand.vintage"
    );
    assert_eq!(field(r#"weight_column = "IFN""#), "demand.weight_column");
    assert_eq!(
        field("weights = \"w.csv\"\nweight_column = \" \""),
        "demand.weight_column"
    );
    assert_eq!(field(r#"weights = """#), "demand.weights");
    assert_eq!(field(""), "demand");
    let e = Scenario::parse(&with("communes_file = \"c.csv\""), None).unwrap_err();
    assert!(e.message.contains("champ inconnu"), "{e}");
    let s = Scenario::parse(&with("communes = \"c.csv\"\nvintage = 2024"), None).unwrap();
    assert_eq!(s.demand.as_ref().unwrap().vintage, Some(2024));
    // parse() reads no file.
    assert_eq!(s.communes, None);
    let text = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&text, None).unwrap(), s);
}

#[test]
fn load_reads_the_demand_files_and_the_scenario_weights_win() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("communes.csv"),
        "CODGEO;LIBGEO;PMUN;IFN\n00001;Aubrac;800;1.5\n00002;Brès;300;0.5\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("fragilite.csv"),
        "CODGEO;weight\n00002;2\n00003;3\n",
    )
    .unwrap();
    let text = format!(
        "{MINIMAL}\n[objective.weights]\n\"00003\" = 9.0\n\n[demand]\ncommunes = \"communes.csv\"\nvintage = 2024\nweight_column = \"IFN\"\nweights = \"fragilite.csv\"\n"
    );
    let path = dir.path().join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let s = Scenario::load(&path).unwrap();
    assert_eq!(s.communes.as_ref().unwrap().rows.len(), 2);
    let w = &s.objective.weights;
    // Table < weights file < scenario.
    assert_eq!(w.get("00001"), Some(&1.5));
    assert_eq!(w.get("00002"), Some(&2.0));
    assert_eq!(w.get("00003"), Some(&9.0));
    // A bad weights file: the scenario's field, and the file's line and column.
    std::fs::write(dir.path().join("fragilite.csv"), "CODGEO;weight\n00002;x\n").unwrap();
    let e = Scenario::load(&path).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("demand.weights"));
    assert!(e.line.is_some());
    assert!(
        e.message.contains("fragilite.csv, line 2, column `weight`"),
        "{e}"
    );
    std::fs::remove_file(dir.path().join("communes.csv")).unwrap();
    let e = Scenario::load(&path).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("demand.communes"));
    assert!(e.message.contains("cannot read the file"), "{e}");
}

#[test]
fn home_visits_parse_take_the_days_off_the_buses_and_are_checked() {
    let three = MINIMAL.replace(
        "[[mediators]]\nid = \"b\"",
        "[[mediators]]\nid = \"c\"\nname = \"C\"\nbase = \"cs\"\n\n[[mediators]]\nid = \"b\"",
    );
    let with = |h: &str| format!("{three}\n[[home_visits]]\n{h}\nrequests = \"r.csv\"\n");
    let s = Scenario::parse(&with("mediator = \"c\"\ndays = [\"tue\"]"), None).unwrap();
    let h = &s.home_visits[0];
    assert_eq!(h.radius_km, 25.0);
    assert_eq!(h.visit_minutes, 60);
    assert_eq!(s.home_base(h).unwrap().id, "cs");
    let c = s.mediator("c").unwrap();
    assert!(!c.works_on(&s, Weekday::Tue), "no bus on a home-visit day");
    assert!(c.works_on(&s, Weekday::Mon) && c.works_on_weekday(&s, Weekday::Tue));
    assert!(s.mediator("a").unwrap().works_on(&s, Weekday::Tue));
    let t = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::parse(&t, None).unwrap(), s);

    let err = |h: &str| Scenario::parse(&with(h), Some(Path::new("h.toml"))).unwrap_err();
    let e = err("mediator = \"zoe\"\ndays = [\"tue\"]");
    assert_eq!(e.field.as_deref(), Some("home_visits[0].mediator"), "{e}");
    assert!(e.line.is_some() && e.message.contains("zoe"), "{e}");
    let e = err("mediator = \"c\"\ndays = [\"sat\"]");
    assert_eq!(e.field.as_deref(), Some("home_visits[0].days"), "{e}");
    let e = err("mediator = \"c\"\ndays = [\"tue\"]\nbase = \"x\"");
    assert_eq!(e.field.as_deref(), Some("home_visits[0].base"), "{e}");
    let e = err("mediator = \"c\"\ndays = [\"tue\"]\nradius_km = 0");
    assert_eq!(e.field.as_deref(), Some("home_visits[0].radius_km"), "{e}");
    let e = err("mediator = \"c\"\ndays = [\"tue\"]\nstart = \"06:00\"\nend = \"20:00\"");
    assert_eq!(e.field.as_deref(), Some("home_visits[0].end"), "{e}");
    // The bus then lacks a crew on Tuesdays if `a` visits homes too: the crew
    // rule sees the home-visit days.
    let two = MINIMAL.to_string() + "\n[[home_visits]]\nmediator = \"a\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nrequests = \"r.csv\"\n";
    let e = Scenario::parse(&two, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].crew_size"), "{e}");
}

#[test]
fn a_vehicle_back_before_the_first_slot_ends_is_refused_with_a_suggestion() {
    let text = MINIMAL.replacen(
        "id = \"bus-1\"",
        "id = \"bus-1\"\nlatest_return = \"11:00\"",
        1,
    );
    let e = Scenario::parse(&text, Some(Path::new("x.toml"))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("vehicles[0].latest_return"), "{e}");
    let line = text
        .lines()
        .position(|l| l.contains("11:00"))
        .map(|i| i + 1);
    assert_eq!(e.line, line, "{e}");
    assert!(e.to_string().contains("latest_return = \"12:30\""), "{e}");
    let late = MINIMAL.replacen(
        "id = \"bus-1\"",
        "id = \"bus-1\"\nearliest_departure = \"15:00\"",
        1,
    );
    let e = Scenario::parse(&late, None).unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("vehicles[0].earliest_departure"),
        "{e}"
    );
    assert!(e.to_string().contains("\"13:30\""), "{e}");
}

#[test]
fn dates_days_and_times_in_french_forms() {
    let french = MINIMAL
        .replace("start_date = \"2027-01-04\"", "start_date = \"04/01/2027\"\ndays = [\"mardi\", \"Jeu\", \"friday\"]\nholidays = [\"7/1/2027\"]")
        .replace("start = \"09:30\"", "start = \"9h30\"")
        .replace("end = \"12:00\"", "end = \"12h\"");
    let s = Scenario::parse(&french, None).unwrap();
    let iso = Scenario::parse(MINIMAL, None).unwrap();
    assert_eq!(s.start_date, iso.start_date);
    assert_eq!(s.days, vec![Weekday::Tue, Weekday::Thu, Weekday::Fri]);
    assert_eq!(
        s.holidays,
        vec![NaiveDate::from_ymd_opt(2027, 1, 7).unwrap()]
    );
    assert_eq!(s.slots, iso.slots);
    // A wrong form says which forms are expected, with its line and field.
    let bad = MINIMAL.replace("\"2027-01-04\"", "\"2027.01.04\"");
    let e = tournee_i18n::with_lang(tournee_i18n::Lang::Fr, || {
        Scenario::parse(&bad, Some(Path::new("s.toml"))).unwrap_err()
    });
    assert_eq!(e.line, Some(3), "{e}");
    assert!(
        e.message.contains("04/01/2027") || e.message.contains("06/05/2027"),
        "{e}"
    );
    assert!(e.message.contains("2027-05-06"), "{e}");
    let day = MINIMAL.replace("cycle_weeks = 2", "cycle_weeks = 2\ndays = [\"mardy\"]");
    let e = tournee_i18n::with_lang(tournee_i18n::Lang::Fr, || {
        Scenario::parse(&day, None).unwrap_err()
    });
    assert!(
        e.message.contains("`mardy`") && e.message.contains("lundi"),
        "{e}"
    );
    let shown = tournee_i18n::with_lang(tournee_i18n::Lang::Fr, || e.to_string());
    assert!(shown.starts_with("scénario, ligne"), "{shown}");
}
