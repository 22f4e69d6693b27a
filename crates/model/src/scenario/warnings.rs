//! What is probably a mistake but does not stop planning: warnings with the file,
//! the line and the field, shown before the plan (a holiday outside the cycle, a
//! weight for a commune the territory does not have).

use std::fmt;
use std::path::PathBuf;

use super::error::line_of_field;
use super::Scenario;
use crate::site::Place;
use tournee_i18n::tr;

/// A doubtful setting, with where.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioWarning {
    pub path: Option<PathBuf>,
    /// 1-based line in the file, when the field is written there.
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for ScenarioWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = tr!("scenario-error-scenario");
        if let Some(p) = &self.path {
            place = tr!("scenario-error-file", place = place, path = p);
        }
        if let Some(l) = self.line {
            place = tr!("scenario-error-line", place = place, line = l);
        }
        place = tr!("scenario-error-field", place = place, field = &self.field);
        f.write_str(&tr!(
            "warning-scenario",
            place = place,
            message = &self.message
        ))
    }
}

impl Scenario {
    /// A warning about `field`, with the file and the line where it is written.
    pub fn warning(&self, field: String, message: String) -> ScenarioWarning {
        ScenarioWarning {
            path: self.source.clone(),
            line: self.text.as_deref().and_then(|t| line_of_field(t, &field)),
            field,
            message,
        }
    }

    /// The warnings the scenario alone gives (no territory needed).
    pub fn warnings(&self) -> Vec<ScenarioWarning> {
        let first = self.start_date;
        let last = first + chrono::Days::new(u64::from(self.cycle_weeks) * 7 - 1);
        self.holidays
            .iter()
            .filter(|d| **d < first || **d > last)
            .map(|d| {
                self.warning(
                    "holidays".into(),
                    tr!(
                        "warning-holiday-outside",
                        date = d.format("%d/%m/%Y").to_string(),
                        first = first.format("%d/%m/%Y").to_string(),
                        last = last.format("%d/%m/%Y").to_string()
                    ),
                )
            })
            .collect()
    }

    /// Warnings for the weights the scenario itself writes (`objective.weights`)
    /// for a commune none of `places` is (by name or INSEE code), with the
    /// closest name as a suggestion. Weights from the `[demand]` files are not
    /// warned about (a table may cover more than the territory).
    pub fn weight_warnings(&self, places: &[Place]) -> Vec<ScenarioWarning> {
        let Some(text) = self.text.as_deref() else {
            return Vec::new();
        };
        let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
        self.objective
            .weights
            .keys()
            .filter(|k| {
                !places
                    .iter()
                    .any(|p| p.name == **k || p.insee.as_deref() == Some(k.as_str()))
            })
            .filter_map(|k| {
                let field = format!("objective.weights.{k}");
                line_of_field(text, &field)?;
                let hint = crate::rules::closest_name(k, &names)
                    .map(|n| tr!("rules-did-you-mean", name = n))
                    .unwrap_or_default();
                Some(self.warning(
                    field,
                    tr!("warning-weights-unknown", commune = k.as_str(), hint = hint),
                ))
            })
            .collect()
    }
}
