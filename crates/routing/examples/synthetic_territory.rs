//! A synthetic road network larger than the demo, for benchmarks: a jittered grid
//! of `SIZE × SIZE` nodes ~150 m apart, every 10th line a primary road, every 5th a
//! secondary, the rest residential or unclassified streets (a tenth of them one-way),
//! a fifth of the street segments missing; written as a PBF, with `POINTS` random
//! points inside it as an `id,lon,lat` CSV. Deterministic from the seed.
//!
//! cargo run --release -p tournee-routing --example synthetic_territory -- \
//!     SIZE POINTS SEED OUT.osm.pbf OUT.csv

use std::path::PathBuf;

use tournee_osm::write::{tags, Node, OsmData, Way};

/// splitmix64: a tiny deterministic generator, enough for a benchmark map.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 5 {
        eprintln!("usage: synthetic_territory SIZE POINTS SEED OUT.osm.pbf OUT.csv");
        std::process::exit(1);
    }
    let size: usize = args[0].parse().expect("SIZE is a number");
    let points: usize = args[1].parse().expect("POINTS is a number");
    let mut rng = Rng(args[2].parse().expect("SEED is a number"));
    let (pbf, csv) = (PathBuf::from(&args[3]), PathBuf::from(&args[4]));

    // Out at sea like the demo, so that it is never taken for a real place.
    let (lon0, lat0): (f64, f64) = (-4.0, 44.5);
    let step_lat = 150.0 / 111_195.0;
    let step_lon = step_lat / lat0.to_radians().cos();
    let id = |x: usize, y: usize| (y * size + x + 1) as i64;
    let mut nodes = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            nodes.push(Node {
                id: id(x, y),
                lon: lon0 + (x as f64 + 0.3 * (rng.unit() - 0.5)) * step_lon,
                lat: lat0 + (y as f64 + 0.3 * (rng.unit() - 0.5)) * step_lat,
                tags: Vec::new(),
            });
        }
    }
    let mut ways = Vec::new();
    for horizontal in [true, false] {
        for line in 0..size {
            let at = |k: usize| if horizontal { id(k, line) } else { id(line, k) };
            let class = if line % 10 == 0 {
                "primary"
            } else if line % 5 == 0 {
                "secondary"
            } else if rng.unit() < 0.5 {
                "residential"
            } else {
                "unclassified"
            };
            let major = line % 5 == 0;
            // Streets are cut into ways of up to 8 segments, some segments missing.
            let mut k = 0;
            while k + 1 < size {
                let len = if major {
                    size
                } else {
                    1 + (rng.next() % 8) as usize
                };
                let end = (k + len).min(size - 1);
                if !major && rng.unit() < 0.2 {
                    k = end;
                    continue;
                }
                let mut t = vec![("highway", class)];
                if !major && rng.unit() < 0.1 {
                    t.push(("oneway", if rng.unit() < 0.5 { "yes" } else { "-1" }));
                }
                ways.push(Way {
                    id: ways.len() as i64 + 1,
                    nodes: (k..=end).map(at).collect(),
                    tags: tags(&t),
                });
                k = end;
            }
        }
    }
    let data = OsmData { nodes, ways };
    tournee_osm::write::write_pbf_file(&pbf, &data, "tournee synthetic_territory")
        .expect("the PBF is written");
    let mut text = String::from("id,lon,lat\n");
    let span = (size - 1) as f64;
    for p in 0..points {
        let lon = lon0 + rng.unit() * span * step_lon;
        let lat = lat0 + rng.unit() * span * step_lat;
        text += &format!("p{p},{lon:.6},{lat:.6}\n");
    }
    std::fs::write(&csv, text).expect("the CSV is written");
    eprintln!(
        "{} nodes, {} ways → {}; {points} points → {}",
        data.nodes.len(),
        data.ways.len(),
        pbf.display(),
        csv.display()
    );
}
