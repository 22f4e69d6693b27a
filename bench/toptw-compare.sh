#!/usr/bin/env bash
# TOPTW, Tournée vs Google OR-Tools in the same run, at equal time limits.
# For every (instance, m) with a best-known score in ../shared/data/toptw/bks.csv,
# runs `tournee toptw --threads 1` and bench/toptw_ortools.py (one thread) side by
# side, one per core, each for SECONDS; both scores are re-checked by their runner.
# Writes bench/results/toptw.csv and bench/results/toptw.md.
# Usage: bench/toptw-compare.sh [SECONDS]     (default 10; needs `pip install ortools`)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
data=../shared/data/toptw
[ -f "$data/bks.csv" ] || { echo "bench: $data/bks.csv is missing (shared data beside the clone)" >&2; exit 1; }
python3 -c "import ortools" 2>/dev/null || pip install -q ortools
cargo build --release -q -p tournee-cli
mkdir -p bench/results
csv=bench/results/toptw.csv
echo "instance,m,time_limit_s,bks,tournee,ortools,tournee_gap_pct,ortools_gap_pct" > "$csv"
tail -n +2 "$data/bks.csv" | cut -d, -f1-3 | while IFS=, read -r inst m bks; do
  f="$data/instances/$inst.txt"
  ./target/release/tournee toptw "$f" --seconds "$seconds" --vehicles "$m" --threads 1 > /tmp/toptw-ours.$$ &
  python3 bench/toptw_ortools.py "$f" "$seconds" "$m" > /tmp/toptw-ort.$$
  wait
  ours=$(tail -1 /tmp/toptw-ours.$$); ort=$(tail -1 /tmp/toptw-ort.$$)
  python3 -c "b=$bks; print(f'$inst,$m,$seconds,{b},$ours,$ort,{100*(b-$ours)/b:.2f},{100*(b-$ort)/b:.2f}')" | tee -a "$csv"
done
rm -f /tmp/toptw-ours.$$ /tmp/toptw-ort.$$
python3 - "$csv" "$seconds" > bench/results/toptw.md <<'PY'
import csv, sys, platform, subprocess
rows = list(csv.DictReader(open(sys.argv[1])))
n = len(rows)
def mean(k): return sum(float(r[k]) for r in rows) / n
ours, ort = sum(int(r["tournee"]) for r in rows), sum(int(r["ortools"]) for r in rows)
wins = sum(int(r["tournee"]) > int(r["ortools"]) for r in rows)
ties = sum(int(r["tournee"]) == int(r["ortools"]) for r in rows)
try:
    import ortools; ov = ortools.__version__
except Exception: ov = "?"
print(f"# TOPTW: Tournée vs OR-Tools, {sys.argv[2]} s per run\n")
print("Reproduce: `bench/toptw-compare.sh " + sys.argv[2] + "` (results in `bench/results/toptw.csv`).\n")
print(f"Both single-threaded, side by side on a {subprocess.run(['nproc'],capture_output=True,text=True).stdout.strip()}-core machine; OR-Tools {ov} (guided local search); "
      f"every (instance, m) of `shared/data/toptw/bks.csv`.\n")
print("| | Tournée | OR-Tools |\n|---|---|---|")
print(f"| mean gap to best known | {mean('tournee_gap_pct'):.2f} % | {mean('ortools_gap_pct'):.2f} % |")
print(f"| runs at best known | {sum(float(r['tournee_gap_pct']) <= 0 for r in rows)} / {n} | {sum(float(r['ortools_gap_pct']) <= 0 for r in rows)} / {n} |")
print(f"| total score | {ours} | {ort} |")
print(f"| score ratio Tournée / OR-Tools | {ours/ort:.4f} | |")
print(f"\nTournée better on {wins} runs, equal on {ties}, worse on {n - wins - ties}.")
PY
cat bench/results/toptw.md
