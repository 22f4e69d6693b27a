//! Via-way turn restrictions: `restriction` relations whose `via` member is one way
//! or several, obeyed as OSRM obeys them.
//!
//! # From the relation to a path (`find_via_way_path`, `src/extractor/extraction_containers.cpp`)
//!
//! The `from` way must start or end where the first via way starts or ends; that
//! shared node orients the first via way, whose other end must be where the next via
//! way starts or ends, and so on; the `to` way must start or end at the last via
//! way's far end. The restriction is then a path of road nodes: the `from` way's node
//! next to the via ways, every node of the via ways in driving order, and the `to`
//! way's node next to them. Several `from` or `to` ways make one path each (as for
//! via nodes). A relation whose ways are missing, split, or do not connect so is not
//! obeyed (counted in [`TurnReport::restrictions_unmatched`]). Which relations a car
//! obeys (`no_*`, `only_*`, `except`, the mode namespaces; conditional ones not) is
//! decided as for via nodes ([`CarTurns::restriction_kind`]).
//!
//! # In the edge-based graph (`RestrictionGraph`, `src/extractor/restriction_graph.cpp`)
//!
//! A car that has driven the `from` segment and then the via segments may not make
//! the last turn (`no_*`), or may make only that one (`only_*`); a car that reached
//! the via ways any other way is free. A state (directed segment) cannot remember
//! where the car came from, so, as OSRM does, every via segment of a restricted path
//! gets a *copy* state: the turn from the `from` segment into the first via segment
//! leads to that segment's copy, the copy turns into the next via segment's copy, and
//! the last copy has every turn of its segment but the restricted ones. Every other
//! turn from a copy leads back to the ordinary states. Paths that share their start
//! share their copies (a trie rooted at the `from` segment), and a copy obeys every
//! restriction whose path ends the way it came (a restriction starting part-way
//! along another one's path, OSRM's "transfer" between restriction paths). Copies
//! keep their segment's time, length, turn penalties and via-node restrictions, so
//! searches (Dijkstra, contraction hierarchies) see them as ordinary states.

use std::collections::HashMap;

use tournee_osm::RawMap;

use super::{Obeyed, TurnModel, TurnReport};
use crate::graph::Csr;

/// A via-way restriction on raw node indices: the path from the `from` way's node
/// next to the via ways, along them, to the `to` way's node next to them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct WayRestriction {
    pub path: Vec<u32>,
    pub only: bool,
}

/// The via-way restrictions a car obeys in `map`, on raw node indices; those that do
/// not resolve to a path are counted as unmatched.
pub(crate) fn way_restrictions(
    map: &RawMap,
    model: &TurnModel,
    report: &mut TurnReport,
) -> Vec<WayRestriction> {
    let Obeyed { kinds, ways } = Obeyed::of(map, model, |r| !r.via_ways.is_empty());
    // A way's nodes, when it is in the map as one piece.
    let whole = |id: i64| match ways.get(&id).map(Vec::as_slice) {
        Some([nodes]) => Some(*nodes),
        _ => None,
    };
    let mut out = Vec::new();
    for (r, only) in kinds {
        let before = out.len();
        for &f in &r.from {
            for &t in &r.to {
                // A way cannot be the via and an end of one restriction (bad data).
                if r.via_ways.contains(&f) || r.via_ways.contains(&t) {
                    continue;
                }
                let (Some(from), Some(to)) = (whole(f), whole(t)) else {
                    continue;
                };
                let via: Option<Vec<&[u32]>> = r.via_ways.iter().map(|&v| whole(v)).collect();
                if let Some(path) = via.and_then(|via| via_way_path(from, &via, to)) {
                    out.push(WayRestriction { path, only });
                }
            }
        }
        if out.len() == before {
            report.restrictions_unmatched += 1;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// OSRM's `find_via_way_path`: the node path from `from` along `via` to `to`, or
/// `None` when the ways do not connect end to end.
fn via_way_path(from: &[u32], via: &[&[u32]], to: &[u32]) -> Option<Vec<u32>> {
    let first = via.first()?;
    if from.len() < 2 || to.len() < 2 || via.iter().any(|w| w.len() < 2) {
        return None;
    }
    let (f0, fl) = (from[0], from[from.len() - 1]);
    let (v0, vl) = (first[0], first[first.len() - 1]);
    // The from way's end it shares with the first via way (its first node tried
    // first, as OSRM's `find_turn_nodes`), and its node before it.
    let (before, shared) = if f0 == v0 || f0 == vl {
        (from[1], f0)
    } else if fl == v0 || fl == vl {
        (from[from.len() - 2], fl)
    } else {
        return None;
    };
    let mut path = vec![before, shared];
    let mut at = shared;
    for way in via {
        let (w0, wl) = (way[0], way[way.len() - 1]);
        if at == w0 {
            path.extend_from_slice(&way[1..]);
            at = wl;
        } else if at == wl {
            path.extend(way[..way.len() - 1].iter().rev());
            at = w0;
        } else {
            return None;
        }
    }
    let next = if at == to[0] {
        to[1]
    } else if at == to[to.len() - 1] {
        to[to.len() - 2]
    } else {
        return None;
    };
    path.push(next);
    // A path must go somewhere: no node twice in a row.
    path.windows(2).all(|w| w[0] != w[1]).then_some(path)
}

/// Appends to `forward` (and to each state's `delay_ds` and `flags`) the copies of
/// states that `restrictions` need, their nodes mapped to graph nodes by `remap`
/// (`u32::MAX`: not in the graph); `forward.first` stays on the ordinary states. A
/// restriction whose path the graph cannot drive (a node dropped, a segment one-way
/// against it) needs none: no car follows it.
pub(crate) fn copy_states(
    forward: &mut Csr,
    delay_ds: &mut Vec<u32>,
    flags: &mut Vec<u8>,
    restrictions: &[WayRestriction],
    remap: &[u32],
) -> ViaWays {
    let state = |f: &Csr, a: u32, b: u32| {
        f.edges(a)
            .filter(|&e| f.head[e] == b)
            .min_by_key(|&e| (f.time_ds[e], f.dist_dm[e], e))
            .map(|e| e as u32)
    };
    let mut paths = Vec::new();
    for r in restrictions {
        let nodes: Option<Vec<u32>> = r
            .path
            .iter()
            .map(|&v| remap.get(v as usize).copied().filter(|&g| g != u32::MAX))
            .collect();
        let Some(nodes) = nodes else { continue };
        let Some((&to, along)) = nodes.split_last() else {
            continue;
        };
        let states: Option<Vec<u32>> = along
            .windows(2)
            .map(|w| state(forward, w[0], w[1]))
            .collect();
        let (Some(states), Some(&last)) = (states, along.last()) else {
            continue;
        };
        if state(forward, last, to).is_none() {
            continue;
        }
        paths.push((states, to, r.only));
    }
    let via = ViaWays::build(forward.head.len() as u32, &paths);
    for &o in &via.original {
        let o = o as usize;
        forward.head.push(forward.head[o]);
        forward.tail.push(forward.tail[o]);
        forward.time_ds.push(forward.time_ds[o]);
        forward.dist_dm.push(forward.dist_dm[o]);
        forward.restricted.push(forward.restricted[o]);
        forward.rate.push(forward.rate[o]);
        delay_ds.push(delay_ds[o]);
        flags.push(flags[o]);
    }
    via
}

/// The copies of states that via-way restrictions need, and the turns they change.
#[derive(Debug, Clone, Default)]
pub(crate) struct ViaWays {
    /// The first copy's state; copies are `first..first + original.len()`.
    pub first: u32,
    /// The state each copy copies.
    pub original: Vec<u32>,
    /// Each copy's path: the original states from a restriction's `from` segment to
    /// the copied one.
    path: Vec<Vec<u32>>,
    /// (state, original state turned into) → the copy the turn leads to.
    child: HashMap<(u32, u32), u32>,
    /// The restrictions each copy obeys: (node a turn may or may not lead to,
    /// `only_*`), as via-node restrictions.
    rules: HashMap<u32, Vec<(u32, bool)>>,
}

impl ViaWays {
    /// The copies for restricted paths of states: each (states from the `from`
    /// segment to the last via segment, the `to` node, `only_*`), with `first` the
    /// number of ordinary states.
    pub fn build(first: u32, restricted: &[(Vec<u32>, u32, bool)]) -> ViaWays {
        let mut v = ViaWays {
            first,
            ..ViaWays::default()
        };
        let mut ends: Vec<(u32, u32, bool)> = Vec::new();
        for (states, to, only) in restricted {
            let Some((&root, rest)) = states.split_first() else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let mut node = root;
            for (i, &s) in rest.iter().enumerate() {
                node = match v.child.get(&(node, s)) {
                    Some(&c) => c,
                    None => {
                        let c = first + v.original.len() as u32;
                        v.original.push(s);
                        v.path.push(states[..i + 2].to_vec());
                        v.child.insert((node, s), c);
                        c
                    }
                };
            }
            ends.push((node, *to, *only));
        }
        let mut own: HashMap<u32, Vec<(u32, bool)>> = HashMap::new();
        for (c, to, only) in ends {
            own.entry(c).or_default().push((to, only));
        }
        // A copy obeys the restrictions of every copy whose path ends its own.
        for k in 0..v.original.len() {
            let c = first + k as u32;
            let mut rules = Vec::new();
            for j in 0..v.path[k].len() - 1 {
                if let Some(d) = v.walk(&v.path[k][j..]) {
                    rules.extend(own.get(&d).into_iter().flatten().copied());
                }
            }
            if !rules.is_empty() {
                rules.sort_unstable();
                rules.dedup();
                v.rules.insert(c, rules);
            }
        }
        v
    }

    /// The state reached by following `states` (originals) from the first one's
    /// ordinary state through the copies, if the copies go that far.
    fn walk(&self, states: &[u32]) -> Option<u32> {
        let (&root, rest) = states.split_first()?;
        rest.iter()
            .try_fold(root, |node, s| self.child.get(&(node, *s)).copied())
    }

    /// The original states copy `x` has come along (empty for an ordinary state).
    fn path_of(&self, x: u32) -> &[u32] {
        x.checked_sub(self.first)
            .and_then(|k| self.path.get(k as usize))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The state a turn from state `x` into the segment of ordinary state `y` leads
    /// to: the copy of `y` along the longest restricted path that `x`'s path, then
    /// `y`, ends with; `y` itself when there is none.
    pub fn next(&self, x: u32, y: u32) -> u32 {
        if self.child.is_empty() {
            return y;
        }
        if x < self.first {
            return self.child.get(&(x, y)).copied().unwrap_or(y);
        }
        let path = self.path_of(x);
        (0..path.len())
            .find_map(|j| {
                let node = self.walk(&path[j..])?;
                self.child.get(&(node, y)).copied()
            })
            .unwrap_or(y)
    }

    /// The restrictions state `x` obeys besides the via-node ones: (node, `only_*`).
    pub fn rules(&self, x: u32) -> &[(u32, bool)] {
        self.rules.get(&x).map_or(&[][..], Vec::as_slice)
    }

    /// Copies made.
    pub fn len(&self) -> usize {
        self.original.len()
    }
}

#[cfg(test)]
mod tests;
