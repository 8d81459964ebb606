#!/usr/bin/env python3
"""Heavy SQL must not stall other clients. Against one memflux-server
(release build, persistence off):

1. PING latency on a second connection while a long SQL query (a nested
   loop over two 20k-row tables, seconds of work) runs on the first; then
   while COUNTs over a 400k-row table, each scanned on every core at once,
   run back to back for a few seconds.
2. redis-benchmark GET/SET throughput and p99 alone, then while another
   connection runs SQL aggregates back to back.

    bench/sql_interference.py [--rows N] [--binary PATH]

Prints markdown for docs/benchmarks.md.
"""
import argparse
import subprocess
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


def ping_while(port, statement, repeat):
    """PING latencies (ms) on one connection while another runs `statement` `repeat` times; and how long those took."""
    done = threading.Event()
    elapsed = []

    def run_load():
        start = time.perf_counter()
        loader = redis.Redis(port=port, socket_timeout=120)
        for _ in range(repeat):
            loader.execute_command("SQL", statement)
        elapsed.append(time.perf_counter() - start)
        done.set()

    worker = threading.Thread(target=run_load)
    worker.start()
    pinger = redis.Redis(port=port)
    latencies = []
    time.sleep(0.2)
    while True:  # at least one PING, should the load be done already
        start = time.perf_counter()
        pinger.ping()
        latencies.append((time.perf_counter() - start) * 1000)
        if done.is_set():
            break
        time.sleep(0.005)
    worker.join()
    return elapsed[0], latencies


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

        # 1. PING while a long query runs (a non-equi join: a nested loop over rows x rows),
        # then while parallel scans (COUNT over a large table) run back to back.
        client.execute_command("SQL", "CREATE TABLE c (id INTEGER PRIMARY KEY, v INTEGER)")
        client.execute_command("SQL", "INSERT INTO c SELECT g, g % 97 FROM generate_series(1, 400000) g")
        heavy = "SELECT count(*) FROM a JOIN b ON a.v < b.v AND a.id % 50 = 0"
        counted = "SELECT count(*) FROM c WHERE v > 10"
        print(f"| load on another connection | load s | PINGs | PING p50 ms | PING p99 ms | PING max ms |")
        print("|---|---|---|---|---|---|")
        for load, repeat in ((heavy, 1), (counted, 150)):
            elapsed, latencies = ping_while(port, load, repeat)
            shown = f"`{load}`" + ("" if repeat == 1 else f" x {repeat}")
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
