//! The compact road graph: nodes are road nodes, edges are road segments with a
//! drive time (deciseconds) and a length (decimetres), stored as adjacency arrays
//! (CSR). Searches run on the segments themselves (an edge-based graph, see
//! [`crate::turns`]): each directed segment is a search *state*, linked to the
//! segments a car may turn into, with the turn's penalty. The graph keeps the largest
//! strongly connected part of that turn graph. Points are snapped to the nearest
//! graph node or road segment through grids ([`crate::grid`]), of the ways a trip
//! may start on (not a private `service` way, [`crate::profile`]).

use std::collections::HashMap;

use tournee_model::{LonLat, Meters};
use tournee_osm::RawMap;

use crate::grid::Grid;
use crate::profile::{
    profile_edges, CarProfile, ProfileEdges, ProfileReport, RawEdge, TravelProfile, NO_START,
    RATE_ONE, RESTRICTED,
};
use crate::table::{pack, Packed, Phantom, ENTRY, ZERO};
use crate::turns::{
    build_turns, largest_component, node_facts, node_restrictions, way_restrictions, TurnInput,
    TurnReport, Turns,
};

/// Index of a node in a [`RoadGraph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIdx(pub u32);

/// Adjacency in compressed sparse row form: the edges out of node `v` are
/// `first[v]..first[v + 1]`; an edge's index is its search state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub first: Vec<u32>,
    pub head: Vec<u32>,
    pub tail: Vec<u32>,
    pub time_ds: Vec<u32>,
    pub dist_dm: Vec<u32>,
    /// The segment is restricted (`access=destination`…): entering it costs an entry.
    pub restricted: Vec<bool>,
    /// The segment's routability rate factor, in twentieths ([`RawEdge`]).
    pub rate: Vec<u8>,
}

impl Csr {
    /// The CSR of `edges` (sorted in place), each edge's delay, and its flags.
    fn build(n: usize, edges: &mut [RawEdge]) -> (Csr, Vec<u32>, Vec<u8>) {
        edges.sort_unstable();
        let mut first = vec![0u32; n + 1];
        for e in edges.iter() {
            first[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let csr = Csr {
            first,
            head: edges.iter().map(|e| e.1).collect(),
            tail: edges.iter().map(|e| e.0).collect(),
            time_ds: edges.iter().map(|e| e.2).collect(),
            dist_dm: edges.iter().map(|e| e.3).collect(),
            restricted: edges.iter().map(|e| e.5 & RESTRICTED != 0).collect(),
            rate: edges.iter().map(|e| e.6).collect(),
        };
        let flags = edges.iter().map(|e| e.5).collect();
        (csr, edges.iter().map(|e| e.4).collect(), flags)
    }

    pub fn edges(&self, v: u32) -> std::ops::Range<usize> {
        self.first[v as usize] as usize..self.first[v as usize + 1] as usize
    }
}

/// What building the graph kept and dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildReport {
    pub roads_for_cars: u64,
    pub roads_not_for_cars: u64,
    pub nodes: usize,
    pub edges: usize,
    /// Nodes outside the largest strongly connected component (islands, private
    /// enclaves, one-way traps), dropped.
    pub nodes_dropped: usize,
    /// What the car profile decided (rejected maxspeeds, barriers, ferries…).
    pub profile: ProfileReport,
    /// Turns, junctions and turn restrictions.
    pub turns: TurnReport,
}

#[derive(Debug)]
pub struct RoadGraph {
    pub(crate) coords: Vec<LonLat>,
    pub(crate) osm_ids: Vec<i64>,
    pub(crate) forward: Csr,
    /// States into each node: `in_state[in_first[v]..in_first[v + 1]]`.
    pub(crate) in_first: Vec<u32>,
    pub(crate) in_state: Vec<u32>,
    pub(crate) turns: Turns,
    /// The nodes points may snap to.
    node_grid: Grid,
    /// Road segments points may snap to (one per pair of adjacent nodes, either
    /// direction), as their end nodes `(a, b)` with `a < b`, sorted.
    segments: Vec<(u32, u32)>,
    segment_grid: Grid,
    /// Longitude scale at the territory's latitude, for planar nearest-neighbour.
    pub(crate) lon_scale: f64,
    pub report: BuildReport,
}

/// Where a point lands on the graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub node: NodeIdx,
    /// Straight-line distance from the point to the node.
    pub distance: Meters,
}

/// What a profile reads of a map to build its graph, on the nodes its edges use
/// (indices into `nodes`, not the map's).
struct Parts {
    nodes: Vec<LonLat>,
    node_ids: Vec<i64>,
    edges: Vec<RawEdge>,
    report: BuildReport,
    turn_report: TurnReport,
    restrictions: Vec<crate::turns::NodeRestriction>,
    way_rules: Vec<crate::turns::WayRestriction>,
    stops_raw: HashMap<u32, crate::turns::Stop>,
    model: crate::turns::TurnModel,
}

impl Parts {
    /// What `profile` reads of `map`, and the new index of each node of the map
    /// (`u32::MAX`: no edge uses it); `nodes` and `node_ids` are left for the caller
    /// to fill ([`compact`]). `None` when the mode may use no road of `map`.
    fn read(map: &RawMap, profile: &impl TravelProfile) -> Option<(Parts, Vec<u32>)> {
        let ProfileEdges {
            mut edges,
            report: profile_report,
        } = profile_edges(profile, map);
        edges.shrink_to_fit();
        let report = BuildReport {
            roads_for_cars: profile_report.roads_for_cars,
            roads_not_for_cars: profile_report.roads_not_for_cars,
            profile: profile_report,
            ..BuildReport::default()
        };
        if edges.is_empty() {
            return None;
        }
        let model = profile.turn_model();
        let mut turn_report = TurnReport::default();
        let restrictions = node_restrictions(map, &model, &mut turn_report);
        let way_rules = way_restrictions(map, &model, &mut turn_report);
        let stops_raw = node_facts(map);
        // Only the nodes the edges use are kept (an import holds every node of every
        // way, footways and tracks too): a new index for each.
        let mut index = vec![u32::MAX; map.nodes.len()];
        for e in &edges {
            index[e.0 as usize] = 0;
            index[e.1 as usize] = 0;
        }
        for (used, i) in index.iter_mut().filter(|i| **i == 0).enumerate() {
            *i = used as u32;
        }
        let at = |v: u32| index.get(v as usize).copied().unwrap_or(u32::MAX);
        for e in &mut edges {
            (e.0, e.1) = (at(e.0), at(e.1));
        }
        let restrictions = restrictions
            .into_iter()
            .filter_map(|mut r| {
                (r.u, r.v, r.w) = (at(r.u), at(r.v), at(r.w));
                (r.u != u32::MAX && r.v != u32::MAX && r.w != u32::MAX).then_some(r)
            })
            .collect();
        let mut way_rules = way_rules;
        for rule in &mut way_rules {
            for v in &mut rule.path {
                *v = at(*v);
            }
        }
        let stops_raw = stops_raw
            .into_iter()
            .filter(|(v, _)| at(*v) != u32::MAX)
            .map(|(v, stop)| (at(v), stop))
            .collect();
        let parts = Parts {
            nodes: Vec::new(),
            node_ids: Vec::new(),
            edges,
            report,
            turn_report,
            restrictions,
            way_rules,
            stops_raw,
            model,
        };
        Some((parts, index))
    }
}

/// The items of `items` whose `index` is not `u32::MAX`, at that index (indices
/// increasing with the position, as [`Parts::read`] numbers them), in place.
fn compact<T: Copy>(index: &[u32], mut items: Vec<T>) -> Vec<T> {
    let mut kept = 0;
    for (old, &new) in index.iter().enumerate() {
        if new != u32::MAX {
            items[new as usize] = items[old];
            kept += 1;
        }
    }
    items.truncate(kept);
    items
}

/// `items[keep[0]], items[keep[1]]…` in place, for `keep` increasing.
fn select<T: Copy>(keep: &[u32], mut items: Vec<T>) -> Vec<T> {
    for (new, &old) in keep.iter().enumerate() {
        items[new] = items[old as usize];
    }
    items.truncate(keep.len());
    items.shrink_to_fit();
    items
}

impl RoadGraph {
    /// Builds the car graph of `map`. Returns `None` when no road is usable by car.
    pub fn build(map: &RawMap, profile: &CarProfile) -> Option<RoadGraph> {
        Self::build_for(map, profile)
    }

    /// Builds the graph of `map` for any travel mode's profile (car, cargo bike,
    /// foot): the largest strongly connected component of what the mode may use.
    /// Returns `None` when the mode may use no road.
    pub fn build_for(map: &RawMap, profile: &impl TravelProfile) -> Option<RoadGraph> {
        let (mut parts, index) = Parts::read(map, profile)?;
        let copy = |v: usize| index[v] != u32::MAX;
        parts.nodes = (0..index.len())
            .filter(|&v| copy(v))
            .map(|v| map.nodes[v])
            .collect();
        parts.node_ids = (0..index.len())
            .filter(|&v| copy(v))
            .map(|v| map.node_ids[v])
            .collect();
        Self::assemble(parts)
    }

    /// [`RoadGraph::build`] from a map it owns, dropped as soon as the profile has
    /// read it, so the import's roads, tags and nodes are not held beside the graph
    /// being built (`tournee matrix`).
    pub fn build_owned(mut map: RawMap, profile: &CarProfile) -> Option<RoadGraph> {
        let (mut parts, index) = Parts::read(&map, profile)?;
        let (nodes, node_ids) = (
            std::mem::take(&mut map.nodes),
            std::mem::take(&mut map.node_ids),
        );
        drop(map);
        crate::release_freed_memory();
        parts.nodes = compact(&index, nodes);
        parts.node_ids = compact(&index, node_ids);
        drop(index);
        Self::assemble(parts)
    }

    /// The graph from what the profile read of a map.
    fn assemble(parts: Parts) -> Option<RoadGraph> {
        let Parts {
            nodes,
            node_ids,
            mut edges,
            mut report,
            mut turn_report,
            restrictions,
            way_rules,
            stops_raw,
            model,
        } = parts;
        // Every node of `nodes` is used by an edge (`Parts::read` kept only those).
        let used = nodes.len();
        // The largest strongly connected part of the node graph, then of the turn
        // graph on it; turns can cut a part off (a restriction, a U-turn not allowed),
        // so this is repeated until the two agree.
        let mut rounds = 0;
        let (keep, forward, in_first, in_state, turns, flags) = loop {
            rounds += 1;
            let keep = largest_node_component(nodes.len(), &edges)?;
            let mut remap = vec![u32::MAX; nodes.len()];
            for (new, old) in keep.iter().enumerate() {
                remap[*old as usize] = new as u32;
            }
            let mut local: Vec<RawEdge> = std::mem::take(&mut edges);
            local.retain_mut(|e| {
                let (a, b) = (remap[e.0 as usize], remap[e.1 as usize]);
                (e.0, e.1) = (a, b);
                a != u32::MAX && b != u32::MAX
            });
            let n = keep.len();
            let (mut forward, mut delay_ds, mut flags) = Csr::build(n, &mut local);
            let ordinary = forward.head.len();
            let via = crate::turns::via_way_copies(
                &mut forward,
                &mut delay_ds,
                &mut flags,
                &way_rules,
                &remap,
            );
            drop(local);
            let (in_first, in_state) = states_into_nodes(n, &forward.head);
            let mut rules: HashMap<(u32, u32), Vec<(u32, bool)>> = HashMap::new();
            for r in &restrictions {
                let (u, v, w) = (
                    remap[r.u as usize],
                    remap[r.v as usize],
                    remap[r.w as usize],
                );
                if u != u32::MAX && v != u32::MAX && w != u32::MAX {
                    rules.entry((u, v)).or_default().push((w, r.only));
                }
            }
            let stops = stops_raw
                .iter()
                .filter(|(v, _)| remap[**v as usize] != u32::MAX)
                .map(|(v, s)| (remap[*v as usize], *s))
                .collect();
            drop(remap);
            turn_report = TurnReport {
                restrictions: turn_report.restrictions,
                restrictions_unmatched: turn_report.restrictions_unmatched,
                restrictions_via_way: turn_report.restrictions_via_way,
                ..TurnReport::default()
            };
            let input = TurnInput {
                coords: &nodes,
                keep: &keep,
                lon_scale: mean_lat_scale(keep.iter().map(|&o| &nodes[o as usize])),
                first: &forward.first,
                head: &forward.head,
                tail: &forward.tail,
                time_ds: &forward.time_ds,
                dist_dm: &forward.dist_dm,
                delay_ds: &delay_ds,
                in_first: &in_first,
                in_state: &in_state,
                flags: &flags,
                stops: &stops,
                restrictions: &rules,
                via: &via,
                model: &model,
            };
            let turns = build_turns(&input, &mut turn_report);
            // Rebuilt below: the search for the strongly connected part does not
            // need them, and is this stage's peak.
            drop((in_first, in_state));
            let states = forward.head.len();
            let mut inside = largest_component(&turns, states);
            // A segment is in when its state or a copy of it is: a via-way
            // restriction's copies may take every turn into the state itself.
            for c in ordinary..states {
                if inside[c] {
                    inside[turns.original_of(c as u32) as usize] = true;
                }
            }
            if rounds >= 4 || inside[..ordinary].iter().all(|&k| k) {
                drop(inside);
                let (in_first, in_state) = states_into_nodes(n, &forward.head);
                break (keep, forward, in_first, in_state, turns, flags);
            }
            // Keep the segments of the largest part of the turn graph, and again; the
            // turns are rebuilt, so they go before the segments are copied out.
            drop(turns);
            crate::release_freed_memory();
            edges = (0..ordinary)
                .filter(|&s| inside[s])
                .map(|s| {
                    (
                        keep[forward.tail[s] as usize],
                        keep[forward.head[s] as usize],
                        forward.time_ds[s],
                        forward.dist_dm[s],
                        delay_ds[s],
                        flags[s],
                        forward.rate[s],
                    )
                })
                .collect();
            if edges.is_empty() {
                return None;
            }
        };
        report.turns = turn_report;
        crate::release_freed_memory();
        report.nodes_dropped = used - keep.len();
        let n = keep.len();
        let coords = select(&keep, nodes);
        let osm_ids = select(&keep, node_ids);
        drop(keep);
        report.edges = forward.first[n] as usize;
        report.nodes = n;
        let lon_scale = mean_lat_scale(coords.iter());
        // Points snap only onto start-point segments (OSRM's `is_startpoint`) and
        // their nodes; onto any when there are none.
        let start: Vec<bool> = flags.iter().map(|f| f & NO_START == 0).collect();
        drop(flags);
        let any_start = start.iter().any(|&s| s);
        let startable = |e: usize| start[e] || !any_start;
        let mut start_node = vec![false; n];
        for e in (0..forward.head.len()).filter(|&e| startable(e)) {
            start_node[forward.tail[e] as usize] = true;
            start_node[forward.head[e] as usize] = true;
        }
        let plane = |v: u32| {
            let c = coords[v as usize];
            [c.lon * lon_scale, c.lat]
        };
        let node_grid = Grid::build(|| {
            (0..n as u32).filter(|&v| start_node[v as usize]).map(|v| {
                let p = plane(v);
                (v, [p[0], p[1], p[0], p[1]])
            })
        });
        drop(start_node);
        let mut segments: Vec<(u32, u32)> = (0..n as u32)
            .flat_map(|a| forward.edges(a).map(move |e| (a, e)))
            .filter(|&(_, e)| startable(e))
            .map(|(a, e)| {
                let b = forward.head[e];
                (a.min(b), a.max(b))
            })
            .collect();
        segments.sort_unstable();
        segments.dedup();
        segments.shrink_to_fit();
        let segment_grid = Grid::build(|| {
            segments.iter().enumerate().map(|(i, &(a, b))| {
                let (p, q) = (plane(a), plane(b));
                (
                    i as u32,
                    [
                        p[0].min(q[0]),
                        p[1].min(q[1]),
                        p[0].max(q[0]),
                        p[1].max(q[1]),
                    ],
                )
            })
        });
        Some(RoadGraph {
            coords,
            osm_ids,
            forward,
            in_first,
            in_state,
            turns,
            node_grid,
            segments,
            segment_grid,
            lon_scale,
            report,
        })
    }

    /// Drops what only snapping and node lookups use (grids, segments, positions,
    /// ids, states into nodes), keeping the states and turns searches need: for a
    /// contraction of a graph whose points are already snapped.
    pub(crate) fn keep_turns_only(&mut self) {
        self.node_grid = Grid::default();
        self.segment_grid = Grid::default();
        self.segments = Vec::new();
        self.coords = Vec::new();
        self.osm_ids = Vec::new();
        self.in_first = Vec::new();
        self.in_state = Vec::new();
        self.turns.drop_reverse();
    }

    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    pub fn coord(&self, n: NodeIdx) -> LonLat {
        self.coords[n.0 as usize]
    }

    pub fn osm_id(&self, n: NodeIdx) -> i64 {
        self.osm_ids[n.0 as usize]
    }

    /// The position of node `v` on the plane of the snapping grids.
    fn plane(&self, v: u32) -> [f64; 2] {
        let c = self.coords[v as usize];
        [c.lon * self.lon_scale, c.lat]
    }

    /// The graph node nearest to `p`, of those on a start-point segment (ties to the
    /// lower index).
    pub fn snap(&self, p: LonLat) -> Snap {
        let q = [p.lon * self.lon_scale, p.lat];
        let node = self
            .node_grid
            .nearest(q, |v| {
                let a = self.plane(v);
                (a[0] - q[0]).powi(2) + (a[1] - q[1]).powi(2)
            })
            .map_or(NodeIdx(0), NodeIdx);
        Snap {
            node,
            distance: self.coord(node).distance(&p),
        }
    }

    /// The nearest point of the nearest road segment to `p` (a phantom node, as
    /// OSRM places points), with the segment's time and length in each direction a
    /// car may drive it.
    pub fn snap_segment(&self, p: LonLat) -> Phantom {
        let q = [p.lon * self.lon_scale, p.lat];
        let on = |i: u32| {
            let (a, b) = self.segments[i as usize];
            let (pa, pb) = (self.plane(a), self.plane(b));
            let d = [pb[0] - pa[0], pb[1] - pa[1]];
            let len2 = d[0] * d[0] + d[1] * d[1];
            let fraction = if len2 > 0.0 {
                (((q[0] - pa[0]) * d[0] + (q[1] - pa[1]) * d[1]) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let at = [pa[0] + fraction * d[0], pa[1] + fraction * d[1]];
            (a, b, fraction, at)
        };
        let nearest = self.segment_grid.nearest(q, |i| {
            let (_, _, _, at) = on(i);
            (at[0] - q[0]).powi(2) + (at[1] - q[1]).powi(2)
        });
        let Some(i) = nearest else {
            return Phantom::at_node(self, self.snap(p).node, p);
        };
        let (a, b, fraction, at) = on(i);
        let point = LonLat::new(at[0] / self.lon_scale, at[1]);
        Phantom::on_segment(
            self,
            NodeIdx(a),
            NodeIdx(b),
            fraction,
            point,
            p.distance_m(&point),
        )
    }

    /// The cost of turning from state `x` into state `y` (`turn_ds` deciseconds):
    /// an entry when `y` is restricted and `x` is not (OSRM's maximal turn weight,
    /// [`crate::turns`]), plus the turn's time, which is also its weight.
    pub(crate) fn turn_cost(&self, x: u32, y: u32, turn_ds: u16) -> Packed {
        let r = &self.forward.restricted;
        let entry = if r[y as usize] && !r[x as usize] {
            ENTRY
        } else {
            ZERO
        };
        entry + pack(turn_ds.into(), turn_ds.into(), 0)
    }

    /// The cost of driving along state `s`: its weight (its time over its
    /// routability rate factor, rounded), time and length.
    pub(crate) fn arc(&self, s: usize) -> Packed {
        let f = &self.forward;
        let (time, rate) = (f.time_ds[s], u32::from(f.rate[s]).max(1));
        let weight =
            (u64::from(time) * u64::from(RATE_ONE) + u64::from(rate) / 2) / u64::from(rate);
        pack(weight.min(u32::MAX.into()) as u32, time, f.dist_dm[s])
    }

    /// The turns into state `y`, as (state turned from, penalty in ds), by state
    /// turned from: through the states into the node `y` leaves (no reverse lists
    /// needed, as snapping a point does before a contraction).
    pub(crate) fn turns_into(&self, y: u32) -> impl Iterator<Item = (u32, u16)> + '_ {
        let t = &self.turns;
        self.states_into(self.forward.tail[y as usize])
            .iter()
            .flat_map(move |&x| {
                t.out(x)
                    .filter(move |&i| t.to[i] == y)
                    .map(move |i| (x, t.turn_ds[i]))
            })
    }

    /// The fastest state (edge) `a → b`, if any.
    pub(crate) fn edge_state(&self, a: u32, b: u32) -> Option<u32> {
        self.forward
            .edges(a)
            .filter(|&e| self.forward.head[e] == b)
            .min_by_key(|&e| (self.forward.time_ds[e], self.forward.dist_dm[e], e))
            .map(|e| e as u32)
    }

    /// The number of roads at node `v`: its neighbours, either direction.
    pub(crate) fn roads_at(&self, v: u32) -> usize {
        let f = &self.forward;
        let mut ns: Vec<u32> = f.edges(v).map(|e| f.head[e]).collect();
        ns.extend(self.states_into(v).iter().map(|&s| f.tail[s as usize]));
        ns.sort_unstable();
        ns.dedup();
        ns.len()
    }

    /// The state of the road segment that state `s` drives: `s` itself, or the
    /// original of a copy made for a via-way restriction ([`crate::turns`]).
    pub(crate) fn original_state(&self, s: u32) -> u32 {
        self.turns.original_of(s)
    }

    /// Number of search states (directed road segments, and their copies for via-way
    /// restrictions, [`crate::turns`]).
    pub fn state_count(&self) -> usize {
        self.forward.head.len()
    }

    /// States into node `v`.
    pub(crate) fn states_into(&self, v: u32) -> &[u32] {
        &self.in_state[self.in_first[v as usize] as usize..self.in_first[v as usize + 1] as usize]
    }

    /// Sum of the lengths of all edges, in kilometres (each direction counted).
    pub fn total_km(&self) -> f64 {
        let ordinary = self.forward.first.last().map_or(0, |&e| e as usize);
        let dist = &self.forward.dist_dm[..ordinary];
        dist.iter().map(|&d| d as f64).sum::<f64>() / 10_000.0
    }
}

/// Longitude scale at the mean latitude of `coords`, for planar geometry.
fn mean_lat_scale<'a>(coords: impl ExactSizeIterator<Item = &'a LonLat>) -> f64 {
    let n = coords.len().max(1) as f64;
    let mean_lat = coords.map(|c| c.lat).sum::<f64>() / n;
    mean_lat.to_radians().cos()
}

/// The states into each of the `n` nodes, by state: `(in_first, in_state)`, the
/// states into `v` being `in_state[in_first[v]..in_first[v + 1]]`.
fn states_into_nodes(n: usize, head: &[u32]) -> (Vec<u32>, Vec<u32>) {
    crate::scc::adjacency(n, head.iter().enumerate().map(|(s, &v)| (v, s as u32)))
}

/// The nodes (sorted) of the largest strongly connected component of `edges` over
/// `n` nodes; `None` without edges. Ties go to the component with the smallest node
/// index.
fn largest_node_component(n: usize, edges: &[RawEdge]) -> Option<Vec<u32>> {
    if edges.is_empty() {
        return None;
    }
    let out = crate::scc::adjacency(n, edges.iter().map(|e| (e.0, e.1)));
    let inside = crate::scc::largest(n, (&out.0, &out.1));
    drop(out);
    let keep: Vec<u32> = (0..n as u32).filter(|&v| inside[v as usize]).collect();
    (!keep.is_empty()).then_some(keep)
}
