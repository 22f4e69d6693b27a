//! Demand from files: an INSEE commune table (official populations, optionally a
//! weight per commune) and a weights file (e.g. a digital-fragility index per
//! commune), and how a commune's official population is spread over its places.
//!
//! The readers are pure functions on the file's bytes (the I/O is in
//! [`crate::Scenario::load`]). They accept the layouts INSEE publishes:
//! - separator `;` or `,` (or a tab), detected on the header line;
//! - UTF-8 (with or without BOM), or Windows-1252 / Latin-1 when the bytes are not
//!   UTF-8 (INSEE has published both);
//! - columns recognised by name: the commune code (`CODGEO`, `DEPCOM`, `COM` when it
//!   holds 5-character codes, or `DEP` + `CODCOM`/`COM` when those hold the
//!   3-character code within the département; `Code département` + `Code commune`
//!   likewise), the name (`LIBGEO`, `LIBELLE`,
//!   `NCCENR`, `Nom de la commune`, `Commune`, `COM` when it holds names), the
//!   population (`PMUN`, `Population municipale`, `P21_POP`-like, `PTOT`,
//!   `Population totale`), optional `lon`/`lat` (or `longitude`/`latitude`).
//!
//! Every error names the file, the line and the column.
//!
//! Submodules by concern: [`table`] (bytes → text → records, columns recognised by
//! header), [`communes`] (the commune table), [`weights`] (weights files, IRIS rows
//! aggregated to communes), [`apply`] (names, matching rows to places, spreading a
//! commune's population), [`served`] (places already served by fixed sites).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

pub mod apply;
pub mod communes;
pub mod served;
pub mod table;
pub mod weights;

pub use apply::{
    apply_table, apply_table_within, normalise_name, spread, table_weights, TableReport,
};
pub use communes::{read_communes, CommuneRow, CommuneTable};
pub use served::{discount, read_served, ServedList, ServedReport, ServedSite};
pub use table::decode;
pub use weights::read_weights;

/// The `[demand]` table of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandConfig {
    /// An INSEE commune table (CSV), relative to the scenario file: its populations
    /// replace those of OSM for the places of the communes it lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communes: Option<PathBuf>,
    /// The year of the Code officiel géographique the table's codes follow
    /// (required with `communes`, shown in outputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<u16>,
    /// A column of the commune table holding a weight per commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_column: Option<String>,
    /// A weights file (CSV: a code or name column and a `weight` column), relative
    /// to the scenario file; `objective.weights` entries win over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<PathBuf>,
    /// The value of an average commune in the weight column (e.g. 100 for the
    /// digital-fragility index, whose reference average is 100): weights read from
    /// the files are divided by it, so that a population stays comparable to an
    /// unweighted one. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_reference: Option<f64>,
    /// Places already served: a list of fixed, open sites (the ANCT France services
    /// list, MedNum places; relative to the scenario file). What they reach counts
    /// as already covered, so tours go elsewhere (see [`served`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served: Option<PathBuf>,
}

/// The oldest and newest COG years accepted as `vintage`.
pub const VINTAGE_RANGE: std::ops::RangeInclusive<u16> = 1943..=2100;

/// A file that cannot be used: which file, which line and column, why.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandFileError {
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for DemandFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DemandFileError {}
