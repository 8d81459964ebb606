"""Differential test of SQL: each statement of the corpus (tests/sql/*.sql)
and of the generator (tests/sqlgen.py) runs on PostgreSQL 15 and on
memflux-server (`SQL <statement>`), and the results must agree.

Which files run: those listed in tests/sql/ENABLED (the engine is being
written; `python3 tests/sqlref.py --check-corpus` keeps every file correct on
PostgreSQL meanwhile). The generated queries run when MEMFLUX_SQL_GENERATED=1
(seed MEMFLUX_SQL_SEED). One file alone, listed or not:

    MEMFLUX_SQL_FILES=joins.sql python3 -m pytest -q tests/test_sql_differential.py

How results compare (sqlref.Result, as PostgreSQL gives them):
- Rows are JSON objects compared as canonical JSON text: keys in order,
  numbers exactly as written (1.50 is not 1.5), whitespace ignored (jsonb
  prints `{"a": 1}`, MemFlux `{"a":1}`).
- Without an outermost ORDER BY the rows compare as a multiset. With one,
  PostgreSQL's rows split into runs that tie on the ORDER BY keys, and
  MemFlux must give the same runs in the same order, each run as a multiset.
  Ties are seen when every key is an output column (by position or name);
  other ORDER BYs are compared in exact order, so the corpus keeps them total.
- In a query calling SUM or AVG, values of double precision/real columns may
  differ by a relative 1e-12 (summation order); nothing else has a tolerance.
- Counts compare exactly, OK with OK, errors by message: MemFlux's without its
  `ERR `/`SYNTAX ` code and ` at line L, column C` suffix, PostgreSQL's first
  line without `ERROR:  `.
Every differing statement of a file is reported in one failure: where it is,
its SQL, PostgreSQL's result and MemFlux's.
"""
import collections
import math
import os
import re

import pytest

import sqlgen
from rawsocket import Raw, command
from sqlref import (
    CorpusError, PostgresCluster, PostgresSession, Result, Row, Statement, canonical, corpus_names, enabled_names,
    load_corpus_file, schema_for, tie_groups,
)

REPLY_TIMEOUT = 30
FLOAT_TOLERANCE = 1e-12
SHOWN_DIFFERENCES = 60


def selected_files():
    configured = os.environ.get("MEMFLUX_SQL_FILES")
    if configured:
        return [name.strip() for name in configured.split(",") if name.strip()]
    return enabled_names()


@pytest.fixture(scope="session")
def postgres():
    try:
        cluster = PostgresCluster()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    yield cluster
    cluster.stop()


# ---------------------------------------------------------------- MemFlux's side

class MemFluxSession:
    """One connection; `run` gives a statement's Result as MemFlux replies it."""

    def __init__(self, port):
        self.conn = Raw(port, timeout=REPLY_TIMEOUT)

    def close(self):
        self.conn.close()

    def call(self, *args):
        self.conn.send(command(*args))
        return self.read()

    def line(self):
        self.conn.sock.settimeout(REPLY_TIMEOUT)  # Raw.read_exact leaves a shorter one behind
        while b"\r\n" not in self.conn.buffer:
            chunk = self.conn.sock.recv(1 << 16)
            if not chunk:
                raise EOFError("memflux-server closed the connection")
            self.conn.buffer += chunk
        line, self.conn.buffer = self.conn.buffer.split(b"\r\n", 1)
        return line

    def read(self):
        """A RESP2 reply as (kind, value): simple, error, integer, bulk (bytes or None), array (list or None)."""
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return "simple", rest.decode(errors="replace")
        if kind == b"-":
            return "error", rest.decode(errors="replace")
        if kind == b":":
            return "integer", int(rest)
        if kind == b"$":
            n = int(rest)
            return "bulk", None if n < 0 else self.conn.read_exact(n + 2, REPLY_TIMEOUT)[:-2]
        if kind == b"*":
            n = int(rest)
            return "array", None if n < 0 else [self.read() for _ in range(n)]
        raise AssertionError(f"not RESP2: {line!r}")

    def run(self, statement):
        return result_of_reply(self.call("SQL", statement.text))

    def reset(self, tables):
        """A fresh keyspace: WIPEDB (data and every table definition), then the file's tables dropped."""
        self.call("WIPEDB")
        if tables:
            return self.run(Statement("DROP TABLE IF EXISTS " + ", ".join(tables), "<reset>"))
        return Result("ok")


ERROR_CODE = re.compile(r"^(ERR|SYNTAX) ")
ERROR_POSITION = re.compile(r" at line \d+, column \d+$")


def error_message(text):
    return ERROR_POSITION.sub("", ERROR_CODE.sub("", text, count=1))


def result_of_reply(reply):
    kind, value = reply
    if kind == "array" and value is not None and all(k == "bulk" and v is not None for k, v in value):
        return Result("rows", [Row.from_json(v.decode(errors="replace")) for _, v in value])
    if kind == "integer":
        return Result("count", value=value)
    if kind == "simple" and value == "OK":
        return Result("ok")
    if kind == "error":
        return Result("error", value=error_message(value))
    return Result("reply", value=reply)


# ---------------------------------------------------------------- comparison

def close_numbers(a, b):
    try:
        x, y = float(a.text), float(b.text)
    except (AttributeError, ValueError):
        return False
    return math.isclose(x, y, rel_tol=FLOAT_TOLERANCE, abs_tol=0.0)


def rows_close(want, got, float_columns):
    if len(want.fields) != len(got.fields):
        return False
    for i, ((want_key, want_value), (got_key, got_value)) in enumerate(zip(want.fields, got.fields)):
        if want_key != got_key:
            return False
        if canonical(want_value) != canonical(got_value) and not (
                i in float_columns and close_numbers(want_value, got_value)):
            return False
    return True


def same_rows(want_rows, got_rows, float_columns):
    """Multiset equality; with float columns, each row of want matched to a close row of got."""
    if collections.Counter(r.text for r in want_rows) == collections.Counter(r.text for r in got_rows):
        return True
    if not float_columns:
        return False
    remaining = list(got_rows)
    for row in want_rows:
        match = next((i for i, other in enumerate(remaining) if rows_close(row, other, float_columns)), None)
        if match is None:
            return False
        del remaining[match]
    return True


def results_agree(want, got):
    if want.kind != got.kind:
        return False
    if want.kind != "rows":
        return want.value == got.value
    if len(want.rows) != len(got.rows):
        return False
    start = 0
    for group in tie_groups(want):
        if not same_rows(group, got.rows[start:start + len(group)], want.float_columns):
            return False
        start += len(group)
    return True


def describe_postgres(result):
    if result.kind != "rows":
        return result.describe()
    if not result.ordered:
        order = "any order"
    elif result.order_keys is None:
        order = "this order"
    else:
        columns = ", ".join(str(i + 1) for i in result.order_keys)
        order = f"this order; rows equal in columns {columns} in any order"
    return f"{result.describe()} ({order})"


def report(title, differences, compared):
    lines = [f"{title}: {len(differences)} of {compared} statements (resets included) differ from PostgreSQL"]
    for statement, want, got in differences[:SHOWN_DIFFERENCES]:
        marker = " (must fail)" if statement.expect_error else ""
        lines += [f"--- {statement.where}{marker}", statement.text,
                  f"  postgres: {describe_postgres(want)}",
                  f"  memflux: {got.describe() if isinstance(got, Result) else got}"]
    if len(differences) > SHOWN_DIFFERENCES:
        lines.append(f"... and {len(differences) - SHOWN_DIFFERENCES} more")
    return "\n".join(lines)


def compare_statements(pg, memflux, pairs):
    """Runs each statement on MemFlux (PostgreSQL's result given or computed now); the differences.
    A lost connection or a reply timeout ends the run: nothing after it could be trusted."""
    differences = []
    for statement, want in pairs:
        if want is None:
            want = pg.run(statement)
        try:
            got = memflux.run(statement)
        except (OSError, EOFError) as e:
            differences.append((statement, want, f"no reply ({e!r}); later statements were not run"))
            break
        if not results_agree(want, got):
            differences.append((statement, want, got))
    return differences


def run_data_set(pg, memflux, corpus_file, pairs):
    """Resets MemFlux, then compares (statement, PostgreSQL's result or None) pairs, the data set's first.
    A reset that fails is a difference too: the file's tables may survive from an earlier run."""
    differences = []
    reset = memflux.reset(corpus_file.tables)
    if reset.kind != "ok":
        differences.append((Statement(f"DROP TABLE IF EXISTS {', '.join(corpus_file.tables)}", "<reset>"),
                            Result("ok"), reset))
    return differences + compare_statements(pg, memflux, pairs), 1 + len(pairs)


# ---------------------------------------------------------------- the tests

def test_harness_reads_postgres_as_memflux_replies(postgres):
    """The reference side itself: PostgreSQL's rows as MemFlux's JSON, errors as their message,
    counts, ties under ORDER BY, and every corpus file parses."""
    for name in corpus_names():
        load_corpus_file(name)
    for name in selected_files():
        if name not in corpus_names():
            raise CorpusError(f"{name} is not a corpus file")
    pg = PostgresSession(postgres, schema_for("harness"))
    try:
        run = lambda sql: pg.run(Statement(sql))
        rows = run("SELECT 1 AS a, 1.50 AS b, '{\"y\": [1, 2.0], \"x\": null}'::jsonb AS j, 'ab'::char(3) AS c, "
                   "TIMESTAMP '2024-01-31 12:34:56' AS ts, 'NaN'::float8 AS f, 2")
        assert [r.text for r in rows.rows] == [
            '{"a":1,"b":1.50,"j":{"x":null,"y":[1,2.0]},"c":"ab ","ts":"2024-01-31T12:34:56","f":"NaN","?column?":2}']
        assert (run("SELECT 1 / 0").kind, run("SELECT 1 / 0").value) == ("error", "division by zero")
        assert run("SELECT 1 +").value == "syntax error at end of input"
        assert run("CREATE TABLE t (id INTEGER PRIMARY KEY)").kind == "ok"
        assert (run("INSERT INTO t VALUES (1), (2), (3)").kind, run("DELETE FROM t WHERE id > 1").value) == ("count", 2)
        returning = run("INSERT INTO t VALUES (5) RETURNING id, id * 2 AS twice")
        assert [r.text for r in returning.rows] == ['{"id":5,"twice":10}']
        ordered = run("SELECT v, w FROM (VALUES (1, 'a'), (1, 'b'), (2, 'c')) AS x(v, w) ORDER BY v DESC")
        assert ordered.order_keys == [0]
        assert [[r.text for r in g] for g in tie_groups(ordered)] == [['{"v":2,"w":"c"}'], ['{"v":1,"w":"a"}', '{"v":1,"w":"b"}']]
        assert run("SELECT v FROM (VALUES (2), (1)) AS x(v) ORDER BY v + 0").order_keys is None
        assert run("SELECT sum(x) AS s, 1.5::float8 AS f, 2 AS i FROM (VALUES (0.1::float8)) v(x)").float_columns == {0, 1}
    finally:
        pg.close()


def test_comparison_rules():
    """What counts as the same answer."""
    rows = lambda *texts: [Row.from_json(t) for t in texts]
    unordered = Result("rows", rows('{"a":1}', '{"a":2}'))
    assert results_agree(unordered, Result("rows", rows('{"a":2}', '{"a":1}')))
    assert not results_agree(unordered, Result("rows", rows('{"a":1}', '{"a":1}')))
    assert not results_agree(Result("rows", rows('{"a":1.50}')), Result("rows", rows('{"a":1.5}')))
    assert results_agree(Result("rows", rows('{"j":{"b": [1, 2]}}')), Result("rows", rows('{"j":{"b":[1,2]}}')))
    assert not results_agree(Result("rows", rows('{"a":1,"b":2}')), Result("rows", rows('{"b":2,"a":1}')))
    assert not results_agree(Result("rows", rows('{"a":"1"}')), Result("rows", rows('{"a":1}')))
    ties = Result("rows", rows('{"k":2,"v":"x"}', '{"k":1,"v":"y"}', '{"k":1,"v":"z"}'), ordered=True, order_keys=[0])
    assert results_agree(ties, Result("rows", rows('{"k":2,"v":"x"}', '{"k":1,"v":"z"}', '{"k":1,"v":"y"}')))
    assert not results_agree(ties, Result("rows", rows('{"k":1,"v":"y"}', '{"k":2,"v":"x"}', '{"k":1,"v":"z"}')))
    exact = Result("rows", rows('{"v":1}', '{"v":2}'), ordered=True, order_keys=None)
    assert not results_agree(exact, Result("rows", rows('{"v":2}', '{"v":1}')))
    summed = Result("rows", rows('{"s":0.30000000000000004}'), float_columns=frozenset({0}))
    assert results_agree(summed, Result("rows", rows('{"s":0.3}')))
    assert not results_agree(summed, Result("rows", rows('{"s":0.3001}')))
    assert not results_agree(Result("rows", rows('{"s":0.30000000000000004}')), Result("rows", rows('{"s":0.3}')))
    assert error_message("SYNTAX syntax error at or near \"FROM\" at line 1, column 8") == 'syntax error at or near "FROM"'
    assert error_message("ERR division by zero") == "division by zero"
    assert result_of_reply(("integer", 3)) == Result("count", value=3)
    assert result_of_reply(("simple", "OK")) == Result("ok")
    assert result_of_reply(("array", [])).kind == "rows"


def compare_file(server, postgres, name):
    corpus_file = load_corpus_file(name)
    pg = PostgresSession(postgres, schema_for(name))
    memflux = MemFluxSession(server.port)
    try:
        differences, compared = run_data_set(pg, memflux, corpus_file, [(s, None) for s in corpus_file.statements])
    finally:
        memflux.close()
        pg.close()
    if differences:
        pytest.fail(report(name, differences, compared), pytrace=False)


# An empty parametrization would be reported as a skip; with no file enabled the test is not defined.
if selected_files():
    @pytest.mark.parametrize("name", selected_files())
    def test_corpus_file_matches_postgres(server, postgres, name):
        compare_file(server, postgres, name)


if os.environ.get("MEMFLUX_SQL_GENERATED") == "1":
    def test_generated_queries_match_postgres(server, postgres):
        """sqlgen's queries over each of its data sets (seed MEMFLUX_SQL_SEED)."""
        differences, compared, generated = [], 0, 0
        for name in sqlgen.DATASETS:
            corpus_file = load_corpus_file(name)
            pg = PostgresSession(postgres, schema_for("gen_" + name))
            memflux = MemFluxSession(server.port)
            try:
                # PostgreSQL holds the data set before the generator reads it; MemFlux gets it after.
                setup = [(statement, pg.run(statement)) for statement in corpus_file.setup]
                queries, _ = sqlgen.generate(pg, corpus_file, sqlgen.PER_DATASET, sqlgen.random_for(name))
                generated += len(queries)
                found, count = run_data_set(pg, memflux, corpus_file, setup + queries)
                differences += found
                compared += count
            finally:
                memflux.close()
                pg.close()
        assert generated >= sqlgen.MINIMUM_QUERIES
        if differences:
            pytest.fail(report(f"generated queries (seed {sqlgen.seed()})", differences, compared), pytrace=False)
