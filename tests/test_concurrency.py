"""1000 concurrent connections, each doing 100 verified SET/GET pairs; reports
per-pair latency percentiles in the test output."""
import asyncio
import time

import redis.asyncio as aioredis

CLIENTS = 1000
PAIRS = 100


async def worker(port, n, latencies, failures, start):
    client = aioredis.Redis(host="127.0.0.1", port=port, single_connection_client=True, socket_timeout=60)
    try:
        await client.ping()
        await start.wait()
        for i in range(PAIRS):
            key = f"c{n}:k{i}"
            value = f"v{n}:{i}:" + "x" * (i % 40)
            t0 = time.perf_counter()
            ok = await client.set(key, value)
            got = await client.get(key)
            latencies.append(time.perf_counter() - t0)
            if ok is not True or got != value.encode():
                failures.append((key, ok, got))
    finally:
        await client.aclose()


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def test_thousand_concurrent_connections(server, r, capsys):
    latencies, failures = [], []

    async def run():
        start = asyncio.Event()
        tasks = [asyncio.create_task(worker(server.port, n, latencies, failures, start)) for n in range(CLIENTS)]
        while r.info("clients")["connected_clients"] < CLIENTS and not any(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - began

    elapsed = asyncio.run(run())
    assert failures == []
    assert len(latencies) == CLIENTS * PAIRS
    assert r.dbsize() == CLIENTS * PAIRS
    ordered = sorted(latencies)
    with capsys.disabled():
        print(f"\n[concurrency] {CLIENTS} connections x {PAIRS} SET+GET pairs in {elapsed:.2f}s "
              f"({2 * CLIENTS * PAIRS / elapsed:,.0f} ops/s from one Python client process); "
              f"pair latency p50={percentile(ordered, 0.50) * 1000:.2f}ms "
              f"p99={percentile(ordered, 0.99) * 1000:.2f}ms max={ordered[-1] * 1000:.2f}ms")
