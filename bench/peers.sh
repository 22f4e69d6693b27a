#!/usr/bin/env bash
# General routing engines side by side (issue 22): Tournée, Google OR-Tools' routing
# solver and VROOM on the same scenarios, the same drive-time table and the same
# time limit. `tournee peers export` writes the instance the engines see (vehicle-days
# as vehicles with the slots' windows, candidate sites as optional weekly jobs whose
# prize is the population they reach — see bench/peers.py for the model and its
# limits); `tournee peers import` turns their routes into Tournée plans (timed and
# crewed as the optimiser does), with Tournée's bound, and runs the checker on them.
# Scenarios: the demo, the département (bench/departement.toml, its territory
# generated as in bench/departement.sh), and the real-territory scenarios
# (Rutland, Monaco's French communes, Charente-Maritime; they read ../shared).
# Usage: bench/peers.sh [SECONDS]   (default 30; needs `pip install ortools pyvroom`;
# PYTHON=path/to/venv/bin/python to use a virtual environment that has them)
# Writes bench/results/peers.md and bench/results/peers.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
target=${CARGO_TARGET_DIR:-target}
py=${PYTHON:-python3}
"$py" -c "import ortools, vroom" 2>/dev/null || "$py" -m pip install -q ortools pyvroom
# BIN_DIR: use already built binaries (e.g. another profile) instead of a release build.
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -q -p tournee-cli -p tournee-demogen
  BIN_DIR=$target/release
fi
export BIN_DIR
mkdir -p target/bench/peers bench/results
[ -f target/bench/departement.osm.pbf ] ||
  "$BIN_DIR/tournee-demogen" --preset departement --seed 7 --out target/bench/departement.osm.pbf > /dev/null
mkdir -p target/generated
[ -f target/generated/charente-maritime.osm.pbf ] ||
  "$BIN_DIR/tournee-demogen" communes \
    ../shared/data/communes/communes-17-charente-maritime.csv \
    ../shared/data/communes/communes-17-charente-maritime.geojson \
    --out target/generated/charente-maritime.osm.pbf > /dev/null
# The real-territory scenarios (those of bench/real.sh, on ../shared's extracts;
# the home visits are outside the engines' model, so their scenario is left out).
scenarios="scenarios/demo.toml bench/departement.toml"
for s in rutland-bus rutland-network monaco-cargo-bike charente-maritime; do
  scenarios="$scenarios scenarios/$s.toml"
done
rows=target/bench/peers/rows.jsonl
: > "$rows"
for sc in $scenarios; do
  name=$(basename "$sc" .toml)
  dir=target/bench/peers/$name
  rm -rf "$dir" && mkdir -p "$dir"
  start=$(date +%s.%N)
  "$BIN_DIR/tournee" plan "$sc" --out "$dir/tournee" --seconds "$seconds" --quiet > "$dir/tournee.stdout"
  end=$(date +%s.%N)
  python3 - "$name" "$dir/tournee/plan.json" "$start" "$end" "$seconds" >> "$rows" <<'PY'
import json, sys
name, path, start, end, limit = sys.argv[1:6]
s = json.load(open(path))["summary"]
print(json.dumps({"scenario": name, "engine": "tournee", "limit_s": float(limit),
                  "wall_s": round(float(end) - float(start), 1), "objective": s["reachable_population_per_week"],
                  "bound": s.get("upper_bound"), "visits": s["visits"], "violations": 0, "dropped": 0,
                  "command": f"tournee plan {sys.argv[1]} --seconds {limit}"}))
PY
  "$BIN_DIR/tournee" peers export "$sc" --out "$dir/instance.json" --quiet
  for engine in ortools vroom; do
    start=$(date +%s.%N)
    "$py" bench/peers.py "$engine" "$dir/instance.json" "$seconds" "$dir/$engine-routes.json" > "$dir/$engine.solve.json"
    end=$(date +%s.%N)
    "$BIN_DIR/tournee" peers import "$sc" --routes "$dir/$engine-routes.json" --method "$engine" \
      --out "$dir/$engine" --quiet > "$dir/$engine.import.json"
    python3 - "$name" "$engine" "$dir" "$start" "$end" "$seconds" >> "$rows" <<'PY'
import json, sys
name, engine, d, start, end, limit = sys.argv[1:7]
solve = json.load(open(f"{d}/{engine}.solve.json"))
imp = json.load(open(f"{d}/{engine}.import.json"))
print(json.dumps({"scenario": name, "engine": engine, "limit_s": float(limit),
                  "wall_s": round(float(end) - float(start), 1), "objective": imp["checked_objective"],
                  "bound": imp["bound"], "visits": imp["visits"], "violations": imp["violations"],
                  "dropped": len(imp["dropped_days"]), "own_objective": solve["own_objective"],
                  "jobs": solve["jobs"], "vehicles": solve["vehicles"],
                  "command": f"bench/peers.py {engine} INSTANCE {limit}"}))
PY
  done
done
"$py" - "$seconds" "$rows" <<'PY'
import csv, json, os, platform, sys
seconds, rows_path = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(rows_path)]
cols = ["scenario", "engine", "limit_s", "wall_s", "objective", "bound", "gap_pct", "vs_tournee",
        "visits", "violations", "dropped", "own_objective"]
best = {r["scenario"]: r["objective"] for r in rows if r["engine"] == "tournee"}
for r in rows:
    r["gap_pct"] = round(100 * (r["bound"] - r["objective"]) / r["bound"], 2) if r.get("bound") else None
    r["vs_tournee"] = round(best[r["scenario"]] / r["objective"], 3) if r["objective"] else None
with open("bench/results/peers.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
import ortools
with open("bench/results/peers.md", "w") as f:
    f.write("# Tournée, OR-Tools and VROOM on the same scenarios\n\n")
    f.write(f"Reproduce: `bench/peers.sh {seconds}` (rows also in `bench/results/peers.csv`). "
            f"OR-Tools {ortools.__version__} (routing solver, guided local search, one thread), "
            "VROOM through pyvroom (exploration level 5, one thread); Tournée `tournee plan --seconds` "
            "(two search chains). Same drive-time table (exported by `tournee peers export`), same time limit "
            "for the search.\n")
    f.write(f"Machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.machine()}; shared with "
            "other builds, so times are noisy.\n")
    bins = os.environ.get("BIN_DIR", "")
    f.write("Binaries: " + ("release build" if bins.endswith("release") else
            f"`{bins}` (not a release build: the dev profile with the workspace crates at opt-level 2)") + ".\n\n")
    f.write("| scenario | engine | limit (s) | wall (s) | objective (checked) | Tournée bound | gap to bound | Tournée / engine | visits | checker violations | days dropped (no crew, taken) |\n")
    f.write("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for r in rows:
        gap = f"{r['gap_pct']:.2f} %" if r["gap_pct"] is not None else "–"
        ratio = f"{r['vs_tournee']:.3f}" if r["vs_tournee"] else "–"
        f.write(f"| {r['scenario']} | {r['engine']} | {r['limit_s']:g} | {r['wall_s']} | {r['objective']:.0f} | "
                f"{r['bound'] or 0:.0f} | {gap} | {ratio} | {r['visits']} | {r['violations']} | {r['dropped']} |\n")
    f.write("\nObjective: weighted reachable population per week, recomputed by Tournée's checker on each "
            "engine's routes turned into a plan (`tournee peers import`: the optimiser's timing, crews "
            "chosen as the optimiser does). Wall time: Tournée's whole `tournee plan` (import, reach, matrix, "
            "search, bound, check, outputs); an engine's solve only (its instance is exported once). "
            "\n\nHow the engines are modelled and what they cannot see: see the docstring of `bench/peers.py`. "
            "In short: vehicle-days are vehicles with the slots' time windows; each candidate site is an "
            "optional job per week whose prize is the population it reaches — a fixed prize, so two stops of "
            "a week reaching the same village both earn it in their model while Tournée (and the checker) "
            "count the village once; crews and weekly hours are outside their model (days no crew can take "
            "are dropped when the plan is assembled). VROOM's prize is its integer priority (0–100).\n")
print(open("bench/results/peers.md").read())
PY
