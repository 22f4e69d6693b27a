//! What the tests of several crates share (a dev-dependency only, never part of
//! the product): [`table_schema`], a validator of CSV outputs against a
//! Frictionless Table Schema; [`shared_data`], the path of a file of the shared
//! data beside the clone, failing with its name when it is missing;
//! [`generated_territories`], the territories the scenarios of `scenarios/` read
//! from `target/generated/` (made from the shared data, never committed);
//! [`postgres`], throwaway PostgreSQL clusters, and [`TestDb`] with
//! [`on_both_databases!`], to run a test on SQLite and on PostgreSQL.

pub mod postgres;
pub mod table_schema;

/// A test's database: a SQLite file in a temporary folder, or a fresh database
/// in the shared throwaway PostgreSQL cluster. Dropping it deletes it (the
/// cluster stops with its last database).
pub enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres(postgres::Database),
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().expect("a temporary folder"))
    }

    pub fn postgres() -> TestDb {
        TestDb::Postgres(postgres::Cluster::database())
    }

    /// The URL `Store::open` takes.
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite:{}", dir.path().join("t.sqlite").display()),
            TestDb::Postgres(db) => db.url(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres(_))
    }
}

/// For each `async fn name(db: TestDb)` listed, two tests: `sqlite::name` and
/// `postgres::name` (so `cargo test postgres::` runs one backend).
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::TestDb::sqlite()).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::TestDb::postgres()).await
                }
            )*
        }
    };
}

use std::path::PathBuf;

/// `<workspace>/../shared/<relative>`; panics naming the file when it is absent
/// (CI always has the shared data beside the clone).
pub fn shared_data(relative: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let path = root.join(relative);
    assert!(
        path.exists(),
        "missing shared data file {} (expected beside the clone, in ../shared)",
        path.display()
    );
    path
}

/// The `frictionless` command: `$TOURNEE_FRICTIONLESS`, else the one
/// `scripts/setup.sh` installs in `.tools/frictionless`, else `frictionless` on
/// the PATH; panics saying how to install it when there is none.
pub fn frictionless() -> PathBuf {
    if let Some(p) = std::env::var_os("TOURNEE_FRICTIONLESS") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../.tools/frictionless/bin/frictionless");
    if local.exists() {
        return local;
    }
    let on_path = std::process::Command::new("frictionless")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        on_path,
        "frictionless is not installed: run scripts/setup.sh (it installs it into .tools/frictionless)"
    );
    PathBuf::from("frictionless")
}

/// Runs `frictionless validate --schema SCHEMA FILE`; `Err` lists every error it
/// reports, each with its row and field.
pub fn frictionless_validate(
    schema: &std::path::Path,
    file: &std::path::Path,
) -> Result<(), String> {
    let out = std::process::Command::new(frictionless())
        .args(["validate", "--trusted", "--json", "--schema"])
        .arg(schema)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run frictionless: {e}"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "frictionless gave no JSON report ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    if report["valid"] == serde_json::Value::Bool(true) {
        return Ok(());
    }
    let mut errors = Vec::new();
    for e in report["errors"].as_array().into_iter().flatten().chain(
        report["tasks"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|t| t["errors"].as_array().into_iter().flatten()),
    ) {
        errors.push(format!(
            "{} (row {}, field {}): {}",
            e["type"], e["rowNumber"], e["fieldName"], e["message"]
        ));
    }
    Err(format!("{}: {}", file.display(), errors.join("\n")))
}

/// Makes the territories that scenarios of `scenarios/` read from
/// `target/generated/` when they are absent: `charente-maritime.osm.pbf`, built by
/// `tournee-demogen communes` from the shared INSEE table and polygons (as the
/// scenario's header says). Written to a temporary file then renamed, so that tests
/// running at once never read half a file. Panics naming a missing shared file.
pub fn generated_territories() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/generated/charente-maritime.osm.pbf");
    if out.exists() {
        return;
    }
    let table = shared_data("data/communes/communes-17-charente-maritime.csv");
    let polygons = shared_data("data/communes/communes-17-charente-maritime.geojson");
    let (data, _) = tournee_demogen::communes::generate(&table, &polygons)
        .unwrap_or_else(|e| panic!("generating {}: {e}", out.display()));
    let dir = out.parent().expect("a folder");
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    let tmp = dir.join(format!("charente-maritime.{}.tmp", std::process::id()));
    tournee_osm::write::write_pbf_file(&tmp, &data, "tournee-demogen communes")
        .unwrap_or_else(|e| panic!("writing {}: {e}", tmp.display()));
    std::fs::rename(&tmp, &out).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
