//! Users are French: every line `tournee plan`, `check` and `publish` print for the
//! demo is in French by default (no word of a list of English ones), and in English
//! with `--lang en` or an English `LANG`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `tournee` with progress lines (not `--quiet`) and only the given language
/// variables set.
fn tournee(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tournee"));
    c.args(args).current_dir(root());
    for v in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "TOURNEE_LANG"] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Words that are English and not French; a French line contains none of them.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "with",
    "from",
    "into",
    "error",
    "warning",
    "planning",
    "checked",
    "violation",
    "violations",
    "visits",
    "wrote",
    "files",
    "nodes",
    "edges",
    "roads",
    "reading",
    "building",
    "computing",
    "checking",
    "solving",
    "drive",
    "bound",
    "week",
    "weeks",
    "days",
    "day",
    "stops",
    "reached",
    "search",
    "rounds",
    "promise",
    "kept",
    "greedy",
    "local",
    "insertion",
    "seed",
    "improved",
    "found",
    "no",
    "not",
    "is",
    "are",
    "per",
    "at",
    "in",
    "for",
    "by",
    "to",
    "reachable",
    "recomputed",
    "independently",
    "used",
    "notify",
    "change",
    "since",
    "previous",
    "times",
    "between",
    "depots",
    "who",
    "each",
    "stop",
    "reaches",
    "node",
    "file",
    "tagged",
    "ways",
    "gap",
    "heuristic",
    "optimality",
    "upper",
    "objective",
    "keeping",
    "better",
    "cut",
    "off",
    "home",
    "requests",
    "chains",
    "iterations",
    "moves",
    "unused",
    "inhabitants",
    "vehicle",
    "vehicles",
    "mediator",
    "mediators",
    "slot",
    "slots",
];

/// The English words of `text`, with the line they are on.
fn english_words(text: &str) -> BTreeSet<(String, String)> {
    let english: BTreeSet<&str> = ENGLISH.iter().copied().collect();
    let mut found = BTreeSet::new();
    for line in text.lines() {
        for word in line.split(|c: char| !c.is_alphabetic()) {
            let w = word.to_lowercase();
            if english.contains(w.as_str()) {
                found.insert((w, line.to_string()));
            }
        }
    }
    found
}

/// plan (unless `plan` is false: the plan of `out` is used), check and publish of the
/// demo, with the environment `env` and `extra` arguments; their whole output.
fn demo_outputs(
    out: &Path,
    plan: bool,
    env: &[(&str, &str)],
    extra: &[&str],
) -> Vec<(String, String)> {
    let dir = out.to_str().unwrap().to_string();
    let plan_json = out.join("plan.json");
    let plan_json = plan_json.to_str().unwrap();
    let published = out.join("pub");
    let mut outputs = Vec::new();
    let runs: [(&str, Vec<&str>); 3] = [
        ("plan", vec!["plan", "scenarios/demo.toml", "--out", &dir]),
        (
            "check",
            vec!["check", plan_json, "--scenario", "scenarios/demo.toml"],
        ),
        (
            "publish",
            vec![
                "publish",
                plan_json,
                "--scenario",
                "scenarios/demo.toml",
                "--out",
                published.to_str().unwrap(),
                "--previous",
                plan_json,
            ],
        ),
    ];
    for (name, mut args) in runs {
        if name == "plan" && !plan {
            continue;
        }
        args.extend_from_slice(extra);
        let o = tournee(&args, env);
        assert!(o.status.success(), "{name}: {}", text(&o));
        // The temporary folder's random name is not a message.
        outputs.push((name.to_string(), text(&o).replace(&dir, "DOSSIER")));
    }
    outputs
}

#[test]
fn the_demo_speaks_french_by_default_and_english_when_asked() {
    let out = tempfile::tempdir().unwrap();
    let french = demo_outputs(out.path(), true, &[("LANG", "C.UTF-8")], &[]);
    assert_eq!(french.len(), 3);
    for (name, t) in &french {
        let english = english_words(t);
        assert!(
            english.is_empty(),
            "{name} prints English words:\n{english:#?}\nin:\n{t}"
        );
        assert!(t.lines().count() >= 2, "{name}: {t}");
        // Internal method names stay out of what users read.
        assert!(!t.contains("greedy"), "{name}: {t}");
    }
    // The plan's lines, in French.
    let t = &french[0].1;
    assert!(t.contains("aucune anomalie"), "{t}");
    assert!(t.contains("fichier(s) écrit(s)"), "{t}");
    assert!(french[1].1.starts_with("OK : "), "{}", french[1].1);

    // English on request: by argument (plan, check, publish), and by LANG.
    let en = tempfile::tempdir().unwrap();
    let outputs = demo_outputs(en.path(), true, &[], &["--lang", "en"]);
    assert!(outputs[0].1.contains("no violation"), "{}", outputs[0].1);
    assert!(
        outputs[0].1.contains("checking the plan independently"),
        "{}",
        outputs[0].1
    );
    assert!(outputs[1].1.starts_with("OK: "), "{}", outputs[1].1);
    assert!(outputs[2].1.contains("Wrote "), "{}", outputs[2].1);
    let outputs = demo_outputs(en.path(), false, &[("LANG", "en_GB.UTF-8")], &[]);
    assert!(outputs[0].1.starts_with("OK: "), "{}", outputs[0].1);
    assert!(outputs[1].1.contains("Wrote "), "{}", outputs[1].1);
}

#[test]
fn errors_are_french_by_default() {
    let o = tournee(
        &[
            "check",
            "plan-absent.json",
            "--scenario",
            "scenarios/demo.toml",
        ],
        &[],
    );
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.starts_with("erreur : "), "{t}");
    assert!(english_words(&t).is_empty(), "{t}");
    let o = tournee(
        &[
            "check",
            "plan-absent.json",
            "--scenario",
            "scenarios/demo.toml",
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(text(&o).starts_with("error: "), "{}", text(&o));
}

/// `text` without what is not prose: spans between backquotes or braces (names,
/// JSON), option names and value names (`--no-solve`, `<OUT>`), and the usage line.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.starts_with("Utilisation")) {
        let (mut quoted, mut braces) = (false, 0);
        let mut kept = String::new();
        for c in line.chars() {
            match c {
                '`' => quoted = !quoted,
                '{' => braces += 1,
                '}' => braces -= 1,
                _ if !quoted && braces == 0 => kept.push(c),
                _ => {}
            }
        }
        let words: Vec<&str> = kept
            .split_whitespace()
            .filter(|w| !w.starts_with('-') && !w.starts_with('<') && !w.starts_with('['))
            .collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn the_help_is_french_by_default_and_english_when_asked() {
    let commands = [
        "",
        "plan",
        "publish",
        "check",
        "peers",
        "peers export",
        "peers import",
        "toptw",
        "matrix",
        "serve",
        "worker",
        "token",
        "help",
    ];
    for command in commands {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        if command != "help" {
            args.push("--help");
        }
        let o = tournee(&args, &[]);
        let t = text(&o);
        assert!(o.status.success(), "{command}: {t}");
        assert!(t.contains("Utilisation :"), "{command}: {t}");
        let english = english_words(&prose(&t));
        assert!(english.is_empty(), "`{command} --help`: {english:?}");
    }
    let o = tournee(&["matrix", "--help"], &[("LANG", "en_GB.UTF-8")]);
    assert!(text(&o).contains("Territory (OpenStreetMap PBF extract)"));
    assert!(text(&o).contains("Usage:"));
    let o = tournee(&["--lang", "en", "plan", "--help"], &[]);
    assert!(text(&o).contains("Folder to write into (created if needed)"));
    let o = tournee(&["plan", "--help", "--lang=fr"], &[("LANG", "en_GB.UTF-8")]);
    assert!(text(&o).contains("Dossier où écrire (créé si besoin)"));
}
