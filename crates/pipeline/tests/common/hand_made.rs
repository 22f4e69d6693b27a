//! A small hand-made territory and scenario for the checker's and the rules' tests.
//!
//! ```text
//!   0 ─ 1 ─ 2 ─ 3 ─ 4      a row of villages 1.3 km apart on a tertiary road;
//!   │               │      a market at 1 (Tuesday mornings), a church at 3,
//!   9 ─ 8 ─ 7 ─ 6 ─ 5      a village hall at 7; the depot at 0.
//! ```

use tournee_model::{
    LonLat, OsmRef, Place, PlaceId, Population, PopulationSource, Site, SiteId, SiteKind,
};
use tournee_osm::{RawMap, RawRoad};
use tournee_pipeline::Territory;
use tournee_routing::{CarProfile, RoadGraph};

pub fn territory() -> Territory {
    let step = 0.012;
    let lon = |x: usize| -2.5 + x as f64 * step / 45f64.to_radians().cos();
    let mut m = RawMap::default();
    for i in 0..10 {
        let (x, y) = if i < 5 { (i, 1) } else { (9 - i, 0) };
        m.nodes.push(LonLat::new(lon(x), 45.0 + y as f64 * step));
        m.node_ids.push(i as i64 + 1);
    }
    m.roads.push(RawRoad {
        osm_id: 1,
        nodes: (0..10).chain([0]).collect(),
        tags: [("highway", "tertiary")].into_iter().collect(),
    });
    let site = |i: u32, node: usize, kind: SiteKind, hours: Option<&str>| Site {
        id: SiteId(i),
        osm: OsmRef::node(100 + i as i64),
        kind,
        name: format!("{} {node}", kind.french()),
        location: m.nodes[node],
        commune: format!("Village {node}"),
        opening_hours: hours.map(String::from),
        reason: "test".into(),
    };
    let sites = vec![
        site(0, 1, SiteKind::Marketplace, Some("Tu 08:00-13:00")),
        site(1, 3, SiteKind::PlaceOfWorship, None),
        site(2, 7, SiteKind::CommunityCentre, None),
    ];
    m.places = (0..10)
        .map(|i| Place {
            id: PlaceId(i),
            osm: OsmRef::node(200 + i as i64),
            name: format!("Village {i}"),
            place_type: "village".into(),
            location: m.nodes[i as usize],
            population: Population(100 * (i + 1)),
            population_source: PopulationSource::Osm,
            insee: None,
        })
        .collect();
    m.sites = sites;
    let graph = RoadGraph::build(&m, &CarProfile::default()).unwrap();
    Territory::new("hand-made".into(), m, graph)
}

pub const SCENARIO: &str = r#"
name = "rules"
start_date = "2027-03-01"
days = ["mon", "tue", "wed"]
holidays = ["2027-03-03"]
[territory]
pbf = "unused"
[objective]
# A second visit in the week earns nothing here (the rule before repeats counted):
# the market on Tuesday morning is then the only new reach, and the test sees it.
repeat_factors = []
[reach]
radius_minutes = 3
[[slots]]
name = "matin"
start = "09:30"
end = "12:00"
[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"
[[depots]]
id = "d"
name = "Dépôt"
lon = -2.5
lat = 45.012
[[vehicles]]
id = "bus"
name = "Bus"
depot = "d"
[[mediators]]
id = "a"
name = "A"
base = "d"
[[mediators]]
id = "b"
name = "B"
base = "d"
max_hours_per_day = 9
"#;
