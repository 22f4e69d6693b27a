//! Drive-time tables between points that lie anywhere on a road, as OSRM's table
//! service computes them: each point is snapped to the nearest point of the nearest
//! road segment (a *phantom* node part-way along an edge), and a trip from or to it
//! starts or ends there with the matching fraction of the edge's time and length.
//!
//! Costs are compared lexicographically: fewest entries into restricted segments
//! first ([`crate::turns`], `access=destination`…), then the least *weight* (OSRM's
//! routability: the time as the route choice sees it, a way's time over its rate
//! factor, [`crate::profile::routability`]), then fastest, then the shortest. The
//! time and length reported are the drive's, not the weight. Packed into one
//! 96-bit number ([`crate::cost::Packed`]), that order is the integer order and sums
//! stay exact, so every engine (plain Dijkstra here, contraction hierarchies in
//! [`crate::ch`]) returns the same time *and* distance for every cell.
//!
//! # A point exactly on a node
//!
//! A point snapped onto a node (its nearest road point is the node: the projection
//! clamped to a segment's end, or the point on the node itself) lies on every segment
//! of that node alike. OSRM 26 takes
//! all the segments nearest to a point as candidates
//! (`GeospatialQuery::NearestCandidatesWithAlternativeFromBigComponent`), so:
//!
//! - **Where three or more roads meet**, or at a dead end, each segment is its own
//!   edge-based node: a trip to the point ends on any segment into the node, and a
//!   trip from it starts on any segment out of it, neither paying the node's turn
//!   (its angle, obstacle or U-turn penalty).
//! - **Where exactly two roads meet**, OSRM compresses the node into one edge-based
//!   node (`GraphCompressor::Compress`), its obstacle (`barrier=gate` 60 s, traffic
//!   signals, stop, give way: `Obstacles` that are not `Incompressible`) becoming a
//!   penalty between the two segments (`CompressedEdgeContainer::CompressEdge`); of
//!   the candidates of one edge-based node it keeps one, the segment *before* the node
//!   (the lower `fwd_segment_position`). The point then lies before the obstacle: a
//!   trip to it arrives on a segment into the node without the penalty, a trip from
//!   it leaves through the node's turn and pays it (never a U-turn there). On a
//!   one-way road this is exactly OSRM's answer (Andorra's lift gate on the one-way
//!   parking aisle 383735806: arriving free, leaving 60 s); on a two-way road OSRM's
//!   "before" is the direction of its compressed geometry, which follows its internal
//!   node order: there we arrive free from both sides and leave paying towards both,
//!   so one of the two directions differs from OSRM by the obstacle's penalty. OSRM
//!   compresses the node only when its two segments are compatible (same name,
//!   flags, mode…, else it is an intersection as above); we treat every node where two
//!   roads meet alike.
//!
//! [`Phantom::at_node`] (a graph node given as such, as the planner's node tables
//! and [`RoadGraph::shortest_paths`] take them) keeps the first rule everywhere: its
//! trips start and end on the node without its turn.

use tournee_model::LonLat;

pub(crate) use crate::cost::{pack, part, time_of, unpack, Packed, ENTRY, INF, ZERO};
use crate::graph::{NodeIdx, RoadGraph};
use crate::matrix::Matrix;

/// A point placed on the graph: on the segment between nodes `a` and `b`
/// (`a < b`), at `fraction` of the way from `a` to `b`; or exactly on node `a`
/// (`a == b`, [`Phantom::at_node`]).
///
/// Searches run on states (directed segments, [`crate::turns`]): a trip from the
/// point starts on the segment's states it may drive (the rest of the segment), and a
/// trip to it ends on the states that turn into the segment (the turn, then the part
/// of the segment up to the point). A point on a node ends on any segment into it
/// without a turn, and starts as the module doc says ([`Phantom::at_node`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Phantom {
    pub a: NodeIdx,
    pub b: NodeIdx,
    /// 0 at `a`, 1 at `b`.
    pub fraction: f64,
    /// Cost of the edge a→b, when a car may drive that way.
    forward: Option<Packed>,
    /// Cost of the edge b→a.
    backward: Option<Packed>,
    /// On node `a` itself.
    on_node: bool,
    /// On a node: the least cost of its turn when a trip leaves it (0 but where
    /// two roads meet, [`Phantom::at_node`]).
    leave: Packed,
    /// Where a trip from the point enters the graph: (state, cost to its end).
    source: Vec<(u32, Packed)>,
    /// Where a trip to the point leaves the graph: (state, cost from its end).
    target: Vec<(u32, Packed)>,
    /// Where the point lands on the road.
    pub point: LonLat,
    /// From the input point to `point`, in metres.
    pub distance_m: f64,
    /// The segment is restricted (`access=destination`…, [`crate::turns`]): a trip to
    /// the point enters it, one from it leaves it freely.
    pub restricted: bool,
}

impl Phantom {
    /// Graph node `n` as a point: a trip to it ends on any segment into `n`, and a
    /// trip from it starts on any segment out of it, without a turn at either, as
    /// [`RoadGraph::shortest_paths`] and the node tables of the planner do. (A point
    /// *snapped* exactly onto a node follows OSRM's rule instead, see the module doc.)
    pub fn at_node(g: &RoadGraph, n: NodeIdx, from: LonLat) -> Phantom {
        Self::node_point(g, n, from, false)
    }

    /// A point on graph node `n`; `as_osrm`: a point snapped there, which, where
    /// exactly two roads meet, leaves through the node's turn from a segment into `n`,
    /// paying the node's obstacle (a gate, traffic signals…) but never a U-turn (see
    /// the module doc).
    fn node_point(g: &RoadGraph, n: NodeIdx, from: LonLat, as_osrm: bool) -> Phantom {
        let point = g.coord(n);
        let f = &g.forward;
        let mut source: Vec<(u32, Packed)> = Vec::new();
        let mut leave = INF;
        if as_osrm && g.roads_at(n.0) == 2 {
            let t = &g.turns;
            for &x in g.states_into(n.0) {
                for i in t.out(x) {
                    let y = g.original_state(t.to[i]);
                    if f.head[y as usize] == f.tail[x as usize] {
                        continue;
                    }
                    let turn = g.turn_cost(x, t.to[i], t.turn_ds[i]);
                    leave = leave.min(turn);
                    source.push((y, turn.saturating_add(g.arc(y as usize))));
                }
            }
        }
        // OSRM compresses the node only where the road goes on through it alike
        // (each segment out of it follows one into it, the same restricted flag,
        // `GraphCompressor::Compress`); elsewhere it is an intersection.
        let outs = f.edges(n.0);
        let through = outs
            .clone()
            .all(|e| source.iter().any(|&(y, _)| y as usize == e))
            && outs
                .map(|e| f.restricted[e])
                .chain(g.states_into(n.0).iter().map(|&s| f.restricted[s as usize]))
                .collect::<std::collections::BTreeSet<bool>>()
                .len()
                == 1;
        if !through {
            leave = ZERO;
            source = f.edges(n.0).map(|e| (e as u32, g.arc(e))).collect();
        }
        Phantom {
            a: n,
            b: n,
            fraction: 0.0,
            forward: None,
            backward: None,
            on_node: true,
            leave,
            source,
            target: g.states_into(n.0).iter().map(|&s| (s, ZERO)).collect(),
            point,
            distance_m: from.distance_m(&point),
            restricted: false,
        }
    }

    pub(crate) fn on_segment(
        g: &RoadGraph,
        a: NodeIdx,
        b: NodeIdx,
        fraction: f64,
        point: LonLat,
        distance_m: f64,
    ) -> Phantom {
        // Exactly on an end node: on every segment of that node alike (OSRM 26 snaps
        // to all the segments nearest to the point, and all of a node's are).
        if fraction <= 0.0 || fraction >= 1.0 || a == b {
            let n = if fraction >= 1.0 { b } else { a };
            return Phantom {
                distance_m,
                ..Phantom::node_point(g, n, point, true)
            };
        }
        let f = &g.forward;
        let (mut source, mut target) = (Vec::new(), Vec::new());
        let mut side = |s: Option<u32>, ahead: f64| {
            let s = s?;
            let w = g.arc(s as usize);
            source.push((s, part(w, ahead)));
            let behind = part(w, 1.0 - ahead);
            let t = &g.turns;
            // Into the segment's state or, after a via-way restriction's path, a
            // copy of it ([`crate::turns`]).
            for y in std::iter::once(s).chain(t.copies_of(s)) {
                for (x, turn_ds) in g.turns_into(y) {
                    target.push((x, g.turn_cost(x, y, turn_ds) + behind));
                }
            }
            Some(w)
        };
        let (ab, ba) = (g.edge_state(a.0, b.0), g.edge_state(b.0, a.0));
        let forward = side(ab, 1.0 - fraction);
        let backward = side(ba, fraction);
        let restricted = [ab, ba]
            .into_iter()
            .flatten()
            .any(|s| f.restricted[s as usize]);
        Phantom {
            a,
            b,
            fraction,
            forward,
            backward,
            on_node: false,
            leave: ZERO,
            source,
            target,
            point,
            distance_m,
            restricted,
        }
    }

    /// Where a trip from this point enters the graph: (state, cost to its end).
    pub(crate) fn source_seeds(&self) -> &[(u32, Packed)] {
        &self.source
    }

    /// Where a trip to this point leaves the graph: (state, cost from its end).
    pub(crate) fn target_seeds(&self) -> &[(u32, Packed)] {
        &self.target
    }

    /// The cost of driving straight to `to` without turning: both on the same
    /// segment (in a direction it allows), or one on a node at an end of the
    /// other's segment.
    pub(crate) fn direct(&self, to: &Phantom) -> Packed {
        let mut best = INF;
        let mut consider = |w: Option<Packed>, f: f64| {
            if let Some(w) = w {
                best = best.min(part(w, f));
            }
        };
        match (self.on_node, to.on_node) {
            (true, true) => return if self.a == to.a { ZERO } else { INF },
            (true, false) => {
                if to.a == self.a {
                    consider(to.forward, to.fraction);
                }
                if to.b == self.a {
                    consider(to.backward, 1.0 - to.fraction);
                }
                return best.saturating_add(self.leave);
            }
            (false, true) => {
                if self.b == to.a {
                    consider(self.forward, 1.0 - self.fraction);
                }
                if self.a == to.a {
                    consider(self.backward, self.fraction);
                }
            }
            (false, false) => {
                if (self.a, self.b) == (to.a, to.b) {
                    if self.fraction <= to.fraction {
                        consider(self.forward, to.fraction - self.fraction);
                    }
                    if self.fraction >= to.fraction {
                        consider(self.backward, self.fraction - to.fraction);
                    }
                }
            }
        }
        best
    }
}

/// Builds a [`Matrix`] from packed rows, with the same-segment shortcut of each cell.
pub(crate) fn finish(sources: &[Phantom], targets: &[Phantom], rows: Vec<Vec<Packed>>) -> Matrix {
    let mut cells = Vec::with_capacity(sources.len() * targets.len());
    for (s, row) in sources.iter().zip(rows) {
        for (t, via) in targets.iter().zip(row) {
            let best = via.min(s.direct(t));
            cells.push(if best == INF {
                (u32::MAX, u32::MAX)
            } else {
                unpack(best)
            });
        }
    }
    Matrix::from_cells(sources.len(), targets.len(), cells)
}

/// Runs `row(source index)` for every source on all available cores, in order.
pub(crate) fn parallel_rows<F>(n: usize, row: F) -> Vec<Vec<Packed>>
where
    F: Fn(usize) -> Vec<Packed> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = n.div_ceil(threads).max(1);
    let mut rows: Vec<Vec<Packed>> = vec![Vec::new(); n];
    std::thread::scope(|scope| {
        for (c, out) in rows.chunks_mut(chunk).enumerate() {
            let row = &row;
            scope.spawn(move || {
                for (k, r) in out.iter_mut().enumerate() {
                    *r = row(c * chunk + k);
                }
            });
        }
    });
    rows
}

impl RoadGraph {
    /// Fewest-entries-then-least-weight costs ([`Packed`]) from `seeds` to the end of
    /// every state (plain Dijkstra along turns), or, backward, from the end of every
    /// state to `seeds`; states whose time passes `limit_ds` are not expanded (so a
    /// bounded search keeps, of the paths within the limit, the best it finds: the
    /// unbounded search's, unless that one is over the limit and a path entering more
    /// restricted areas is not).
    pub(crate) fn packed_search(
        &self,
        seeds: &[(u32, Packed)],
        backward: bool,
        limit_ds: u64,
    ) -> Vec<Packed> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let t = &self.turns;
        let mut cost = vec![INF; self.state_count()];
        let mut heap = BinaryHeap::new();
        for &(v, c) in seeds {
            if c < cost[v as usize] {
                cost[v as usize] = c;
                heap.push(Reverse((c, v)));
            }
        }
        let relax = |cost: &mut Vec<Packed>, heap: &mut BinaryHeap<_>, w: u32, nc: Packed| {
            if time_of(nc) <= limit_ds && nc < cost[w as usize] {
                cost[w as usize] = nc;
                heap.push(Reverse((nc, w)));
            }
        };
        while let Some(Reverse((c, x))) = heap.pop() {
            if c > cost[x as usize] {
                continue;
            }
            if backward {
                let arc = self.arc(x as usize);
                let r = t.reverse();
                for i in r.into(x) {
                    let w = r.from[i];
                    let turn = self.turn_cost(w, x, r.turn_ds[i]);
                    relax(&mut cost, &mut heap, w, c.saturating_add(arc + turn));
                }
            } else {
                for i in t.out(x) {
                    let y = t.to[i];
                    let turn = self.turn_cost(x, y, t.turn_ds[i]);
                    let arc = self.arc(y as usize);
                    relax(&mut cost, &mut heap, y, c.saturating_add(turn + arc));
                }
            }
        }
        cost
    }

    /// The table between phantom points by one plain Dijkstra per source, in
    /// parallel: the reference every faster engine is tested against.
    pub fn table_dijkstra(&self, sources: &[Phantom], targets: &[Phantom]) -> Matrix {
        let target_seeds: Vec<&[(u32, Packed)]> =
            targets.iter().map(Phantom::target_seeds).collect();
        let rows = parallel_rows(sources.len(), |i| {
            let cost = self.packed_search(sources[i].source_seeds(), false, u64::MAX);
            target_seeds
                .iter()
                .map(|seeds| {
                    seeds
                        .iter()
                        .map(|&(v, c)| cost[v as usize].saturating_add(c))
                        .min()
                        .unwrap_or(INF)
                })
                .collect()
        });
        finish(sources, targets, rows)
    }
}
