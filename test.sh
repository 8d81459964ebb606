#!/usr/bin/env bash
# Builds everything and runs every test suite. Idempotent; safe on a fresh
# machine (installs what the tests need) and in CI (CI=true, no stdin).
set -euo pipefail
cd "$(dirname "$0")"

# Python test dependencies, only when there are Python tests to run.
if [ -d tests ] && ls tests/*.py >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check redis pytest
fi

swift build --build-tests
swift test --skip-build

if [ -d tests ] && ls tests/*.py >/dev/null 2>&1; then
    python3 -m pytest -q tests
fi
