//! GeoJSON (RFC 7946, WGS84, longitude first) of the plan, for maps:
//!
//! - one `Point` per site used (`"feature": "stop"`), with its name, kind (OSM
//!   amenity and French wording), commune, OSM reference, number of visits, each
//!   visit (date, weekday, slot, vehicle, hours), the places it reaches with their
//!   population, and the sum of that population;
//! - one `LineString` per day route (`"feature": "route"`): depot → stops → depot
//!   as straight segments (road geometry comes with the routing work), with the
//!   vehicle, date, km and driving minutes (a route whose depot the scenario
//!   lacks has no line);
//! - one `Point` per depot of the scenario (`"feature": "depot"`).
//!
//! Features come in a stable order: stops by OSM reference, routes as in the plan,
//! depots as in the scenario.

use std::collections::BTreeMap;

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, Value};
use serde_json::json;
use tournee_model::{DayRoute, LonLat, OsmRef, Plan, Scenario, Visit};

/// The plan's stops, routes and depots as a GeoJSON FeatureCollection.
pub fn stops_geojson(plan: &Plan, scenario: &Scenario) -> String {
    let mut features = stop_features(plan);
    features.extend(route_features(plan, scenario));
    features.extend(depot_features(scenario));
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
    .to_string()
}

fn feature(geometry: Value, properties: serde_json::Value) -> Feature {
    let properties = match properties {
        serde_json::Value::Object(map) => map,
        _ => JsonObject::new(),
    };
    Feature {
        bbox: None,
        geometry: Some(Geometry::new(geometry)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// A GeoJSON position: longitude, then latitude.
fn position(p: LonLat) -> Vec<f64> {
    vec![p.lon, p.lat]
}

fn stop_features(plan: &Plan) -> Vec<Feature> {
    let mut by_site: BTreeMap<OsmRef, Vec<(&DayRoute, &Visit)>> = BTreeMap::new();
    for (r, v) in plan.visits() {
        by_site.entry(v.site).or_default().push((r, v));
    }
    by_site
        .into_iter()
        .map(|(site, mut visits)| {
            visits.sort_by_key(|(r, v)| (r.date, v.start));
            stop_feature(site, &visits)
        })
        .collect()
}

/// `visits` of one site, in date order (not empty).
fn stop_feature(site: OsmRef, visits: &[(&DayRoute, &Visit)]) -> Feature {
    let v = visits[0].1;
    let when: Vec<serde_json::Value> = visits
        .iter()
        .map(|(r, x)| {
            json!({
                "date": r.date,
                "weekday": r.weekday,
                "slot": x.slot,
                "vehicle": r.vehicle,
                "start": x.start,
                "end": x.end,
            })
        })
        .collect();
    let reaches: Vec<serde_json::Value> = v
        .reaches
        .iter()
        .map(|p| {
            let mut place = json!({"place": p.place, "osm": p.osm, "population": p.population});
            // With a reach decay curve: the share of the place this stop counts.
            if p.share < 1.0 {
                place["share"] = json!(p.share);
            }
            place
        })
        .collect();
    let population: u64 = v.reaches.iter().map(|p| u64::from(p.population)).sum();
    feature(
        Value::Point(position(v.location)),
        json!({
            "feature": "stop",
            "name": v.site_name,
            "kind": v.site_kind,
            "kind_fr": v.site_kind.french(),
            "commune": v.commune,
            "osm": site,
            "visits": visits.len(),
            "when": when,
            "reaches": reaches,
            "places_reached": v.reaches.len(),
            "population_reached": population,
        }),
    )
}

fn route_features(plan: &Plan, sc: &Scenario) -> Vec<Feature> {
    plan.routes
        .iter()
        .filter_map(|r| {
            let depot = sc.depot(&r.depot)?.location();
            let mut line = vec![position(depot)];
            line.extend(r.visits.iter().map(|v| position(v.location)));
            line.push(position(depot));
            Some(feature(
                Value::LineString(line),
                json!({
                    "feature": "route",
                    "vehicle": r.vehicle,
                    "date": r.date,
                    "depot": r.depot,
                    "stops": r.visits.len(),
                    "km": (r.distance().as_km_f64() * 10.0).round() / 10.0,
                    "driving_minutes": (r.driving().0 + 30) / 60,
                }),
            ))
        })
        .collect()
}

fn depot_features(sc: &Scenario) -> Vec<Feature> {
    sc.depots
        .iter()
        .map(|d| {
            feature(
                Value::Point(position(d.location())),
                json!({"feature": "depot", "id": d.id, "name": d.name}),
            )
        })
        .collect()
}
