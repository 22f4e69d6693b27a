#!/usr/bin/env bash
# Load on loopback: many concurrent calendar fetches while solves run, Tournée's
# public calendar link vs nginx serving the same .ics file as a static file, in the
# same run, each measured by wrk with the same connections and duration while the
# same stream of solve jobs runs on the Tournée server.
# Writes bench/results/api-load.md and api-load.csv.
# Usage: bench/api-load.sh [CONNECTIONS] [SECONDS]   (default 200 and 15; installs
# wrk and nginx-light from Debian when missing; TOURNEE_BIN overrides the binary,
# else a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-200}
secs=${2:-15}
. bench/lib/wrk.sh
need_wrk_nginx
if [ -z "${TOURNEE_BIN:-}" ]; then
  cargo build --release -q -p tournee-cli
  TOURNEE_BIN=${CARGO_TARGET_DIR:-target}/release/tournee
fi
bin=$TOURNEE_BIN
work=$(mktemp -d)
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
pids=()
trap cleanup EXIT

token=$($bin --quiet token --org bench --db "$work/db.sqlite")
$bin --quiet serve --addr 127.0.0.1:0 --data-dir . --db "$work/db.sqlite" 2> "$work/serve.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "http://" "$work/serve.log" && break; sleep 0.1; done
addr=$(grep -o "http://[0-9.:]*" "$work/serve.log" | head -1)
auth="Authorization: Bearer $token"
sed 's#"../osm-data/demo.osm.pbf"#"osm-data/demo.osm.pbf"#' scenarios/demo.toml > "$work/demo.toml"
sid=$(curl -sf -H "$auth" --data-binary @"$work/demo.toml" "$addr/api/v1/scenarios" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
job=$(curl -sf -X POST -H "$auth" "$addr/api/v1/scenarios/$sid/solve" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"])')
for _ in $(seq 600); do
  state=$(curl -sf -H "$auth" "$addr/api/v1/jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" = done ] && break; sleep 0.1
done
plan=$(curl -sf -H "$auth" "$addr/api/v1/jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["plan"])')
cal=$(curl -sf -H "$auth" "$addr/api/v1/plans/$plan" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calendars"][0]["url"])')
curl -sf "$addr$cal" > "$work/cal.ics"
[ -s "$work/cal.ics" ] || { echo "bench: no calendar fetched from $addr$cal" >&2; exit 1; }

# The peer: nginx serving the same bytes.
mkdir -p "$work/www"
cp "$work/cal.ics" "$work/www/cal.ics"
nginx_static "$work/www" "$work/nginx"
pids+=("$nginx_pid")
port=$nginx_port
sleep 0.5

# The background load: solve jobs submitted one after another for the whole run.
(while true; do
  curl -sf -o /dev/null -X POST -H "$auth" "$addr/api/v1/scenarios/$sid/solve" || true
  sleep 0.2
done) &
pids+=($!)
sleep 1

measure() { # name url
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$2" > "$work/$1.wrk"
  wrk_figures "$work/$1.wrk" "$1"
}
csv=bench/results/api-load.csv
mkdir -p bench/results
echo "server,requests_per_s,p50_ms,p99_ms,non_2xx,socket_errors" > "$csv"
curl -sf -o /dev/null "http://127.0.0.1:$port/cal.ics" || { echo "bench: nginx does not serve the file" >&2; exit 1; }
measure tournee "$addr$cal" | tee -a "$csv"
measure nginx "http://127.0.0.1:$port/cal.ics" | tee -a "$csv"
solves=$(sqlite3 "$work/db.sqlite" "select count(*) from jobs where state='done'" 2>/dev/null || echo "?")

python3 - "$csv" "$conns" "$secs" "$(stat -c %s "$work/cal.ics")" "$solves" > bench/results/api-load.md <<'PY'
import csv, sys, platform, os
rows = {r["server"]: r for r in csv.DictReader(open(sys.argv[1]))}
t, n = rows["tournee"], rows["nginx"]
conns, secs, size, solves = sys.argv[2:6]
ratio = lambda k: float(t[k]) / float(n[k])
print(f"""# Calendar fetches under load: Tournée vs nginx, same run

Command: `bench/api-load.sh {conns} {secs}` (wrk, 2 threads, {conns} connections,
{secs} s each, on loopback; one calendar of {size} bytes; solve jobs of the demo
scenario submitted every 0.2 s on the Tournée server during both measurements).
Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}.

| server | requests/s | p50 (ms) | p99 (ms) | non-2xx | socket errors |
|---|---:|---:|---:|---:|---|
| Tournée `GET /cal/{{key}}/{{commune}}.ics` | {t['requests_per_s']} | {t['p50_ms']} | {t['p99_ms']} | {t['non_2xx']} | {t['socket_errors']} |
| nginx (worker_processes auto), the same file as a static file | {n['requests_per_s']} | {n['p50_ms']} | {n['p99_ms']} | {n['non_2xx']} | {n['socket_errors']} |

Ratios Tournée / nginx: throughput {ratio('requests_per_s'):.2f}, p50 {ratio('p50_ms'):.2f},
p99 {ratio('p99_ms'):.2f}. Solve jobs finished during the run: {solves}.

The bar (issue 7): p99 under 50 ms at 200 concurrent clients while a solve runs.
""")
PY
cat bench/results/api-load.md
