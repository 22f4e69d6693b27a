//! Vehicles, crews and their rules: cargo bikes, licences and EU driving time, contracts, hours.

use super::super::*;
use super::MINIMAL;

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
fn contract_above_legal_maximum_is_rejected() {
    let text = MINIMAL.replace("name = \"B\"", "name = \"B\"\nmax_hours_per_week = 50");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("mediators[1].max_hours_per_week"));
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
