//! Names people use for a stop: its public name, its address, its access for
//! people with reduced mobility.
//!
//! - **Name**: OSM `name=*`; else what the site is (a parking, a church square…)
//!   and what it is beside — the nearest other candidate site within
//!   [`BESIDE_METERS`] (church, town hall, school, village hall, market square) —
//!   and the nearest named street within [`STREET_METERS`]: "Parking de la salle
//!   des fêtes, rue du Moulin", "Place de l'église". Never an OSM id.
//! - **Address**: `addr:housenumber` + `addr:street` (or `addr:place`), then
//!   `addr:postcode` + `addr:city`; else the nearest named street and the commune.
//! - **Access**: `wheelchair=*` as mapped (`yes`, `limited`, `no`).

use std::collections::HashMap;

use osmpbfreader::Tags;
use tournee_model::{LonLat, SiteKind};

use crate::import::RawMap;

/// How far a site looks for what it is beside.
pub const BESIDE_METERS: f64 = 150.0;
/// How far a site looks for its street.
pub const STREET_METERS: f64 = 120.0;

/// What the public needs to know of a site beyond its name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteDetails {
    /// The street part of the address: "12 rue du Moulin" (`addr:*`) or the
    /// nearest named street.
    pub street: Option<String>,
    /// The town part, when `addr:*` gives it ("17800 Pons"); else the commune.
    pub city: Option<String>,
    /// OSM `wheelchair=*` (`yes`, `limited`, `no`).
    pub wheelchair: Option<String>,
    /// The commune's INSEE code, when its boundary gives one.
    pub insee: Option<String>,
    /// Whether the commune comes from the nearest place (no boundary known): said
    /// so to the coordinator.
    pub commune_from_nearest_place: bool,
}

/// Named streets, indexed by grid cells for nearest-street queries.
#[derive(Debug, Clone, Default)]
pub struct Streets {
    names: Vec<String>,
    /// (a, b, index into `names`).
    segments: Vec<(LonLat, LonLat, u32)>,
    cells: HashMap<(i32, i32), Vec<u32>>,
}

/// Cell size in degrees (≈ 220 m of latitude).
const CELL: f64 = 0.002;

fn cell(p: LonLat) -> (i32, i32) {
    ((p.lon / CELL).floor() as i32, (p.lat / CELL).floor() as i32)
}

impl Streets {
    /// The named roads of a map (not motorways and their links).
    pub fn new(map: &RawMap) -> Streets {
        let mut s = Streets::default();
        let mut index: HashMap<&str, u32> = HashMap::new();
        for road in &map.roads {
            let (Some(name), Some(highway)) = (road.tag("name"), road.tag("highway")) else {
                continue;
            };
            if highway.starts_with("motorway") || highway.starts_with("trunk") {
                continue;
            }
            let n = *index.entry(name).or_insert_with(|| {
                s.names.push(name.to_string());
                (s.names.len() - 1) as u32
            });
            for w in road.nodes.windows(2) {
                let (a, b) = (map.nodes[w[0] as usize], map.nodes[w[1] as usize]);
                let i = s.segments.len() as u32;
                s.segments.push((a, b, n));
                let (ca, cb) = (cell(a), cell(b));
                for x in ca.0.min(cb.0)..=ca.0.max(cb.0) {
                    for y in ca.1.min(cb.1)..=ca.1.max(cb.1) {
                        s.cells.entry((x, y)).or_default().push(i);
                    }
                }
            }
        }
        s
    }

    /// The nearest named street within `max_m` of `p`, and its distance.
    pub fn nearest(&self, p: LonLat, max_m: f64) -> Option<(&str, f64)> {
        let c = cell(p);
        let r = (max_m / 111_000.0 / CELL).ceil() as i32 + 1;
        let mut best: Option<(u32, f64)> = None;
        for x in c.0 - r..=c.0 + r {
            for y in c.1 - r..=c.1 + r {
                for &i in self.cells.get(&(x, y)).into_iter().flatten() {
                    let (a, b, n) = self.segments[i as usize];
                    let d = distance_to_segment(p, a, b);
                    if d <= max_m && best.is_none_or(|(bn, bd)| (d, n) < (bd, bn)) {
                        best = Some((n, d));
                    }
                }
            }
        }
        best.map(|(n, d)| (self.names[n as usize].as_str(), d))
    }
}

/// Metres from `p` to the segment `a`–`b` (local flat approximation).
fn distance_to_segment(p: LonLat, a: LonLat, b: LonLat) -> f64 {
    let k = p.lat.to_radians().cos() * 111_320.0;
    let m = 110_540.0;
    let (ax, ay) = ((a.lon - p.lon) * k, (a.lat - p.lat) * m);
    let (bx, by) = ((b.lon - p.lon) * k, (b.lat - p.lat) * m);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (ax + t * dx, ay + t * dy);
    (x * x + y * y).sqrt()
}

/// What an unnamed site of this kind is called ("Place de l'église").
fn kind_name(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Marketplace => "Place du marché",
        SiteKind::PlaceOfWorship => "Place de l'église",
        SiteKind::School => "Parking de l'école",
        SiteKind::Parking => "Parking",
        SiteKind::Townhall => "Mairie",
        SiteKind::CommunityCentre => "Salle des fêtes",
        SiteKind::SocialFacility => "Structure sociale",
        SiteKind::Library => "Médiathèque",
        SiteKind::Cafe => "Café",
    }
}

/// "de l'église", "de la mairie"…: what a parking is "of".
fn of_landmark(kind: SiteKind) -> Option<&'static str> {
    match kind {
        SiteKind::Marketplace => Some("du marché"),
        SiteKind::PlaceOfWorship => Some("de l'église"),
        SiteKind::School => Some("de l'école"),
        SiteKind::Townhall => Some("de la mairie"),
        SiteKind::CommunityCentre => Some("de la salle des fêtes"),
        SiteKind::SocialFacility => Some("de la structure sociale"),
        SiteKind::Library => Some("de la médiathèque"),
        SiteKind::Cafe => Some("du café"),
        SiteKind::Parking => None,
    }
}

/// A street name as written after a comma: French street types in lowercase
/// ("Rue du Moulin" → "rue du Moulin"), other names as mapped.
pub fn street_in_text(name: &str) -> String {
    const TYPES: &[&str] = &[
        "Rue",
        "Avenue",
        "Place",
        "Chemin",
        "Route",
        "Impasse",
        "Allée",
        "Boulevard",
        "Quai",
        "Cours",
        "Square",
        "Passage",
        "Ruelle",
        "Sentier",
        "Voie",
        "Rond-point",
        "Montée",
    ];
    match name.split_once(' ') {
        Some((first, rest)) if TYPES.contains(&first) => {
            format!("{} {rest}", first.to_lowercase())
        }
        _ => name.to_string(),
    }
}

/// The public name of a site: `name=*`, else what it is, what it is beside and
/// its street. `beside` lists the other candidate sites (kind, position).
pub fn public_name(
    kind: SiteKind,
    tags: &Tags,
    at: LonLat,
    beside: &[(SiteKind, LonLat)],
    streets: &Streets,
) -> String {
    if let Some(name) = tags.get("name").map(|n| n.trim()).filter(|n| !n.is_empty()) {
        return name.to_string();
    }
    let mut name = kind_name(kind).to_string();
    if kind == SiteKind::Parking {
        let landmark = beside
            .iter()
            .filter(|(k, p)| *k != SiteKind::Parking && p.distance_m(&at) <= BESIDE_METERS)
            .min_by(|(ka, a), (kb, b)| {
                a.distance_m(&at)
                    .total_cmp(&b.distance_m(&at))
                    .then(ka.cmp(kb))
            });
        if let Some(of) = landmark.and_then(|(k, _)| of_landmark(*k)) {
            name = format!("Parking {of}");
        }
    }
    if let Some((street, _)) = streets.nearest(at, STREET_METERS) {
        name = format!("{name}, {}", street_in_text(street));
    }
    name
}

impl SiteDetails {
    /// Address and access of a site from its tags and the streets around it.
    pub fn of(tags: &Tags, at: LonLat, streets: &Streets) -> SiteDetails {
        let get = |k: &str| tags.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let city = match (get("addr:postcode"), get("addr:city")) {
            (Some(pc), Some(city)) => Some(format!("{pc} {city}")),
            (None, Some(city)) => Some(city.to_string()),
            _ => None,
        };
        let street = match (
            get("addr:housenumber"),
            get("addr:street").or_else(|| get("addr:place")),
        ) {
            (Some(n), Some(s)) => Some(format!("{n} {}", street_in_text(s))),
            (None, Some(s)) => Some(street_in_text(s)),
            _ => streets
                .nearest(at, STREET_METERS)
                .map(|(s, _)| street_in_text(s)),
        };
        SiteDetails {
            street,
            city,
            wheelchair: wheelchair(tags),
            insee: None,
            commune_from_nearest_place: true,
        }
    }

    /// "12 rue du Moulin, 17800 Pons", "rue du Moulin, Pons" or "Pons".
    pub fn address(&self, commune: &str) -> String {
        let city = self.city.as_deref().unwrap_or(commune);
        match &self.street {
            Some(s) => format!("{s}, {city}"),
            None => city.to_string(),
        }
    }
}

/// `wheelchair=*` as mapped, when it is one of the documented values.
pub fn wheelchair(tags: &Tags) -> Option<String> {
    tags.get("wheelchair")
        .map(|v| v.as_str())
        .filter(|v| matches!(*v, "yes" | "limited" | "no" | "designated"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::RawRoad;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        let mut t = Tags::new();
        for (k, v) in pairs {
            t.insert((*k).into(), (*v).into());
        }
        t
    }

    /// A street "Rue du Moulin" along latitude 45.0 from lon 0.0 to 0.01.
    fn streets() -> Streets {
        let map = RawMap {
            nodes: vec![LonLat::new(0.0, 45.0), LonLat::new(0.01, 45.0)],
            node_ids: vec![1, 2],
            roads: vec![RawRoad {
                osm_id: 1,
                nodes: vec![0, 1],
                tags: [("highway", "residential"), ("name", "Rue du Moulin")]
                    .into_iter()
                    .collect(),
            }],
            ..RawMap::default()
        };
        Streets::new(&map)
    }

    #[test]
    fn an_unnamed_parking_is_named_by_what_it_is_beside_and_its_street() {
        let at = LonLat::new(0.005, 45.0005); // ≈ 55 m north of the street
        let hall = (SiteKind::CommunityCentre, LonLat::new(0.0055, 45.0006));
        let far_church = (SiteKind::PlaceOfWorship, LonLat::new(0.02, 45.01));
        let name = public_name(
            SiteKind::Parking,
            &tags(&[]),
            at,
            &[hall, far_church],
            &streets(),
        );
        assert_eq!(name, "Parking de la salle des fêtes, rue du Moulin");
        // Far from any street and anything: just what it is.
        let lone = LonLat::new(1.0, 46.0);
        assert_eq!(
            public_name(SiteKind::PlaceOfWorship, &tags(&[]), lone, &[], &streets()),
            "Place de l'église"
        );
        // A mapped name wins.
        let named = tags(&[("name", " Place de la Halle ")]);
        assert_eq!(
            public_name(SiteKind::Marketplace, &named, at, &[], &streets()),
            "Place de la Halle"
        );
    }

    #[test]
    fn addresses_from_addr_tags_else_the_street_and_commune() {
        let at = LonLat::new(0.005, 45.0005);
        let full = tags(&[
            ("addr:housenumber", "12"),
            ("addr:street", "Rue de l'Église"),
            ("addr:postcode", "17800"),
            ("addr:city", "Pons"),
        ]);
        let of = |t: &Tags, at| SiteDetails::of(t, at, &streets()).address("Pons");
        assert_eq!(of(&full, at), "12 rue de l'Église, 17800 Pons");
        assert_eq!(of(&tags(&[]), at), "rue du Moulin, Pons");
        assert_eq!(of(&tags(&[]), LonLat::new(1.0, 46.0)), "Pons");
        assert_eq!(street_in_text("Main Street"), "Main Street");
    }

    #[test]
    fn wheelchair_values_as_mapped() {
        assert_eq!(
            wheelchair(&tags(&[("wheelchair", "limited")])).as_deref(),
            Some("limited")
        );
        assert_eq!(wheelchair(&tags(&[("wheelchair", "maybe")])), None);
    }
}
