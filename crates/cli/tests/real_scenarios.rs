//! The scenarios from practice on real data (`scenarios/*.toml` reading `../shared`):
//! each plans from the CLI, its plan passes `tournee check`, and Tournée reaches at
//! least the population per week of the hand-made baseline (`--baseline`) with the
//! same vehicles, crews and hours. CI has `../shared` beside the clone; where a file
//! is missing, the test fails naming it. Time limits keep it affordable (`--seconds`):
//! the plans then depend on the machine, the comparison does not need more.

mod common;

use std::process::{Command, Output};

use common::root;

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

/// The shared files a scenario reads, which must be there.
fn needs(files: &[&str]) {
    for f in files {
        let p = root().join("..").join(f);
        assert!(
            p.is_file(),
            "{} is missing: this test needs the shared data beside the clone (README, \
             'Tests that need the shared data')",
            p.display()
        );
    }
}

/// Plans `scenario` with Tournée and with the baseline, checks both plans, and
/// returns the summaries (Tournée's, the baseline's).
fn plan_both(scenario: &str, seconds: &str) -> (serde_json::Value, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for (name, extra) in [("tournee", None), ("baseline", Some("--baseline"))] {
        let folder = dir.path().join(name);
        let mut args = vec![
            "plan",
            scenario,
            "--seconds",
            seconds,
            "--out",
            folder.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = tournee(&args);
        assert!(o.status.success(), "{scenario} {name}: {}", text(&o));
        let plan = folder.join("plan.json");
        let o = tournee(&["check", plan.to_str().unwrap(), "--scenario", scenario]);
        assert!(o.status.success(), "{scenario} {name} check: {}", text(&o));
        let plan: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
        out.push(plan);
    }
    let baseline = out.pop().unwrap();
    let ours = out.pop().unwrap();
    (ours, baseline)
}

fn population(plan: &serde_json::Value) -> f64 {
    plan["summary"]["reachable_population_per_week"]
        .as_f64()
        .unwrap()
}

/// Tournée reaches at least the baseline, both are below the bound, and the
/// baseline did plan something (it is a real plan, not an empty one).
fn assert_at_least_baseline(scenario: &str, ours: &serde_json::Value, base: &serde_json::Value) {
    let (o, b) = (population(ours), population(base));
    println!("{scenario}: Tournée {o:.0}, baseline {b:.0} inhabitants per week");
    assert!(b > 0.0, "{scenario}: the baseline reaches nobody");
    assert!(
        base["method"].as_str().unwrap().contains("à la main"),
        "{}",
        base["method"]
    );
    assert!(o + 1e-6 >= b, "{scenario}: Tournée {o} < baseline {b}");
    if let Some(bound) = ours["summary"]["upper_bound"].as_f64() {
        assert!(
            o <= bound + 1e-6 && b <= bound + 1e-6,
            "{scenario}: above the bound {bound}"
        );
    }
}

#[test]
fn rutland_bus_with_two_agents() {
    needs(&["shared/data/osm/rutland-latest.osm.pbf"]);
    let s = "scenarios/rutland-bus.toml";
    let (ours, base) = plan_both(s, "3");
    assert_at_least_baseline(s, &ours, &base);
}

#[test]
fn rutland_network_of_three_buses_over_four_weeks() {
    needs(&["shared/data/osm/rutland-latest.osm.pbf"]);
    let s = "scenarios/rutland-network.toml";
    let (ours, base) = plan_both(s, "4");
    assert_at_least_baseline(s, &ours, &base);
    // The bank holiday (a Monday): no route on 2027-05-03, each bus that runs on
    // Mondays says why (bus-oakham-2 runs Tuesday to Friday).
    let routes = ours["routes"].as_array().unwrap();
    assert!(routes.iter().all(|r| r["date"] != "2027-05-03"));
    let off = ours["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["date"] == "2027-05-03" && u["commune"].is_null())
        .count();
    assert_eq!(off, 2, "{}", ours["unplaced"]);
    // All three buses run, with crews from their own base.
    for bus in ["bus-oakham-1", "bus-oakham-2", "bus-uppingham"] {
        assert!(
            routes.iter().any(|r| r["vehicle"] == bus),
            "{bus} never runs"
        );
    }
}

#[test]
fn monaco_french_communes_cargo_bike_with_the_insee_join() {
    needs(&[
        "shared/data/osm/monaco.osm.pbf",
        "shared/data/communes/communes-06-alpes-maritimes.csv",
    ]);
    let s = "scenarios/monaco-cargo-bike.toml";
    let dir = tempfile::tempdir().unwrap();
    let o = tournee(&[
        "plan",
        s,
        "--seconds",
        "2",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    // The five French communes of the extract are joined by ref:INSEE.
    assert!(
        t.contains("5 reliée(s) à un lieu par code INSEE"),
        "the INSEE join: {t}"
    );
    let (ours, base) = plan_both(s, "2");
    assert_at_least_baseline(s, &ours, &base);
    // Every stop is a cargo-bike stop in Beausoleil or Cap-d'Ail.
    for r in ours["routes"].as_array().unwrap() {
        assert_eq!(r["mode"], "cargo_bike", "{r}");
    }
}

/// Every scenario of `scenarios/` (the real ones and the demo's), solved through
/// the organisations' API: created, solved as a job, and the stored plan passes
/// `tournee check`. The server's data folder is the one holding the clone and the
/// shared data, so the scenarios' files are inside it; their relative paths are
/// rewritten from the scenario's folder to the data folder.
#[test]
fn every_scenario_plans_through_the_api() {
    let clone = root().canonicalize().unwrap();
    let data = clone.parent().unwrap().to_path_buf();
    let name = clone.file_name().unwrap().to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("api.sqlite");
    let db = db.to_str().unwrap();
    let token = common::token(db, "Organisation d'essai");
    // A job's search stops when it stops improving, or at a quarter of its time
    // limit (`SEARCH_SHARE`); the bound then has at most four fifths of what is
    // left (`pipeline::optimise`). Charente-Maritime (2,021 sites) needs about a
    // minute in a debug build on 2 cores: the limit leaves it room on a loaded CI
    // machine.
    let (_server, addr) = common::serve(&[
        "--data-dir",
        data.to_str().unwrap(),
        "--db",
        db,
        "--job-seconds",
        "150",
    ]);
    let mut solved = 0;
    let paths = common::scenario_files();
    for path in paths {
        let written = std::fs::read_to_string(&path).unwrap();
        // `../../x` from scenarios/ is `x` in the data folder; `../x` is in the
        // clone; a bare name is beside the scenario.
        let body = written
            .replace("= \"../../", "= \"")
            .replace("= \"../", &format!("= \"{name}/"))
            .replace("requests = \"", &format!("requests = \"{name}/scenarios/"));
        let (st, created) = common::http(&addr, &token, "POST", "/api/v1/scenarios", &body);
        assert_eq!(st, 201, "{}: {created}", path.display());
        let id = created["id"].as_str().unwrap();
        let (st, job) = common::http(
            &addr,
            &token,
            "POST",
            &format!("/api/v1/scenarios/{id}/solve"),
            "",
        );
        assert_eq!(st, 202, "{}: {job}", path.display());
        let done = common::wait_for_job(&addr, &token, job["job"].as_str().unwrap());
        assert_eq!(done["state"], "done", "{}: {done}", path.display());
        let plan = done["result"]["plan"].as_str().unwrap();
        let (st, body) =
            common::http_raw(&addr, &token, "GET", &format!("/api/v1/plans/{plan}"), "");
        assert_eq!(st, 200, "{}: {body}", path.display());
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["check"]["violations"],
            serde_json::json!([]),
            "{}: {}",
            path.display(),
            v["check"]
        );
        let plan_json = &v["plan"];
        let file = dir.path().join(format!("{solved}.json"));
        std::fs::write(&file, plan_json.to_string()).unwrap();
        let o = tournee(&[
            "check",
            file.to_str().unwrap(),
            "--scenario",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{} check: {}", path.display(), text(&o));
        solved += 1;
    }
    assert!(solved >= 8, "{solved} scenarios solved through the API");
}
