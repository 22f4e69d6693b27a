#!/usr/bin/env bash
# What the planning constraints cost on the demo, in the same run: the demo scenario
# as committed (the peer) and variants of it — five fortnightly promises, a 7 t bus
# with a single C1 holder, diminishing returns — each planned and checked by the
# same binary. Reports each variant's objective and bound as ratios to the demo's.
# Writes bench/results/constraints.md.
# Usage: bench/constraints.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p tournee-cli
bin=${CARGO_TARGET_DIR:-target}/release/tournee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pbf="$(pwd)/osm-data/demo.osm.pbf"
sed "s#\"../osm-data/demo.osm.pbf\"#\"$pbf\"#" scenarios/demo.toml > "$work/demo.toml"
{
  cat "$work/demo.toml"
  for c in Aublizac Quinceilles Saint-Roubeval Risteilles Cassignac-sur-Lize; do
    printf '\n[[promises]]\ncommune = "%s"\nfrequency = "fortnightly"\n' "$c"
  done
} > "$work/promises.toml"
sed 's/^# gross_weight_tonnes = 3.5/gross_weight_tonnes = 7/' "$work/demo.toml" |
  awk '{print} /^name = "Amina B."$/ {print "licences = [\"B\", \"C1\"]"}' > "$work/heavy.toml"
sed 's/^repeat_factors = \[\]/repeat_factors = [0.3]/' "$work/demo.toml" > "$work/repeat.toml"

field() { grep -o "\"$2\": *[0-9][0-9.]*" "$1" | head -1 | cut -d: -f2 | tr -d " "; }
out=bench/results/constraints.md
{
  echo "# What the planning constraints cost on the demo"
  echo
  echo "Command: \`bench/constraints.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores). Each variant is"
  echo "the committed \`scenarios/demo.toml\` plus one change, planned and checked by the same"
  echo "binary in the same run; ratios are to the demo's objective."
  echo
  echo "| variant | objective (weighted reach/week) | ratio | bound | gap % | visits | promises not kept | checker |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$out"
base=""
for v in demo promises heavy repeat; do
  "$bin" --quiet plan "$work/$v.toml" --out "$work/out-$v" > "$work/$v.txt"
  plan="$work/out-$v/plan.json"
  obj=$(field "$plan" reachable_population_per_week)
  ub=$(field "$plan" upper_bound)
  visits=$(field "$plan" visits)
  [ -z "$base" ] && base=$obj
  broken=$(grep -c '^Promise not kept' "$work/$v.txt" || true)
  checked=$(grep -q 'no violation' "$work/$v.txt" && echo ok || echo REJECTED)
  awk -v v="$v" -v o="$obj" -v b="$base" -v u="$ub" -v n="$visits" -v k="$broken" -v c="$checked" \
    'BEGIN { printf "| %s | %.1f | %.4f | %.1f | %.2f | %d | %d | %s |\n", v, o, o / b, u, 100 * (u - o) / u, n, k, c }' >> "$out"
done
cat "$out"
