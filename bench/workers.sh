#!/usr/bin/env bash
# Solve throughput with one worker against two: a throwaway PostgreSQL cluster,
# one `tournee serve --no-solve`, JOBS solves of a scenario (SCENARIO, default
# rutland-bus: a real territory from ../shared, a solve of a few seconds) queued at once,
# then `tournee worker` processes (one, then two, each on a fresh database) take
# them; jobs per minute from the first job taken to the last one done (read from
# the jobs table). Each worker is pinned to a core of its own (taskset), so that the
# two-worker row runs on a machine with a core for each worker, whatever the
# machine: a solve would otherwise use every core it sees (its search chains, the
# drive-time tables), and one worker alone would already fill a 2-core machine.
# Writes bench/results/workers.md and workers.csv.
# Usage: bench/workers.sh [JOBS]   (default 12; TOURNEE_BIN overrides the binary,
# else a release build; needs Debian's postgresql, installed by scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${SCENARIO:-rutland-bus}
. bench/lib/scenario.sh
jobs=${1:-12}
if [ -z "${TOURNEE_BIN:-}" ]; then
  cargo build --release -q -p tournee-cli
  TOURNEE_BIN=${CARGO_TARGET_DIR:-target}/release/tournee
fi
bin=$TOURNEE_BIN
[ "$(nproc)" -ge 2 ] || { echo "bench: needs 2 cores, this machine has $(nproc)" >&2; exit 1; }
. bench/lib/pg.sh
work=$(mktemp -d /tmp/tournee-bench-XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; pg_stop; rm -rf "$work"; }
trap cleanup EXIT
pg_start "$work"
api_scenario "$scenario" "$work/scenario.toml"

run() { # workers → prints "workers,jobs,seconds,jobs_per_minute"
  local n=$1 db="w$1"
  psql -d postgres -c "CREATE DATABASE $db"
  local url
  url=$(pg_url "$db")
  local token
  token=$($bin --quiet token --org bench --db "$url" 2>/dev/null)
  $bin --quiet serve --no-solve --jobs-per-org "$jobs" --addr 127.0.0.1:0 --data-dir "$data_dir" \
    --db "$url" 2> "$work/serve-$n.log" &
  local serve=$!
  pids+=($serve)
  for _ in $(seq 100); do grep -q "http://" "$work/serve-$n.log" && break; sleep 0.1; done
  local addr auth sid
  addr=$(grep -o "http://[0-9.:]*" "$work/serve-$n.log" | head -1)
  auth="Authorization: Bearer $token"
  sid=$(curl -sf -H "$auth" --data-binary @"$work/scenario.toml" "$addr/api/v1/scenarios" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for _ in $(seq "$jobs"); do
    curl -sf -o /dev/null -X POST -H "$auth" "$addr/api/v1/scenarios/$sid/solve"
  done
  local workers=()
  for i in $(seq "$n"); do
    taskset -c $((i - 1)) $bin --quiet worker --db "$url" --data-dir "$data_dir" --id "w$i" 2>/dev/null &
    workers+=($!)
    pids+=($!)
  done
  while [ "$(psql -d "$db" -c "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")" != 0 ]; do
    sleep 0.5
  done
  kill "${workers[@]}" "$serve" 2>/dev/null || true
  wait "${workers[@]}" "$serve" 2>/dev/null || true
  local done_jobs
  done_jobs=$(psql -d "$db" -c "SELECT COUNT(*) FROM jobs WHERE state = 'done'")
  [ "$done_jobs" = "$jobs" ] || { echo "bench: $done_jobs of $jobs jobs done with $n worker(s)" >&2; exit 1; }
  # From the first job's creation (all were queued before any worker started) to
  # the last end, in seconds.
  psql -d "$db" -c "SELECT $n, COUNT(*), \
      EXTRACT(EPOCH FROM MAX(finished_at::timestamptz) - MIN(created_at::timestamptz)) \
      FROM jobs" | python3 -c '
import sys
n, count, secs = sys.stdin.read().strip().split("|")
secs = float(secs)
print(f"{n},{count},{secs:.1f},{int(count) * 60 / secs:.1f}")'
}

csv=bench/results/workers.csv
mkdir -p bench/results
echo "workers,jobs,seconds,jobs_per_minute" > "$csv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run 1 | tee -a "$csv"
run 2 | tee -a "$csv"
python3 - "$csv" "$jobs" "$(nproc)" "$load_before" "$(basename "$bin")" "$scenario" > bench/results/workers.md <<'PY'
import csv, sys
rows = {r["workers"]: r for r in csv.DictReader(open(sys.argv[1]))}
jobs, cores, load, binary, scenario = sys.argv[2:7]
one, two = rows["1"], rows["2"]
speedup = float(two["jobs_per_minute"]) / float(one["jobs_per_minute"])
print(f"""# Solve throughput: one worker against two

Command: `SCENARIO={scenario} bench/workers.sh {jobs}` (release `{binary}`): a throwaway
PostgreSQL cluster, one `tournee serve --no-solve`, {jobs} solves of `scenarios/{scenario}.toml`
queued at once, then `tournee worker` processes taking them (one job at a time each), on a
fresh database per row. Each worker is pinned to a core of its own (`taskset -c 0`,
`-c 1`): the two-worker row has a core for each worker. Machine: {cores} cores; load
average before the run {load}.

| workers (cores) | jobs | seconds (first queued → last done) | jobs per minute |
|---:|---:|---:|---:|
| 1 (core 0) | {one['jobs']} | {one['seconds']} | {one['jobs_per_minute']} |
| 2 (cores 0 and 1) | {two['jobs']} | {two['seconds']} | {two['jobs_per_minute']} |

Two workers / one: **{speedup:.2f}×**. The bar (issue 21): at least 1.7× on a machine
with cores for both workers. The server, PostgreSQL and the rest of the machine share
the same two cores: other work on the machine (see the load average) takes time from
the workers.
""")
PY
cat bench/results/workers.md
