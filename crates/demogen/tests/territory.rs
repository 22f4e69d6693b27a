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
                    if has("name", "Brumeval") {
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
    assert!(without_population >= 2, "some places must exercise the estimate");
    for k in ["marketplace", "place_of_worship", "school", "parking", "townhall", "community_centre"] {
        assert!(kinds.contains(k), "no amenity={k}");
    }
    assert!(markets_with_hours >= 6);
    assert!(oneway >= 3 && roundabout == 1 && closed_tracks >= 2 && private == 1);
    let (lon, lat) = chef_lieu.expect("the chef-lieu Brumeval");
    assert!((lon + 2.5).abs() < 1e-7 && (lat - 45.0).abs() < 1e-7);
}
