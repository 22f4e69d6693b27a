//! Our side of `bench/osrm-compare.sh` (PBF → queryable graph, then an N×N table),
//! timed stage by stage.
//!
//! ```text
//! osrm_bench pick   PBF N SEED POINTS.csv   N distinct graph nodes, seeded, as id,lon,lat
//! osrm_bench import PBF                     import and build the graph only
//! osrm_bench table  PBF POINTS.csv OUTDIR   durations.csv, distances.csv, timings.json
//!                                           (table timed three times, median kept)
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use tournee_model::{LonLat, NoProgress, SiteKind};
use tournee_routing::{CarProfile, NodeIdx, RoadGraph};

fn load(pbf: &Path) -> Result<(RoadGraph, f64), String> {
    let t = Instant::now();
    let map = tournee_osm::import(pbf, &SiteKind::ALL, &NoProgress).map_err(|e| e.to_string())?;
    let graph = RoadGraph::build(&map, &CarProfile::default())
        .ok_or_else(|| format!("{}: no road usable by car", pbf.display()))?;
    eprintln!("import: {:?}\ngraph: {:?}", map.report, graph.report);
    Ok((graph, t.elapsed().as_secs_f64()))
}

/// SplitMix64: a tiny deterministic generator, enough to pick points.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn read_points(path: &Path) -> Result<Vec<(String, LonLat)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let bad = || format!("{}:{}: expected id,lon,lat", path.display(), i + 1);
        if f.len() != 3 {
            return Err(bad());
        }
        let lon = f[1].trim().parse::<f64>().map_err(|_| bad())?;
        let lat = f[2].trim().parse::<f64>().map_err(|_| bad())?;
        points.push((f[0].to_string(), LonLat::new(lon, lat)));
    }
    Ok(points)
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [cmd, pbf, n, seed, out] if cmd == "pick" => {
            let (graph, _) = load(Path::new(pbf))?;
            let n: usize = n.parse().map_err(|_| "N: a number")?;
            let mut state: u64 = seed.parse().map_err(|_| "SEED: a number")?;
            let total = graph.node_count();
            let n = n.min(total);
            let mut chosen = std::collections::BTreeSet::new();
            let mut order = Vec::new();
            while order.len() < n {
                let v = (splitmix(&mut state) % total as u64) as u32;
                if chosen.insert(v) {
                    order.push(v);
                }
            }
            let mut csv = String::from("id,lon,lat\n");
            for (i, v) in order.iter().enumerate() {
                let c = graph.coord(NodeIdx(*v));
                writeln!(csv, "p{i},{:.7},{:.7}", c.lon, c.lat).unwrap();
            }
            std::fs::write(out, csv).map_err(|e| format!("{out}: {e}"))
        }
        [cmd, pbf] if cmd == "import" => {
            let (graph, secs) = load(Path::new(pbf))?;
            println!(
                "{{\"import_s\": {secs:.3}, \"nodes\": {}}}",
                graph.node_count()
            );
            Ok(())
        }
        [cmd, pbf, points, out] if cmd == "table" => {
            let (graph, import_s) = load(Path::new(pbf))?;
            let points = read_points(Path::new(points))?;
            // Snapping and the table, three times; the median time is reported.
            let mut times = Vec::new();
            let mut m = None;
            for _ in 0..3 {
                let t = Instant::now();
                let nodes: Vec<NodeIdx> = points.iter().map(|(_, p)| graph.snap(*p).node).collect();
                m = Some(graph.matrix(&nodes, &nodes, &|| {}));
                times.push(t.elapsed().as_secs_f64());
            }
            times.sort_by(f64::total_cmp);
            let (m, table_s) = (m.expect("three runs"), times[1]);
            let out = Path::new(out);
            std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            let header: Vec<&str> = points.iter().map(|(id, _)| id.as_str()).collect();
            let mut durations = format!("id,{}\n", header.join(","));
            let mut distances = durations.clone();
            for (i, (id, _)) in points.iter().enumerate() {
                durations.push_str(id);
                distances.push_str(id);
                for j in 0..points.len() {
                    durations.push(',');
                    distances.push(',');
                    if let Some((s, d)) = m.get(i, j) {
                        write!(durations, "{}.0", s.0).unwrap();
                        write!(distances, "{}.0", d.0).unwrap();
                    }
                }
                durations.push('\n');
                distances.push('\n');
            }
            let write = |name: &str, text: &str| {
                std::fs::write(out.join(name), text).map_err(|e| format!("{name}: {e}"))
            };
            write("durations.csv", &durations)?;
            write("distances.csv", &distances)?;
            write(
                "timings.json",
                &format!(
                    "{{\"import_s\": {import_s:.3}, \"table_s\": {table_s:.3}, \"nodes\": {}, \"edges\": {}}}\n",
                    graph.report.nodes, graph.report.edges
                ),
            )
        }
        _ => Err(
            "usage: osrm_bench pick PBF N SEED OUT.csv | import PBF | table PBF POINTS.csv OUTDIR"
                .into(),
        ),
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("osrm_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
