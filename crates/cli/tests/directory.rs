//! Every scenario of `scenarios/`, planned by `tournee plan`: its entries for the
//! national directory of places of digital mediation (`lieux-mediation-numerique.csv`)
//! are valid against the MedNum standard's schema, for the test support's
//! validator and for the reference `frictionless`. A real French scenario without a
//! SIRET is checked as its coordinator would complete it (a test organisation
//! added); one outside France is not listed in the national directory. A scenario
//! without a SIRET gets no file and is told why in French (checked on the demo
//! without its SIRET).

mod common;

use std::process::Command;

use common::{root, scenario_files as scenarios};

use tournee_model::Scenario;
use tournee_test_support::table_schema::Schema;
use tournee_test_support::{frictionless_validate, shared_data};

const SCHEMA: &str = "data/standards/schema-lieux-mediation-numerique-v1.0.2.json";
const FILE: &str = "lieux-mediation-numerique.csv";

#[test]
fn every_scenario_writes_a_valid_directory_file_or_says_why_not() {
    let schema_path = shared_data(SCHEMA);
    let schema = Schema::from_file(&schema_path).unwrap();
    let mut written = 0;
    for path in scenarios() {
        let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let has_siret = scenario
            .organisation
            .as_ref()
            .is_some_and(|org| org.siret.is_some());
        let french = scenario
            .communes
            .as_ref()
            .is_some_and(|t| t.rows.iter().any(|r| r.code.is_some()));
        // A real French territory whose organisation has not written its SIRET: the
        // same scenario with a test organisation, as its coordinator would complete
        // it (a copy beside it, so that its relative paths still hold; deleted after).
        let completed = (!has_siret && french).then(|| {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut copy = tempfile::Builder::new()
                .prefix(".directory-test-")
                .suffix(".toml")
                .tempfile_in(path.parent().unwrap())
                .unwrap();
            use std::io::Write;
            write!(
                copy,
                "{text}\n[organisation]\nname = \"Organisation d'essai\"\nsiret = \"000 000 001 00008\"\n"
            )
            .unwrap();
            copy
        });
        if !has_siret && completed.is_none() {
            // Not in France (no INSEE codes: the national directory does not list
            // it), or no file to check (the reason is tested below on the demo
            // without its SIRET).
            continue;
        }
        let path = completed
            .as_ref()
            .map_or(path.clone(), |c| c.path().to_path_buf());
        let out = tempfile::tempdir().unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .arg("plan")
            .arg(&path)
            .arg("--out")
            .arg(out.path())
            .args(["--seconds", "10", "--quiet"])
            .output()
            .expect("the binary runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{}: {said}", path.display());
        let file = out.path().join(FILE);
        assert!(
            file.exists(),
            "{}: a SIRET but no {FILE}: {said}",
            path.display()
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let violations = schema.validate_csv(&text);
        assert!(
            violations.is_empty(),
            "{}: {}",
            path.display(),
            violations
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        frictionless_validate(&schema_path, &file).unwrap();
        assert!(text.lines().count() > 1, "{}: no record", path.display());
        written += 1;
    }
    assert!(
        written >= 5,
        "the demo-territory scenarios and the French real ones have a directory file"
    );
}

#[test]
fn a_scenario_without_siret_gets_the_reason_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(root().join("scenarios/demo.toml")).unwrap();
    let without = demo
        .lines()
        .filter(|l| !l.starts_with("siret"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "\"../osm-data/",
            &format!("\"{}/osm-data/", root().display()),
        );
    assert_ne!(without, demo);
    let path = dir.path().join("sans-siret.toml");
    std::fs::write(&path, without).unwrap();
    let out = dir.path().join("sortie");
    let o = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .args(["--seconds", "5", "--quiet"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{said}");
    assert!(!out.join(FILE).exists());
    assert!(
        out.join("plan.json").exists(),
        "the other outputs are written"
    );
    assert!(
        said.contains("non écrit") && said.contains("SIRET") && said.contains("[organisation]"),
        "{said}"
    );
}
