//! The `tournee` binary end to end, as a coordinator runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .arg("--quiet")
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

/// Needs `../shared/data/osm/rutland-latest.osm.pbf` (real tags, real mess). Run with
/// `cargo test -p tournee-cli -- --ignored` where the shared data is present.
#[test]
#[ignore = "needs ../shared/data/osm/rutland-latest.osm.pbf"]
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
