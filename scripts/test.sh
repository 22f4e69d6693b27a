#!/usr/bin/env bash
# All the tests: formatting, lints, and every test of the workspace. Installs what
# it needs first. Tests that need ../shared data absent here are marked #[ignore]
# and listed in the README; run them with `cargo test --workspace -- --ignored`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
