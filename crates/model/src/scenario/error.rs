//! Errors in a scenario, with the file, the line and the field.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A scenario that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub path: Option<PathBuf>,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// Dotted field path, e.g. `vehicles[1].depot`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use tournee_i18n::tr;
        let mut place = tr!("scenario-error-scenario");
        if let Some(p) = &self.path {
            place = tr!("scenario-error-file", place = place, path = p);
        }
        if let Some(l) = self.line {
            place = tr!("scenario-error-line", place = place, line = l);
        }
        if let Some(field) = &self.field {
            place = tr!("scenario-error-field", place = place, field = field);
        }
        f.write_str(&tr!(
            "scenario-error",
            place = place,
            message = &self.message
        ))
    }
}

impl std::error::Error for ScenarioError {}

/// The 1-based line of byte `offset`, and the dotted path of the key written on that
/// line (`vehicles[1].depot`), found by reading the table headers above it.
pub(crate) fn field_at(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let line = text[..offset].matches('\n').count() + 1;
    let mut header: Option<String> = None;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut key_here = None;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if i + 1 > line {
            break;
        }
        if let Some(h) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let h = h.trim().to_string();
            let n = counts.entry(h.clone()).or_insert(0);
            header = Some(format!("{h}[{n}]"));
            *n += 1;
        } else if let Some(h) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            header = Some(h.trim().to_string());
        }
        if i + 1 == line {
            key_here = t
                .split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('['));
        }
    }
    let field = match (header, key_here) {
        (Some(h), Some(k)) => Some(format!("{h}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(h), None) => Some(h),
        (None, None) => None,
    };
    (line, field)
}

/// The 1-based line where a dotted field path (`vehicles[1].depot`) is written, when
/// it is written at all (a field left to its default has no line).
pub(crate) fn line_of_field(text: &str, field: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text.to_string()).ok()?;
    let mut table = doc.as_table();
    let mut span = None;
    let parts: Vec<&str> = field.split('.').collect();
    for (pi, part) in parts.iter().enumerate() {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        let last = pi + 1 == parts.len();
        let item = table.get(name)?;
        if let Some(k) = table.key(name) {
            span = k.span().or(span);
        }
        match (item, index) {
            (toml_edit::Item::ArrayOfTables(a), Some(i)) => {
                let t = a.get(i)?;
                span = t.span().or(span);
                table = t;
            }
            (toml_edit::Item::Table(t), None) if !last => {
                span = t.span().or(span);
                table = t;
            }
            // An inline array of inline tables (`decay = [{ … }, { … }]`): the
            // element's own line when the array spans several.
            (toml_edit::Item::Value(toml_edit::Value::Array(a)), Some(i)) => {
                span = a.get(i).and_then(|v| v.span()).or(span);
                break;
            }
            _ => break,
        }
    }
    let start = span?.start;
    Some(text[..start.min(text.len())].matches('\n').count() + 1)
}
