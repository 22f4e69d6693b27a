//! Reading a CSV the way INSEE and others publish it: bytes → text (UTF-8 or
//! Windows-1252), separator detected on the header, records with their line, and
//! the commune code and name columns recognised by header (and `COM`/`code` by
//! content).

use std::path::Path;

use super::apply::normalise_name;
use super::DemandFileError;

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
pub(crate) fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&c| (header.bytes().filter(|&b| b == c).count(), c == b';'))
        .unwrap_or(b';')
}

/// A header, compared without case, accents or spacing ("Nom de la commune").
pub(crate) fn header_key(h: &str) -> String {
    normalise_name(h).replace(' ', "_")
}

pub(crate) struct Records {
    pub(crate) headers: Vec<String>,
    /// (line, fields)
    pub(crate) rows: Vec<(u64, Vec<String>)>,
}

pub(crate) fn records(text: &str, path: &Path) -> Result<Records, DemandFileError> {
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

pub(crate) fn is_code5(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || matches!(b[1], b'A' | b'B' | b'a' | b'b'))
        && b[2..].iter().all(u8::is_ascii_digit)
}

pub(crate) fn is_code3(v: &str) -> bool {
    v.len() == 3 && v.bytes().all(|b| b.is_ascii_digit())
}

/// How to read a commune's code and name from a row.
pub(crate) enum CodeColumns {
    One(usize),
    /// Département + code within it.
    Joined(usize, usize),
}

pub(crate) struct Columns {
    pub(crate) code: Option<CodeColumns>,
    pub(crate) name: Option<usize>,
}

pub(crate) fn find(headers: &[String], keys: &[&str]) -> Option<usize> {
    keys.iter()
        .find_map(|k| headers.iter().position(|h| header_key(h) == *k))
}

/// Finds the code and name columns by their INSEE names (and `COM` by content).
pub(crate) fn code_and_name(rec: &Records) -> Columns {
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
    // `code` (Etalab's decoupage-administratif) and `insee_com` (ANCT, IFN) when
    // they hold 5-character codes.
    let by_content = find(h, &["com", "code", "insee_com"]).filter(|&i| all(i, is_code5));
    let code = if let Some(i) = find(h, &["codgeo", "depcom", "code_commune_insee", "code_insee"]) {
        Some(CodeColumns::One(i))
    } else if let Some(i) = by_content {
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
            "nom_com",
            "libcom",
            "lib_com",
        ],
    )
    .or(com_is_name);
    Columns { code, name }
}

pub(crate) fn code_of(c: &CodeColumns, row: &[String]) -> String {
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

pub(crate) fn columns_found(rec: &Records) -> String {
    rec.headers
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a count written "1234", "1 234" (spaces, no-break spaces) or "1234.0".
pub(crate) fn parse_count(raw: &str) -> Option<u32> {
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

pub(crate) fn parse_number(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// Whether the file's header has the column `name` (compared as headers are).
pub fn has_column(bytes: &[u8], path: &Path, name: &str) -> bool {
    decode(bytes, path)
        .and_then(|text| records(&text, path))
        .is_ok_and(|rec| {
            rec.headers.iter().any(|h| h == name)
                || find(&rec.headers, &[header_key(name).as_str()]).is_some()
        })
}
