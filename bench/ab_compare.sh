#!/usr/bin/env bash
# Two memflux-server builds side by side (e.g. before and after a change), both
# without persistence, driven by the same redis-benchmark runs in alternating
# rounds; prints each build's best requests/s per test and the ratio B/A.
# Measures a change without redis-server's own run-to-run noise in the ratio.
#
#   bench/ab_compare.sh path/to/memflux-server-A path/to/memflux-server-B [requests] [rounds]
set -euo pipefail
a_bin=$1; b_bin=$2; requests=${3:-200000}; rounds=${4:-5}
tests=set,get,incr,lpush,rpop,sadd,hset,lrange_100

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ready() { for _ in $(seq 100); do redis-cli -p "$1" PING >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start"; exit 1; }
workdir=$(mktemp -d)
a_port=$(free_port); b_port=$(free_port)
"$a_bin" --port "$a_port" --no-persistence --dir "$workdir" --log-level warning >/dev/null 2>&1 & a_pid=$!
"$b_bin" --port "$b_port" --no-persistence --dir "$workdir" --log-level warning >/dev/null 2>&1 & b_pid=$!
trap 'kill $a_pid $b_pid 2>/dev/null || true; rm -rf "$workdir"' EXIT
wait_ready "$a_port"; wait_ready "$b_port"

bench() {
    redis-benchmark -p "$1" -t "$tests" -c 50 -n "$requests" $2 --csv 2>/dev/null \
        | python3 -c 'import csv,sys
for row in csv.reader(sys.stdin):
    if row and row[0] != "test": print(row[0] + "," + row[1])'
}
results=$(mktemp)
for _ in $(seq "$rounds"); do
    for mode in "" "-P 16"; do
        bench "$a_port" "$mode" | sed "s/^/A,${mode:-P1},/" >> "$results"
        bench "$b_port" "$mode" | sed "s/^/B,${mode:-P1},/" >> "$results"
    done
done
python3 - "$results" "$rounds" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    side, mode, test, rps = line.strip().split(",", 3)
    key = (mode, test)
    best.setdefault(key, {"A": 0.0, "B": 0.0})
    best[key][side] = max(best[key][side], float(rps))
print(f"best of {sys.argv[2]} alternating rounds")
print("| mode | test | A req/s | B req/s | B/A |")
print("|---|---|---:|---:|---:|")
for (mode, test), v in best.items():
    print(f"| {mode.replace('-P 16', 'P16')} | {test} | {v['A']:.0f} | {v['B']:.0f} | {v['B'] / v['A']:.2f}x |")
PY
rm -f "$results"
