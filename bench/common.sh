# Helpers the bench scripts share (sourced, not run).

# A free loopback port.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits (up to 30 s) until the server on port $1 answers PONG; a server still loading its data does not.
wait_ready() {
    for _ in $(seq 600); do redis-cli -p "$1" PING 2>/dev/null | grep -q PONG && return 0; sleep 0.05; done
    echo "server on $1 did not start"; exit 1
}

# Writes to $1 the RESP for 1M SETs of 16-byte keys and 16-byte values (for redis-cli --pipe).
write_million_sets() {
    python3 - "$1" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1_000_000):
        key = f"key:{i:012d}"
        value = f"{i:016d}"
        f.write(f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n${len(value)}\r\n{value}\r\n")
PY
}
