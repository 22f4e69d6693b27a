#!/usr/bin/env bash
# Tournée against the plan a coordinator makes by hand (issue 16), on every scenario
# from practice on real data (scenarios/*.toml reading ../shared). For each
# scenario: `tournee plan` and `tournee plan --baseline` (largest communes first, a
# fixed weekly round, nearest-neighbour order, the same vehicles, crews and hours),
# both checked by `tournee check`; the table gives, per week of the cycle, the
# population reachable, the communes (places) reached, the kilometres driven, the
# mediator hours, and Tournée's upper bound.
# Usage: bench/real.sh [SECONDS]   (time limit of the search; default none: the
# plans then depend only on the inputs). PROFILE=release builds and runs release
# binaries (default: the dev profile's, which CI builds anyway).
# Writes bench/results/real.md and bench/results/real.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-}
profile=${PROFILE:-debug}
target=${CARGO_TARGET_DIR:-target}
if [ "$profile" = release ]; then
  cargo build --release -q -p tournee-cli -p tournee-demogen
else
  cargo build -q --workspace
fi
bin="$target/$profile"
mkdir -p target/generated target/bench bench/results
"$bin/tournee-demogen" communes \
  ../shared/data/communes/communes-17-charente-maritime.csv \
  ../shared/data/communes/communes-17-charente-maritime.geojson \
  --out target/generated/charente-maritime.osm.pbf
scenarios="rutland-bus rutland-home-visits rutland-network monaco-cargo-bike charente-maritime"
limit=()
[ -n "$seconds" ] && limit=(--seconds "$seconds")
for s in $scenarios; do
  for mode in tournee baseline; do
    out="target/bench/real-$s-$mode"
    rm -rf "$out"
    extra=()
    [ "$mode" = baseline ] && extra=(--baseline)
    start=$(date +%s.%N)
    "$bin/tournee" --quiet plan "scenarios/$s.toml" --out "$out" "${limit[@]}" "${extra[@]}" > "$out.stdout"
    end=$(date +%s.%N)
    "$bin/tournee" --quiet check "$out/plan.json" --scenario "scenarios/$s.toml" > "$out.check"
    echo "$s $mode: $(python3 -c "print(round($end-$start,1))") s wall, checked"
  done
done
python3 - "$scenarios" "${seconds:-none}" "$profile" <<'PY'
import csv, json, sys
scenarios, seconds, profile = sys.argv[1].split(), sys.argv[2], sys.argv[3]
rows = []
for s in scenarios:
    p = {m: json.load(open(f"target/bench/real-{s}-{m}/plan.json")) for m in ("tournee", "baseline")}
    w = p["tournee"]["cycle_weeks"]
    def fig(m):
        x = p[m]["summary"]
        return dict(pop=x["reachable_population_per_week"], places=x["places_reached"],
                    km=x["distance"] / 1000 / w, hours=x["mediator_hours"] / w,
                    visits=x["visits"] / w, bound=x.get("upper_bound"))
    t, b = fig("tournee"), fig("baseline")
    rows.append(dict(scenario=s, weeks=w,
        baseline_pop=round(b["pop"], 1), tournee_pop=round(t["pop"], 1),
        ratio=round(t["pop"] / b["pop"], 3) if b["pop"] else None,
        bound=round(t["bound"], 1) if t["bound"] is not None else None,
        baseline_share_of_bound=round(b["pop"] / t["bound"], 3) if t["bound"] else None,
        baseline_places=b["places"], tournee_places=t["places"],
        baseline_km_week=round(b["km"], 1), tournee_km_week=round(t["km"], 1),
        baseline_hours_week=round(b["hours"], 1), tournee_hours_week=round(t["hours"], 1),
        baseline_visits_week=round(b["visits"], 1), tournee_visits_week=round(t["visits"], 1)))
with open("bench/results/real.csv", "w", newline="") as f:
    wr = csv.DictWriter(f, fieldnames=list(rows[0]))
    wr.writeheader(); wr.writerows(rows)
cmd = "bench/real.sh" + ("" if seconds == "none" else f" {seconds}")
md = ["# Tournée against a hand-made plan, on the scenarios from practice", "",
      f"Command: `{cmd}` (profile `{profile}`; search limit: {'none, deterministic' if seconds == 'none' else seconds + ' s, machine-dependent'}).",
      "Every plan, Tournée's and the baseline's, passed `tournee check`.", "",
      "The baseline is the plan a coordinator makes by hand (`tournee plan --baseline`, "
      "`solver::baseline`): communes ranked by (weighted) population, largest first; a fixed "
      "weekly round (each vehicle's weekday repeats the same communes every week); the day's "
      "communes in nearest-neighbour order from the depot; the stop at the commune's site "
      "nearest its centre; the same vehicles, crews, hours and days off as Tournée.", "",
      "Figures per week of the cycle. *Population* is the objective: inhabitants reachable "
      "in a week (weighted where the scenario weights communes; with a decay curve or repeat "
      "factors, their shares). *Places* are the places (communes, villages, hamlets) reached "
      "at least once in the cycle. *Bound*: Tournée's upper bound on the population (an LP "
      "relaxation, or the proven optimum).", "",
      "| scenario | weeks | baseline pop./week | Tournée pop./week | ratio | bound | baseline / bound | places reached (baseline → Tournée) | km/week | mediator h/week | visits/week |",
      "|---|---:|---:|---:|---:|---:|---:|---|---|---|---|"]
for r in rows:
    md.append(f"| `{r['scenario']}` | {r['weeks']} | {r['baseline_pop']:,.0f} | {r['tournee_pop']:,.0f} | "
              f"**{r['ratio']:.2f}×** | {r['bound']:,.0f} | {r['baseline_share_of_bound']:.2f} | "
              f"{r['baseline_places']} → {r['tournee_places']} | {r['baseline_km_week']:.0f} → {r['tournee_km_week']:.0f} | "
              f"{r['baseline_hours_week']:.1f} → {r['tournee_hours_week']:.1f} | {r['baseline_visits_week']:.1f} → {r['tournee_visits_week']:.1f} |")
open("bench/results/real.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
