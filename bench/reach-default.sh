#!/usr/bin/env bash
# What the reach model changes in the plans (issue 19): each scenario planned twice
# by the same binary in the same run —
#   before: the old default, a place reached in full within 15 minutes' drive of a
#           stop and a second visit in the cycle worth nothing
#           (`[reach] radius_minutes = 15`, `repeat_factors = []`);
#   after:  the default of today (`Reach::DEFAULT_DECAY`: in full in the stop's own
#           commune or within 2 minutes, then 0.5, 0.3, 0.1 up to 20 minutes; second
#           and later visits in the cycle worth 0.5, 0.25, 0.125).
# Any `[reach]` and `repeat_factors` of the committed scenario are replaced in both.
# Reports visits, communes visited, vehicle-days used (of those available), the
# places and inhabitants within 15 minutes of a stop in the cycle, and each plan's
# own objective. Both plans pass the checker (`tournee plan` refuses otherwise).
# Usage: bench/reach-default.sh [SCENARIO...]   (default: demo rutland-bus
# rutland-network charente-maritime departement). A name is scenarios/NAME.toml,
# else bench/NAME.toml (`departement`: the scale benchmark's scenario, its
# territory generated as bench/departement.sh does). BIN: a built `tournee`
# (default: the dev profile's, built here).
# Writes bench/results/reach-default.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-target}
if [ -z "${BIN:-}" ]; then
  cargo build -q -p tournee-cli -p tournee-demogen
  BIN=$target/debug/tournee
fi
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(demo rutland-bus rutland-network charente-maritime departement)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in "${scenarios[@]}"; do
  if [ "$s" = charente-maritime ] && [ ! -f target/generated/charente-maritime.osm.pbf ]; then
    mkdir -p target/generated
    "$(dirname "$BIN")/tournee-demogen" communes \
      ../shared/data/communes/communes-17-charente-maritime.csv \
      ../shared/data/communes/communes-17-charente-maritime.geojson \
      --out target/generated/charente-maritime.osm.pbf > /dev/null
  fi
  if [ "$s" = departement ] && [ ! -f target/bench/departement.osm.pbf ]; then
    mkdir -p target/bench
    "$(dirname "$BIN")/tournee-demogen" --preset departement --seed 7 \
      --out target/bench/departement.osm.pbf > /dev/null
  fi
  file=scenarios/$s.toml
  [ -f "$file" ] || file=bench/$s.toml
  for variant in before after; do
    python3 bench/reach_default.py variant "$file" "$variant" "$root" > "$work/$s-$variant.toml"
    echo "== $s ($variant)" >&2
    "$BIN" plan "$work/$s-$variant.toml" --out "$work/$s-$variant" > "$work/$s-$variant.log" 2>&1 ||
      { cat "$work/$s-$variant.log" >&2; exit 1; }
  done
done
mkdir -p bench/results
python3 bench/reach_default.py report "$work" "bench/reach-default.sh ${*:-}" "${scenarios[@]}" \
  > bench/results/reach-default.md
cat bench/results/reach-default.md
