//! A generated territory built from REAL communes (`tournee-demogen communes`): for
//! a département whose road extract is not at hand (Charente-Maritime here), the
//! INSEE commune table (code, name, population, point) and the commune polygons
//! (GeoJSON) give a territory that is faithful where it can be:
//!
//! - one `place` node per commune at its point, with its name, population and
//!   `ref:INSEE` (`city` from 50,000 inhabitants, `town` from 2,000, else `village`);
//! - a road between every two communes whose polygons share a border (at least two
//!   common vertices), from one commune's point to the other's through the middle of
//!   their common border (the shared vertex nearest the midpoint of the two points),
//!   its class given by the smaller of the two communes (`primary` from 5,000
//!   inhabitants, `secondary` from 1,500, `tertiary` from 400, else
//!   `unclassified`);
//! - islands joined only where a bridge exists ([`BRIDGES`]: Île de Ré and Oléron);
//!   an island with no bridge (Aix) shares no border with anyone, has no road to the
//!   mainland, and drops out of the car graph like any cut-off part;
//! - candidate sites around each commune's point, by size: a town hall, a church and
//!   a car park everywhere, a school from 300 inhabitants, a community centre from
//!   800, a market place from 1,500, each beside a short street.
//!
//! The roads are straight lines, not the real network: drive times are indicative
//! (the import reads the classes' speeds), and the file says it is generated
//! (`generator` and a `note` tag on each place). Deterministic: the same files give
//! the same PBF byte for byte. Never committed: it is derived from shared data and
//! written at test or run time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tournee_model::demand::read_communes;
use tournee_osm::write::{tags, Node, OsmData, Way};

/// Bridges between communes that share no land border: (INSEE code, INSEE code,
/// name). Île d'Aix has none (a ferry only) and stays apart.
pub const BRIDGES: [(&str, &str, &str); 2] = [
    ("17300", "17297", "Pont de l'île de Ré"),
    ("17058", "17093", "Pont de l'île d'Oléron"),
];

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunesSummary {
    pub communes: usize,
    pub neighbour_pairs: usize,
    pub bridges: usize,
    /// Communes with no road at all (islands without a bridge, or no polygon).
    pub isolated: Vec<String>,
    pub sites: usize,
    pub road_km: BTreeMap<String, f64>,
}

struct Commune {
    code: String,
    name: String,
    population: u32,
    lon: f64,
    lat: f64,
}

/// Vertex key: coordinates at 1e-5 degree (the polygons' precision).
type Vertex = (i64, i64);

fn key(lon: f64, lat: f64) -> Vertex {
    ((lon * 1e5).round() as i64, (lat * 1e5).round() as i64)
}

/// The polygons' vertices per INSEE code, from a GeoJSON FeatureCollection whose
/// features have a `code` property and a Polygon or MultiPolygon geometry.
fn polygon_vertices(text: &str, path: &Path) -> Result<BTreeMap<String, BTreeSet<Vertex>>, String> {
    let bad = |m: String| format!("{} : {m}", path.display());
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("GeoJSON illisible ({e})")))?;
    let features = v["features"]
        .as_array()
        .ok_or_else(|| bad("pas de `features` (une FeatureCollection est attendue)".into()))?;
    let mut out: BTreeMap<String, BTreeSet<Vertex>> = BTreeMap::new();
    for (i, f) in features.iter().enumerate() {
        let code = f["properties"]["code"]
            .as_str()
            .ok_or_else(|| bad(format!("l'objet n° {} n'a pas de propriété `code`", i + 1)))?;
        let g = &f["geometry"];
        let polys: Vec<&serde_json::Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other => {
                return Err(bad(format!(
                "commune {code} : géométrie {other:?}, un Polygon ou un MultiPolygon est attendu"
            )))
            }
        };
        let set = out.entry(code.to_string()).or_default();
        for poly in polys {
            for ring in poly.as_array().into_iter().flatten() {
                for p in ring.as_array().into_iter().flatten() {
                    match (p[0].as_f64(), p[1].as_f64()) {
                        (Some(lon), Some(lat)) => {
                            set.insert(key(lon, lat));
                        }
                        _ => return Err(bad(format!("commune {code} : coordonnée invalide {p}"))),
                    }
                }
            }
        }
    }
    Ok(out)
}

fn place_kind(population: u32) -> &'static str {
    match population {
        50_000.. => "city",
        2_000.. => "town",
        _ => "village",
    }
}

fn road_class(a: u32, b: u32) -> &'static str {
    match a.min(b) {
        5_000.. => "primary",
        1_500.. => "secondary",
        400.. => "tertiary",
        _ => "unclassified",
    }
}

const KM_PER_DEG_LAT: f64 = 111.195;

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dx = (b.0 - a.0) * KM_PER_DEG_LAT * a.1.to_radians().cos();
    let dy = (b.1 - a.1) * KM_PER_DEG_LAT;
    (dx * dx + dy * dy).sqrt()
}

struct Writer {
    data: OsmData,
    next_node: i64,
    next_way: i64,
}

impl Writer {
    fn node(&mut self, lon: f64, lat: f64, t: Vec<(String, String)>) -> i64 {
        let id = self.next_node;
        self.next_node += 1;
        self.data.nodes.push(Node {
            id,
            lon: (lon * 1e7).round() / 1e7,
            lat: (lat * 1e7).round() / 1e7,
            tags: t,
        });
        id
    }

    /// A way through `points` (first and last are existing nodes), with nodes about
    /// every 400 m on each straight piece.
    fn road(&mut self, ends: (i64, i64), points: &[(f64, f64)], t: Vec<(String, String)>) -> f64 {
        let mut nodes = vec![ends.0];
        let mut length = 0.0;
        for (k, w) in points.windows(2).enumerate() {
            let len = km(w[0], w[1]);
            length += len;
            let steps = ((len / 0.4).ceil() as usize).max(1);
            for s in 1..=steps {
                let last = k == points.len() - 2 && s == steps;
                if last {
                    nodes.push(ends.1);
                } else {
                    let f = s as f64 / steps as f64;
                    let id = self.node(
                        w[0].0 + (w[1].0 - w[0].0) * f,
                        w[0].1 + (w[1].1 - w[0].1) * f,
                        vec![],
                    );
                    nodes.push(id);
                }
            }
        }
        let id = self.next_way;
        self.next_way += 1;
        self.data.ways.push(Way { id, nodes, tags: t });
        length
    }
}

/// Builds the territory from a commune table (with points) and its polygons.
pub fn generate(table: &Path, polygons: &Path) -> Result<(OsmData, CommunesSummary), String> {
    let bytes = std::fs::read(table)
        .map_err(|e| format!("{} : lecture impossible ({e})", table.display()))?;
    let t = read_communes(&bytes, table, None).map_err(|e| e.to_string())?;
    let mut communes = Vec::new();
    for r in &t.rows {
        let (Some(code), Some(at)) = (&r.code, r.location) else {
            return Err(format!(
                "{}, ligne {} : la commune {} n'a pas de code INSEE ou pas de coordonnées (longitude, latitude)",
                table.display(),
                r.line,
                r.name
            ));
        };
        communes.push(Commune {
            code: code.clone(),
            name: r.name.clone(),
            population: r.population.0,
            lon: at.lon,
            lat: at.lat,
        });
    }
    let text = std::fs::read_to_string(polygons)
        .map_err(|e| format!("{} : lecture impossible ({e})", polygons.display()))?;
    let vertices = polygon_vertices(&text, polygons)?;
    let index: BTreeMap<&str, usize> = communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    if !communes.iter().any(|c| vertices.contains_key(&c.code)) {
        return Err(format!(
            "{} et {} ne se recouvrent pas : aucun code INSEE de la table n'a de polygone",
            table.display(),
            polygons.display()
        ));
    }
    // Shared vertices per pair of communes.
    let mut owners: BTreeMap<Vertex, Vec<usize>> = BTreeMap::new();
    for (code, set) in &vertices {
        if let Some(&i) = index.get(code.as_str()) {
            for v in set {
                owners.entry(*v).or_default().push(i);
            }
        }
    }
    let mut shared: BTreeMap<(usize, usize), Vec<Vertex>> = BTreeMap::new();
    for (v, list) in &owners {
        for (k, &a) in list.iter().enumerate() {
            for &b in &list[k + 1..] {
                shared.entry((a.min(b), a.max(b))).or_default().push(*v);
            }
        }
    }
    let mut w = Writer {
        data: OsmData::default(),
        next_node: 1,
        next_way: 1,
    };
    let mut summary = CommunesSummary {
        communes: communes.len(),
        ..CommunesSummary::default()
    };
    // Place nodes and junctions.
    let mut junction = Vec::with_capacity(communes.len());
    for c in &communes {
        let pop = c.population.to_string();
        w.node(
            c.lon,
            c.lat,
            tags(&[
                ("place", place_kind(c.population)),
                ("name", c.name.as_str()),
                ("population", pop.as_str()),
                ("ref:INSEE", c.code.as_str()),
                ("note", "territoire généré par tournee-demogen communes"),
            ]),
        );
        junction.push(w.node(c.lon, c.lat, vec![]));
    }
    // (from, to, a bend point, a highway class).
    type Road<'a> = (usize, usize, Option<(f64, f64)>, Option<&'a str>);
    let mut roads: Vec<Road> = Vec::new();
    for (&(a, b), vs) in &shared {
        if vs.len() < 2 {
            continue;
        }
        let (ca, cb) = (&communes[a], &communes[b]);
        let mid = key((ca.lon + cb.lon) / 2.0, (ca.lat + cb.lat) / 2.0);
        let cross = vs
            .iter()
            .min_by_key(|v| ((v.0 - mid.0).pow(2) + (v.1 - mid.1).pow(2), **v))
            .expect("at least two shared vertices");
        roads.push((
            a,
            b,
            Some((cross.0 as f64 / 1e5, cross.1 as f64 / 1e5)),
            None,
        ));
        summary.neighbour_pairs += 1;
    }
    for (x, y, name) in BRIDGES {
        if let (Some(&a), Some(&b)) = (index.get(x), index.get(y)) {
            roads.push((a, b, None, Some(name)));
            summary.bridges += 1;
        }
    }
    let mut linked = vec![false; communes.len()];
    for (a, b, cross, bridge) in roads {
        let (ca, cb) = (&communes[a], &communes[b]);
        let class = if bridge.is_some() {
            "primary"
        } else {
            road_class(ca.population, cb.population)
        };
        let mut points = vec![(ca.lon, ca.lat)];
        points.extend(cross);
        points.push((cb.lon, cb.lat));
        let mut t = tags(&[("highway", class)]);
        if let Some(name) = bridge {
            t.extend(tags(&[("bridge", "yes"), ("name", name)]));
        }
        let len = w.road((junction[a], junction[b]), &points, t);
        *summary.road_km.entry(class.to_string()).or_default() += len;
        linked[a] = true;
        linked[b] = true;
    }
    summary.isolated = communes
        .iter()
        .zip(&linked)
        .filter(|(_, l)| !**l)
        .map(|(c, _)| format!("{} ({})", c.name, c.code))
        .collect();
    // Sites: (amenity, name, minimum population, direction in degrees).
    let kinds: [(&str, &str, u32, f64); 6] = [
        ("townhall", "Mairie", 0, 0.0),
        ("place_of_worship", "Église", 0, 60.0),
        ("parking", "Parking du centre", 0, 120.0),
        ("school", "École", 300, 180.0),
        ("community_centre", "Salle des fêtes", 800, 240.0),
        ("marketplace", "Place du marché", 1_500, 300.0),
    ];
    let lat_km = 1.0 / KM_PER_DEG_LAT;
    for (i, c) in communes.iter().enumerate() {
        let lon_km = lat_km / c.lat.to_radians().cos();
        for &(amenity, label, min, deg) in &kinds {
            if c.population < min {
                continue;
            }
            let (s, co) = deg.to_radians().sin_cos();
            // A 250 m street from the centre, the site 20 m beyond its end.
            let end = (c.lon + 0.25 * s * lon_km, c.lat + 0.25 * co * lat_km);
            let n = w.node(end.0, end.1, vec![]);
            let len = w.road(
                (junction[i], n),
                &[(c.lon, c.lat), end],
                tags(&[("highway", "residential")]),
            );
            *summary.road_km.entry("residential".into()).or_default() += len;
            let name = format!("{label} de {}", c.name);
            w.node(
                c.lon + 0.27 * s * lon_km,
                c.lat + 0.27 * co * lat_km,
                tags(&[("amenity", amenity), ("name", name.as_str())]),
            );
            summary.sites += 1;
        }
    }
    Ok((w.data, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three square communes in a row (A|B|C) and an island D, as files.
    fn files(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let csv = dir.join("c.csv");
        std::fs::write(
            &csv,
            "code,nom,population,longitude,latitude\n\
             17001,A,6000,0.005,45.005\n17002,B,900,0.015,45.005\n\
             17003,C,100,0.025,45.005\n17004,Île-d'Aix,186,0.1,45.1\n",
        )
        .unwrap();
        let square = |x0: f64| {
            format!(
                "[[[{x0},45.0],[{},45.0],[{},45.01],[{x0},45.01],[{x0},45.0]]]",
                x0 + 0.01,
                x0 + 0.01
            )
        };
        let feature = |code: &str, coords: String| {
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{code}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{coords}}}}}"
            )
        };
        let geo = dir.join("c.geojson");
        std::fs::write(
            &geo,
            format!(
                "{{\"type\":\"FeatureCollection\",\"features\":[{},{},{},{}]}}",
                feature("17001", square(0.0)),
                feature("17002", square(0.01)),
                feature("17003", square(0.02)),
                feature("17004", square(0.095)),
            ),
        )
        .unwrap();
        (csv, geo)
    }

    #[test]
    fn neighbours_share_a_border_and_an_island_without_bridge_stays_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (csv, geo) = files(dir.path());
        let (data, s) = generate(&csv, &geo).unwrap();
        assert_eq!(s.communes, 4);
        assert_eq!(s.neighbour_pairs, 2, "A–B and B–C, not A–C");
        assert_eq!(s.bridges, 0);
        assert_eq!(s.isolated, vec!["Île-d'Aix (17004)".to_string()]);
        // The A–B road crosses their border (lon 0.01) and is of B's class.
        let highway = |w: &Way| {
            w.tags
                .iter()
                .find(|(k, _)| k == "highway")
                .map(|(_, v)| v.clone())
        };
        let classes: Vec<String> = data
            .ways
            .iter()
            .filter_map(highway)
            .filter(|c| c != "residential")
            .collect();
        assert_eq!(classes, vec!["tertiary", "unclassified"]);
        let place = data
            .nodes
            .iter()
            .find(|n| n.tags.iter().any(|(k, v)| k == "ref:INSEE" && v == "17001"))
            .unwrap();
        assert!(place.tags.contains(&("place".into(), "town".into())));
        // Sites by size: A (6,000) has all six kinds, C (100) three.
        assert_eq!(s.sites, 6 + 5 + 3 + 3);
        // Deterministic.
        assert_eq!(generate(&csv, &geo).unwrap().0, data);
    }

    #[test]
    fn bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let (csv, _) = files(dir.path());
        let geo = dir.path().join("bad.geojson");
        std::fs::write(&geo, "{\"type\":\"FeatureCollection\"").unwrap();
        let e = generate(&csv, &geo).unwrap_err();
        assert!(e.contains("bad.geojson"), "{e}");
        std::fs::write(&geo, "{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
        let e = generate(&csv, &geo).unwrap_err();
        assert!(e.contains("ne se recouvrent pas"), "{e}");
        let nopoints = dir.path().join("n.csv");
        std::fs::write(&nopoints, "code,nom,population\n17001,A,10\n").unwrap();
        let e = generate(&nopoints, &geo).unwrap_err();
        assert!(e.contains("n.csv, ligne 2"), "{e}");
    }
}
