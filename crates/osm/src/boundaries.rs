//! Communes as areas: which commune a point (a stop, a place) stands in.
//!
//! Two sources, the first found winning:
//! - the extract's `boundary=administrative` relations at the level of the
//!   commune: `admin_level=8` (a French commune, with its `ref:INSEE`), or
//!   `admin_level=10` tagged `designation=civil_parish` (an English civil parish),
//!   the finer one when both contain the point;
//! - a polygon file (GeoJSON `Polygon`/`MultiPolygon` features whose properties
//!   give the name, `nom` or `name`, and the INSEE code, `code`, `insee` or
//!   `ref:INSEE`), such as the INSEE communes of a département.
//!
//! Rings are assembled from the relation's member ways by joining shared end
//! nodes; a ring the extract cuts (members missing) is closed by a straight line
//! between its ends, and counted. A point is inside by the even-odd rule over all
//! rings of the boundary (so inner rings are holes).
//!
//! Promises: never panics on bad input (a broken file is an error naming it);
//! deterministic (boundaries in relation-id order, ties to the smaller area).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use osmpbfreader::{OsmPbfReader, Tags};
use tournee_model::LonLat;

/// One commune's area.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// `relation/123` for an OSM boundary, `feature 12 of FILE` for a file's.
    pub source: String,
    pub name: String,
    /// `ref:INSEE` (France), when known.
    pub insee: Option<String>,
    /// 8 for a French commune, 10 for an English civil parish (finer wins).
    pub level: u8,
    rings: Vec<Vec<LonLat>>,
    /// min lon, min lat, max lon, max lat.
    bbox: [f64; 4],
    area: f64,
}

/// Where a point's commune comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommuneSource {
    /// The boundary that contains it.
    Boundary,
    /// The nearest commune seat or place (no boundary contains it, or none known).
    NearestPlace,
}

/// The communes of a territory, as areas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Communes {
    pub boundaries: Vec<Boundary>,
    /// Rings the extract cut, closed by a straight line.
    pub rings_closed_by_a_line: usize,
}

impl Boundary {
    /// A boundary from rings (each a list of points; closed or not).
    pub fn new(
        source: String,
        name: String,
        insee: Option<String>,
        level: u8,
        rings: Vec<Vec<LonLat>>,
    ) -> Boundary {
        let rings: Vec<Vec<LonLat>> = rings.into_iter().filter(|r| r.len() >= 3).collect();
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in rings.iter().flatten() {
            bbox = [
                bbox[0].min(p.lon),
                bbox[1].min(p.lat),
                bbox[2].max(p.lon),
                bbox[3].max(p.lat),
            ];
        }
        let area = rings.iter().map(|r| signed_area(r).abs()).sum();
        Boundary {
            source,
            name,
            insee,
            level,
            rings,
            bbox,
            area,
        }
    }

    /// Whether `p` is inside (even-odd rule over every ring).
    pub fn contains(&self, p: LonLat) -> bool {
        if p.lon < self.bbox[0]
            || p.lon > self.bbox[2]
            || p.lat < self.bbox[1]
            || p.lat > self.bbox[3]
        {
            return false;
        }
        let mut inside = false;
        for ring in &self.rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if (a.lat > p.lat) != (b.lat > p.lat) {
                    let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                    if p.lon < x {
                        inside = !inside;
                    }
                }
            }
        }
        inside
    }
}

fn signed_area(ring: &[LonLat]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.lon * b.lat - b.lon * a.lat
        })
        .sum::<f64>()
        / 2.0
}

impl Communes {
    pub fn is_empty(&self) -> bool {
        self.boundaries.is_empty()
    }

    /// The commune `p` stands in: among the boundaries containing it, the finest
    /// level, then the smallest area.
    pub fn locate(&self, p: LonLat) -> Option<&Boundary> {
        self.boundaries
            .iter()
            .filter(|b| b.contains(p))
            .min_by(|a, b| b.level.cmp(&a.level).then(a.area.total_cmp(&b.area)))
    }

    /// The communes of a GeoJSON polygon file.
    pub fn from_geojson_file(path: &Path) -> Result<Communes, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the commune polygons {}: {e}", path.display()))?;
        Communes::from_geojson(&text, &path.display().to_string())
    }

    /// The communes of GeoJSON text (`what` names it in errors).
    pub fn from_geojson(text: &str, what: &str) -> Result<Communes, String> {
        let gj: geojson::GeoJson = text
            .parse()
            .map_err(|e| format!("{what} is not GeoJSON: {e}"))?;
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            return Err(format!(
                "{what}: a FeatureCollection of communes was expected"
            ));
        };
        let mut boundaries = Vec::new();
        for (i, f) in fc.features.iter().enumerate() {
            let prop = |keys: &[&str]| {
                keys.iter().find_map(|k| {
                    f.property(k).and_then(|v| match v {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                })
            };
            let Some(name) = prop(&["nom", "name", "NOM", "NOM_COM", "libelle"]) else {
                return Err(format!(
                    "{what}: feature {i} has no name (property `nom` or `name`)"
                ));
            };
            let insee = prop(&["code", "insee", "ref:INSEE", "INSEE_COM", "code_insee"]);
            let rings: Vec<Vec<LonLat>> = match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::Value::Polygon(p)) => p.iter().map(|r| ring_of(r)).collect(),
                Some(geojson::Value::MultiPolygon(m)) => {
                    m.iter().flatten().map(|r| ring_of(r)).collect()
                }
                _ => {
                    return Err(format!(
                        "{what}: feature {i} ({name}) is not a Polygon or MultiPolygon"
                    ))
                }
            };
            boundaries.push(Boundary::new(
                format!("feature {i} of {what}"),
                name,
                insee,
                8,
                rings,
            ));
        }
        Ok(Communes {
            boundaries,
            rings_closed_by_a_line: 0,
        })
    }

    /// The commune-level `boundary=administrative` relations of a PBF extract.
    ///
    /// Reads the file up to three times, keeping only what the boundaries need: the
    /// relations' names and member way ids, then those ways' node ids, then those
    /// nodes' positions, never whole OSM objects with their tags; an extract without
    /// commune boundaries is read once.
    pub fn from_pbf(path: &Path) -> Result<Communes, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot open the OSM file {}: {e}", path.display()))?;
        let mut pbf = OsmPbfReader::new(std::io::BufReader::new(file));
        let corrupt = |_| format!("the OSM file {} is corrupted", path.display());
        let unreadable =
            |e: osmpbfreader::Error| format!("the OSM file {} cannot be read: {e}", path.display());
        let mut relations: Vec<PendingBoundary> = Vec::new();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
            || -> osmpbfreader::Result<()> {
                for r in pbf.par_iter_relations() {
                    let r = r?;
                    let Some(level) = commune_level(&r.tags) else {
                        continue;
                    };
                    let Some(name) = r.tags.get("name") else {
                        continue;
                    };
                    let ways = r
                        .refs
                        .iter()
                        .filter(|m| matches!(m.role.as_str(), "outer" | "inner" | ""))
                        .filter_map(|m| m.member.way().map(|w| w.0))
                        .collect();
                    relations.push(PendingBoundary {
                        id: r.id.0,
                        name: name.to_string(),
                        insee: r.tags.get("ref:INSEE").map(|s| s.to_string()),
                        level,
                        ways,
                    });
                }
                Ok(())
            },
        ))
        .map_err(corrupt)?
        .map_err(unreadable)?;
        if relations.is_empty() {
            return Ok(Communes::default());
        }
        relations.sort_by_key(|r| r.id);
        let wanted: HashSet<i64> = relations
            .iter()
            .flat_map(|r| r.ways.iter().copied())
            .collect();
        let mut ways: HashMap<i64, Vec<i64>> = HashMap::new();
        pbf.rewind().map_err(unreadable)?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
            || -> osmpbfreader::Result<()> {
                for w in pbf.par_iter_ways() {
                    let w = w?;
                    if wanted.contains(&w.id.0) {
                        ways.insert(w.id.0, w.nodes.iter().map(|n| n.0).collect());
                    }
                }
                Ok(())
            },
        ))
        .map_err(corrupt)?
        .map_err(unreadable)?;
        drop(wanted);
        let wanted: HashSet<i64> = ways.values().flatten().copied().collect();
        let mut nodes: HashMap<i64, LonLat> = HashMap::with_capacity(wanted.len());
        pbf.rewind().map_err(unreadable)?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
            || -> osmpbfreader::Result<()> {
                for n in pbf.par_iter_nodes() {
                    let n = n?;
                    if wanted.contains(&n.id.0) {
                        nodes.insert(n.id.0, LonLat::new(n.lon(), n.lat()));
                    }
                }
                Ok(())
            },
        ))
        .map_err(corrupt)?
        .map_err(unreadable)?;
        Ok(Communes::from_parts(relations, &ways, &nodes))
    }

    /// Boundaries from their relations, member ways (node ids) and node positions;
    /// missing ways and nodes are skipped.
    fn from_parts(
        relations: Vec<PendingBoundary>,
        ways: &HashMap<i64, Vec<i64>>,
        nodes: &HashMap<i64, LonLat>,
    ) -> Communes {
        let mut out = Communes::default();
        for r in relations {
            let pieces: Vec<Vec<LonLat>> = r
                .ways
                .iter()
                .filter_map(|w| ways.get(w))
                .map(|w| {
                    w.iter()
                        .filter_map(|n| nodes.get(n).copied())
                        .collect::<Vec<_>>()
                })
                .filter(|pts| pts.len() >= 2)
                .collect();
            let (rings, closed) = assemble_rings(pieces);
            out.rings_closed_by_a_line += closed;
            if rings.is_empty() {
                continue;
            }
            out.boundaries.push(Boundary::new(
                format!("relation/{}", r.id),
                r.name,
                r.insee,
                r.level,
                rings,
            ));
        }
        out
    }
}

/// A commune-level boundary relation, before its ways and nodes are read.
struct PendingBoundary {
    id: i64,
    name: String,
    insee: Option<String>,
    level: u8,
    /// Member ways with role `outer`, `inner` or none, in order.
    ways: Vec<i64>,
}

/// Puts every site of `map` in the commune whose boundary contains it (its name
/// and INSEE code); a site no boundary contains keeps the nearest commune seat
/// and is flagged [`SiteDetails::commune_from_nearest_place`](crate::names::SiteDetails).
/// Keeps `communes` in the map.
pub fn assign_sites(map: &mut crate::import::RawMap, communes: Communes) {
    map.site_details
        .resize(map.sites.len(), crate::names::SiteDetails::default());
    for (site, details) in map.sites.iter_mut().zip(map.site_details.iter_mut()) {
        match communes.locate(site.location) {
            Some(b) => {
                site.commune = b.name.clone();
                details.insee = b.insee.clone();
                details.commune_from_nearest_place = false;
            }
            None => details.commune_from_nearest_place = true,
        }
    }
    map.communes = communes;
}

/// The level of a commune-level boundary relation, if it is one.
fn commune_level(tags: &Tags) -> Option<u8> {
    if tags.get("boundary").map(|s| s.as_str()) != Some("administrative") {
        return None;
    }
    match tags.get("admin_level").map(|s| s.as_str()) {
        Some("8") => Some(8),
        Some("10")
            if tags
                .get("designation")
                .is_some_and(|d| d == "civil_parish" || d == "parish") =>
        {
            Some(10)
        }
        _ => None,
    }
}

fn ring_of(coords: &[Vec<f64>]) -> Vec<LonLat> {
    coords
        .iter()
        .filter(|c| c.len() >= 2)
        .map(|c| LonLat::new(c[0], c[1]))
        .collect()
}

fn same(a: LonLat, b: LonLat) -> bool {
    (a.lon - b.lon).abs() < 1e-9 && (a.lat - b.lat).abs() < 1e-9
}

/// Joins ways into rings at shared ends; returns the rings and how many were
/// closed by a straight line (their ways did not meet).
fn assemble_rings(mut ways: Vec<Vec<LonLat>>) -> (Vec<Vec<LonLat>>, usize) {
    let mut rings = Vec::new();
    let mut closed_by_line = 0;
    while let Some(mut ring) = ways.pop() {
        loop {
            let (first, last) = (ring[0], ring[ring.len() - 1]);
            if ring.len() > 2 && same(first, last) {
                break;
            }
            let next = ways
                .iter()
                .position(|w| same(w[0], last) || same(w[w.len() - 1], last));
            match next {
                Some(i) => {
                    let mut w = ways.swap_remove(i);
                    if !same(w[0], last) {
                        w.reverse();
                    }
                    ring.extend(w.into_iter().skip(1));
                }
                None => {
                    // Try the other end before giving up.
                    let prev = ways
                        .iter()
                        .position(|w| same(w[0], first) || same(w[w.len() - 1], first));
                    match prev {
                        Some(i) => {
                            let mut w = ways.swap_remove(i);
                            if !same(w[w.len() - 1], first) {
                                w.reverse();
                            }
                            w.extend(ring.into_iter().skip(1));
                            ring = w;
                        }
                        None => {
                            closed_by_line += 1;
                            break;
                        }
                    }
                }
            }
        }
        if same(ring[0], ring[ring.len() - 1]) {
            ring.pop();
        }
        if ring.len() >= 3 {
            rings.push(ring);
        }
    }
    (rings, closed_by_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<LonLat> {
        vec![
            LonLat::new(x0, y0),
            LonLat::new(x0 + s, y0),
            LonLat::new(x0 + s, y0 + s),
            LonLat::new(x0, y0 + s),
        ]
    }

    #[test]
    fn rings_are_assembled_from_pieces_in_any_direction() {
        let pieces = vec![
            vec![LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0)],
            vec![LonLat::new(1.0, 1.0), LonLat::new(1.0, 0.0)],
            vec![
                LonLat::new(1.0, 1.0),
                LonLat::new(0.0, 1.0),
                LonLat::new(0.0, 0.0),
            ],
        ];
        let (rings, cut) = assemble_rings(pieces);
        assert_eq!((rings.len(), cut), (1, 0));
        assert_eq!(rings[0].len(), 4);
        let b = Boundary::new("t".into(), "T".into(), None, 8, rings);
        assert!(b.contains(LonLat::new(0.5, 0.5)));
        assert!(!b.contains(LonLat::new(1.5, 0.5)));
    }

    #[test]
    fn a_cut_ring_is_closed_by_a_line_and_counted() {
        let pieces = vec![vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(1.0, 0.0),
            LonLat::new(1.0, 1.0),
        ]];
        let (rings, cut) = assemble_rings(pieces);
        assert_eq!((rings.len(), cut), (1, 1));
    }

    #[test]
    fn holes_and_the_finest_level_win() {
        let mut outer = square(0.0, 0.0, 10.0);
        outer.reverse();
        let county = Boundary::new("a".into(), "County".into(), None, 8, vec![outer]);
        let parish = Boundary::new(
            "b".into(),
            "Parish".into(),
            None,
            10,
            vec![square(0.0, 0.0, 4.0)],
        );
        let holed = Boundary::new(
            "c".into(),
            "Holed".into(),
            Some("17000".into()),
            8,
            vec![square(5.0, 5.0, 4.0), square(6.0, 6.0, 1.0)],
        );
        let c = Communes {
            boundaries: vec![county, parish, holed],
            rings_closed_by_a_line: 0,
        };
        assert_eq!(c.locate(LonLat::new(1.0, 1.0)).unwrap().name, "Parish");
        assert_eq!(c.locate(LonLat::new(5.5, 5.5)).unwrap().name, "Holed");
        // In the hole: the county only.
        assert_eq!(c.locate(LonLat::new(6.5, 6.5)).unwrap().name, "County");
        assert!(c.locate(LonLat::new(20.0, 1.0)).is_none());
    }

    #[test]
    fn geojson_communes_read_name_and_code_and_bad_files_say_why() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
          "properties":{"code":"17002","nom":"Agudelle"},
          "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
        let c = Communes::from_geojson(text, "t.geojson").unwrap();
        let b = c.locate(LonLat::new(0.5, 0.5)).unwrap();
        assert_eq!(
            (b.name.as_str(), b.insee.as_deref()),
            ("Agudelle", Some("17002"))
        );
        let e = Communes::from_geojson("{", "t.geojson").unwrap_err();
        assert!(e.contains("t.geojson"), "{e}");
        let nameless = text.replace("\"nom\"", "\"x\"");
        let e = Communes::from_geojson(&nameless, "t.geojson").unwrap_err();
        assert!(e.contains("feature 0"), "{e}");
    }
}
