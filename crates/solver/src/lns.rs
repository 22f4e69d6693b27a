//! Large-neighbourhood search after construction and local search, for every size.
//!
//! The state is one day pattern (or none) and one crew per vehicle-day, with the
//! same bookkeeping as [`local`](crate::local): places reached per week, sites busy
//! per date and slot, mediators' hours and days. Its one building block is **the
//! best day** of a vehicle-day given all the others: for each slot, the usable free
//! sites that reach the most weighted population not yet reached that week (a
//! shortlist of [`shortlist`] sites, one per set of newly reached places), then every combination of them in slot order
//! whose drives fit ([`greedy::timing`]) and for which a crew can be found (kept, or
//! chosen among the depot's free mediators, most weekly hours left first). A sum of
//! single-stop gains bounds a combination's gain, which prunes most of them.
//!
//! 1. **Descent**: each vehicle-day in turn is replaced by its best day while that
//!    improves (the local search's move, at any size since nothing is enumerated).
//! 2. **Rounds**, repeated, each of one kind drawn at random, each kept only if
//!    the objective (reachable population per week, less driving as the
//!    tie-breaker) improves, otherwise the old days are put back:
//!    - *destroy and repair* (half the rounds): empty a few vehicle-days of one
//!      week (the whole week, or a day with one to three others), re-plan them one
//!      by one in a random order — the first re-planned day sometimes takes its
//!      second-best day, which lets a day move into an empty one and another take
//!      its place — then polish them once more with best days; a day holding
//!      promised stops is re-planned around them (they stay, in their slots);
//!    - *move a day* (three in ten): a day's stops go to another vehicle-day of the
//!      same depot (any week), that day's stops come back in exchange when they fit,
//!      and both are polished — a good pattern shifts to another day or week;
//!    - *copy a week* (two in ten): every vehicle-day of a week takes the stops its
//!      vehicle makes the same weekday in another week when they fit there, the
//!      others their best days, then all are polished — weeks are nearly the same
//!      problem, so a better week spreads to the others.
//!
//! The scenario's rules are those of every optimiser: site rules per scenario
//! (school holidays), days off, the shared day timing (hours, EU driving time), a
//! driver holding the vehicle's licence in every crew, and the objective's
//! `repeat_factors` (each stop's reach counted, a place's k-th reach in a week worth
//! its share). **Promises**: a vehicle-day holding promised visits keeps them in
//! their slots (the rest of its day may change; it is never moved or copied
//! whole), and sites of promised communes take no other stop, so every promise
//! kept before is kept after; the plan reports the promises it does not keep, like
//! every optimiser.
//!
//! Two chains run side by side (one per core) from the same start with seeds
//! derived from the scenario's seed; the better plan wins, the first chain on a tie.
//! Without a deadline, a chain stops after [`PATIENCE`] rounds in a row without
//! improvement (or [`ROUNDS`] in all) and the result depends only on the inputs;
//! with one, chains use the time up to it (or [`ROUNDS`]; with `Options::patient`,
//! patience still ends them earlier), and the plan depends on the machine's speed,
//! but is always complete and valid.

use std::collections::HashSet;
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tournee_model::scenario::CycleDay;
use tournee_model::{Plan, Progress, StopSignal, TimeOfDay};

use crate::exact::Pattern;

use crate::greedy::{self, MediatorLog};
use crate::instance::Instance;
use crate::promises;
use crate::reach::{self, WeekShares};

/// Driving's weight per second in the objective (the tie-breaker of every stage).
const DRIVE_WEIGHT: f64 = 1e-3;
/// Destroy-and-repair rounds per chain at most.
pub const ROUNDS: usize = 200_000;
/// A chain stops after this many rounds in a row without improvement.
pub const PATIENCE: usize = 600;
/// Chains run in parallel by default (one per core of the target machine).
pub const CHAINS: usize = 2;

/// How the search is bounded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Stop the rounds at this instant (the descent and the current round finish).
    pub deadline: Option<Instant>,
    /// Rounds per chain; `None` for [`ROUNDS`].
    pub rounds: Option<usize>,
    /// Chains (threads); `None` for [`CHAINS`].
    pub chains: Option<usize>,
    /// With a deadline, still end a chain after [`PATIENCE`] idle rounds (the
    /// deadline is then a cap, not a time to use up).
    pub patient: bool,
}

/// Sites kept per slot when building a best day, by number of slots (the
/// combinations grow as `shortlist^slots`).
pub fn shortlist(slots: usize) -> usize {
    match slots {
        0 | 1 => 80,
        2 => 30,
        3 => 10,
        4 => 6,
        _ => 4,
    }
}

type Snapshot = Vec<(Option<Vec<(usize, usize)>>, Vec<usize>)>;
/// Days taken out of a state: (vehicle-day, its day, its crew).
type Saved = Vec<(usize, Option<Pattern>, Vec<usize>)>;

struct VDay {
    vi: usize,
    di: usize,
    depot: usize,
    cur: Option<Pattern>,
    crew: Vec<usize>,
    /// Its stops at promised sites, which every day it takes keeps (slot, site).
    forced: Vec<(usize, usize)>,
}

struct State<'a> {
    inst: &'a Instance<'a>,
    days: Vec<CycleDay>,
    values: Vec<f64>,
    /// Sites with some reach usable on day `di` in slot `s`: `usable[di][s]`.
    usable: Vec<Vec<Vec<usize>>>,
    vdays: Vec<VDay>,
    /// Per period (`Objective::period_of`) and place, the shares of the stops
    /// reaching it (`reach`).
    count: Vec<WeekShares>,
    busy: HashSet<(usize, usize, usize)>,
    logs: Vec<MediatorLog>,
    on_day: HashSet<(usize, usize)>,
}

impl<'a> State<'a> {
    fn new(inst: &'a Instance<'a>, plan: &Plan) -> Option<State<'a>> {
        let sc = inst.scenario;
        let setup = sc.setup();
        let days = sc.cycle_days();
        let rules = inst.site_rules();
        // Promised visits stay where construction and local search put them: sites
        // of promised communes take no new stop, and a day holding a promised visit
        // is left as it is (see the module doc).
        let promised = promises::promised_sites(inst);
        let usable = days
            .iter()
            .map(|day| {
                sc.slots
                    .iter()
                    .map(|slot| {
                        (0..inst.sites.len())
                            .filter(|&site| {
                                !promised[site]
                                    && !inst.coverage.by_site[site].is_empty()
                                    && rules[site]
                                        .usable(day.date, slot.start - setup, slot.end + setup)
                                        .is_ok()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut vdays = Vec::new();
        for (di, day) in days.iter().enumerate() {
            for (vi, v) in sc.vehicles.iter().enumerate() {
                if !v.runs_on(sc, day.weekday)
                    || sc.is_day_off(day.date)
                    || v.unavailable.contains(&day.date)
                {
                    continue;
                }
                let Some(depot) = inst.depot_point(v) else {
                    continue;
                };
                vdays.push(VDay {
                    vi,
                    di,
                    depot,
                    cur: None,
                    crew: Vec::new(),
                    forced: Vec::new(),
                });
            }
        }
        let site_of = inst.site_index();
        for r in &plan.routes {
            let vd = vdays
                .iter_mut()
                .find(|d| sc.vehicles[d.vi].id == r.vehicle && days[d.di].date == r.date)?;
            let mut stops = Vec::new();
            for v in &r.visits {
                let site = *site_of.get(&v.site)?;
                let s = sc.slots.iter().position(|x| x.name == v.slot)?;
                stops.push((s, site));
            }
            let v = &sc.vehicles[vd.vi];
            let timing = greedy::timing(inst, v, vd.depot, &stops)?;
            vd.forced = stops
                .iter()
                .copied()
                .filter(|&(_, site)| promised[site])
                .collect();
            vd.cur = Some(pattern(inst, stops, timing));
            vd.crew = r
                .crew
                .iter()
                .map(|id| sc.mediators.iter().position(|m| &m.id == id))
                .collect::<Option<Vec<_>>>()?;
        }
        let mut st = State {
            inst,
            days,
            values: inst.place_values(),
            usable,
            vdays: Vec::new(),
            count: vec![vec![Vec::new(); inst.places.len()]; sc.objective.periods(sc.cycle_weeks)],
            busy: HashSet::new(),
            logs: (0..sc.mediators.len())
                .map(|_| MediatorLog::default())
                .collect(),
            on_day: HashSet::new(),
        };
        st.vdays = vdays;
        for i in 0..st.vdays.len() {
            st.apply(i, true);
        }
        Some(st)
    }

    /// Adds (or removes) vehicle-day `i`'s current day to the bookkeeping.
    fn apply(&mut self, i: usize, add: bool) {
        let vd = &self.vdays[i];
        let Some(p) = &vd.cur else { return };
        let day = &self.days[vd.di];
        for &(pl, share) in &p.places {
            let period = self.inst.scenario.objective.period_of(day.week);
            let list = &mut self.count[period][pl];
            if add {
                reach::insert(list, share);
            } else {
                reach::remove(list, share);
            }
        }
        for &(s, site) in &p.stops {
            if add {
                self.busy.insert((vd.di, s, site));
            } else {
                self.busy.remove(&(vd.di, s, site));
            }
        }
        let dur = p.timing.back.0 - p.timing.depart.0;
        for &m in &vd.crew {
            let log = &mut self.logs[m];
            let w = log.week_seconds.entry(day.week).or_default();
            if add {
                *w += dur;
                log.days.insert(day.date, (p.timing.depart, p.timing.back));
                self.on_day.insert((m, vd.di));
            } else {
                *w -= dur;
                log.days.remove(&day.date);
                self.on_day.remove(&(m, vd.di));
            }
        }
    }

    /// What adding the reaches `places` (sorted, once per stop reaching them) to
    /// week `week` earns: what each adds to its place's weekly value.
    fn gain(&self, week: usize, places: &[(usize, f64)]) -> f64 {
        let obj = &self.inst.scenario.objective;
        let mut total = 0.0;
        reach::added_values(obj, &self.count[week], places, |pl, added| {
            total += self.values[pl] * added;
        });
        total
    }

    /// Reachable population per week (repeats at their share), less the driving
    /// tie-breaker.
    fn objective(&self) -> f64 {
        let weeks = self.inst.scenario.cycle_weeks.max(1) as f64;
        let obj = &self.inst.scenario.objective;
        let reached: f64 = self
            .count
            .iter()
            .map(|w| {
                w.iter()
                    .zip(&self.values)
                    .filter(|(c, _)| !c.is_empty())
                    .map(|(c, v)| v * obj.weekly_value(&mut c.clone()))
                    .sum::<f64>()
            })
            .sum();
        let driving: u32 = self
            .vdays
            .iter()
            .filter_map(|d| d.cur.as_ref())
            .map(|p| p.timing.driving())
            .sum();
        reached / weeks - DRIVE_WEIGHT * driving as f64
    }

    /// A crew for vehicle-day `i` working `depart..back`: `keep` if it can, else
    /// the depot's free mediators with the most weekly hours left.
    fn crew_for(
        &self,
        i: usize,
        keep: &[usize],
        depart: TimeOfDay,
        back: TimeOfDay,
    ) -> Option<Vec<usize>> {
        let sc = self.inst.scenario;
        let vd = &self.vdays[i];
        let (v, day) = (&sc.vehicles[vd.vi], &self.days[vd.di]);
        let dur = back.0 - depart.0;
        let used = |m: usize| {
            self.logs[m]
                .week_seconds
                .get(&day.week)
                .copied()
                .unwrap_or(0)
        };
        let fits = |m: usize| {
            let med = &sc.mediators[m];
            dur as f64 <= med.max_hours_per_day * 3600.0
                && (used(m) + dur) as f64 <= med.max_hours_per_week * 3600.0
                && self.logs[m].rest_ok(day.date, depart, back)
        };
        if keep.len() == v.crew_size as usize
            && keep
                .iter()
                .all(|&m| fits(m) && !self.on_day.contains(&(m, vd.di)))
        {
            return Some(keep.to_vec());
        }
        let mut free: Vec<usize> = (0..sc.mediators.len())
            .filter(|&m| {
                let med = &sc.mediators[m];
                med.base == v.depot
                    && med.works_on(sc, day.weekday)
                    && !med.leave.contains(&day.date)
                    && !self.on_day.contains(&(m, vd.di))
                    && fits(m)
            })
            .collect();
        let left = |m: usize| sc.mediators[m].max_hours_per_week * 3600.0 - used(m) as f64;
        free.sort_by(|&a, &b| {
            left(b)
                .total_cmp(&left(a))
                .then(sc.mediators[a].id.cmp(&sc.mediators[b].id))
        });
        // The first `crew_size`, with a driver for the vehicle among them (its
        // licence): when none is, the best-ranked mediator who may drive it takes
        // the last place.
        let n = v.crew_size as usize;
        if free.len() < n {
            return None;
        }
        let can_drive = |m: usize| sc.mediators[m].can_drive(v);
        let mut crew = free[..n].to_vec();
        if n > 0 && !crew.iter().any(|&m| can_drive(m)) {
            crew[n - 1] = *free[n..].iter().find(|&&m| can_drive(m))?;
        }
        Some(crew)
    }

    /// The best and second-best days of vehicle-day `i` (taken out of the
    /// bookkeeping) given all others, with their score and crew; only days scoring
    /// above staying at the depot (0).
    fn best_days(&self, i: usize, keep: &[usize]) -> Vec<(f64, Pattern, Vec<usize>)> {
        let inst = self.inst;
        let sc = inst.scenario;
        let vd = &self.vdays[i];
        let day = &self.days[vd.di];
        let week = sc.objective.period_of(day.week);
        let weeks = self.inst.scenario.cycle_weeks.max(1) as f64;
        let count = &self.count[week];
        let k = shortlist(sc.slots.len());
        let single = |site: usize| -> f64 {
            inst.coverage.by_site[site]
                .iter()
                .map(|c| {
                    let p = c.place.0 as usize;
                    self.values[p] * sc.objective.added_value(&count[p], c.share)
                })
                .sum()
        };
        let lists: Vec<Vec<(f64, usize)>> = (0..sc.slots.len())
            .map(|s| {
                let mut c: Vec<(f64, usize)> = self.usable[vd.di][s]
                    .iter()
                    .filter(|&&site| !self.busy.contains(&(vd.di, s, site)))
                    .map(|&site| (single(site), site))
                    .filter(|(g, _)| *g > 0.0)
                    .collect();
                c.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                // One site per set of places it adds value to: a town's many squares
                // reach the same villages and would fill the shortlist alone. (With
                // repeats, places already reached still gain: they count too.)
                let mut seen: HashSet<Vec<u32>> = HashSet::new();
                c.retain(|&(_, site)| {
                    seen.len() < k
                        && seen.insert(
                            inst.coverage.by_site[site]
                                .iter()
                                .filter(|c| {
                                    sc.objective
                                        .added_value(&count[c.place.0 as usize], c.share)
                                        > 0.0
                                })
                                .map(|c| c.place.0)
                                .collect(),
                        )
                });
                // A promised stop of the day is its slot's only choice.
                if let Some(&(_, site)) = vd.forced.iter().find(|f| f.0 == s) {
                    c = vec![(single(site), site)];
                }
                c
            })
            .collect();
        let mut top: Vec<(f64, Pattern, Vec<usize>)> = Vec::new();
        let mut chosen: Vec<(usize, usize)> = Vec::new();
        let mut stack_gain = 0.0;
        #[allow(clippy::too_many_arguments)]
        fn walk(
            st: &State,
            i: usize,
            keep: &[usize],
            lists: &[Vec<(f64, usize)>],
            s: usize,
            chosen: &mut Vec<(usize, usize)>,
            stack_gain: &mut f64,
            weeks: f64,
            top: &mut Vec<(f64, Pattern, Vec<usize>)>,
        ) {
            if s == lists.len() {
                if chosen.is_empty() {
                    return;
                }
                // Upper bound of the score: single gains add up to at least the union.
                // A day holding promised stops runs whatever it scores.
                let base = if st.vdays[i].forced.is_empty() {
                    0.0
                } else {
                    f64::NEG_INFINITY
                };
                let floor = if top.len() >= 2 { top[1].0 } else { base };
                if *stack_gain / weeks <= floor + 1e-9 {
                    return;
                }
                let inst = st.inst;
                let vd = &st.vdays[i];
                let v = &inst.scenario.vehicles[vd.vi];
                let Some(timing) = greedy::timing(inst, v, vd.depot, chosen) else {
                    return;
                };
                let p = pattern(inst, chosen.clone(), timing);
                let week = st.inst.scenario.objective.period_of(st.days[vd.di].week);
                let gain = st.gain(week, &p.places);
                let score = gain / weeks - DRIVE_WEIGHT * p.timing.driving() as f64;
                if score <= floor + 1e-9 {
                    return;
                }
                let Some(crew) = st.crew_for(i, keep, p.timing.depart, p.timing.back) else {
                    return;
                };
                let at = top.iter().position(|t| score > t.0).unwrap_or(top.len());
                top.insert(at, (score, p, crew));
                top.truncate(2);
                return;
            }
            if !st.vdays[i].forced.iter().any(|f| f.0 == s) {
                walk(st, i, keep, lists, s + 1, chosen, stack_gain, weeks, top);
            }
            for &(g, site) in &lists[s] {
                if chosen.iter().any(|c| c.1 == site) {
                    continue;
                }
                chosen.push((s, site));
                *stack_gain += g;
                walk(st, i, keep, lists, s + 1, chosen, stack_gain, weeks, top);
                *stack_gain -= g;
                chosen.pop();
            }
        }
        walk(
            self,
            i,
            keep,
            &lists,
            0,
            &mut chosen,
            &mut stack_gain,
            weeks,
            &mut top,
        );
        top
    }

    /// Replaces vehicle-day `i` by its best day if that scores more than its
    /// current one (or than staying home); returns whether it changed.
    fn improve_day(&mut self, i: usize) -> bool {
        let weeks = self.inst.scenario.cycle_weeks.max(1) as f64;
        self.apply(i, false);
        let current = self.vdays[i].cur.as_ref().map_or(0.0, |p| {
            let week = self
                .inst
                .scenario
                .objective
                .period_of(self.days[self.vdays[i].di].week);
            self.gain(week, &p.places) / weeks - DRIVE_WEIGHT * p.timing.driving() as f64
        });
        let keep = self.vdays[i].crew.clone();
        let best = self.best_days(i, &keep).into_iter().next();
        let changed = match best {
            Some((score, p, crew)) if score > current + 1e-9 => {
                self.vdays[i].cur = Some(p);
                self.vdays[i].crew = crew;
                true
            }
            None if current < -1e-9 && self.vdays[i].forced.is_empty() => {
                self.vdays[i].cur = None;
                self.vdays[i].crew.clear();
                true
            }
            _ => false,
        };
        self.apply(i, true);
        changed
    }

    /// Each vehicle-day's stops and crew.
    fn snapshot(&self) -> Snapshot {
        self.vdays
            .iter()
            .map(|d| (d.cur.as_ref().map(|p| p.stops.clone()), d.crew.clone()))
            .collect()
    }

    /// Sets every vehicle-day from a snapshot of a state of the same instance.
    fn load(&mut self, snap: &Snapshot) {
        for i in 0..self.vdays.len() {
            self.apply(i, false);
        }
        for (i, (stops, crew)) in snap.iter().enumerate() {
            let vd = &self.vdays[i];
            let v = &self.inst.scenario.vehicles[vd.vi];
            let cur = stops.as_ref().and_then(|stops| {
                let timing = greedy::timing(self.inst, v, vd.depot, stops)?;
                Some(pattern(self.inst, stops.clone(), timing))
            });
            let vd = &mut self.vdays[i];
            vd.crew = if cur.is_some() {
                crew.clone()
            } else {
                Vec::new()
            };
            vd.cur = cur;
        }
        for i in 0..self.vdays.len() {
            self.apply(i, true);
        }
    }

    fn descent(&mut self, deadline: Option<Instant>, stop: &StopSignal) {
        for _ in 0..50 {
            let mut improved = false;
            for i in 0..self.vdays.len() {
                if stop.stopped() {
                    return;
                }
                improved |= self.improve_day(i);
            }
            if !improved || deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
    }

    /// Sets the empty vehicle-day `i` (out of the bookkeeping) to `stops` if they
    /// are usable that date, free, fit the vehicle's hours and a crew is found
    /// (`keep` if it can); returns whether it did.
    fn try_set(&mut self, i: usize, stops: &[(usize, usize)], keep: &[usize]) -> bool {
        let vd = &self.vdays[i];
        let di = vd.di;
        if stops.iter().any(|&(s, site)| {
            self.usable[di][s].binary_search(&site).is_err() || self.busy.contains(&(di, s, site))
        }) {
            return false;
        }
        let inst = self.inst;
        let v = &inst.scenario.vehicles[vd.vi];
        let Some(timing) = greedy::timing(inst, v, vd.depot, stops) else {
            return false;
        };
        let Some(crew) = self.crew_for(i, keep, timing.depart, timing.back) else {
            return false;
        };
        self.vdays[i].cur = Some(pattern(inst, stops.to_vec(), timing));
        self.vdays[i].crew = crew;
        self.apply(i, true);
        true
    }

    /// One round of the kind drawn: destroy and repair days of a week (half the
    /// rounds), a week re-planned from another week's days, or a day's stops moved
    /// to another day of the same vehicle; returns whether it improved.
    fn round(&mut self, rng: &mut ChaCha8Rng) -> bool {
        match rng.random_range(0..10u32) {
            0..=4 => self.repair_round(rng),
            5..=7 => self.move_round(rng),
            _ => self.week_round(rng),
        }
    }

    /// Keeps the change to `set` (whose old days are `saved`) if the objective
    /// rose above `before`, else puts the old days back.
    fn keep_or_undo(&mut self, set: &[usize], saved: Saved, before: f64) -> bool {
        let promises_held = set.iter().all(|&i| {
            let vd = &self.vdays[i];
            vd.forced
                .iter()
                .all(|f| vd.cur.as_ref().is_some_and(|p| p.stops.contains(f)))
        });
        if promises_held && self.objective() > before + 1e-9 {
            return true;
        }
        for &i in set {
            self.apply(i, false);
            self.vdays[i].cur = None;
            self.vdays[i].crew.clear();
        }
        for (i, cur, crew) in saved {
            self.vdays[i].cur = cur;
            self.vdays[i].crew = crew;
            self.apply(i, true);
        }
        false
    }

    /// Takes the days of `set` out: they are empty, their old days returned.
    fn destroy(&mut self, set: &[usize]) -> Saved {
        let mut saved = Vec::new();
        for &i in set {
            self.apply(i, false);
            let vd = &mut self.vdays[i];
            saved.push((i, vd.cur.take(), std::mem::take(&mut vd.crew)));
        }
        saved
    }

    /// Fills the still empty days of `set` with their best days, in order, then
    /// polishes all of them once.
    fn refill(&mut self, set: &[usize], saved: &Saved) {
        for &i in set {
            if self.vdays[i].cur.is_some() {
                continue;
            }
            let keep = saved
                .iter()
                .find(|s| s.0 == i)
                .map(|s| s.2.clone())
                .unwrap_or_default();
            if let Some((_, p, crew)) = self.best_days(i, &keep).into_iter().next() {
                self.vdays[i].cur = Some(p);
                self.vdays[i].crew = crew;
                self.apply(i, true);
            }
        }
        for &i in set {
            self.improve_day(i);
        }
    }

    /// A day's stops moved to another day of the same depot's vehicles (any week),
    /// whose own stops go back to the first day when they fit there; then both are
    /// re-planned around them.
    fn move_round(&mut self, rng: &mut ChaCha8Rng) -> bool {
        let sc = self.inst.scenario;
        let busy: Vec<usize> = (0..self.vdays.len())
            .filter(|&j| self.vdays[j].forced.is_empty() && self.vdays[j].cur.is_some())
            .collect();
        if busy.is_empty() {
            return false;
        }
        let a = busy[rng.random_range(0..busy.len())];
        let depot = &sc.vehicles[self.vdays[a].vi].depot;
        let others: Vec<usize> = (0..self.vdays.len())
            .filter(|&j| {
                j != a
                    && self.vdays[j].forced.is_empty()
                    && &sc.vehicles[self.vdays[j].vi].depot == depot
            })
            .collect();
        if others.is_empty() {
            return false;
        }
        let b = others[rng.random_range(0..others.len())];
        let before = self.objective();
        let set = [a, b];
        let saved = self.destroy(&set);
        let stops = |k: usize| saved[k].1.as_ref().map(|p| p.stops.clone());
        let crew = |k: usize| saved[k].2.clone();
        if let Some(sa) = stops(0) {
            self.try_set(b, &sa, &crew(1));
        }
        if let Some(sb) = stops(1) {
            self.try_set(a, &sb, &crew(0));
        }
        self.refill(&set, &saved);
        self.keep_or_undo(&set, saved, before)
    }

    /// A week's days re-planned from another week: each vehicle-day takes the
    /// stops its vehicle makes the same weekday in the source week when they fit,
    /// the rest their best days.
    fn week_round(&mut self, rng: &mut ChaCha8Rng) -> bool {
        let weeks = self.inst.scenario.cycle_weeks;
        if weeks < 2 {
            return false;
        }
        let target = rng.random_range(0..weeks);
        let source = (target + rng.random_range(1..weeks)) % weeks;
        let set: Vec<usize> = (0..self.vdays.len())
            .filter(|&j| {
                self.vdays[j].forced.is_empty() && self.days[self.vdays[j].di].week == target
            })
            .collect();
        if set.is_empty() {
            return false;
        }
        let before = self.objective();
        let saved = self.destroy(&set);
        for (k, &i) in set.iter().enumerate() {
            let (vi, weekday) = (self.vdays[i].vi, self.days[self.vdays[i].di].weekday);
            let from = self.vdays.iter().find(|d| {
                d.vi == vi && self.days[d.di].week == source && self.days[d.di].weekday == weekday
            });
            if let Some(stops) = from.and_then(|d| d.cur.as_ref()).map(|p| p.stops.clone()) {
                let keep = saved[k].2.clone();
                self.try_set(i, &stops, &keep);
            }
        }
        self.refill(&set, &saved);
        self.keep_or_undo(&set, saved, before)
    }

    /// One destroy-and-repair round; returns whether it improved the objective.
    fn repair_round(&mut self, rng: &mut ChaCha8Rng) -> bool {
        // Days holding promised stops are re-planned around them.
        let free: Vec<usize> = (0..self.vdays.len()).collect();
        if free.is_empty() {
            return false;
        }
        let before = self.objective();
        let pivot = free[rng.random_range(0..free.len())];
        let week = self.days[self.vdays[pivot].di].week;
        let mut same_week: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&j| j != pivot && self.days[self.vdays[j].di].week == week)
            .collect();
        same_week.shuffle(rng);
        let extra = if rng.random_bool(0.25) {
            same_week.len()
        } else {
            rng.random_range(1..=3usize).min(same_week.len())
        };
        let mut set = vec![pivot];
        set.extend(same_week.into_iter().take(extra));
        let saved = self.destroy(&set);
        // Repair in a random order; the first day sometimes takes its second best.
        set.shuffle(rng);
        if let Some(&first) = set.first() {
            let keep = saved
                .iter()
                .find(|s| s.0 == first)
                .map(|s| s.2.clone())
                .unwrap_or_default();
            let mut best = self.best_days(first, &keep);
            if best.len() == 2 && rng.random_bool(0.5) {
                best.swap(0, 1);
            }
            if let Some((_, p, crew)) = best.into_iter().next() {
                self.vdays[first].cur = Some(p);
                self.vdays[first].crew = crew;
                self.apply(first, true);
            }
        }
        self.refill(&set, &saved);
        self.keep_or_undo(&set, saved, before)
    }
}

fn pattern(inst: &Instance, stops: Vec<(usize, usize)>, timing: greedy::DayTiming) -> Pattern {
    let mut places: Vec<(usize, f64)> = stops
        .iter()
        .flat_map(|&(_, site)| {
            inst.coverage.by_site[site]
                .iter()
                .map(|c| (c.place.0 as usize, c.share))
        })
        .collect();
    // Once per stop reaching them: a second reach the same day may be worth a
    // share (`repeat_factors`).
    reach::sort_reaches(&mut places);
    Pattern {
        stops,
        timing,
        places,
    }
}

/// Improves `plan` (made for `inst`) by descent, then destroy-and-repair rounds.
/// Returns the plan unchanged when it cannot be read back or nothing improves.
pub fn improve(inst: &Instance, plan: Plan, progress: &dyn Progress, opts: Options) -> Plan {
    let Some(mut start) = State::new(inst, &plan) else {
        return plan;
    };
    let sc = inst.scenario;
    let rounds = opts.rounds.unwrap_or(ROUNDS);
    progress.begin(
        &tournee_i18n::tr!("solver-stage-lns", chains = opts.chains.unwrap_or(CHAINS)),
        0,
    );
    // The caller's hard stop (a cancelled or timed-out job), checked inside the
    // descent and between rounds; the plan is then returned as it stands.
    let stop = progress.stop_signal();
    let before = start.objective();
    start.descent(opts.deadline, &stop);
    let start_obj = start.objective();
    let snap = start.snapshot();
    // Each chain works on its own copy of the descended state, with its own seed.
    let chain = |c: u64| -> Option<(f64, (usize, usize), Snapshot)> {
        if stop.stopped() {
            return None;
        }
        let mut st = State::new(inst, &plan)?;
        st.load(&snap);
        let mut rng =
            ChaCha8Rng::seed_from_u64(sc.seed ^ 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(c + 1));
        let (mut kept, mut idle, mut done) = (0, 0, 0);
        for _ in 0..rounds {
            // With a deadline, the time is used up (unless `patient`); without,
            // patience ends the chain.
            if ((opts.deadline.is_none() || opts.patient) && idle >= PATIENCE)
                || opts.deadline.is_some_and(|d| Instant::now() >= d)
                || stop.stopped()
                || progress.cancelled()
            {
                break;
            }
            done += 1;
            if st.round(&mut rng) {
                kept += 1;
                idle = 0;
            } else {
                idle += 1;
            }
        }
        Some((st.objective(), (kept, done), st.snapshot()))
    };
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..opts.chains.unwrap_or(CHAINS).max(1) as u64)
            .map(|c| s.spawn(move || chain(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    // Deterministic reduction: the best objective, the first chain on a tie.
    let mut best: Option<(f64, (usize, usize), Snapshot)> = None;
    for r in results.into_iter().flatten() {
        if best.as_ref().is_none_or(|b| r.0 > b.0 + 1e-9) {
            best = Some(r);
        }
    }
    let (kept, done) = best.as_ref().map_or((0, 0), |b| b.1);
    if let Some((obj, _, days)) = best {
        if obj > start_obj + 1e-9 {
            start.load(&days);
        }
    }
    let after = start.objective();
    if after <= before + 1e-9 {
        progress.done(&tournee_i18n::tr!("solver-lns-none"));
        return plan;
    }
    let out = to_plan(&start, plan);
    progress.done(&tournee_i18n::tr!(
        "solver-lns-done",
        kept = kept,
        done = done,
        population = tournee_i18n::decimal(out.summary.reachable_population_per_week, 1)
    ));
    out
}

/// A vehicle's day given from outside: (vehicle id, date, its (slot, site) stops).
pub(crate) type GivenDay<'a> = (&'a str, chrono::NaiveDate, Vec<(usize, usize)>);

/// A plan of `inst` from given stops per (vehicle id, date): each day set as
/// [`State::try_set`] does (usable, free, timed, crewed), in date order; a day that
/// does not fit is left out and said in `dropped`. `base`: a plan of `inst` with no
/// routes (its days off and reasons are kept). `None` if `base` cannot be read.
pub(crate) fn assemble(
    inst: &Instance,
    base: &Plan,
    days: &[GivenDay],
    method: &str,
    dropped: &mut Vec<String>,
) -> Option<Plan> {
    let sc = inst.scenario;
    let mut st = State::new(inst, base)?;
    let mut order: Vec<&GivenDay> = days.iter().collect();
    order.sort_by_key(|d| (d.1, d.0));
    for (vehicle, date, stops) in order {
        let i = st
            .vdays
            .iter()
            .position(|d| sc.vehicles[d.vi].id == *vehicle && st.days[d.di].date == *date);
        let why = match i {
            None => Some("not a vehicle-day of the scenario"),
            Some(i) if st.vdays[i].cur.is_some() => Some("the vehicle-day twice"),
            Some(i) => (!stops.is_empty() && !st.try_set(i, stops, &[]))
                .then_some("stops not usable, taken, out of hours or no crew free"),
        };
        if let Some(why) = why {
            dropped.push(format!("{vehicle} {date}: {why}"));
        }
    }
    let plan = Plan {
        method: method.to_string(),
        ..base.clone()
    };
    let mut out = to_plan(&st, plan);
    out.method = method.to_string();
    Some(out)
}

/// The plan of state `st`, with the days off and reasons of `plan`.
fn to_plan(st: &State, plan: Plan) -> Plan {
    let inst = st.inst;
    let sc = inst.scenario;
    let setup = sc.setup();
    let mut routes = Vec::new();
    let mut logs: std::collections::HashMap<&str, MediatorLog> = Default::default();
    for vd in &st.vdays {
        if let Some(p) = &vd.cur {
            let (v, day) = (&sc.vehicles[vd.vi], &st.days[vd.di]);
            let crew: Vec<_> = vd.crew.iter().map(|&m| &sc.mediators[m]).collect();
            for m in &crew {
                let log = logs.entry(m.id.as_str()).or_default();
                *log.week_seconds.entry(day.week).or_default() +=
                    p.timing.back.0 - p.timing.depart.0;
            }
            routes.push(greedy::day_route(
                inst, v, day, &p.stops, &p.timing, crew, setup,
            ));
        }
    }
    routes.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    let unplaced = greedy::relist_unplaced(
        inst,
        &plan.unplaced,
        &routes,
        st.vdays
            .iter()
            .filter(|vd| vd.cur.is_none())
            .map(|vd| (sc.vehicles[vd.vi].id.as_str(), st.days[vd.di].date)),
    );
    let summary = greedy::summarize(inst, &routes, &st.values, &logs);
    Plan {
        method: format!("{} + large-neighbourhood search", plan.method),
        routes,
        unplaced,
        summary,
        ..plan
    }
}
