//! Weights files: a weight per commune (e.g. a digital-fragility index).

use std::collections::BTreeMap;
use std::path::Path;

use super::table::*;
use super::DemandFileError;

/// A weights file: commune code or name → weight (e.g. a digital-fragility index).
/// The weight column is `weight_column` when given, else `weight`, `poids` or
/// `indice`. Keys are codes when the file has a code column, else names.
///
/// A file by IRIS (a `Code Iris` column beside the commune code, as the
/// digital-fragility index is published) has several rows per commune: they are
/// aggregated to one weight per commune, the mean of its IRIS weighted by their
/// population when the file has a population column (`population`, `pop`,
/// `P17_POP`…), else the plain mean (the 2019–2020 index has no IRIS population).
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
    let iris = find(h, &["code_iris", "iris"]).filter(|_| cols.code.is_some());
    let iris_population = iris.and(find(h, &["population", "pop", "pmun"]).or_else(|| {
        (0..h.len()).find(|&i| {
            let k = header_key(&h[i]);
            k.len() == 7 && k.starts_with('p') && k.ends_with("_pop")
        })
    }));
    // Commune → (Σ weight × population, Σ population) over its IRIS.
    let mut by_iris: BTreeMap<String, (f64, f64)> = BTreeMap::new();
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
        if iris.is_some() {
            let pop = match iris_population {
                Some(i) => parse_number(&row[i]).filter(|p| *p >= 0.0).ok_or_else(|| {
                    error(
                        Some(*line),
                        Some(&h[i]),
                        format!("`{}` is not a population", row[i]),
                    )
                })?,
                None => 1.0,
            };
            let e = by_iris.entry(key).or_default();
            e.0 += w * pop;
            e.1 += pop;
            continue;
        }
        if let Some(first) = lines.insert(key.clone(), *line) {
            return Err(error(
                Some(*line),
                Some(&h[col]),
                format!("`{key}` is listed twice (first on line {first})"),
            ));
        }
        out.insert(key, w);
    }
    for (key, (sum, pop)) in by_iris {
        // A commune whose IRIS all have no inhabitants: the plain mean is unknown
        // here, and 0 would drop it; it keeps the default weight.
        if pop > 0.0 {
            out.insert(key, sum / pop);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_rows_are_aggregated_to_communes_by_population() {
        // The IFN layout (`;`, `Code Iris`, `Insee Com`), two IRIS in 17300.
        let head = "Libcom;SCORE GLOBAL departement 1;Code Iris;COM;Insee Com;Type Iris";
        let w = read_weights(
            format!(
                "{head}
La Rochelle;120;173000101;17300;17300;Iris d'habitat
                 La Rochelle;80;173000102;17300;17300;Iris d'habitat
                 Aytré;95,5;170280000;17028;17028;Commune non découpée en IRIS
"
            )
            .as_bytes(),
            Path::new("ifn.csv"),
            Some("SCORE GLOBAL departement 1"),
        )
        .unwrap();
        assert_eq!(
            w.get("17300"),
            Some(&100.0),
            "plain mean without populations"
        );
        assert_eq!(w.get("17028"), Some(&95.5));
        assert_eq!(w.len(), 2);
        let w = read_weights(
            b"code_iris,insee_com,population,weight
173000101,17300,3000,120
173000102,17300,1000,80
",
            Path::new("ifn.csv"),
            None,
        )
        .unwrap();
        assert_eq!(w.get("17300"), Some(&110.0), "weighted by population");
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
}
