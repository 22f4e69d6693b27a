#!/usr/bin/env bash
# Département-size benchmark (issue 5): a generated territory of ~450 communes and
# ~1,500 candidate sites (tournee-demogen --preset departement --seed 7), the
# committed scenario bench/departement.toml (3 buses, 8 mediators, 4 weeks, 2 slots a
# day, a holiday, 15 min radius), planned end to end by `tournee plan --seconds S`.
# Peers in the same run: the greedy construction alone (its objective is printed by
# the pipeline before the search), shorter time limits, and one search chain
# (--threads 1) instead of two at the same limit.
# Usage: bench/departement.sh [SECONDS] [REPEATS]   (default 20 s, 2 repeats of
# 2 chains and 1 chain). Each run's CPU time (user + system, GNU time) is recorded
# beside its wall time: the machine may be shared.
# Writes bench/results/departement.md and bench/results/departement.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
repeats=${2:-2}
target=${CARGO_TARGET_DIR:-target}
# BIN_DIR: use already built binaries (e.g. another profile) instead of a release build.
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -q -p tournee-cli -p tournee-demogen
  BIN_DIR=$target/release
fi
export BIN_DIR
mkdir -p target/bench bench/results
"$BIN_DIR/tournee-demogen" --preset departement --seed 7 --out target/bench/departement.osm.pbf | sed -n 1,3p
runs="5:2 15:2"
for _ in $(seq "$repeats"); do runs="$runs $seconds:2 $seconds:1"; done
rm -f target/bench/departement-runs.txt.new
n=0
for run in $runs; do
  limit=${run%:*}
  threads=${run#*:}
  n=$((n + 1))
  out="target/bench/departement-run$n"
  rm -rf "$out"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$out.time" \
    "$BIN_DIR/tournee" --lang en plan bench/departement.toml --out "$out" --seconds "$limit" --threads "$threads" \
    > "$out.stdout" 2> "$out.log"
  end=$(date +%s.%N)
  echo "$n $limit $threads $start $end" >> target/bench/departement-runs.txt.new
  echo "run $n (--seconds $limit --threads $threads): $(python3 -c "print(round($end-$start,1))") s wall"
done
mv target/bench/departement-runs.txt.new target/bench/departement-runs.txt
python3 - "$seconds" "$repeats" <<'PY'
import csv, json, os, platform, re, subprocess, sys
seconds, repeats = sys.argv[1], sys.argv[2]
stages = {
    "reading OSM ways": "import_s", "reading node coordinates": "import_s",
    "checking the PBF": "import_s", "building the road graph": "graph_s",
    "computing who each stop reaches": "coverage_s",
    "computing drive times": "matrix_s", "planning tours": "greedy_s",
    "improving by local search": "local_s", "large-neighbourhood search": "lns_s",
    "computing an upper bound": "bound_s", "checking the plan": "check_s",
}
cols = ["run", "limit_s", "threads", "wall_s", "cpu_s", "max_rss_mib", "import_s", "graph_s", "coverage_s", "matrix_s",
        "greedy_s", "local_s", "lns_s", "bound_s", "check_s", "greedy_objective",
        "objective", "bound", "gap_pct", "visits", "routes", "objective_over_greedy"]
rows = []
for line in open("target/bench/departement-runs.txt"):
    n, limit, threads, start, end = line.split()
    row = dict.fromkeys(cols, 0.0)
    row.update(run=int(n), limit_s=float(limit), threads=int(threads), wall_s=round(float(end) - float(start), 2))
    user, system, rss = open(f"target/bench/departement-run{n}.time").read().split()[-3:]
    row["cpu_s"] = round(float(user) + float(system), 1)
    row["max_rss_mib"] = round(int(rss) / 1024)
    log = open(f"target/bench/departement-run{n}.log", encoding="utf-8", errors="replace").read()
    for l in re.split(r"[\r\n]+", log):
        m = re.search(r"^\s*(.*?): (.*)\((\d+\.\d) s\)\s*$", l)
        if not m:
            continue
        for key, col in stages.items():
            if m.group(1).startswith(key):
                row[col] = round(row[col] + float(m.group(3)), 1)
        # The bound runs on its own thread beside the search: its own time.
        bt = re.search(r"([\d.]+) s beside the search", l)
        if bt:
            row["bound_s"] = float(bt.group(1))
        g = re.search(r"planning tours: \d+ visits, ([\d.,]+) inhabitants", l)
        if g:
            row["greedy_objective"] = float(g.group(1).replace(",", ""))
    s = json.load(open(f"target/bench/departement-run{n}/plan.json"))["summary"]
    row["objective"] = round(s["reachable_population_per_week"], 1)
    row["bound"] = round(s["upper_bound"], 1)
    row["gap_pct"] = round(100 * (s["upper_bound"] - s["reachable_population_per_week"]) / s["upper_bound"], 2)
    row["visits"] = s["visits"]
    row["routes"] = len(json.load(open(f"target/bench/departement-run{n}/plan.json"))["routes"])
    row["objective_over_greedy"] = round(row["objective"] / row["greedy_objective"], 4) if row["greedy_objective"] else 0
    rows.append(row)
with open("bench/results/departement.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=cols)
    w.writeheader()
    w.writerows(rows)
cpu = "?"
for l in open("/proc/cpuinfo"):
    if l.startswith("model name"):
        cpu = l.split(":", 1)[1].strip()
        break
cores = os.cpu_count()
summary = subprocess.run(["head", "-2", "target/bench/departement-run1.stdout"], capture_output=True, text=True).stdout
with open("bench/results/departement.md", "w") as f:
    f.write("# Département-size scenario: time, objective, bound, gap\n\n")
    f.write(f"Reproduce: `bench/departement.sh {seconds} {repeats}` (results also in `bench/results/departement.csv`).\n\n")
    f.write("Territory: `tournee-demogen --preset departement --seed 7` (450 communes, 209,853 inhabitants, "
            "1,520 candidate sites, 13,227 graph nodes); scenario `bench/departement.toml` (3 buses, 8 mediators, "
            "4-week cycle, 2 slots a day, one holiday, radius 15 min).\n")
    f.write(f"Machine: {cores} cores, {cpu}, {platform.system()} {platform.machine()}; other builds were running "
            "on the machine, so wall times are noisy.\n")
    bins = os.environ.get("BIN_DIR", "")
    f.write("Binaries: " + ("release build" if bins.endswith("release") else
            f"`{bins}` (not a release build: the dev profile with the workspace crates at opt-level 2)") + ".\n\n")
    f.write("Wall time is the whole `tournee plan` command (import, graph, reach, matrix, optimiser, bound, checker, "
            "writing every output). Bound (s): the bound's own time, on its own thread beside the search "
            "within the same --seconds (so not added to the wall time). The peers, in the same run: the greedy construction alone (its objective "
            "before any search), the same optimiser with shorter limits, and one search chain (`--threads 1`) "
            "instead of two at the same limit.\n\n")
    f.write("| run | --seconds | --threads | wall (s) | CPU (s) | peak memory (MiB) | import+graph (s) | reach (s) | matrix (s) | greedy (s) | LNS (s) | bound (s) | check (s) | greedy obj. | objective | bound | gap | visits | objective / greedy |\n")
    f.write("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for r in rows:
        f.write(f"| {r['run']} | {r['limit_s']:g} | {r['threads']} | {r['wall_s']} | {r['cpu_s']} | {r['max_rss_mib']} | {r['import_s'] + r['graph_s']:.1f} | {r['coverage_s']} | "
                f"{r['matrix_s']} | {r['greedy_s']} | {r['lns_s']} | {r['bound_s']} | {r['check_s']} | "
                f"{r['greedy_objective']:.0f} | {r['objective']:.0f} | {r['bound']:.0f} | {r['gap_pct']:.2f} % | "
                f"{r['visits']} | {r['objective_over_greedy']:.4f} |\n")
    f.write("\nObjective: weighted reachable population per week (all weights 1 here). Bound: the smallest of the "
            "relaxations solved (`solver::cyclebound`'s LP here: the dates of the cycle summed into stop counts per "
            "vehicle, slot and site; the day MILP `solver::daybound` and the detailed `solver::bound` are only solved "
            "on smaller scenarios). Gap = (bound − objective) / bound.\n\n")
    two = [r["objective"] for r in rows if r["threads"] == 2 and r["limit_s"] == float(seconds)]
    one = [r["objective"] for r in rows if r["threads"] == 1 and r["limit_s"] == float(seconds)]
    if two and one:
        f.write(f"Mean objective at --seconds {seconds}: two chains {sum(two)/len(two):.0f}, one chain "
                f"{sum(one)/len(one):.0f} (ratio {sum(two)/len(two) / (sum(one)/len(one)):.4f}); "
                f"optimiser / greedy construction: {rows[-2]['objective_over_greedy']:.4f}.\n\n")
    f.write("The bar (issue 22): the whole `tournee plan` ≤ 30 s wall on 2 cores with a gap ≤ 2 %.\n")
print(open("bench/results/departement.md").read())
PY
