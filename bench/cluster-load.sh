#!/usr/bin/env bash
# The several-machine deployment under load, on loopback: a throwaway PostgreSQL
# cluster, two `tournee serve --no-solve` instances and two `tournee worker`
# processes on it; the workers solve a scenario continuously (SCENARIO, default
# rutland-bus: a real territory from ../shared, a solve of a few seconds; the queue is
# kept at 4 waiting solves) while wrk fetches one commune's calendar link from 200
# concurrent clients spread over the two instances (two wrk processes, half the
# connections each, at the same time). In the same run, the same two wrk processes
# fetch the same bytes from nginx (one static file), still under the same solve load.
# Writes bench/results/cluster-load.md and cluster-load.csv.
# Usage: bench/cluster-load.sh [CONNECTIONS] [SECONDS]   (default 200 and 15;
# TOURNEE_BIN overrides the binary, else a release build; installs wrk and
# nginx-light from Debian when missing; needs Debian's postgresql, see setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${SCENARIO:-rutland-bus}
. bench/lib/scenario.sh
conns=${1:-200}
secs=${2:-15}
half=$((conns / 2))
. bench/lib/wrk.sh
. bench/lib/pg.sh
need_wrk_nginx
if [ -z "${TOURNEE_BIN:-}" ]; then
  cargo build --release -q -p tournee-cli
  TOURNEE_BIN=${CARGO_TARGET_DIR:-target}/release/tournee
fi
bin=$TOURNEE_BIN
work=$(mktemp -d /tmp/tournee-bench-XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; pg_stop; rm -rf "$work"; }
trap cleanup EXIT
pg_start "$work"
psql -d postgres -c "CREATE DATABASE tournee"
url=$(pg_url tournee)
token=$($bin --quiet token --org bench --db "$url" 2>/dev/null)
auth="Authorization: Bearer $token"
addrs=()
for i in 1 2; do
  $bin --quiet serve --no-solve --jobs-per-org 1000 --addr 127.0.0.1:0 --data-dir "$data_dir" \
    --db "$url" 2> "$work/serve-$i.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "http://" "$work/serve-$i.log" && break; sleep 0.1; done
  addrs+=("$(grep -o "http://[0-9.:]*" "$work/serve-$i.log" | head -1)")
done
for i in 1 2; do
  $bin --quiet worker --db "$url" --data-dir "$data_dir" --id "w$i" 2> "$work/worker-$i.log" &
  pids+=($!)
done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
api_scenario "$scenario" "$work/scenario.toml"
sid=$(curl -sf -H "$auth" --data-binary @"$work/scenario.toml" "${addrs[0]}/api/v1/scenarios" | json '["id"]')
job=$(curl -sf -X POST -H "$auth" "${addrs[0]}/api/v1/scenarios/$sid/solve" | json '["job"]')
for _ in $(seq 1200); do
  state=$(curl -sf -H "$auth" "${addrs[1]}/api/v1/jobs/$job" | json '["state"]')
  [ "$state" = done ] && break; sleep 0.25
done
[ "$state" = done ] || { echo "bench: the first solve did not end (state $state)" >&2; exit 1; }
plan=$(curl -sf -H "$auth" "${addrs[1]}/api/v1/jobs/$job" | json '["result"]["plan"]')
cal=$(curl -sf -H "$auth" "${addrs[0]}/api/v1/plans/$plan" | json '["calendars"][0]["url"]')
for a in "${addrs[@]}"; do
  curl -sf "$a$cal" > "$work/cal.ics"
  [ -s "$work/cal.ics" ] || { echo "bench: no calendar fetched from $a$cal" >&2; exit 1; }
done

mkdir -p "$work/www"
cp "$work/cal.ics" "$work/www/cal.ics"
nginx_static "$work/www" "$work/nginx"
pids+=("$nginx_pid")
sleep 0.5
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/cal.ics" || { echo "bench: nginx does not serve the file" >&2; exit 1; }

# The solve load: keep 4 solves waiting for the whole run.
(while true; do
  waiting=$(psql -d tournee -c "SELECT COUNT(*) FROM jobs WHERE state = 'queued'")
  if [ "$waiting" -lt 4 ]; then
    curl -sf -o /dev/null -X POST -H "$auth" "${addrs[0]}/api/v1/scenarios/$sid/solve" || true
  fi
  sleep 0.3
done) &
pids+=($!)
sleep 3

measure() { # name url1 url2 → one line per half and the whole
  wrk -t1 -c"$half" -d"${secs}s" --latency "$2" > "$work/$1-a.wrk" &
  local a=$!
  wrk -t1 -c"$half" -d"${secs}s" --latency "$3" > "$work/$1-b.wrk" &
  wait $a $!
  wrk_figures "$work/$1-a.wrk" "$1-a"
  wrk_figures "$work/$1-b.wrk" "$1-b"
}
done_before=$(psql -d tournee -c "SELECT COUNT(*) FROM jobs WHERE state = 'done'")
busy_before=$(cut -d' ' -f1 /proc/loadavg)
csv=bench/results/cluster-load.csv
mkdir -p bench/results
echo "server,requests_per_s,p50_ms,p99_ms,non_2xx,socket_errors" > "$csv"
measure tournee "${addrs[0]}$cal" "${addrs[1]}$cal" | tee -a "$csv"
measure nginx "http://127.0.0.1:$nginx_port/cal.ics" "http://127.0.0.1:$nginx_port/cal.ics" | tee -a "$csv"
done_after=$(psql -d tournee -c "SELECT COUNT(*) FROM jobs WHERE state = 'done'")
failed=$(psql -d tournee -c "SELECT COUNT(*) FROM jobs WHERE state = 'failed'")

python3 - "$csv" "$conns" "$secs" "$(stat -c %s "$work/cal.ics")" "$((done_after - done_before))" \
  "$failed" "$(nproc)" "$busy_before" "$scenario" > bench/results/cluster-load.md <<'PY'
import csv, sys
rows = {r["server"]: r for r in csv.DictReader(open(sys.argv[1]))}
conns, secs, size, solves, failed, cores, load, scenario = sys.argv[2:10]
def whole(name):
    a, b = rows[name + "-a"], rows[name + "-b"]
    return {
        "rps": int(a["requests_per_s"]) + int(b["requests_per_s"]),
        # The p50 and p99 of the whole are at most the larger of the halves'.
        "p50": max(float(a["p50_ms"]), float(b["p50_ms"])),
        "p99": max(float(a["p99_ms"]), float(b["p99_ms"])),
        "errors": int(a["non_2xx"]) + int(b["non_2xx"]),
        "sock": "; ".join(sorted({a["socket_errors"], b["socket_errors"]})),
    }
t, n = whole("tournee"), whole("nginx")
row = lambda name, w: f"| {name} | {w['rps']} | {w['p50']:.2f} | {w['p99']:.2f} | {w['errors']} | {w['sock']} |"
half = lambda key, label: f"| {label} | {rows[key]['requests_per_s']} | {rows[key]['p50_ms']} | {rows[key]['p99_ms']} | {rows[key]['non_2xx']} | {rows[key]['socket_errors']} |"
print(f"""# Calendar fetches on the several-machine deployment, under solve load: Tournée vs nginx

Command: `SCENARIO={scenario} bench/cluster-load.sh {conns} {secs}`: a throwaway PostgreSQL cluster, two
`tournee serve --no-solve` instances and two `tournee worker` processes on it, all on
one machine ({cores} cores; load average when the measures began: {load}). The workers
solve `scenarios/{scenario}.toml` without pause (4 solves kept waiting) while two wrk processes
({int(conns) // 2} connections each, {secs} s, on loopback) fetch one commune's calendar link
({size} bytes), one from each instance. Then the same two wrk processes fetch the same
bytes from nginx (one static file), under the same solve load.

| server | requests/s | p50 (ms) | p99 (ms) | non-2xx | socket errors |
|---|---:|---:|---:|---:|---|
{row("Tournée, two instances (`GET /cal/{key}/{commune}.ics`)", t)}
{half("tournee-a", "— instance 1")}
{half("tournee-b", "— instance 2")}
{row("nginx (worker_processes auto), the same file", n)}

p50 and p99 of the whole: the larger of the two halves'. Ratios Tournée / nginx:
throughput {t['rps'] / n['rps']:.2f}, p50 {t['p50'] / n['p50']:.2f}, p99 {t['p99'] / n['p99']:.2f}.
Solves finished during the two measures: {solves} ({failed} failed in the whole run).

The bar (issue 21): p99 under 20 ms at 200 clients under solve load: **{'met' if t['p99'] < 20 else 'not met'}** ({t['p99']:.1f} ms).
""")
PY
cat bench/results/cluster-load.md
