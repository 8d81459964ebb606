"""redis-cli against memflux-server: one-shot commands and a --pipe bulk load."""
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("redis-cli") is None, reason="redis-cli not installed")


def cli(server, *args, stdin=None, timeout=60):
    done = subprocess.run(["redis-cli", "-p", str(server.port), *args], input=stdin, capture_output=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ping(server):
    assert cli(server, "PING") == b"PONG\n"


def test_set_get_and_errors(server, r):
    assert cli(server, "SET", "greeting", "hello world") == b"OK\n"
    assert cli(server, "GET", "greeting") == b"hello world\n"
    assert cli(server, "LPUSH", "greeting", "x") == b"WRONGTYPE Operation against a key holding the wrong kind of value\n\n"  # as with redis-server
    assert cli(server, "RPUSH", "l", "a", "b") == b"2\n"
    assert cli(server, "LRANGE", "l", "0", "-1") == b"a\nb\n"


def test_pipe_bulk_load(server, r):
    n = 100_000
    data = b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$%d\r\nvalue:%d\r\n"
                    % (len(b"key:%d" % i), i, len(b"value:%d" % i), i) for i in range(n))
    out = cli(server, "--pipe", stdin=data, timeout=120)
    assert b"errors: 0, replies: 100000" in out
    assert r.dbsize() == n
    assert r.get("key:99999") == b"value:99999"
