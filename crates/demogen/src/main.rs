//! `tournee-demogen --seed 42 --out osm-data/demo.osm.pbf`: writes the demo territory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Writes the fictional demo territory as an OSM PBF, byte for byte from the seed.
#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value = "osm-data/demo.osm.pbf")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (data, s) = tournee_demogen::generate(args.seed);
    if let Err(e) = tournee_osm::write::write_pbf_file(&args.out, &data, "tournee-demogen") {
        eprintln!("error: cannot write {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    let size = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    println!(
        "Wrote {} ({size} bytes, seed {})",
        args.out.display(),
        args.seed
    );
    println!(
        "communes: {} towns, {} villages, {} hamlets; {} inhabitants",
        s.towns, s.villages, s.hamlets, s.inhabitants
    );
    if let Some(c) = data.nodes.first() {
        let name = c.tags.iter().find(|(k, _)| k == "name").map(|(_, v)| v);
        println!(
            "chef-lieu: {} at lon {}, lat {} (node {})",
            name.map_or("?", |v| v.as_str()),
            c.lon,
            c.lat,
            c.id
        );
    }
    println!("nodes: {}, ways: {}", data.nodes.len(), data.ways.len());
    for (class, km) in &s.road_km {
        println!("  {class:<13} {km:>6.1} km");
    }
    for (kind, n) in &s.sites {
        println!("  amenity={kind:<17} {n}");
    }
    for (commune, hours) in &s.markets {
        println!("  market: {commune}: {hours}");
    }
    ExitCode::SUCCESS
}
