//! The `tournee` binary end to end, as a coordinator runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Datelike;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .args(["--quiet", "--lang", "en"])
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The demo scenario rewritten to use another territory file.
fn demo_with_pbf(dir: &Path, pbf: &Path) -> PathBuf {
    let demo = std::fs::read_to_string(root().join("scenarios/demo.toml")).unwrap();
    let text = demo.replace(
        "pbf = \"../osm-data/demo.osm.pbf\"",
        &format!("pbf = {:?}", pbf.display().to_string()),
    );
    assert_ne!(text, demo, "the demo scenario names its PBF as expected");
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn demo_plan_is_written_and_passes_the_checker() {
    let out = tempfile::tempdir().unwrap();
    let o = tournee(&[
        "plan",
        "scenarios/demo.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("no violation"), "{t}");
    for f in ["plan.json", "plan.html", "stops.geojson"] {
        assert!(out.path().join(f).is_file(), "{f} missing: {t}");
    }
    let calendars: Vec<_> = std::fs::read_dir(out.path().join("calendriers"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .collect();
    assert!(calendars.len() >= 5, "{} calendars", calendars.len());

    let plan_path = out.path().join("plan.json");
    let o = tournee(&[
        "check",
        plan_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("OK"), "{}", text(&o));

    // The plan uses both buses, both slots, crews of two, and respects the holiday.
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    let routes = plan["routes"].as_array().unwrap();
    assert!(routes.iter().any(|r| r["vehicle"] == "bus-2"));
    assert!(routes.iter().all(|r| r["date"] != "2027-03-10"));
    assert!(routes
        .iter()
        .all(|r| r["crew"].as_array().unwrap().len() == 2));
    assert!(
        plan["summary"]["reachable_population_per_week"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    let unplaced = plan["unplaced"].as_array().unwrap();
    assert!(unplaced.iter().any(|u| u["date"] == "2027-03-10"));

    // A plan edited by hand so that a bus is at two places at once is rejected.
    let bad_path = out.path().join("bad.json");
    let mut bad = plan.clone();
    bad["routes"][0]["visits"][0]["arrive"] = serde_json::json!("11:50");
    assert_rejected(&bad, &bad_path, "[drive]");
    // So is one that claims more population than it reaches.
    let mut bad = plan.clone();
    bad["summary"]["reachable_population_per_week"] = serde_json::json!(1e9);
    assert_rejected(&bad, &bad_path, "[objective]");
}

/// `tournee check` rejects `plan` (exit 2) naming the broken `rule`.
fn assert_rejected(plan: &serde_json::Value, path: &Path, rule: &str) {
    std::fs::write(path, plan.to_string()).unwrap();
    let o = tournee(&[
        "check",
        path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains(rule), "{}", text(&o));
}

fn assert_clean_failure(o: &Output, expected: &[&str]) {
    let t = text(o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(!t.contains("panicked"), "{t}");
    assert!(t.starts_with("error: "), "{t}");
    for e in expected {
        assert!(t.contains(e), "missing `{e}` in: {t}");
    }
}

#[test]
fn missing_pbf_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = demo_with_pbf(dir.path(), &dir.path().join("nowhere.osm.pbf"));
    let o = tournee(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_clean_failure(&o, &["cannot open the OSM file", "nowhere.osm.pbf"]);
}

#[test]
fn truncated_and_corrupted_pbf_are_clear_errors() {
    let bytes = std::fs::read(root().join("osm-data/demo.osm.pbf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("header-only", bytes[..40.min(bytes.len())].to_vec()),
        ("corrupted", {
            let mut b = bytes.clone();
            let mid = b.len() / 3;
            for x in &mut b[mid..mid + 64] {
                *x ^= 0x5a;
            }
            b
        }),
        ("not-a-pbf", b"<?xml version='1.0'?><osm></osm>".to_vec()),
    ];
    for (name, data) in cases {
        let pbf = dir.path().join(format!("{name}.osm.pbf"));
        std::fs::write(&pbf, data).unwrap();
        let scenario = demo_with_pbf(dir.path(), &pbf);
        let o = tournee(&[
            "plan",
            scenario.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert_clean_failure(&o, &[name]);
    }
}

#[test]
fn malformed_scenario_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(root().join("scenarios/demo.toml")).unwrap();
    let bad = demo.replace("radius_minutes = 8", "radius_minutes = \"eight\"");
    let line = bad.lines().position(|l| l.contains("eight")).unwrap() + 1;
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, bad).unwrap();
    let o = tournee(&["plan", path.to_str().unwrap()]);
    assert_clean_failure(
        &o,
        &["bad.toml", &format!("line {line}"), "reach.radius_minutes"],
    );

    let o = tournee(&["plan", "scenarios/does-not-exist.toml"]);
    assert_clean_failure(&o, &["does-not-exist.toml", "cannot read"]);
}

/// Needs `../shared/data/osm/rutland-latest.osm.pbf` (real tags, real mess): CI has
/// `../shared` beside the clone; where it is missing, the test fails naming the file.
#[test]
fn rutland_extract_plans_and_checks() {
    let pbf = root().join("../shared/data/osm/rutland-latest.osm.pbf");
    assert!(
        pbf.is_file(),
        "{} is missing: this test needs the shared data beside the clone (see README)",
        pbf.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("tests/fixtures/rutland.toml");
    let scenario_text = std::fs::read_to_string(&scenario)
        .unwrap()
        .replace("RUTLAND_PBF", &pbf.display().to_string());
    let path = dir.path().join("rutland.toml");
    std::fs::write(&path, scenario_text).unwrap();
    let out = dir.path().join("out");
    let o = tournee(&[
        "plan",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = tournee(&[
        "check",
        out.join("plan.json").to_str().unwrap(),
        "--scenario",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}

/// `tournee publish` on a plan edited by hand, with the plan it replaces: the notice
/// names the communes whose visits changed, and only their calendars get a higher
/// SEQUENCE.
#[test]
fn publish_with_a_previous_plan_notifies_the_changed_communes() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("v1");
    let o = tournee(&[
        "plan",
        "scenarios/demo.toml",
        "--out",
        first.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    for f in [
        "calendriers/sequences.json",
        "visites.csv",
        "gtfs/stop_times.txt",
    ] {
        assert!(first.join(f).is_file(), "{f} missing after `plan`");
    }
    assert!(first.join("affiches").read_dir().unwrap().count() >= 5);
    let plan_path = first.join("plan.json");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();

    // Edit: the first route's first visit is removed, and the last route that can
    // moves one day later (not onto a Saturday nor the holiday).
    let mut edited = plan.clone();
    let routes = edited["routes"].as_array_mut().unwrap();
    let removed = routes[0]["visits"].as_array_mut().unwrap().remove(0);
    let removed_commune = removed["commune"].as_str().unwrap().to_string();
    let next_day = |r: &serde_json::Value| {
        let d: chrono::NaiveDate = r["date"].as_str().unwrap().parse().unwrap();
        d.succ_opt().unwrap()
    };
    let moved = routes
        .iter_mut()
        .skip(1)
        .rev()
        .find(|r| {
            let next = next_day(r);
            next.weekday() != chrono::Weekday::Sat && next.to_string() != "2027-03-10"
        })
        .expect("a route that can move");
    let next = next_day(moved);
    moved["date"] = serde_json::json!(next.to_string());
    moved["weekday"] = serde_json::json!(next.format("%a").to_string().to_lowercase());
    let moved_communes: Vec<String> = moved["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["commune"].as_str().unwrap().to_string())
        .collect();
    let edited_dir = dir.path().join("edit");
    std::fs::create_dir_all(&edited_dir).unwrap();
    let edited_path = edited_dir.join("plan.json");
    std::fs::write(&edited_path, edited.to_string()).unwrap();

    // The moved day may break a rule the checker keeps (a market day, a stable
    // weekday): published anyway, to read the notices.
    let second = dir.path().join("v2");
    let o = tournee(&[
        "publish",
        edited_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
        "--out",
        second.to_str().unwrap(),
        "--previous",
        plan_path.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains(&removed_commune), "{t}");
    let notices = std::fs::read_to_string(second.join("changements.md")).unwrap();
    assert!(
        notices.contains(&format!("## {removed_commune}")),
        "{notices}"
    );
    assert!(notices.contains("Changement de passage du bus numérique à"));
    for c in &moved_communes {
        assert!(notices.contains(&format!("## {c}")), "{c} in {notices}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(second.join("changements.json")).unwrap())
            .unwrap();
    let named: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["commune"].as_str().unwrap())
        .collect();
    assert!(named.contains(&removed_commune.as_str()), "{named:?}");
    // Communes whose visits did not change keep SEQUENCE:0 everywhere.
    let changed: Vec<String> = named.iter().map(|n| n.to_string()).collect();
    let calendars = second.join("calendriers");
    let mut bumped = 0;
    for entry in std::fs::read_dir(&calendars).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "ics") {
            continue;
        }
        let ics = std::fs::read_to_string(&path).unwrap();
        let is_changed = changed
            .iter()
            .any(|c| ics.contains(&format!("X-WR-CALNAME:Bus numérique — {c}")));
        let has_bump = ics
            .lines()
            .any(|l| l.starts_with("SEQUENCE:") && l != "SEQUENCE:0");
        assert!(
            !has_bump || is_changed,
            "{} bumped without change",
            path.display()
        );
        bumped += usize::from(has_bump);
    }
    assert!(bumped >= 1, "at least the removed visit's series is bumped");

    // A previous plan of another scenario is refused.
    let mut other = plan.clone();
    other["scenario"] = serde_json::json!("Autre");
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    let o = tournee(&[
        "publish",
        edited_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
        "--out",
        dir.path().join("v3").to_str().unwrap(),
        "--previous",
        other_path.to_str().unwrap(),
    ]);
    assert_clean_failure(&o, &["previous plan", "Autre"]);
}

#[test]
fn an_impossible_promise_is_explained() {
    let out = tempfile::tempdir().unwrap();
    let o = tournee(&[
        "plan",
        "tests/fixtures/impossible-promise.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    // The explanation names the commune, the promise and why it cannot be kept.
    let line = t
        .lines()
        .find(|l| l.starts_with("Promise not kept — Saulebrune"))
        .unwrap_or_else(|| panic!("no explanation: {t}"));
    assert!(line.contains("une semaine sur deux"), "{line}");
    assert!(line.contains("aucun site candidat utilisable"), "{line}");
    // The kept promise is not reported, and the rest of the plan is made.
    assert!(!t.contains("Promise not kept — Sorvezac"), "{t}");
    let plan: tournee_model::Plan =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("plan.json")).unwrap())
            .unwrap();
    assert!(plan.visits().any(|(_, v)| v.commune == "Sorvezac"));
    assert!(plan
        .unplaced
        .iter()
        .any(|u| u.commune.as_deref() == Some("Saulebrune")
            && u.reason.starts_with(tournee_model::promise::NOT_KEPT)));
    // A promise to a commune the territory does not have is an error naming the field.
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read_to_string(root().join("tests/fixtures/impossible-promise.toml"))
        .unwrap()
        .replace(
            "\"../../osm-data/demo.osm.pbf\"",
            &format!(
                "{:?}",
                root().join("osm-data/demo.osm.pbf").display().to_string()
            ),
        )
        .replace("commune = \"Saulebrune\"", "commune = \"Saulebrun\"");
    let path = dir.path().join("typo.toml");
    std::fs::write(&path, fixture).unwrap();
    let o = tournee(&[
        "plan",
        path.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains("promises[1].commune") && t.contains("Saulebrun"),
        "{t}"
    );
}

#[test]
fn publish_refuses_a_plan_the_checker_rejects_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("v1");
    let o = tournee(&[
        "plan",
        "scenarios/demo.toml",
        "--out",
        first.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(first.join("plan.json")).unwrap()).unwrap();
    // Edited by hand: the first visit now opens when the bus is still driving to it.
    let mut bad = plan.clone();
    bad["routes"][0]["visits"][0]["arrive"] = serde_json::json!("11:50");
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();

    let refused = dir.path().join("refused");
    let o = tournee(&[
        "publish",
        bad_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
        "--out",
        refused.to_str().unwrap(),
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("Publication refusée") && t.contains("[drive]"),
        "{t}"
    );
    assert!(!refused.join("calendriers").exists(), "nothing is written");

    let forced = dir.path().join("forced");
    let o = tournee(&[
        "publish",
        bad_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
        "--out",
        forced.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let notices = std::fs::read_to_string(forced.join("changements.md")).unwrap();
    assert!(
        notices.starts_with("# Avertissement au coordinateur") && notices.contains("[drive]"),
        "{notices}"
    );
    // The communes' files say nothing of it.
    for dir in ["calendriers", "affiches", "panneaux"] {
        for entry in std::fs::read_dir(forced.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let content = std::fs::read_to_string(&path).unwrap();
            assert!(
                !content.contains("[drive]") && !content.contains("Avertissement"),
                "{}",
                path.display()
            );
        }
    }
    // The plan as planned publishes without --force, and prints its sheets and
    // grid to PDF.
    let ok = dir.path().join("ok");
    let o = tournee(&[
        "publish",
        first.join("plan.json").to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
        "--out",
        ok.to_str().unwrap(),
        "--pdf",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let mut pdfs = 0;
    for entry in std::fs::read_dir(ok.join("affiches")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "pdf") {
            assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));
            pdfs += 1;
        }
    }
    assert!(pdfs >= 5, "{pdfs} sheets as PDF");
    assert!(std::fs::read(ok.join("plan.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
}
