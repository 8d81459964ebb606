#!/usr/bin/env bash
# Persistence side by side with Redis, on the same disk, in one run:
#
# 1. SET throughput (redis-benchmark -t set -c 50, unpipelined and -P 16)
#    with memflux-server durability none / fsync / full against redis-server
#    with appendonly yes and appendfsync no / everysec / always (the pairs
#    that promise the same thing), best of N alternating rounds.
# 2. Restart: 1M keys (16-byte keys and values) saved with SAVE, the server
#    stopped, then the time from exec to the first PING answered, and the
#    file each one loads (memflux.snapshot vs dump.rdb); best of N restarts.
#
#   bench/persistence_compare.sh [requests] [rounds]   (defaults 200000, 3)
#
# Data files go to a directory under the repository (the machine's real disk;
# /tmp may be tmpfs, where fsync costs nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
requests=${1:-200000}
rounds=${2:-3}

command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (apt-get install redis-tools redis-server)"; exit 1; }
swift build -c release --product memflux-server >/dev/null
memflux_bin="$(swift build -c release --show-bin-path)/memflux-server"


mkdir -p .bench-data
workdir=$(mktemp -d -p "$PWD/.bench-data")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT

start_redis() {  # $1 dir, then extra flags
    local dir=$1; shift
    mkdir -p "$dir"
    redis_port=$(free_port)
    redis-server --port "$redis_port" --save "" --dir "$dir" --daemonize no "$@" >/dev/null 2>&1 &
    redis_pid=$!; pids+=("$redis_pid")
    wait_ready "$redis_port"
}

start_memflux() {  # $1 dir, then extra flags
    local dir=$1; shift
    mkdir -p "$dir"
    memflux_port=$(free_port)
    "$memflux_bin" --port "$memflux_port" --dir "$dir" --log-level warning "$@" >/dev/null 2>&1 &
    memflux_pid=$!; pids+=("$memflux_pid")
    wait_ready "$memflux_port"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

set_rps() {  # $1 port, $2 extra redis-benchmark flags: SET requests/s
    redis-benchmark -p "$1" -t set -c 50 -n "$requests" $2 --csv 2>/dev/null \
        | python3 -c 'import csv,sys
for row in csv.reader(sys.stdin):
    if row and row[0] == "SET": print(row[1])'
}

max() { python3 -c "print(max(float('$1' or 0), float('$2' or 0)))"; }

echo "Persistence: redis-benchmark -t set -c 50 -n $requests, best of $rounds alternating rounds ($(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), data on $(df -T "$workdir" | awk 'NR==2 {print $2}'))"
echo
echo "| memflux durability / redis appendfsync | pipeline | redis-server req/s | memflux-server req/s | ratio |"
echo "|---|---|---:|---:|---:|"
for pair in none:no fsync:everysec full:always; do
    durability=${pair%%:*}; appendfsync=${pair##*:}
    for pipeline in "" "-P 16"; do
        best_r=0; best_m=0
        for round in $(seq "$rounds"); do
            start_redis "$workdir/redis-$durability-$round" --appendonly yes --appendfsync "$appendfsync"
            best_r=$(max "$best_r" "$(set_rps "$redis_port" "$pipeline")")
            stop "$redis_pid"
            start_memflux "$workdir/memflux-$durability-$round" --durability "$durability"
            best_m=$(max "$best_m" "$(set_rps "$memflux_port" "$pipeline")")
            stop "$memflux_pid"
            rm -rf "$workdir/redis-$durability-$round" "$workdir/memflux-$durability-$round"
        done
        python3 -c "r, m = $best_r, $best_m; print(f'| $durability / $appendfsync | ${pipeline:-none} | {r:.0f} | {m:.0f} | {m / r:.2f}x |')"
    done
done

# Restart with 1M keys.
write_million_sets "$workdir/load.txt"
start_redis "$workdir/redis-restart" --appendonly no
redis-cli -p "$redis_port" --pipe < "$workdir/load.txt" >/dev/null
redis-cli -p "$redis_port" SAVE >/dev/null
stop "$redis_pid"
start_memflux "$workdir/memflux-restart"
redis-cli -p "$memflux_port" --pipe < "$workdir/load.txt" >/dev/null
redis-cli -p "$memflux_port" SAVE >/dev/null
stop "$memflux_pid"   # SIGTERM: a final snapshot, the log left empty

restart_ms() {  # $1 redis|memflux: ms from exec to the first PONG, checking all keys came back
    local start end
    start=$(date +%s%N)
    if [ "$1" = redis ]; then
        start_redis "$workdir/redis-restart" --appendonly no
        end=$(date +%s%N)
        [ "$(redis-cli -p "$redis_port" DBSIZE)" = 1000000 ] || { echo "redis lost keys"; exit 1; }
        stop "$redis_pid"
    else
        start_memflux "$workdir/memflux-restart"
        end=$(date +%s%N)
        [ "$(redis-cli -p "$memflux_port" DBSIZE)" = 1000000 ] || { echo "memflux lost keys"; exit 1; }
        kill -9 "$memflux_pid"; wait "$memflux_pid" 2>/dev/null || true   # no new snapshot between restarts
    fi
    echo $(( (end - start) / 1000000 ))
}

best_r=999999; best_m=999999
for _ in $(seq "$rounds"); do
    r=$(restart_ms redis); m=$(restart_ms memflux)
    [ "$r" -lt "$best_r" ] && best_r=$r
    [ "$m" -lt "$best_m" ] && best_m=$m
done
rdb_bytes=$(stat -c %s "$workdir/redis-restart/dump.rdb")
snapshot_bytes=$(stat -c %s "$workdir/memflux-restart/memflux.snapshot")
echo
echo "Restart with 1M keys (16-byte keys and values), best of $rounds: exec to first PONG, and the file loaded:"
echo
echo "| | redis-server (dump.rdb) | memflux-server (memflux.snapshot) | ratio |"
echo "|---|---:|---:|---:|"
python3 -c "
r, m, rb, mb = $best_r, $best_m, $rdb_bytes, $snapshot_bytes
print(f'| restart time (ms) | {r} | {m} | {m / r:.2f}x |')
print(f'| file size (bytes) | {rb} | {mb} | {mb / rb:.2f}x |')
"
