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

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

use crate::geo::LonLat;
use crate::ids::PlaceId;
use crate::site::{Place, PopulationSource};
use crate::units::Population;

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

/// One commune of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRow {
    /// 1-based line in the file.
    pub line: u64,
    /// INSEE code (5 characters, `2A`/`2B` for Corsica), when the table has one.
    pub code: Option<String>,
    pub name: String,
    pub population: Population,
    pub weight: Option<f64>,
    pub location: Option<LonLat>,
}

/// An INSEE commune table, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneTable {
    pub path: PathBuf,
    pub rows: Vec<CommuneRow>,
    /// Rows skipped because they are not communes (`TYPECOM` other than `COM`:
    /// associated and delegated communes, municipal arrondissements).
    pub skipped_not_communes: usize,
}

/// Bytes → text: UTF-8 (BOM dropped), else Windows-1252 (a superset of Latin-1 in
/// which INSEE's older files are written; `Œ` in `Œting` is 0x8C there).
pub fn decode(bytes: &[u8], path: &Path) -> Result<String, DemandFileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    // 0x80..=0x9F in Windows-1252; '\0' marks the five bytes it leaves undefined.
    const CP1252: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let mut out = String::with_capacity(bytes.len());
    let mut line = 1;
    for &b in bytes {
        let c = match b {
            0x80..=0x9F => CP1252[(b - 0x80) as usize],
            _ => b as char,
        };
        if c == '\0' && b != 0 {
            return Err(DemandFileError {
                path: path.to_path_buf(),
                line: Some(line),
                column: None,
                message: format!(
                    "byte 0x{b:02X} is neither UTF-8 nor Latin-1/Windows-1252 text: save the file as UTF-8"
                ),
            });
        }
        if b == b'\n' {
            line += 1;
        }
        out.push(c);
    }
    Ok(out)
}

/// The separator of the header line: the most frequent of `;`, `,` and tab.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&c| (header.bytes().filter(|&b| b == c).count(), c == b';'))
        .unwrap_or(b';')
}

/// A header, compared without case, accents or spacing ("Nom de la commune").
fn header_key(h: &str) -> String {
    normalise_name(h).replace(' ', "_")
}

struct Records {
    headers: Vec<String>,
    /// (line, fields)
    rows: Vec<(u64, Vec<String>)>,
}

fn records(text: &str, path: &Path) -> Result<Records, DemandFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let err = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        DemandFileError {
            path: path.to_path_buf(),
            line,
            column: None,
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields where the header has {expected_len}"),
                _ => e.to_string(),
            },
        }
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(err)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for r in reader.records() {
        let r = r.map_err(err)?;
        let line = r.position().map_or(0, |p| p.line());
        if r.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((line, r.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Records { headers, rows })
}

fn is_code5(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || matches!(b[1], b'A' | b'B' | b'a' | b'b'))
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn is_code3(v: &str) -> bool {
    v.len() == 3 && v.bytes().all(|b| b.is_ascii_digit())
}

/// How to read a commune's code and name from a row.
enum CodeColumns {
    One(usize),
    /// Département + code within it.
    Joined(usize, usize),
}

struct Columns {
    code: Option<CodeColumns>,
    name: Option<usize>,
}

fn find(headers: &[String], keys: &[&str]) -> Option<usize> {
    keys.iter()
        .find_map(|k| headers.iter().position(|h| header_key(h) == *k))
}

/// Finds the code and name columns by their INSEE names (and `COM` by content).
fn code_and_name(rec: &Records) -> Columns {
    let h = &rec.headers;
    let all = |i: usize, test: fn(&str) -> bool| {
        rec.rows
            .iter()
            .filter_map(|(_, r)| r.get(i))
            .filter(|v| !v.is_empty())
            .all(|v| test(v))
    };
    let com = find(h, &["com"]);
    let dep = find(h, &["dep", "code_departement"]);
    let code = if let Some(i) = find(h, &["codgeo", "depcom", "code_commune_insee", "code_insee"]) {
        Some(CodeColumns::One(i))
    } else if let Some(i) = com.filter(|&i| all(i, is_code5)) {
        Some(CodeColumns::One(i))
    } else if let (Some(d), Some(c)) = (
        dep,
        find(h, &["codcom", "code_commune"])
            .filter(|&i| all(i, is_code3))
            .or(com.filter(|&i| all(i, is_code3))),
    ) {
        Some(CodeColumns::Joined(d, c))
    } else {
        None
    };
    let com_is_name = com.filter(|&i| !all(i, is_code5) && !all(i, is_code3));
    let name = find(
        h,
        &[
            "libgeo",
            "libelle",
            "nccenr",
            "nom_de_la_commune",
            "nom_commune",
            "commune",
            "nom",
        ],
    )
    .or(com_is_name);
    Columns { code, name }
}

fn code_of(c: &CodeColumns, row: &[String]) -> String {
    match c {
        CodeColumns::One(i) => row[*i].to_uppercase(),
        CodeColumns::Joined(d, i) => {
            // Départements 1 to 9 are sometimes written without their leading zero.
            let dep = &row[*d];
            let dep = if dep.len() == 1 {
                format!("0{dep}")
            } else {
                dep.clone()
            };
            format!("{}{}", dep.to_uppercase(), row[*i])
        }
    }
}

fn columns_found(rec: &Records) -> String {
    rec.headers
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a count written "1234", "1 234" (spaces, no-break spaces) or "1234.0".
fn parse_count(raw: &str) -> Option<u32> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let f: f64 = s.replace(',', ".").parse().ok()?;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64).then_some(f as u32)
}

fn parse_number(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// Reads an INSEE commune table. `weight_column`, when given, must be a column of
/// the file; its values become the communes' weights.
pub fn read_communes(
    bytes: &[u8],
    path: &Path,
    weight_column: Option<&str>,
) -> Result<CommuneTable, DemandFileError> {
    let text = decode(bytes, path)?;
    let rec = records(&text, path)?;
    let error = |line: Option<u64>, column: Option<&str>, message: String| DemandFileError {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let cols = code_and_name(&rec);
    if cols.code.is_none() && cols.name.is_none() {
        return Err(error(
            Some(1),
            None,
            format!(
                "no commune code column (CODGEO, DEPCOM, COM, or DEP with CODCOM) nor name column (LIBGEO, LIBELLE, NCCENR, Nom de la commune); the columns are {}",
                columns_found(&rec)
            ),
        ));
    }
    let h = &rec.headers;
    let yearly: Vec<usize> = (0..h.len())
        .filter(|&i| {
            let k = header_key(&h[i]);
            k.len() == 7
                && k.starts_with('p')
                && k[1..3].bytes().all(|b| b.is_ascii_digit())
                && &k[3..] == "_pop"
        })
        .collect();
    let population = match find(h, &["pmun", "population_municipale"]) {
        Some(i) => i,
        None if yearly.len() > 1 => {
            return Err(error(
                Some(1),
                None,
                format!(
                    "several population columns ({}): keep one in the file",
                    yearly
                        .iter()
                        .map(|&i| format!("`{}`", h[i]))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
        None => match yearly
            .first()
            .copied()
            .or_else(|| find(h, &["ptot", "population_totale", "population"]))
        {
            Some(i) => i,
            None => {
                return Err(error(
                    Some(1),
                    None,
                    format!(
                        "no population column (PMUN, Population municipale, P21_POP…, PTOT); the columns are {}",
                        columns_found(&rec)
                    ),
                ))
            }
        },
    };
    let weight = match weight_column {
        Some(w) => Some(
            h.iter()
                .position(|c| c == w)
                .or_else(|| find(h, &[header_key(w).as_str()]))
                .ok_or_else(|| {
                    error(
                        Some(1),
                        Some(w),
                        format!(
                            "no such column (named by `demand.weight_column`); the columns are {}",
                            columns_found(&rec)
                        ),
                    )
                })?,
        ),
        None => None,
    };
    let lon = find(h, &["lon", "longitude"]);
    let lat = find(h, &["lat", "latitude"]);
    if lon.is_some() != lat.is_some() {
        return Err(error(
            Some(1),
            None,
            "a longitude column needs a latitude column, and the other way round".into(),
        ));
    }
    let typecom = find(h, &["typecom"]);
    let mut table = CommuneTable {
        path: path.to_path_buf(),
        rows: Vec::new(),
        skipped_not_communes: 0,
    };
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for (line, row) in &rec.rows {
        let line = *line;
        if typecom.is_some_and(|t| !row[t].eq_ignore_ascii_case("COM")) {
            table.skipped_not_communes += 1;
            continue;
        }
        let code = match &cols.code {
            Some(c) => {
                let code = code_of(c, row);
                if !is_code5(&code) {
                    let col = match c {
                        CodeColumns::One(i) => h[*i].as_str(),
                        CodeColumns::Joined(_, i) => h[*i].as_str(),
                    };
                    return Err(error(
                        Some(line),
                        Some(col),
                        format!("`{code}` is not an INSEE commune code (5 characters, e.g. 35238 or 2A004)"),
                    ));
                }
                if let Some(first) = seen.insert(code.clone(), line) {
                    return Err(error(
                        Some(line),
                        Some(match c {
                            CodeColumns::One(i) | CodeColumns::Joined(_, i) => h[*i].as_str(),
                        }),
                        format!("commune code {code} is listed twice (first on line {first})"),
                    ));
                }
                Some(code)
            }
            None => None,
        };
        let name = cols.name.map(|i| row[i].clone()).unwrap_or_default();
        let name = if name.is_empty() {
            code.clone().unwrap_or_default()
        } else {
            name
        };
        if name.is_empty() {
            return Err(error(
                Some(line),
                cols.name.map(|i| h[i].as_str()),
                "the commune has no name".into(),
            ));
        }
        let pop = parse_count(&row[population]).ok_or_else(|| {
            error(
                Some(line),
                Some(&h[population]),
                format!(
                    "`{}` is not a population (a whole number of inhabitants)",
                    row[population]
                ),
            )
        })?;
        let weight = match weight {
            Some(i) => Some(
                parse_number(&row[i])
                    .filter(|w| crate::scenario::valid_weight(*w))
                    .ok_or_else(|| {
                        error(
                            Some(line),
                            Some(&h[i]),
                            format!(
                                "`{}` is not a weight (a number from 0 to {})",
                                row[i],
                                crate::scenario::MAX_WEIGHT
                            ),
                        )
                    })?,
            ),
            None => None,
        };
        let location = match (lon, lat) {
            (Some(x), Some(y)) if !(row[x].is_empty() && row[y].is_empty()) => {
                let p = match (parse_number(&row[x]), parse_number(&row[y])) {
                    (Some(lon), Some(lat)) => Some(LonLat::new(lon, lat)),
                    _ => None,
                }
                .filter(LonLat::is_valid)
                .ok_or_else(|| {
                    error(
                        Some(line),
                        Some(&h[x]),
                        format!(
                            "`{}`, `{}` is not a longitude and latitude in degrees",
                            row[x], row[y]
                        ),
                    )
                })?;
                Some(p)
            }
            _ => None,
        };
        table.rows.push(CommuneRow {
            line,
            code,
            name,
            population: Population(pop),
            weight,
            location,
        });
    }
    if table.rows.is_empty() {
        return Err(error(None, None, "the table lists no commune".into()));
    }
    Ok(table)
}

/// A weights file: commune code or name → weight (e.g. a digital-fragility index).
/// The weight column is `weight_column` when given, else `weight`, `poids` or
/// `indice`. Keys are codes when the file has a code column, else names.
pub fn read_weights(
    bytes: &[u8],
    path: &Path,
    weight_column: Option<&str>,
) -> Result<BTreeMap<String, f64>, DemandFileError> {
    let text = decode(bytes, path)?;
    let rec = records(&text, path)?;
    let error = |line: Option<u64>, column: Option<&str>, message: String| DemandFileError {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let cols = code_and_name(&rec);
    let h = &rec.headers;
    let value = weight_column
        .and_then(|w| find(h, &[header_key(w).as_str()]))
        .or_else(|| find(h, &["weight", "poids", "indice"]))
        .ok_or_else(|| {
            error(
                Some(1),
                None,
                format!(
                    "no weight column (`weight`, `poids`, `indice`{}); the columns are {}",
                    weight_column
                        .map(|w| format!(" or `{w}`"))
                        .unwrap_or_default(),
                    columns_found(&rec)
                ),
            )
        })?;
    let mut out = BTreeMap::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for (line, row) in &rec.rows {
        let (key, col) = match (&cols.code, cols.name) {
            (Some(c), _) => {
                let code = code_of(c, row);
                let i = match c {
                    CodeColumns::One(i) | CodeColumns::Joined(_, i) => *i,
                };
                if !is_code5(&code) {
                    return Err(error(
                        Some(*line),
                        Some(&h[i]),
                        format!("`{code}` is not an INSEE commune code"),
                    ));
                }
                (code, i)
            }
            (None, Some(i)) => (row[i].clone(), i),
            (None, None) => {
                return Err(error(
                    Some(1),
                    None,
                    format!(
                        "no commune code column (CODGEO, DEPCOM, COM) nor name column (LIBGEO, LIBELLE, Nom de la commune); the columns are {}",
                        columns_found(&rec)
                    ),
                ))
            }
        };
        if key.is_empty() {
            return Err(error(Some(*line), Some(&h[col]), "empty commune".into()));
        }
        let w = parse_number(&row[value])
            .filter(|w| crate::scenario::valid_weight(*w))
            .ok_or_else(|| {
                error(
                    Some(*line),
                    Some(&h[value]),
                    format!(
                        "`{}` is not a weight (a number from 0 to {})",
                        row[value],
                        crate::scenario::MAX_WEIGHT
                    ),
                )
            })?;
        if let Some(first) = lines.insert(key.clone(), *line) {
            return Err(error(
                Some(*line),
                Some(&h[col]),
                format!("`{key}` is listed twice (first on line {first})"),
            ));
        }
        out.insert(key, w);
    }
    Ok(out)
}

/// A name as compared between a table and OSM: lower case, no accents, `œ` → `oe`,
/// hyphens, apostrophes and other punctuation as spaces, `St`/`Ste` → `saint`/`sainte`.
pub fn normalise_name(name: &str) -> String {
    let folded: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'œ' => "oe".to_string(),
            'æ' => "ae".to_string(),
            c if c.is_alphanumeric() => c.to_string(),
            _ => " ".to_string(),
        })
        .collect();
    folded
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `total` over parts in proportion to `shares`, in whole numbers summing to
/// `total` exactly (largest remainders, ties to the earlier part); equal parts when
/// every share is 0.
pub fn spread(total: u32, shares: &[u32]) -> Vec<u32> {
    if shares.is_empty() {
        return Vec::new();
    }
    let sum: u64 = shares.iter().map(|&s| s as u64).sum();
    let (shares, sum): (Vec<u64>, u64) = if sum == 0 {
        (vec![1; shares.len()], shares.len() as u64)
    } else {
        (shares.iter().map(|&s| s as u64).collect(), sum)
    };
    let total = total as u64;
    let mut parts: Vec<u64> = shares.iter().map(|s| total * s / sum).collect();
    let left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // Largest remainder first: remainder_i = total·s_i mod sum.
    order.sort_by_key(|&i| (std::cmp::Reverse(total * shares[i] % sum), i));
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts.into_iter().map(|p| p as u32).collect()
}

/// What applying a commune table did.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TableReport {
    pub path: PathBuf,
    pub vintage: u16,
    pub rows: usize,
    /// Rows matched to a place by INSEE code, and by name.
    pub matched_by_code: usize,
    pub matched_by_name: usize,
    /// Places whose population now comes from the table.
    pub places_from_table: usize,
    /// Rows matching no place but with coordinates: a place was added there.
    pub places_added: usize,
    /// Rows matching no place and without coordinates (name and line), not counted.
    pub unmatched: Vec<(String, u64)>,
    /// Places of the territory no row matched (they keep their OSM or estimated
    /// population).
    pub places_not_in_table: usize,
    pub skipped_not_communes: usize,
}

impl TableReport {
    /// One paragraph for the coordinator.
    pub fn text(&self) -> String {
        let mut s = format!(
            "Commune table {} (COG {}): {} commune(s), {} matched by INSEE code and {} by name; {} place(s) counted with the table's population, {} added from the table's coordinates, {} place(s) of the territory not in the table (OSM or estimated population kept).",
            self.path.display(),
            self.vintage,
            self.rows,
            self.matched_by_code,
            self.matched_by_name,
            self.places_from_table,
            self.places_added,
            self.places_not_in_table
        );
        if !self.unmatched.is_empty() {
            let first: Vec<String> = self
                .unmatched
                .iter()
                .take(5)
                .map(|(n, l)| format!("{n} (line {l})"))
                .collect();
            s.push_str(&format!(
                " {} commune(s) of the table match no place of the territory and have no coordinates, so they are not counted: {}{}.",
                self.unmatched.len(),
                first.join(", "),
                if self.unmatched.len() > 5 { ", …" } else { "" }
            ));
        }
        s
    }
}

/// The places with the table's populations: each row is matched to a place by INSEE
/// code (`ref:INSEE`), else by normalised name when exactly one commune seat has it
/// and no other row does; the row's population is spread over its commune's places
/// (the matched place and the hamlets whose nearest commune seat it is, the rule
/// that gives sites their commune) in proportion to their OSM or estimated
/// populations, with source [`PopulationSource::Table`]. A matched place gets the
/// row's code as its `insee`. Rows matching nothing are added as places when they
/// have coordinates, else listed in the report.
pub fn apply_table(
    places: &[Place],
    table: &CommuneTable,
    vintage: u16,
) -> (Vec<Place>, TableReport) {
    let mut out: Vec<Place> = places.to_vec();
    let mut report = TableReport {
        path: table.path.clone(),
        vintage,
        rows: table.rows.len(),
        skipped_not_communes: table.skipped_not_communes,
        ..TableReport::default()
    };
    let seat: Vec<bool> = {
        let any = places.iter().any(Place::is_commune_seat);
        places.iter().map(|p| !any || p.is_commune_seat()).collect()
    };
    // Names: normalised name → seats having it; rows having it.
    let mut seats_named: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in places.iter().enumerate().filter(|(i, _)| seat[*i]) {
        seats_named
            .entry(normalise_name(&p.name))
            .or_default()
            .push(i);
    }
    let mut rows_named: BTreeMap<String, usize> = BTreeMap::new();
    for r in &table.rows {
        *rows_named.entry(normalise_name(&r.name)).or_default() += 1;
    }
    let mut by_code: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in places.iter().enumerate() {
        if let Some(c) = &p.insee {
            by_code.entry(c.as_str()).or_default().push(i);
        }
    }
    // Row → the place it matches.
    let mut matched: Vec<(usize, usize)> = Vec::new(); // (row, place)
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    let mut unmatched_rows = Vec::new();
    for (ri, r) in table.rows.iter().enumerate() {
        let by_code = r
            .code
            .as_deref()
            .and_then(|c| by_code.get(c))
            .and_then(|v| {
                // Several places with the code: the seat among them, if one.
                let seats: Vec<usize> = v.iter().copied().filter(|&i| seat[i]).collect();
                match (v.len(), seats.len()) {
                    (1, _) => Some(v[0]),
                    (_, 1) => Some(seats[0]),
                    _ => None,
                }
            })
            .filter(|i| !taken.contains(i));
        let found = match by_code {
            Some(i) => {
                report.matched_by_code += 1;
                Some(i)
            }
            None => {
                let key = normalise_name(&r.name);
                match seats_named.get(&key) {
                    Some(v)
                        if v.len() == 1
                            && rows_named.get(&key) == Some(&1)
                            && !taken.contains(&v[0])
                            // A place whose own code says it is another commune.
                            && (places[v[0]].insee.is_none() || r.code.is_none()) =>
                    {
                        report.matched_by_name += 1;
                        Some(v[0])
                    }
                    _ => None,
                }
            }
        };
        match found {
            Some(i) => {
                taken.insert(i);
                matched.push((ri, i));
            }
            None => unmatched_rows.push(ri),
        }
    }
    // Each unmatched place (a hamlet, typically) joins the commune of its nearest
    // seat, when that seat was matched.
    let seats: Vec<usize> = (0..places.len()).filter(|&i| seat[i]).collect();
    let row_of_place: BTreeMap<usize, usize> = matched.iter().map(|&(r, p)| (p, r)).collect();
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new(); // row → places
    for (i, p) in places.iter().enumerate() {
        let row = match row_of_place.get(&i) {
            Some(&r) => Some(r),
            None if seat[i] => None,
            None => seats
                .iter()
                .min_by(|&&a, &&b| {
                    places[a]
                        .location
                        .distance_m(&p.location)
                        .total_cmp(&places[b].location.distance_m(&p.location))
                })
                .and_then(|s| row_of_place.get(s).copied()),
        };
        match row {
            Some(r) => members.entry(r).or_default().push(i),
            None => report.places_not_in_table += 1,
        }
    }
    for (r, group) in &members {
        let row = &table.rows[*r];
        let shares: Vec<u32> = group.iter().map(|&i| places[i].population.0).collect();
        for (&i, part) in group.iter().zip(spread(row.population.0, &shares)) {
            out[i].population = Population(part);
            out[i].population_source = PopulationSource::Table;
            if out[i].insee.is_none() && row_of_place.get(&i) == Some(r) {
                out[i].insee = row.code.clone();
            }
            report.places_from_table += 1;
        }
    }
    for ri in unmatched_rows {
        let r = &table.rows[ri];
        match r.location {
            Some(location) => {
                // Negative ids, as OSM editors number objects not in the database.
                let id = out.len() as u32;
                out.push(Place {
                    id: PlaceId(id),
                    osm: crate::ids::OsmRef::node(-(r.line as i64)),
                    name: r.name.clone(),
                    place_type: "commune".into(),
                    location,
                    population: r.population,
                    population_source: PopulationSource::Table,
                    insee: r.code.clone(),
                });
                report.places_added += 1;
                report.places_from_table += 1;
            }
            None => report.unmatched.push((r.name.clone(), r.line)),
        }
    }
    (out, report)
}

/// Weights the table's `weight_column` gives, keyed by code (by name when the table
/// has no code column).
pub fn table_weights(table: &CommuneTable) -> BTreeMap<String, f64> {
    table
        .rows
        .iter()
        .filter_map(|r| {
            r.weight
                .map(|w| (r.code.clone().unwrap_or_else(|| r.name.clone()), w))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OsmRef;

    fn read(text: &str) -> Result<CommuneTable, DemandFileError> {
        read_communes(text.as_bytes(), Path::new("communes.csv"), None)
    }

    #[test]
    fn the_populations_legales_layout() {
        // INSEE "Populations légales", donnees_communes.csv: `;`, DEP + COM (3 digits).
        let t = read(
            "REG;Région;DEP;Département;ARR;CANT;COM;Commune;PMUN;PCAP;PTOT\n\
             53;Bretagne;35;Ille-et-Vilaine;1;1;238;Rennes;225081;4329;229410\n\
             53;Bretagne;35;Ille-et-Vilaine;1;2;001;Acigné;7186;105;7291\n",
        )
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].code.as_deref(), Some("35238"));
        assert_eq!(t.rows[0].name, "Rennes");
        assert_eq!(t.rows[0].population, Population(225081));
        assert_eq!(t.rows[1].code.as_deref(), Some("35001"));
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn the_comparateur_layout_with_a_bom_and_commas() {
        let t = read("\u{feff}CODGEO,LIBGEO,P21_POP\n2A004,Ajaccio,73000\n01001,L'Abergement-Clémenciat,859\n")
            .unwrap();
        assert_eq!(t.rows[0].code.as_deref(), Some("2A004"));
        assert_eq!(t.rows[1].name, "L'Abergement-Clémenciat");
        assert_eq!(t.rows[1].population, Population(859));
    }

    #[test]
    fn the_cog_layout_skips_what_is_not_a_commune() {
        // COG's TYPECOM/COM/LIBELLE columns, with a population column added.
        let t = read(
            "TYPECOM;COM;LIBELLE;PMUN\nCOM;14712;Val-de-Vie;1200\nCOMD;14712;Fervaques;400\nCOM;14713;Vire;11000\n",
        )
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.skipped_not_communes, 1);
        assert_eq!(t.rows[1].code.as_deref(), Some("14713"));
    }

    #[test]
    fn french_headers_com_as_a_name_latin1_and_coordinates() {
        // `Nom de la commune` and `Population municipale` with spaces in figures.
        let t = read(
            "Code département;Code commune;Nom de la commune;Population municipale\n35;238;Rennes;225 081\n",
        );
        let t = t.unwrap();
        assert_eq!(t.rows[0].code.as_deref(), Some("35238"));
        assert_eq!(t.rows[0].name, "Rennes");
        assert_eq!(t.rows[0].population, Population(225081));
        // COM holding names; Windows-1252 bytes (é = 0xE9, Œ = 0x8C).
        let mut bytes = b"DEP;CODCOM;COM;PTOT;lon;lat\n57;521;".to_vec();
        bytes.extend([0x8C, b't', b'i', b'n', b'g']);
        bytes.extend(b";2700;6.91;49.17\n57;001;Aboncourt;380;;\n");
        let t = read_communes(&bytes, Path::new("c.csv"), None).unwrap();
        assert_eq!(t.rows[0].name, "Œting");
        assert_eq!(t.rows[0].code.as_deref(), Some("57521"));
        assert_eq!(t.rows[0].location, Some(LonLat::new(6.91, 49.17)));
        assert_eq!(t.rows[1].location, None);
    }

    #[test]
    fn bad_rows_are_errors_with_file_line_and_column() {
        let e =
            read("CODGEO;LIBGEO;PMUN\n35238;Rennes;225081\n35001;Acigné;beaucoup\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("PMUN")));
        assert!(
            e.to_string()
                .starts_with("communes.csv, line 3, column `PMUN`"),
            "{e}"
        );
        let e = read("CODGEO;LIBGEO;PMUN\n35238;Rennes;1\n35238;Rennes bis;2\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("first on line 2"), "{e}");
        let e = read("CODGEO;LIBGEO;HABITANTS\n35238;Rennes;1\n").unwrap_err();
        assert!(e.message.contains("`CODGEO`, `LIBGEO`, `HABITANTS`"), "{e}");
        let e = read("CODGEO;LIBGEO;PMUN\n3523;Rennes;1\n").unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("CODGEO")));
        let e = read("CODGEO;LIBGEO;PMUN\n35238;Rennes\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = read_communes(
            b"CODGEO;PMUN;IFN\n35238;1;x\n",
            Path::new("c.csv"),
            Some("IFN"),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("IFN")));
        let e =
            read_communes(b"CODGEO;PMUN\n35238;1\n", Path::new("c.csv"), Some("IFN")).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("IFN"));
        let t = read_communes(
            b"CODGEO;LIBGEO;PMUN\n35238;\xffs;1\n",
            Path::new("c.csv"),
            None,
        );
        assert_eq!(t.unwrap().rows[0].name, "ÿs", "0xFF is ÿ in Latin-1");
        let e = read_communes(
            b"CODGEO;LIBGEO;PMUN\n35238;\x81;1\n",
            Path::new("c.csv"),
            None,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn weights_files() {
        let w = read_weights(
            b"CODGEO;LIBGEO;indice\n35238;Rennes;1,4\n35001;Acign\xe9;0.8\n",
            Path::new("w.csv"),
            None,
        )
        .unwrap();
        assert_eq!(w.get("35238"), Some(&1.4));
        assert_eq!(w.get("35001"), Some(&0.8));
        let by_name =
            read_weights(b"commune,weight\nRennes,2\n", Path::new("w.csv"), None).unwrap();
        assert_eq!(by_name.get("Rennes"), Some(&2.0));
        let e = read_weights(
            b"commune,weight\nRennes,2\nRennes,3\n",
            Path::new("w.csv"),
            None,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = read_weights(b"commune,weight\nRennes,-2\n", Path::new("w.csv"), None).unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("weight")));
        let e = read_weights(b"commune,score\nRennes,2\n", Path::new("w.csv"), None).unwrap_err();
        assert!(e.message.contains("`commune`, `score`"), "{e}");
        assert!(read_weights(
            b"commune,score\nRennes,2\n",
            Path::new("w.csv"),
            Some("score")
        )
        .is_ok());
    }

    #[test]
    fn names_are_compared_without_case_accents_or_punctuation() {
        assert_eq!(normalise_name("Saint-Étienne"), "saint etienne");
        assert_eq!(normalise_name("ST ETIENNE"), "saint etienne");
        assert_eq!(normalise_name("L’Île-d'Yeu"), "l ile d yeu");
        assert_eq!(normalise_name("Œting"), "oeting");
        assert_eq!(normalise_name("Ste-Marie  "), "sainte marie");
        assert_ne!(normalise_name("Stella"), normalise_name("Saint Ella"));
    }

    #[test]
    fn a_spread_keeps_the_total_and_the_proportions() {
        assert_eq!(spread(1000, &[300, 100, 100]), vec![600, 200, 200]);
        assert_eq!(spread(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(spread(7, &[0, 0]), vec![4, 3]);
        assert_eq!(spread(0, &[5, 9]), vec![0, 0]);
        for (total, shares) in [
            (12_345u32, vec![7u32, 13, 0, 999, 1]),
            (3, vec![1, 1, 1, 1, 1]),
        ] {
            assert_eq!(spread(total, &shares).iter().sum::<u32>(), total);
        }
    }

    fn place(i: u32, name: &str, kind: &str, lon: f64, pop: u32, insee: Option<&str>) -> Place {
        Place {
            id: PlaceId(i),
            osm: OsmRef::node(i as i64 + 1),
            name: name.into(),
            place_type: kind.into(),
            location: LonLat::new(lon, 45.0),
            population: Population(pop),
            population_source: PopulationSource::Osm,
            insee: insee.map(str::to_string),
        }
    }

    #[test]
    fn a_commune_total_is_spread_over_its_seat_and_hamlets() {
        let places = vec![
            place(0, "Aubrac", "village", 0.0, 300, Some("00001")),
            place(1, "Le Moulin", "hamlet", 0.01, 100, None),
            place(2, "Saint-Brès", "village", 0.1, 500, None),
            place(3, "Les Vignes", "hamlet", 0.09, 40, None),
            place(4, "Outre", "village", 0.3, 50, None),
        ];
        let table = read(
            "CODGEO;LIBGEO;PMUN;lon;lat\n00001;Aubrac;800;;\n00002;St Brès;1080;;\n00009;Nowhere;70;;\n00010;Newtown;90;0.5;45.0\n",
        )
        .unwrap();
        let (out, r) = apply_table(&places, &table, 2024);
        // Aubrac (by code) 300:100 of 800; Saint-Brès (by name) 500:40 of 1080.
        let pops: Vec<u32> = out.iter().map(|p| p.population.0).collect();
        assert_eq!(pops, vec![600, 200, 1000, 80, 50, 90]);
        assert_eq!(out[2].insee.as_deref(), Some("00002"));
        assert_eq!(out[3].insee, None, "a hamlet is not the commune");
        assert_eq!(out[4].population_source, PopulationSource::Osm);
        assert_eq!(out[5].population_source, PopulationSource::Table);
        assert_eq!(out[5].id, PlaceId(5));
        assert!(out[..4]
            .iter()
            .all(|p| p.population_source == PopulationSource::Table));
        assert_eq!((r.matched_by_code, r.matched_by_name), (1, 1));
        assert_eq!(r.places_from_table, 5);
        assert_eq!(r.places_added, 1);
        assert_eq!(r.places_not_in_table, 1);
        assert_eq!(r.unmatched, vec![("Nowhere".to_string(), 4)]);
        assert!(r.text().contains("Nowhere (line 4)"), "{}", r.text());
    }

    #[test]
    fn an_ambiguous_name_matches_nothing() {
        let places = vec![
            place(0, "Saint-Martin", "village", 0.0, 300, None),
            place(1, "Saint-Martin", "village", 0.2, 100, None),
        ];
        let table = read("LIBGEO;PMUN\nSaint Martin;1\n").unwrap();
        let (out, r) = apply_table(&places, &table, 2024);
        assert_eq!(out, places);
        assert_eq!(r.unmatched.len(), 1);
        // Two rows of one name for one place: neither is taken either.
        let places = &places[..1];
        let table = read("LIBGEO;PMUN\nSaint Martin;1\nSAINT-MARTIN;2\n").unwrap();
        assert_eq!(apply_table(places, &table, 2024).1.unmatched.len(), 2);
    }
}
