//! Home visits in the pipeline: for each `[[home_visits]]` section, the drive-time
//! table between the base and the requests' homes on the car graph (contraction
//! hierarchy from [`crate::CH_MIN_POINTS`] points or once it is built, as in
//! [`crate::prepare`]), then `solver::home` on it, after the buses.

use tournee_model::home::REQUEST_MAX_SNAP_METERS;
use tournee_model::{Plan, Scenario};
use tournee_routing::{Matrix, NodeIdx, Phantom};
use tournee_solver::home::{self, HomeInstance};

use crate::{Territory, CH_MIN_POINTS};

/// The table of one section: row/column 0 is the base; `table_index[k]` is request
/// `k`'s row (`None`: its home is too far from a road).
pub struct HomeTable {
    pub table_index: Vec<Option<usize>>,
    pub travel: Matrix,
}

/// Drive times between the section's base and its requests' homes.
pub fn home_table(scenario: &Scenario, territory: &Territory, section: usize) -> HomeTable {
    let g = &territory.graph;
    let h = &scenario.home_visits[section];
    let base = scenario
        .home_base(h)
        .map(|d| d.location())
        .unwrap_or(tournee_model::LonLat::new(0.0, 0.0));
    let mut points: Vec<NodeIdx> = vec![g.snap(base).node];
    let mut table_index = Vec::new();
    for r in h.request_list() {
        let snap = g.snap(r.location);
        if snap.distance.0 <= REQUEST_MAX_SNAP_METERS {
            table_index.push(Some(points.len()));
            points.push(snap.node);
        } else {
            table_index.push(None);
        }
    }
    let travel = if points.len() >= CH_MIN_POINTS || territory.has_hierarchy() {
        let phantoms: Vec<Phantom> = points
            .iter()
            .map(|&n| Phantom::at_node(g, n, g.coord(n)))
            .collect();
        territory.hierarchy().table(&phantoms, &phantoms)
    } else {
        g.matrix(&points, &points, &|| {})
    };
    HomeTable {
        table_index,
        travel,
    }
}

/// Plans every section's home-visit days around `plan`'s bus routes, adds them and
/// their unplaced requests and days to `plan`, and sets `plan.summary.home`.
pub fn plan_home_visits(
    scenario: &Scenario,
    territory: &Territory,
    plan: &mut Plan,
    deadline: Option<std::time::Instant>,
    stop: &tournee_model::StopSignal,
    threads: usize,
) {
    for (i, section) in scenario.home_visits.iter().enumerate() {
        if stop.stopped() {
            break; // the caller reports the work as stopped
        }
        let table = home_table(scenario, territory, i);
        let inst = HomeInstance {
            scenario,
            section,
            table_index: table.table_index,
            travel: &table.travel,
        };
        let out = home::solve(
            &inst,
            &plan.routes,
            deadline,
            stop,
            threads,
            scenario.seed.wrapping_add(i as u64),
        );
        plan.home_visits.extend(out.days);
        plan.unplaced.extend(out.unplaced);
    }
    plan.home_visits
        .sort_by(|a, b| (a.mediator.as_str(), a.date).cmp(&(b.mediator.as_str(), b.date)));
    plan.summary.home = Some(home::summary(scenario, &plan.home_visits));
}
