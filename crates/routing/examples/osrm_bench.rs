//! Helpers of `bench/osrm-compare.sh` (the tables themselves come from `tournee
//! matrix`): picking the points, and an import-only run for its peak memory.
//!
//! ```text
//! osrm_bench pick   PBF N SEED POINTS.csv   N distinct graph nodes, seeded, as id,lon,lat
//! osrm_bench import PBF                     import and build the graph only
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use tournee_model::{NoProgress, SiteKind};
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
        _ => Err("usage: osrm_bench pick PBF N SEED OUT.csv | import PBF".into()),
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
