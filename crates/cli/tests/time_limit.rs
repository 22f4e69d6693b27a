//! `tournee plan --seconds S`: a time limit on the search, with the bound and the
//! checker still run; a meaningless limit is a clear error.

use std::path::Path;
use std::process::{Command, Output};

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .args(["--quiet", "--lang", "en"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("the binary runs")
}

#[test]
fn a_time_limited_plan_is_complete_bounded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = tournee(&[
        "plan",
        "scenarios/demo.toml",
        "--out",
        out,
        "--seconds",
        "1.5",
    ]);
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("no violation"), "{text}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    let s = &plan["summary"];
    let (obj, bound) = (
        s["reachable_population_per_week"].as_f64().unwrap(),
        s["upper_bound"]
            .as_f64()
            .expect("a bound even with a time limit"),
    );
    assert!(
        obj > 0.0 && bound + 1e-6 >= obj,
        "objective {obj}, bound {bound}"
    );
    let plan_path = dir.path().join("plan.json");
    let c = tournee(&[
        "check",
        plan_path.to_str().unwrap(),
        "--scenario",
        "scenarios/demo.toml",
    ]);
    assert_eq!(
        c.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&c.stdout)
    );
}

#[test]
fn a_meaningless_time_limit_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0", "-3", "NaN"] {
        let o = tournee(&[
            "plan",
            "scenarios/demo.toml",
            "--out",
            dir.path().to_str().unwrap(),
            &format!("--seconds={bad}"),
        ]);
        let text = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{bad}: {text}");
        assert!(!text.contains("panicked"), "{text}");
        assert!(text.contains("--seconds"), "{bad}: {text}");
    }
}
