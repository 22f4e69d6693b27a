#!/usr/bin/env bash
# The main job on the embedded default: plans the demo scenario on the demo
# territory, writes every output into out/demo, then re-checks the plan with the
# independent checker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p tournee-cli
./target/release/tournee plan scenarios/demo.toml --out out/demo
./target/release/tournee check out/demo/plan.json --scenario scenarios/demo.toml
echo "Open out/demo/plan.html for the weekly grid; calendars are in out/demo/calendriers/."
