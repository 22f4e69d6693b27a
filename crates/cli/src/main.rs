//! `tournee`: the command line. It parses arguments and hands off at once to the
//! library crates; errors are printed as one paragraph and exit non-zero.

mod help;
mod matrix;
mod peers;
mod progress;
mod publish_cmd;
mod serve_cmd;
mod worker;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tournee_i18n::{tr, Lang};
use tournee_model::{Plan, Scenario};
use tournee_pipeline::Territory;

use crate::progress::Bars;
use crate::publish_cmd::{publish, PublishFlags};
use crate::serve_cmd::{db_url, list_tokens, revoke_token, serve, token, JobLimits};

/// The command line. Its help, in French or English, is the catalogue's
/// (`cli-help.ftl`, keys by command and argument: [`help`]).
#[derive(Parser)]
#[command(name = "tournee", version)]
struct Cli {
    #[arg(long, short, global = true)]
    quiet: bool,
    #[arg(long, global = true)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Plan {
        scenario: PathBuf,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[arg(long)]
        seconds: Option<f64>,
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long)]
        baseline: bool,
    },
    Publish {
        plan: PathBuf,
        #[arg(long)]
        scenario: PathBuf,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[arg(long)]
        previous: Option<PathBuf>,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        #[arg(long)]
        pdf: bool,
    },
    Check {
        plan: PathBuf,
        #[arg(long)]
        scenario: PathBuf,
    },
    Peers {
        #[command(subcommand)]
        action: peers::Action,
    },
    Toptw {
        file: PathBuf,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        vehicles: usize,
        #[arg(long)]
        decimals: Option<u32>,
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    Matrix {
        #[arg(long)]
        pbf: PathBuf,
        #[arg(long)]
        points: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1000.0)]
        max_snap_meters: f64,
        #[arg(long)]
        timings: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "ch")]
        engine: matrix::Engine,
    },
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = ".")]
        data_dir: PathBuf,
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[arg(long, default_value = "web/dist")]
        web: PathBuf,
        #[arg(long, default_value = "tournee.sqlite")]
        db: String,
        #[arg(long, default_value_t = 600)]
        job_seconds: u64,
        #[arg(long, default_value_t = tournee_pipeline::budget::DEFAULT_MEMORY_MIB)]
        job_memory_mb: u64,
        #[arg(long, default_value_t = tournee_server::jobs::DEFAULT_JOBS_PER_OWNER)]
        jobs_per_org: usize,
        #[arg(long)]
        no_solve: bool,
    },
    Worker {
        #[arg(long)]
        db: String,
        #[arg(long, default_value = ".")]
        data_dir: PathBuf,
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        #[arg(long, default_value_t = 600)]
        job_seconds: u64,
        #[arg(long, default_value_t = tournee_pipeline::budget::DEFAULT_MEMORY_MIB)]
        job_memory_mb: u64,
        #[arg(long, default_value_t = 30)]
        lease_seconds: u64,
        #[arg(long, default_value_t = 3)]
        attempts: i64,
    },
    Token {
        #[arg(long, required_unless_present_any = ["list", "revoke"])]
        org: Option<String>,
        #[arg(long, default_value = "coordinator")]
        label: String,
        #[arg(long)]
        days: Option<u32>,
        #[arg(long, conflicts_with_all = ["org", "revoke", "days"])]
        list: bool,
        #[arg(long, conflicts_with_all = ["org", "days"])]
        revoke: Option<String>,
        #[arg(long, default_value = "tournee.sqlite")]
        db: String,
    },
}

fn main() -> ExitCode {
    let cli = parse_cli();
    tournee_i18n::set_lang(cli.lang.unwrap_or_else(Lang::from_env));
    let bars = Bars::new(cli.quiet);
    let result = match cli.command {
        Command::Plan {
            scenario,
            out,
            seconds,
            threads,
            baseline,
        } => plan(&scenario, &out, seconds, threads, baseline, &bars),
        Command::Check { plan, scenario } => check(&plan, &scenario, &bars),
        Command::Publish {
            plan,
            scenario,
            out,
            previous,
            force,
            until,
            pdf,
        } => publish(
            &plan,
            &scenario,
            &out,
            previous.as_deref(),
            PublishFlags { force, until, pdf },
            &bars,
        ),
        Command::Serve {
            addr,
            data_dir,
            scenario,
            web,
            db,
            job_seconds,
            job_memory_mb,
            jobs_per_org,
            no_solve,
        } => serve(
            &addr,
            &data_dir,
            scenario.as_deref(),
            &web,
            &db,
            JobLimits {
                seconds: job_seconds,
                memory_mb: job_memory_mb,
                per_org: jobs_per_org,
                solve: !no_solve,
            },
            &bars,
        ),
        Command::Worker {
            db,
            data_dir,
            id,
            jobs,
            job_seconds,
            job_memory_mb,
            lease_seconds,
            attempts,
        } => worker::worker(
            &db_url(&db),
            &data_dir,
            id,
            worker::Limits {
                jobs,
                seconds: job_seconds,
                memory_mb: job_memory_mb,
                lease_seconds,
                attempts,
            },
        ),
        Command::Token {
            org,
            label,
            days,
            list,
            revoke,
            db,
        } => match (org, revoke) {
            _ if list => list_tokens(&db),
            (_, Some(id)) => revoke_token(&id, &db),
            (Some(org), None) => token(&org, &label, days, &db),
            (None, None) => Err(anyhow::anyhow!(
                "tournee token : donnez --org NOM (nouveau jeton), --list ou --revoke ID"
            )),
        },
        Command::Matrix {
            pbf,
            points,
            out,
            max_snap_meters,
            timings,
            engine,
        } => matrix::run(&matrix::Options {
            pbf: &pbf,
            points: &points,
            out: &out,
            max_snap_meters,
            timings: timings.as_deref(),
            engine,
        })
        .map(|()| ExitCode::SUCCESS),
        Command::Peers { action } => peers::run(&action, &bars),
        Command::Toptw {
            file,
            seconds,
            vehicles,
            decimals,
            threads,
            seed,
        } => toptw(&file, seconds, vehicles, decimals, threads, seed),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", tr!("cli-error", message = format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn plan(
    scenario_path: &Path,
    out: &Path,
    seconds: Option<f64>,
    threads: Option<usize>,
    baseline: bool,
    bars: &Bars,
) -> Result<ExitCode> {
    if let Some(s) = seconds {
        anyhow::ensure!(
            s.is_finite() && s > 0.0,
            tr!("cli-seconds-positive", value = s.to_string())
        );
    }
    let scenario = Scenario::load(scenario_path)?;
    let pbf = scenario.pbf_path();
    bars.say(&tr!(
        "cli-planning",
        scenario = &scenario.name,
        pbf = pbf.display().to_string()
    ));
    let territory = Territory::load(&pbf, bars)?;
    anyhow::ensure!(threads != Some(0), tr!("cli-threads-positive"));
    let options = tournee_pipeline::PlanOptions {
        seconds,
        threads,
        memory_mib: None,
        baseline,
        search_cap: None,
    };
    let outcome = tournee_pipeline::plan_with(&scenario, &territory, bars, &options)?;
    let options = tournee_publish::PublishOptions {
        until: scenario.publish_until,
        roads: road_lines(&territory.map),
        ..Default::default()
    };
    let written = tournee_publish::write_all_opts(out, &outcome.plan, &scenario, &options)
        .with_context(|| tr!("cli-writing-outputs", folder = out))?;
    println!("{}", tournee_publish::summary_text(&outcome.plan));
    // Promises the plan cannot keep, each with its reason (the plan is still made).
    for u in outcome
        .plan
        .unplaced
        .iter()
        .filter(|u| u.reason.starts_with(tournee_model::promise::NOT_KEPT))
    {
        println!(
            "{}",
            tr!(
                "cli-promise-not-kept",
                commune = u.commune.as_deref().unwrap_or("?"),
                reason = not_kept_detail(&u.reason)
            )
        );
    }
    for n in &outcome.plan.notes {
        println!("{}", tr!("cli-plan-note", message = n.message.as_str()));
    }
    if let Some(h) = &outcome.plan.summary.home {
        println!(
            "{}",
            tr!(
                "cli-home-visits",
                served = h.served,
                requests = h.requests,
                priority_served = h.priority_served,
                priority_requested = h.priority_requested,
                days = h.days
            )
        );
    }
    println!(
        "{}",
        tr!(
            "cli-checked",
            routes = outcome.check.routes,
            visits = outcome.check.visits
        )
    );
    if let Some(table) = &outcome.prepared.table {
        println!("{}", table.text());
    }
    // Communes taken from the nearest place, not from a boundary: said so.
    let guessed: std::collections::BTreeSet<&str> = territory
        .map
        .sites
        .iter()
        .zip(&territory.map.site_details)
        .filter(|(s, d)| {
            d.commune_from_nearest_place && outcome.plan.visits().any(|(_, v)| v.site == s.osm)
        })
        .map(|(s, _)| s.commune.as_str())
        .collect();
    if territory.map.communes.boundaries.is_empty() {
        println!("{}", tr!("cli-no-boundaries"));
    } else if !guessed.is_empty() {
        println!(
            "{}",
            tr!(
                "cli-communes-guessed",
                communes = guessed.into_iter().collect::<Vec<_>>().join(", ")
            )
        );
    }
    if let Some(served) = &outcome.prepared.served {
        println!("{}", served.text());
    }
    if !outcome.prepared.excluded.is_empty() {
        println!(
            "{}",
            tr!(
                "cli-excluded-sites",
                count = outcome.prepared.excluded.len()
            )
        );
    }
    print_written(&written, out);
    Ok(ExitCode::SUCCESS)
}

/// What `tournee plan`/`publish` wrote, and each output skipped with its reason.
fn print_written(written: &tournee_publish::Written, out: &Path) {
    println!(
        "{}",
        tr!("cli-wrote", count = written.files.len(), folder = out)
    );
    for why in &written.skipped {
        println!("{why}");
    }
}

/// The territory's roads as the sheets' maps draw them.
fn road_lines(map: &tournee_osm::RawMap) -> Vec<tournee_publish::basemap::RoadLine> {
    use tournee_publish::basemap::{RoadClass, RoadLine};
    map.roads
        .iter()
        .filter_map(|r| {
            let class = RoadClass::of_highway(r.tag("highway")?)?;
            Some(RoadLine {
                points: r.nodes.iter().map(|&i| map.nodes[i as usize]).collect(),
                name: r.tag("name").map(str::to_string),
                class,
            })
        })
        .collect()
}

/// A not-kept promise's reason without its leading "promesse non tenue" (the line
/// says it already, in the user's language).
fn not_kept_detail(reason: &str) -> &str {
    reason
        .strip_prefix(tournee_model::promise::NOT_KEPT)
        .map(|r| r.trim_start_matches([' ', ':', '—', '-', ',']).trim_start())
        .filter(|r| !r.is_empty())
        .unwrap_or(reason)
}

fn read_plan(path: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(tr!(
            "cli-cannot-read-plan",
            path = path,
            reason = tournee_i18n::io_reason(&e)
        ))
    })?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(tr!(
            "cli-not-a-plan",
            path = path,
            position = tr!("json-position", line = e.line(), column = e.column())
        ))
    })
}

fn check(plan_path: &Path, scenario_path: &Path, bars: &Bars) -> Result<ExitCode> {
    let scenario = Scenario::load(scenario_path)?;
    let plan = read_plan(plan_path)?;
    let report = tournee_pipeline::check(&scenario, &plan, bars)?;
    if report.is_ok() {
        println!(
            "{}",
            tr!(
                "cli-check-ok",
                routes = report.routes,
                visits = report.visits,
                population = tournee_i18n::decimal(report.reachable_population_per_week, 1),
                km = tournee_i18n::decimal(report.distance.as_km_f64(), 1)
            )
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{}",
            tr!("cli-check-violations", count = report.violations.len())
        );
        for v in &report.violations {
            println!(
                "  {}",
                tr!(
                    "cli-check-violation",
                    rule = v.rule_label(),
                    at = &v.at,
                    message = &v.message
                )
            );
        }
        Ok(ExitCode::from(2))
    }
}

fn toptw(
    file: &Path,
    seconds: f64,
    vehicles: usize,
    decimals: Option<u32>,
    threads: Option<usize>,
    seed: u64,
) -> Result<ExitCode> {
    use tournee_solver::toptw::{solve, TopTw};
    let text = std::fs::read_to_string(file)
        .with_context(|| tr!("cli-cannot-read-instance", path = file))?;
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let decimals = decimals.unwrap_or(if name.starts_with("pr") { 2 } else { 1 });
    let instance = TopTw::parse(&name, &text, decimals)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    anyhow::ensure!(vehicles >= 1, tr!("cli-vehicles-positive"));
    anyhow::ensure!(
        seconds.is_finite() && seconds > 0.0,
        tr!("cli-seconds-positive-number")
    );
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let solution = solve(
        &instance,
        vehicles,
        std::time::Duration::from_secs_f64(seconds),
        threads,
        seed,
    );
    let checked = instance
        .evaluate(&solution.routes)
        .map_err(|e| anyhow::anyhow!(tr!("cli-infeasible-tours", detail = e.to_string())))?;
    for (i, r) in solution.routes.iter().enumerate() {
        let seq: Vec<String> = r.iter().map(|c| c.to_string()).collect();
        println!("route {}: 0 {} 0", i + 1, seq.join(" "));
    }
    eprintln!(
        "{}",
        tr!("cli-search-iterations", count = solution.iterations)
    );
    println!("{checked}");
    Ok(ExitCode::SUCCESS)
}

/// The command line parsed with its help in the user's language: `--lang` if given,
/// else the environment's ([`help`]).
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let asked = args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        let value = match a.strip_prefix("--lang=") {
            Some(v) => v,
            None if a == "--lang" => args.get(i + 1)?.to_str()?,
            None => return None,
        };
        Lang::from_tag(value)
    });
    tournee_i18n::set_lang(asked.unwrap_or_else(Lang::from_env));
    let matches = help::localized(Cli::command()).get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use tournee_i18n::Lang;

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let keys = crate::help::keys(&crate::Cli::command());
        assert!(keys.contains(&"cli-help-matrix-max-snap-meters".to_string()));
        for lang in Lang::ALL {
            for key in &keys {
                assert!(tournee_i18n::has(lang, key), "{key} missing in {lang:?}");
            }
        }
        for lang in Lang::ALL {
            tournee_i18n::with_lang(lang, || {
                crate::help::localized(crate::Cli::command()).debug_assert()
            });
        }
    }
}
