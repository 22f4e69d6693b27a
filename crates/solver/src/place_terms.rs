//! The per-place block of the objective that every linear model writes the same way
//! ([`bound`](crate::bound), [`exact`](crate::exact), [`daybound`](crate::daybound),
//! [`cyclebound`](crate::cyclebound)):
//! what reaching one place in one period (`Objective::period_of`) is worth,
//! as `Objective::weekly_value` counts it, divided by the cycle's weeks.
//!
//! Given the stops that may reach the place that week (each with its reach share and
//! the linear expression of "this stop is made": a binary, an LP variable or a sum),
//! for each share level `L` of the place (`share_steps`: one level, 1, with a hard
//! radius) and each counted reach `k` (`1..=repeat_factors + 1`, while
//! `repeat_value(k) > 0`), one `z ∈ [0, 1]` worth `value × step(L) ×
//! repeat_value(k) / weeks`, with `Σ_k z ≤ Σ` the stops of share ≥ `L`. The factors
//! are non-increasing, so an optimum fills the `z` in order, and the sum over levels
//! is exactly the weekly value (each level `L` counts the stops of share ≥ `L`,
//! worth the step down to the next level).

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};
use tournee_model::scenario::{share_steps, Objective, Scenario};

/// Adds one place-week's `z` to `vars`, their terms to `objective` and their
/// `Σ z ≤ stops` rows to `constraints`; returns the `z` created.
///
/// `reaches`: (share, stop expression) of each stop that may reach the place that
/// week; `scale`: what the place is worth in the objective per unit of share
/// (value / weeks).
pub(crate) fn add<E>(
    vars: &mut ProblemVariables,
    objective_rule: &Objective,
    scale: f64,
    reaches: &[(f64, E)],
    objective: &mut Expression,
    constraints: &mut Vec<Constraint>,
) -> Vec<Variable>
where
    E: Clone + Into<Expression>,
{
    let mut zs = Vec::new();
    if scale <= 0.0 {
        return zs;
    }
    for (level, step) in share_steps(reaches.iter().map(|(s, _)| *s)) {
        let mut sum = Expression::from(0.0);
        for nth in 1..=objective_rule.repeat_factors.len() as u32 + 1 {
            let worth = objective_rule.repeat_value(nth);
            if worth <= 0.0 {
                break;
            }
            let z = vars.add(variable().min(0).max(1));
            sum += z;
            *objective += (scale * step * worth) * z;
            zs.push(z);
        }
        let mut stops = Expression::from(0.0);
        for (_, e) in reaches.iter().filter(|(s, _)| *s >= level) {
            stops += e.clone().into();
        }
        constraints.push(sum.leq(stops));
    }
    zs
}

/// The objective of a bound: [`add`] for every (period, place) of `reach`, each
/// worth the place's value (`values`) over `sc`'s cycle weeks; returns the objective
/// and the number of `z` created.
pub(crate) fn objective<E>(
    vars: &mut ProblemVariables,
    sc: &Scenario,
    values: &[f64],
    reach: impl IntoIterator<Item = ((usize, usize), Vec<(f64, E)>)>,
    constraints: &mut Vec<Constraint>,
) -> (Expression, usize)
where
    E: Clone + Into<Expression>,
{
    let weeks = sc.cycle_weeks.max(1) as f64;
    let mut objective = Expression::from(0.0);
    let mut n_vars = 0;
    for ((_, p), reaches) in reach {
        n_vars += add(
            vars,
            &sc.objective,
            values[p] / weeks,
            &reaches,
            &mut objective,
            constraints,
        )
        .len();
    }
    (objective, n_vars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use good_lp::solvers::highs::highs;
    use good_lp::{Solution, SolverModel};

    /// With the stops fixed, the block's optimum is the weekly value.
    #[test]
    fn fixed_stops_give_the_weekly_value() {
        let rule = Objective {
            repeat_factors: vec![0.5, 0.25, 0.0],
            ..Objective::default()
        };
        for shares in [
            vec![1.0],
            vec![0.5, 1.0, 0.25],
            vec![0.75, 0.75, 0.5, 0.5, 0.25],
            vec![],
        ] {
            let mut vars = ProblemVariables::new();
            let ys: Vec<_> = shares
                .iter()
                .map(|_| vars.add(variable().min(1).max(1)))
                .collect();
            let reaches: Vec<(f64, Variable)> = shares.iter().copied().zip(ys).collect();
            let mut objective = Expression::from(0.0);
            let mut constraints = Vec::new();
            let zs = add(
                &mut vars,
                &rule,
                3.0,
                &reaches,
                &mut objective,
                &mut constraints,
            );
            if shares.is_empty() {
                assert!(zs.is_empty() && constraints.is_empty());
                continue;
            }
            let mut model = vars.maximise(objective.clone()).using(highs);
            for c in constraints {
                model = model.with(c);
            }
            let got = model.solve().unwrap().eval(&objective);
            let want = 3.0 * rule.weekly_value(&mut shares.clone());
            assert!((got - want).abs() < 1e-6, "{shares:?}: {got} vs {want}");
        }
    }
}
