//! A validator of CSV files against a Frictionless Table Schema, for the tests of
//! the open-data outputs (the MedNum standard's schema).
//!
//! It implements what `frictionless validate --schema` (frictionless-py 5) checks
//! for the schema features it accepts, with the same meaning:
//! - the header: every field's name, in the schema's order, nothing more;
//! - every row: as many cells as fields, not blank;
//! - missing values (`missingValues`, default `[""]`) are null: an error only when
//!   the field is `required` (and for a primary key);
//! - types `string` (formats `default`, `email`, `uri`), `number`, `integer`,
//!   `boolean`, `date` (format `default`: `YYYY-MM-DD`);
//! - constraints `required`, `unique`, `pattern` (matched against the whole cell,
//!   as frictionless anchors it), `enum`, `minLength`, `maxLength`, `minimum`,
//!   `maximum`; `primaryKey` (unique and required).
//!
//! Promise: a schema using anything else (another type, format or constraint) is
//! refused when it is read, so the validator never passes a file by ignoring a
//! rule it does not know.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use regex::Regex;
use serde_json::Value;

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String,
    Email,
    Uri,
    Number,
    Integer,
    Boolean,
    Date,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    kind: Kind,
    required: bool,
    unique: bool,
    pattern: Option<(String, Regex)>,
    allowed: Option<Vec<String>>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    minimum: Option<f64>,
    maximum: Option<f64>,
}

/// A Table Schema, read from its JSON.
#[derive(Debug, Clone)]
pub struct Schema {
    pub fields: Vec<Field>,
    primary_key: Vec<String>,
    missing_values: Vec<String>,
}

/// One broken rule: where (1-based data row, 0 for the header; the field) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub row: usize,
    pub field: String,
    /// Frictionless's error type (`constraint-error`, `type-error`, …) and the
    /// constraint when there is one (`constraint-error/pattern`).
    pub rule: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, field `{}`: {} ({})",
            self.row, self.field, self.message, self.rule
        )
    }
}

impl Schema {
    pub fn from_file(path: &Path) -> Result<Schema, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the schema {}: {e}", path.display()))?;
        Schema::from_json(&text).map_err(|e| format!("schema {}: {e}", path.display()))
    }

    pub fn from_json(text: &str) -> Result<Schema, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let fields_json = v["fields"].as_array().ok_or("no `fields` array")?;
        let mut fields = Vec::new();
        for f in fields_json {
            fields.push(read_field(f)?);
        }
        let primary_key = match &v["primaryKey"] {
            Value::Null => Vec::new(),
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map(String::from).ok_or("primaryKey: not a name"))
                .collect::<Result<_, _>>()?,
            other => return Err(format!("primaryKey {other} is not a name or a list")),
        };
        for k in &primary_key {
            if !fields.iter().any(|f: &Field| &f.name == k) {
                return Err(format!("primaryKey `{k}` is not a field"));
            }
        }
        let missing_values = match &v["missingValues"] {
            Value::Null => vec![String::new()],
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(String::from)
                        .ok_or("missingValues: not a string")
                })
                .collect::<Result<_, _>>()?,
            other => return Err(format!("missingValues {other} is not a list")),
        };
        for key in v.as_object().ok_or("the schema is not an object")?.keys() {
            if matches!(key.as_str(), "foreignKeys") {
                return Err(format!("`{key}` is not supported by this validator"));
            }
        }
        Ok(Schema {
            fields,
            primary_key,
            missing_values,
        })
    }

    /// Every violation in a CSV text (`,`-separated, `"`-quoted, UTF-8).
    pub fn validate_csv(&self, text: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                out.push(violation(0, "", "source-error", e.to_string()));
                return out;
            }
            None => {
                out.push(violation(0, "", "source-error", "the file is empty".into()));
                return out;
            }
        };
        let labels: Vec<&str> = header.iter().collect();
        for (i, f) in self.fields.iter().enumerate() {
            match labels.get(i) {
                None => out.push(violation(
                    0,
                    &f.name,
                    "missing-label",
                    format!("column {} missing", i + 1),
                )),
                Some(l) if *l != f.name => out.push(violation(
                    0,
                    &f.name,
                    "incorrect-label",
                    format!("column {} is labelled `{l}`", i + 1),
                )),
                _ => {}
            }
        }
        for l in labels.iter().skip(self.fields.len()) {
            out.push(violation(
                0,
                l,
                "extra-label",
                "column not in the schema".into(),
            ));
        }
        let mut seen: BTreeMap<&str, HashSet<String>> = BTreeMap::new();
        let mut keys_seen: HashSet<Vec<String>> = HashSet::new();
        for (n, record) in records.enumerate() {
            let row = n + 1;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    out.push(violation(row, "", "source-error", e.to_string()));
                    continue;
                }
            };
            let cells: Vec<&str> = record.iter().collect();
            if cells.iter().all(|c| c.is_empty()) {
                out.push(violation(row, "", "blank-row", "the row is blank".into()));
                continue;
            }
            if cells.len() > self.fields.len() {
                out.push(violation(
                    row,
                    "",
                    "extra-cell",
                    format!("{} cells for {} fields", cells.len(), self.fields.len()),
                ));
            }
            for (i, f) in self.fields.iter().enumerate() {
                let Some(&cell) = cells.get(i) else {
                    out.push(violation(row, &f.name, "missing-cell", "no cell".into()));
                    continue;
                };
                let is_null = self.missing_values.iter().any(|m| m == cell);
                let required = f.required || self.primary_key.contains(&f.name);
                if is_null {
                    if required {
                        out.push(violation(
                            row,
                            &f.name,
                            "constraint-error/required",
                            "the field is required and empty".into(),
                        ));
                    }
                    continue;
                }
                out.extend(f.check(row, cell));
                if f.unique
                    && !seen
                        .entry(f.name.as_str())
                        .or_default()
                        .insert(cell.to_string())
                {
                    out.push(violation(
                        row,
                        &f.name,
                        "unique-error",
                        format!("`{cell}` is already in an earlier row"),
                    ));
                }
            }
            if !self.primary_key.is_empty() {
                let key: Vec<String> = self
                    .primary_key
                    .iter()
                    .map(|k| {
                        let i = self.fields.iter().position(|f| &f.name == k).unwrap();
                        cells.get(i).copied().unwrap_or_default().to_string()
                    })
                    .collect();
                if !keys_seen.insert(key.clone()) {
                    out.push(violation(
                        row,
                        &self.primary_key.join(","),
                        "primary-key",
                        format!("{key:?} is already in an earlier row"),
                    ));
                }
            }
        }
        out
    }
}

impl Field {
    /// Type and constraint errors of a non-null cell.
    fn check(&self, row: usize, cell: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        let typed = match self.kind {
            Kind::String => true,
            Kind::Email => email_re().is_match(cell),
            Kind::Uri => uri_re().is_match(cell),
            Kind::Number => number(cell).is_some(),
            Kind::Integer => cell.parse::<i64>().is_ok(),
            Kind::Boolean => matches!(
                cell,
                "true" | "True" | "TRUE" | "1" | "false" | "False" | "FALSE" | "0"
            ),
            Kind::Date => is_iso_date(cell),
        };
        if !typed {
            out.push(violation(
                row,
                &self.name,
                "type-error",
                format!("`{cell}` is not of type {:?}", self.kind),
            ));
            return out;
        }
        if let Some((text, re)) = &self.pattern {
            if !re.is_match(cell) {
                out.push(violation(
                    row,
                    &self.name,
                    "constraint-error/pattern",
                    format!("`{cell}` does not match the pattern {text}"),
                ));
            }
        }
        if let Some(allowed) = &self.allowed {
            if !allowed.iter().any(|a| a == cell) {
                out.push(violation(
                    row,
                    &self.name,
                    "constraint-error/enum",
                    format!("`{cell}` is not one of {allowed:?}"),
                ));
            }
        }
        let chars = cell.chars().count();
        if self.min_length.is_some_and(|m| chars < m) {
            out.push(violation(
                row,
                &self.name,
                "constraint-error/minLength",
                format!("{chars} characters"),
            ));
        }
        if self.max_length.is_some_and(|m| chars > m) {
            out.push(violation(
                row,
                &self.name,
                "constraint-error/maxLength",
                format!(
                    "{chars} characters, at most {} allowed",
                    self.max_length.unwrap()
                ),
            ));
        }
        if let Some(x) = number(cell) {
            if self.minimum.is_some_and(|m| x < m) {
                out.push(violation(
                    row,
                    &self.name,
                    "constraint-error/minimum",
                    format!("{x} is too small"),
                ));
            }
            if self.maximum.is_some_and(|m| x > m) {
                out.push(violation(
                    row,
                    &self.name,
                    "constraint-error/maximum",
                    format!("{x} is too large"),
                ));
            }
        }
        out
    }
}

fn read_field(f: &Value) -> Result<Field, String> {
    let name = f["name"]
        .as_str()
        .ok_or("a field without a name")?
        .to_string();
    let kind_name = f["type"].as_str().unwrap_or("string");
    let format = f["format"].as_str().unwrap_or("default");
    let kind = match (kind_name, format) {
        ("string", "default") => Kind::String,
        ("string", "email") => Kind::Email,
        ("string", "uri") => Kind::Uri,
        ("number", "default") => Kind::Number,
        ("integer", "default") => Kind::Integer,
        ("boolean", "default") => Kind::Boolean,
        ("date", "default") => Kind::Date,
        (t, fmt) => {
            return Err(format!(
                "field `{name}`: type {t} with format {fmt} is not supported"
            ))
        }
    };
    if kind == Kind::Number
        && (f.get("decimalChar").is_some()
            || f.get("groupChar").is_some()
            || f.get("bareNumber").is_some())
    {
        return Err(format!("field `{name}`: number options are not supported"));
    }
    let mut field = Field {
        name: name.clone(),
        kind,
        required: false,
        unique: false,
        pattern: None,
        allowed: None,
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
    };
    if let Some(c) = f.get("constraints") {
        let c = c
            .as_object()
            .ok_or(format!("field `{name}`: constraints not an object"))?;
        for (key, v) in c {
            let bad = || format!("field `{name}`: constraint {key} = {v} cannot be read");
            match key.as_str() {
                "required" => field.required = v.as_bool().ok_or_else(bad)?,
                "unique" => field.unique = v.as_bool().ok_or_else(bad)?,
                "pattern" => {
                    let p = v.as_str().ok_or_else(bad)?;
                    // Frictionless matches the whole cell: `^(?:p)$`.
                    let re = Regex::new(&format!("^(?:{p})$"))
                        .map_err(|e| format!("field `{name}`: pattern {p}: {e}"))?;
                    field.pattern = Some((p.to_string(), re));
                }
                "enum" => {
                    let list = v.as_array().ok_or_else(bad)?;
                    field.allowed = Some(
                        list.iter()
                            .map(|x| x.as_str().map(String::from).ok_or_else(bad))
                            .collect::<Result<_, _>>()?,
                    );
                }
                "minLength" => field.min_length = Some(v.as_u64().ok_or_else(bad)? as usize),
                "maxLength" => field.max_length = Some(v.as_u64().ok_or_else(bad)? as usize),
                "minimum" => field.minimum = Some(v.as_f64().ok_or_else(bad)?),
                "maximum" => field.maximum = Some(v.as_f64().ok_or_else(bad)?),
                _ => return Err(format!("field `{name}`: constraint {key} is not supported")),
            }
        }
    }
    Ok(field)
}

fn violation(row: usize, field: &str, rule: &str, message: String) -> Violation {
    Violation {
        row,
        field: field.to_string(),
        rule: rule.to_string(),
        message,
    }
}

/// A plain decimal number (`-1.5`, `43.52609`, `1e3`); no `NaN` or infinities.
fn number(cell: &str) -> Option<f64> {
    let ok = cell
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !ok {
        return None;
    }
    cell.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn is_iso_date(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok()
}

fn email_re() -> Regex {
    Regex::new(r"^[^@\s]+@[^@\s]+\.[^@\s]+$").unwrap()
}

fn uri_re() -> Regex {
    Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$").unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"{"fields": [
        {"name": "id", "type": "string", "constraints": {"required": true, "unique": true}},
        {"name": "cp", "type": "string", "constraints": {"required": true, "pattern": "\\d{5}"}},
        {"name": "x", "type": "number"},
        {"name": "d", "type": "date", "format": "default", "constraints": {"required": true}},
        {"name": "s", "type": "string", "constraints": {"maxLength": 3, "enum": ["a", "bb", "cccc"]}}
    ], "primaryKey": "id"}"#;

    fn rules(csv: &str) -> Vec<(usize, String, String)> {
        Schema::from_json(SCHEMA)
            .unwrap()
            .validate_csv(csv)
            .into_iter()
            .map(|v| (v.row, v.field, v.rule))
            .collect()
    }

    #[test]
    fn a_good_file_passes() {
        assert_eq!(
            rules("id,cp,x,d,s\n1,17000,1.5,2024-04-02,bb\n2,17000,,2024-04-02,\n"),
            vec![]
        );
    }

    #[test]
    fn every_rule_names_its_row_and_field() {
        let csv = "id,cp,x,d,s\n1,1700,x,2024-4-2,cccc\n1,17000a,,,zz\n";
        assert_eq!(
            rules(csv),
            vec![
                (1, "cp".into(), "constraint-error/pattern".into()),
                (1, "x".into(), "type-error".into()),
                (1, "d".into(), "type-error".into()),
                (1, "s".into(), "constraint-error/maxLength".into()),
                (2, "id".into(), "unique-error".into()),
                (2, "cp".into(), "constraint-error/pattern".into()),
                (2, "d".into(), "constraint-error/required".into()),
                (2, "s".into(), "constraint-error/enum".into()),
                (2, "id".into(), "primary-key".into()),
            ]
        );
    }

    #[test]
    fn header_and_shape() {
        assert_eq!(
            rules("id,code,x,d\n1,17000,1,2024-01-01\n"),
            vec![
                (0, "cp".into(), "incorrect-label".into()),
                (0, "s".into(), "missing-label".into()),
                (1, "s".into(), "missing-cell".into()),
            ]
        );
        assert_eq!(
            rules("id,cp,x,d,s,t\n,,,,,\n"),
            vec![
                (0, "t".into(), "extra-label".into()),
                (1, "".into(), "blank-row".into())
            ]
        );
    }

    #[test]
    fn unknown_schema_features_are_refused() {
        let with = |field: &str| format!(r#"{{"fields": [{field}]}}"#);
        assert!(Schema::from_json(&with(r#"{"name": "a", "type": "geopoint"}"#)).is_err());
        assert!(Schema::from_json(&with(
            r#"{"name": "a", "type": "date", "format": "%d/%m/%Y"}"#
        ))
        .is_err());
        assert!(Schema::from_json(&with(
            r#"{"name": "a", "constraints": {"exclusiveMinimum": 1}}"#
        ))
        .is_err());
    }
}
