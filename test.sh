#!/usr/bin/env bash
# Builds everything and runs every test suite: the Swift unit tests, the
# parser fuzzers (fuzz/run.sh), then the tests in tests/ (pytest against a
# real memflux-server, the SQL corpus against PostgreSQL, the C ABI and the
# Python package over libmemflux). Idempotent;
# safe on a fresh machine (installs what the tests need, only when missing)
# and in CI (CI=true, no stdin).
set -euo pipefail
cd "$(dirname "$0")"

have_python_tests() { [ -d tests ] && ls tests/test_*.py >/dev/null 2>&1; }

if have_python_tests; then
    # Python client libraries for the protocol tests.
    python3 -c "import redis, pytest" 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check redis pytest
    # redis-cli (for the redis-cli tests and --pipe bulk load) and redis-server (the differential tests' reference).
    { command -v redis-cli && command -v redis-server; } >/dev/null \
        || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-tools redis-server)
    # PostgreSQL and psycopg2: the SQL differential tests' reference (tests/sqlref.py).
    python3 -c "import psycopg2" 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check psycopg2-binary
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
        || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)
    # A C compiler and valgrind: the C ABI tests build examples/c and tests/c and run them under memcheck.
    { command -v cc && command -v valgrind; } >/dev/null \
        || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y gcc valgrind)
fi

# Builds every target, memflux-server included, and the test bundles.
swift build --build-tests
swift test --skip-build

# libFuzzer runs of the parsers (fuzz/README.md): 60 s per target in CI, 20 s
# otherwise; a crash, failed check, leak or timeout fails the script.
if [ "${CI:-}" = true ]; then
    fuzz/run.sh "${FUZZ_SECONDS:-60}"
else
    fuzz/run.sh "${FUZZ_SECONDS:-20}"
fi

if have_python_tests; then
    MEMFLUX_SERVER="$(swift build --show-bin-path)/memflux-server"
    MEMFLUX_LIB="$(swift build --show-bin-path)/libmemflux.so"
    export MEMFLUX_SERVER MEMFLUX_LIB
    # The Python package, with its C accelerator (tests/test_python_dbapi.py runs both paths).
    python3 -m pip install --quiet --disable-pip-version-check ./libs/python
    # The SQL corpus must hold on PostgreSQL itself before MemFlux is compared with it;
    # the seeded random queries (tests/sqlgen.py) are compared too.
    python3 tests/sqlref.py --check-corpus
    export MEMFLUX_SQL_GENERATED=1
    # pytest exits 5 when it collects no tests; that is not a failure.
    status=0
    python3 -m pytest -q tests || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
        exit "$status"
    fi
fi
