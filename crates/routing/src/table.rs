//! Drive-time tables between points that lie anywhere on a road, as OSRM's table
//! service computes them: each point is snapped to the nearest point of the nearest
//! road segment (a *phantom* node part-way along an edge), and a trip from or to it
//! starts or ends there with the matching fraction of the edge's time and length.
//!
//! Costs are compared lexicographically: fastest first, then the shortest among
//! the fastest. Packed into one `u64` (time in deciseconds in the high half, length
//! in decimetres in the low half), that order is the integer order and sums stay
//! exact, so every engine (plain Dijkstra here, contraction hierarchies in
//! [`crate::ch`]) returns the same time *and* distance for every cell.

use tournee_model::LonLat;

use crate::graph::{NodeIdx, RoadGraph};
use crate::matrix::Matrix;

/// A cost: `time_ds << 32 | dist_dm`.
pub(crate) type Packed = u64;

pub(crate) const INF: Packed = u64::MAX;

pub(crate) fn pack(time_ds: u32, dist_dm: u32) -> Packed {
    ((time_ds as u64) << 32) | dist_dm as u64
}

pub(crate) fn unpack(w: Packed) -> (u32, u32) {
    ((w >> 32) as u32, w as u32)
}

/// A point placed on the graph: on the segment between nodes `a` and `b`
/// (`a < b`), at `fraction` of the way from `a` to `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phantom {
    pub a: NodeIdx,
    pub b: NodeIdx,
    /// 0 at `a`, 1 at `b`.
    pub fraction: f64,
    /// Time (ds) and length (dm) of the edge a→b, when a car may drive that way.
    forward: Option<(u32, u32)>,
    /// Time and length of the edge b→a.
    backward: Option<(u32, u32)>,
    /// Where the point lands on the road.
    pub point: LonLat,
    /// From the input point to `point`, in metres.
    pub distance_m: f64,
}

fn part((t, d): (u32, u32), f: f64) -> Packed {
    pack((t as f64 * f).round() as u32, (d as f64 * f).round() as u32)
}

impl Phantom {
    /// A point exactly on graph node `n`.
    pub fn at_node(g: &RoadGraph, n: NodeIdx, from: LonLat) -> Phantom {
        let point = g.coord(n);
        Phantom {
            a: n,
            b: n,
            fraction: 0.0,
            forward: Some((0, 0)),
            backward: None,
            point,
            distance_m: from.distance_m(&point),
        }
    }

    pub(crate) fn on_segment(
        a: NodeIdx,
        b: NodeIdx,
        fraction: f64,
        forward: Option<(u32, u32)>,
        backward: Option<(u32, u32)>,
        point: LonLat,
        distance_m: f64,
    ) -> Phantom {
        Phantom {
            a,
            b,
            fraction,
            forward,
            backward,
            point,
            distance_m,
        }
    }

    /// A point at an end of its segment is on that node, whatever the segment's
    /// direction: any road from or to the node may be used at no extra cost.
    fn at_end(&self) -> Vec<(u32, Packed)> {
        let mut seeds = Vec::with_capacity(3);
        if self.fraction <= 0.0 {
            seeds.push((self.a.0, 0));
        } else if self.fraction >= 1.0 {
            seeds.push((self.b.0, 0));
        }
        seeds
    }

    /// Where a trip from this point enters the graph: (node, cost to reach it).
    pub(crate) fn source_seeds(&self) -> Vec<(u32, Packed)> {
        let mut seeds = self.at_end();
        if let Some(w) = self.forward {
            seeds.push((self.b.0, part(w, 1.0 - self.fraction)));
        }
        if let Some(w) = self.backward {
            seeds.push((self.a.0, part(w, self.fraction)));
        }
        seeds
    }

    /// Where a trip to this point leaves the graph: (node, cost from it).
    pub(crate) fn target_seeds(&self) -> Vec<(u32, Packed)> {
        let mut seeds = self.at_end();
        if let Some(w) = self.forward {
            seeds.push((self.a.0, part(w, self.fraction)));
        }
        if let Some(w) = self.backward {
            seeds.push((self.b.0, part(w, 1.0 - self.fraction)));
        }
        seeds
    }

    /// The cost of driving straight along the shared segment to `to`, when both
    /// points are on the same segment and its direction allows it.
    pub(crate) fn direct(&self, to: &Phantom) -> Packed {
        if (self.a, self.b) != (to.a, to.b) {
            return INF;
        }
        let mut best = INF;
        if let Some(w) = self.forward {
            if self.fraction <= to.fraction {
                best = best.min(part(w, to.fraction - self.fraction));
            }
        }
        if let Some(w) = self.backward {
            if self.fraction >= to.fraction {
                best = best.min(part(w, self.fraction - to.fraction));
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
    /// Fastest-then-shortest costs from `seeds` to every node (plain Dijkstra).
    pub(crate) fn packed_search(&self, seeds: &[(u32, Packed)]) -> Vec<Packed> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let csr = &self.forward;
        let mut cost = vec![INF; self.node_count()];
        let mut heap = BinaryHeap::new();
        for &(v, c) in seeds {
            if c < cost[v as usize] {
                cost[v as usize] = c;
                heap.push(Reverse((c, v)));
            }
        }
        while let Some(Reverse((c, v))) = heap.pop() {
            if c > cost[v as usize] {
                continue;
            }
            for e in csr.edges(v) {
                let w = csr.head[e] as usize;
                let nc = c + pack(csr.time_ds[e], csr.dist_dm[e]);
                if nc < cost[w] {
                    cost[w] = nc;
                    heap.push(Reverse((nc, w as u32)));
                }
            }
        }
        cost
    }

    /// The table between phantom points by one plain Dijkstra per source, in
    /// parallel: the reference every faster engine is tested against.
    pub fn table_dijkstra(&self, sources: &[Phantom], targets: &[Phantom]) -> Matrix {
        let target_seeds: Vec<Vec<(u32, Packed)>> =
            targets.iter().map(Phantom::target_seeds).collect();
        let rows = parallel_rows(sources.len(), |i| {
            let cost = self.packed_search(&sources[i].source_seeds());
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
