#!/usr/bin/env python3
"""SQL side by side: memflux-server (release build, over RESP) against SQLite
(Python's sqlite3, :memory:) and PostgreSQL 15 (a throw-away cluster on a
loopback port), on the same machine in one run. Every answer is checked
against the other systems' before its time counts.

Data: t(id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)
with 1M rows and u(id INTEGER PRIMARY KEY, tid INTEGER) with 100k rows.
Queries: a filtered COUNT (full scan), GROUP BY over 1000 groups, top-10 by
val, the u x t equi-join with COUNT/SUM, COUNT(DISTINCT name). Then point
SELECTs by primary key via SQL.EXEC against GET throughput on the same server
(redis-benchmark), and 100k INSERTs via pipelined SQL.EXEC against
PostgreSQL's executemany.

    bench/sql_compare.py [--rows N] [--rounds R]

Prints markdown for docs/benchmarks.md. Needs redis-py, psycopg2-binary,
redis-benchmark and PostgreSQL 15 (apt-get install postgresql).
"""
import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from memflux_server import MemFluxServer, free_port, release_binary

PG_BIN = "/usr/lib/postgresql/15/bin"

QUERIES = [
    ("scan", "SELECT count(*) AS c FROM t WHERE val > 0.5"),
    ("group", "SELECT grp, count(*) AS c, sum(val) AS s, avg(val) AS a FROM t GROUP BY grp"),
    ("top-10", "SELECT id, val FROM t ORDER BY val DESC LIMIT 10"),
    ("join", "SELECT count(*) AS c, sum(t.val) AS s FROM u JOIN t ON t.id = u.tid"),
    ("distinct", "SELECT count(DISTINCT name) AS c FROM t"),
]


def rows_t(n):
    rng = random.Random(42)
    for i in range(n):
        yield (i, i % 1000, rng.random(), f"name{i % 50000}")


def rows_u(n, t_rows):
    for i in range(n):
        yield (i, (i * 7919) % t_rows)


def normalize(rows):
    """Rows as sorted tuples, numbers to 9 significant digits (summation order differs between engines)."""
    def value(v):
        if isinstance(v, (float, Decimal)):
            return float(f"{float(v):.9g}")
        return v
    return sorted((tuple(value(v) for v in r) for r in rows), key=repr)


def best_of(rounds, systems):
    """Runs each system's query once per round, the systems one after another
    within a round, so that a machine whose speed drifts (these are shared)
    slows them alike. Returns each system's best time (ms) and last answer."""
    best = {name: None for name in systems}
    results = {}
    for _ in range(rounds):
        for name, run in systems.items():
            start = time.perf_counter()
            results[name] = run()
            elapsed = (time.perf_counter() - start) * 1000
            best[name] = elapsed if best[name] is None else min(best[name], elapsed)
    return best, results


class PostgreSQL:
    def __init__(self):
        import psycopg2

        self.dir = tempfile.mkdtemp(prefix="memflux-bench-pg-")
        shutil.chown(self.dir, "postgres")
        self.port = free_port()
        run_as = ["runuser", "-u", "postgres", "--"]
        subprocess.run(run_as + [f"{PG_BIN}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres"],
                       check=True, stdout=subprocess.DEVNULL)
        self.process = subprocess.Popen(run_as + [
            f"{PG_BIN}/postgres", "-D", f"{self.dir}/data", "-p", str(self.port), "-k", self.dir, "-h", "127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "shared_buffers=1GB", "-c", "work_mem=256MB"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                self.conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
                break
            except psycopg2.OperationalError:
                time.sleep(0.1)
        else:
            raise RuntimeError("PostgreSQL did not start")
        self.conn.autocommit = True

    def execute(self, sql, rows=None):
        with self.conn.cursor() as cur:
            if rows is None:
                cur.execute(sql)
                return cur.fetchall() if cur.description else None
            cur.executemany(sql, rows)

    def stop(self):
        self.conn.close()
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)


class MemFlux(MemFluxServer):
    def query(self, sql):
        import json

        return [tuple(json.loads(r).values()) for r in self.client.execute_command("SQL", sql)]

    def load(self, table, columns, rows, batch=10000):
        placeholders = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table} VALUES ({placeholders})"
        pipe = self.client.pipeline(transaction=False)
        count = 0
        for row in rows:
            pipe.execute_command("SQL.EXEC", statement, *row)
            count += 1
            if count % batch == 0:
                pipe.execute()
        pipe.execute()


def redis_benchmark(port, *command, requests=200000):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "50", "-n", str(requests), "-r", "1000000", "-q",
                          *command], check=True, capture_output=True, text=True).stdout
    # "<command line>: 123456.79 requests per second, p50=..." (the command line may hold colons too)
    line = [l for l in out.replace("\r", "\n").splitlines() if "requests per second" in l][-1]
    return float(line.split("requests per second")[0].rsplit(":", 1)[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    binary = release_binary()
    t_rows, u_rows = args.rows, args.rows // 10

    lite = sqlite3.connect(":memory:")
    pg = PostgreSQL()
    mf = MemFlux(binary)
    try:
        schema_t = "CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)"
        schema_u = "CREATE TABLE u (id INTEGER PRIMARY KEY, tid INTEGER)"
        for system in (lite, pg):
            system.execute(schema_t)
            system.execute(schema_u)
        started = time.perf_counter()
        lite.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows_t(t_rows))
        lite.executemany("INSERT INTO u VALUES (?, ?)", rows_u(u_rows, t_rows))
        pg.execute("INSERT INTO t VALUES (%s, %s, %s, %s)", list(rows_t(t_rows)))
        pg.execute("INSERT INTO u VALUES (%s, %s)", list(rows_u(u_rows, t_rows)))
        pg.execute("VACUUM ANALYZE")
        mf.client.execute_command("SQL", schema_t)
        mf.client.execute_command("SQL", schema_u)
        mf.load("t", "id grp val name".split(), ([str(v) for v in r] for r in rows_t(t_rows)))
        mf.load("u", "id tid".split(), ([str(v) for v in r] for r in rows_u(u_rows, t_rows)))
        print(f"(data loaded into all three in {time.perf_counter() - started:.0f} s)\n", flush=True)

        print(f"| query | MemFlux ms | SQLite ms | PostgreSQL ms | MemFlux / faster |")
        print("|---|---|---|---|---|")
        for name, sql in QUERIES:
            ms, answers = best_of(args.rounds, {
                "SQLite": lambda: lite.execute(sql).fetchall(),
                "PostgreSQL": lambda: pg.execute(sql),
                "MemFlux": lambda: mf.query(sql),
            })
            expected = normalize(answers["SQLite"])
            for system in ("PostgreSQL", "MemFlux"):
                if normalize(answers[system]) != expected:
                    sys.exit(f"{name}: {system} answered {normalize(answers[system])[:3]}..., SQLite {expected[:3]}...")
            faster = min(ms["SQLite"], ms["PostgreSQL"])
            print(f"| {name} | {ms['MemFlux']:.1f} | {ms['SQLite']:.1f} | {ms['PostgreSQL']:.1f} | {ms['MemFlux'] / faster:.2f}x |")

        # GET reads byte keys `k:<id>` holding each row's name: the same keyspace size, a hit every time.
        pipe = mf.client.pipeline(transaction=False)
        for i, row in enumerate(rows_t(t_rows)):
            pipe.set(f"k:{i:012d}", row[3])  # redis-benchmark spells __rand_int__ with 12 digits
            if i % 10000 == 9999:
                pipe.execute()
        pipe.execute()
        get = redis_benchmark(mf.port, "GET", "k:__rand_int__")
        point = redis_benchmark(mf.port, "SQL.EXEC", "SELECT name FROM t WHERE id = ?", "__rand_int__")
        print(f"\n| point SELECT by key | SQL.EXEC req/s | GET req/s (same server) | ratio |")
        print("|---|---|---|---|")
        print(f"| redis-benchmark -c 50 | {point:.0f} | {get:.0f} | {point / get:.2f}x |")

        insert_rows = [(i, i % 7, float(i) / 3, f"row{i}") for i in range(100_000)]
        pg.execute("CREATE TABLE ins (id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)")
        mf.client.execute_command("SQL", "CREATE TABLE ins (id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)")
        start = time.perf_counter()
        pg.execute("INSERT INTO ins VALUES (%s, %s, %s, %s)", insert_rows)
        pg_rate = len(insert_rows) / (time.perf_counter() - start)
        start = time.perf_counter()
        mf.load("ins", "id grp val name".split(), ([str(v) for v in r] for r in insert_rows))
        mf_rate = len(insert_rows) / (time.perf_counter() - start)
        assert mf.query("SELECT count(*) FROM ins") == [(len(insert_rows),)]
        print(f"\n| 100k INSERTs | MemFlux rows/s (pipelined SQL.EXEC) | PostgreSQL rows/s (executemany) | ratio |")
        print("|---|---|---|---|")
        print(f"| rows/s | {mf_rate:.0f} | {pg_rate:.0f} | {mf_rate / pg_rate:.2f}x |")
    finally:
        mf.stop()
        pg.stop()


if __name__ == "__main__":
    main()
