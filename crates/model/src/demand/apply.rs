//! Matching a commune table to the territory's places, and spreading each
//! commune's population over its places.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

use super::communes::CommuneTable;
use crate::geo::LonLat;
use crate::ids::PlaceId;
use crate::site::{Place, PopulationSource};
use crate::units::Population;

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
    /// Rows matching no place whose coordinates lie outside the territory (a
    /// regional table on a smaller extract): neither added nor counted.
    pub outside_territory: usize,
}

impl TableReport {
    /// Whether the table and the territory share anything: a row matched to a place
    /// or added inside the territory. When not, the table is for somewhere else.
    pub fn overlaps(&self) -> bool {
        self.matched_by_code + self.matched_by_name + self.places_added > 0
    }

    /// One paragraph for the coordinator.
    pub fn text(&self) -> String {
        let mut s = format!(
            "Table des communes {} (COG {}) : {} commune(s), {} reliée(s) à un lieu par code INSEE et {} par nom ; {} lieu(x) comptés avec la population de la table, {} ajouté(s) aux coordonnées de la table, {} lieu(x) du territoire absents de la table (population OSM ou estimée gardée).",
            self.path.display(),
            self.vintage,
            self.rows,
            self.matched_by_code,
            self.matched_by_name,
            self.places_from_table,
            self.places_added,
            self.places_not_in_table
        );
        if self.outside_territory > 0 {
            s.push_str(&format!(
                " {} commune(s) de la table sont hors du territoire de l'extrait et ne sont pas comptées.",
                self.outside_territory
            ));
        }
        if !self.unmatched.is_empty() {
            let first: Vec<String> = self
                .unmatched
                .iter()
                .take(5)
                .map(|(n, l)| format!("{n} (ligne {l})"))
                .collect();
            s.push_str(&format!(
                " {} commune(s) de la table ne correspondent à aucun lieu du territoire et n'ont pas de coordonnées : elles ne sont pas comptées ({}{}).",
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
/// have coordinates, else listed in the report. See [`apply_table_within`] for a
/// table larger than the territory.
pub fn apply_table(
    places: &[Place],
    table: &CommuneTable,
    vintage: u16,
) -> (Vec<Place>, TableReport) {
    apply_table_within(places, table, vintage, None)
}

/// [`apply_table`] for a territory whose south-west and north-east corners are
/// `extent` (anywhere when `None`): unmatched rows with coordinates outside it are
/// neither added nor listed, only counted (`outside_territory`), so that a regional
/// table can be used on a smaller extract.
pub fn apply_table_within(
    places: &[Place],
    table: &CommuneTable,
    vintage: u16,
    extent: Option<[LonLat; 2]>,
) -> (Vec<Place>, TableReport) {
    let inside = |p: &LonLat| {
        extent.is_none_or(|[sw, ne]| {
            (sw.lon..=ne.lon).contains(&p.lon) && (sw.lat..=ne.lat).contains(&p.lat)
        })
    };
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
            Some(location) if !inside(&location) => report.outside_territory += 1,
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
    use crate::demand::read_communes;
    use crate::ids::OsmRef;
    use std::path::Path;

    fn read(text: &str) -> Result<CommuneTable, crate::demand::DemandFileError> {
        read_communes(text.as_bytes(), Path::new("communes.csv"), None)
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
        assert!(r.text().contains("Nowhere (ligne 4)"), "{}", r.text());
    }

    #[test]
    fn rows_outside_the_territory_are_not_added_and_no_overlap_shows() {
        let places = vec![place(0, "Aubrac", "village", 0.0, 300, Some("00001"))];
        let table =
            read("CODGEO;LIBGEO;PMUN;lon;lat\n00007;Loin;70;5.0;45.0\n00008;Près;90;0.05;45.0\n")
                .unwrap();
        let extent = Some([LonLat::new(-0.1, 44.9), LonLat::new(0.1, 45.1)]);
        let (out, r) = apply_table_within(&places, &table, 2026, extent);
        assert_eq!(out.len(), 2, "Près is added, Loin is not");
        assert_eq!((r.places_added, r.outside_territory), (1, 1));
        assert!(r.overlaps());
        assert!(
            r.text()
                .contains("1 commune(s) de la table sont hors du territoire"),
            "{}",
            r.text()
        );
        let far = read("CODGEO;LIBGEO;PMUN;lon;lat\n00007;Loin;70;5.0;45.0\n").unwrap();
        let (out, r) = apply_table_within(&places, &far, 2026, extent);
        assert_eq!(out, places);
        assert!(!r.overlaps());
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
