#!/usr/bin/env bash
# All the tests: formatting, lints, every test of the workspace, then the web page's
# browser tests in headless Chromium against a real `tournee serve`. Installs what
# it needs first (scripts/setup.sh). Tests that need ../shared data (beside the
# clone) run too and fail naming any missing file (README, "Tests that need the
# shared data"). Screenshots of the page: web/test-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --no-fail-fast
# The browser tests run target/debug/tournee. `cargo test --workspace --no-run` puts
# there the binary the tests just built (a no-op after `cargo test`), where `cargo
# build --bin tournee` would rebuild it and its dependencies with other features
# (measured: 5-6 minutes of a CI run on 2 cores).
cargo test --workspace --no-run
npm --prefix web test
