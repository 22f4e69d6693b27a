//! `tournee matrix` on the demo territory: the layout of its files, its agreement
//! with one-to-one searches, and its errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tournee_model::NoProgress;
use tournee_routing::{CarProfile, NodeIdx, RoadGraph};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_pbf() -> PathBuf {
    root().join("osm-data/demo.osm.pbf")
}

fn tournee(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .arg("matrix")
        .args(args)
        .current_dir(root())
        .env("TOURNEE_LANG", "fr")
        .output()
        .expect("the binary runs")
}

fn run_matrix(points: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--pbf",
        demo_pbf().to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tournee(&refs)
}

fn demo_graph() -> RoadGraph {
    let map = tournee_osm::import(&demo_pbf(), &[], &NoProgress).unwrap();
    RoadGraph::build(&map, &CarProfile::default()).unwrap()
}

/// Reads a table: (header ids, rows of (id, cells)).
fn read_table(path: &Path) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let mut f = l.split(',').map(String::from);
            let id = f.next().unwrap();
            (id, f.collect())
        })
        .collect();
    (header, rows)
}

/// Tenths from a cell written with one decimal.
fn tenths(cell: &str) -> u32 {
    let (whole, dec) = cell.split_once('.').expect("one decimal");
    assert_eq!(dec.len(), 1, "{cell}");
    whole.parse::<u32>().unwrap() * 10 + dec.parse::<u32>().unwrap()
}

#[test]
fn points_on_graph_nodes_agree_with_one_to_one_routes() {
    let g = demo_graph();
    let n = g.node_count() as u32;
    // Twelve nodes spread over the graph, each the next one a point may snap onto
    // (not on the private drive, where no trip starts).
    let snaps_to_itself = |v: &NodeIdx| g.snap(g.coord(*v)).node == *v;
    let nodes: Vec<NodeIdx> = (0..12)
        .map(|k| {
            let from = k * (n - 1) / 11;
            (from..n)
                .chain((0..from).rev())
                .map(NodeIdx)
                .find(snaps_to_itself)
                .expect("a node to snap onto")
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,lon,lat\n");
    for (k, v) in nodes.iter().enumerate() {
        let c = g.coord(*v);
        csv += &format!("p{k},{},{}\n", c.lon, c.lat);
    }
    let points = dir.path().join("points.csv");
    std::fs::write(&points, csv).unwrap();
    let out = dir.path().join("out");
    let timings_path = dir.path().join("t.json");
    let o = run_matrix(
        &points,
        &out,
        &["--timings", timings_path.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let ids: Vec<String> = (0..12).map(|k| format!("p{k}")).collect();
    let (dh, durations) = read_table(&out.join("durations.csv"));
    let (mh, distances) = read_table(&out.join("distances.csv"));
    for (header, rows) in [(&dh, &durations), (&mh, &distances)] {
        assert_eq!(header[0], "id");
        assert_eq!(&header[1..], &ids[..]);
        assert_eq!(rows.len(), 12);
        for (row, id) in rows.iter().zip(&ids) {
            assert_eq!(&row.0, id);
            assert_eq!(row.1.len(), 12);
        }
    }
    // The same points snapped as the command snaps them, and the plain-Dijkstra
    // reference table over them: the command's table (contraction hierarchy) must
    // equal it to the tenth. A point on a node lies at the end of a road segment
    // (OSRM's phantom): leaving it along another segment pays that turn, so a
    // node-to-node route (no turn at either end) is never slower — unless a point
    // lies on a restricted segment (a trip to it must enter that segment, and may
    // then cross the restricted streets it belongs to, which the node route avoids).
    let phantoms: Vec<_> = nodes.iter().map(|&v| g.snap_segment(g.coord(v))).collect();
    let reference = g.table_dijkstra(&phantoms, &phantoms);
    let mut nonzero = 0;
    for i in 0..12 {
        for j in 0..12 {
            let t = tenths(&durations[i].1[j]);
            let d = tenths(&distances[i].1[j]);
            let (rt, rd) = reference.get_tenths(i, j).expect("strongly connected");
            assert_eq!((t, d), (rt, rd), "p{i}→p{j}: table vs reference");
            let r = g.route(nodes[i], nodes[j]).expect("strongly connected");
            let restricted = phantoms[i].restricted || phantoms[j].restricted;
            assert!(
                restricted || (t + 5) / 10 >= r.time.0,
                "time p{i}→p{j}: {t} ds, node route {:?}",
                r.time
            );
            if i == j {
                assert_eq!((t, d), (0, 0));
            } else if t > 0 {
                nonzero += 1;
            }
        }
    }
    assert!(nonzero > 100, "only {nonzero} non-zero cells");

    let snaps = std::fs::read_to_string(out.join("snaps.csv")).unwrap();
    let mut lines = snaps.lines();
    assert_eq!(
        lines.next(),
        Some("id,lon,lat,snapped_lon,snapped_lat,snap_meters,flag")
    );
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 7, "{line}");
        assert_eq!(f[5], "0.0", "{line}");
        assert_eq!(f[6], "ok", "{line}");
    }
    let timings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&timings_path).unwrap()).unwrap();
    assert_eq!(timings["engine"], "ch");
    // The reference engine writes the same bytes.
    let out_dijkstra = dir.path().join("out-dijkstra");
    let o = run_matrix(&points, &out_dijkstra, &["--engine", "dijkstra"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["durations.csv", "distances.csv", "snaps.csv"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(out_dijkstra.join(f)).unwrap(),
            "{f}"
        );
    }
    for key in ["import_s", "graph_s", "snap_s", "table_s", "total_s"] {
        assert!(timings[key].as_f64().is_some(), "{key} in {timings}");
    }
    assert_eq!(timings["points"], 12);
}

#[test]
fn points_between_nodes_start_part_way_along_the_road() {
    let g = demo_graph();
    let dir = tempfile::tempdir().unwrap();
    // Off-node points around the chef-lieu, one out at sea, and one exactly on a node.
    let centre = g.coord(g.snap(tournee_model::LonLat::new(-2.5, 45.0)).node);
    let csv = format!(
        "id,lon,lat\nnode,{},{}\nw,-2.503,45.001\ne,-2.497,44.999\nsea,-1.0,45.0\nn,-2.5,45.004\n",
        centre.lon, centre.lat
    );
    let points = dir.path().join("points.csv");
    std::fs::write(&points, csv).unwrap();
    let out = dir.path().join("out");
    let o = run_matrix(&points, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("`sea`"), "{stderr}");
    assert!(!stderr.contains("`w`"), "{stderr}");

    let (_, durations) = read_table(&out.join("durations.csv"));
    // The point out at sea has an empty row and column; the others are all filled.
    assert!(durations[3].1.iter().all(String::is_empty));
    for (i, row) in durations.iter().enumerate() {
        assert_eq!(row.1[3], "", "row {i}");
        if i != 3 {
            for (j, cell) in row.1.iter().enumerate() {
                assert_eq!(cell.is_empty(), j == 3, "({i}, {j})");
            }
        }
    }
    let snaps = std::fs::read_to_string(out.join("snaps.csv")).unwrap();
    let rows: Vec<Vec<&str>> = snaps
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows[3][6], "too_far");
    assert!(rows[3][5].parse::<f64>().unwrap() > 1000.0);
    assert_eq!(rows[0][5], "0.0");
    for r in [&rows[1], &rows[2], &rows[4]] {
        assert_eq!(r[6], "ok");
        // Snapped onto a segment: closer than to any graph node.
        let p = tournee_model::LonLat::new(r[1].parse().unwrap(), r[2].parse().unwrap());
        let to_segment: f64 = r[5].parse().unwrap();
        let to_node = g.snap(p).distance.0 as f64;
        assert!(to_segment <= to_node + 0.5, "{r:?}: node at {to_node} m");
    }
}

fn assert_error(o: &Output, expected: &[&str]) {
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "`{e}` not in: {stderr}");
    }
}

#[test]
fn bad_points_files_are_clear_errors_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("missing.csv");
    assert_error(&run_matrix(&missing, &out, &[]), &["missing.csv"]);

    let cases = [
        ("header.csv", "id,lat,lon\na,-2.5,45\n", "ligne 1"),
        (
            "number.csv",
            "id,lon,lat\na,-2.5,45\nb,-2.5,north\n",
            "ligne 3",
        ),
        (
            "dup.csv",
            "id,lon,lat\na,-2.5,45\nb,-2.4,45\na,-2.3,45\n",
            "ligne 4",
        ),
        ("range.csv", "id,lon,lat\na,-2.5,45\nb,200,45\n", "ligne 3"),
        ("fields.csv", "id,lon,lat\na,-2.5\n", "ligne 2"),
    ];
    for (name, text, line) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        assert_error(&run_matrix(&path, &out, &[]), &[name, line]);
    }
    let dup = dir.path().join("dup.csv");
    assert_error(
        &run_matrix(&dup, &out, &[]),
        &["`a`", "déjà pris à la ligne 2"],
    );
    assert!(!out.join("durations.csv").exists());

    let ok = dir.path().join("ok.csv");
    std::fs::write(&ok, "id,lon,lat\na,-2.5,45\n").unwrap();
    let o = tournee(&[
        "--pbf",
        "nowhere.osm.pbf",
        "--points",
        ok.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_error(&o, &["nowhere.osm.pbf"]);
}
