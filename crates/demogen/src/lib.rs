//! The demo territory: a fictional rural "pays" of about forty communes, out at sea
//! in the Bay of Biscay (centred on 2.50° W, 45.00° N) so that it can never be taken
//! for a real place, written as a real OSM PBF.
//!
//! Promises: [`generate`] is a pure function of the seed (a ChaCha RNG; no hash-map
//! iteration, no clock), so the committed `osm-data/demo.osm.pbf` can be rebuilt
//! byte for byte; the car network (everything but tracks and the private drive) is
//! strongly connected; the chef-lieu's `place=town` node sits exactly at the centre.

pub mod communes;
pub mod departement;
pub mod tile;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tournee_osm::write::{Node, OsmData, Way};

pub const CENTRE_LON: f64 = -2.5;
pub const CENTRE_LAT: f64 = 45.0;
const KM_LAT: f64 = 1.0 / 111.195;

/// A settlement of the territory.
#[derive(Debug, Clone)]
pub struct Commune {
    pub name: String,
    pub kind: &'static str,
    pub population: u32,
    /// Position in km east and north of the centre.
    pub x: f64,
    pub y: f64,
}

/// What was generated, for the summary.
#[derive(Debug, Default)]
pub struct Summary {
    pub towns: usize,
    pub villages: usize,
    pub hamlets: usize,
    pub inhabitants: u64,
    pub road_km: Vec<(String, f64)>,
    pub sites: Vec<(String, usize)>,
    pub markets: Vec<(String, String)>,
}

struct Builder {
    rng: ChaCha8Rng,
    data: OsmData,
    next_node: i64,
    next_way: i64,
    summary: Summary,
}

fn t(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    tournee_osm::write::tags(pairs)
}

impl Builder {
    fn lonlat(x: f64, y: f64) -> (f64, f64) {
        let lat = CENTRE_LAT + y * KM_LAT;
        let lon = CENTRE_LON + x * KM_LAT / CENTRE_LAT.to_radians().cos();
        ((lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7)
    }

    fn node(&mut self, x: f64, y: f64, tags: Vec<(String, String)>) -> i64 {
        let id = self.next_node;
        self.next_node += 1;
        let (lon, lat) = Builder::lonlat(x, y);
        self.data.nodes.push(Node { id, lon, lat, tags });
        id
    }

    fn way(&mut self, nodes: Vec<i64>, tags: Vec<(String, String)>) -> i64 {
        let id = self.next_way;
        self.next_way += 1;
        self.data.ways.push(Way { id, nodes, tags });
        id
    }

    fn add_km(&mut self, class: &str, km: f64) {
        match self.summary.road_km.iter_mut().find(|(c, _)| c == class) {
            Some((_, total)) => *total += km,
            None => self.summary.road_km.push((class.to_string(), km)),
        }
    }

    /// A road from node `a` at (ax, ay) to node `b` at (bx, by), bending gently, with
    /// intermediate nodes about every 250 m.
    #[allow(clippy::too_many_arguments)]
    fn road(
        &mut self,
        a: i64,
        (ax, ay): (f64, f64),
        b: i64,
        (bx, by): (f64, f64),
        tags: Vec<(String, String)>,
    ) {
        let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
        let steps = ((len / 0.25).ceil() as usize).max(1);
        let (nx, ny) = (-(by - ay) / len.max(1e-9), (bx - ax) / len.max(1e-9));
        let bend = self.rng.random_range(-0.08..0.08) * len;
        let mut nodes = vec![a];
        for i in 1..steps {
            let f = i as f64 / steps as f64;
            let off = bend * (std::f64::consts::PI * f).sin() + self.rng.random_range(-0.02..0.02);
            let id = self.node(
                ax + (bx - ax) * f + nx * off,
                ay + (by - ay) * f + ny * off,
                vec![],
            );
            nodes.push(id);
        }
        nodes.push(b);
        let class = tags
            .iter()
            .find(|(k, _)| k == "highway")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.add_km(&class, len * 1.02);
        self.way(nodes, tags);
    }

    /// A straight street of `n` segments of `step` km from (x, y) in direction `dir`;
    /// returns the node ids and positions.
    fn street(
        &mut self,
        start: (i64, f64, f64),
        dir: f64,
        n: usize,
        step: f64,
        tags: Vec<(String, String)>,
    ) -> Vec<(i64, f64, f64)> {
        let mut pts = vec![start];
        for i in 1..=n {
            let (x, y) = (
                start.1 + dir.cos() * step * i as f64,
                start.2 + dir.sin() * step * i as f64,
            );
            let id = self.node(x, y, vec![]);
            pts.push((id, x, y));
        }
        self.add_km("residential", step * n as f64);
        self.way(pts.iter().map(|p| p.0).collect(), tags);
        pts
    }

    /// A small closed square around (x, y), `half` km from the centre to a side.
    fn area(&mut self, x: f64, y: f64, half: f64, tags: Vec<(String, String)>) {
        let corners = [(-half, -half), (half, -half), (half, half), (-half, half)];
        let mut ring: Vec<i64> = corners
            .iter()
            .map(|(dx, dy)| self.node(x + dx, y + dy, vec![]))
            .collect();
        ring.push(ring[0]);
        self.way(ring, tags);
    }
}

// The name parts. Every root ends with a consonant, every link is a vowel, and an
// ending that starts with a vowel takes no link, so names read as French ones
// ("Brameville", "Velanac", "Corvières") without clusters like "eaiè". The lists were
// checked against the official list of French communes (COG): no root + link +
// ending is a real commune's name. Their lengths fix how many draws a name takes,
// so changing a spelling here moves nothing (unless two names then collide and one
// is drawn again).
const ROOTS: [&str; 26] = [
    "Bram", "Vel", "Corv", "Lur", "Marn", "Ter", "Saul", "Bel", "Fon", "Grev", "Rist", "Plan",
    "Brum", "Cass", "Lanv", "Sorv", "Aubl", "Gerv", "Mord", "Quinc", "Talv", "Verd", "Jon", "Pel",
    "Roub", "Chaul",
];
const LINKS: [&str; 9] = ["e", "a", "i", "o", "e", "o", "a", "e", "i"];
const ENDINGS: [&str; 16] = [
    "ville", "lac", "nac", "zac", "mont", "val", "vieille", "court", "brune", "ssac", "gnan",
    "rieux", "zelle", "ières", "eilles", "ignac",
];
const SUFFIXES: [&str; 9] = [
    "",
    "",
    "",
    "",
    "-sur-Lize",
    "-le-Haut",
    "-les-Brumes",
    "-en-Brumeval",
    "-la-Vieille",
];
const SAINTS: &[&str] = &[
    "Martin",
    "Pierre",
    "Jean",
    "Hilaire",
    "Vivien",
    "Radegonde",
    "Eutrope",
    "Front",
    "Amand",
    "Sulpice",
];
const STREETS: &[&str] = &[
    "Rue de l'Église",
    "Rue des Écoles",
    "Chemin du Lavoir",
    "Impasse des Tilleuls",
    "Rue du Four",
    "Allée des Vignes",
    "Rue de la Fontaine",
    "Chemin des Prés",
    "Rue du Moulin",
    "Rue des Ormeaux",
];

fn commune_name(rng: &mut ChaCha8Rng, taken: &[String]) -> String {
    loop {
        let root = *ROOTS.choose(rng).expect("non-empty");
        let link = *LINKS.choose(rng).expect("non-empty");
        let ending = *ENDINGS.choose(rng).expect("non-empty");
        let link = if ending.starts_with(['e', 'i']) {
            ""
        } else {
            link
        };
        let base = format!("{root}{link}{ending}");
        let name = if rng.random_bool(0.08) {
            format!("Saint-{base}")
        } else {
            let suffix = match *SUFFIXES.choose(rng).expect("non-empty") {
                "-la-Vieille" if ending == "vieille" => "-sur-Lize",
                s => s,
            };
            format!("{base}{suffix}")
        };
        if !taken.contains(&name) {
            return name;
        }
    }
}

/// Settlements by rejection sampling: at least `gap` km from every other.
fn place_points(
    rng: &mut ChaCha8Rng,
    existing: &[(f64, f64)],
    n: usize,
    gap: f64,
) -> Vec<(f64, f64)> {
    let mut all = existing.to_vec();
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < n && tries < 100_000 {
        tries += 1;
        let p = (rng.random_range(-19.0..19.0), rng.random_range(-14.0..14.0));
        if all
            .iter()
            .all(|q| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() >= gap)
        {
            all.push(p);
            out.push(p);
        }
    }
    out
}

/// The communes: the chef-lieu at the centre, a second town, villages and hamlets.
fn communes(rng: &mut ChaCha8Rng) -> Vec<Commune> {
    let mut out = vec![Commune {
        name: "Brumeval".into(),
        kind: "town",
        population: 3_240,
        x: 0.0,
        y: 0.0,
    }];
    let second = loop {
        let p = place_points(rng, &[(0.0, 0.0)], 1, 12.0);
        if let Some(p) = p.first() {
            break *p;
        }
    };
    out.push(Commune {
        name: "Lizerac".into(),
        kind: "town",
        population: 2_110,
        x: second.0,
        y: second.1,
    });
    let fixed: Vec<(f64, f64)> = out.iter().map(|c| (c.x, c.y)).collect();
    let villages = place_points(rng, &fixed, 36, 3.6);
    let mut taken: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
    for (x, y) in villages {
        let name = commune_name(rng, &taken);
        taken.push(name.clone());
        let population = (150.0 * 10f64.powf(rng.random_range(0.0..1.0))).round() as u32;
        out.push(Commune {
            name,
            kind: "village",
            population,
            x,
            y,
        });
    }
    let all: Vec<(f64, f64)> = out.iter().map(|c| (c.x, c.y)).collect();
    for (x, y) in place_points(rng, &all, 12, 1.6) {
        let name = commune_name(rng, &taken);
        taken.push(name.clone());
        out.push(Commune {
            name,
            kind: "hamlet",
            population: rng.random_range(20..150),
            x,
            y,
        });
    }
    out
}

fn dist(a: &Commune, b: &Commune) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Road links: a minimum spanning tree (so all is connected) plus each commune's
/// nearest neighbours, without duplicates.
fn links(cs: &[Commune]) -> Vec<(usize, usize)> {
    // Prim's minimum spanning tree in O(n²): `near[j]` is the tree node closest to
    // `j` (the first one on a tie) and its distance.
    let n = cs.len();
    let mut in_tree = vec![false; n];
    let mut edges = Vec::new();
    let mut near: Vec<(f64, usize)> = vec![(f64::MAX, 0); n];
    let mut last = 0;
    in_tree[0] = true;
    for _ in 1..n {
        let mut best = (f64::MAX, 0, 0);
        for j in 0..n {
            if in_tree[j] {
                continue;
            }
            let d = dist(&cs[last], &cs[j]);
            if d < near[j].0 || (d == near[j].0 && last < near[j].1) {
                near[j] = (d, last);
            }
            if near[j].0 < best.0 {
                best = (near[j].0, near[j].1, j);
            }
        }
        in_tree[best.2] = true;
        last = best.2;
        edges.push((best.1.min(best.2), best.1.max(best.2)));
    }
    for i in 0..n {
        if cs[i].kind == "hamlet" {
            continue;
        }
        let mut near: Vec<usize> = (0..n)
            .filter(|&j| j != i && cs[j].kind != "hamlet")
            .collect();
        near.sort_by(|&a, &b| dist(&cs[i], &cs[a]).total_cmp(&dist(&cs[i], &cs[b])));
        for &j in near.iter().take(2) {
            edges.push((i.min(j), i.max(j)));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

fn road_class(a: &Commune, b: &Commune) -> &'static str {
    let small = a.population.min(b.population);
    if a.kind == "hamlet" || b.kind == "hamlet" {
        "unclassified"
    } else if a.kind == "town" || b.kind == "town" {
        "primary"
    } else if small >= 450 {
        "secondary"
    } else {
        "tertiary"
    }
}

const MARKET_HOURS: &[&str] = &[
    "Mo 08:00-13:00",
    "Tu 08:00-13:00",
    "We 08:00-12:30",
    "Th 07:30-12:30",
    "Fr 08:00-13:00",
    "Sa 07:30-12:30",
    "Th 08:00-13:00",
    "We 15:00-19:00",
];

/// Generates the territory from `seed`.
pub fn generate(seed: u64) -> (OsmData, Summary) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cs = communes(&mut rng);
    let mut b = Builder {
        rng,
        data: OsmData::default(),
        next_node: 1,
        next_way: 1,
        summary: Summary::default(),
    };

    // Place nodes, at the exact commune positions.
    for (i, c) in cs.iter().enumerate() {
        let mut tags = t(&[("place", c.kind), ("name", &c.name)]);
        // A few villages have no population mapped, as in real OSM.
        if !(c.kind == "village" && i % 11 == 5) {
            tags.push(("population".into(), c.population.to_string()));
        }
        if c.kind != "hamlet" {
            tags.push(("ref:INSEE".into(), format!("00{:03}", i + 1)));
        }
        b.node(c.x, c.y, tags);
        b.summary.inhabitants += c.population as u64;
        match c.kind {
            "town" => b.summary.towns += 1,
            "village" => b.summary.villages += 1,
            _ => b.summary.hamlets += 1,
        }
    }

    // Each settlement's centre junction, 30 m north-east of its place node. The
    // chef-lieu's centre is a roundabout of 8 nodes.
    let centre = |c: &Commune| (c.x + 0.02, c.y + 0.02);
    let mut junction: Vec<Vec<(i64, f64, f64)>> = Vec::new();
    for (i, c) in cs.iter().enumerate() {
        let (x, y) = centre(c);
        if i == 0 {
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
                t(&[
                    ("highway", "primary"),
                    ("junction", "roundabout"),
                    ("name", "Rond-point de la Lize"),
                ]),
            );
            junction.push(ring);
        } else {
            let id = b.node(x, y, vec![]);
            junction.push(vec![(id, x, y)]);
        }
    }
    // The junction node of commune `i` facing direction (dx, dy).
    let attach =
        |junction: &[Vec<(i64, f64, f64)>], i: usize, toward: (f64, f64)| -> (i64, (f64, f64)) {
            let j = &junction[i];
            let best = j
                .iter()
                .min_by(|p, q| {
                    let dp = (p.1 - toward.0).powi(2) + (p.2 - toward.1).powi(2);
                    let dq = (q.1 - toward.0).powi(2) + (q.2 - toward.1).powi(2);
                    dp.total_cmp(&dq)
                })
                .expect("a junction has nodes");
            (best.0, (best.1, best.2))
        };

    // Roads between settlements.
    for (i, j) in links(&cs) {
        let class = road_class(&cs[i], &cs[j]);
        let mut tags = t(&[("highway", class)]);
        match class {
            "primary" => {
                tags.push(("maxspeed".into(), "80".into()));
                tags.push(("ref".into(), format!("D{}", 100 + i)));
            }
            "secondary" => tags.push(("ref".into(), format!("D{}", 400 + i + j))),
            _ => {}
        }
        let (a, pa) = attach(&junction, i, centre(&cs[j]));
        let (bn, pb) = attach(&junction, j, centre(&cs[i]));
        b.road(a, pa, bn, pb, tags);
    }

    // Streets in every village and town; the chef-lieu also gets a one-way loop.
    let mut street_nodes: Vec<Vec<(i64, f64, f64)>> = Vec::new();
    for (i, c) in cs.iter().enumerate() {
        let mut nodes = Vec::new();
        if c.kind == "hamlet" {
            street_nodes.push(nodes);
            continue;
        }
        let n_streets = if c.kind == "town" { 5 } else { 3 };
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
            let maxspeed = if c.kind == "town" { "30" } else { "50" };
            let pts = b.street(
                j,
                dir,
                3 + (s % 2),
                0.1,
                t(&[
                    ("highway", "residential"),
                    ("name", name),
                    ("maxspeed", maxspeed),
                ]),
            );
            nodes.extend(pts.into_iter().skip(1));
        }
        street_nodes.push(nodes);
    }
    // One-way loop in the chef-lieu: four sides east of the roundabout, clockwise;
    // one side drawn backwards and tagged oneway=-1.
    {
        let (cx, cy) = (centre(&cs[0]).0 + 0.25, centre(&cs[0]).1);
        let corners = [
            (cx, cy + 0.1),
            (cx + 0.2, cy + 0.1),
            (cx + 0.2, cy - 0.1),
            (cx, cy - 0.1),
        ];
        let ids: Vec<i64> = corners.iter().map(|&(x, y)| b.node(x, y, vec![])).collect();
        for k in 0..4 {
            let (from, to) = (ids[k], ids[(k + 1) % 4]);
            let (nodes, oneway) = if k == 2 {
                (vec![to, from], "-1")
            } else {
                (vec![from, to], "yes")
            };
            b.way(
                nodes,
                t(&[
                    ("highway", "residential"),
                    ("oneway", oneway),
                    ("name", "Boulevard du Marché"),
                    ("maxspeed", "30"),
                ]),
            );
        }
        b.add_km("residential", 0.8);
        let (ring_node, ring_pos) = attach(&junction, 0, (cx, cy));
        b.road(
            ring_node,
            ring_pos,
            ids[0],
            corners[0],
            t(&[("highway", "residential"), ("name", "Rue du Pont")]),
        );
        b.road(
            ids[3],
            corners[3],
            ring_node,
            ring_pos,
            t(&[
                ("highway", "residential"),
                ("oneway", "yes"),
                ("name", "Rue du Quai"),
            ]),
        );
    }

    // Tracks cars may not use, and one private drive.
    for (k, i) in (2..cs.len()).step_by(5).enumerate() {
        let c = &cs[i];
        let (jn, jp) = attach(&junction, i, (c.x + 1.0, c.y));
        let dir: f64 = b.rng.random_range(0.0..std::f64::consts::TAU);
        let far = (jp.0 + 1.5 * dir.cos(), jp.1 + 1.5 * dir.sin());
        let end = b.node(far.0, far.1, vec![]);
        let extra: &[(&str, &str)] = match k % 3 {
            0 => &[("motor_vehicle", "no")],
            1 => &[("access", "agricultural")],
            _ => &[("tracktype", "grade3")],
        };
        let mut tags = t(&[("highway", "track")]);
        tags.extend(t(extra));
        b.road(jn, jp, end, far, tags);
    }
    {
        let (jn, jp) = attach(&junction, 3, (cs[3].x, cs[3].y - 1.0));
        let end_pos = (jp.0 + 0.1, jp.1 - 0.5);
        let end = b.node(
            end_pos.0,
            end_pos.1,
            t(&[("name", "Château de la Brume (privé)")]),
        );
        b.road(
            jn,
            jp,
            end,
            end_pos,
            t(&[("highway", "service"), ("access", "private")]),
        );
    }

    // Candidate stop sites near the streets of each commune.
    let mut market_count = 0;
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut count = |kind: &str| match counts.iter_mut().find(|(k, _)| k == kind) {
        Some((_, n)) => *n += 1,
        None => counts.push((kind.to_string(), 1)),
    };
    for (i, c) in cs.iter().enumerate() {
        if c.kind == "hamlet" {
            continue;
        }
        // Sites stand beside a street node within 300 m of the commune's node.
        let spots: Vec<(i64, f64, f64)> = street_nodes[i]
            .iter()
            .filter(|&&(_, x, y)| ((x - c.x).powi(2) + (y - c.y).powi(2)).sqrt() <= 0.3)
            .copied()
            .collect();
        let spot = |b: &mut Builder| -> (f64, f64) {
            let &(_, x, y) = spots.choose(&mut b.rng).expect("a village has streets");
            let a: f64 = b.rng.random_range(0.0..std::f64::consts::TAU);
            let d = b.rng.random_range(0.015..0.04);
            (x + d * a.cos(), y + d * a.sin())
        };
        let (x, y) = spot(&mut b);
        b.node(
            x,
            y,
            t(&[
                ("amenity", "townhall"),
                ("name", &format!("Mairie de {}", c.name)),
            ]),
        );
        count("townhall");
        if c.kind == "town" || b.rng.random_bool(0.85) {
            let saint = *SAINTS.choose(&mut b.rng).expect("non-empty");
            let (x, y) = spot(&mut b);
            let name = format!("Église Saint-{saint}");
            if i % 4 == 0 {
                b.area(
                    x,
                    y,
                    0.012,
                    t(&[
                        ("amenity", "place_of_worship"),
                        ("religion", "christian"),
                        ("building", "church"),
                        ("name", &name),
                    ]),
                );
            } else {
                b.node(
                    x,
                    y,
                    t(&[
                        ("amenity", "place_of_worship"),
                        ("religion", "christian"),
                        ("name", &name),
                    ]),
                );
            }
            count("place_of_worship");
        }
        if c.kind == "town" || b.rng.random_bool(0.5) {
            let (x, y) = spot(&mut b);
            let name = format!("École primaire de {}", c.name);
            if i % 3 == 0 {
                b.area(x, y, 0.02, t(&[("amenity", "school"), ("name", &name)]));
            } else {
                b.node(x, y, t(&[("amenity", "school"), ("name", &name)]));
            }
            count("school");
        }
        if c.kind == "town" || b.rng.random_bool(0.4) {
            let (x, y) = spot(&mut b);
            let name = format!("Parking de la place, {}", c.name);
            if i % 2 == 0 {
                let cap = (b.rng.random_range(2..8) * 5).to_string();
                b.area(
                    x,
                    y,
                    0.015,
                    t(&[
                        ("amenity", "parking"),
                        ("name", &name),
                        ("capacity", &cap),
                        ("surface", "asphalt"),
                    ]),
                );
            } else {
                b.node(x, y, t(&[("amenity", "parking"), ("name", &name)]));
            }
            count("parking");
        }
        if c.kind == "town" || b.rng.random_bool(0.5) {
            let (x, y) = spot(&mut b);
            b.node(
                x,
                y,
                t(&[
                    ("amenity", "community_centre"),
                    ("name", &format!("Salle des fêtes de {}", c.name)),
                ]),
            );
            count("community_centre");
        }
        let market = if i == 0 {
            Some("Tu,Sa 08:00-13:00")
        } else if market_count < MARKET_HOURS.len()
            && (c.kind == "town" || c.population >= 600 || i % 9 == 4)
        {
            market_count += 1;
            Some(MARKET_HOURS[market_count - 1])
        } else {
            None
        };
        if let Some(hours) = market {
            let (x, y) = spot(&mut b);
            let name = format!("Place du marché, {}", c.name);
            let tags = t(&[
                ("amenity", "marketplace"),
                ("name", &name),
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
