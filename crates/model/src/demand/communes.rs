//! The commune table: an INSEE (or Etalab) commune list with populations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::table::*;
use super::DemandFileError;
use crate::geo::LonLat;
use crate::units::Population;

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
    /// The commune's postcodes, when the table has them (`codesPostaux`,
    /// `code_postal`): five digits each, in the file's order.
    pub postcodes: Vec<String>,
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
        // A bare `population` beside `population_totale` is the municipal one
        // (Etalab's decoupage-administratif layout).
        None => match yearly
            .first()
            .copied()
            .or_else(|| find(h, &["population", "ptot", "population_totale"]))
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
    let postcode_column = find(h, &["codespostaux", "codes_postaux", "code_postal"]);
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
        // Several codes are written space-, `|`-, `;`- or `,`-separated.
        let postcodes = postcode_column
            .map(|i| {
                row[i]
                    .split(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | ','))
                    .filter(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        table.rows.push(CommuneRow {
            line,
            code,
            name,
            population: Population(pop),
            weight,
            location,
            postcodes,
        });
    }
    if table.rows.is_empty() {
        return Err(error(None, None, "the table lists no commune".into()));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
