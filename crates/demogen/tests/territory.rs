//! The committed demo territory is exactly what the generator makes, and it has what
//! the demo needs.

use std::path::PathBuf;

use osmpbfreader::{OsmObj, OsmPbfReader};

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf")
}

#[test]
fn committed_file_is_reproduced_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("demo.osm.pbf");
    let (data, _) = tournee_demogen::generate(42);
    tournee_osm::write::write_pbf_file(&fresh, &data, "tournee-demogen").unwrap();
    assert!(
        std::fs::read(&fresh).unwrap() == std::fs::read(committed()).unwrap(),
        "osm-data/demo.osm.pbf differs from the generator's output: regenerate it with \
         `cargo run -p tournee-demogen -- --seed 42 --out osm-data/demo.osm.pbf` and commit it"
    );
}

#[test]
fn another_seed_gives_another_territory() {
    let (a, _) = tournee_demogen::generate(42);
    let (b, _) = tournee_demogen::generate(7);
    assert_ne!(a, b);
}

#[test]
fn territory_has_what_the_demo_needs() {
    let file = std::fs::File::open(committed()).unwrap();
    let mut r = OsmPbfReader::new(file);
    let (mut communes, mut hamlets, mut without_population) = (0, 0, 0);
    let mut kinds = std::collections::BTreeSet::new();
    let (mut oneway, mut roundabout, mut closed_tracks, mut private) = (0, 0, 0, 0);
    let mut markets_with_hours = 0;
    let mut chef_lieu = None;
    for obj in r.iter() {
        let obj = obj.unwrap();
        let tags = obj.tags();
        let has = |k: &str, v: &str| tags.get(k).is_some_and(|x| x == v);
        if let Some(a) = tags.get("amenity") {
            kinds.insert(a.to_string());
            if a == "marketplace" && tags.contains_key("opening_hours") {
                markets_with_hours += 1;
            }
        }
        match &obj {
            OsmObj::Node(n) => {
                if has("place", "town") || has("place", "village") {
                    communes += 1;
                    if !tags.contains_key("population") {
                        without_population += 1;
                    }
                    if has("name", "Brumeval") && has("place", "town") {
                        chef_lieu = Some((n.lon(), n.lat()));
                    }
                }
                if has("place", "hamlet") {
                    hamlets += 1;
                }
            }
            OsmObj::Way(_) => {
                if has("oneway", "yes") || has("oneway", "-1") {
                    oneway += 1;
                }
                if has("junction", "roundabout") {
                    roundabout += 1;
                }
                if has("highway", "track")
                    && (has("motor_vehicle", "no") || has("access", "agricultural"))
                {
                    closed_tracks += 1;
                }
                if has("access", "private") {
                    private += 1;
                }
            }
            OsmObj::Relation(_) => {}
        }
    }
    assert!((30..=60).contains(&communes), "{communes} communes");
    assert!(hamlets >= 10);
    assert!(
        without_population >= 2,
        "some places must exercise the estimate"
    );
    for k in [
        "marketplace",
        "place_of_worship",
        "school",
        "parking",
        "townhall",
        "community_centre",
    ] {
        assert!(kinds.contains(k), "no amenity={k}");
    }
    assert!(markets_with_hours >= 6);
    assert!(oneway >= 3 && roundabout == 1 && closed_tracks >= 2 && private == 1);
    let (lon, lat) = chef_lieu.expect("the chef-lieu Brumeval");
    assert!((lon + 2.5).abs() < 1e-7 && (lat - 45.0).abs() < 1e-7);
}

/// Car-usable ways, as a router would see them: roads, not tracks or paths, and
/// nothing closed to motor vehicles.
fn car_usable(tags: &osmpbfreader::Tags) -> bool {
    let get = |k: &str| tags.get(k).map(|v| v.as_str());
    let road = matches!(
        get("highway"),
        Some(
            "motorway"
                | "trunk"
                | "primary"
                | "secondary"
                | "tertiary"
                | "unclassified"
                | "residential"
                | "living_street"
                | "service"
        )
    );
    let closed = |k: &str| matches!(get(k), Some("no" | "private" | "agricultural"));
    road && !closed("access") && !closed("motor_vehicle")
}

#[test]
fn car_network_is_strongly_connected_and_sites_are_beside_it() {
    use std::collections::{BTreeMap, BTreeSet};
    let file = std::fs::File::open(committed()).unwrap();
    let mut r = OsmPbfReader::new(file);
    let mut coords = BTreeMap::new();
    let mut places = Vec::new();
    let mut sites: Vec<(String, Vec<i64>)> = Vec::new();
    let mut forward: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut backward: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let (mut car_nodes, mut track_nodes) = (BTreeSet::new(), BTreeSet::new());
    for obj in r.iter() {
        let obj = obj.unwrap();
        let tags = obj.tags().clone();
        let name = tags.get("name").map(|s| s.to_string()).unwrap_or_default();
        match obj {
            OsmObj::Node(n) => {
                coords.insert(n.id.0, (n.lon(), n.lat()));
                if tags.contains_key("place") {
                    places.push(n.id.0);
                }
                if tags.contains_key("amenity") {
                    sites.push((name, vec![n.id.0]));
                }
            }
            OsmObj::Way(w) => {
                let refs: Vec<i64> = w.nodes.iter().map(|n| n.0).collect();
                if tags.contains_key("amenity") {
                    sites.push((name, refs));
                } else if car_usable(&tags) {
                    let oneway = match tags.get("oneway").map(|v| v.as_str()) {
                        Some("yes" | "1" | "true") => 1,
                        Some("-1") => -1,
                        _ if tags.get("junction").is_some_and(|v| v == "roundabout") => 1,
                        _ => 0,
                    };
                    for p in refs.windows(2) {
                        let (a, b) = (p[0], p[1]);
                        if oneway >= 0 {
                            forward.entry(a).or_default().push(b);
                            backward.entry(b).or_default().push(a);
                        }
                        if oneway <= 0 {
                            forward.entry(b).or_default().push(a);
                            backward.entry(a).or_default().push(b);
                        }
                    }
                    car_nodes.extend(refs);
                } else if tags.contains_key("highway") {
                    track_nodes.extend(refs);
                }
            }
            OsmObj::Relation(_) => {}
        }
    }
    let reach = |graph: &BTreeMap<i64, Vec<i64>>, from: i64| {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in graph.get(&n).into_iter().flatten() {
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let start = *car_nodes.first().expect("a car network");
    assert_eq!(reach(&forward, start), car_nodes, "every node reachable");
    assert_eq!(
        reach(&backward, start),
        car_nodes,
        "every node reaches back"
    );
    assert!(
        !track_nodes.is_subset(&car_nodes),
        "tracks and the private drive go where cars cannot"
    );

    // Metres between two nodes (equirectangular: fine at this scale).
    let metres = |a: i64, b: i64| {
        let ((lon1, lat1), (lon2, lat2)) = (coords[&a], coords[&b]);
        let dx = (lon2 - lon1) * 45f64.to_radians().cos() * 111_195.0;
        let dy = (lat2 - lat1) * 111_195.0;
        (dx * dx + dy * dy).sqrt()
    };
    for (name, nodes) in &sites {
        assert!(!name.is_empty(), "every site has a name");
        let place = places
            .iter()
            .map(|&p| metres(p, nodes[0]))
            .fold(f64::MAX, f64::min);
        assert!(place <= 400.0, "{name} is {place:.0} m from its commune");
        let road = car_nodes
            .iter()
            .map(|&n| metres(n, nodes[0]))
            .fold(f64::MAX, f64::min);
        assert!(road <= 100.0, "{name} is {road:.0} m from a car road");
    }
}

#[test]
fn departement_preset_is_deterministic_and_departement_sized() {
    let (a, s) = tournee_demogen::departement::generate(7);
    let (b, _) = tournee_demogen::departement::generate(7);
    assert!(a == b, "same seed, same territory");
    let (c, _) = tournee_demogen::departement::generate(8);
    assert_ne!(a, c);
    let communes = s.towns + s.villages + s.hamlets;
    assert!((420..=480).contains(&communes), "{communes} communes");
    assert!(
        (150_000..=250_000).contains(&s.inhabitants),
        "{} inhabitants",
        s.inhabitants
    );
    let sites: usize = s.sites.iter().map(|(_, n)| n).sum();
    assert!((1_300..=1_700).contains(&sites), "{sites} candidate sites");
    assert_eq!(s.sites.len(), 6, "all six kinds: {:?}", s.sites);
    for class in [
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
    ] {
        assert!(
            s.road_km.iter().any(|(c, km)| c == class && *km > 50.0),
            "{class} roads: {:?}",
            s.road_km
        );
    }
    let has = |k: &str, v: &str| {
        a.ways
            .iter()
            .any(|w| w.tags.iter().any(|(tk, tv)| tk == k && tv == v))
    };
    assert!(has("oneway", "yes") && has("oneway", "-1") && has("junction", "roundabout"));
    assert!(s.markets.len() >= 20, "{} markets", s.markets.len());
    // The three fixed towns, where the benchmark's depots are, whatever the seed.
    for (name, _, x, y) in tournee_demogen::departement::TOWNS {
        let (lon, lat) = tournee_demogen::departement::lonlat(x, y);
        for data in [&a, &c] {
            assert!(
                data.nodes.iter().any(|n| n.lon == lon
                    && n.lat == lat
                    && n.tags.iter().any(|(k, v)| k == "name" && v == name)),
                "{name} at its fixed place"
            );
        }
    }
}
