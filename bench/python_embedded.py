#!/usr/bin/env python3
"""Embedded throughput from Python: MemFlux (memflux package over libmemflux)
against Python's sqlite3 (:memory:), side by side in one run.

Workloads (each timed alone, best of --rounds, the two systems alternating):
  set/get      N SET then N GET of distinct keys (sqlite3: a key-value table,
               INSERT OR REPLACE and SELECT by primary key)
  insert       executemany of N rows (id, name, price) into a fresh table
  point        N point SELECTs by primary key, each execute + fetchone
  fetchall     SELECT id, name, price of the N rows, fetchall

    python3 bench/python_embedded.py [--rows N] [--rounds R] [--lib PATH]

MemFlux runs in memory (persistence off), like sqlite3's :memory:. The
memflux package is imported from libs/python; the header line says which
driver ran: native (the C accelerator, built by pip install or
`python3 setup.py build_ext --inplace` in libs/python) or ctypes
(MEMFLUX_DRIVER=ctypes).
"""
import argparse
import os
import pathlib
import sqlite3
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "libs" / "python"))
import memflux  # noqa: E402


def timed(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


class MemFlux:
    """MemFlux's spelling of each workload."""
    name = "memflux"
    key_type = "INT"
    set_statement, get_statement = "SET ? ?", "GET ?"

    def __init__(self, lib):
        self.lib = lib

    def connect(self):
        return memflux.connect(lib=self.lib)

    def prepare_kv(self, cur):
        pass  # keys are native

    def commit(self, conn):
        pass  # auto-commit; executemany is one transaction of its own


class SQLite:
    """sqlite3's: a key-value table stands in for SET and GET."""
    name = "sqlite3"
    key_type = "INTEGER"
    set_statement, get_statement = "INSERT OR REPLACE INTO kv VALUES (?, ?)", "SELECT v FROM kv WHERE k = ?"

    def connect(self):
        return sqlite3.connect(":memory:")

    def prepare_kv(self, cur):
        cur.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")

    def commit(self, conn):
        conn.commit()


def workloads(system, n):
    """Each workload for `system`: a function answering its timed seconds."""
    rows = [(i, f"name {i}", i * 0.5) for i in range(n)]

    def table(cur):
        cur.execute(f"CREATE TABLE t (id {system.key_type} PRIMARY KEY, name TEXT, price REAL)")

    def loaded():
        conn = system.connect()
        cur = conn.cursor()
        table(cur)
        cur.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        system.commit(conn)
        return conn, cur

    def set_get():
        conn = system.connect()
        cur = conn.cursor()
        system.prepare_kv(cur)
        keys = [f"key:{i}" for i in range(n)]

        def run():
            for k in keys:
                cur.execute(system.set_statement, (k, "value"))
            system.commit(conn)
            for k in keys:
                cur.execute(system.get_statement, (k,))
                cur.fetchone()
        seconds = timed(run)
        conn.close()
        return seconds

    def insert():
        conn = system.connect()
        cur = conn.cursor()
        table(cur)

        def run():
            cur.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
            system.commit(conn)
        seconds = timed(run)
        conn.close()
        return seconds

    def point():
        conn, cur = loaded()

        def run():
            for i in range(n):
                cur.execute("SELECT name, price FROM t WHERE id = ?", (i,))
                cur.fetchone()
        seconds = timed(run)
        conn.close()
        return seconds

    def fetchall():
        conn, cur = loaded()

        def run():
            cur.execute("SELECT id, name, price FROM t")
            assert len(cur.fetchall()) == n
        seconds = timed(run)
        conn.close()
        return seconds

    return {"set/get": set_get, "insert": insert, "point": point, "fetchall": fetchall}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lib", default=os.environ.get("MEMFLUX_LIB", str(ROOT / ".build" / "release" / "libmemflux.so")))
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    n = args.rows
    ours, theirs = workloads(MemFlux(args.lib), n), workloads(SQLite(), n)
    names = args.only or list(ours)
    driver = "ctypes" if not memflux.native or os.environ.get("MEMFLUX_DRIVER") == "ctypes" else "native"
    print(f"rows {n}, rounds {args.rounds}, memflux driver {driver}, sqlite {sqlite3.sqlite_version}, lib {args.lib}")
    print(f"{'workload':10} {'memflux ops/s':>14} {'sqlite3 ops/s':>14} {'ratio':>7}")
    for name in names:
        best_ours = best_theirs = float("inf")
        for _ in range(args.rounds):
            best_ours = min(best_ours, ours[name]())
            best_theirs = min(best_theirs, theirs[name]())
        operations = 2 * n if name == "set/get" else n
        print(f"{name:10} {operations / best_ours:14,.0f} {operations / best_theirs:14,.0f} {best_theirs / best_ours:6.2f}x")


if __name__ == "__main__":
    main()
