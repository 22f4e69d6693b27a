//! How reached places are valued: weights, repeat factors, weekly values.

use super::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest weight of a place or commune. Weights say how much more one
/// inhabitant counts than another (a fragility index, a priority): a million to one
/// is already beyond any such ratio, and keeps every objective (weights ×
/// populations × visits) a finite number.
pub const MAX_WEIGHT: f64 = 1_000_000.0;

/// Whether `w` is a usable weight: finite, from 0 to [`MAX_WEIGHT`].
pub fn valid_weight(w: f64) -> bool {
    w.is_finite() && (0.0..=MAX_WEIGHT).contains(&w)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Weight of a place whose name (or INSEE code) is not in `weights`.
    #[serde(default = "one_f64")]
    pub default_weight: f64,
    /// Weight per place name or INSEE code, e.g. a digital-fragility index.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Diminishing returns: the share of a place's value earned by reaching it a
    /// second, third… time in the same `repeat_period` (non-increasing, within
    /// [0, 1]). Default [`DEFAULT_REPEAT_FACTORS`]; empty: only the first time
    /// counts.
    #[serde(
        default = "default_repeat_factors",
        skip_serializing_if = "is_default_repeat_factors"
    )]
    pub repeat_factors: Vec<f64>,
    /// Over what a place's reaches are ranked for `repeat_factors`: the whole
    /// `cycle` (the default: a second visit in the cycle is worth half the first,
    /// so the tours spread over the communes before coming back) or each `week`
    /// (every week starts afresh: a place reached every week counts in full every
    /// week).
    #[serde(default, skip_serializing_if = "RepeatPeriod::is_cycle")]
    pub repeat_period: RepeatPeriod,
}

/// The default `repeat_factors`: a second reach of a place in the cycle is worth
/// half the first (people come back: a missing document, a follow-up), a third a
/// quarter, a fourth an eighth; more count for nothing.
pub const DEFAULT_REPEAT_FACTORS: [f64; 3] = [0.5, 0.25, 0.125];

fn default_repeat_factors() -> Vec<f64> {
    DEFAULT_REPEAT_FACTORS.to_vec()
}
fn is_default_repeat_factors(v: &[f64]) -> bool {
    v == DEFAULT_REPEAT_FACTORS
}

/// Over what a place's reaches are ranked for the repeat factors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatPeriod {
    #[default]
    Cycle,
    Week,
}

impl RepeatPeriod {
    pub fn is_cycle(&self) -> bool {
        *self == RepeatPeriod::Cycle
    }
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            default_weight: 1.0,
            weights: BTreeMap::new(),
            repeat_factors: default_repeat_factors(),
            repeat_period: RepeatPeriod::Cycle,
        }
    }
}

impl Objective {
    /// The period (index) of week `week` of the cycle: a place's reaches in one
    /// period are ranked together ([`Objective::weekly_value`]); 0 for every week
    /// with `repeat_period = "cycle"`.
    pub fn period_of(&self, week: u32) -> usize {
        match self.repeat_period {
            RepeatPeriod::Cycle => 0,
            RepeatPeriod::Week => week as usize,
        }
    }

    /// How many periods a cycle of `weeks` weeks has.
    pub fn periods(&self, weeks: u32) -> usize {
        match self.repeat_period {
            RepeatPeriod::Cycle => 1,
            RepeatPeriod::Week => weeks.max(1) as usize,
        }
    }

    /// The share of a place's value earned by the `nth` stop (1-based) reaching it
    /// in a week: 1 for the first, then `repeat_factors`, then 0.
    pub fn repeat_value(&self, nth: u32) -> f64 {
        match nth {
            0 => 0.0,
            1 => 1.0,
            n => self
                .repeat_factors
                .get(n as usize - 2)
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// The share of a place's value earned in a week where `n` stops reach it.
    pub fn weekly_share(&self, n: u32) -> f64 {
        (1..=n.min(self.repeat_factors.len() as u32 + 1))
            .map(|k| self.repeat_value(k))
            .sum()
    }

    /// The share of a place's value earned in a week from the reach shares
    /// ([`Reach::share`]) of the stops reaching it that week: sorted in decreasing
    /// order s1 ≥ s2 ≥ …, `Σ_k s_k × repeat_value(k)`. With no repeat factors, the
    /// best share; with a hard radius (all shares 1), [`Objective::weekly_share`].
    /// The one rule of the objective: every optimiser and the checker count so
    /// (the MILP and the bounds through [`share_steps`], which sums to the same).
    /// Sorts `shares`.
    pub fn weekly_value(&self, shares: &mut [f64]) -> f64 {
        shares.sort_by(|a, b| b.total_cmp(a));
        shares
            .iter()
            .take(self.repeat_factors.len() + 1)
            .enumerate()
            .map(|(k, s)| s * self.repeat_value(k as u32 + 1))
            .sum()
    }

    /// What one more reach with `share` adds to [`Objective::weekly_value`] of a
    /// place already reached with `sorted` (in decreasing order) that week: the
    /// new reach takes its rank, and the smaller ones each move one rank down.
    /// With a hard radius, `repeat_value(n + 1)` exactly.
    pub fn added_value(&self, sorted: &[f64], share: f64) -> f64 {
        let ranks = self.repeat_factors.len() + 1;
        let j = sorted.partition_point(|&s| s >= share);
        if j >= ranks {
            return 0.0;
        }
        let mut gain = share * self.repeat_value(j as u32 + 1);
        for (k, &s) in sorted.iter().enumerate().take(ranks).skip(j) {
            gain -= s * (self.repeat_value(k as u32 + 1) - self.repeat_value(k as u32 + 2));
        }
        gain
    }

    pub fn weight_of(&self, name: &str, insee: Option<&str>) -> f64 {
        insee
            .and_then(|c| self.weights.get(c))
            .or_else(|| self.weights.get(name))
            .copied()
            .unwrap_or(self.default_weight)
    }
}

/// The weekly value of a place, by levels, as the MILP and the bounds count it:
/// for the distinct shares `L_1 > L_2 > … > L_m` among `shares`, the pairs
/// `(L_l, L_l − L_{l+1})` (with `L_{m+1} = 0`). For any plan, with `n_l` the
/// number of its reaches of share ≥ `L_l`,
/// `weekly_value = Σ_l (L_l − L_{l+1}) × weekly_share(n_l)`: each level is a
/// hard-radius reach worth its step, so one `z` per level and reach is exact.
/// A hard radius has the one level `(1, 1)`.
pub fn share_steps(shares: impl IntoIterator<Item = f64>) -> Vec<(f64, f64)> {
    let mut levels: Vec<f64> = shares.into_iter().filter(|s| *s > 0.0).collect();
    levels.sort_by(|a, b| b.total_cmp(a));
    levels.dedup();
    (0..levels.len())
        .map(|l| {
            (
                levels[l],
                levels[l] - levels.get(l + 1).copied().unwrap_or(0.0),
            )
        })
        .collect()
}
