#!/usr/bin/env bash
# Side-by-side: redis-server and memflux-server on free loopback ports, both
# without persistence, driven by the same redis-benchmark runs; then the
# resident memory of each after loading the same 1M keys of 16-byte values.
# Prints markdown tables for docs/benchmarks.md.
#
#   bench/redis_compare.sh [requests] [rounds]   (defaults 200000, 3)
#   bench/redis_compare.sh --memory-only         (just the 1M-key RSS comparison)
#
# redis-benchmark shares the machine with the server it drives, so one run of
# a line varies by +-20%. Each round runs every test on both servers,
# alternating; the table keeps each server's best round per test.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
memory_only=false
if [ "${1:-}" = "--memory-only" ]; then memory_only=true; shift; fi
requests=${1:-200000}
rounds=${2:-3}
tests=set,get,incr,lpush,rpop,sadd,hset,lrange_100

command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (apt-get install redis-tools redis-server)"; exit 1; }
swift build -c release --product memflux-server >/dev/null
memflux_bin="$(swift build -c release --show-bin-path)/memflux-server"

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

workdir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$workdir"; }
trap cleanup EXIT

start_servers() {
    redis_port=$(free_port)
    redis-server --port "$redis_port" --save "" --appendonly no --dir "$workdir" --daemonize no >/dev/null 2>&1 &
    redis_pid=$!; pids+=("$redis_pid")
    memflux_port=$(free_port)
    "$memflux_bin" --port "$memflux_port" --no-persistence --dir "$workdir" --log-level warning >/dev/null 2>&1 &
    memflux_pid=$!; pids+=("$memflux_pid")
    wait_ready "$redis_port"; wait_ready "$memflux_port"
}

stop_servers() {
    kill "$redis_pid" "$memflux_pid" 2>/dev/null || true
    wait "$redis_pid" "$memflux_pid" 2>/dev/null || true
}

# requests/s per test, as "test,rps" lines
bench() {
    redis-benchmark -p "$1" -t "$tests" -c 50 -n "$requests" $2 --csv 2>/dev/null \
        | python3 -c 'import csv,sys
for row in csv.reader(sys.stdin):
    if row and row[0] != "test": print(row[0] + "," + row[1])'
}

# The better of two "test,rps" lists, per test.
best() {
    python3 - "$1" "$2" <<'PY'
import sys
def load(text): return dict(line.split(",", 1) for line in text.strip().splitlines()) if text.strip() else {}
a, b = load(sys.argv[1]), load(sys.argv[2])
for test in (a or b):
    print(f"{test},{max(float(a.get(test, 0)), float(b.get(test, 0)))}")
PY
}

table() {  # $1 title, $2 redis csv, $3 memflux csv
    echo
    echo "$1"
    echo
    echo "| test | redis-server req/s | memflux-server req/s | ratio |"
    echo "|---|---:|---:|---:|"
    python3 - "$2" "$3" <<'PY'
import sys
def load(text): return dict(line.split(",", 1) for line in text.strip().splitlines())
r, m = load(sys.argv[1]), load(sys.argv[2])
for test in r:
    a, b = float(r[test]), float(m.get(test, "0"))
    print(f"| {test} | {a:.0f} | {b:.0f} | {b / a:.2f}x |")
PY
}

if ! $memory_only; then
start_servers
# Warm up both, then alternate: Redis, MemFlux, unpipelined then pipelined.
redis-benchmark -p "$redis_port" -t set,get -n 20000 -q >/dev/null
redis-benchmark -p "$memflux_port" -t set,get -n 20000 -q >/dev/null
r1=""; m1=""; r2=""; m2=""
for _ in $(seq "$rounds"); do
    r1=$(best "$r1" "$(bench "$redis_port" "")"); m1=$(best "$m1" "$(bench "$memflux_port" "")")
    r2=$(best "$r2" "$(bench "$redis_port" "-P 16")"); m2=$(best "$m2" "$(bench "$memflux_port" "-P 16")")
done
echo "redis-benchmark -t $tests -c 50 -n $requests, best of $rounds alternating rounds ($(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo))"
table "No pipelining:" "$r1" "$m1"
table "Pipelined (-P 16):" "$r2" "$m2"
stop_servers
fi

# Memory: the same 1M SET commands (16-byte keys and values) into fresh servers.
start_servers
write_million_sets "$workdir/load.txt"
redis_base=$(rss_kb "$redis_pid"); memflux_base=$(rss_kb "$memflux_pid")
redis-cli -p "$redis_port" --pipe < "$workdir/load.txt" >/dev/null
redis-cli -p "$memflux_port" --pipe < "$workdir/load.txt" >/dev/null
[ "$(redis-cli -p "$redis_port" DBSIZE)" = 1000000 ] && [ "$(redis-cli -p "$memflux_port" DBSIZE)" = 1000000 ] \
    || { echo "load incomplete"; exit 1; }
redis_rss=$(rss_kb "$redis_pid"); memflux_rss=$(rss_kb "$memflux_pid")
echo
echo "Memory, 1M keys of 16 bytes with 16-byte values (process RSS, KB):"
echo
echo "| | redis-server | memflux-server | ratio |"
echo "|---|---:|---:|---:|"
python3 -c "
rb, mb, r, m = $redis_base, $memflux_base, $redis_rss, $memflux_rss
print(f'| RSS after load | {r} | {m} | {m / r:.2f}x |')
print(f'| bytes per key (RSS growth) | {(r - rb) * 1024 / 1e6:.0f} | {(m - mb) * 1024 / 1e6:.0f} | {(m - mb) / (r - rb):.2f}x |')
"
