#!/usr/bin/env bash
# Writer latency while a snapshot is written: 1M keys loaded into a release
# memflux-server (durability fsync, data on the repository's disk), then a
# client times one SET after another (redis-py, unpipelined) while BGSAVE
# runs, and the script prints the snapshot's duration and the writer's p50,
# p99 and max. Target: p99 under 10 ms.
#
#   bench/snapshot_latency.sh [rounds]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
rounds=${1:-3}

swift build -c release --product memflux-server >/dev/null
memflux_bin="$(swift build -c release --show-bin-path)/memflux-server"
mkdir -p .bench-data
workdir=$(mktemp -d -p "$PWD/.bench-data")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

write_million_sets "$workdir/load.resp"
port=$(free_port)
"$memflux_bin" --port "$port" --dir "$workdir" --durability fsync --log-level warning >"$workdir/server.log" 2>&1 &
pid=$!
wait_ready "$port"
redis-cli -p "$port" --pipe <"$workdir/load.resp" >/dev/null

python3 - "$port" "$rounds" <<'PY'
import sys, threading, time
import redis
port, rounds = int(sys.argv[1]), int(sys.argv[2])
admin = redis.Redis(port=port)
print("round | snapshot s | SETs during | p50 ms | p99 ms | max ms")
for r in range(rounds):
    latencies, done = [], threading.Event()
    def writer():
        c = redis.Redis(port=port)
        n = 0
        while not done.is_set():
            start = time.perf_counter()
            c.set(f"during:{n % 1000}", n)
            latencies.append(time.perf_counter() - start)
            n += 1
    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    before = len(latencies)
    started = time.perf_counter()
    admin.bgsave()
    while admin.info("persistence")["rdb_bgsave_in_progress"] == 1:
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    done.set()
    thread.join()
    during = sorted(latencies[before:])
    assert admin.info("persistence")["rdb_last_bgsave_status"] == "ok"
    assert admin.dbsize() == 1_001_000, admin.dbsize()
    pick = lambda q: during[min(len(during) - 1, int(len(during) * q))] * 1000
    print(f"{r + 1} | {elapsed:.2f} | {len(during)} | {pick(0.5):.2f} | {pick(0.99):.2f} | {during[-1] * 1000:.2f}")
PY
