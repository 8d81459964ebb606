#!/usr/bin/env python3
"""Heavy SQL must not stall other clients. Against one memflux-server
(release build, persistence off):

1. PING latency on one connection while a long SQL query (a nested loop
   over two 27k-row tables, seconds of work) runs on another; while COUNTs
   over a 400k-row table, each scanned on every core at once, run back to
   back for 5 seconds; and while two long queries run at once for 5 seconds.
2. redis-benchmark GET/SET throughput and p99 alone, then while another
   connection runs SQL aggregates back to back.

    bench/sql_interference.py [--rows N] [--binary PATH]

Prints markdown for docs/benchmarks.md.
"""
import argparse
import subprocess
import sys
import threading
import time

import redis

from memflux_server import MemFluxServer, release_binary



def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def redis_benchmark(port, test):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "50", "-n", "200000", "-r", "100000", "-t", test,
                          "--csv"], check=True, capture_output=True, text=True).stdout
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    fields = [f.strip('"') for f in out.strip().splitlines()[-1].split(",")]
    return float(fields[1]), float(fields[6])


# Runs one SQL statement back to back, at least once, for a number of seconds; prints how many times.
# A process of its own, so that the PINGs are not measured against this one's GIL.
LOAD = """
import sys, time, redis
port, statement, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
client = redis.Redis(port=port, socket_timeout=300)
start, runs = time.perf_counter(), 0
while runs == 0 or time.perf_counter() - start < seconds:
    client.execute_command("SQL", statement)
    runs += 1
print(runs)
"""


def ping_while(port, statements, seconds):
    """PING latencies (ms) on one connection, every 5 ms, while each of `statements` runs back to back
    for `seconds` on a connection of its own; and how many times each ran and how long that took."""
    start = time.perf_counter()
    loads = [subprocess.Popen([sys.executable, "-c", LOAD, str(port), statement, str(seconds)],
                              stdout=subprocess.PIPE, text=True) for statement in statements]
    pinger = redis.Redis(port=port)
    latencies = []
    time.sleep(0.2)
    while True:  # at least one PING, should the loads be done already
        before = time.perf_counter()
        pinger.ping()
        latencies.append((time.perf_counter() - before) * 1000)
        if all(load.poll() is not None for load in loads):
            break
        time.sleep(0.005)
    runs = [int(load.communicate()[0]) for load in loads]
    if any(load.returncode for load in loads):
        raise RuntimeError("a SQL load failed")
    return runs, time.perf_counter() - start, latencies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=27_000)
    parser.add_argument("--binary", help="a memflux-server to measure (default: build this checkout's)")
    args = parser.parse_args()
    server = MemFluxServer(args.binary or release_binary())
    port, client = server.port, server.client
    try:
        client.execute_command("SQL", "CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)")
        client.execute_command("SQL", "CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER)")
        pipe = client.pipeline(transaction=False)
        for i in range(args.rows):
            pipe.execute_command("SQL.EXEC", "INSERT INTO a VALUES (?, ?)", i, i % 97)
            pipe.execute_command("SQL.EXEC", "INSERT INTO b VALUES (?, ?)", i, i % 89)
        pipe.execute()

        # 1. PING while a long query runs (a non-equi join: a nested loop over rows x rows), while
        # parallel scans (COUNT over a large table, on every core) run back to back, and while two long
        # queries run at once.
        client.execute_command("SQL", "CREATE TABLE c (id INTEGER PRIMARY KEY, v INTEGER)")
        client.execute_command("SQL", "INSERT INTO c SELECT g, g % 97 FROM generate_series(1, 400000) g")
        heavy = "SELECT count(*) FROM a JOIN b ON a.v < b.v AND a.id % 18 = 0"
        counted = "SELECT count(*) FROM c WHERE v > 10"
        print(f"| load on other connections | load s | PINGs | PING p50 ms | PING p99 ms | PING max ms |")
        print("|---|---|---|---|---|---|")
        for statements, seconds in (([heavy], 0), ([counted], 5), ([heavy, heavy], 5)):
            runs, elapsed, latencies = ping_while(port, statements, seconds)
            shown = " and ".join(f"`{s}` x {n}" for s, n in zip(statements, runs))
            print(f"| {shown} | {elapsed:.2f} | {len(latencies)} | {percentile(latencies, 0.5):.2f} | "
                  f"{percentile(latencies, 0.99):.2f} | {max(latencies):.2f} |")

        # 2. KV throughput alone and under a continuous SQL load on another connection.
        alone = {t: redis_benchmark(port, t) for t in ("get", "set")}
        stop = threading.Event()
        statements = [0]

        def sql_load():
            c = redis.Redis(port=port)
            while not stop.is_set():
                c.execute_command("SQL", "SELECT v, count(*) FROM a GROUP BY v")
                statements[0] += 1

        loader = threading.Thread(target=sql_load)
        loader.start()
        loaded = {t: redis_benchmark(port, t) for t in ("get", "set")}
        stop.set()
        loader.join()
        print(f"\n| KV command | alone req/s | alone p99 ms | with SQL load req/s | with SQL load p99 ms |")
        print("|---|---|---|---|---|")
        for t in ("get", "set"):
            print(f"| {t.upper()} | {alone[t][0]:.0f} | {alone[t][1]:.2f} | {loaded[t][0]:.0f} | {loaded[t][1]:.2f} |")
        print(f"\n(SQL load: {statements[0]} GROUP BY statements over {args.rows} rows ran meanwhile)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
