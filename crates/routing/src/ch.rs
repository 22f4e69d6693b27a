//! Contraction hierarchies on the turn graph (its nodes are the chains of search
//! states of [`crate::turns`] that a car can only drive through one way, [`chains`],
//! its edges the turns between them): the graph is preprocessed once (nodes
//! contracted least important first, with shortcut edges where a shortest path would
//! be lost), then a many-to-many table costs one small upward search per source and per
//! target instead of one search of the whole graph per source.
//!
//! - **Ordering**: priority = 2 × edge difference (shortcuts added − edges removed)
//!   plus the number of contracted neighbours, ties to the lower node index. Nodes
//!   are contracted in rounds, in parallel: every node whose (priority, index) is
//!   below all its neighbours' (an independent set, as OSRM's contractor takes), then
//!   the neighbours' priorities are recomputed. The hierarchy is deterministic and
//!   does not depend on the number of cores.
//! - **Witness searches**: a Dijkstra from each in-neighbour that skips the node
//!   being contracted and the others of its round, stopped once every candidate
//!   shortcut's head is settled, past the longest candidate shortcut or after
//!   [`WITNESS_SETTLE_LIMIT`] settled nodes; a search cut short only adds
//!   superfluous shortcuts, never a wrong cost.
//! - **Costs** are the packed (restricted entries, weight, time, distance) of
//!   [`crate::table`]: a shortcut carries the entries, weight, time and length of the
//!   best path it stands for, so tables give time and length equal to plain
//!   Dijkstra's.
//! - **Many-to-many** (bucket method): a backward upward search from every target
//!   leaves (target, cost) in a bucket at each node it settles; a forward upward
//!   search from every source scans the buckets of the nodes it settles; both
//!   searches stall on demand. Both phases run in parallel (targets, then
//!   sources, split across cores).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::graph::RoadGraph;
use crate::matrix::Matrix;
use crate::table::{finish, Packed, Phantom, INF, ZERO};

mod chains;

use chains::Chains;

/// Nodes a witness search may settle before it gives up (and keeps the shortcut).
pub const WITNESS_SETTLE_LIMIT: usize = 400;

/// Nodes a witness search may settle when it only estimates a node's priority.
pub const SIMULATION_SETTLE_LIMIT: usize = 30;

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
    /// Search states (directed road segments).
    pub states: usize,
    /// Nodes of the hierarchy: chains of states ([`chains`]).
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
    /// How states map to the hierarchy's nodes.
    chains: Chains,
    pub stats: ChStats,
}

/// Reusable Dijkstra state: costs, the nodes touched, a heap.
struct Search {
    cost: Vec<Packed>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Packed, u32)>>,
    /// Scratch list of shortcuts (contraction).
    found: Vec<(u32, u32, Packed)>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            cost: vec![INF; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            found: Vec::new(),
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
    /// The graph of `n` nodes and `edges` (sorted, no parallel edges, no loops).
    fn of(n: usize, edges: Vec<(u32, u32, Packed)>) -> Dynamic {
        let mut out_count = vec![0u32; n];
        let mut in_count = vec![0u32; n];
        for &(u, w, _) in &edges {
            out_count[u as usize] += 1;
            in_count[w as usize] += 1;
        }
        let mut dynamic = Dynamic {
            out: out_count
                .iter()
                .map(|&k| Vec::with_capacity(k as usize))
                .collect(),
            inc: in_count
                .iter()
                .map(|&k| Vec::with_capacity(k as usize))
                .collect(),
        };
        for (u, w, c) in edges {
            dynamic.out[u as usize].push((w, c));
            dynamic.inc[w as usize].push((u, c));
        }
        dynamic
    }

    /// The shortcuts contracting `v` needs now: (from, to, cost). Witness paths
    /// avoid `v` and every node of `busy` (the nodes contracted in the same round).
    fn shortcuts(
        &self,
        v: u32,
        settle_limit: usize,
        busy: &[bool],
        search: &mut Search,
        out: &mut Vec<(u32, u32, Packed)>,
    ) {
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
            // Witness search from u, avoiding v; it stops once every target is
            // settled, past the limit, or after WITNESS_SETTLE_LIMIT nodes.
            let mut targets = outs.iter().filter(|(w, _)| *w != u).count();
            search.reset();
            search.relax(u, ZERO);
            let mut settled = 0;
            while let Some(Reverse((c, x))) = search.heap.pop() {
                if c > search.cost[x as usize] {
                    continue;
                }
                if c > limit || settled >= settle_limit {
                    break;
                }
                settled += 1;
                if x != u && outs.iter().any(|(w, _)| *w == x) {
                    targets -= 1;
                    if targets == 0 {
                        break;
                    }
                }
                for &(y, cy) in &self.out[x as usize] {
                    if y != v && !busy[y as usize] {
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

    /// The contraction order's key of `v`: twice the edge difference (shortcuts
    /// added − edges removed) plus its contracted neighbours.
    fn priority(&self, v: u32, deleted: i64, busy: &[bool], search: &mut Search) -> i64 {
        let mut found = std::mem::take(&mut search.found);
        self.shortcuts(v, SIMULATION_SETTLE_LIMIT, busy, search, &mut found);
        let removed = (self.out[v as usize].len() + self.inc[v as usize].len()) as i64;
        let p = 2 * (found.len() as i64 - removed) + deleted;
        search.found = found;
        p
    }
}

/// Runs `f` on every item of `items` on the thread pool, each thread with its own
/// search (`searches`, one per thread), results in the items' order: the outcome
/// does not depend on the number of threads.
fn par_map<T: Send>(
    items: &[u32],
    searches: &[Mutex<Search>],
    f: impl Fn(u32, &mut Search) -> T + Sync,
) -> Vec<T> {
    let search = |i: usize| searches[i].lock().unwrap_or_else(|e| e.into_inner());
    if items.len() < 64 {
        let mut s = search(0);
        return items.iter().map(|&v| f(v, &mut s)).collect();
    }
    items
        .par_iter()
        .with_min_len(8)
        .map(|&v| {
            let at = rayon::current_thread_index().unwrap_or(0) % searches.len();
            f(v, &mut search(at))
        })
        .collect()
}

impl ContractionHierarchy {
    /// Contracts `g`'s turn graph: its nodes are the search states (directed road
    /// segments), its edges the turns, costing the turn's penalty plus the weight,
    /// time and length of the segment turned into ([`crate::table`]'s order).
    ///
    /// Nodes are contracted in rounds: each round takes every node whose priority
    /// (then index) is below all its neighbours' (an independent set), computes
    /// their shortcuts in parallel (witness paths avoiding the whole set, so that
    /// removing the set at once loses no shortest path), applies them in index
    /// order, then updates the neighbours' priorities in parallel. The hierarchy
    /// does not depend on the number of threads.
    pub fn build(g: &RoadGraph) -> ContractionHierarchy {
        let (chains, edges) = Chains::of(g);
        Self::contract(chains, edges, g.state_count())
    }

    /// [`ContractionHierarchy::build`], dropping the graph as soon as its turns are
    /// copied: the contraction, the stage that needs the most memory, does not hold
    /// the graph too (`tournee matrix` snaps its points first).
    pub fn from_graph(mut g: RoadGraph) -> ContractionHierarchy {
        g.keep_turns_only();
        let (chains, edges) = Chains::of(&g);
        let states = g.state_count();
        drop(g);
        crate::release_freed_memory();
        Self::contract(chains, edges, states)
    }

    fn contract(
        chains: Chains,
        edges: Vec<(u32, u32, Packed)>,
        states: usize,
    ) -> ContractionHierarchy {
        let n = chains.len();
        let edge_count = edges.len();
        let mut dynamic = Dynamic::of(n, edges);
        let searches: Vec<Mutex<Search>> = (0..rayon::current_num_threads().max(1))
            .map(|_| Mutex::new(Search::new(n)))
            .collect();
        let mut busy = vec![false; n];
        let mut deleted = vec![0i64; n];
        let mut contracted = vec![false; n];
        let all: Vec<u32> = (0..n as u32).collect();
        let mut priority: Vec<i64> = {
            let (d, b) = (&dynamic, &busy);
            par_map(&all, &searches, |v, s| d.priority(v, 0, b, s))
        };
        let mut remaining = all;
        let mut fwd: Vec<Vec<(u32, Packed)>> = vec![Vec::new(); n];
        let mut bwd: Vec<Vec<(u32, Packed)>> = vec![Vec::new(); n];
        let mut shortcuts = 0;
        // Nodes whose neighbourhood changed since their priority was computed.
        let mut dirty = vec![false; n];
        let is_minimum = |priority: &[i64], d: &Dynamic, v: u32| {
            let k = (priority[v as usize], v);
            d.out[v as usize]
                .iter()
                .chain(&d.inc[v as usize])
                .all(|&(w, _)| w == v || k < (priority[w as usize], w))
        };
        while !remaining.is_empty() {
            // Candidates: the minima by the priorities known; those whose priority
            // is stale are recomputed (lazy updates), then the set is the minima.
            let candidates: Vec<u32> = remaining
                .iter()
                .copied()
                .filter(|&v| is_minimum(&priority, &dynamic, v))
                .collect();
            let stale: Vec<u32> = candidates
                .iter()
                .copied()
                .filter(|&v| dirty[v as usize])
                .collect();
            let updated = {
                let (d, b, del) = (&dynamic, &busy, &deleted);
                par_map(&stale, &searches, |v, s| {
                    d.priority(v, del[v as usize], b, s)
                })
            };
            for (&v, p) in stale.iter().zip(updated) {
                priority[v as usize] = p;
                dirty[v as usize] = false;
            }
            let set: Vec<u32> = candidates
                .into_iter()
                .filter(|&v| !dirty[v as usize] && is_minimum(&priority, &dynamic, v))
                .collect();
            for &v in &set {
                busy[v as usize] = true;
            }
            let found: Vec<Vec<(u32, u32, Packed)>> = {
                let (d, b) = (&dynamic, &busy);
                par_map(&set, &searches, |v, s| {
                    let mut out = Vec::new();
                    d.shortcuts(v, WITNESS_SETTLE_LIMIT, b, s, &mut out);
                    out
                })
            };
            for (&v, cuts) in set.iter().zip(found) {
                busy[v as usize] = false;
                contracted[v as usize] = true;
                shortcuts += cuts.len();
                for &(u, w, c) in &cuts {
                    upsert(&mut dynamic.out[u as usize], w, c);
                    upsert(&mut dynamic.inc[w as usize], u, c);
                }
                let outs = std::mem::take(&mut dynamic.out[v as usize]);
                let ins = std::mem::take(&mut dynamic.inc[v as usize]);
                for &(w, _) in &outs {
                    dynamic.inc[w as usize].retain(|(h, _)| *h != v);
                }
                for &(u, _) in &ins {
                    dynamic.out[u as usize].retain(|(h, _)| *h != v);
                }
                for &(w, _) in outs.iter().chain(&ins) {
                    deleted[w as usize] += 1;
                    priority[w as usize] += 1;
                    dirty[w as usize] = true;
                }
                fwd[v as usize] = outs;
                bwd[v as usize] = ins;
            }
            remaining.retain(|&v| !contracted[v as usize]);
        }
        drop(dynamic);
        for list in fwd.iter_mut().chain(bwd.iter_mut()) {
            list.sort_unstable();
        }
        ContractionHierarchy {
            forward_up: Upward::build(fwd),
            backward_up: Upward::build(bwd),
            chains,
            stats: ChStats {
                states,
                nodes: n,
                edges: edge_count,
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
                        let mut seeds = Vec::new();
                        for (k, t) in ts.iter().enumerate() {
                            let j = (c * chunk + k) as u32;
                            seeds.clear();
                            for &seed in t.target_seeds() {
                                self.chains.target(seed, &mut seeds);
                            }
                            search.upward(
                                &self.backward_up,
                                &self.forward_up,
                                &seeds,
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
        // One entry per (node, target): a search settles a node once.
        entries.sort_unstable_by_key(|e| (e.0, e.1));
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
                    let mut seeds = Vec::new();
                    for (k, row) in out.iter_mut().enumerate() {
                        let s = &sources[c * chunk + k];
                        // Straight along a chain, then through the hierarchy.
                        let mut best: Vec<Packed> = targets
                            .iter()
                            .map(|t| self.chains.along(s.source_seeds(), t.target_seeds()))
                            .collect();
                        seeds.clear();
                        for &seed in s.source_seeds() {
                            self.chains.source(seed, &mut seeds);
                        }
                        search.upward(&self.forward_up, &self.backward_up, &seeds, |v, cost| {
                            let range = first[v as usize] as usize..first[v as usize + 1] as usize;
                            for &(j, cb) in &buckets[range] {
                                let total = cost.saturating_add(cb);
                                if total < best[j as usize] {
                                    best[j as usize] = total;
                                }
                            }
                        });
                        *row = best;
                    }
                });
            }
        });
        finish(sources, targets, rows)
    }
}
