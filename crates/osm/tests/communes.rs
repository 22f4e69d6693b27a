//! Which commune a site stands in, from the boundaries of real extracts in
//! `../shared/data/osm` (beside the clone), and the names given to unnamed sites.

use std::path::PathBuf;

use tournee_model::{progress::NoProgress, SiteKind};
use tournee_osm::RawMap;

fn extract(name: &str) -> RawMap {
    // `../shared` beside the clone, or `TOURNEE_SHARED` when set.
    let shared = std::env::var_os("TOURNEE_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let path = shared.join("data/osm").join(name);
    assert!(
        path.is_file(),
        "{} is missing: the shared data must be beside the clone",
        path.display()
    );
    tournee_osm::import(&path, &SiteKind::ALL, &NoProgress)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// "node/123", "way 123"… in `text`: an OSM id.
fn has_osm_id(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["node", "way", "relation"].iter().any(|word| {
        lower.match_indices(word).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let rest = &lower[i + word.len()..];
            let rest = rest
                .strip_prefix('/')
                .or_else(|| rest.strip_prefix(' '))
                .unwrap_or(rest);
            !before.is_some_and(|c| c.is_alphanumeric())
                && rest.starts_with(|c: char| c.is_ascii_digit())
        })
    })
}

/// No public name or address carries an OSM id.
fn assert_no_osm_id(map: &RawMap) {
    assert!(has_osm_id("parking (node/2135253046)") && has_osm_id("PKG WAY 234574635"));
    for (s, d) in map.sites.iter().zip(&map.site_details) {
        let address = d.address(&s.commune);
        for text in [&s.name, &address] {
            assert!(!has_osm_id(text), "{} is named “{text}”", s.osm);
        }
    }
}

#[test]
fn rutland_sites_are_in_their_civil_parish() {
    let map = extract("rutland-latest.osm.pbf");
    assert_eq!(map.sites.len(), map.site_details.len());
    assert!(
        map.communes.boundaries.len() >= 50,
        "{} boundaries",
        map.communes.boundaries.len()
    );
    // The church of St Peter and St Paul stands in Great Casterton, although the
    // place node of the hamlet Toll Bar is nearer to it than Great Casterton's.
    let village = map
        .places
        .iter()
        .find(|p| p.name == "Great Casterton")
        .expect("the place Great Casterton");
    let toll_bar = map
        .places
        .iter()
        .find(|p| p.name == "Toll Bar")
        .expect("Toll Bar");
    let (i, church) = map
        .sites
        .iter()
        .enumerate()
        .find(|(_, s)| {
            s.kind == SiteKind::PlaceOfWorship
                && s.name.contains("Peter")
                && s.location.distance_m(&village.location) < 1000.0
        })
        .expect("the church of St Peter and St Paul near Great Casterton");
    assert!(
        church.location.distance_m(&toll_bar.location)
            < church.location.distance_m(&village.location),
        "the test's premise: Toll Bar's node is the nearer"
    );
    assert_eq!(church.commune, "Great Casterton", "{church:?}");
    assert!(!map.site_details[i].commune_from_nearest_place);
    // Most sites of the county are inside a parish boundary.
    let inside = map
        .site_details
        .iter()
        .filter(|d| !d.commune_from_nearest_place)
        .count();
    assert!(
        inside * 10 >= map.sites.len() * 9,
        "{inside} of {}",
        map.sites.len()
    );
    assert_no_osm_id(&map);
}

#[test]
fn every_french_site_of_the_monaco_extract_carries_its_insee_code() {
    let map = extract("monaco.osm.pbf");
    let monaco = map
        .communes
        .boundaries
        .iter()
        .find(|b| b.name == "Monaco")
        .expect("Monaco's boundary");
    let mut french = 0;
    for (s, d) in map.sites.iter().zip(&map.site_details) {
        if monaco.contains(s.location) {
            continue;
        }
        // The rectangle cut also holds the sea and Italy's edge: a site no
        // commune boundary contains is flagged, and must not be French.
        let Some(b) = map.communes.locate(s.location) else {
            assert!(d.commune_from_nearest_place, "{s:?}");
            continue;
        };
        french += 1;
        let insee = d
            .insee
            .as_deref()
            .unwrap_or_else(|| panic!("{s:?} has no INSEE code"));
        assert!(insee.starts_with("06") && insee.len() == 5, "{insee}");
        assert_eq!(b.insee.as_deref(), Some(insee));
        assert_eq!(s.commune, b.name);
    }
    assert!(french >= 10, "{french} French sites");
    // The place node of Beausoleil is in Beausoleil (06012).
    let centre = map
        .places
        .iter()
        .find(|p| p.name == "Beausoleil")
        .expect("the place Beausoleil");
    let b = map
        .communes
        .locate(centre.location)
        .expect("a commune at Beausoleil's centre");
    assert_eq!(
        (b.name.as_str(), b.insee.as_deref()),
        ("Beausoleil", Some("06012"))
    );
    assert_no_osm_id(&map);
}
