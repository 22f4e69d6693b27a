//! `tournee-demogen --seed 42 --out osm-data/demo.osm.pbf`: writes the demo territory;
//! `tournee-demogen --preset departement --seed 7 --out FILE`: the département-size
//! territory of the scale benchmark; `--preset region` (about 4,000 communes) for
//! `bench/region.sh`;
//! `tournee-demogen tile IN.osm.pbf --copies K --out OUT.osm.pbf`: a K × K tiling of a
//! real extract, one road network, for import benchmarks;
//! `tournee-demogen communes TABLE.csv POLYGONS.geojson --out OUT.osm.pbf`: a
//! territory generated from real communes (points, populations, INSEE codes,
//! neighbouring polygons; see `communes`), never committed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Writes the fictional demo territory as an OSM PBF, byte for byte from the seed.
#[derive(Parser)]
struct Args {
    /// `demo` (about 40 communes, the committed file), `departement` (about 450
    /// communes and 1,500 candidate sites, for `bench/departement.sh`) or `region`
    /// (about 4,000 communes, for `bench/region.sh`).
    #[arg(long, value_enum, default_value_t = Preset::Demo)]
    preset: Preset,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Default: `osm-data/demo.osm.pbf` for the demo; required for `departement`.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Preset {
    Demo,
    Departement,
    Region,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Lays out K × K copies of a real extract side by side, neighbours linked by a
    /// road (a large territory for import benchmarks; relations are left out).
    Tile {
        input: PathBuf,
        #[arg(long)]
        copies: u32,
        #[arg(long)]
        out: PathBuf,
    },
    /// A territory generated from real communes: an INSEE table with points
    /// (`code,nom,…,population,…,longitude,latitude`) and the communes' polygons
    /// (GeoJSON with a `code` property); roads between neighbours, bridges to Ré
    /// and Oléron, candidate sites by size.
    Communes {
        table: PathBuf,
        polygons: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn communes(
    table: &std::path::Path,
    polygons: &std::path::Path,
    out: &std::path::Path,
) -> ExitCode {
    let (data, s) = match tournee_demogen::communes::generate(table, polygons) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("erreur : {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = tournee_osm::write::write_pbf_file(out, &data, "tournee-demogen communes") {
        eprintln!("erreur : écriture impossible de {} : {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "Écrit {} (territoire généré) : {} communes, {} paires de voisines, {} pont(s), {} sites candidats, {} nœuds, {} voies",
        out.display(),
        s.communes,
        s.neighbour_pairs,
        s.bridges,
        s.sites,
        data.nodes.len(),
        data.ways.len()
    );
    for (class, km) in &s.road_km {
        println!("  {class:<13} {km:>7.1} km");
    }
    if !s.isolated.is_empty() {
        println!("  sans route : {}", s.isolated.join(", "));
    }
    ExitCode::SUCCESS
}

fn tile(input: &std::path::Path, copies: u32, out: &std::path::Path) -> ExitCode {
    let data = match tournee_demogen::tile::tile(input, copies) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = tournee_osm::write::write_pbf_file(out, &data, "tournee-demogen tile") {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "Wrote {} ({size} bytes): {copies}×{copies} copies of {}, {} nodes, {} ways",
        out.display(),
        input.display(),
        data.nodes.len(),
        data.ways.len()
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = Args::parse();
    match &args.command {
        Some(Command::Tile { input, copies, out }) => return tile(input, *copies, out),
        Some(Command::Communes {
            table,
            polygons,
            out,
        }) => return communes(table, polygons, out),
        None => {}
    }
    let out = match (&args.out, args.preset) {
        (Some(out), _) => out.clone(),
        (None, Preset::Demo) => PathBuf::from("osm-data/demo.osm.pbf"),
        (None, Preset::Departement | Preset::Region) => {
            eprintln!(
                "error: --preset departement or region needs --out FILE (it is not committed)"
            );
            return ExitCode::FAILURE;
        }
    };
    let (data, s) = match args.preset {
        Preset::Demo => tournee_demogen::generate(args.seed),
        Preset::Departement => tournee_demogen::departement::generate(args.seed),
        Preset::Region => tournee_demogen::departement::generate_shape(
            args.seed,
            &tournee_demogen::departement::REGION,
        ),
    };
    if let Err(e) = tournee_osm::write::write_pbf_file(&out, &data, "tournee-demogen") {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!("Wrote {} ({size} bytes, seed {})", out.display(), args.seed);
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
    for (commune, hours) in s.markets.iter().take(12) {
        println!("  market: {commune}: {hours}");
    }
    ExitCode::SUCCESS
}
