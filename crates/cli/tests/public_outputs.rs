//! What the communes and the public receive (calendars, sheets, panel texts, the
//! GTFS feed) never shows an OSM id: every scenario of `scenarios/` is planned
//! and all its public outputs are read.

mod common;

use std::path::Path;
use std::process::Command;

use common::root;

/// The public outputs of a publication folder.
const PUBLIC: &[&str] = &["calendriers", "affiches", "panneaux", "gtfs"];

/// "node/123", "way 123", "WAY 234574635", "relation/5"… anywhere in `text`.
fn osm_id_in(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for word in ["node", "way", "relation"] {
        for (i, _) in lower.match_indices(word) {
            let before = lower[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let rest = &lower[i + word.len()..];
            let rest = rest
                .strip_prefix('/')
                .or_else(|| rest.strip_prefix(' '))
                .unwrap_or(rest);
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                let end = (i + word.len() + 12).min(text.len());
                return Some(text.get(i..end).unwrap_or(word).to_string());
            }
        }
    }
    None
}

fn check_folder(out: &Path) -> usize {
    let mut read = 0;
    for dir in PUBLIC {
        let dir = out.join(dir);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "sequences.json") {
                continue; // the coordinator's bookkeeping, not published
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if let Some(id) = osm_id_in(&text) {
                panic!("{} shows an OSM id: “{id}”", path.display());
            }
            read += 1;
        }
    }
    read
}

#[test]
fn the_detector_finds_what_the_issue_found() {
    assert!(osm_id_in("parking (node/2135253046)").is_some());
    assert!(osm_id_in("PKG WAY 234574635").is_some());
    assert!(osm_id_in("MAIRIE WAY 143210781").is_some());
    assert!(osm_id_in("Parking de la salle des fêtes, rue du Moulin").is_none());
    assert!(osm_id_in("Broadway 12").is_none());
}

#[test]
fn no_public_output_of_any_scenario_shows_an_osm_id() {
    let mut planned = 0;
    for path in common::scenario_files() {
        let out = tempfile::tempdir().unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .current_dir(root())
            .args(["--quiet", "plan"])
            .arg(&path)
            .args(["--seconds", "2", "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}{}",
            path.display(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let files = check_folder(out.path());
        assert!(files >= 5, "{}: {files} public files", path.display());
        planned += 1;
    }
    assert!(planned >= 3, "{planned} scenarios in scenarios/");
}
