//! `tournee peers export|import`: the bridge to general routing engines used by
//! `bench/peers.sh` (OR-Tools, VROOM): the instance as JSON, and their routes back
//! as a checked Tournée plan.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use tournee_model::Scenario;
use tournee_pipeline::Territory;

use crate::progress::Bars;

/// `tournee peers`; its help is the catalogue's (`cli-help-peers-…`).
#[derive(Subcommand)]
pub enum Action {
    Export {
        scenario: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    Import {
        scenario: PathBuf,
        #[arg(long)]
        routes: PathBuf,
        #[arg(long)]
        method: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(action: &Action, bars: &Bars) -> Result<ExitCode> {
    let load = |path: &Path| -> Result<(Scenario, Territory)> {
        let scenario = Scenario::load(path)?;
        let territory = Territory::load(&scenario.pbf_path(), bars)?;
        Ok((scenario, territory))
    };
    match action {
        Action::Export { scenario, out } => {
            let (scenario, territory) = load(scenario)?;
            let instance = tournee_pipeline::peers::export(&scenario, &territory, bars)?;
            let text = serde_json::to_string(&instance)?;
            std::fs::write(out, text)
                .with_context(|| format!("impossible d'écrire {}", out.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Import {
            scenario,
            routes,
            method,
            out,
        } => {
            let (scenario, territory) = load(scenario)?;
            let text = std::fs::read_to_string(routes)
                .with_context(|| format!("impossible de lire {}", routes.display()))?;
            let days: Vec<tournee_solver::peers::PeerDay> = serde_json::from_str(&text)
                .with_context(|| format!("{} : tournées illisibles", routes.display()))?;
            let (plan, check, dropped) =
                tournee_pipeline::peers::import(&scenario, &territory, &days, method, bars)?;
            std::fs::create_dir_all(out)
                .with_context(|| format!("impossible de créer {}", out.display()))?;
            std::fs::write(out.join("plan.json"), serde_json::to_string_pretty(&plan)?)
                .with_context(|| format!("impossible d'écrire dans {}", out.display()))?;
            let figures = serde_json::json!({
                "method": method,
                "objective": plan.summary.reachable_population_per_week,
                "checked_objective": check.reachable_population_per_week,
                "bound": plan.summary.upper_bound,
                "routes": plan.routes.len(),
                "visits": plan.summary.visits,
                "violations": check.violations.len(),
                "first_violation": check.violations.first().map(|v| format!("{}: {}", v.at, v.message)),
                "dropped_days": dropped,
            });
            println!("{figures}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
