//! The compact road graph: nodes are road nodes of the largest strongly connected
//! component of the car network, edges are road segments with a drive time
//! (deciseconds) and a length (decimetres), stored as forward and backward adjacency
//! arrays (CSR). Points are snapped to the nearest graph node through an R-tree.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;
use tournee_model::{LonLat, Meters};
use tournee_osm::RawMap;

use crate::profile::{profile_edges, CarProfile, ProfileEdges, ProfileReport, TravelProfile};
use crate::table::Phantom;

/// Index of a node in a [`RoadGraph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIdx(pub u32);

/// Adjacency in compressed sparse row form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub first: Vec<u32>,
    pub head: Vec<u32>,
    pub time_ds: Vec<u32>,
    pub dist_dm: Vec<u32>,
}

impl Csr {
    fn build(n: usize, mut edges: Vec<(u32, u32, u32, u32)>) -> Csr {
        edges.sort_unstable();
        let mut first = vec![0u32; n + 1];
        for e in &edges {
            first[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        Csr {
            first,
            head: edges.iter().map(|e| e.1).collect(),
            time_ds: edges.iter().map(|e| e.2).collect(),
            dist_dm: edges.iter().map(|e| e.3).collect(),
        }
    }

    pub fn edges(&self, v: u32) -> std::ops::Range<usize> {
        self.first[v as usize] as usize..self.first[v as usize + 1] as usize
    }
}

/// A road segment on the plane, with its end nodes `(a, b)`, `a < b`.
type Segment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

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
}

#[derive(Debug)]
pub struct RoadGraph {
    pub(crate) coords: Vec<LonLat>,
    pub(crate) osm_ids: Vec<i64>,
    pub(crate) forward: Csr,
    pub(crate) backward: Csr,
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    /// Road segments (one per pair of adjacent nodes, either direction), keyed by
    /// their end nodes `(a, b)` with `a < b`.
    segments: RTree<Segment>,
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

impl RoadGraph {
    /// Builds the car graph of `map`. Returns `None` when no road is usable by car.
    pub fn build(map: &RawMap, profile: &CarProfile) -> Option<RoadGraph> {
        Self::build_for(map, profile)
    }

    /// Builds the graph of `map` for any travel mode's profile (car, cargo bike,
    /// foot): the largest strongly connected component of what the mode may use.
    /// Returns `None` when the mode may use no road.
    pub fn build_for(map: &RawMap, profile: &impl TravelProfile) -> Option<RoadGraph> {
        let ProfileEdges {
            edges,
            report: profile_report,
        } = profile_edges(profile, map);
        let mut report = BuildReport {
            roads_for_cars: profile_report.roads_for_cars,
            roads_not_for_cars: profile_report.roads_not_for_cars,
            profile: profile_report,
            ..BuildReport::default()
        };
        if edges.is_empty() {
            return None;
        }
        // Largest strongly connected component.
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(map.nodes.len(), edges.len());
        for _ in 0..map.nodes.len() {
            g.add_node(());
        }
        for e in &edges {
            g.add_edge(
                NodeIndex::new(e.0 as usize),
                NodeIndex::new(e.1 as usize),
                (),
            );
        }
        // Kosaraju's, iterative: petgraph's Tarjan recurses once per node of a path and
        // overflows the stack on a département-size network. Ties go to the component
        // with the smallest node index, whatever order the algorithm lists them in.
        let largest = kosaraju_scc(&g).into_iter().max_by_key(|c| {
            let first = c.iter().map(|n| n.index()).min().unwrap_or(usize::MAX);
            (c.len(), std::cmp::Reverse(first))
        })?;
        let used: std::collections::HashSet<u32> = edges.iter().flat_map(|e| [e.0, e.1]).collect();
        let mut remap = vec![u32::MAX; map.nodes.len()];
        let mut keep: Vec<u32> = largest.iter().map(|n| n.index() as u32).collect();
        keep.sort_unstable();
        for (new, old) in keep.iter().enumerate() {
            remap[*old as usize] = new as u32;
        }
        report.nodes_dropped = used.len() - keep.len();
        let edges: Vec<(u32, u32, u32, u32)> = edges
            .into_iter()
            .filter_map(|(a, b, t, d)| {
                let (a, b) = (remap[a as usize], remap[b as usize]);
                (a != u32::MAX && b != u32::MAX).then_some((a, b, t, d))
            })
            .collect();
        let n = keep.len();
        let coords: Vec<LonLat> = keep.iter().map(|&o| map.nodes[o as usize]).collect();
        let osm_ids: Vec<i64> = keep.iter().map(|&o| map.node_ids[o as usize]).collect();
        let backward = Csr::build(n, edges.iter().map(|&(a, b, t, d)| (b, a, t, d)).collect());
        report.edges = edges.len();
        report.nodes = n;
        let forward = Csr::build(n, edges);
        let mean_lat = coords.iter().map(|c| c.lat).sum::<f64>() / n as f64;
        let lon_scale = mean_lat.to_radians().cos();
        let tree = RTree::bulk_load(
            coords
                .iter()
                .enumerate()
                .map(|(i, c)| GeomWithData::new([c.lon * lon_scale, c.lat], i as u32))
                .collect(),
        );
        let mut pairs: Vec<(u32, u32)> = (0..n as u32)
            .flat_map(|a| forward.edges(a).map(move |e| (a, e)))
            .map(|(a, e)| {
                let b = forward.head[e];
                (a.min(b), a.max(b))
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let plane = |v: u32| {
            let c = coords[v as usize];
            [c.lon * lon_scale, c.lat]
        };
        let segments = RTree::bulk_load(
            pairs
                .into_iter()
                .map(|(a, b)| GeomWithData::new(Line::new(plane(a), plane(b)), (a, b)))
                .collect(),
        );
        Some(RoadGraph {
            coords,
            osm_ids,
            forward,
            backward,
            tree,
            segments,
            lon_scale,
            report,
        })
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

    /// The graph node nearest to `p`.
    pub fn snap(&self, p: LonLat) -> Snap {
        let nearest = self
            .tree
            .nearest_neighbor(&[p.lon * self.lon_scale, p.lat])
            .expect("a built graph has at least one node");
        let node = NodeIdx(nearest.data);
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
        let Some(nearest) = self.segments.nearest_neighbor(&q) else {
            return Phantom::at_node(self, self.snap(p).node, p);
        };
        let (a, b) = nearest.data;
        let (pa, pb) = (nearest.geom().from, nearest.geom().to);
        let d = [pb[0] - pa[0], pb[1] - pa[1]];
        let len2 = d[0] * d[0] + d[1] * d[1];
        let fraction = if len2 > 0.0 {
            (((q[0] - pa[0]) * d[0] + (q[1] - pa[1]) * d[1]) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let point = LonLat::new(
            (pa[0] + fraction * d[0]) / self.lon_scale,
            pa[1] + fraction * d[1],
        );
        Phantom::on_segment(
            NodeIdx(a),
            NodeIdx(b),
            fraction,
            self.edge_weight(a, b),
            self.edge_weight(b, a),
            point,
            p.distance_m(&point),
        )
    }

    /// Time (ds) and length (dm) of the fastest edge `a → b`, if any.
    pub(crate) fn edge_weight(&self, a: u32, b: u32) -> Option<(u32, u32)> {
        self.forward
            .edges(a)
            .filter(|&e| self.forward.head[e] == b)
            .map(|e| (self.forward.time_ds[e], self.forward.dist_dm[e]))
            .min()
    }

    /// Sum of the lengths of all edges, in kilometres (each direction counted).
    pub fn total_km(&self) -> f64 {
        self.forward.dist_dm.iter().map(|&d| d as f64).sum::<f64>() / 10_000.0
    }
}
