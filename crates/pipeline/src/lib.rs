//! The pipeline: the stages of Tournée in order, for the CLI and the server alike.
//!
//! 1. [`Territory::load`]: PBF → raw map (`tournee-osm`) → car graph (`tournee-routing`).
//!    A territory does not depend on a scenario (all site kinds are kept), so it can
//!    be loaded once and reused by many scenarios.
//! 2. [`prepare`]: the scenario's usable sites (kind chosen, not closed, close enough
//!    to a road), places snapped, who each site reaches (`tournee-coverage`), and the
//!    travel table between depots and sites. With cargo bikes, the bike and foot
//!    graphs are built from the same map (once per territory, never for a car-only
//!    scenario); the sites of the communes the bikes serve are theirs alone
//!    (`Prepared::site_modes`), reached on foot within `reach.walk_minutes`, and the
//!    travel table has a car block and a bike block with no leg between them.
//! 3. [`plan`]: the optimiser (`tournee-solver`), then the independent checker on its
//!    result: a plan the checker rejects is an error, never an output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod bound;
pub mod budget;
pub mod home;
mod optimise;
pub mod peers;
use std::sync::{Arc, Mutex, OnceLock};

use tournee_coverage::Coverage;
use tournee_i18n::tr;
use tournee_model::demand::{ServedReport, TableReport};
use tournee_model::scenario::{DEPOT_MAX_SNAP_METERS, PLACE_MAX_SNAP_METERS};
use tournee_model::{
    LonLat, Meters, Place, Plan, Progress, Scenario, Site, SiteKind, StopReason, StopSignal,
    TravelMode,
};
use tournee_osm::{ImportError, RawMap};
use tournee_routing::{
    BikeProfile, CarProfile, ContractionHierarchy, FootProfile, Matrix, NodeIdx, Phantom, RoadGraph,
};
use tournee_solver::{CheckInput, Instance};

pub use bound::{best_bound, best_bound_within, DAYBOUND_MILP_NODES, DETAILED_BOUND_MAX_SIZE};
pub use optimise::{
    check, check_with, describe_visits, plan, plan_with, Outcome, PlanOptions, EXACT_MAX_SITES,
    LOCAL_MAX_SITES,
};
pub use tournee_solver::check::Violation;
pub use tournee_solver::CheckReport;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{}", tr!("pipeline-no-car-roads", path = path))]
    NoCarRoads { path: PathBuf },
    #[error("{}", tr!(
        "pipeline-depot-off-road",
        depot = depot,
        distance = distance.to_string(),
        max = *max,
        pbf = pbf
    ))]
    DepotOffRoad {
        depot: String,
        distance: Meters,
        max: u32,
        pbf: PathBuf,
    },
    #[error("{}", tr!(
        "pipeline-depot-off-bike-road",
        depot = depot,
        vehicle = vehicle,
        distance = distance.to_string(),
        max = *max,
        pbf = pbf
    ))]
    DepotOffBikeRoad {
        vehicle: String,
        depot: String,
        distance: Meters,
        max: u32,
        pbf: PathBuf,
    },
    #[error("{}", tr!("pipeline-no-active-roads", path = path, mode = mode_label(mode)))]
    NoActiveRoads { path: PathBuf, mode: &'static str },
    #[error("{}", tr!(
        "pipeline-unknown-bike-commune",
        index = *index,
        commune = commune,
        pbf = pbf
    ))]
    UnknownBikeCommune {
        index: usize,
        commune: String,
        pbf: PathBuf,
    },
    #[error("{}", no_usable_sites(.0))]
    NoUsableSites(String),
    #[error("{}", rejected(.0))]
    RejectedPlan(Vec<Violation>),
    #[error("tournées d'un autre moteur : {0}")]
    Peer(String),
    #[error("{}", tr!(
        "pipeline-unknown-commune",
        index = *index,
        line = line,
        commune = commune,
        pbf = pbf,
        hint = hint
    ))]
    UnknownCommune {
        index: usize,
        commune: String,
        pbf: PathBuf,
        hint: String,
        /// " (line 12)" when the scenario's text is known.
        line: String,
    },
    #[error("scenario field `site[{index}]`: no candidate site {what} in the territory {pbf}")]
    UnknownSite {
        index: usize,
        what: String,
        pbf: PathBuf,
    },
    #[error("la table des communes {table} et l'extrait OSM {pbf} ne se recouvrent pas : aucune de ses {rows} communes n'est reliée à un lieu de l'extrait (ni par code INSEE `ref:INSEE`, ni par nom) ni située dans son emprise. Vérifiez que la table et l'extrait portent sur le même territoire (champ `demand.communes` du scénario).")]
    NoOverlap {
        table: PathBuf,
        rows: usize,
        pbf: PathBuf,
    },
    #[error("{}", communes_not_read(.0))]
    CommunesNotRead(PathBuf),
    #[error("champ `demand.served` du scénario : la liste des lieux déjà desservis {0} n'a pas été lue (le scénario n'a pas été chargé depuis son fichier) ; chargez-le avec `Scenario::load`")]
    ServedNotRead(PathBuf),
    #[error("le calcul a été annulé avant sa fin")]
    Cancelled,
    /// The caller's hard time limit passed (a server job's `--job-seconds`).
    #[error("le calcul a dépassé son temps limite et a été arrêté")]
    TimedOut,
    /// The scenario would need more memory than the budget allows.
    #[error("{0}")]
    TooLarge(String),
    /// A `[[home_visits]]` requests file that cannot be read.
    #[error(transparent)]
    HomeRequests(#[from] tournee_model::ScenarioError),
}

/// "a cargo bike", "a walker", "a car", in the user's language.
fn mode_label(mode: &str) -> String {
    match mode {
        "cargo bike" => tr!("pipeline-mode-bike"),
        "walker" => tr!("pipeline-mode-walker"),
        _ => tr!("pipeline-mode-car"),
    }
}

fn no_usable_sites(detail: &str) -> String {
    tr!("pipeline-no-usable-sites", detail = detail)
}

fn communes_not_read(path: &std::path::Path) -> String {
    tr!("pipeline-communes-not-read", path = path)
}

/// The message of a plan the checker rejects.
fn rejected(violations: &[Violation]) -> String {
    let first = violations.first();
    tr!(
        "pipeline-rejected-plan",
        count = violations.len(),
        at = first.map_or("", |v| v.at.as_str()),
        message = first.map_or("", |v| v.message.as_str())
    )
}

/// An imported territory: what is in the extract, and the car graph.
pub struct Territory {
    pub pbf: PathBuf,
    pub map: RawMap,
    pub graph: RoadGraph,
    /// The contraction hierarchy of `graph`, built on first use and kept for every
    /// later scenario (what-if runs on a loaded territory reuse it).
    hierarchy: OnceLock<ContractionHierarchy>,
    /// Cargo-bike graphs by cruising speed (km/h, as bits), built when a scenario
    /// has a cargo bike, and kept.
    bike: Mutex<BTreeMap<u64, Arc<RoadGraph>>>,
    /// The foot graph (who walks to a cargo bike's stop), built with the first bike.
    foot: OnceLock<Option<Arc<RoadGraph>>>,
}

/// The graphs of the active modes, for a scenario with cargo bikes.
#[derive(Clone)]
pub struct ActiveGraphs {
    pub bike: Arc<RoadGraph>,
    pub foot: Arc<RoadGraph>,
}

/// From this many depots + sites, the travel table is computed with contraction
/// hierarchies. In `bench/results/matrix.md`, contracting costs as much as 25
/// (Monaco) to 300 (synthetic grids of 40k and 157k nodes) plain Dijkstra rows, and
/// then the table is 20 to 140 times faster; large rural territories are on the
/// grids' side. Below it, plain Dijkstra, unless the hierarchy is already built.
pub const CH_MIN_POINTS: usize = 256;

impl Territory {
    pub fn new(pbf: PathBuf, map: RawMap, graph: RoadGraph) -> Territory {
        Territory {
            pbf,
            map,
            graph,
            hierarchy: OnceLock::new(),
            bike: Mutex::new(BTreeMap::new()),
            foot: OnceLock::new(),
        }
    }

    /// The cargo-bike and foot graphs of the map, for a scenario with cargo bikes
    /// (`None` for a car-only one: nothing is built). Built on first use, kept.
    pub fn active_graphs(
        &self,
        scenario: &Scenario,
    ) -> Result<Option<ActiveGraphs>, PipelineError> {
        let Some(kmh) = scenario
            .vehicles
            .iter()
            .find(|v| v.mode == TravelMode::CargoBike)
            .map(|v| v.bike_kmh())
        else {
            return Ok(None);
        };
        let no_roads = |mode| PipelineError::NoActiveRoads {
            path: self.pbf.clone(),
            mode,
        };
        let bike = {
            // A poisoned lock only means another build panicked: the map is still
            // a valid cache.
            let mut graphs = self.bike.lock().unwrap_or_else(|e| e.into_inner());
            match graphs.get(&kmh.to_bits()) {
                Some(g) => g.clone(),
                None => {
                    let g = RoadGraph::build_for(&self.map, &BikeProfile::with_cruise(kmh))
                        .map(Arc::new)
                        .ok_or_else(|| no_roads("cargo bike"))?;
                    graphs.insert(kmh.to_bits(), g.clone());
                    g
                }
            }
        };
        let foot = self
            .foot
            .get_or_init(|| RoadGraph::build_for(&self.map, &FootProfile::default()).map(Arc::new))
            .clone()
            .ok_or_else(|| no_roads("walker"))?;
        Ok(Some(ActiveGraphs { bike, foot }))
    }

    /// The contraction hierarchy of the graph (built now if it is not yet).
    pub fn hierarchy(&self) -> &ContractionHierarchy {
        self.hierarchy
            .get_or_init(|| ContractionHierarchy::build(&self.graph))
    }

    /// Whether the contraction hierarchy has been built.
    pub fn has_hierarchy(&self) -> bool {
        self.hierarchy.get().is_some()
    }

    pub fn load(pbf: &Path, progress: &dyn Progress) -> Result<Territory, PipelineError> {
        let map = tournee_osm::import(pbf, &SiteKind::IMPORTED, progress)?;
        progress.begin(&tr!("pipeline-stage-graph"), 0);
        let graph = RoadGraph::build(&map, &CarProfile::default()).ok_or_else(|| {
            PipelineError::NoCarRoads {
                path: pbf.to_path_buf(),
            }
        })?;
        progress.done(&tr!(
            "pipeline-graph-done",
            nodes = graph.report.nodes,
            edges = graph.report.edges,
            km = tournee_i18n::decimal(graph.total_km() / 2.0, 0),
            dropped = graph.report.nodes_dropped
        ));
        Ok(Territory::new(pbf.to_path_buf(), map, graph))
    }

    /// What the checker reads, with the territory's places as demand points (a
    /// scenario without a commune table).
    pub fn check_input<'a>(&'a self, scenario: &'a Scenario) -> CheckInput<'a> {
        self.check_input_with(scenario, &self.map.places)
    }

    /// What the checker reads, with `places` as demand points: those of
    /// [`demand_places`], the same the optimiser counted.
    pub fn check_input_with<'a>(
        &'a self,
        scenario: &'a Scenario,
        places: &'a [Place],
    ) -> CheckInput<'a> {
        // The cargo-bike and foot graphs only when the scenario has a cargo bike,
        // built now if they are not yet; a territory where a cargo bike finds no
        // road gives none, and the checker rejects its routes.
        let active = self.active_graphs(scenario).ok().flatten();
        CheckInput {
            scenario,
            graph: &self.graph,
            bike: active.as_ref().map(|a| a.bike.clone()),
            foot: active.map(|a| a.foot),
            sites: &self.map.sites,
            places,
        }
    }
}

/// A candidate site the scenario cannot use, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ExcludedSite {
    pub site: Site,
    pub reason: String,
}

/// Stage 2's output: everything the optimiser needs.
pub struct Prepared {
    pub sites: Vec<Site>,
    /// Who stops at each site of `sites`: cars (residents drive to the stop), or
    /// cargo bikes (the sites of the communes they serve; residents walk). A
    /// physical site has one mode, so plans name sites by `OsmRef` unambiguously.
    pub site_modes: Vec<TravelMode>,
    /// The cargo-bike and foot graphs, when the scenario has a cargo bike.
    pub active: Option<ActiveGraphs>,
    pub excluded: Vec<ExcludedSite>,
    pub places: Vec<Place>,
    /// Places too far from any road to count.
    pub places_off_road: usize,
    /// What the scenario's commune table did to the places, when it has one.
    pub table: Option<TableReport>,
    /// What the served sites of `demand.served` took off, when it has some.
    pub served: Option<ServedReport>,
    pub coverage: Coverage,
    pub travel: tournee_routing::Matrix,
    /// What is doubtful in the scenario (`ScenarioWarning`), shown before the plan.
    pub warnings: Vec<tournee_model::scenario::ScenarioWarning>,
}

impl Prepared {
    pub fn instance<'a>(&'a self, scenario: &'a Scenario) -> Instance<'a> {
        Instance {
            scenario,
            sites: &self.sites,
            places: &self.places,
            coverage: &self.coverage,
            travel: &self.travel,
        }
    }
}

/// Selects usable sites, snaps everything and computes reach and travel times.
pub fn prepare(
    scenario: &Scenario,
    territory: &Territory,
    progress: &dyn Progress,
) -> Result<Prepared, PipelineError> {
    let g = &territory.graph;
    let active = territory.active_graphs(scenario)?;
    let mut depot_nodes = Vec::new();
    for d in &scenario.depots {
        let snap = g.snap(d.location());
        if snap.distance.0 > DEPOT_MAX_SNAP_METERS {
            return Err(PipelineError::DepotOffRoad {
                depot: d.id.clone(),
                distance: snap.distance,
                max: DEPOT_MAX_SNAP_METERS,
                pbf: territory.pbf.clone(),
            });
        }
        depot_nodes.push(snap.node);
    }
    // Cargo bikes: their depots on the bike graph, and the communes they serve.
    let mut bike_depot_nodes: Vec<Option<NodeIdx>> = vec![None; scenario.depots.len()];
    let mut bike_communes: std::collections::BTreeSet<&str> = Default::default();
    if let Some(a) = &active {
        for (index, v) in scenario.vehicles.iter().enumerate() {
            if v.mode != TravelMode::CargoBike {
                continue;
            }
            let Some(d) = scenario.depots.iter().position(|d| d.id == v.depot) else {
                continue; // validated: never happens
            };
            let snap = a.bike.snap(scenario.depots[d].location());
            if snap.distance.0 > DEPOT_MAX_SNAP_METERS {
                return Err(PipelineError::DepotOffBikeRoad {
                    vehicle: v.id.clone(),
                    depot: v.depot.clone(),
                    distance: snap.distance,
                    max: DEPOT_MAX_SNAP_METERS,
                    pbf: territory.pbf.clone(),
                });
            }
            bike_depot_nodes[d] = Some(snap.node);
            for c in &v.communes {
                let place = territory
                    .map
                    .places
                    .iter()
                    .find(|pl| pl.name == *c || pl.insee.as_deref() == Some(c.as_str()))
                    .ok_or_else(|| PipelineError::UnknownBikeCommune {
                        index,
                        commune: c.clone(),
                        pbf: territory.pbf.clone(),
                    })?;
                bike_communes.insert(place.name.as_str());
            }
        }
    }
    let Demand {
        places,
        table,
        served,
    } = demand_places(scenario, territory)?;
    // The sites the coordinator adds by coordinates, snapped like the others.
    let added = scenario.added_sites(&places);
    let mut sites = Vec::new();
    let mut site_modes = Vec::new();
    let mut site_nodes = Vec::new();
    let mut excluded = Vec::new();
    for site in territory.map.sites.iter().chain(&added) {
        if site.kind.is_partner() && !scenario.sites.allows(site.kind) {
            continue; // partner venues only when the scenario asks for them
        }
        let (mode, graph, who) = match &active {
            Some(a) if bike_communes.contains(site.commune.as_str()) => {
                (TravelMode::CargoBike, &*a.bike, "cargo bike")
            }
            _ => (TravelMode::Car, g, "car"),
        };
        let snap = graph.snap(site.location);
        let reason = if !scenario.sites.allows(site.kind) {
            Some(tr!("pipeline-excluded-kind", kind = site.kind.to_string()))
        } else if scenario.sites.closed.contains(&site.osm) {
            Some(tr!("pipeline-excluded-closed"))
        } else if snap.distance.0 > scenario.sites.max_snap_meters {
            Some(tr!(
                "pipeline-excluded-far",
                distance = snap.distance.to_string(),
                who = mode_label(who),
                max = scenario.sites.max_snap_meters
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => excluded.push(ExcludedSite {
                site: site.clone(),
                reason,
            }),
            None => {
                let mut s = site.clone();
                s.id = tournee_model::SiteId(sites.len() as u32);
                sites.push(s);
                site_modes.push(mode);
                site_nodes.push(snap.node);
            }
        }
    }
    if sites.is_empty() {
        let (count, pbf) = (territory.map.sites.len(), &territory.pbf);
        return Err(PipelineError::NoUsableSites(match excluded.first() {
            Some(e) => tr!(
                "pipeline-all-excluded-example",
                count = count,
                pbf = pbf,
                site = &e.site.name,
                reason = &e.reason
            ),
            None => tr!("pipeline-all-excluded", count = count, pbf = pbf),
        }));
    }
    for (index, e) in scenario.site_entries.iter().enumerate() {
        if e.is_added() {
            continue;
        }
        let known = territory.map.sites.iter().any(|s| {
            e.osm
                .map_or(e.name.as_deref() == Some(s.name.as_str()), |o| o == s.osm)
        });
        if !known {
            return Err(PipelineError::UnknownSite {
                index,
                what: e
                    .osm
                    .map(|o| o.to_string())
                    .or_else(|| e.name.as_ref().map(|n| format!("named “{n}”")))
                    .unwrap_or_default(),
                pbf: territory.pbf.clone(),
            });
        }
    }
    for (index, p) in scenario.promises.iter().enumerate() {
        let known = places
            .iter()
            .any(|pl| pl.name == p.commune || pl.insee.as_deref() == Some(p.commune.as_str()));
        if !known {
            let names: Vec<&str> = places.iter().map(|pl| pl.name.as_str()).collect();
            let field = format!("promises[{index}].commune");
            return Err(PipelineError::UnknownCommune {
                index,
                commune: p.commune.clone(),
                pbf: territory.pbf.clone(),
                hint: tournee_model::rules::closest_name(&p.commune, &names)
                    .map(|n| tr!("pipeline-did-you-mean", name = n))
                    .unwrap_or_default(),
                line: scenario
                    .warning(field, String::new())
                    .line
                    .map(|l| tr!("pipeline-at-line", line = l))
                    .unwrap_or_default(),
            });
        }
    }
    let place_nodes: Vec<Option<NodeIdx>> = places
        .iter()
        .map(|p| {
            let s = g.snap(p.location);
            (s.distance.0 <= PLACE_MAX_SNAP_METERS).then_some(s.node)
        })
        .collect();
    let places_off_road = place_nodes.iter().filter(|n| n.is_none()).count();
    let of_mode = |m: TravelMode| -> Vec<usize> {
        (0..sites.len()).filter(|&i| site_modes[i] == m).collect()
    };
    let (car_sites, bike_sites) = (of_mode(TravelMode::Car), of_mode(TravelMode::CargoBike));
    // A stop counts in full in its own commune (`Reach::share_at`).
    let place_communes = tournee_model::commune::place_communes(&places);
    let own = |list: &[usize]| {
        let list = list.to_vec();
        let (sites, place_communes) = (&sites, &place_communes);
        move |i: usize, p: tournee_model::PlaceId| {
            tournee_model::commune::same_commune(
                &sites[list[i]].commune,
                &place_communes[p.0 as usize],
            )
        }
    };
    let all_sites: Vec<usize> = (0..sites.len()).collect();
    let coverage = match &active {
        None => Coverage::compute_with(
            g,
            &site_nodes,
            &place_nodes,
            &scenario.reach,
            &own(&all_sites),
            progress,
        ),
        Some(a) => {
            // Residents drive to a car's stop, walk to a cargo bike's.
            let nodes = |list: &[usize]| list.iter().map(|&i| site_nodes[i]).collect::<Vec<_>>();
            let by_car = Coverage::compute_with(
                g,
                &nodes(&car_sites),
                &place_nodes,
                &scenario.reach,
                &own(&car_sites),
                progress,
            );
            let foot_sites: Vec<NodeIdx> = bike_sites
                .iter()
                .map(|&i| a.foot.snap(sites[i].location).node)
                .collect();
            let foot_places: Vec<Option<NodeIdx>> = places
                .iter()
                .map(|p| {
                    let s = a.foot.snap(p.location);
                    (s.distance.0 <= PLACE_MAX_SNAP_METERS).then_some(s.node)
                })
                .collect();
            let on_foot = Coverage::compute(
                &a.foot,
                &foot_sites,
                &foot_places,
                &scenario.reach.walking(),
                progress,
            );
            let mut by_site = vec![Vec::new(); sites.len()];
            for (list, cov) in [(&car_sites, by_car), (&bike_sites, on_foot)] {
                for (&i, reached) in list.iter().zip(cov.by_site) {
                    by_site[i] = reached;
                }
            }
            Coverage {
                radius: scenario.reach.radius(),
                by_site,
            }
        }
    };
    let depots = scenario.depots.len();
    let car_points: Vec<usize> = (0..depots)
        .chain(car_sites.iter().map(|i| depots + i))
        .collect();
    let points: Vec<NodeIdx> = depot_nodes
        .iter()
        .copied()
        .chain(car_sites.iter().map(|&i| site_nodes[i]))
        .collect();
    progress.begin(&tr!("pipeline-stage-drive-table"), points.len() as u64);
    let car_travel = if points.len() >= CH_MIN_POINTS || territory.has_hierarchy() {
        let phantoms: Vec<Phantom> = points
            .iter()
            .map(|&n| Phantom::at_node(g, n, g.coord(n)))
            .collect();
        let table = territory.hierarchy().table(&phantoms, &phantoms);
        progress.advance(points.len() as u64);
        table
    } else {
        g.matrix(&points, &points, &|| progress.advance(1))
    };
    progress.done(&tr!("pipeline-drive-table-done", n = points.len()));
    let travel = match &active {
        None => car_travel,
        Some(a) => {
            // The bikes' block: their sites, then their depots (after all sites).
            let bike_points: Vec<usize> = bike_sites
                .iter()
                .map(|i| depots + i)
                .chain(
                    (0..depots)
                        .filter(|&d| bike_depot_nodes[d].is_some())
                        .map(|d| depots + sites.len() + d),
                )
                .collect();
            let nodes: Vec<NodeIdx> = bike_sites
                .iter()
                .map(|&i| site_nodes[i])
                .chain(bike_depot_nodes.iter().flatten().copied())
                .collect();
            progress.begin(&tr!("pipeline-stage-bike-table"), 0);
            let bike_travel = a.bike.matrix(&nodes, &nodes, &|| {});
            progress.done(&tr!("pipeline-bike-table-done", n = nodes.len()));
            Matrix::from_blocks(
                2 * depots + sites.len(),
                &[
                    (&car_points[..], &car_travel),
                    (&bike_points[..], &bike_travel),
                ],
            )
        }
    };
    let mut warnings = scenario.warnings();
    warnings.extend(scenario.weight_warnings(&places));
    Ok(Prepared {
        warnings,
        sites,
        site_modes,
        active,
        excluded,
        places,
        places_off_road,
        table,
        served,
        coverage,
        travel,
    })
}

/// The scenario's demand points and what its files did to them.
#[derive(Debug, Clone)]
pub struct Demand {
    pub places: Vec<Place>,
    pub table: Option<TableReport>,
    pub served: Option<ServedReport>,
}

/// The south-west and north-east corners of the territory's car graph.
pub fn extent(graph: &RoadGraph) -> [LonLat; 2] {
    let mut sw = LonLat::new(f64::INFINITY, f64::INFINITY);
    let mut ne = LonLat::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
    for n in 0..graph.node_count() {
        let c = graph.coord(NodeIdx(n as u32));
        sw = LonLat::new(sw.lon.min(c.lon), sw.lat.min(c.lat));
        ne = LonLat::new(ne.lon.max(c.lon), ne.lat.max(c.lat));
    }
    [sw, ne]
}

/// The scenario's demand points: the territory's places, with the populations of
/// the scenario's commune table when it has one (`model::demand::apply_table`),
/// less what the served sites of `demand.served` already reach
/// (`model::demand::served`). A commune table that shares no commune with the
/// territory is an error ([`PipelineError::NoOverlap`]).
pub fn demand_places(scenario: &Scenario, territory: &Territory) -> Result<Demand, PipelineError> {
    let mut demand = Demand {
        places: territory.map.places.clone(),
        table: None,
        served: None,
    };
    let Some(d) = &scenario.demand else {
        return Ok(demand);
    };
    match (&d.communes, &scenario.communes, d.vintage) {
        (None, _, _) => {}
        (Some(_), Some(table), Some(vintage)) => {
            let (places, report) = tournee_model::demand::apply_table_within(
                &demand.places,
                table,
                vintage,
                Some(extent(&territory.graph)),
            );
            if !report.overlaps() {
                return Err(PipelineError::NoOverlap {
                    table: table.path.clone(),
                    rows: table.rows.len(),
                    pbf: territory.pbf.clone(),
                });
            }
            demand.places = places;
            demand.table = Some(report);
        }
        (Some(p), _, _) => return Err(PipelineError::CommunesNotRead(scenario.resolve(p))),
    }
    match (&d.served, &scenario.served) {
        (None, _) => {}
        (Some(_), Some(list)) => {
            let g = &territory.graph;
            let [sw, ne] = extent(g);
            // (node, how much of the week the site is open) of each served site on
            // the territory's roads.
            let (nodes, openness): (Vec<NodeIdx>, Vec<f64>) = list
                .sites
                .iter()
                .filter(|s| {
                    (sw.lon..=ne.lon).contains(&s.location.lon)
                        && (sw.lat..=ne.lat).contains(&s.location.lat)
                })
                .map(|s| (g.snap(s.location), s.openness()))
                .filter(|(snap, _)| snap.distance.0 <= PLACE_MAX_SNAP_METERS)
                .map(|(snap, open)| (snap.node, open))
                .unzip();
            let place_nodes: Vec<Option<NodeIdx>> = demand
                .places
                .iter()
                .map(|p| {
                    let s = g.snap(p.location);
                    (s.distance.0 <= PLACE_MAX_SNAP_METERS).then_some(s.node)
                })
                .collect();
            let coverage = Coverage::compute(
                g,
                &nodes,
                &place_nodes,
                &scenario.reach,
                &tournee_model::NoProgress,
            );
            // A site open part of the week serves that part of its reach.
            let mut shares = vec![0.0f64; demand.places.len()];
            for (site, reached) in coverage.by_site.iter().enumerate() {
                for c in reached {
                    let s = &mut shares[c.place.0 as usize];
                    *s = s.max(c.share * openness[site]);
                }
            }
            let mut report = ServedReport {
                path: list.path.clone(),
                sites: list.sites.len(),
                skipped_itinerant: list.skipped_itinerant,
                sites_in_territory: nodes.len(),
                ..ServedReport::default()
            };
            demand.places = tournee_model::demand::discount(&demand.places, &shares, &mut report);
            demand.served = Some(report);
        }
        (Some(p), None) => return Err(PipelineError::ServedNotRead(scenario.resolve(p))),
    }
    Ok(demand)
}
