//! Who a stop reaches: a hard radius or a decay curve (`Reach::share`, the one rule).

use super::*;
use serde::{Deserialize, Serialize};

use crate::units::Seconds;

/// Who a stop reaches: a place counts for a stop by a **share** of its value that
/// depends on the drive from the place to the stop ([`Reach::share`], the one rule
/// used by the optimiser, the checker and the outputs).
///
/// Either a hard radius (`radius_minutes`: share 1 up to the radius, 0 beyond) or a
/// decay curve (`decay`), never both: with a curve, the reach ends where the curve
/// does (its last point, or its first point with share 0), and a radius written
/// next to it would be a second, contradictory answer to "how far does a stop
/// reach", so it is an error rather than silently ignored.
///
/// When neither is given, the default is [`DEFAULT_DECAY`] as steps, with
/// `own_commune`: a stop counts in full for the places of its own commune and for
/// those within a short walk, and less the longer the drive (see the constant for
/// the figures and why).
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
    /// How the curve goes from point to point: `linear` (the default for a curve
    /// the scenario writes) or `steps` (each point's share holds from the point
    /// before up to it; the built-in default curve).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<DecayShape>,
    /// With a decay curve, a stop in the place's own commune counts in full for it
    /// (its residents hear of it in the bulletin, walk or get a neighbour's lift),
    /// within the reach. Default true; no effect with a hard radius.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub own_commune: bool,
    /// A cargo bike's stop reaches a place when residents walk from the place to the
    /// stop in at most this long (on the foot graph). Default 10.
    #[serde(default = "ten_u32", skip_serializing_if = "is_ten")]
    pub walk_minutes: u32,
}

fn ten_u32() -> u32 {
    10
}
fn yes() -> bool {
    true
}
fn is_true(v: &bool) -> bool {
    *v
}
fn is_ten(v: &u32) -> bool {
    *v == 10
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            radius_minutes: None,
            decay: None,
            shape: None,
            own_commune: true,
            walk_minutes: 10,
        }
    }
}

/// How a decay curve goes from one point to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecayShape {
    /// Linear between points.
    Linear,
    /// Each point's share holds from the point before (exclusive) up to it.
    Steps,
}

/// The default reach, as steps: 1 within 2 minutes' drive (a short walk: about
/// a kilometre), 0.5 up to 5 minutes (the next village), 0.3 up to 10, 0.1 up to
/// 20, nothing beyond; and in full in the place's own commune (`own_commune`).
///
/// Why (`docs`: who comes to the stop): the public of a mediation bus is mostly
/// older residents and people on low incomes, many of whom do not drive. A stop
/// in their own commune is announced in its bulletin and within a walk or a
/// neighbour's lift, so it serves them in full. From the next village only those
/// with a car or a lift come — we count half; at 10 minutes, a 20-minute round
/// trip for half an hour of help, under a third; at 20 minutes, one in ten; at
/// more, a stop has not served the place. These are judgement values, not
/// measurements: a coordinator who knows their public writes their own curve.
/// Steps rather than lines, so that a place's shares take few distinct values (the
/// exact model and the bounds have one set of variables per value).
pub const DEFAULT_DECAY: [DecayPoint; 4] = [
    DecayPoint {
        minutes: 2,
        share: 1.0,
    },
    DecayPoint {
        minutes: 5,
        share: 0.5,
    },
    DecayPoint {
        minutes: 10,
        share: 0.3,
    },
    DecayPoint {
        minutes: 20,
        share: 0.1,
    },
];

/// One point of a reach decay curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecayPoint {
    pub minutes: u32,
    pub share: f64,
}

impl Reach {
    /// The decay curve in force and its shape: the scenario's, or the default
    /// ([`DEFAULT_DECAY`], steps) when it gives neither a curve nor a radius;
    /// `None` with a hard radius.
    pub fn curve(&self) -> Option<(&[DecayPoint], DecayShape)> {
        match (self.decay.as_deref(), self.radius_minutes) {
            (Some(points), _) => Some((points, self.shape.unwrap_or(DecayShape::Linear))),
            (None, Some(_)) => None,
            (None, None) => Some((&DEFAULT_DECAY, DecayShape::Steps)),
        }
    }

    /// How far a stop reaches at all: the hard radius, or where the decay curve
    /// ends (its first point with share 0, else its last point). No place farther
    /// than this has a share above 0.
    pub fn radius(&self) -> Seconds {
        match self.curve() {
            Some((points, _)) if !points.is_empty() => {
                let end = points
                    .iter()
                    .find(|p| p.share <= 0.0)
                    .or(points.last())
                    .map_or(0, |p| p.minutes);
                Seconds::from_minutes(end)
            }
            _ => Seconds::from_minutes(self.radius_minutes.unwrap_or(0)),
        }
    }

    /// The share (within [0, 1]) of a place's value that a stop earns when the
    /// drive from the place to the stop takes `drive`: 1 within the hard radius and
    /// 0 beyond it, or the decay curve's value (its first point's share up to that
    /// point, then linear between points or, as steps, the share of the first
    /// point at or after the drive; 0 after the last).
    pub fn share(&self, drive: Seconds) -> f64 {
        let Some((points, shape)) = self.curve().filter(|(p, _)| !p.is_empty()) else {
            return if drive <= self.radius() { 1.0 } else { 0.0 };
        };
        let at = |p: &DecayPoint| p.minutes.saturating_mul(60);
        if drive.0 <= at(&points[0]) {
            return points[0].share;
        }
        for w in points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if drive.0 <= at(b) {
                return match shape {
                    DecayShape::Steps => b.share,
                    DecayShape::Linear => {
                        let f = (drive.0 - at(a)) as f64 / (at(b) - at(a)) as f64;
                        a.share + (b.share - a.share) * f
                    }
                };
            }
        }
        0.0
    }

    /// The share a stop earns for a place, knowing whether the stop is in the
    /// place's own commune: with a decay curve and `own_commune`, 1 for its own
    /// commune within the reach ([`Reach::radius`]), else [`Reach::share`]. The
    /// one reach rule: the coverage, the checker and the outputs call it.
    pub fn share_at(&self, drive: Seconds, own_commune: bool) -> f64 {
        if own_commune && self.own_commune && drive <= self.radius() {
            1.0
        } else {
            self.share(drive)
        }
    }

    /// Whether every reached place counts in full (no decay curve).
    pub fn is_hard(&self) -> bool {
        self.curve().is_none()
    }

    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        if self.shape.is_some() && self.decay.is_none() {
            return Err((
                "reach.shape".into(),
                "a shape goes with a decay curve (decay = [...]) written beside it".into(),
            ));
        }
        let Some(points) = &self.decay else {
            let Some(r) = self.radius_minutes else {
                return Ok(());
            };
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
            shape: None,
            own_commune: false,
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
