#!/usr/bin/env python3
"""The worst pairs of one OSRM comparison, each put in a category.

Reads an OSRM reference folder (points.csv, durations.csv, distances.csv,
snapped.csv, as in ../shared/reference/osrm/<name>/) and the folder `tournee matrix
--points <that points.csv> --out DIR` wrote (durations.csv, distances.csv,
snaps.csv); takes the pairs OSRM drives in more than 60 s, sorts them by
|ours/OSRM - 1| on durations and prints the worst N as a Markdown table, with a
category for each (the first that applies):

- snapping: one end snaps more than 5 m away from where OSRM snaps it (a
  different road, or another point of it);
- turn: the same path (distances within 0.5 % or 10 m), OSRM the slower and its
  route makes U-turns (only with --url);
- speed rule: the same path and the times differ by 10 s or more: a speed,
  obstacle (a gate's 60 s) or penalty on a segment of the path;
- turn: the same path, the times within 10 s: turn penalties along it (angles,
  crossing traffic, U-turns, stops at the junctions);
- restriction: different paths, ours the shorter: OSRM does not drive where we
  do (a turn restriction or barrier we do not obey, a restricted area it will not
  cross);
- turn (route): different paths, ours the longer: we avoid something OSRM takes
  (a turn we forbid or cost more, a restricted entry).

With --url (an osrm-routed serving the same extract), each pair's OSRM route is
asked for and its U-turns and step count are shown, to read the categories.

Usage: bench/osrm_tails.py REFERENCE_DIR OURS_DIR [--n 20] [--url http://127.0.0.1:5000]
"""
import argparse
import csv
import json
import math
import urllib.request


def table(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    ids = rows[0][1:]
    return ids, {r[0]: [float(c) if c else None for c in r[1:]] for r in rows[1:]}


def positions(path, lon="snapped_lon", lat="snapped_lat"):
    with open(path) as f:
        return {
            r["id"]: (float(r[lon]), float(r[lat]))
            for r in csv.DictReader(f)
            if r.get(lon)
        }


def metres(a, b):
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_195


def osrm_route(url, a, b):
    q = f"{url}/route/v1/driving/{a[0]},{a[1]};{b[0]},{b[1]}?steps=true&overview=false"
    with urllib.request.urlopen(q, timeout=30) as r:
        route = json.load(r)["routes"][0]
    steps = [s for leg in route["legs"] for s in leg["steps"]]
    # A U-turn is a maneuver so called, or any intersection the route leaves by the
    # road it came in on (OSRM names some of those "turn sharp left").
    uturns = sum(
        s["maneuver"].get("modifier") == "uturn"
        or any(i.get("in") is not None and i.get("in") == i.get("out") for i in s["intersections"])
        for s in steps
    )
    return uturns, f"{len(steps)} steps, {uturns} U-turn(s)"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("reference")
    p.add_argument("ours")
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--url")
    a = p.parse_args()
    ids, ot = table(f"{a.reference}/durations.csv")
    _, od = table(f"{a.reference}/distances.csv")
    _, ut = table(f"{a.ours}/durations.csv")
    _, ud = table(f"{a.ours}/distances.csv")
    points = positions(f"{a.reference}/points.csv", "lon", "lat")
    osrm_snap = positions(f"{a.reference}/snapped.csv")
    our_snap = positions(f"{a.ours}/snaps.csv")
    pairs = []
    for i, s in enumerate(ids):
        for j, t in enumerate(ids):
            o, u = ot[s][j], ut[s][j]
            if i == j or o is None or u is None or o <= 60:
                continue
            pairs.append((abs(u / o - 1), s, t, u, o, ud[s][j], od[s][j]))
    pairs.sort(reverse=True)
    counts = {}
    print("| from → to | ours s / m | OSRM s / m | duration err. | category | why |")
    print("|---|---|---|---|---|---|")
    for e, s, t, u, o, um, om in pairs[: a.n]:
        snap = max(metres(our_snap[x], osrm_snap[x]) for x in (s, t))
        same = abs(um - om) <= max(10.0, 0.005 * om)
        uturns, steps = osrm_route(a.url, points[s], points[t]) if a.url else (0, "")
        if snap > 5:
            cat, why = "snapping", f"an end snaps {snap:.0f} m from OSRM's"
        elif same and uturns and o > u:
            cat, why = "turn", f"same path, {u - o:+.1f} s, OSRM U-turns"
        elif same and abs(u - o) >= 10:
            cat, why = "speed rule", f"same path, {u - o:+.1f} s"
        elif same:
            cat, why = "turn", f"same path, {u - o:+.1f} s"
        elif um < om:
            cat, why = "restriction", f"ours {om - um:.0f} m shorter"
        else:
            cat, why = "turn (route)", f"ours {um - om:.0f} m longer"
        if a.url:
            why += "; OSRM: " + steps
        counts[cat] = counts.get(cat, 0) + 1
        print(f"| {s} → {t} | {u:.1f} / {um:.0f} | {o:.1f} / {om:.0f} | {e * 100:.1f} % | {cat} | {why} |")
    print()
    print("Categories: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
