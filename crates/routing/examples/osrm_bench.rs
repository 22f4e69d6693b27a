//! Helpers of `bench/osrm-compare.sh` (the tables themselves come from `tournee
//! matrix`): picking the points, and an import-only run for its peak memory.
//!
//! ```text
//! osrm_bench pick   PBF N SEED POINTS.csv   N distinct graph nodes, seeded, as id,lon,lat
//! osrm_bench import PBF                     import and build the graph only
//! osrm_bench table  PBF POINTS.csv OUT/     `tournee matrix`'s table without the CLI:
//!                                           OUT/durations.csv, distances.csv, snaps.csv
//! ```
//!
//! `table` builds with the routing crate alone (no solver), to try a profile change
//! against `../shared/reference/osrm/<name>/` quickly (`bench/osrm_tails.py`).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use tournee_model::NoProgress;
use tournee_routing::{CarProfile, CarWays, ContractionHierarchy, NodeIdx, RoadGraph};

/// The car ways of `pbf`, as `tournee matrix` imports them.
fn import(pbf: &Path) -> Result<tournee_osm::RawMap, String> {
    let car = CarProfile::default();
    let ways = CarWays::new(&car);
    tournee_osm::import_roads_filtered(pbf, &NoProgress, &|t| ways.may_use(t))
        .map_err(|e| e.to_string())
}

fn load(pbf: &Path) -> Result<(RoadGraph, f64), String> {
    let t = Instant::now();
    let map = import(pbf)?;
    eprintln!("import: {:?}", map.report);
    let graph = RoadGraph::build_owned(map, &CarProfile::default())
        .ok_or_else(|| format!("{}: no road usable by car", pbf.display()))?;
    eprintln!("graph: {:?}", graph.report);
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
        [cmd, pbf, points, out] if cmd == "table" => table(Path::new(pbf), points, out),
        _ => Err(
            "usage: osrm_bench pick PBF N SEED OUT.csv | import PBF | table PBF POINTS.csv OUT"
                .into(),
        ),
    }
}

/// Snaps `id,lon,lat` points onto road segments and writes the contraction
/// hierarchy's table as `tournee matrix` does (tenths, one decimal; header of ids).
fn table(pbf: &Path, points: &str, out: &str) -> Result<(), String> {
    let t = Instant::now();
    let map = import(pbf)?;
    let import_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let graph = RoadGraph::build_owned(map, &CarProfile::default())
        .ok_or_else(|| format!("{}: no road usable by car", pbf.display()))?;
    let graph_s = t.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(points).map_err(|e| format!("{points}: {e}"))?;
    let mut ids = Vec::new();
    let mut phantoms = Vec::new();
    for (k, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = || format!("{points} line {}: id,lon,lat expected", k + 2);
        let [id, lon, lat] = f[..] else {
            return Err(bad());
        };
        let lon: f64 = lon.parse().map_err(|_| bad())?;
        let lat: f64 = lat.parse().map_err(|_| bad())?;
        ids.push(id.to_string());
        phantoms.push(graph.snap_segment(tournee_model::LonLat::new(lon, lat)));
    }
    let t = Instant::now();
    let states = graph.state_count();
    let ch = ContractionHierarchy::from_graph(graph);
    let contract_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let m = ch.table(&phantoms, &phantoms);
    eprintln!(
        "import {import_s:.3} s, graph {graph_s:.3} s, contraction {contract_s:.3} s ({} states, {} shortcuts), table {:.3} s",
        states,
        ch.stats.shortcuts,
        t.elapsed().as_secs_f64()
    );
    std::fs::create_dir_all(out).map_err(|e| format!("{out}: {e}"))?;
    for (name, pick) in [("durations", 0), ("distances", 1)] {
        let mut csv = format!("id,{}\n", ids.join(","));
        for (i, id) in ids.iter().enumerate() {
            csv.push_str(id);
            for j in 0..ids.len() {
                csv.push(',');
                if let Some((t, d)) = m.get_tenths(i, j) {
                    let v = if pick == 0 { t } else { d };
                    write!(csv, "{}.{}", v / 10, v % 10).unwrap();
                }
            }
            csv.push('\n');
        }
        let path = format!("{out}/{name}.csv");
        std::fs::write(&path, csv).map_err(|e| format!("{path}: {e}"))?;
    }
    let mut csv = String::from("id,snapped_lon,snapped_lat,snap_meters\n");
    for (id, p) in ids.iter().zip(&phantoms) {
        writeln!(
            csv,
            "{id},{:.7},{:.7},{:.1}",
            p.point.lon, p.point.lat, p.distance_m
        )
        .unwrap();
    }
    let path = format!("{out}/snaps.csv");
    std::fs::write(&path, csv).map_err(|e| format!("{path}: {e}"))
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
