#!/usr/bin/env bash
# Two memflux-server builds side by side (e.g. before and after a change), both
# without persistence. For each test, alternating A and B for several rounds:
# redis-benchmark -P 16 requests/s and the server's CPU time per request
# (/proc/<pid>/stat user+system). Prints each side's best round per test.
# CPU per request moves less with the machine's noise than requests/s does.
# Note: the lrange_100 test also runs redis-benchmark's LPUSH preload, and its
# CPU figure includes it.
#
#   bench/ab_compare.sh path/to/memflux-server-A path/to/memflux-server-B [requests] [rounds]
set -euo pipefail
a_bin=$1; b_bin=$2; requests=${3:-1000000}; rounds=${4:-5}
tests=${TESTS:-"set get incr lpush rpop sadd hset lrange_100"}

source "$(dirname "$0")/common.sh"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

workdir=$(mktemp -d)
a_port=$(free_port); b_port=$(free_port)
"$a_bin" --port "$a_port" --no-persistence --dir "$workdir" --log-level warning >/dev/null 2>&1 & a_pid=$!
"$b_bin" --port "$b_port" --no-persistence --dir "$workdir" --log-level warning >/dev/null 2>&1 & b_pid=$!
trap 'kill $a_pid $b_pid 2>/dev/null || true; rm -rf "$workdir"' EXIT
wait_ready "$a_port"; wait_ready "$b_port"

for test in $tests; do
    n=$requests
    [ "$test" = lrange_100 ] && n=$((requests / 5))
    for _ in $(seq "$rounds"); do
        for side in A B; do
            if [ $side = A ]; then port=$a_port; pid=$a_pid; else port=$b_port; pid=$b_pid; fi
            before=$(cpu_ticks "$pid")
            rps=$(redis-benchmark -p "$port" -t "$test" -c 50 -n "$n" -P 16 --csv 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"')
            echo "$test $side $rps $(( $(cpu_ticks "$pid") - before )) $n"
        done
    done
done | python3 -c '
import sys, collections
ticks_per_second = 100
best = collections.defaultdict(lambda: {"A": (0.0, float("inf")), "B": (0.0, float("inf"))})
for line in sys.stdin:
    test, side, rps, ticks, n = line.split()
    us = int(ticks) * 1e6 / ticks_per_second / int(n)
    r, u = best[test][side]
    best[test][side] = (max(r, float(rps)), min(u, us))
print("| test (-P 16) | A req/s | B req/s | B/A | A CPU us/req | B CPU us/req | B/A CPU |")
print("|---|---:|---:|---:|---:|---:|---:|")
for test, v in best.items():
    (ra, ua), (rb, ub) = v["A"], v["B"]
    print(f"| {test} | {ra:.0f} | {rb:.0f} | {rb / ra:.2f}x | {ua:.2f} | {ub:.2f} | {ub / ua:.2f}x |")
'
