//! Throwaway PostgreSQL clusters for tests: `initdb` into a temporary folder, the
//! server started with `pg_ctl` listening on a Unix socket in that folder only (no
//! TCP port, so nothing collides with another cluster), and stopped
//! (`pg_ctl stop -m immediate`) and deleted when the last handle is dropped.
//!
//! The binaries are Debian's `postgresql` package (`/usr/lib/postgresql/<v>/bin`,
//! installed by `scripts/setup.sh`), else `$TOURNEE_PG_BIN`, else the `PATH`.
//! `initdb` and `postgres` refuse to run as root: as root, they run as the
//! `postgres` account (`runuser -u postgres --`), which then owns the folder.
//!
//! A test binary shares one cluster between its tests ([`Cluster::shared`]) and
//! takes a fresh database per test ([`Cluster::database`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// The role the tests connect as (a superuser of the throwaway cluster).
const ROLE: &str = "tournee";
/// The port number: only names the socket file (`.s.PGSQL.<port>`).
const PORT: u16 = 5432;

/// A running throwaway cluster.
pub struct Cluster {
    bin: PathBuf,
    /// The temporary folder: `data/` (the cluster) and the socket.
    dir: tempfile::TempDir,
    /// Run the server's programs as this account (`Some("postgres")` as root).
    run_as: Option<String>,
    next_db: AtomicU64,
}

/// One test's database in a cluster; keeps the cluster alive.
pub struct Database {
    pub cluster: Arc<Cluster>,
    pub name: String,
}

impl Database {
    /// The sqlx URL of this database (over the cluster's Unix socket).
    pub fn url(&self) -> String {
        self.cluster.url(&self.name)
    }

    /// Runs `sql` with `psql` in this database; its output, one row a line,
    /// columns separated by `|`.
    pub fn psql(&self, sql: &str) -> String {
        self.cluster.psql(&self.name, sql)
    }
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("PostgreSQL test cluster: cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "PostgreSQL test cluster: {what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The folder of `initdb`, `pg_ctl` and `psql`; panics saying how to install them.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TOURNEE_PG_BIN") {
        return PathBuf::from(dir);
    }
    // Debian's layout: the highest installed version.
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    let on_path = Command::new("initdb")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        on_path,
        "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb, no initdb on the \
         PATH and no $TOURNEE_PG_BIN; run scripts/setup.sh (it installs Debian's postgresql)"
    );
    PathBuf::new()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// A temporary folder owned by `user` (the server's account, when root), in the
/// temporary folder ($TMPDIR), else in /tmp when `user` cannot reach the former.
fn folder_for(user: &str) -> tempfile::TempDir {
    let exists = Command::new("id")
        .arg(user)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        exists,
        "PostgreSQL test cluster: running as root, the server must run as the `{user}` \
         account, which does not exist (Debian's postgresql package creates it: run \
         scripts/setup.sh)"
    );
    let mut tried = Vec::new();
    for parent in [std::env::temp_dir(), PathBuf::from("/tmp")] {
        let dir = tempfile::Builder::new()
            .prefix("tournee-pg-")
            .tempdir_in(&parent)
            .expect("a temporary folder for the PostgreSQL test cluster");
        run(
            Command::new("chown").arg(user).arg(dir.path()),
            "chown of the cluster folder to the postgres account",
        );
        let reachable = Command::new("runuser")
            .args(["-u", user, "--", "test", "-w"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if reachable {
            return dir;
        }
        tried.push(parent.display().to_string());
    }
    panic!(
        "PostgreSQL test cluster: the `{user}` account can write in none of {tried:?} \
         (set TMPDIR to a folder it can reach)"
    )
}

static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());

impl Cluster {
    /// The cluster shared by the tests of this process, started on first use and
    /// stopped when no test holds it any more.
    pub fn shared() -> Arc<Cluster> {
        let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = shared.upgrade() {
            return c;
        }
        let c = Arc::new(Cluster::start());
        *shared = Arc::downgrade(&c);
        c
    }

    /// A fresh database in the shared cluster.
    pub fn database() -> Database {
        let cluster = Cluster::shared();
        let n = cluster.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("t{n}");
        cluster.psql("postgres", &format!("CREATE DATABASE {name}"));
        Database { cluster, name }
    }

    /// `initdb` then `pg_ctl start` in a new temporary folder.
    pub fn start() -> Cluster {
        let bin = bin_dir();
        let run_as = is_root().then(|| "postgres".to_string());
        let dir = match &run_as {
            None => tempfile::Builder::new()
                .prefix("tournee-pg-")
                .tempdir()
                .expect("a temporary folder for the PostgreSQL test cluster"),
            Some(user) => folder_for(user),
        };
        let c = Cluster {
            bin,
            dir,
            run_as,
            next_db: AtomicU64::new(0),
        };
        let data = c.data();
        run(
            c.server_command("initdb")
                .args([
                    "--auth=trust",
                    "--no-sync",
                    "--encoding=UTF8",
                    "--no-locale",
                ])
                .args(["--username", ROLE, "--pgdata"])
                .arg(&data),
            "initdb",
        );
        let options = format!(
            "-c listen_addresses='' -k {} -p {PORT} -c fsync=off -c max_connections=200",
            c.dir.path().display()
        );
        run(
            c.server_command("pg_ctl")
                .args(["start", "--wait", "--silent", "--pgdata"])
                .arg(&data)
                .args(["--log"])
                .arg(c.dir.path().join("server.log"))
                .args(["-o", &options]),
            "pg_ctl start",
        );
        c
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The folder holding the server's socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A program of the server's, run as the cluster's owner.
    fn server_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    /// The sqlx URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://{ROLE}@localhost/{name}?host={}&port={PORT}",
            self.dir.path().display()
        )
    }

    /// Runs `sql` with `psql` in database `db`; its unaligned output.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = run(
            Command::new(self.bin.join("psql"))
                .args(["--no-psqlrc", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"])
                .arg("-h")
                .arg(self.dir.path())
                .args(["-p", &PORT.to_string(), "-U", ROLE, "-d", db, "-c", sql]),
            &format!("psql -c {sql:?}"),
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .server_command("pg_ctl")
            .args(["stop", "--wait", "--silent", "-m", "immediate", "--pgdata"])
            .arg(self.data())
            .output();
    }
}
