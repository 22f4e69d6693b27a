use super::*;

mod fleet;
mod reach;

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
fn overlapping_slots_are_rejected() {
    let text = MINIMAL.replace("start = \"14:00\"", "start = \"11:00\"");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("slots[1].start"));
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
