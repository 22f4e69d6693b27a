//! The Team Orienteering Problem with Time Windows (TOPTW), the literature's core of
//! our problem: `m` tours from a depot, each customer visited at most once within its
//! time window, maximise the collected profit within the time budget.
//!
//! - [`TopTw::parse`] reads the benchmark format of `shared/data/toptw/FORMAT.md`,
//!   with travel times truncated exactly as the best-known scores assume (1 decimal
//!   for Solomon-based instances, 2 for Cordeau-based `pr*`), in integer hundredths;
//! - [`solve`] is an iterated local search (after Vansteenwegen et al. 2009): greedy
//!   insertion by profit² / shift with wait and max-shift bookkeeping, a
//!   perturbation that removes consecutive visits, a replace move (swap a visited
//!   customer for unvisited ones worth more) and intra-route relocation that frees
//!   time; one independent search per core, deterministic for a seed;
//! - [`TopTw::evaluate`] re-checks any set of routes from scratch.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tournee_model::StopSignal;

/// Times and distances are integers in hundredths of the instance's unit.
const SCALE: i64 = 100;

#[derive(Debug, Clone)]
pub struct TopTw {
    pub name: String,
    /// Customers are 1..=n; 0 is the depot.
    pub n: usize,
    pub profit: Vec<i64>,
    pub service: Vec<i64>,
    pub open: Vec<i64>,
    pub close: Vec<i64>,
    /// Return to the depot no later than this.
    pub tmax: i64,
    travel: Vec<i64>,
}

fn decimals(tok: &str) -> u32 {
    tok.split_once('.').map_or(0, |(_, d)| d.len() as u32)
}

fn scaled(tok: &str, what: &str, line: usize) -> Result<i64, String> {
    let v: f64 = tok
        .parse()
        .map_err(|_| format!("line {line}: {what} `{tok}` is not a number"))?;
    Ok((v * SCALE as f64).round() as i64)
}

fn isqrt(v: u128) -> u128 {
    let mut r = (v as f64).sqrt() as u128;
    while r * r > v {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= v {
        r += 1;
    }
    r
}

impl TopTw {
    /// Parses an instance. `decimals` is the truncation of travel times (1 for
    /// Solomon-based files, 2 for `pr*`); see `FORMAT.md`.
    pub fn parse(name: &str, text: &str, travel_decimals: u32) -> Result<TopTw, String> {
        let lines: Vec<(usize, Vec<&str>)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>()))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        let header = lines.first().ok_or("empty file")?;
        let n: usize = header
            .1
            .get(2)
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| {
                format!(
                    "line {}: the third number must be the customer count",
                    header.0
                )
            })?;
        if lines.len() < n + 3 {
            return Err(format!(
                "{} vertex lines announced, {} found",
                n + 1,
                lines.len().saturating_sub(2)
            ));
        }
        let mut coords: Vec<(&str, &str)> = Vec::with_capacity(n + 1);
        let mut t = TopTw {
            name: name.to_string(),
            n,
            profit: Vec::new(),
            service: Vec::new(),
            open: Vec::new(),
            close: Vec::new(),
            tmax: 0,
            travel: Vec::new(),
        };
        for (i, (line, tok)) in lines[2..n + 3].iter().enumerate() {
            if tok.len() < 9 {
                return Err(format!("line {line}: a vertex line has at least 9 numbers"));
            }
            if tok[0].parse::<usize>().ok() != Some(i) {
                return Err(format!(
                    "line {line}: vertex {i} expected, found `{}`",
                    tok[0]
                ));
            }
            coords.push((tok[1], tok[2]));
            t.service.push(scaled(tok[3], "service time", *line)?);
            t.profit.push(
                tok[4]
                    .parse::<f64>()
                    .map_err(|_| format!("line {line}: bad profit"))?
                    .round() as i64,
            );
            t.open.push(scaled(tok[tok.len() - 2], "opening", *line)?);
            t.close.push(scaled(tok[tok.len() - 1], "closing", *line)?);
        }
        t.tmax = t.close[0];
        // Exact truncation: coordinates as integers of 10^-c, distance floored at
        // 10^-p, then expressed in hundredths.
        let c = coords
            .iter()
            .map(|(x, y)| decimals(x).max(decimals(y)))
            .max()
            .unwrap_or(0)
            .max(travel_decimals);
        let to_int = |s: &str| -> Result<i128, String> {
            let v: f64 = s.parse().map_err(|_| format!("bad coordinate `{s}`"))?;
            Ok((v * 10f64.powi(c as i32)).round() as i128)
        };
        let pts: Vec<(i128, i128)> = coords
            .iter()
            .map(|(x, y)| Ok((to_int(x)?, to_int(y)?)))
            .collect::<Result<_, String>>()?;
        let down = 10u128.pow(c - travel_decimals);
        let up = SCALE / 10i64.pow(travel_decimals);
        t.travel = vec![0; (n + 1) * (n + 1)];
        for i in 0..=n {
            for j in 0..=n {
                let (dx, dy) = (pts[i].0 - pts[j].0, pts[i].1 - pts[j].1);
                let d2 = (dx * dx + dy * dy) as u128;
                t.travel[i * (n + 1) + j] = (isqrt(d2) / down) as i64 * up;
            }
        }
        Ok(t)
    }

    /// An instance from a travel matrix: node 0 is the depot, 1..=n the customers;
    /// `travel` is row-major (n+1)², in any integer unit shared with `service`,
    /// `open`, `close` and `tmax` (`open[0]` is the departure from the depot).
    /// `None` if the sizes disagree.
    #[allow(clippy::too_many_arguments)]
    pub fn from_matrix(
        name: &str,
        travel: Vec<i64>,
        profit: Vec<i64>,
        service: Vec<i64>,
        open: Vec<i64>,
        close: Vec<i64>,
        tmax: i64,
    ) -> Option<TopTw> {
        let k = profit.len();
        if k == 0
            || travel.len() != k * k
            || service.len() != k
            || open.len() != k
            || close.len() != k
        {
            return None;
        }
        Some(TopTw {
            name: name.to_string(),
            n: k - 1,
            profit,
            service,
            open,
            close,
            tmax,
            travel,
        })
    }

    #[inline]
    pub fn travel(&self, i: usize, j: usize) -> i64 {
        self.travel[i * (self.n + 1) + j]
    }

    /// Profit of `routes` if they are feasible, else why not.
    pub fn evaluate(&self, routes: &[Vec<usize>]) -> Result<i64, String> {
        let mut seen = vec![false; self.n + 1];
        let mut total = 0;
        for (r, route) in routes.iter().enumerate() {
            let (mut t, mut prev) = (self.open[0], 0);
            for &c in route {
                if c == 0 || c > self.n || std::mem::replace(&mut seen[c], true) {
                    return Err(format!("route {r}: customer {c} is invalid or repeated"));
                }
                let arrive = t + self.service[prev] + self.travel(prev, c);
                if arrive > self.close[c] {
                    return Err(format!(
                        "route {r}: customer {c} reached at {} after its window closes at {}",
                        arrive, self.close[c]
                    ));
                }
                t = arrive.max(self.open[c]);
                prev = c;
                total += self.profit[c];
            }
            let back = t + self.service[prev] + self.travel(prev, 0);
            if back > self.tmax {
                return Err(format!("route {r}: back at {back}, after {}", self.tmax));
            }
        }
        Ok(total)
    }
}

/// A tour with its schedule: `start[k]` is when service begins at `seq[k]`,
/// `max_shift[k]` how much later it could begin without breaking anything after it.
#[derive(Debug, Clone, Default)]
struct Tour {
    seq: Vec<usize>,
    start: Vec<i64>,
    max_shift: Vec<i64>,
    /// Slack at the depot on return.
    end_slack: i64,
}

impl Tour {
    fn update(&mut self, p: &TopTw) {
        let k = self.seq.len();
        self.start.resize(k, 0);
        self.max_shift.resize(k, 0);
        let (mut t, mut prev) = (p.open[0], 0);
        for (i, &c) in self.seq.iter().enumerate() {
            t = (t + p.service[prev] + p.travel(prev, c)).max(p.open[c]);
            self.start[i] = t;
            prev = c;
        }
        self.end_slack = p.tmax - (t + p.service[prev] + p.travel(prev, 0));
        let mut next_slack = self.end_slack; // wait_{next} + max_shift_{next}
        for i in (0..k).rev() {
            let c = self.seq[i];
            self.max_shift[i] = (p.close[c] - self.start[i]).min(next_slack);
            let arrive = if i == 0 {
                p.open[0] + p.service[0] + p.travel(0, c)
            } else {
                self.start[i - 1] + p.service[self.seq[i - 1]] + p.travel(self.seq[i - 1], c)
            };
            let wait = self.start[i] - arrive;
            next_slack = wait + self.max_shift[i];
        }
    }

    /// Extra time needed to insert `c` before position `pos`, if feasible.
    fn insertion_shift(&self, p: &TopTw, c: usize, pos: usize) -> Option<i64> {
        let (prev, ready) = if pos == 0 {
            (0, p.open[0])
        } else {
            (self.seq[pos - 1], self.start[pos - 1])
        };
        let arrive = ready + p.service[prev] + p.travel(prev, c);
        if arrive > p.close[c] {
            return None;
        }
        let begin = arrive.max(p.open[c]);
        let next = self.seq.get(pos).copied().unwrap_or(0);
        let old_arrive_next = ready + p.service[prev] + p.travel(prev, next);
        let new_arrive_next = begin + p.service[c] + p.travel(c, next);
        let shift = new_arrive_next - old_arrive_next;
        let room = match self.seq.get(pos) {
            None => self.end_slack,
            Some(_) => {
                let wait = self.start[pos] - old_arrive_next;
                wait + self.max_shift[pos]
            }
        };
        (shift <= room).then_some(shift.max(0))
    }
}

#[derive(Debug, Clone)]
struct State {
    tours: Vec<Tour>,
    visited: Vec<bool>,
    profit: i64,
    /// Best insertion (shift, position) of each customer in each tour, or `None`.
    cache: Vec<Vec<Option<(i64, usize)>>>,
}

impl State {
    fn new(p: &TopTw, m: usize) -> State {
        let mut tours = vec![Tour::default(); m];
        for t in &mut tours {
            t.update(p);
        }
        let mut s = State {
            tours,
            visited: vec![false; p.n + 1],
            profit: 0,
            cache: vec![vec![None; m]; p.n + 1],
        };
        for ti in 0..m {
            s.refresh(p, ti);
        }
        s
    }

    fn routes(&self) -> Vec<Vec<usize>> {
        self.tours.iter().map(|t| t.seq.clone()).collect()
    }

    /// Recomputes tour `ti`'s schedule and every customer's best insertion in it.
    fn refresh(&mut self, p: &TopTw, ti: usize) {
        self.tours[ti].update(p);
        let tour = &self.tours[ti];
        for c in 1..=p.n {
            self.cache[c][ti] = if self.visited[c] || p.profit[c] <= 0 {
                None
            } else {
                (0..=tour.seq.len())
                    .filter_map(|pos| tour.insertion_shift(p, c, pos).map(|s| (s, pos)))
                    .min()
            };
        }
    }

    fn insert(&mut self, p: &TopTw, c: usize, ti: usize, pos: usize) {
        self.tours[ti].seq.insert(pos, c);
        self.visited[c] = true;
        self.profit += p.profit[c];
        self.cache[c].iter_mut().for_each(|e| *e = None);
        self.refresh(p, ti);
    }

    /// Greedy insertion by profit² / shift until nothing fits; `noise` randomises
    /// the scores a little (0 for none).
    fn insert_all(&mut self, p: &TopTw, rng: &mut ChaCha8Rng, noise: f64) {
        loop {
            let mut best: Option<(f64, usize, usize, usize)> = None;
            for c in 1..=p.n {
                for (ti, e) in self.cache[c].iter().enumerate() {
                    let Some((shift, pos)) = *e else { continue };
                    let pr = p.profit[c] as f64;
                    let mut score = pr * pr / (shift as f64 + 1.0);
                    if noise > 0.0 {
                        score *= 1.0 + noise * rng.random::<f64>();
                    }
                    if best.is_none_or(|b| score > b.0) {
                        best = Some((score, c, ti, pos));
                    }
                }
            }
            let Some((_, c, ti, pos)) = best else { break };
            self.insert(p, c, ti, pos);
        }
    }

    /// Removes the visit at `pos` of tour `ti` (the caller refreshes the tour).
    fn remove(&mut self, p: &TopTw, ti: usize, pos: usize) -> usize {
        let c = self.tours[ti].seq.remove(pos);
        self.visited[c] = false;
        self.profit -= p.profit[c];
        c
    }

    /// Moves visits within their tour when that shortens it (more room to insert).
    fn relocate(&mut self, p: &TopTw) {
        let mut buf = Vec::new();
        for ti in 0..self.tours.len() {
            let mut changed = false;
            let mut improved = true;
            while improved {
                improved = false;
                let len = self.tours[ti].seq.len();
                let current = route_end(p, &self.tours[ti].seq).unwrap_or(i64::MAX);
                'outer: for from in 0..len {
                    for to in 0..len {
                        if to == from {
                            continue;
                        }
                        buf.clear();
                        buf.extend_from_slice(&self.tours[ti].seq);
                        let c = buf.remove(from);
                        buf.insert(to, c);
                        if route_end(p, &buf).is_some_and(|end| end < current) {
                            std::mem::swap(&mut self.tours[ti].seq, &mut buf);
                            improved = true;
                            changed = true;
                            break 'outer;
                        }
                    }
                }
            }
            if changed {
                self.refresh(p, ti);
            }
        }
    }

    /// Replaces one visit by unvisited customers worth more, when that fits.
    fn replace(&mut self, p: &TopTw, rng: &mut ChaCha8Rng) -> bool {
        for ti in 0..self.tours.len() {
            for pos in 0..self.tours[ti].seq.len() {
                let c = self.tours[ti].seq[pos];
                // Quick test: some unvisited customer worth more fits once c is out.
                let mut trial = self.tours[ti].clone();
                trial.seq.remove(pos);
                trial.update(p);
                let worth = (1..=p.n).any(|u| {
                    !self.visited[u]
                        && p.profit[u] > p.profit[c]
                        && (0..=trial.seq.len()).any(|q| trial.insertion_shift(p, u, q).is_some())
                });
                if !worth {
                    continue;
                }
                let mut next = self.clone();
                next.remove(p, ti, pos);
                next.refresh(p, ti);
                next.cache[c].iter_mut().for_each(|e| *e = None); // not straight back in
                next.insert_all(p, rng, 0.0);
                if next.profit > self.profit {
                    for t in 0..next.tours.len() {
                        next.refresh(p, t);
                    }
                    *self = next;
                    return true;
                }
            }
        }
        false
    }
}

/// When a tour in this order is back at the depot, or `None` if it is infeasible.
fn route_end(p: &TopTw, seq: &[usize]) -> Option<i64> {
    let (mut t, mut prev) = (p.open[0], 0);
    for &c in seq {
        let arrive = t + p.service[prev] + p.travel(prev, c);
        if arrive > p.close[c] {
            return None;
        }
        t = arrive.max(p.open[c]);
        prev = c;
    }
    let end = t + p.service[prev] + p.travel(prev, 0);
    (end <= p.tmax).then_some(end)
}

/// The best tours found and their profit.
#[derive(Debug, Clone, PartialEq)]
pub struct TopTwSolution {
    pub routes: Vec<Vec<usize>>,
    pub profit: i64,
    pub iterations: u64,
}

impl State {
    /// Total time of all tours: less leaves more room to insert.
    fn total_time(&self, p: &TopTw) -> i64 {
        self.tours.iter().map(|t| p.tmax - t.end_slack).sum()
    }

    /// More profit, or as much in less time.
    fn better_than(&self, other: &State, p: &TopTw) -> bool {
        self.profit > other.profit
            || (self.profit == other.profit && self.total_time(p) < other.total_time(p))
    }
}

/// A fresh solution: greedy insertion (randomised by `noise`), relocation, insertion.
fn construct(p: &TopTw, m: usize, rng: &mut ChaCha8Rng, noise: f64) -> State {
    let mut s = State::new(p, m);
    s.insert_all(p, rng, noise);
    s.relocate(p);
    s.insert_all(p, rng, 0.0);
    s
}

/// Perturbations without progress before going back to the run's best.
const STALL: u64 = 50;
/// Returns to the run's best without progress before starting a fresh run.
const RESTARTS: u32 = 4;

fn search(p: &TopTw, m: usize, budget: Budget, seed: u64) -> TopTwSolution {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cur = construct(p, m, &mut rng, 0.0);
    let mut best = cur.clone();
    let mut run_best = cur.clone();
    let (mut s, mut r) = (1usize, 0usize);
    let (mut stalled, mut restarts) = (0u64, 0u32);
    let mut iterations = 0;
    let max_s = (p.n / (3 * m)).max(2);
    while iterations < budget.iterations
        && budget.deadline.is_none_or(|d| Instant::now() < d)
        && !budget.stop.stopped()
    {
        iterations += 1;
        // Perturb: remove `s` consecutive visits from position `r` of every tour.
        for ti in 0..m {
            let len = cur.tours[ti].seq.len();
            if len == 0 {
                continue;
            }
            let at = r % len;
            for _ in 0..s.min(len - at) {
                cur.remove(p, ti, at);
            }
        }
        for ti in 0..m {
            cur.refresh(p, ti);
        }
        cur.relocate(p);
        cur.insert_all(p, &mut rng, 0.3);
        // The replace move is costly: only near the best.
        if cur.profit * 100 >= run_best.profit * 98 {
            while cur.replace(p, &mut rng) {}
        }
        if cur.better_than(&run_best, p) {
            run_best = cur.clone();
            if cur.better_than(&best, p) {
                best = cur.clone();
            }
            s = 1;
            stalled = 0;
            restarts = 0;
            continue;
        }
        s += 1;
        r += s;
        if s >= max_s {
            s = 1;
        }
        stalled += 1;
        if stalled > STALL {
            stalled = 0;
            restarts += 1;
            if restarts >= RESTARTS {
                restarts = 0;
                cur = construct(p, m, &mut rng, 1.0);
                run_best = cur.clone();
            } else {
                cur = run_best.clone();
            }
            r = rng.random_range(0..p.n.max(1));
        }
    }
    TopTwSolution {
        routes: best.routes(),
        profit: best.profit,
        iterations,
    }
}

/// When a search stops: after `iterations` perturbations, or at `deadline`,
/// whichever comes first. Without a deadline the result depends only on the
/// instance and the seed. `stop` is the caller's hard stop (a cancelled job): the
/// search then returns its best so far at once.
#[derive(Debug, Clone)]
pub struct Budget {
    pub iterations: u64,
    pub deadline: Option<Instant>,
    pub stop: StopSignal,
}

/// Solves with `m` tours for at most `limit`, on `threads` independent searches.
pub fn solve(p: &TopTw, m: usize, limit: Duration, threads: usize, seed: u64) -> TopTwSolution {
    let budget = Budget {
        iterations: u64::MAX,
        deadline: Some(Instant::now() + limit),
        stop: StopSignal::never(),
    };
    solve_within(p, m, budget, threads, seed)
}

/// [`solve`] within a [`Budget`] (an iteration count, a deadline or both).
pub fn solve_within(
    p: &TopTw,
    m: usize,
    budget: Budget,
    threads: usize,
    seed: u64,
) -> TopTwSolution {
    let results: Vec<TopTwSolution> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|k| {
                let budget = budget.clone();
                scope.spawn(move || search(p, m, budget, seed.wrapping_add(k as u64 * 7919)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a search thread"))
            .collect()
    });
    let iterations = results.iter().map(|r| r.iterations).sum();
    let mut best = results
        .into_iter()
        .max_by_key(|r| r.profit)
        .expect("at least one search");
    best.iterations = iterations;
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of FORMAT.md: c101, m = 1, optimum 320.
    fn c101() -> Option<TopTw> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/toptw/instances/c101.txt"
        );
        let text = std::fs::read_to_string(path).ok()?;
        Some(TopTw::parse("c101", &text, 1).unwrap())
    }

    #[test]
    fn truncation_matches_the_format_example() {
        let p = c101().expect("../shared/data/toptw/instances/c101.txt is missing: the TOPTW data must be beside the clone");
        assert_eq!(p.travel(0, 1), 1860); // 18.681… → 18.6
        assert_eq!(p.tmax, 123_600);
        let optimal = vec![vec![57, 63, 62, 74, 93, 97, 12, 2, 21, 75]];
        assert_eq!(p.evaluate(&optimal), Ok(320));
        assert!(
            p.evaluate(&[vec![2, 57]]).is_err(),
            "57 closes long before 2 is served"
        );
    }

    #[test]
    fn pr_instances_truncate_to_two_decimals() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/toptw/instances/pr01.txt"
        );
        let text = std::fs::read_to_string(path)
            .expect("../shared/data/toptw/instances/pr01.txt is missing");
        let p = TopTw::parse("pr01", &text, 2).unwrap();
        assert_eq!(p.travel(0, 1), 4816); // 48.1674… → 48.16
    }

    #[test]
    fn search_finds_feasible_tours_and_evaluate_agrees() {
        let p = c101().expect("../shared/data/toptw/instances/c101.txt is missing");
        let s = solve(&p, 2, Duration::from_millis(300), 2, 1);
        assert_eq!(p.evaluate(&s.routes), Ok(s.profit));
        assert!(s.profit >= 500, "{}", s.profit);
    }

    #[test]
    fn bad_files_are_refused_with_a_line() {
        assert!(TopTw::parse("x", "", 1).is_err());
        let e = TopTw::parse(
            "x",
            "4 10 2 1\n0 200\n0 1 1 0 0 0 0 0 100\n1 x 2 3 4 1 1 1 0 50\n",
            1,
        )
        .unwrap_err();
        assert!(e.contains("vertex lines") || e.contains("line"), "{e}");
    }

    #[test]
    fn an_instance_from_a_matrix_is_solved_deterministically_within_an_iteration_budget() {
        // Depot and four customers on a line, 10 apart; a day of 90 with services
        // of 5: going to 4 (worth 5) leaves room for one more visit on the way.
        let pos = [0i64, 10, 20, 30, 40];
        let travel: Vec<i64> = (0..5)
            .flat_map(|a| (0..5).map(move |b| (pos[a] - pos[b]).abs()))
            .collect();
        let p = TopTw::from_matrix(
            "line",
            travel,
            vec![0, 1, 1, 1, 5],
            vec![0, 5, 5, 5, 5],
            vec![0; 5],
            vec![90; 5],
            90,
        )
        .unwrap();
        assert!(
            TopTw::from_matrix("bad", vec![0; 3], vec![0], vec![0], vec![0], vec![0], 1).is_none()
        );
        let budget = Budget {
            iterations: 200,
            deadline: None,
            stop: StopSignal::never(),
        };
        let a = solve_within(&p, 1, budget.clone(), 2, 7);
        let b = solve_within(&p, 1, budget, 2, 7);
        assert_eq!(a.routes, b.routes);
        assert_eq!(a.iterations, 400);
        assert_eq!(p.evaluate(&a.routes), Ok(a.profit));
        assert_eq!(a.profit, 6);
    }
}
