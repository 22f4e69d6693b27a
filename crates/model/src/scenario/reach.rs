//! Who a stop reaches: a hard radius or a decay curve (`Reach::share`, the one rule).

use super::*;
use serde::{Deserialize, Serialize};

use crate::units::Seconds;

/// Who a stop reaches: a place counts for a stop by a **share** of its value that
/// depends on the drive from the place to the stop ([`Reach::share`], the one rule
/// used by the optimiser, the checker and the outputs).
///
/// Either a hard radius (`radius_minutes`, 15 when nothing is given: share 1 up to
/// the radius, 0 beyond) or a decay curve (`decay`), never both: with a curve, the
/// reach ends where the curve does (its last point, or its first point with share
/// 0), and a radius written next to it would be a second, contradictory answer to
/// "how far does a stop reach", so it is an error rather than silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reach {
    /// A stop reaches a place when the drive from the place to the stop takes at most
    /// this long (default 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_minutes: Option<u32>,
    /// A piecewise-linear share of a place's value by drive time, e.g.
    /// `[{ minutes = 10, share = 1.0 }, { minutes = 20, share = 0.5 },
    /// { minutes = 30, share = 0.0 }]`: the first point's share before it, linear
    /// between points, 0 after the last. Minutes strictly increasing (1 to 120),
    /// shares within [0, 1], non-increasing, the first above 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<Vec<DecayPoint>>,
    /// A cargo bike's stop reaches a place when residents walk from the place to the
    /// stop in at most this long (on the foot graph). Default 10.
    #[serde(default = "ten_u32", skip_serializing_if = "is_ten")]
    pub walk_minutes: u32,
}

fn ten_u32() -> u32 {
    10
}
fn is_ten(v: &u32) -> bool {
    *v == 10
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            radius_minutes: None,
            decay: None,
            walk_minutes: 10,
        }
    }
}

/// One point of a reach decay curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecayPoint {
    pub minutes: u32,
    pub share: f64,
}

/// The hard radius when neither `radius_minutes` nor `decay` is given.
pub const DEFAULT_REACH_MINUTES: u32 = 15;

impl Reach {
    /// How far a stop reaches at all: the hard radius, or where the decay curve
    /// ends (its first point with share 0, else its last point). No place farther
    /// than this has a share above 0.
    pub fn radius(&self) -> Seconds {
        match self.decay.as_deref() {
            Some(points) if !points.is_empty() => {
                let end = points
                    .iter()
                    .find(|p| p.share <= 0.0)
                    .or(points.last())
                    .map_or(0, |p| p.minutes);
                Seconds::from_minutes(end)
            }
            _ => Seconds::from_minutes(self.radius_minutes.unwrap_or(DEFAULT_REACH_MINUTES)),
        }
    }

    /// The share (within [0, 1]) of a place's value that a stop earns when the
    /// drive from the place to the stop takes `drive`: 1 within the hard radius and
    /// 0 beyond it, or the decay curve's value (its first point's share up to that
    /// point, linear between points, 0 after the last).
    pub fn share(&self, drive: Seconds) -> f64 {
        let Some(points) = self.decay.as_deref().filter(|p| !p.is_empty()) else {
            return if drive <= self.radius() { 1.0 } else { 0.0 };
        };
        let at = |p: &DecayPoint| p.minutes.saturating_mul(60);
        if drive.0 <= at(&points[0]) {
            return points[0].share;
        }
        for w in points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if drive.0 <= at(b) {
                let f = (drive.0 - at(a)) as f64 / (at(b) - at(a)) as f64;
                return a.share + (b.share - a.share) * f;
            }
        }
        0.0
    }

    /// Whether every reached place counts in full (no decay curve).
    pub fn is_hard(&self) -> bool {
        self.decay.is_none()
    }

    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        let Some(points) = &self.decay else {
            let r = self.radius_minutes.unwrap_or(DEFAULT_REACH_MINUTES);
            if !(1..=120).contains(&r) {
                return Err((
                    "reach.radius_minutes".into(),
                    format!("the reach radius must be 1 to 120 minutes, not {r}"),
                ));
            }
            return Ok(());
        };
        if points.is_empty() {
            return Err((
                "reach.decay".into(),
                "a decay curve needs at least one point ({ minutes = 15, share = 1.0 })".into(),
            ));
        }
        if let Some(r) = self.radius_minutes {
            return Err((
                "reach.radius_minutes".into(),
                format!(
                    "give either a hard radius (radius_minutes = {r}) or a decay curve, not \
                     both: with a curve the reach ends where the curve does ({} min here)",
                    self.radius().0 / 60
                ),
            ));
        }
        for (i, p) in points.iter().enumerate() {
            if !(1..=120).contains(&p.minutes) {
                return Err((
                    format!("reach.decay[{i}].minutes"),
                    format!("a drive of {} min is outside 1 to 120", p.minutes),
                ));
            }
            if i > 0 && p.minutes <= points[i - 1].minutes {
                return Err((
                    format!("reach.decay[{i}].minutes"),
                    format!(
                        "minutes must increase from point to point: {} comes after {}",
                        p.minutes,
                        points[i - 1].minutes
                    ),
                ));
            }
            if !(p.share.is_finite() && (0.0..=1.0).contains(&p.share)) {
                return Err((
                    format!("reach.decay[{i}].share"),
                    format!("a share is within [0, 1], not {}", p.share),
                ));
            }
            if i > 0 && p.share > points[i - 1].share {
                return Err((
                    format!("reach.decay[{i}].share"),
                    format!(
                        "a longer drive cannot be worth more: share {} after {}",
                        p.share,
                        points[i - 1].share
                    ),
                ));
            }
        }
        if points[0].share <= 0.0 {
            return Err((
                "reach.decay[0].share".into(),
                "a curve whose first share is 0 reaches no one".into(),
            ));
        }
        Ok(())
    }

    /// The reach of a cargo bike's stop: residents walk to it, and every place
    /// within `walk_minutes` on foot counts in full (the decay curve, a rule about
    /// driving, does not apply to walking).
    pub fn walking(&self) -> Reach {
        Reach {
            radius_minutes: Some(self.walk_minutes),
            decay: None,
            walk_minutes: self.walk_minutes,
        }
    }

    /// The reach of a stop of a vehicle of this mode: the drive radius for a car,
    /// the walk for a cargo bike.
    pub fn radius_for(&self, mode: TravelMode) -> Seconds {
        match mode {
            TravelMode::Car => self.radius(),
            TravelMode::CargoBike => Seconds::from_minutes(self.walk_minutes),
        }
    }
}
