//! The turn graph with its one-way runs merged: most search states (directed road
//! segments) have a single turn out, into a state that has a single turn in (the
//! shape points of a road, where a car can only drive on). Such a run of states is a
//! *chain*; the contraction hierarchy's nodes are the chains, not the states (on
//! the shared extracts, about one node for ten states), as OSRM's compressed
//! edge-based graph merges the segments between junctions.
//!
//! A chain's cost label is the cost to the end of its last state. Its edges come
//! from the turns out of its last state, costing the turn, the state turned into
//! and the rest of that state's chain.
//!
//! - A trip from a point starting on state `x` (cost `c` to its end) can only drive
//!   on along `x`'s chain: it starts on the chain with `c` plus the cost from `x`'s
//!   end to the chain's end ([`Chains::source`]).
//! - A trip ending after state `x` (the seed's cost `c` from `x`'s end on) ends on
//!   `x`'s chain when `x` is its last state; otherwise it entered the chain through
//!   one of the turns into its first state, so it ends on the chain turned from, with
//!   the cost from there to `x`'s end ([`Chains::target`]).
//! - A trip that starts and ends on the same chain, the start before the end, may
//!   also drive straight along it ([`Chains::along`]).
//!
//! Together these give exactly the costs of a search over the states.

use crate::graph::RoadGraph;
use crate::table::{Packed, INF, ZERO};

const NONE: u32 = u32::MAX;

/// A chain is cut before its cost reaches this (16 restricted entries): the costs
/// along it are differences of sums that must not saturate ([`crate::table`]).
const CHAIN_COST_LIMIT: Packed = Packed::entries(16);

/// The chains of a turn graph, and the costs that tie states to them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chains {
    /// The chain of each state.
    chain_of: Vec<u32>,
    /// The state's place in its chain (0 for the first).
    pos: Vec<u32>,
    /// The cost from the end of the state to the end of its chain.
    to_end: Vec<Packed>,
    /// Each chain's last state.
    last: Vec<u32>,
    /// The turns into each chain's first state (chains of one state have none
    /// listed: they are never needed): `entry_from[entry_first[c]..entry_first[c +
    /// 1]]`, the chain turned from, with the cost from its end to the end of `c`.
    entry_first: Vec<u32>,
    entry_from: Vec<u32>,
    entry_cost: Vec<Packed>,
}

/// The merged turns out of and into each state: (other state, cheapest cost), self
/// turns left out (they never shorten a path).
fn distinct(list: &mut Vec<(u32, Packed)>, itself: u32) {
    list.retain(|&(w, _)| w != itself);
    list.sort_unstable();
    list.dedup_by(|b, a| a.0 == b.0);
}

impl Chains {
    /// The chains of `g`'s turn graph, and the edges between chains:
    /// `(from chain, to chain, cost)`, sorted, parallel ones merged.
    pub(crate) fn of(g: &RoadGraph) -> (Chains, Vec<(u32, u32, Packed)>) {
        let n = g.state_count();
        let t = &g.turns;
        // The states `x` turns into, with the cost of the turn and of the state.
        let turns_out = |x: u32, list: &mut Vec<(u32, Packed)>| {
            list.clear();
            list.extend(t.out(x).map(|i| {
                (
                    t.to[i],
                    g.turn_cost(x, t.to[i], t.turn_ds[i]) + g.arc(t.to[i] as usize),
                )
            }));
            distinct(list, x);
        };
        let mut list = Vec::new();
        // The single state each state turns into (NONE: none or several), and the
        // number of states turning into each (capped at 2).
        let mut next = vec![NONE; n];
        let mut link = vec![ZERO; n];
        let mut in_count = vec![0u8; n];
        for x in 0..n as u32 {
            turns_out(x, &mut list);
            for &(y, _) in &list {
                let k = &mut in_count[y as usize];
                *k = k.saturating_add(1).min(2);
            }
            if let [(y, c)] = list[..] {
                next[x as usize] = y;
                link[x as usize] = c;
            }
        }
        // x → next[x] is inside a chain when next[x] has no other way in.
        let inside = |x: u32| {
            let y = next[x as usize];
            y != NONE && in_count[y as usize] == 1
        };
        let mut starts_inside = vec![false; n];
        for x in 0..n as u32 {
            if inside(x) {
                starts_inside[next[x as usize] as usize] = true;
            }
        }
        let mut chains = Chains {
            chain_of: vec![NONE; n],
            pos: vec![0; n],
            to_end: vec![ZERO; n],
            ..Chains::default()
        };
        let mut members = Vec::new();
        // Walks a chain from `start`; returns where the next one starts when the
        // chain is cut for its cost.
        let mut walk = |chains: &mut Chains, start: u32| -> Option<u32> {
            let c = chains.last.len() as u32;
            members.clear();
            let mut x = start;
            let mut total = ZERO;
            let cut = loop {
                chains.chain_of[x as usize] = c;
                chains.pos[x as usize] = members.len() as u32;
                members.push(x);
                if !inside(x) {
                    break None;
                }
                let y = next[x as usize];
                if chains.chain_of[y as usize] != NONE {
                    break None; // back at the start of a closed run
                }
                total = total.saturating_add(link[x as usize]);
                if total >= CHAIN_COST_LIMIT {
                    break Some(y);
                }
                x = y;
            };
            let mut acc = ZERO;
            for w in members.windows(2).rev() {
                acc += link[w[0] as usize];
                chains.to_end[w[0] as usize] = acc;
            }
            chains
                .last
                .push(*members.last().expect("a chain has a state"));
            cut
        };
        // Open runs from their first state, then closed ones (every state turning
        // into the next) from their lowest state.
        for x in 0..n as u32 {
            let mut start = (!starts_inside[x as usize]).then_some(x);
            while let Some(s) = start {
                start = walk(&mut chains, s);
            }
        }
        for x in 0..n as u32 {
            let mut start = (chains.chain_of[x as usize] == NONE).then_some(x);
            while let Some(s) = start {
                start = walk(&mut chains, s);
            }
        }
        drop((next, link, in_count, starts_inside));
        // Edges between chains, from the turns out of each chain's last state; the
        // same turns are the entries into the longer chains they lead into.
        let chain_count = chains.last.len();
        let mut edges = Vec::new();
        let mut entries: Vec<(u32, u32, Packed)> = Vec::new();
        for c in 0..chain_count as u32 {
            let x = chains.last[c as usize];
            turns_out(x, &mut list);
            for &(y, cost) in &list {
                let d = chains.chain_of[y as usize];
                debug_assert_eq!(
                    chains.pos[y as usize], 0,
                    "turns out of a chain enter a chain"
                );
                let cost = cost.saturating_add(chains.to_end[y as usize]);
                if d != c {
                    edges.push((c, d, cost));
                }
                if chains.last[d as usize] != y {
                    entries.push((d, c, cost));
                }
            }
        }
        edges.sort_unstable();
        edges.dedup_by(|b, a| (a.0, a.1) == (b.0, b.1));
        entries.sort_unstable();
        entries.dedup_by(|b, a| (a.0, a.1) == (b.0, b.1));
        let mut first = vec![0u32; chain_count + 1];
        for e in &entries {
            first[e.0 as usize + 1] += 1;
        }
        for c in 0..chain_count {
            first[c + 1] += first[c];
        }
        chains.entry_first = first;
        chains.entry_from = entries.iter().map(|e| e.1).collect();
        chains.entry_cost = entries.iter().map(|e| e.2).collect();
        (chains, edges)
    }

    /// Number of chains.
    pub(crate) fn len(&self) -> usize {
        self.last.len()
    }

    /// A trip's start on state `x`, `c` to its end, as a start on its chain.
    pub(crate) fn source(&self, (x, c): (u32, Packed), out: &mut Vec<(u32, Packed)>) {
        out.push((
            self.chain_of[x as usize],
            c.saturating_add(self.to_end[x as usize]),
        ));
    }

    /// A trip's end after state `x`, `c` from its end on, as ends after chains.
    pub(crate) fn target(&self, (x, c): (u32, Packed), out: &mut Vec<(u32, Packed)>) {
        let chain = self.chain_of[x as usize];
        if self.last[chain as usize] == x {
            out.push((chain, c));
            return;
        }
        let range = self.entry_first[chain as usize] as usize
            ..self.entry_first[chain as usize + 1] as usize;
        let back = self.to_end[x as usize];
        for e in range {
            // From the end of the chain turned from to the end of x.
            let to_x = self.entry_cost[e] - back;
            out.push((self.entry_from[e], to_x.saturating_add(c)));
        }
    }

    /// The cost of driving straight along one chain from a start seed to an end
    /// seed (the start's state at or before the end's), or [`INF`].
    pub(crate) fn along(&self, sources: &[(u32, Packed)], targets: &[(u32, Packed)]) -> Packed {
        let mut best = INF;
        for &(x, cx) in sources {
            let chain = self.chain_of[x as usize];
            for &(y, cy) in targets {
                if self.chain_of[y as usize] == chain
                    && self.pos[x as usize] <= self.pos[y as usize]
                {
                    let between = self.to_end[x as usize] - self.to_end[y as usize];
                    best = best.min(cx.saturating_add(between).saturating_add(cy));
                }
            }
        }
        best
    }
}
