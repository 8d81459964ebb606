"""Malformed input: each bad connection gets Redis's error (and is closed) or is
simply left waiting; nothing else is affected and the server keeps answering."""
import random
import socket
import time

import pytest

from rawsocket import Raw, command


def assert_server_healthy(server):
    c = Raw(server.port)
    c.send(command("PING"))
    c.expect(b"+PONG\r\n")
    c.close()


@pytest.mark.parametrize("payload, reply", [
    (b"*1\r\n:1\r\n", b"-ERR Protocol error: expected '$', got ':'\r\n"),
    (b"*2\r\n$3\r\nGET\r\n$10737418240\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*2000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n" * 100_000, b"-ERR Protocol error: expected '$', got '*'\r\n"),
    (b'SET k "unterminated\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"x" * 70_000, b"-ERR Protocol error: too big inline request\r\n"),
    (b"*1" + b"1" * 70_000, b"-ERR Protocol error: too big mbulk count string\r\n"),
], ids=["bad-type-byte", "bulk-10GB", "negative-bulk", "bad-count", "count-2M", "nested-100k", "unbalanced-quotes",
        "inline-70KB", "count-line-70KB"])
def test_protocol_errors_close_only_that_connection(server, payload, reply):
    bystander = Raw(server.port)
    c = Raw(server.port)
    try:
        c.send(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close before it has read everything we sent
    assert c.read_until_close() == reply
    bystander.send(command("PING"))
    bystander.expect(b"+PONG\r\n")
    bystander.close()
    assert_server_healthy(server)


def test_requests_before_the_error_are_answered(server):
    c = Raw(server.port)
    c.send(command("SET", "before", "1") + command("GET", "before") + b"*1\r\n$x\r\n" + command("PING"))
    assert c.read_until_close() == b"+OK\r\n$1\r\n1\r\n-ERR Protocol error: invalid bulk length\r\n"


def test_negative_and_empty_counts_are_ignored(server):
    c = Raw(server.port)
    c.send(b"*-1\r\n*0\r\n*-100\r\n\r\n   \r\n" + command("PING"))
    c.expect(b"+PONG\r\n")
    c.close()


def test_missing_crlf_waits_and_does_not_crash(server):
    c = Raw(server.port)
    c.send(b"*1\n$4\nPING\n")  # LF-only framing: the count line never ends, like Redis
    assert c.nothing_for(0.3)
    c.close()
    c = Raw(server.port)
    c.send(b"*1\r\n$4\r\nPINGxx" + command("PING"))  # Redis skips the 2 bytes after a payload unchecked
    c.expect(b"+PONG\r\n+PONG\r\n")
    c.close()
    assert_server_healthy(server)


def test_huge_announced_bulk_is_not_allocated(server):
    c = Raw(server.port)
    c.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\nabc")
    assert c.nothing_for(0.3)
    c.close()
    # Nothing was stored and nothing huge was reserved: RSS stays small.
    with open(f"/proc/{server.pid}/status") as f:
        rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    assert rss_kb < 400_000
    assert_server_healthy(server)


def test_binary_garbage(server):
    rng = random.Random(1234)
    for _ in range(50):
        garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
        c = Raw(server.port, timeout=2)
        try:
            c.send(garbage)
            c.nothing_for(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass
        c.close()
    assert_server_healthy(server)


def test_disconnect_mid_request(server, r):
    for partial in [b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc", b"*3\r\n$3\r\nSE", b"*", b"SET k v"]:
        c = Raw(server.port)
        c.send(partial)
        time.sleep(0.02)
        c.close()
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"*2\r\n$3\r\nGET\r\n")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()  # a reset, not a clean close
    assert r.get("k") is None
    assert_server_healthy(server)


def test_max_clients(start_server):
    limited = start_server()
    admin = limited.client()
    connected = admin.info("clients")["connected_clients"]
    admin.config_set("max_clients", connected + 2)
    held = [Raw(limited.port) for _ in range(2)]
    for h in held:
        h.send(command("PING"))
        h.expect(b"+PONG\r\n")
    extra = Raw(limited.port)
    assert extra.read_until_close() == b"-ERR max number of clients reached\r\n"
    held[0].close()
    time.sleep(0.1)
    again = Raw(limited.port)
    again.send(command("PING"))
    again.expect(b"+PONG\r\n")
    assert admin.info("stats")["rejected_connections"] == 1
