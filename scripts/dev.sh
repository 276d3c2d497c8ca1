#!/usr/bin/env bash
# One entry point for a fresh machine:
#   bash scripts/dev.sh demo   set up, then build the demo warehouse (warehouse/gtm.duckdb)
#   bash scripts/dev.sh test   set up, then run every check: ruff, sqlfluff, dbt build, pytest
#                              (two stages: everything but the engines, then the engines);
#                              with arguments, only `pytest ARGS`
#   bash scripts/dev.sh setup  only create .venv and install the project with its pins
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${GTM_VENV:-.venv}"
PY="$VENV/bin/python"

step() { printf '\n==> %s\n' "$*"; }

# Debian packages the tests need: Chromium for the dashboard's browser test,
# PostgreSQL 15 for the cross-engine test, a JDK for Spark. Installed only when absent.
system_packages() {
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
    command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
    if [ "${#missing[@]}" -gt 0 ]; then
        step "installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}

setup() {
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "error: Python 3.11 or newer is needed (found $(python3 --version 2>&1))" >&2
        exit 1
    fi
    if [ ! -x "$PY" ]; then
        step "creating $VENV"
        python3 -m venv "$VENV"
    fi
    step "installing the project and its pinned dependencies"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
}

demo() {
    setup
    step "building the demo warehouse"
    "$VENV/bin/gtm" build "$@"
}

run_tests() {
    system_packages
    setup
    step "ruff (Python style)"
    "$VENV/bin/ruff" check scripts tests/python
    step "sqlfluff lint (SQL style, dbt templater)"
    "$VENV/bin/sqlfluff" lint models tests analyses --processes 2
    step "dbt build on the demo seeds (seeds, models, unit and data tests)"
    local work
    work="$(mktemp -d)"
    GTM_DUCKDB_PATH="$work/ci.duckdb" DBT_TARGET_PATH="$work/target" \
        "$VENV/bin/dbt" build --project-dir . --profiles-dir .
    rm -rf "$work"
    if [ "$#" -gt 0 ]; then
        step "pytest $*"
        "$VENV/bin/pytest" "$@"
        return
    fi
    step "pytest (command line, generator, input modes, bad input, publishing, hardening, dashboard)"
    # Two workers (pytest-xdist): most tests wait on a dbt build, which is mostly
    # single-threaded Python. GTM_TEST_WORKERS=0 runs them in this process.
    "$VENV/bin/pytest" -m "not engines" -n "${GTM_TEST_WORKERS:-2}"
    step "pytest -m engines (the demo on DuckDB, PostgreSQL and Spark: identical marts)"
    "$VENV/bin/pytest" -m engines
}

case "${1:-}" in
    setup) setup ;;
    demo) shift; demo "$@" ;;
    test) shift; run_tests "$@" ;;
    *)
        echo "usage: bash scripts/dev.sh {demo|test|setup}" >&2
        exit 2
        ;;
esac
