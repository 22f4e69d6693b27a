"""Reads one run of bench/osrm-compare.sh (its work folder) and writes the figures:
timings and peak memory from `/usr/bin/time -v`, and the accuracy of our table
against OSRM's for pairs whose OSRM duration exceeds 60 s. Replaces the extract's row
in the results CSV and rewrites the Markdown summary from the whole CSV."""
import argparse, csv, datetime, json, os, platform, statistics, subprocess

p = argparse.ArgumentParser()
for a in ("name", "n", "work", "osrm-version", "command", "note", "csv", "md"):
    p.add_argument("--" + a, required=a != "note", default="")
args = p.parse_args()
w = args.work


def gnu_time(path):
    """(wall seconds, peak RSS in MB) from a `/usr/bin/time -v` report."""
    wall = rss = None
    for line in open(path):
        line = line.strip()
        if line.startswith("Elapsed (wall clock)"):
            parts = [float(x) for x in line.rsplit(" ", 1)[1].split(":")]
            wall = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return wall, rss


def read_table(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return [[float(c) if c else None for c in r[1:]] for r in rows[1:]]


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]


osrm = json.load(open(os.path.join(w, "osrm-table.json")))
if osrm.get("code") != "Ok":
    raise SystemExit(f"OSRM table failed: {osrm.get('code')} {osrm.get('message')}")
od, odist = osrm["durations"], osrm["distances"]
ids = [r.split(",")[0] for r in open(os.path.join(w, "points.csv")).read().split("\n")[1:] if r]
for fname, table in (("osrm-durations.csv", od), ("osrm-distances.csv", odist)):
    with open(os.path.join(w, fname), "w") as f:
        f.write("id," + ",".join(ids) + "\n")
        for i, row in zip(ids, table):
            f.write(i + "," + ",".join("" if v is None else f"{v:.1f}" for v in row) + "\n")
ud = read_table(os.path.join(w, "ours", "durations.csv"))
udist = read_table(os.path.join(w, "ours", "distances.csv"))
n = len(ids)
dur_err, dist_err, worst = [], [], []
only_ours = only_osrm = 0
for i in range(n):
    for j in range(n):
        if i == j:
            continue
        a, b = ud[i][j], od[i][j]
        if (a is None) != (b is None):
            only_ours += b is None
            only_osrm += a is None
            continue
        if a is None or b <= 60:
            continue
        e = abs(a / b - 1)
        dur_err.append(e)
        if odist[i][j] and odist[i][j] > 0:
            dist_err.append(abs(udist[i][j] / odist[i][j] - 1))
        worst.append((e, ids[i], ids[j], a, b, udist[i][j], odist[i][j]))
worst.sort(reverse=True)
with open(os.path.join(w, "worst-pairs.csv"), "w") as f:
    f.write("abs_err,from,to,ours_s,osrm_s,ours_m,osrm_m\n")
    for r in worst[:200]:
        f.write(",".join(str(x) for x in r) + "\n")
snaps = [s["distance"] for s in osrm["sources"]]

runs = [json.load(open(os.path.join(w, f"ours-timings-{i}.json"))) for i in (1, 2, 3)]
med = lambda f: statistics.median(f(t) for t in runs)
oi_wall = med(lambda t: t["import_s"] + t["graph_s"] + t.get("contract_s", 0.0))
# Writing the CSV files counts, as OSRM's time includes writing its JSON answer.
ours_table = med(lambda t: t["snap_s"] + t["table_s"] + t["write_s"])
_, oi_rss = gnu_time(os.path.join(w, "ours-import.time"))
ot_wall, ot_rss = gnu_time(os.path.join(w, "ours-table.time"))
ex_wall, ex_rss = gnu_time(os.path.join(w, "osrm-extract.time"))
co_wall, co_rss = gnu_time(os.path.join(w, "osrm-contract.time"))
_, ro_rss = gnu_time(os.path.join(w, "osrm-routed.time"))
osrm_table = statistics.median(float(x) for x in open(os.path.join(w, "osrm-table-times")) if x.strip())
row = {
    "extract": args.name,
    "source": args.note,
    "pbf_mb": f"{os.path.getsize(os.path.join(w, 'osrm', args.name + '.osm.pbf')) / 1e6:.2f}",
    "points": n,
    "date": datetime.date.today().isoformat(),
    "ours_import_s": f"{oi_wall:.3f}",
    "osrm_import_s": f"{ex_wall + co_wall:.2f}",
    "import_ratio": f"{oi_wall / (ex_wall + co_wall):.3f}",
    "ours_table_s": f"{ours_table:.3f}",
    "osrm_table_s": f"{osrm_table:.3f}",
    "table_ratio": f"{ours_table / osrm_table:.3f}",
    "ours_import_rss_mb": f"{oi_rss:.0f}",
    "osrm_import_rss_mb": f"{max(ex_rss, co_rss):.0f}",
    "import_rss_ratio": f"{oi_rss / max(ex_rss, co_rss):.3f}",
    "ours_table_rss_mb": f"{ot_rss:.0f}",
    "osrm_routed_rss_mb": f"{ro_rss:.0f}",
    "osrm_contract_rss_mb": f"{co_rss:.0f}",
    # The bar of issue 17: tournee matrix's peak against the larger of osrm-contract's
    # and osrm-routed's.
    "matrix_rss_ratio": f"{ot_rss / max(co_rss, ro_rss):.3f}",
    "pairs_over_60s": len(dur_err),
    "dur_median_pct": f"{100 * statistics.median(dur_err):.2f}" if dur_err else "",
    "dur_p95_pct": f"{100 * quantile(dur_err, 0.95):.2f}" if dur_err else "",
    "dist_median_pct": f"{100 * statistics.median(dist_err):.2f}" if dist_err else "",
    "dist_p95_pct": f"{100 * quantile(dist_err, 0.95):.2f}" if dist_err else "",
    "unreachable_only_ours": only_osrm,
    "unreachable_only_osrm": only_ours,
    "osrm_snap_median_m": f"{statistics.median(snaps):.1f}",
    "command": args.command,
}
rows = []
if os.path.exists(args.csv):
    rows = [r for r in csv.DictReader(open(args.csv)) if r["extract"] != args.name]
rows.append(row)
rows.sort(key=lambda r: r["extract"])
with open(args.csv, "w", newline="") as f:
    out = csv.DictWriter(f, fieldnames=list(row), restval="")
    out.writeheader()
    out.writerows(rows)

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 ** 2 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
cores = os.cpu_count()
with open(args.md, "w") as f:
    f.write("# Road graph and drive-time tables: Tournée vs OSRM\n\n")
    f.write(f"OSRM {args.osrm_version} (PyPI wheel `osrm-bindings`, its `car.lua`, contraction "
            f"hierarchies, `osrm-routed --algorithm ch`); machine: {cpu}, {cores} cores, {mem} GiB; "
            f"Linux {platform.release()}. Both sides use all cores.\n\n")
    f.write("Reproduce one line: the command in its row (written by `bench/osrm-compare.sh`, raw "
            "figures in `bench/results/osrm.csv`). Ratios are ours / OSRM (< 1: ours is faster "
            "or smaller).\n\n")
    f.write("| extract | PBF MB | points | import s (ours / OSRM) | ratio | table s (ours / OSRM) | ratio "
            "| import peak MB (ours / OSRM) | `tournee matrix` peak MB / larger of osrm-contract, osrm-routed | ratio | pairs > 60 s "
            "| duration err. median / p95 | distance err. median / p95 | unreachable only ours / only OSRM |\n")
    f.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        f.write(f"| {r['extract']} | {r['pbf_mb']} | {r['points']} | {r['ours_import_s']} / {r['osrm_import_s']} "
                f"| {r['import_ratio']} | {r['ours_table_s']} / {r['osrm_table_s']} | {r['table_ratio']} "
                f"| {r['ours_import_rss_mb']} / {r['osrm_import_rss_mb']} | {r['ours_table_rss_mb']} / {max(int(r['osrm_routed_rss_mb']), int(r.get('osrm_contract_rss_mb') or 0))} "
                f"| {r.get('matrix_rss_ratio') or '–'} "
                f"| {r['pairs_over_60s']} | {r['dur_median_pct']} % / {r['dur_p95_pct']} % "
                f"| {r['dist_median_pct']} % / {r['dist_p95_pct']} % "
                f"| {r['unreachable_only_ours']} / {r['unreachable_only_osrm']} |\n")
    f.write("\nSources and commands:\n\n")
    for r in rows:
        f.write(f"- **{r['extract']}** ({r['date']}): {r['source'] or 'see README'}; `{r['command']}`\n")
    f.write(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "osrm-notes.md")).read())
print(open(args.md).read())
