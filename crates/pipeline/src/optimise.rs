//! Stage 3: the optimiser on a prepared scenario — construction, local search, LNS,
//! the exact MILP on small scenarios, the bound beside the search, the
//! coordinator's rules enforced — then the home visits and the independent checker
//! ([`plan`], [`plan_with`]); a plan the checker rejects is an error, never an
//! output. [`check`] re-checks a plan from a file.

use super::*;
/// Scenarios with at most this many usable sites are also solved to proven
/// optimality (`solver::exact`), and the better plan is kept.
pub const EXACT_MAX_SITES: usize = 15;

/// Scenarios with more usable sites skip `solver::local` (whose move enumerates every
/// feasible day of a vehicle, ~sites² each) and rely on `solver::lns`, whose descent
/// makes the same move over shortlists.
pub const LOCAL_MAX_SITES: usize = 200;

/// How to run the optimiser.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Time for the optimiser, from the end of `prepare`: construction always
    /// finishes, the improvement stops at the deadline, the bound and the checker
    /// still run. `None`: no limit, and the plan depends only on the inputs.
    pub seconds: Option<f64>,
    /// Search chains run in parallel (threads); `None`: `solver::lns::CHAINS` (2).
    pub threads: Option<usize>,
    /// Memory budget of the solve in MiB (`budget`): a scenario whose required
    /// stages would need more is refused (`PipelineError::TooLarge`), and local
    /// search or the exact MILP are skipped when their lists would not fit.
    /// `None`: [`budget::DEFAULT_MEMORY_MIB`].
    pub memory_mib: Option<u64>,
    /// Plan as a coordinator does by hand (`solver::baseline`) instead of
    /// optimising: the reference Tournée is measured against. Bound and checker
    /// run as for any plan.
    pub baseline: bool,
    /// A cap on the improvement when `seconds` is `None`: it stops at this many
    /// seconds or earlier, when it stops improving (`solver::lns::PATIENCE`), where
    /// `seconds` uses the time up. A server job's search.
    pub search_cap: Option<f64>,
}

/// A plan and what the checker says of it.
pub struct Outcome {
    pub plan: Plan,
    pub check: CheckReport,
    pub prepared: Prepared,
}

/// Runs stages 2 and 3: prepares, optimises, checks (no time limit).
pub fn plan(
    scenario: &Scenario,
    territory: &Territory,
    progress: &dyn Progress,
) -> Result<Outcome, PipelineError> {
    plan_with(scenario, territory, progress, &PlanOptions::default())
}

/// [`plan`] with options (a time limit).
pub fn plan_with(
    scenario: &Scenario,
    territory: &Territory,
    progress: &dyn Progress,
    options: &PlanOptions,
) -> Result<Outcome, PipelineError> {
    // Home-visit requests are read by `Scenario::load`; a scenario built otherwise
    // (parsed text with a source path) reads them here.
    let with_requests;
    let scenario = if scenario.home_visits.iter().any(|h| h.loaded.is_none()) {
        let mut s = scenario.clone();
        s.load_home_requests()?;
        with_requests = s;
        &with_requests
    } else {
        scenario
    };
    // The caller's hard stop (a job's cancel flag and time limit): every stage
    // checks it in its loops, and the work then ends with `Cancelled`/`TimedOut`.
    let stop = progress.stop_signal();
    let stop_if_cancelled = || stopped(progress, &stop);
    stop_if_cancelled()?;
    let prepared = prepare(scenario, territory, progress)?;
    // What the solve needs, from the sizes now known: refuse what would not fit.
    let memory_mib = options.memory_mib.unwrap_or(budget::DEFAULT_MEMORY_MIB);
    let estimate = budget::estimate(
        scenario,
        prepared.sites.len(),
        prepared
            .coverage
            .by_site
            .iter()
            .filter(|c| !c.is_empty())
            .count(),
        prepared.places.len(),
    );
    estimate.fits(memory_mib).map_err(PipelineError::TooLarge)?;
    let started = std::time::Instant::now();
    let deadline = options
        .seconds
        .or(options.search_cap)
        .map(|s| std::time::Instant::now() + std::time::Duration::from_secs_f64(s.max(0.0)));
    stop_if_cancelled()?;
    if !prepared.warnings.is_empty() {
        progress.begin(&tr!("pipeline-stage-warnings"), 0);
        for w in &prepared.warnings {
            progress.done(&w.to_string());
        }
    }
    // `every_commune_every_weeks` is planned as a promise to every commune
    // without one (`solver::rules`).
    let ruled;
    let planned = if scenario.rules.every_commune_every_weeks.is_some() {
        ruled = scenario.with_rule_promises(&tournee_model::rules::communes_with_population(
            &prepared.places,
        ));
        &ruled
    } else {
        scenario
    };
    let instance = prepared.instance(planned);
    if options.baseline {
        let plan = tournee_solver::baseline::solve(&instance, progress);
        let mut plan = tournee_solver::rules::enforce(&instance, scenario, plan);
        stop_if_cancelled()?;
        progress.begin(&tr!("pipeline-stage-bound"), 0);
        match best_bound_within(&instance, &stop) {
            Ok(b) => plan.summary.upper_bound = Some(b.value),
            Err(e) => progress.done(&tr!("pipeline-bound-failed", why = e)),
        }
        return finish(
            scenario, territory, options, started, plan, prepared, progress,
        );
    }
    // The bound on its own thread beside the search, within the same `--seconds`
    // (a MILP cut short gives its dual bound so far, still a bound). A server job's
    // patient search (`search_cap`) leaves the bound its own time, as before.
    // Under a hard time limit (a server job's), the bound gets at most four fifths
    // of the time left: a bound given up leaves the plan without one (its log
    // says so), never the job without its plan — home visits and the checker
    // still have their time.
    let bound_limit = stop.deadline().map(|d| {
        let now = std::time::Instant::now();
        now + d.saturating_duration_since(now).mul_f64(0.8)
    });
    let bound_stop = stop
        .with_deadline(options.seconds.and(deadline))
        .with_deadline(bound_limit);
    let (searched, bound) = std::thread::scope(|scope| {
        let bound = scope.spawn(|| {
            let t = std::time::Instant::now();
            best_bound_within(&instance, &bound_stop).map(|b| (b, t.elapsed().as_secs_f64()))
        });
        let searched = search(
            &instance, progress, options, deadline, &estimate, memory_mib,
        );
        let bound = bound
            .join()
            .unwrap_or_else(|_| Err("the bound's thread failed".to_string()));
        (searched, bound)
    });
    let (searched_plan, mut proven) = searched?;
    stop_if_cancelled()?;
    // The coordinator's rules (site caps, every vehicle-day used), kept.
    let mut plan = tournee_solver::rules::enforce(&instance, scenario, searched_plan.clone());
    if plan.routes != searched_plan.routes {
        proven = false;
    }
    // None in time (a short limit, a loaded machine): the day-aggregated MILP
    // without the pair cuts after the search, as before the bound had its thread.
    let bound = match bound {
        Err(_) if !proven => {
            let t = std::time::Instant::now();
            bound::fallback_bound_within(&instance, &stop.with_deadline(bound_limit))
                .map(|b| (b, t.elapsed().as_secs_f64()))
        }
        b => b,
    };
    if proven {
        // A proven optimum is its own best bound.
        plan.summary.upper_bound = Some(plan.summary.reachable_population_per_week);
    } else {
        progress.begin(&tr!("pipeline-stage-bound"), 0);
        match bound {
            Ok((b, seconds)) => {
                plan.summary.upper_bound = Some(b.value);
                progress.done(&tr!(
                    "pipeline-bound-done",
                    bound = tournee_i18n::decimal(b.value, 1),
                    variables = b.variables,
                    constraints = b.constraints,
                    seconds = tournee_i18n::decimal(seconds, 1),
                    gap = tournee_i18n::decimal(plan.summary.gap_percent().unwrap_or(0.0), 1)
                ));
            }
            Err(e) => progress.done(&tr!("pipeline-bound-failed", why = e)),
        }
    }
    stop_if_cancelled()?;
    finish(
        scenario, territory, options, started, plan, prepared, progress,
    )
}

/// Construction, local search, LNS and (on small scenarios) the exact MILP; the
/// plan and whether it is a proven optimum.
fn search(
    instance: &Instance,
    progress: &dyn Progress,
    options: &PlanOptions,
    deadline: Option<std::time::Instant>,
    estimate: &budget::Estimate,
    memory_mib: u64,
) -> Result<(Plan, bool), PipelineError> {
    let stop = progress.stop_signal();
    let stop_if_cancelled = || stopped(progress, &stop);
    let prepared_sites = instance.sites.len();
    let mut plan = tournee_solver::greedy::solve(instance, progress);
    stop_if_cancelled()?;
    if prepared_sites <= LOCAL_MAX_SITES {
        if estimate.local_fits(memory_mib) {
            plan = tournee_solver::local::improve(instance, plan, progress);
        } else {
            progress.begin(&tr!("solver-stage-local"), 0);
            progress.done(&tr!(
                "pipeline-skipped-memory",
                patterns = estimate.patterns,
                mib = estimate.local >> 20,
                budget = memory_mib
            ));
        }
        stop_if_cancelled()?;
    }
    plan = tournee_solver::lns::improve(
        instance,
        plan,
        progress,
        tournee_solver::lns::Options {
            deadline,
            rounds: None,
            chains: options.threads,
            patient: options.seconds.is_none(),
        },
    );
    stop_if_cancelled()?;
    let mut proven = false;
    if prepared_sites <= EXACT_MAX_SITES && !estimate.exact_fits(memory_mib) {
        progress.begin(&tr!("pipeline-stage-exact"), 0);
        progress.done(&tr!(
            "pipeline-skipped-memory",
            patterns = estimate.patterns,
            mib = estimate.exact >> 20,
            budget = memory_mib
        ));
    } else if prepared_sites <= EXACT_MAX_SITES {
        progress.begin(&tr!("pipeline-stage-exact"), 0);
        match tournee_solver::exact::solve_within(instance, &stop) {
            // Promises kept first, then the objective.
            Ok(exact)
                if (
                    tournee_solver::promises::kept(instance, &exact.plan.routes),
                    exact.plan.summary.reachable_population_per_week + 1e-9,
                ) >= (
                    tournee_solver::promises::kept(instance, &plan.routes),
                    plan.summary.reachable_population_per_week,
                ) =>
            {
                progress.done(&tr!(
                    "pipeline-exact-done",
                    optimum =
                        tournee_i18n::decimal(exact.plan.summary.reachable_population_per_week, 1),
                    patterns = exact.patterns,
                    heuristic =
                        tournee_i18n::decimal(plan.summary.reachable_population_per_week, 1)
                ));
                plan = exact.plan;
                proven = true;
            }
            Ok(_) => progress.done(&tr!("pipeline-exact-not-better")),
            Err(e) => progress.done(&tr!("pipeline-exact-failed", why = e.to_string())),
        }
        stop_if_cancelled()?;
    }
    Ok((plan, proven))
}

/// `Err` once the caller's stop signal fired or the progress was cancelled.
fn stopped(progress: &dyn Progress, stop: &StopSignal) -> Result<(), PipelineError> {
    match stop.reason() {
        Some(StopReason::TimedOut) => Err(PipelineError::TimedOut),
        Some(StopReason::Cancelled) => Err(PipelineError::Cancelled),
        None if progress.cancelled() => Err(PipelineError::Cancelled),
        None => Ok(()),
    }
}

/// The home visits after the buses, then the independent checker.
fn finish(
    scenario: &Scenario,
    territory: &Territory,
    options: &PlanOptions,
    started: std::time::Instant,
    mut plan: Plan,
    prepared: Prepared,
    progress: &dyn Progress,
) -> Result<Outcome, PipelineError> {
    let stop = progress.stop_signal();
    let stop_if_cancelled = || stopped(progress, &stop);
    if !scenario.home_visits.is_empty() {
        // The buses are planned; the home visits take the days and hours left.
        // With a time limit, they get a tenth of it (at least 0.2 s) on top.
        let home_deadline = options
            .seconds
            .map(|s| {
                started.max(std::time::Instant::now())
                    + std::time::Duration::from_secs_f64((s * 0.1).max(0.2))
            })
            .into_iter()
            .chain(stop.deadline())
            .min();
        progress.begin(&tr!("pipeline-stage-home"), 0);
        home::plan_home_visits(
            scenario,
            territory,
            &mut plan,
            home_deadline,
            &stop,
            options.threads.unwrap_or(2),
        );
        let s = plan.summary.home.clone().unwrap_or_default();
        progress.done(&tr!(
            "pipeline-home-done",
            served = s.served,
            requests = s.requests,
            days = s.days
        ));
        stop_if_cancelled()?;
    }
    stop_if_cancelled()?;
    describe_visits(&mut plan, territory, scenario);
    let input = territory.check_input_with(scenario, &prepared.places);
    // Preferred weekdays and slots the plan could not honour, for the coordinator.
    plan.notes = tournee_solver::check_rules::preference_notes(&plan, &input);
    progress.begin(&tr!("pipeline-stage-check"), 0);
    let check = tournee_solver::check(&plan, &input);
    progress.done(&tr!(
        "pipeline-check-done",
        count = check.violations.len(),
        objective = tournee_i18n::decimal(check.reachable_population_per_week, 1)
    ));
    if !check.is_ok() {
        return Err(PipelineError::RejectedPlan(check.violations));
    }
    Ok(Outcome {
        plan,
        check,
        prepared,
    })
}

/// Gives every visit its site's address, access and INSEE code from the
/// territory's site details, then what the scenario says of the site
/// (`[[site]]`: public name, description, address, access).
pub fn describe_visits(plan: &mut Plan, territory: &Territory, scenario: &Scenario) {
    let by_osm: std::collections::HashMap<tournee_model::OsmRef, usize> = territory
        .map
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.osm, i))
        .collect();
    for route in &mut plan.routes {
        for v in &mut route.visits {
            let Some(&i) = by_osm.get(&v.site) else {
                // A site the coordinator added: what the scenario says of it.
                let added = scenario.site_entries.iter().find(|e| {
                    e.is_added()
                        && e.name.as_deref().map(tournee_model::rules::added_site_ref)
                            == Some(v.site)
                });
                if let Some(e) = added {
                    if let Some(n) = &e.public_name {
                        v.site_name = n.clone();
                    }
                    v.address = e.address.clone();
                    v.wheelchair = e.wheelchair.clone();
                    v.description = e.description.clone();
                }
                continue;
            };
            if let Some(d) = territory.map.site_details.get(i) {
                v.address = Some(d.address(&v.commune));
                v.wheelchair = d.wheelchair.clone();
                v.insee = d.insee.clone();
            }
            let site = &territory.map.sites[i];
            if let Some(e) = scenario.site_entry(site.osm, &site.name) {
                if let Some(n) = &e.public_name {
                    v.site_name = n.clone();
                }
                if let Some(a) = &e.address {
                    v.address = Some(a.clone());
                }
                if let Some(w) = &e.wheelchair {
                    v.wheelchair = Some(w.clone());
                }
                v.description = e.description.clone();
            }
        }
    }
}

/// Loads the scenario's territory and checks `plan` against it.
pub fn check(
    scenario: &Scenario,
    plan: &Plan,
    progress: &dyn Progress,
) -> Result<CheckReport, PipelineError> {
    let territory = Territory::load(&scenario.pbf_path(), progress)?;
    Ok(check_with(plan, &territory, scenario))
}

/// Checks `plan` against an already loaded territory (with the scenario's demand
/// points, [`demand_places`]).
/// A scenario whose commune table was not read is a violation: the checker cannot
/// count the populations the plan was made with.
pub fn check_with(plan: &Plan, territory: &Territory, scenario: &Scenario) -> CheckReport {
    match demand_places(scenario, territory) {
        Ok(Demand { places, .. }) => {
            tournee_solver::check(plan, &territory.check_input_with(scenario, &places))
        }
        Err(e) => {
            let mut report = tournee_solver::check(plan, &territory.check_input(scenario));
            report.violations.push(Violation {
                at: "plan".into(),
                rule: "demand",
                message: e.to_string(),
            });
            report
        }
    }
}
