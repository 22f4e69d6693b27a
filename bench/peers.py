#!/usr/bin/env python3
"""General routing engines on a Tournée scenario (run by bench/peers.sh).

Reads the instance written by `tournee peers export` and solves it with Google
OR-Tools' routing solver or VROOM (pyvroom), modelled as fairly as they allow:

- every vehicle-day that may run is a vehicle: its depot, earliest departure and
  latest return, its longest working day as the route's span (OR-Tools; VROOM has
  no span limit, the vehicle's window instead);
- every candidate site is one optional job per week, whose prize is the weighted
  population one stop there reaches per week (what it adds to the objective alone);
  a job's service lasts the slot plus the set-up before and after, and it starts
  exactly at a slot's start less the set-up (one time window per slot); it may be
  served by the vehicle-days of its week on which the site is usable in those slots
  (the most common set of usable slots of the site that week);
- the same drive-time table as Tournée's optimiser; driving costs one unit per
  second and a job's prize 1,000 units per inhabitant, the weight Tournée gives
  driving as a tie-breaker (OR-Tools: disjunction penalties; VROOM: its priority,
  an integer 0–100, scaled to the largest prize, since VROOM maximises the sum of
  priorities before it minimises cost).

What they cannot model: a prize is fixed, so it cannot see that two stops of a week
reach the same village (Tournée counts a place once a week); crews and weekly hours
(the days are crewed afterwards, `tournee peers import`, and a day no crew can take
is dropped).

Usage: peers.py ENGINE INSTANCE.json SECONDS OUT_ROUTES.json   (ENGINE: ortools|vroom)
Prints the engine's own objective (sum of prizes) and its solve time as JSON.
"""
import collections
import datetime
import json
import sys
import time

PRIZE_UNITS = 1000  # cost units per inhabitant; driving costs 1 per second


def jobs_of(inst):
    """(site index, week, slot indices, allowed vehicle-day indices) per job."""
    vdays = inst["vehicle_days"]
    out = []
    for si, site in enumerate(inst["sites"]):
        by_vday = collections.defaultdict(set)
        for k, s in site["usable"]:
            by_vday[k].add(s)
        by_week = collections.defaultdict(dict)
        for k, slots in by_vday.items():
            by_week[vdays[k]["week"]][k] = frozenset(slots)
        for week in sorted(by_week):
            sets = collections.Counter(by_week[week].values())
            best = max(sets, key=lambda t: (sets[t], len(t), sorted(t)))
            allowed = sorted(k for k, t in by_week[week].items() if t >= best)
            out.append((si, week, sorted(best), allowed))
    return out


def service(inst, s):
    _, start, end = inst["slots"][s]
    return end - start + 2 * inst["setup"]


def window(inst, s):
    return inst["slots"][s][1] - inst["setup"]


def to_routes(inst, jobs, served):
    """served: per vehicle-day index, the job indices in visiting order."""
    routes = []
    for k, seq in served.items():
        vd = inst["vehicle_days"][k]
        stops = []
        for j, start in seq:
            si, _, slots, _ = jobs[j]
            slot = min(slots, key=lambda s: abs(window(inst, s) - start))
            stops.append([inst["slots"][slot][0], inst["sites"][si]["osm"]])
        if stops:
            routes.append({"vehicle": vd["vehicle"], "date": vd["date"], "stops": stops})
    return routes


def solve_ortools(inst, jobs, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    vdays = inst["vehicle_days"]
    dur = inst["durations"]
    big = 10**7
    # Nodes: 0..V-1 the vehicle-days' depots (start and end), then the jobs.
    nv = len(vdays)
    point = [vd["depot"] for vd in vdays] + [inst["sites"][j[0]]["point"] for j in jobs]
    serv = [0] * nv + [service(inst, j[2][0]) for j in jobs]
    n = len(point)
    starts = list(range(nv))
    manager = pywrapcp.RoutingIndexManager(n, nv, starts, starts)
    routing = pywrapcp.RoutingModel(manager)

    def drive(a, b):
        d = dur[point[a]][point[b]]
        return big if d is None else d

    def cost_cb(i, j):
        return drive(manager.IndexToNode(i), manager.IndexToNode(j))

    def time_cb(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return serv[a] + drive(a, b)

    cost = routing.RegisterTransitCallback(cost_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    tcb = routing.RegisterTransitCallback(time_cb)
    routing.AddDimension(tcb, 24 * 3600, 24 * 3600, False, "time")
    td = routing.GetDimensionOrDie("time")
    for k, vd in enumerate(vdays):
        td.CumulVar(routing.Start(k)).SetRange(vd["earliest_departure"], vd["latest_return"])
        td.CumulVar(routing.End(k)).SetRange(vd["earliest_departure"], vd["latest_return"])
        td.SetSpanUpperBoundForVehicle(vd["max_span"], k)
        routing.AddVariableMinimizedByFinalizer(td.CumulVar(routing.Start(k)))
        routing.AddVariableMaximizedByFinalizer(td.CumulVar(routing.End(k)))
    for j, (si, _, slots, allowed) in enumerate(jobs):
        idx = manager.NodeToIndex(nv + j)
        times = sorted(window(inst, s) for s in slots)
        var = td.CumulVar(idx)
        var.SetRange(times[0], times[-1])
        for a, b in zip(times, times[1:]):
            if b - a > 1:
                var.RemoveInterval(a + 1, b - 1)
        # (SetAllowedVehiclesForIndex refuses a Python list in ortools 9.15.)
        routing.VehicleVar(idx).SetValues([-1] + [int(k) for k in allowed])
        penalty = max(1, round(inst["sites"][si]["prize"] * PRIZE_UNITS))
        routing.AddDisjunction([idx], penalty)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.AUTOMATIC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    sol = routing.SolveWithParameters(params)
    served = {}
    if sol:
        for k in range(nv):
            seq = []
            i = sol.Value(routing.NextVar(routing.Start(k)))
            while not routing.IsEnd(i):
                node = manager.IndexToNode(i)
                seq.append((node - nv, sol.Value(td.CumulVar(i))))
                i = sol.Value(routing.NextVar(i))
            served[k] = seq
    return served


def solve_vroom(inst, jobs, seconds):
    import vroom

    vdays = inst["vehicle_days"]
    dur = inst["durations"]
    big = 10**7
    problem = vroom.Input()
    problem.set_durations_matrix(
        profile="car", matrix_input=[[big if d is None else d for d in row] for row in dur]
    )
    # One skill per distinct set of allowed vehicle-days: a vehicle has the skills
    # of every set it belongs to.
    skill_of = {}
    vehicle_skills = collections.defaultdict(set)
    for _, _, _, allowed in jobs:
        key = tuple(allowed)
        if key not in skill_of:
            skill_of[key] = len(skill_of)
            for k in allowed:
                vehicle_skills[k].add(skill_of[key])
    top = max(inst["sites"][j[0]]["prize"] for j in jobs)
    for k, vd in enumerate(vdays):
        problem.add_vehicle(
            vroom.Vehicle(
                k,
                start=vd["depot"],
                end=vd["depot"],
                skills=vehicle_skills[k] or {10**6},
                time_window=vroom.TimeWindow(vd["earliest_departure"], vd["latest_return"]),
            )
        )
    for j, (si, _, slots, allowed) in enumerate(jobs):
        t = sorted(window(inst, s) for s in slots)
        problem.add_job(
            vroom.Job(
                j,
                location=inst["sites"][si]["point"],
                default_service=service(inst, slots[0]),
                time_windows=[vroom.TimeWindow(a, a) for a in t],
                skills={skill_of[tuple(allowed)]},
                priority=max(0, min(100, round(100 * inst["sites"][si]["prize"] / top))),
            )
        )
    sol = problem.solve(
        exploration_level=5, nb_threads=1, timeout=datetime.timedelta(seconds=seconds)
    )
    served = collections.defaultdict(list)
    r = sol.routes
    for row in r.itertuples():
        if row.type == "job":
            served[int(row.vehicle_id)].append((int(row.id), int(row.arrival) + int(getattr(row, "waiting_time", 0))))
    return served


def main():
    engine, path, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    inst = json.load(open(path))
    jobs = jobs_of(inst)
    t0 = time.process_time()
    w0 = time.time()
    served = {"ortools": solve_ortools, "vroom": solve_vroom}[engine](inst, jobs, seconds)
    cpu, wall = time.process_time() - t0, time.time() - w0
    routes = to_routes(inst, jobs, served)
    prizes = sum(inst["sites"][jobs[j][0]]["prize"] for seq in served.values() for j, _ in seq)
    json.dump(routes, open(out, "w"))
    print(json.dumps({"engine": engine, "jobs": len(jobs), "vehicles": len(inst["vehicle_days"]),
                      "own_objective": prizes, "solve_cpu_s": round(cpu, 1), "solve_wall_s": round(wall, 1)}))


if __name__ == "__main__":
    main()
