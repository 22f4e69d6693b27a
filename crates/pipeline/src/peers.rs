//! General routing engines side by side (`bench/peers.sh`): the instance they are
//! given ([`export`]) and their answers turned into checked plans ([`import`]),
//! both through `solver::peers`.

use tournee_model::{Plan, Progress, Scenario};
use tournee_solver::peers::{PeerDay, PeerInstance};
use tournee_solver::CheckReport;

use crate::{prepare, PipelineError, Territory};

/// The scenario as a general routing engine sees it.
pub fn export(
    scenario: &Scenario,
    territory: &Territory,
    progress: &dyn Progress,
) -> Result<PeerInstance, PipelineError> {
    let prepared = prepare(scenario, territory, progress)?;
    Ok(tournee_solver::peers::export(&prepared.instance(scenario)))
}

/// An engine's answer as a plan: timed and crewed as the optimiser does, with
/// Tournée's bound, and checked (a rejected plan is returned with its report, not
/// an error: the benchmark reports it). The strings are the days left out.
pub fn import(
    scenario: &Scenario,
    territory: &Territory,
    days: &[PeerDay],
    method: &str,
    progress: &dyn Progress,
) -> Result<(Plan, CheckReport, Vec<String>), PipelineError> {
    let prepared = prepare(scenario, territory, progress)?;
    let instance = prepared.instance(scenario);
    // Days off and their reasons, as every plan of the scenario says them.
    let base = tournee_solver::greedy::solve(&instance, progress);
    let (mut plan, dropped) = tournee_solver::peers::assemble(&instance, &base, days, method)
        .map_err(PipelineError::Peer)?;
    if let Ok(b) = crate::best_bound(&instance) {
        plan.summary.upper_bound = Some(b.value);
    }
    let check = tournee_solver::check(
        &plan,
        &territory.check_input_with(scenario, &prepared.places),
    );
    Ok((plan, check, dropped))
}
