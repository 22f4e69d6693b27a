//! Turns: the road graph is searched edge by edge (an *edge-based* graph, as OSRM
//! builds it), so that what a turn costs, and whether it is allowed, can depend on
//! where the car comes from.
//!
//! A search state is a directed road segment `a → b` (an edge of the node graph);
//! its cost is that of arriving at `b`. A *turn* links a state `a → b` to a state
//! `b → c`; its cost is the turn penalty at `b` plus the time of `b → c`.
//!
//! # The car's turn model (OSRM's `car.lua`, OSRM 26, rule by rule)
//!
//! Every number below is the profile's (`profiles/car.lua`, `profiles/lib/obstacles.lua`)
//! or its extractor's (`src/extractor/edge_based_graph_factory.cpp`,
//! `src/extractor/intersection/intersection_analysis.cpp`,
//! `src/extractor/restriction_parser.cpp`), never fitted to a reference table:
//!
//! 1. **Angle penalty** (`process_turn`): at a node where more than two roads meet
//!    (`number_of_roads > 2`, the roads of the car graph in either direction), or on a
//!    U-turn, a turn by `angle` degrees (0 straight on, positive to the right, ±180
//!    back) costs `turn_penalty / (1 + exp(-(13 / bias · angle / 180 − 6.5 · bias)))`
//!    for `angle ≥ 0` and `turn_penalty / (1 + exp(-(13 · bias · −angle / 180 − 6.5 /
//!    bias)))` otherwise, with `turn_penalty = 7.5` s and `turn_bias = 1.075` (its
//!    inverse where traffic drives on the left: the side is the incoming segment's,
//!    [`crate::driving_side`]). Keeping right, a right turn costs 2.1 s, a left turn
//!    5.4 s, straight on almost nothing. Where only two roads meet (a bend), turning
//!    is free.
//!
//!    *1b.* **Crossing the oncoming traffic**: a turn across it (to the left where traffic
//!    keeps right, to the right where it keeps left) at a node where more than two
//!    roads meet, not a U-turn, and neither segment on a roundabout
//!    (`junction=roundabout`), also costs `oncoming_turn_penalty · sharpness` with
//!    `oncoming_turn_penalty = 2` s and `sharpness = 1 / (1 + exp(-(13 · |angle| / 180
//!    − 3.25)))`: a left turn by 90° costs 5.4 + 1.9 s keeping right.
//! 2. **Bearings**: the angle is measured between the bearings of the two roads
//!    taken 10 m from the node along each road (OSRM's `LOOKAHEAD_DISTANCE_WITHOUT_LANES`),
//!    following the road through nodes where only it passes.
//! 3. **U-turns** (`isTurnAllowed`): doubling back onto the segment one came by is
//!    allowed only at a dead end (one road), where it is the only allowed exit, or
//!    where at most one road leads into the node (OSRM's "bidirectional" roads); it
//!    costs the angle penalty of +180° (OSRM's turn angle of a U-turn is 0, which its
//!    profile sees as 180: 7.455 s keeping right, 7.497 s keeping left) plus
//!    `u_turn_penalty = 20` s.
//! 4. **Obstacles** (`Obstacles.process_node`, paid by every turn through the node,
//!    in the obstacle's direction only when it has one): traffic signals 2 s,
//!    `highway=stop` 2 s, `highway=give_way` 1 s, `barrier=gate|lift_gate` 60 s.
//!    A `stop=minor` stop is paid only when entering from a road slower than another
//!    road of the node; a stop without direction on a node where two roads meet is not
//!    paid when leaving the junction (the road behind is shorter than 20 m and the one
//!    ahead longer).
//! 5. **Turn restrictions** (`RestrictionParser`): relations tagged `restriction` or
//!    `restriction:motorcar|motor_vehicle|vehicle` with a value `no_*` (not `*_on_red`)
//!    or `only_*`, unless `except` lists one of those three modes. A `no_*` forbids
//!    the turn from the `from` way into the `to` way at the via node; an `only_*`
//!    forbids every other turn from the `from` way there. The ways must start or end at
//!    the via node (OSRM's rule); several `from` (`no_entry`) or `to` (`no_exit`) ways
//!    make one restriction each. Conditional restrictions are not obeyed (OSRM's
//!    default). A restriction whose `via` is one way or several forbids (`no_*`) or
//!    alone allows (`only_*`) the last turn of the path from the `from` way along the
//!    via ways into the `to` way, for a car that drove that whole path: OSRM's
//!    duplicated states along the via ways (`turns/via_way.rs`, rule by rule there).
//! 6. **Rounding**: a turn's seconds are summed, then truncated to deciseconds, as
//!    OSRM stores them.
//! 7. **Restricted access** (`process_turn` with `weight_name = 'routability'`): a turn
//!    from a segment that is not restricted into one that is (`access=destination`,
//!    `private`…, see [`crate::profile`]) weighs OSRM's `max_turn_weight` instead of
//!    its duration, while its duration is unchanged; leaving a restricted segment, or
//!    turning between two, is an ordinary turn. So a trip may start or end on a
//!    restricted street (a point snaps there), and crosses none when another way is
//!    not much longer. Here the entry is a cost above any weight (the graph's
//!    `turn_cost`, [`crate::table`]'s packing): a path enters as few restricted
//!    segments as it can, then weighs the least (routability), then is the
//!    fastest, then the shortest; the time it reports is the drive's.
//!
//! # Where we differ from OSRM
//!
//! - OSRM merges the two carriageways of a divided road into one road when it counts
//!   roads and measures angles at a node; we count them apart, so a carriageway split
//!   is a three-road node here (a few tenths of a second straight on).
//! - OSRM picks the bearing point from lanes and curvature (up to ~46 m); we take 10 m.
//! - OSRM's restricted entry weighs 32767 ds (`TurnPenalty`'s largest value, so
//!   3276.7 s): it crosses a restricted area when that saves more than 54 minutes;
//!   we never cross one that can be avoided.
//! - OSRM adds the angle penalty when the travel mode changes (ferry ↔ road); we do
//!   not.
//! - OSRM also allows a U-turn just before a barrier that blocks the road (a bollard)
//!   and keeps the road up to it; we drop the barrier node's segments, so the node
//!   before it is a dead end (a U-turn there, a few metres earlier).
//! - OSRM's driving side comes from a world index; ours from the left-hand areas of
//!   Europe ([`crate::driving_side`]).
//!
//! Cargo bikes and walkers ([`TurnModel::Free`]) turn and U-turn anywhere, paying a
//! flat allowance at junctions; they ignore turn restrictions.

use std::collections::HashMap;

use tournee_model::LonLat;
use tournee_osm::{RawMap, RawRestriction};

use crate::profile::{LEFT_HAND, ROUNDABOUT};

mod via_way;
pub(crate) use via_way::{
    copy_states as via_way_copies, way_restrictions, ViaWays, WayRestriction,
};

/// OSRM's car turn parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CarTurns {
    /// Largest angle penalty, seconds (`turn_penalty`).
    pub turn_penalty: f64,
    /// Asymmetry between turns across and away from the oncoming traffic (`turn_bias`).
    pub turn_bias: f64,
    /// Extra cost of a turn across the oncoming traffic, seconds
    /// (`oncoming_turn_penalty`).
    pub oncoming_turn_penalty: f64,
    /// Extra cost of a U-turn, seconds (`u_turn_penalty`).
    pub u_turn_penalty: f64,
    /// Restriction namespaces a car obeys (`restriction:<mode>`, `except=<mode>`).
    pub restriction_modes: Vec<&'static str>,
    /// Distance along a road at which its bearing is taken, metres.
    pub bearing_lookahead_m: f64,
    /// Farthest a stop sign stands from the junction it guards, metres.
    pub stop_reach_m: f64,
}

impl Default for CarTurns {
    fn default() -> Self {
        CarTurns {
            turn_penalty: 7.5,
            turn_bias: 1.075,
            oncoming_turn_penalty: 2.0,
            u_turn_penalty: 20.0,
            restriction_modes: vec!["motorcar", "motor_vehicle", "vehicle"],
            bearing_lookahead_m: 10.0,
            stop_reach_m: 20.0,
        }
    }
}

/// How a travel mode turns.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnModel {
    /// Turn and U-turn anywhere; `junction_delay` seconds through a node where three
    /// or more roads meet.
    Free { junction_delay: f64 },
    /// OSRM's car model (see the module doc).
    Car(CarTurns),
}

impl CarTurns {
    /// The angle penalty of a turn by `angle` degrees (0 straight, > 0 right,
    /// ±180 back), seconds, where traffic keeps left (`left_hand`) or right.
    pub fn angle_penalty(&self, angle: f64, left_hand: bool) -> f64 {
        let bias = if left_hand {
            1.0 / self.turn_bias
        } else {
            self.turn_bias
        };
        let x = if angle >= 0.0 {
            13.0 / bias * angle / 180.0 - 6.5 * bias
        } else {
            13.0 * bias * -angle / 180.0 - 6.5 / bias
        };
        self.turn_penalty / (1.0 + (-x).exp())
    }

    /// The extra cost of a turn by `angle` degrees across the oncoming traffic (rule
    /// 1b of the module doc), seconds; 0 for a turn away from it.
    pub fn oncoming_penalty(&self, angle: f64, left_hand: bool) -> f64 {
        let crosses = if left_hand { angle > 0.0 } else { angle < 0.0 };
        if !crosses {
            return 0.0;
        }
        let sharpness = 1.0 / (1.0 + (-(13.0 * angle.abs() / 180.0 - 3.25)).exp());
        self.oncoming_turn_penalty * sharpness
    }

    /// Whether a car obeys restriction `r`, and if so whether it is an `only_*` one.
    pub fn restriction_kind(&self, r: &RawRestriction) -> Option<bool> {
        if let Some(except) = r.tag("except") {
            if except
                .split(';')
                .any(|m| self.restriction_modes.contains(&m.trim()))
            {
                return None;
            }
        }
        let keys = std::iter::once("restriction".to_string()).chain(
            self.restriction_modes
                .iter()
                .map(|m| format!("restriction:{m}")),
        );
        let mut only = None;
        for key in keys {
            let Some(v) = r.tag(&key) else { continue };
            if v.starts_with("only_") {
                only = Some(true);
            } else if v.starts_with("no_") && !v.ends_with("_on_red") {
                only = Some(false);
            } else {
                return None;
            }
        }
        only
    }
}

/// What building the turns found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TurnReport {
    /// Search states (directed road segments) and turns between them.
    pub states: usize,
    pub turns: usize,
    /// Nodes where three or more roads meet.
    pub junctions: u64,
    /// Restriction relations a car obeys, and the turns they forbid or leave alone
    /// (`only_*`).
    pub restrictions: u64,
    /// Of them, those whose ways do not start or end at the via node, or are missing.
    pub restrictions_unmatched: u64,
    /// Of them, those with via ways (obeyed as `turns/via_way.rs` says).
    pub restrictions_via_way: u64,
    /// States copied for via-way restrictions.
    pub states_copied: usize,
    /// Turns forbidden by a restriction.
    pub turns_restricted: u64,
}

/// A via-node restriction on raw node indices: from `u` through `v`, to `w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NodeRestriction {
    pub u: u32,
    pub v: u32,
    pub w: u32,
    pub only: bool,
}

/// The restrictions of a map that a car obeys, and the roads they name.
pub(crate) struct Obeyed<'m> {
    /// Each restriction, with whether it is an `only_*` one.
    pub kinds: Vec<(&'m RawRestriction, bool)>,
    /// The node lists of the map's pieces of each way a restriction names, by id.
    pub ways: HashMap<i64, Vec<&'m [u32]>>,
}

impl<'m> Obeyed<'m> {
    /// The restrictions of `map` that `pick` chooses and a car obeys (none for a
    /// mode that turns freely), with their ways.
    pub fn of(map: &'m RawMap, model: &TurnModel, pick: impl Fn(&RawRestriction) -> bool) -> Self {
        let TurnModel::Car(car) = model else {
            return Obeyed {
                kinds: Vec::new(),
                ways: HashMap::new(),
            };
        };
        let kinds: Vec<(&RawRestriction, bool)> = map
            .restrictions
            .iter()
            .filter(|r| pick(r))
            .filter_map(|r| car.restriction_kind(r).map(|k| (r, k)))
            .collect();
        let wanted: std::collections::HashSet<i64> = kinds
            .iter()
            .flat_map(|(r, _)| r.from.iter().chain(&r.via_ways).chain(&r.to).copied())
            .collect();
        let mut ways: HashMap<i64, Vec<&[u32]>> = HashMap::new();
        for road in &map.roads {
            if wanted.contains(&road.osm_id) && road.nodes.len() >= 2 {
                ways.entry(road.osm_id).or_default().push(&road.nodes);
            }
        }
        Obeyed { kinds, ways }
    }
}

/// The via-node restrictions a car obeys in `map`, on raw node indices.
pub(crate) fn node_restrictions(
    map: &RawMap,
    model: &TurnModel,
    report: &mut TurnReport,
) -> Vec<NodeRestriction> {
    let Obeyed { kinds, ways } = Obeyed::of(map, model, |_| true);
    // The node next to `v` on way `id`, which must start or end at `v`.
    let next_to = |id: i64, v: u32| -> Option<u32> {
        ways.get(&id)?.iter().find_map(|n| {
            if n[0] == v {
                Some(n[1])
            } else if n[n.len() - 1] == v {
                Some(n[n.len() - 2])
            } else {
                None
            }
        })
    };
    let mut out = Vec::new();
    for (r, only) in kinds {
        report.restrictions += 1;
        if !r.via_ways.is_empty() {
            // Obeyed by [`way_restrictions`].
            report.restrictions_via_way += 1;
            continue;
        }
        let Some(v) = r.via_node else { continue };
        let before = out.len();
        for &f in &r.from {
            for &t in &r.to {
                if let (Some(u), Some(w)) = (next_to(f, v), next_to(t, v)) {
                    out.push(NodeRestriction { u, v, w, only });
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

/// A stop sign's facts that its rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stop {
    /// `stop=minor`: for the minor roads only.
    pub minor: bool,
    /// Tagged with a `direction`.
    pub directed: bool,
}

/// Stop signs of `map`, by raw node index.
pub(crate) fn node_facts(map: &RawMap) -> HashMap<u32, Stop> {
    let mut stops = HashMap::new();
    for (node, tags) in &map.node_tags {
        let tag = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
        if tag("highway") == Some("stop") {
            stops.insert(
                *node,
                Stop {
                    minor: tag("stop") == Some("minor"),
                    directed: tag("direction").is_some(),
                },
            );
        }
    }
    stops
}

/// The turns between states (CSR), and the turns into each state, built when a
/// search first needs them (a backward search; neither the build nor the
/// contraction does).
#[derive(Debug, Clone, Default)]
pub(crate) struct Turns {
    /// Turns out of each state: `to[first[x]..first[x + 1]]`, with their penalty in
    /// deciseconds.
    pub first: Vec<u32>,
    pub to: Vec<u32>,
    pub turn_ds: Vec<u16>,
    /// States from `first_copy` on copy others for via-way restrictions
    /// (`turns/via_way.rs`): the state each copies, and (original, copy) pairs, sorted.
    pub first_copy: u32,
    pub original: Vec<u32>,
    pub copies: Vec<(u32, u32)>,
    reverse: std::sync::OnceLock<ReverseTurns>,
}

/// The turns into each state: `from[first[y]..first[y + 1]]`, with their penalty.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReverseTurns {
    pub first: Vec<u32>,
    pub from: Vec<u32>,
    pub turn_ds: Vec<u16>,
}

impl ReverseTurns {
    pub fn into(&self, y: u32) -> std::ops::Range<usize> {
        self.first[y as usize] as usize..self.first[y as usize + 1] as usize
    }
}

impl Turns {
    /// The ordinary state whose segment state `s` drives (`s` unless a copy).
    pub fn original_of(&self, s: u32) -> u32 {
        s.checked_sub(self.first_copy)
            .and_then(|k| self.original.get(k as usize))
            .copied()
            .unwrap_or(s)
    }

    /// The copies of ordinary state `s`.
    pub fn copies_of(&self, s: u32) -> impl Iterator<Item = u32> + '_ {
        let from = self.copies.partition_point(|&(o, _)| o < s);
        self.copies[from..]
            .iter()
            .take_while(move |&&(o, _)| o == s)
            .map(|&(_, c)| c)
    }

    pub fn out(&self, x: u32) -> std::ops::Range<usize> {
        self.first[x as usize] as usize..self.first[x as usize + 1] as usize
    }

    /// The turns into each state, built on first use.
    pub fn reverse(&self) -> &ReverseTurns {
        self.reverse.get_or_init(|| {
            // Each turn, by the state it turns into; in the order of the states
            // turned from.
            let states = self.first.len() - 1;
            let turns = || (0..states as u32).flat_map(|x| self.out(x).map(move |k| (x, k)));
            let (first, from) =
                crate::scc::adjacency(states, turns().map(|(x, k)| (self.to[k], x)));
            let (_, turn_ds) =
                crate::scc::adjacency(states, turns().map(|(_, k)| (self.to[k], self.turn_ds[k])));
            ReverseTurns {
                first,
                from,
                turn_ds,
            }
        })
    }

    /// Forgets the turns into each state (rebuilt if needed again).
    pub fn drop_reverse(&mut self) {
        self.reverse = std::sync::OnceLock::new();
    }
}

/// The node graph the turns are built on (graph indices).
pub(crate) struct TurnInput<'a> {
    /// Positions, indexed through `keep`: the position of graph node `v` is
    /// `coords[keep[v]]` (the graph's nodes are a part of the map's).
    pub coords: &'a [LonLat],
    pub keep: &'a [u32],
    pub lon_scale: f64,
    /// States out of each node: `first[v]..first[v + 1]`, with their head and tail.
    pub first: &'a [u32],
    pub head: &'a [u32],
    pub tail: &'a [u32],
    pub time_ds: &'a [u32],
    pub dist_dm: &'a [u32],
    /// Delay (ds) paid by every turn out of a state, at its head (obstacles).
    pub delay_ds: &'a [u32],
    /// States into each node.
    pub in_first: &'a [u32],
    pub in_state: &'a [u32],
    /// Each state's flags ([`crate::profile::LEFT_HAND`], [`crate::profile::ROUNDABOUT`]…).
    pub flags: &'a [u8],
    pub stops: &'a HashMap<u32, Stop>,
    /// Via-node restrictions keyed by (from, via) node.
    pub restrictions: &'a HashMap<(u32, u32), Vec<(u32, bool)>>,
    /// The copies of states for via-way restrictions (the per-state slices above
    /// include them, `first` does not).
    pub via: &'a ViaWays,
    pub model: &'a TurnModel,
}

/// Undirected neighbours of every node (sorted, distinct), CSR.
struct Neighbours {
    first: Vec<u32>,
    node: Vec<u32>,
}

impl Neighbours {
    fn of(&self, v: u32) -> &[u32] {
        &self.node[self.first[v as usize] as usize..self.first[v as usize + 1] as usize]
    }
}

impl TurnInput<'_> {
    fn coord(&self, v: u32) -> LonLat {
        self.coords[self.keep[v as usize] as usize]
    }

    fn neighbours(&self) -> Neighbours {
        let n = self.keep.len();
        let mut first = Vec::with_capacity(n + 1);
        let mut node = Vec::new();
        first.push(0);
        let mut buf = Vec::new();
        for v in 0..n {
            buf.clear();
            let outs = self.first[v] as usize..self.first[v + 1] as usize;
            buf.extend(outs.map(|e| self.head[e]));
            let ins = self.in_first[v] as usize..self.in_first[v + 1] as usize;
            buf.extend(ins.map(|i| self.tail[self.in_state[i] as usize]));
            buf.sort_unstable();
            buf.dedup();
            node.extend_from_slice(&buf);
            first.push(node.len() as u32);
        }
        Neighbours { first, node }
    }

    /// Follows the road from `b` through `c` (and on, through nodes where only it
    /// passes) for `length` metres: the point reached, and whether the road ended
    /// (at a junction or a dead end) before.
    fn along(&self, nb: &Neighbours, b: u32, c: u32, length: f64) -> (LonLat, f64) {
        let (mut prev, mut at) = (b, c);
        let mut done = 0.0;
        for _ in 0..64 {
            let (p, q) = (self.coord(prev), self.coord(at));
            let seg = p.distance_m(&q);
            if done + seg >= length && seg > 0.0 {
                let f = (length - done) / seg;
                let point = LonLat::new(p.lon + f * (q.lon - p.lon), p.lat + f * (q.lat - p.lat));
                return (point, length);
            }
            done += seg;
            let ns = nb.of(at);
            if ns.len() != 2 || at == b {
                break;
            }
            let next = if ns[0] == prev { ns[1] } else { ns[0] };
            prev = at;
            at = next;
        }
        (self.coord(at), done)
    }

    /// Bearing (degrees clockwise from north) from `b` towards the point `length`
    /// metres along the road through `c`.
    fn bearing(&self, nb: &Neighbours, b: u32, c: u32, length: f64) -> f64 {
        let (p, _) = self.along(nb, b, c, length);
        let o = self.coord(b);
        let dx = (p.lon - o.lon) * self.lon_scale;
        let dy = p.lat - o.lat;
        dx.atan2(dy).to_degrees().rem_euclid(360.0)
    }
}

/// Builds every allowed turn and its penalty.
pub(crate) fn build_turns(input: &TurnInput, report: &mut TurnReport) -> Turns {
    let nb = input.neighbours();
    let states = input.head.len();
    let speed = |s: usize| input.dist_dm[s] as f64 / input.time_ds[s].max(1) as f64;
    report.junctions = (0..input.keep.len() as u32)
        .filter(|&b| nb.of(b).len() >= 3)
        .count() as u64;
    // The turns out of each state, built state by state: the forward CSR comes out
    // in order (no list of all turns to sort), the backward one by counting.
    let mut first: Vec<u32> = Vec::with_capacity(states + 1);
    first.push(0);
    // At most one turn per state and segment out of its head: reserved at once, so
    // that the lists do not grow by doubling (the graph build's peak).
    let bound: usize = (0..states)
        .map(|x| {
            let b = input.head[x] as usize;
            (input.first[b + 1] - input.first[b]) as usize
        })
        .sum();
    let mut to: Vec<u32> = Vec::with_capacity(bound);
    let mut turn_ds: Vec<u16> = Vec::with_capacity(bound);
    let mut exits: Vec<u32> = Vec::new();
    let mut into_b: Vec<u32> = Vec::new();
    for x in 0..states {
        let b = input.head[x];
        let roads = nb.of(b).len();
        let outs = input.first[b as usize] as usize..input.first[b as usize + 1] as usize;
        let ins = input.in_first[b as usize] as usize..input.in_first[b as usize + 1] as usize;
        into_b.clear();
        into_b.extend(ins.map(|i| input.tail[input.in_state[i] as usize]));
        into_b.sort_unstable();
        into_b.dedup();
        {
            let a = input.tail[x];
            let rules = input.restrictions.get(&(a, b)).map_or(&[][..], |r| &r[..]);
            let via_rules = input.via.rules(x as u32);
            let restricted = |c: u32| {
                rules
                    .iter()
                    .chain(via_rules)
                    .any(|&(w, only)| if only { w != c } else { w == c })
            };
            exits.clear();
            exits.extend(
                outs.clone()
                    .map(|e| input.head[e])
                    .filter(|&c| !restricted(c)),
            );
            exits.sort_unstable();
            exits.dedup();
            for y in outs.clone() {
                let c = input.head[y];
                if restricted(c) {
                    report.turns_restricted += 1;
                    continue;
                }
                let u_turn = c == a;
                let delay = input.delay_ds[x] as f64 / 10.0;
                let seconds = match input.model {
                    TurnModel::Free { junction_delay } => {
                        delay + if roads >= 3 { *junction_delay } else { 0.0 }
                    }
                    TurnModel::Car(car) => {
                        if u_turn && !(roads == 1 || exits.len() == 1 || into_b.len() <= 1) {
                            continue;
                        }
                        let mut s = delay;
                        if let Some(stop) = input.stops.get(&b) {
                            let others = nb.of(b).iter().filter(|&&w| w != a);
                            let fastest = others
                                .flat_map(|&w| {
                                    let o = input.first[b as usize] as usize
                                        ..input.first[b as usize + 1] as usize;
                                    o.filter(move |&e| input.head[e] == w)
                                })
                                .map(speed)
                                .fold(speed(y), f64::max);
                            let minor_skipped = stop.minor && fastest <= speed(x);
                            let leaving = !stop.directed
                                && roads == 2
                                && input.along(&nb, b, a, car.stop_reach_m).1 < car.stop_reach_m
                                && input.along(&nb, b, c, car.stop_reach_m + 1.0).1
                                    > car.stop_reach_m;
                            if minor_skipped || leaving {
                                s -= delay;
                            }
                        }
                        if roads > 2 || u_turn {
                            let look = car.bearing_lookahead_m;
                            let arrive = (input.bearing(&nb, b, a, look) + 180.0) % 360.0;
                            let leave = input.bearing(&nb, b, c, look);
                            // OSRM's angle: 180 straight, < 180 to the right; then
                            // 180 − it, so that 0 is straight and > 0 to the right.
                            let osrm = (arrive - leave + 540.0) % 360.0;
                            let angle = if u_turn { 180.0 } else { 180.0 - osrm };
                            let left = input.flags[x] & LEFT_HAND != 0;
                            s += car.angle_penalty(angle, left);
                            let roundabout = (input.flags[x] | input.flags[y]) & ROUNDABOUT != 0;
                            if roads > 2 && !u_turn && !roundabout {
                                s += car.oncoming_penalty(angle, left);
                            }
                        }
                        if u_turn {
                            s += car.u_turn_penalty;
                        }
                        s
                    }
                };
                to.push(input.via.next(x as u32, y as u32));
                // Saturating, at 6,553.5 s: far above any turn or obstacle.
                turn_ds.push((seconds * 10.0 + 1e-9).floor() as u16);
            }
        }
        first.push(to.len() as u32);
    }
    drop(nb);
    report.states = states;
    report.states_copied = input.via.len();
    report.turns = to.len();
    let mut copies: Vec<(u32, u32)> = (input.via.first..)
        .zip(&input.via.original)
        .map(|(c, &o)| (o, c))
        .collect();
    copies.sort_unstable();
    Turns {
        first,
        to,
        turn_ds,
        first_copy: input.via.first,
        original: input.via.original.clone(),
        copies,
        reverse: std::sync::OnceLock::new(),
    }
}

/// The states of the largest strongly connected part of the turn graph, as a mask;
/// ties go to the part with the smallest state.
pub(crate) fn largest_component(t: &Turns, states: usize) -> Vec<bool> {
    crate::scc::largest(states, (&t.first, &t.to))
}

#[cfg(test)]
mod tests;
