#!/usr/bin/env bash
# Road graph and drive-time table, Tournée vs OSRM in the same run, on one extract.
#   (a) import: PBF → queryable graph (ours: `tournee matrix`'s import + graph +
#       contraction stages, in memory) vs osrm-extract + osrm-contract
#   (b) an N×N table: ours (`tournee matrix`'s snapping + table stages) vs one request
#       to osrm-routed's table service
#   (c) peak memory of each process (/usr/bin/time -v)
#   (d) accuracy: for pairs whose OSRM duration > 60 s, median and 95th percentile of
#       |ours/OSRM − 1| for durations and distances (bench/osrm_accuracy.py)
# N points are picked deterministically (seed 42) among the nodes of our road graph and
# given to both as id,lon,lat. OSRM comes from the PyPI wheel osrm-bindings (standalone
# binaries and profiles), downloaded once into bench/.cache/ (gitignored).
# Appends (or replaces) the extract's row in bench/results/osrm.csv and rewrites
# bench/results/osrm.md from it.
# Usage: bench/osrm-compare.sh PBF [N] [SOURCE-NOTE]   (N defaults to 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
pbf=$(realpath "$1"); n=${2:-1000}; note=${3:-}
name=$(basename "$pbf"); name=${name%.osm.pbf}; name=${name%.pbf}
osrm_version=26.10.0
cache=bench/.cache
osrm=$cache/osrm-$osrm_version/osrm
if [ ! -x "$osrm/bin/osrm-extract" ]; then
  mkdir -p "$cache/dl"
  pip download -q --no-deps --only-binary=:all: --python-version 3.12 -d "$cache/dl" "osrm-bindings==$osrm_version"
  python3 -m zipfile -e "$cache"/dl/osrm_bindings-$osrm_version-*.whl "$cache/osrm-$osrm_version"
  chmod +x "$osrm"/bin/*
fi
[ -x /usr/bin/time ] || { apt-get install -y -q time >/dev/null; }
target=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p tournee-cli
cargo build --release -q -p tournee-routing --example osrm_bench
tournee=$target/release/tournee
ours=$target/release/examples/osrm_bench
work=$cache/run/$name
rm -rf "$work"; mkdir -p "$work/osrm" "$work/ours"
cp "$pbf" "$work/osrm/$name.osm.pbf"
tv() { /usr/bin/time -v -o "$1" "${@:2}"; }

echo "== $name: picking $n points"
"$ours" pick "$pbf" "$n" 42 "$work/points.csv" 2>/dev/null

echo "== (a) import"
tv "$work/ours-import.time" "$ours" import "$pbf" > "$work/ours-import.json" 2> "$work/ours-import.log"
tv "$work/osrm-extract.time" "$osrm/bin/osrm-extract" -p "$osrm/share/profiles/car.lua" "$work/osrm/$name.osm.pbf" > "$work/osrm-extract.log" 2>&1
tv "$work/osrm-contract.time" "$osrm/bin/osrm-contract" "$work/osrm/$name.osrm" > "$work/osrm-contract.log" 2>&1

echo "== (b) table ${n}x$n"
# tournee matrix (contraction hierarchies, points snapped onto road segments), three
# runs; each stage's median time counts.
for i in 1 2 3; do
  tv "$work/ours-table.time" "$tournee" matrix --pbf "$pbf" --points "$work/points.csv" \
    --out "$work/ours" --timings "$work/ours-timings-$i.json" > "$work/ours-table.log" 2>&1
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/time -v -o "$work/osrm-routed.time" "$osrm/bin/osrm-routed" --algorithm ch --max-table-size 100000 \
  -i 127.0.0.1 -p "$port" "$work/osrm/$name.osrm" > "$work/osrm-routed.log" 2>&1 &
routed=$!
for _ in $(seq 300); do
  curl -s -o /dev/null "http://127.0.0.1:$port/nearest/v1/driving/0,0" && break
  sleep 0.2
done
coords=$(tail -n +2 "$work/points.csv" | cut -d, -f2,3 | paste -sd';')
url="http://127.0.0.1:$port/table/v1/driving/$coords?annotations=duration,distance"
: > "$work/osrm-table-times"
for i in 1 2 3; do
  curl -s -g -o "$work/osrm-table.json" -w '%{time_total}\n' "$url" >> "$work/osrm-table-times"
done
# GNU time ignores SIGINT while it waits: stop osrm-routed itself, time then reports.
kill -INT "$(pgrep -P "$routed")"; wait "$routed" || true

echo "== (d) accuracy"
python3 bench/osrm_accuracy.py --name "$name" --n "$n" --work "$work" --osrm-version "$osrm_version" \
  --command "bench/osrm-compare.sh $1 $n${note:+ '$note'}" --note "$note" \
  --csv bench/results/osrm.csv --md bench/results/osrm.md
