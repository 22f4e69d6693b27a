//! A département-size territory for the scale benchmark (`bench/departement.sh`):
//! about 450 communes on 90 × 66 km around the same fictional centre as the demo,
//! about 200,000 inhabitants, roads of every class, about 1,500 candidate sites.
//!
//! Same promises as the demo: a pure function of the seed, a strongly connected car
//! network. It shares the demo's builder and name lists but draws from its own RNG
//! stream, so the demo's draws (and `osm-data/demo.osm.pbf`) are untouched. The
//! three largest towns stand at fixed positions ([`TOWNS`]) whatever the seed, so a
//! scenario can put its depots there.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tournee_osm::write::OsmData;

use crate::{commune_name, links, t, Builder, Commune, Summary, MARKET_HOURS, SAINTS, STREETS};

/// The size of a generated territory: its extent, its fixed towns and how many
/// communes of each kind are drawn around them.
pub struct Shape {
    /// Half-width and half-height, in km.
    pub half_w: f64,
    pub half_h: f64,
    /// Towns at fixed positions (the depots of a benchmark scenario stand there).
    pub towns: &'static [(&'static str, u32, f64, f64)],
    /// Small towns, villages and hamlets drawn at random.
    pub small_towns: usize,
    pub villages: usize,
    pub hamlets: usize,
    /// The RNG stream (each preset its own).
    pub stream: u64,
}

/// The département preset (`bench/departement.sh`).
pub const DEPARTEMENT: Shape = Shape {
    half_w: 45.0,
    half_h: 33.0,
    towns: &TOWNS,
    small_towns: 3,
    villages: 369,
    hamlets: 75,
    stream: 7,
};

/// The region preset (`bench/region.sh`): about 4,000 communes on 300 × 280 km, the
/// size of Nouvelle-Aquitaine's rural part, with twelve fixed towns for twelve
/// depots ([`REGION_TOWNS`]).
pub const REGION: Shape = Shape {
    half_w: 150.0,
    half_h: 140.0,
    towns: &REGION_TOWNS,
    small_towns: 40,
    villages: 3_400,
    hamlets: 550,
    stream: 8,
};

/// The region's twelve fixed towns: name, population, position (km from the centre).
pub const REGION_TOWNS: [(&str, u32, f64, f64); 12] = [
    ("Brumeville-sur-Lize", 21_400, 0.0, 0.0),
    ("Saint-Corvac", 7_350, -26.0, 14.0),
    ("Talvemont", 5_120, 25.0, -15.0),
    ("Orlanges", 14_800, -100.0, 90.0),
    ("Vassieux-le-Haut", 9_600, 0.0, 95.0),
    ("Castelnor", 11_200, 100.0, 90.0),
    ("Pradelune", 8_300, -105.0, 0.0),
    ("Montaubrac", 12_500, 105.0, 5.0),
    ("Lessac-les-Bois", 6_900, -95.0, -90.0),
    ("Rivefonde", 10_400, 0.0, -95.0),
    ("Aurillane", 7_800, 95.0, -95.0),
    ("Belcastel-sur-Dronne", 6_100, 50.0, 45.0),
];

/// The préfecture and two sous-préfectures: name, population, position (km east and
/// north of the centre). Their town-hall squares are where the benchmark's depots are.
pub const TOWNS: [(&str, u32, f64, f64); 3] = [
    ("Brumeville-sur-Lize", 21_400, 0.0, 0.0),
    ("Saint-Corvac", 7_350, -26.0, 14.0),
    ("Talvemont", 5_120, 25.0, -15.0),
];

/// Longitude and latitude of a point given in km from the centre (as written).
pub fn lonlat(x: f64, y: f64) -> (f64, f64) {
    Builder::lonlat(x, y)
}

fn points(
    rng: &mut ChaCha8Rng,
    shape: &Shape,
    all: &mut Vec<(f64, f64)>,
    n: usize,
    gap: f64,
) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < n && tries < 400_000 {
        tries += 1;
        let p = (
            rng.random_range(-shape.half_w..shape.half_w),
            rng.random_range(-shape.half_h..shape.half_h),
        );
        if all
            .iter()
            .all(|q| (p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) >= gap * gap)
        {
            all.push(p);
            out.push(p);
        }
    }
    out
}

fn communes(rng: &mut ChaCha8Rng, shape: &Shape) -> Vec<Commune> {
    let mut out: Vec<Commune> = shape
        .towns
        .iter()
        .map(|&(name, population, x, y)| Commune {
            name: name.into(),
            kind: "town",
            population,
            x,
            y,
        })
        .collect();
    let mut all: Vec<(f64, f64)> = out.iter().map(|c| (c.x, c.y)).collect();
    let mut taken: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
    // Three more small towns (chefs-lieux de canton), then villages, then hamlets.
    for (x, y) in points(rng, shape, &mut all, shape.small_towns, 18.0) {
        let name = commune_name(rng, &taken);
        taken.push(name.clone());
        let population = rng.random_range(2_200..4_200);
        out.push(Commune {
            name,
            kind: "town",
            population,
            x,
            y,
        });
    }
    for (x, y) in points(rng, shape, &mut all, shape.villages, 2.5) {
        let name = commune_name(rng, &taken);
        taken.push(name.clone());
        // Log-uniform from 90 to about 1,200 inhabitants, as in rural France.
        let population = (90.0 * 10f64.powf(rng.random_range(0.0..1.12))).round() as u32;
        out.push(Commune {
            name,
            kind: "village",
            population,
            x,
            y,
        });
    }
    for (x, y) in points(rng, shape, &mut all, shape.hamlets, 1.2) {
        let name = commune_name(rng, &taken);
        taken.push(name.clone());
        out.push(Commune {
            name,
            kind: "hamlet",
            population: rng.random_range(15..120),
            x,
            y,
        });
    }
    out
}

fn road_class(a: &Commune, b: &Commune) -> &'static str {
    if a.kind == "hamlet" || b.kind == "hamlet" {
        "unclassified"
    } else if a.kind == "town" && b.kind == "town" {
        "primary"
    } else if a.kind == "town" || a.population.min(b.population) >= 500 {
        "secondary"
    } else if b.kind == "town" || a.population.min(b.population) >= 150 {
        "tertiary"
    } else {
        "unclassified"
    }
}

/// Generates the département-size territory from `seed`.
pub fn generate(seed: u64) -> (OsmData, Summary) {
    generate_shape(seed, &DEPARTEMENT)
}

/// Generates a territory of `shape` from `seed`.
pub fn generate_shape(seed: u64, shape: &Shape) -> (OsmData, Summary) {
    // A stream of its own: the demo's draws stay as they are.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(shape.stream);
    let cs = communes(&mut rng, shape);
    let mut b = Builder {
        rng,
        data: OsmData::default(),
        next_node: 1,
        next_way: 1,
        summary: Summary::default(),
    };
    for (i, c) in cs.iter().enumerate() {
        let mut tags = t(&[("place", c.kind), ("name", &c.name)]);
        if !(c.kind == "village" && i % 23 == 5) {
            tags.push(("population".into(), c.population.to_string()));
        }
        if c.kind != "hamlet" {
            // A fictional département 99 (9 and four digits past 999 communes).
            let insee = if cs.len() < 999 {
                format!("99{:03}", i + 1)
            } else {
                format!("9{:04}", i + 1)
            };
            tags.push(("ref:INSEE".into(), insee));
        }
        b.node(c.x, c.y, tags);
        b.summary.inhabitants += c.population as u64;
        match c.kind {
            "town" => b.summary.towns += 1,
            "village" => b.summary.villages += 1,
            _ => b.summary.hamlets += 1,
        }
    }

    // Each settlement's centre junction; towns get a roundabout of 8 nodes.
    let centre = |c: &Commune| (c.x + 0.02, c.y + 0.02);
    let mut junction: Vec<Vec<(i64, f64, f64)>> = Vec::new();
    for c in &cs {
        let (x, y) = centre(c);
        if c.kind == "town" {
            let ring: Vec<(i64, f64, f64)> = (0..8)
                .map(|k| {
                    let a = k as f64 * std::f64::consts::TAU / 8.0;
                    let (rx, ry) = (x + 0.04 * a.cos(), y + 0.04 * a.sin());
                    (b.node(rx, ry, vec![]), rx, ry)
                })
                .collect();
            let mut ids: Vec<i64> = ring.iter().map(|r| r.0).collect();
            ids.push(ids[0]);
            b.way(
                ids,
                t(&[("highway", "primary"), ("junction", "roundabout")]),
            );
            junction.push(ring);
        } else {
            let id = b.node(x, y, vec![]);
            junction.push(vec![(id, x, y)]);
        }
    }
    let attach = |junction: &[Vec<(i64, f64, f64)>], i: usize, toward: (f64, f64)| {
        let best = junction[i]
            .iter()
            .min_by(|p, q| {
                let dp = (p.1 - toward.0).powi(2) + (p.2 - toward.1).powi(2);
                let dq = (q.1 - toward.0).powi(2) + (q.2 - toward.1).powi(2);
                dp.total_cmp(&dq)
            })
            .expect("a junction has nodes");
        (best.0, (best.1, best.2))
    };

    // Roads: a spanning tree plus nearest neighbours, and every town to its two
    // nearest towns (the main roads).
    let mut edges = links(&cs);
    let towns: Vec<usize> = (0..cs.len()).filter(|&i| cs[i].kind == "town").collect();
    for &i in &towns {
        let mut near: Vec<usize> = towns.iter().copied().filter(|&j| j != i).collect();
        near.sort_by(|&a, &c| crate::dist(&cs[i], &cs[a]).total_cmp(&crate::dist(&cs[i], &cs[c])));
        for &j in near.iter().take(2) {
            edges.push((i.min(j), i.max(j)));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    for (k, &(i, j)) in edges.iter().enumerate() {
        let class = road_class(&cs[i], &cs[j]);
        let mut tags = t(&[("highway", class)]);
        match class {
            "primary" => {
                tags.push(("maxspeed".into(), "80".into()));
                tags.push(("ref".into(), format!("D{}", 1 + k % 30)));
            }
            "secondary" => tags.push(("ref".into(), format!("D{}", 100 + k))),
            _ => {}
        }
        let (a, pa) = attach(&junction, i, centre(&cs[j]));
        let (bn, pb) = attach(&junction, j, centre(&cs[i]));
        b.road(a, pa, bn, pb, tags);
    }

    // Streets: 3 per village, 8 per town (longer); a one-way loop in every town.
    let mut street_nodes: Vec<Vec<(i64, f64, f64)>> = Vec::new();
    for (i, c) in cs.iter().enumerate() {
        let mut nodes = Vec::new();
        if c.kind == "hamlet" {
            street_nodes.push(nodes);
            continue;
        }
        let town = c.kind == "town";
        let n_streets = if town { 8 } else { 3 };
        let base_dir: f64 = b.rng.random_range(0.0..std::f64::consts::TAU);
        for s in 0..n_streets {
            let dir = base_dir + s as f64 * std::f64::consts::TAU / n_streets as f64 + 0.3;
            let (start, _) = attach(
                &junction,
                i,
                (centre(c).0 + dir.cos(), centre(c).1 + dir.sin()),
            );
            let j = junction[i]
                .iter()
                .find(|p| p.0 == start)
                .copied()
                .expect("attached node");
            let name = STREETS[(i + s) % STREETS.len()];
            let pts = b.street(
                j,
                dir,
                if town { 6 } else { 3 + (s % 2) },
                0.1,
                t(&[
                    ("highway", "residential"),
                    ("name", name),
                    ("maxspeed", if town { "30" } else { "50" }),
                ]),
            );
            nodes.extend(pts.into_iter().skip(1));
        }
        if town {
            // A one-way loop between the ends of two streets' second nodes.
            let (a, c2) = (nodes[1], nodes[7]);
            b.way(
                vec![a.0, c2.0],
                t(&[("highway", "residential"), ("oneway", "yes")]),
            );
            b.way(
                vec![nodes[13].0, nodes[7].0],
                t(&[("highway", "residential"), ("oneway", "-1")]),
            );
        }
        street_nodes.push(nodes);
    }

    // Tracks cars may not use.
    for i in (5..cs.len()).step_by(9) {
        let c = &cs[i];
        let (jn, jp) = attach(&junction, i, (c.x + 1.0, c.y));
        let dir: f64 = b.rng.random_range(0.0..std::f64::consts::TAU);
        let far = (jp.0 + 1.2 * dir.cos(), jp.1 + 1.2 * dir.sin());
        let end = b.node(far.0, far.1, vec![]);
        b.road(jn, jp, end, far, t(&[("highway", "track")]));
    }

    // Candidate sites near the streets.
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut count = |kind: &str| match counts.iter_mut().find(|(k, _)| k == kind) {
        Some((_, n)) => *n += 1,
        None => counts.push((kind.to_string(), 1)),
    };
    for (i, c) in cs.iter().enumerate() {
        if c.kind == "hamlet" {
            continue;
        }
        let town = c.kind == "town";
        let reach = if town { 0.6 } else { 0.3 };
        let spots: Vec<(i64, f64, f64)> = street_nodes[i]
            .iter()
            .filter(|&&(_, x, y)| ((x - c.x).powi(2) + (y - c.y).powi(2)).sqrt() <= reach)
            .copied()
            .collect();
        let spot = |b: &mut Builder| -> (f64, f64) {
            let &(_, x, y) = spots.choose(&mut b.rng).expect("a village has streets");
            let a: f64 = b.rng.random_range(0.0..std::f64::consts::TAU);
            let d = b.rng.random_range(0.015..0.04);
            (x + d * a.cos(), y + d * a.sin())
        };
        // (kind, probability in a village, how many in a town)
        let plan: [(&str, f64, usize); 5] = [
            ("townhall", 1.0, 1),
            ("place_of_worship", 0.9, 3),
            ("school", 0.62, 4),
            ("parking", 0.6, 3),
            ("community_centre", 0.62, 2),
        ];
        for (kind, p, in_town) in plan {
            let n = if town {
                in_town
            } else {
                usize::from(b.rng.random_bool(p))
            };
            for k in 0..n {
                let (x, y) = spot(&mut b);
                let name = match kind {
                    "townhall" => format!("Mairie de {}", c.name),
                    "place_of_worship" => format!(
                        "Église Saint-{}",
                        SAINTS.choose(&mut b.rng).expect("non-empty")
                    ),
                    "school" => format!("École n° {} de {}", k + 1, c.name),
                    "parking" => format!("Parking n° {}, {}", k + 1, c.name),
                    _ => format!("Salle n° {} de {}", k + 1, c.name),
                };
                let mut tags = t(&[("amenity", kind), ("name", &name)]);
                if kind == "place_of_worship" {
                    tags.push(("religion".into(), "christian".into()));
                }
                if (i + k) % 3 == 0 && kind != "townhall" {
                    b.area(x, y, 0.015, tags);
                } else {
                    b.node(x, y, tags);
                }
                count(kind);
            }
        }
        if town || c.population >= 900 || i % 17 == 4 {
            let hours = if i == 0 {
                "Tu,Sa 07:30-13:00"
            } else {
                MARKET_HOURS.choose(&mut b.rng).expect("non-empty")
            };
            let (x, y) = spot(&mut b);
            let tags = t(&[
                ("amenity", "marketplace"),
                ("name", &format!("Place du marché, {}", c.name)),
                ("opening_hours", hours),
            ]);
            if i % 2 == 0 {
                b.area(x, y, 0.025, tags);
            } else {
                b.node(x, y, tags);
            }
            b.summary.markets.push((c.name.clone(), hours.to_string()));
            count("marketplace");
        }
    }
    b.summary.sites = counts;
    b.summary.road_km.sort_by(|a, b| a.0.cmp(&b.0));
    (b.data, b.summary)
}
