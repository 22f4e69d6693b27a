//! The server's base scenario, planned once at start-up, and the plans derived from
//! it by what-if jobs: what the web page shows. Map layers are GeoJSON (RFC 7946,
//! lon/lat) made from the territory's own import, so the page needs no tile server.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{json, Value};
use tournee_model::whatif::{self, Change, Comparison};
use tournee_model::{LonLat, OsmRef, Plan, Progress, Scenario, Site};
use tournee_pipeline::{CheckReport, PipelineError, PlanOptions, Territory};
use tournee_routing::{CarProfile, Direction};

/// A plan with the scenario it was made for and the checker's verdict.
#[derive(Serialize)]
pub struct PlannedScenario {
    pub scenario: Scenario,
    pub plan: Plan,
    pub check: CheckReport,
    /// The sites the scenario could use.
    pub sites: Vec<Site>,
}

pub struct Base {
    pub territory: Arc<Territory>,
    pub planned: Arc<PlannedScenario>,
    /// Car roads as a GeoJSON FeatureCollection, serialised once.
    pub roads: String,
}

/// Plans `scenario` on `territory` and keeps what the page needs.
pub fn plan_scenario(
    scenario: Scenario,
    territory: &Territory,
    progress: &dyn Progress,
) -> Result<PlannedScenario, PipelineError> {
    plan_scenario_with(scenario, territory, progress, &PlanOptions::default())
}

/// [`plan_scenario`] with options (a job's memory budget).
pub fn plan_scenario_with(
    scenario: Scenario,
    territory: &Territory,
    progress: &dyn Progress,
    options: &PlanOptions,
) -> Result<PlannedScenario, PipelineError> {
    let outcome = tournee_pipeline::plan_with(&scenario, territory, progress, options)?;
    Ok(PlannedScenario {
        sites: outcome.prepared.sites,
        plan: outcome.plan,
        check: outcome.check,
        scenario,
    })
}

impl Base {
    pub fn new(territory: Arc<Territory>, planned: PlannedScenario) -> Base {
        let roads = roads_geojson(&territory).to_string();
        Base {
            territory,
            planned: Arc::new(planned),
            roads,
        }
    }

    /// Runs a what-if: the base scenario with `changes`, planned and compared.
    pub fn what_if(
        &self,
        changes: &[Change],
        progress: &dyn Progress,
        options: &PlanOptions,
    ) -> Result<(PlannedScenario, Comparison), WhatIfError> {
        let scenario =
            whatif::apply(&self.planned.scenario, changes).map_err(WhatIfError::Scenario)?;
        let variant = plan_scenario_with(scenario, &self.territory, progress, options)
            .map_err(WhatIfError::Pipeline)?;
        let comparison = whatif::compare(&self.planned.plan, &variant.plan);
        Ok((variant, comparison))
    }

    /// Places (demand points) with their population, for the map.
    pub fn places_geojson(&self) -> Value {
        let features: Vec<Value> = self
            .territory
            .map
            .places
            .iter()
            .map(|p| {
                feature(
                    point(p.location),
                    json!({
                        "osm": p.osm.to_string(),
                        "name": p.name,
                        "place": p.place_type,
                        "population": p.population.0,
                        "population_source": p.population_source,
                    }),
                )
            })
            .collect();
        collection(features)
    }
}

/// Why a what-if could not be planned.
pub enum WhatIfError {
    Scenario(tournee_model::ScenarioError),
    Pipeline(PipelineError),
}

fn point(p: LonLat) -> Value {
    json!({"type": "Point", "coordinates": [round(p.lon), round(p.lat)]})
}

fn line(coords: &[LonLat]) -> Value {
    json!({
        "type": "LineString",
        "coordinates": coords.iter().map(|c| [round(c.lon), round(c.lat)]).collect::<Vec<_>>(),
    })
}

/// Six decimals: about 10 cm, more than a map needs.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn feature(geometry: Value, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

/// The roads a car may use, with their `highway` class for styling.
fn roads_geojson(t: &Territory) -> Value {
    let profile = CarProfile::default();
    let features = t
        .map
        .roads
        .iter()
        .filter(|r| profile.road_use(r).is_some())
        .map(|r| {
            let coords: Vec<LonLat> = r.nodes.iter().map(|&n| t.map.nodes[n as usize]).collect();
            feature(
                line(&coords),
                json!({"highway": r.tag("highway").unwrap_or("road"), "name": r.tag("name")}),
            )
        })
        .collect();
    collection(features)
}

/// The day's route of `vehicle` on `date` in `planned`: one LineString per leg
/// (depot → first stop → … → depot) along the roads, with its drive time.
pub fn day_route_geojson(
    territory: &Territory,
    planned: &PlannedScenario,
    vehicle: &str,
    date: chrono::NaiveDate,
) -> Option<Value> {
    let route = planned
        .plan
        .routes
        .iter()
        .find(|r| r.vehicle == vehicle && r.date == date)?;
    let depot = planned.scenario.depot(&route.depot)?.location();
    let mut stops: Vec<(String, LonLat)> =
        vec![(planned.scenario.depot(&route.depot)?.name.clone(), depot)];
    stops.extend(
        route
            .visits
            .iter()
            .map(|v| (v.site_name.clone(), v.location)),
    );
    stops.push((stops[0].0.clone(), depot));
    let g = &territory.graph;
    let features = stops
        .windows(2)
        .enumerate()
        .filter_map(|(i, w)| {
            let r = g.route(g.snap(w[0].1).node, g.snap(w[1].1).node)?;
            Some(feature(
                line(&r.coords),
                json!({
                    "leg": i,
                    "from": w[0].0,
                    "to": w[1].0,
                    "drive_seconds": r.time.0,
                    "metres": r.distance.0,
                }),
            ))
        })
        .collect();
    Some(collection(features))
}

/// Where residents can drive to `site` from within the scenario's reach radius: the
/// hull of the road nodes reached, and the places reached.
pub fn reach_geojson(
    territory: &Territory,
    planned: &PlannedScenario,
    site: OsmRef,
) -> Option<Value> {
    let s = planned.sites.iter().find(|s| s.osm == site)?;
    let g = &territory.graph;
    let node = g.snap(s.location).node;
    let ring = g.reach_area(node, planned.scenario.reach.radius(), Direction::Backward);
    let mut features = Vec::new();
    if ring.len() >= 4 {
        let coords: Vec<[f64; 2]> = ring.iter().map(|c| [round(c.lon), round(c.lat)]).collect();
        features.push(feature(
            json!({"type": "Polygon", "coordinates": [coords]}),
            json!({"site": site.to_string(), "name": s.name, "minutes": planned.scenario.reach.radius().0 / 60}),
        ));
    }
    // The places any visit at this site reaches, as the plan recorded them.
    let mut reached: BTreeMap<String, (u32, f64)> = BTreeMap::new();
    for (_, v) in planned.plan.visits().filter(|(_, v)| v.site == site) {
        for r in &v.reaches {
            reached.insert(r.osm.to_string(), (r.drive.0, r.share));
        }
    }
    for p in &territory.map.places {
        if let Some((drive, share)) = reached.get(&p.osm.to_string()) {
            let mut props =
                json!({"place": p.name, "population": p.population.0, "drive_seconds": drive});
            // With a reach decay curve: the share of the place this stop counts.
            if *share < 1.0 {
                props["share"] = json!(share);
            }
            features.push(feature(point(p.location), props));
        }
    }
    Some(collection(features))
}
