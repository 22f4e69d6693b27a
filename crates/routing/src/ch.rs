//! Contraction hierarchies on the turn graph (its nodes are the search states of
//! [`crate::turns`], its edges the turns): the graph is preprocessed once (nodes contracted one by
//! one, least important first, with shortcut edges where a shortest path would be
//! lost), then a many-to-many table costs one small upward search per source and per
//! target instead of one search of the whole graph per source.
//!
//! - **Ordering**: priority = 2 × edge difference (shortcuts added − edges removed)
//!   plus the number of contracted neighbours; lazy updates (a popped node's priority is recomputed
//!   and it goes back in the queue if it is no longer the smallest). Ties go to the
//!   lower node index, so the hierarchy is deterministic.
//! - **Witness searches**: a Dijkstra from each in-neighbour that skips the node
//!   being contracted, stopped past the longest candidate shortcut or after
//!   [`WITNESS_SETTLE_LIMIT`] settled nodes; a search cut short only adds
//!   superfluous shortcuts, never a wrong cost.
//! - **Costs** are the packed (restricted entries, time, distance) of
//!   [`crate::table`]: a shortcut carries the entries, time and length of the best
//!   path it stands for, so tables give time and length equal to plain Dijkstra's.
//! - **Many-to-many** (bucket method): a backward upward search from every target
//!   leaves (target, cost) in a bucket at each node it settles; a forward upward
//!   search from every source scans the buckets of the nodes it settles; both
//!   searches stall on demand. Both phases run in parallel (targets, then
//!   sources, split across cores).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::RoadGraph;
use crate::matrix::Matrix;
use crate::table::{finish, pack, Packed, Phantom, INF};

/// Nodes a witness search may settle before it gives up (and keeps the shortcut).
pub const WITNESS_SETTLE_LIMIT: usize = 400;

/// Upward adjacency (CSR): for each node, edges to nodes contracted after it.
#[derive(Debug, Clone, Default)]
struct Upward {
    first: Vec<u32>,
    head: Vec<u32>,
    cost: Vec<Packed>,
}

impl Upward {
    fn build(lists: Vec<Vec<(u32, Packed)>>) -> Upward {
        let mut up = Upward {
            first: Vec::with_capacity(lists.len() + 1),
            ..Upward::default()
        };
        up.first.push(0);
        for list in lists {
            for (h, c) in list {
                up.head.push(h);
                up.cost.push(c);
            }
            up.first.push(up.head.len() as u32);
        }
        up
    }

    fn edges(&self, v: u32) -> std::ops::Range<usize> {
        self.first[v as usize] as usize..self.first[v as usize + 1] as usize
    }
}

/// What preprocessing produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChStats {
    pub nodes: usize,
    /// Original edges (parallel edges merged).
    pub edges: usize,
    pub shortcuts: usize,
}

/// A contracted road graph, ready for many-to-many tables.
#[derive(Debug, Clone)]
pub struct ContractionHierarchy {
    /// Edges v→w with w contracted after v, stored at v (forward searches).
    forward_up: Upward,
    /// Edges u→v with u contracted after v, stored at v as (u, cost) (backward
    /// searches).
    backward_up: Upward,
    pub stats: ChStats,
}

/// Reusable Dijkstra state: costs, the nodes touched, a heap.
struct Search {
    cost: Vec<Packed>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Packed, u32)>>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            cost: vec![INF; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.cost[v as usize] = INF;
        }
        self.touched.clear();
        self.heap.clear();
    }

    fn relax(&mut self, v: u32, c: Packed) {
        let slot = &mut self.cost[v as usize];
        if c < *slot {
            if *slot == INF {
                self.touched.push(v);
            }
            *slot = c;
            self.heap.push(Reverse((c, v)));
        }
    }

    /// Settles every node reachable upward from `seeds` and calls
    /// `settled(v, cost)`, except for nodes *stalled on demand*: a node that an
    /// already labelled higher node reaches more cheaply through an edge of the
    /// other direction (`down`) is on no shortest up-down path with this label, so
    /// it is neither reported nor expanded.
    fn upward(
        &mut self,
        up: &Upward,
        down: &Upward,
        seeds: &[(u32, Packed)],
        mut settled: impl FnMut(u32, Packed),
    ) {
        self.reset();
        for &(v, c) in seeds {
            self.relax(v, c);
        }
        while let Some(Reverse((c, v))) = self.heap.pop() {
            if c > self.cost[v as usize] {
                continue;
            }
            let stalled = down.edges(v).any(|e| {
                let u = self.cost[down.head[e] as usize];
                u != INF && u.saturating_add(down.cost[e]) < c
            });
            if stalled {
                continue;
            }
            settled(v, c);
            for e in up.edges(v) {
                self.relax(up.head[e], c.saturating_add(up.cost[e]));
            }
        }
    }
}

/// The graph during contraction: adjacency among nodes not yet contracted.
struct Dynamic {
    out: Vec<Vec<(u32, Packed)>>,
    inc: Vec<Vec<(u32, Packed)>>,
}

/// Adds or lowers the cost of the edge to `to` in `list`.
fn upsert(list: &mut Vec<(u32, Packed)>, to: u32, c: Packed) {
    match list.iter_mut().find(|(h, _)| *h == to) {
        Some(e) => e.1 = e.1.min(c),
        None => list.push((to, c)),
    }
}

impl Dynamic {
    /// The shortcuts contracting `v` needs now: (from, to, cost).
    fn shortcuts(&self, v: u32, search: &mut Search, out: &mut Vec<(u32, u32, Packed)>) {
        out.clear();
        let outs = &self.out[v as usize];
        if outs.is_empty() {
            return;
        }
        for &(u, cu) in &self.inc[v as usize] {
            let limit = outs
                .iter()
                .filter(|(w, _)| *w != u)
                .map(|(_, cw)| cu.saturating_add(*cw))
                .max();
            let Some(limit) = limit else { continue };
            // Witness search from u, avoiding v.
            search.reset();
            search.relax(u, 0);
            let mut settled = 0;
            while let Some(Reverse((c, x))) = search.heap.pop() {
                if c > search.cost[x as usize] {
                    continue;
                }
                if c > limit || settled >= WITNESS_SETTLE_LIMIT {
                    break;
                }
                settled += 1;
                for &(y, cy) in &self.out[x as usize] {
                    if y != v {
                        search.relax(y, c.saturating_add(cy));
                    }
                }
            }
            for &(w, cw) in outs {
                let through = cu.saturating_add(cw);
                if w != u && search.cost[w as usize] > through {
                    out.push((u, w, through));
                }
            }
        }
    }
}

impl ContractionHierarchy {
    /// Contracts `g`'s turn graph: its nodes are the search states (directed road
    /// segments), its edges the turns, costing the turn's penalty plus the time and
    /// length of the segment turned into (fastest-then-shortest).
    pub fn build(g: &RoadGraph) -> ContractionHierarchy {
        let n = g.state_count();
        let (f, t) = (&g.forward, &g.turns);
        let mut dynamic = Dynamic {
            out: vec![Vec::new(); n],
            inc: vec![Vec::new(); n],
        };
        for v in 0..n as u32 {
            for i in t.out(v) {
                let w = t.to[i];
                if w != v {
                    let y = w as usize;
                    let c = g.turn_cost(v, w, t.turn_ds[i]) + pack(f.time_ds[y], f.dist_dm[y]);
                    upsert(&mut dynamic.out[v as usize], w, c);
                    upsert(&mut dynamic.inc[w as usize], v, c);
                }
            }
        }
        let edges = dynamic.out.iter().map(Vec::len).sum();
        let mut search = Search::new(n);
        let mut found = Vec::new();
        let mut deleted = vec![0i64; n];
        let mut contracted = vec![false; n];
        let priority = |d: &Dynamic, v: u32, deleted: i64, s: &mut Search, f: &mut Vec<_>| {
            d.shortcuts(v, s, f);
            let removed = (d.out[v as usize].len() + d.inc[v as usize].len()) as i64;
            2 * (f.len() as i64 - removed) + deleted
        };
        let mut queue: BinaryHeap<Reverse<(i64, u32)>> = (0..n as u32)
            .map(|v| Reverse((priority(&dynamic, v, 0, &mut search, &mut found), v)))
            .collect();
        let mut fwd: Vec<Vec<(u32, Packed)>> = vec![Vec::new(); n];
        let mut bwd: Vec<Vec<(u32, Packed)>> = vec![Vec::new(); n];
        let mut shortcuts = 0;
        while let Some(Reverse((_, v))) = queue.pop() {
            if contracted[v as usize] {
                continue;
            }
            let now = priority(&dynamic, v, deleted[v as usize], &mut search, &mut found);
            if let Some(Reverse((next, _))) = queue.peek() {
                if now > *next {
                    queue.push(Reverse((now, v)));
                    continue;
                }
            }
            // `found` holds v's shortcuts, computed just now.
            contracted[v as usize] = true;
            shortcuts += found.len();
            for &(u, w, c) in &found {
                upsert(&mut dynamic.out[u as usize], w, c);
                upsert(&mut dynamic.inc[w as usize], u, c);
            }
            let outs = std::mem::take(&mut dynamic.out[v as usize]);
            let ins = std::mem::take(&mut dynamic.inc[v as usize]);
            for &(w, _) in &outs {
                dynamic.inc[w as usize].retain(|(h, _)| *h != v);
                deleted[w as usize] += 1;
            }
            for &(u, _) in &ins {
                dynamic.out[u as usize].retain(|(h, _)| *h != v);
                deleted[u as usize] += 1;
            }
            fwd[v as usize] = outs;
            bwd[v as usize] = ins;
        }
        for list in fwd.iter_mut().chain(bwd.iter_mut()) {
            list.sort_unstable();
        }
        ContractionHierarchy {
            forward_up: Upward::build(fwd),
            backward_up: Upward::build(bwd),
            stats: ChStats {
                nodes: n,
                edges,
                shortcuts,
            },
        }
    }

    fn node_count(&self) -> usize {
        self.forward_up.first.len() - 1
    }

    /// The table between phantom points (rows = sources, columns = targets), equal
    /// to [`RoadGraph::table_dijkstra`] in every time and distance.
    pub fn table(&self, sources: &[Phantom], targets: &[Phantom]) -> Matrix {
        let n = self.node_count();
        // Backward phase: buckets (node, target, cost), in parallel over targets.
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        let chunk = targets.len().div_ceil(threads).max(1);
        let mut parts: Vec<Vec<(u32, u32, Packed)>> = Vec::new();
        std::thread::scope(|scope| {
            let handles: Vec<_> = targets
                .chunks(chunk)
                .enumerate()
                .map(|(c, ts)| {
                    scope.spawn(move || {
                        let mut search = Search::new(n);
                        let mut entries = Vec::new();
                        for (k, t) in ts.iter().enumerate() {
                            let j = (c * chunk + k) as u32;
                            search.upward(
                                &self.backward_up,
                                &self.forward_up,
                                t.target_seeds(),
                                |v, cost| entries.push((v, j, cost)),
                            );
                        }
                        entries
                    })
                })
                .collect();
            parts = handles
                .into_iter()
                .map(|h| h.join().expect("a bucket thread does not panic"))
                .collect();
        });
        let mut entries: Vec<(u32, u32, Packed)> = parts.into_iter().flatten().collect();
        entries.sort_unstable();
        let mut first = vec![0u32; n + 1];
        for e in &entries {
            first[e.0 as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let buckets: Vec<(u32, Packed)> = entries.iter().map(|e| (e.1, e.2)).collect();

        // Forward phase, in parallel over sources.
        let chunk = sources.len().div_ceil(threads).max(1);
        let mut rows: Vec<Vec<Packed>> = vec![Vec::new(); sources.len()];
        std::thread::scope(|scope| {
            for (c, out) in rows.chunks_mut(chunk).enumerate() {
                let (first, buckets) = (&first, &buckets);
                scope.spawn(move || {
                    let mut search = Search::new(n);
                    for (k, row) in out.iter_mut().enumerate() {
                        let s = &sources[c * chunk + k];
                        let mut best = vec![INF; targets.len()];
                        search.upward(
                            &self.forward_up,
                            &self.backward_up,
                            s.source_seeds(),
                            |v, cost| {
                                let range =
                                    first[v as usize] as usize..first[v as usize + 1] as usize;
                                for &(j, cb) in &buckets[range] {
                                    let total = cost.saturating_add(cb);
                                    if total < best[j as usize] {
                                        best[j as usize] = total;
                                    }
                                }
                            },
                        );
                        *row = best;
                    }
                });
            }
        });
        finish(sources, targets, rows)
    }
}
