#!/usr/bin/env bash
# TOPTW benchmark: every (instance, m) with a best-known score in
# ../shared/data/toptw/bks.csv, solved by `tournee toptw` with the same time limit.
# Usage: bench/toptw.sh [SECONDS] [OUT.csv]   (default 10 s, bench/results/toptw-tournee.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
out=${2:-bench/results/toptw-tournee.csv}
data=../shared/data/toptw
[ -f "$data/bks.csv" ] || { echo "bench: $data/bks.csv is missing (shared data beside the clone)" >&2; exit 1; }
cargo build --release -q -p tournee-cli
mkdir -p "$(dirname "$out")"
echo "instance,m,time_limit_s,score,bks,gap_pct" > "$out"
tail -n +2 "$data/bks.csv" | cut -d, -f1-3 | while IFS=, read -r inst m bks; do
  score=$(./target/release/tournee toptw "$data/instances/$inst.txt" --seconds "$seconds" --vehicles "$m" | tail -1)
  gap=$(python3 -c "print(round(100*($bks-$score)/$bks, 2))")
  echo "$inst,$m,$seconds,$score,$bks,$gap" | tee -a "$out"
done
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
gaps = [float(r["gap_pct"]) for r in rows]
print(f"{len(rows)} runs, mean gap {sum(gaps)/len(gaps):.2f} %, max {max(gaps):.2f} %, at BKS {sum(g <= 0 for g in gaps)}")
PY
