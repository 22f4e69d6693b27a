#!/usr/bin/env bash
# Region-size benchmark (issue 22): a generated region of ~4,000 communes
# (tournee-demogen --preset region --seed 7) and the committed scenario
# bench/region.toml (12 buses, 30 mediators, 4 weeks, 2 slots a day, a holiday,
# 15 min radius), planned end to end by `tournee plan --seconds S`.
# The bar: the whole command within 5 minutes and 4 GiB, with a reported gap.
# Usage: bench/region.sh [SECONDS]   (default 120 s for the optimiser)
# Writes bench/results/region.md. Wall time and peak memory come from GNU time
# (`/usr/bin/time -v`); CPU time (user + system) is given beside the wall time
# because the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
target=${CARGO_TARGET_DIR:-target}
# BIN_DIR: use already built binaries (e.g. another profile) instead of a release build.
if [ -z "${BIN_DIR:-}" ]; then
  cargo build --release -q -p tournee-cli -p tournee-demogen
  BIN_DIR=$target/release
fi
export BIN_DIR
mkdir -p target/bench bench/results
gen_start=$(date +%s.%N)
"$BIN_DIR/tournee-demogen" --preset region --seed 7 --out target/bench/region.osm.pbf > target/bench/region-gen.txt
gen_end=$(date +%s.%N)
head -3 target/bench/region-gen.txt
out=target/bench/region-run
rm -rf "$out"
/usr/bin/time -v -o target/bench/region-time.txt \
  "$BIN_DIR/tournee" --lang en plan bench/region.toml --out "$out" --seconds "$seconds" \
  > "$out.stdout" 2> "$out.log"
python3 - "$seconds" "$gen_start" "$gen_end" <<'PY'
import json, os, platform, re, sys
seconds, gs, ge = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
t = open("target/bench/region-time.txt").read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(x) for x in wall.split(":")]
wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
user, system = float(field("User time (seconds)")), float(field("System time (seconds)"))
rss_gib = int(field("Maximum resident set size (kbytes)")) / 1024 / 1024
plan = json.load(open("target/bench/region-run/plan.json"))
s = plan["summary"]
obj, bound = s["reachable_population_per_week"], s.get("upper_bound")
gap = 100 * (bound - obj) / bound if bound else float("nan")
gen = open("target/bench/region-gen.txt").read()
stages = []
for l in re.split(r"[\r\n]+", open("target/bench/region-run.log", encoding="utf-8", errors="replace").read()):
    m = re.search(r"^\s*(.*?): (.*)\((\d+\.\d) s\)\s*$", l)
    if m:
        stages.append((m.group(1), m.group(2).strip(), float(m.group(3))))
cpu = "?"
for l in open("/proc/cpuinfo"):
    if l.startswith("model name"):
        cpu = l.split(":", 1)[1].strip()
        break
with open("bench/results/region.md", "w") as f:
    f.write("# Region-size scenario: time, memory, objective, bound, gap\n\n")
    f.write(f"Reproduce: `bench/region.sh {seconds}`.\n\n")
    f.write("Territory: `tournee-demogen --preset region --seed 7` (generated in "
            f"{ge - gs:.1f} s):\n\n```\n{gen.strip()}\n```\n\n")
    f.write("Scenario `bench/region.toml`: 12 buses (one per depot), 30 mediators, 4-week cycle, "
            "2 slots a day, one holiday, radius 15 min.\n")
    f.write(f"Machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.machine()}; "
            "the machine was shared with other builds, so wall time is noisy (CPU time beside it).\n")
    bins = os.environ.get("BIN_DIR", "")
    f.write("Binaries: " + ("release build" if bins.endswith("release") else
            f"`{bins}` (not a release build: the dev profile with the workspace crates at opt-level 2)") + ".\n\n")
    f.write("| --seconds | wall (s) | CPU user+sys (s) | peak memory (GiB) | objective | bound | gap | visits |\n")
    f.write("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    f.write(f"| {seconds} | {wall_s:.1f} | {user + system:.1f} | {rss_gib:.2f} | {obj:.0f} | "
            f"{bound:.0f} | {gap:.2f} % | {s['visits']} |\n\n")
    f.write("Stages (from the command's progress log):\n\n| stage | result | s |\n|---|---|---:|\n")
    for name, what, secs in stages:
        f.write(f"| {name} | {what} | {secs} |\n")
    f.write("\nThe bar (issue 22): ≤ 5 min and ≤ 4 GiB for the whole `tournee plan`, gap reported.\n")
print(open("bench/results/region.md").read())
PY
