#!/usr/bin/env bash
# Installs what building and testing Tournée needs on a Debian machine with Rust
# (rustup): the rustfmt and clippy components; osmium-tool, the reference OSM tool
# the tests use to check that our PBF files are standard; cmake, a C++ compiler and
# libclang, which build the HiGHS solver behind good_lp and its bindings; Node.js,
# npm and Chromium for the web page and its browser tests; then the web page's npm
# packages (from web/package-lock.json) and the built page in web/dist; frictionless
# (PyPI), the reference Table Schema validator, in a virtual environment of the
# clone (.tools/frictionless), which the tests of the MedNum directory file run;
# Debian's postgresql (its initdb, pg_ctl and psql), with which the server's tests
# start throwaway PostgreSQL clusters of their own (they need no running server).
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

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
# libclang itself (not libclang-cpp), for the bindings to HiGHS (bindgen).
compgen -G '/usr/lib/llvm-*/lib/libclang.so*' >/dev/null ||
  compgen -G '/usr/lib/llvm-*/lib/libclang-[0-9]*.so*' >/dev/null ||
  missing+=(libclang-dev)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
# A font, so that rendered pages have text to look at.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# PostgreSQL's programs, for the tests on PostgreSQL (crates/test-support/src/postgres.rs).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The web page: npm packages pinned by the lock file, then the bundle.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "setup: installing the web page's npm packages" >&2
  npm --prefix web ci --no-audit --no-fund --loglevel=error
fi
npm --prefix web run build --silent

# frictionless, pinned, for the tests that validate lieux-mediation-numerique.csv.
FRICTIONLESS_VERSION=5.21.0
venv=.tools/frictionless
if [ "$("$venv/bin/frictionless" --version 2>/dev/null)" != "$FRICTIONLESS_VERSION" ]; then
  echo "setup: installing frictionless $FRICTIONLESS_VERSION (PyPI) into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "frictionless==$FRICTIONLESS_VERSION"
fi
