#!/usr/bin/env python3
"""OR-Tools peer for the TOPTW benchmark (run by bench/toptw-compare.sh).

Google OR-Tools' routing solver on one instance: optional visits as disjunctions with
penalty = profit (scaled to dominate travel), a time dimension with the windows,
travel times truncated as in shared/data/toptw/FORMAT.md (1 decimal for Solomon-based
files, 2 for pr*), first solution AUTOMATIC, GUIDED_LOCAL_SEARCH, one thread, for the
given number of seconds. Prints the tours and, on the last line, the total profit,
like `tournee toptw`; the score is re-checked independently before it is printed.

Usage: toptw_ortools.py FILE SECONDS M
"""
import math
import sys

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

SCALE = 100


def parse(path):
    toks = [l.split() for l in open(path) if l.split()]
    n = int(toks[0][2])
    rows = toks[2 : n + 3]
    pr = path.rsplit("/", 1)[-1].startswith("pr")
    dec = 2 if pr else 1
    xy = [(float(r[1]), float(r[2])) for r in rows]
    service = [round(float(r[3]) * SCALE) for r in rows]
    profit = [round(float(r[4])) for r in rows]
    open_ = [round(float(r[-2]) * SCALE) for r in rows]
    close = [round(float(r[-1]) * SCALE) for r in rows]
    c = 3 if pr else 2  # coordinate decimals

    def t(i, j):
        dx = round(xy[i][0] * 10**c) - round(xy[j][0] * 10**c)
        dy = round(xy[i][1] * 10**c) - round(xy[j][1] * 10**c)
        return (math.isqrt(dx * dx + dy * dy) // 10 ** (c - dec)) * (SCALE // 10**dec)

    travel = [[t(i, j) for j in range(n + 1)] for i in range(n + 1)]
    return n, service, profit, open_, close, travel


def evaluate(routes, service, profit, open_, close, travel):
    seen, total, tmax = set(), 0, close[0]
    for r in routes:
        t, prev = open_[0], 0
        for c in r:
            assert c not in seen, f"{c} twice"
            seen.add(c)
            arrive = t + service[prev] + travel[prev][c]
            assert arrive <= close[c], f"{c} late"
            t, prev = max(arrive, open_[c]), c
            total += profit[c]
        assert t + service[prev] + travel[prev][0] <= tmax, "late back"
    return total


def main():
    path, seconds, m = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    n, service, profit, open_, close, travel = parse(path)
    tmax = close[0]
    manager = pywrapcp.RoutingIndexManager(n + 1, m, 0)
    routing = pywrapcp.RoutingModel(manager)

    def transit(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return service[a] + travel[a][b]

    cb = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    routing.AddDimension(cb, tmax, tmax, False, "time")
    time = routing.GetDimensionOrDie("time")
    for node in range(1, n + 1):
        idx = manager.NodeToIndex(node)
        time.CumulVar(idx).SetRange(open_[node], close[node])
        routing.AddDisjunction([idx], profit[node] * 10_000_000)
    for v in range(m):
        time.CumulVar(routing.Start(v)).SetRange(open_[0], open_[0])
        time.CumulVar(routing.End(v)).SetRange(0, tmax)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.AUTOMATIC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    sol = routing.SolveWithParameters(params)
    routes = []
    if sol:
        for v in range(m):
            idx, r = routing.Start(v), []
            while not routing.IsEnd(idx):
                node = manager.IndexToNode(idx)
                if node:
                    r.append(node)
                idx = sol.Value(routing.NextVar(idx))
            routes.append(r)
    score = evaluate(routes, service, profit, open_, close, travel)
    for i, r in enumerate(routes):
        print(f"route {i + 1}: 0 {' '.join(map(str, r))} 0")
    print(score)


if __name__ == "__main__":
    main()
