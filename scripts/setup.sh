#!/usr/bin/env bash
# Installs what building and testing Tournée needs on a Debian machine with Rust
# (rustup): the rustfmt and clippy components; osmium-tool, the reference OSM tool
# the tests use to check that our PBF files are standard; cmake, a C++ compiler and
# libclang, which build the HiGHS solver behind good_lp and its bindings. Idempotent: does nothing when
# everything is there.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found — install Rust first (https://rustup.rs)" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

missing=()
command -v osmium >/dev/null || missing+=(osmium-tool)
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
# libclang, for the bindings to HiGHS (bindgen).
ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || missing+=(libclang-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
