//! `tournee matrix`: the drive-time and distance table between points of a CSV
//! file, laid out as OSRM's table service answers (rows = sources, columns =
//! destinations), with how each point was snapped and where the time went.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tournee_i18n::{decimal, tr};
use tournee_model::{LonLat, NoProgress};
use tournee_routing::{CarProfile, ContractionHierarchy, Matrix, Phantom, RoadGraph};

/// How the table is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Contraction hierarchies (preprocessing, then bucket many-to-many).
    Ch,
    /// One plain Dijkstra per source (the reference).
    Dijkstra,
}

/// One point of the input file.
#[derive(Debug, Clone)]
pub struct Point {
    pub id: String,
    pub at: LonLat,
}

/// Reads `id,lon,lat` points; errors name the file and the line.
pub fn read_points(path: &Path) -> Result<Vec<Point>> {
    let file = std::fs::File::open(path).with_context(|| tr!("cli-cannot-read", path = path))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let headers = reader
        .headers()
        .with_context(|| tr!("matrix-header-unreadable", path = path))?
        .clone();
    let names: Vec<&str> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}'))
        .collect();
    if names != ["id", "lon", "lat"] {
        bail!(tr!(
            "matrix-bad-header",
            path = path,
            found = names.join(",")
        ));
    }
    let mut points: Vec<Point> = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!(tr!(
                "matrix-bad-line",
                path = path,
                line = line,
                reason = e.to_string()
            ))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != 3 {
            bail!(tr!(
                "matrix-field-count",
                path = path,
                line = line,
                count = record.len()
            ));
        }
        let id = record[0].to_string();
        if id.is_empty() {
            bail!(tr!("matrix-empty-id", path = path, line = line));
        }
        let number = |k: usize, name: &str| -> Result<f64> {
            record[k]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .with_context(|| {
                    tr!(
                        "matrix-not-a-number",
                        path = path,
                        line = line,
                        field = name,
                        value = &record[k]
                    )
                })
        };
        let at = LonLat::new(number(1, "lon")?, number(2, "lat")?);
        if !at.is_valid() {
            bail!(tr!(
                "matrix-not-wgs84",
                path = path,
                line = line,
                lon = at.lon.to_string(),
                lat = at.lat.to_string()
            ));
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            bail!(tr!(
                "matrix-duplicate-id",
                path = path,
                line = line,
                id = &id,
                first = first
            ));
        }
        points.push(Point { id, at });
    }
    if points.is_empty() {
        bail!(tr!("matrix-no-point", path = path));
    }
    Ok(points)
}

/// How long each stage took, in seconds.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Timings {
    pub engine: Option<Engine>,
    pub import_s: f64,
    pub graph_s: f64,
    pub snap_s: f64,
    /// Contraction (0 with the Dijkstra engine).
    pub contract_s: f64,
    pub table_s: f64,
    /// Writing the three CSV files.
    pub write_s: f64,
    pub total_s: f64,
    pub points: usize,
    /// Points within the snapping limit: the table is over these.
    pub snapped: usize,
    pub nodes: usize,
    pub edges: usize,
    /// Shortcuts added by the contraction.
    pub shortcuts: usize,
}

fn since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

pub struct Options<'a> {
    pub pbf: &'a Path,
    pub points: &'a Path,
    pub out: &'a Path,
    pub max_snap_meters: f64,
    pub timings: Option<&'a Path>,
    pub engine: Engine,
}

pub fn run(o: &Options) -> Result<()> {
    let start = Instant::now();
    // A batch run: each stage's arrays go back to the system when freed.
    tournee_routing::return_large_blocks_at_once();
    anyhow::ensure!(
        o.max_snap_meters.is_finite() && o.max_snap_meters >= 0.0,
        tr!("matrix-max-snap")
    );
    let points = read_points(o.points)?;
    let mut timings = Timings {
        points: points.len(),
        engine: Some(o.engine),
        ..Timings::default()
    };

    let t = Instant::now();
    let car = CarProfile::default();
    let ways = tournee_routing::CarWays::new(&car);
    let map = tournee_osm::import_roads_filtered(o.pbf, &NoProgress, &|t| ways.may_use(t))?;
    timings.import_s = since(t);

    let t = Instant::now();
    // The import's roads and tags go as soon as the car profile has read them.
    let graph = RoadGraph::build_owned(map, &car)
        .with_context(|| tr!("matrix-no-car-road", pbf = o.pbf))?;
    timings.graph_s = since(t);
    timings.nodes = graph.report.nodes;
    timings.edges = graph.report.edges;

    let t = Instant::now();
    let phantoms: Vec<Phantom> = points.iter().map(|p| graph.snap_segment(p.at)).collect();
    let usable: Vec<usize> = (0..points.len())
        .filter(|&i| phantoms[i].distance_m <= o.max_snap_meters)
        .collect();
    timings.snap_s = since(t);
    timings.snapped = usable.len();
    for (p, ph) in points.iter().zip(&phantoms) {
        if ph.distance_m > o.max_snap_meters {
            let message = tr!(
                "matrix-far-point",
                id = &p.id,
                distance = decimal(ph.distance_m, 1),
                max = o.max_snap_meters
            );
            eprintln!("{}", tr!("cli-warning", message = message));
        }
    }

    let kept: Vec<Phantom> = usable.iter().map(|&i| phantoms[i].clone()).collect();
    let table = match o.engine {
        Engine::Dijkstra => {
            let t = Instant::now();
            let table = graph.table_dijkstra(&kept, &kept);
            timings.table_s = since(t);
            table
        }
        Engine::Ch => {
            let t = Instant::now();
            let ch = ContractionHierarchy::from_graph(graph);
            timings.contract_s = since(t);
            timings.shortcuts = ch.stats.shortcuts;
            let t = Instant::now();
            let table = ch.table(&kept, &kept);
            timings.table_s = since(t);
            table
        }
    };

    std::fs::create_dir_all(o.out).with_context(|| tr!("cli-cannot-create", path = o.out))?;
    let mut slot = vec![None; points.len()];
    for (k, &i) in usable.iter().enumerate() {
        slot[i] = Some(k);
    }
    let t = Instant::now();
    let ids: Vec<String> = points.iter().map(|p| csv_field(&p.id)).collect();
    write_table(&o.out.join("durations.csv"), &ids, &slot, &table, |t, _| t)?;
    write_table(&o.out.join("distances.csv"), &ids, &slot, &table, |_, d| d)?;
    write_snaps(
        &o.out.join("snaps.csv"),
        &points,
        &phantoms,
        o.max_snap_meters,
    )?;
    timings.write_s = since(t);
    timings.total_s = since(start);

    let secs = |x: f64| decimal(x, 3);
    eprintln!(
        "{}",
        tr!(
            "matrix-summary",
            points = timings.points,
            nodes = timings.nodes,
            edges = timings.edges,
            import = secs(timings.import_s),
            graph = secs(timings.graph_s),
            snap = secs(timings.snap_s),
            contract = secs(timings.contract_s),
            shortcuts = timings.shortcuts,
            table = secs(timings.table_s),
            engine = format!("{:?}", o.engine),
            write = secs(timings.write_s),
            total = secs(timings.total_s)
        )
    );
    if let Some(path) = o.timings {
        let json = serde_json::to_string_pretty(&timings)?;
        std::fs::write(path, json + "\n")
            .with_context(|| tr!("matrix-cannot-write", path = path))?;
    }
    Ok(())
}

fn csv_writer(path: &Path) -> Result<csv::Writer<std::fs::File>> {
    csv::WriterBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| tr!("matrix-cannot-write", path = path))
}

/// An id as a CSV field, quoted when it must be.
fn csv_field(id: &str) -> String {
    if id.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", id.replace('"', "\"\""))
    } else {
        id.to_string()
    }
}

/// A square table: header `id,<ids…>`, one row per source; tenths of a unit
/// written with one decimal, empty when unreachable or not snapped.
fn write_table(
    path: &Path,
    ids: &[String],
    slot: &[Option<usize>],
    table: &Matrix,
    pick: impl Fn(u32, u32) -> u32,
) -> Result<()> {
    use std::io::Write as _;
    let mut number = itoa::Buffer::new();
    let file =
        std::fs::File::create(path).with_context(|| tr!("matrix-cannot-write", path = path))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut line = String::from("id");
    for id in ids {
        line.push(',');
        line.push_str(id);
    }
    line.push('\n');
    let io = |e: std::io::Error| {
        anyhow::anyhow!(tournee_i18n::io_reason(&e))
            .context(tr!("matrix-cannot-write", path = path))
    };
    out.write_all(line.as_bytes()).map_err(io)?;
    for (i, id) in ids.iter().enumerate() {
        line.clear();
        line.push_str(id);
        for sj in slot {
            line.push(',');
            if let (Some(a), Some(b)) = (slot[i], sj) {
                if let Some((t, d)) = table.get_tenths(a, *b) {
                    let v = pick(t, d);
                    line.push_str(number.format(v / 10));
                    line.push('.');
                    line.push(char::from(b'0' + (v % 10) as u8));
                }
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes()).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(())
}

fn write_snaps(path: &Path, points: &[Point], phantoms: &[Phantom], max: f64) -> Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record([
        "id",
        "lon",
        "lat",
        "snapped_lon",
        "snapped_lat",
        "snap_meters",
        "flag",
    ])?;
    for (p, ph) in points.iter().zip(phantoms) {
        let flag = if ph.distance_m > max { "too_far" } else { "ok" };
        w.write_record([
            p.id.clone(),
            format!("{}", p.at.lon),
            format!("{}", p.at.lat),
            format!("{:.7}", ph.point.lon),
            format!("{:.7}", ph.point.lat),
            format!("{:.1}", ph.distance_m),
            flag.to_string(),
        ])?;
    }
    w.flush()
        .with_context(|| tr!("matrix-cannot-write", path = path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn ids_are_quoted_only_when_they_must_be() {
        assert_eq!(csv_field("mairie-12"), "mairie-12");
        assert_eq!(csv_field("place, église"), "\"place, église\"");
        assert_eq!(csv_field("le \"haut\""), "\"le \"\"haut\"\"\"");
    }
}
