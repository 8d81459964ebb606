"""BLPOP and friends park the connection, not a thread: woken by pushes from
other connections, timed out on the event loop, unparked when the client goes."""
import threading
import time

import pytest

from rawsocket import Raw, command


def test_blpop_woken_by_push_from_another_connection(server, r):
    waiter = Raw(server.port)
    waiter.send(command("BLPOP", "jobs", "0"))
    assert waiter.nothing_for(0.2)
    assert r.info("clients")["blocked_clients"] == 1
    assert r.lpush("jobs", "job-1") == 1
    waiter.expect(b"*2\r\n$4\r\njobs\r\n$5\r\njob-1\r\n")
    assert r.llen("jobs") == 0
    assert r.info("clients")["blocked_clients"] == 0
    waiter.close()


def test_blpop_timeout(server, r):
    c = Raw(server.port)
    started = time.time()
    c.send(command("BLPOP", "empty", "0.3"))
    c.expect(b"*-1\r\n")
    # It waited (a lower bound is behaviour; how much longer it took is not).
    assert time.time() - started >= 0.25
    c.close()


def test_brpop_first_nonempty_key_and_immediate_answer(r):
    r.rpush("b", "1", "2")
    assert r.brpop(["a", "b"], timeout=1) == (b"b", b"2")
    assert r.blpop(["a", "b"], timeout=1) == (b"b", b"1")


def test_pipelined_requests_wait_behind_a_blocked_one(server, r):
    c = Raw(server.port)
    c.send(command("BLPOP", "q", "0") + command("PING") + command("ECHO", "after"))
    assert c.nothing_for(0.2), "replies after a blocked command must not overtake it"
    r.rpush("q", "v")
    c.expect(b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n+PONG\r\n$5\r\nafter\r\n")
    c.close()


def test_closed_blocked_connection_is_unparked(server, r):
    c = Raw(server.port)
    c.send(command("BLPOP", "orphan", "0"))
    assert c.nothing_for(0.1)
    c.close()
    deadline = time.time() + 5
    while r.info("clients")["blocked_clients"] != 0 and time.time() < deadline:
        time.sleep(0.02)
    assert r.info("clients")["blocked_clients"] == 0
    r.rpush("orphan", "x")
    time.sleep(0.1)
    assert r.lrange("orphan", 0, -1) == [b"x"], "no one took the element"


def test_many_waiters_each_get_one_element(server, r):
    waiters = [Raw(server.port) for _ in range(20)]
    for w in waiters:
        w.send(command("BLPOP", "shared", "5"))
    time.sleep(0.2)
    r.rpush("shared", *[f"e{i}" for i in range(20)])
    got = set()
    for w in waiters:
        reply = w.read_exact(len(b"*2\r\n$6\r\nshared\r\n$2\r\ne0\r\n") - 2)
        rest = b""
        while not rest.endswith(b"\r\n"):
            rest += w.read_exact(1)
        got.add((reply + rest).split(b"\r\n")[-2])
        w.close()
    assert got == {f"e{i}".encode() for i in range(20)}


def test_blmove_and_brpoplpush_woken(server, r):
    c = Raw(server.port)
    c.send(command("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"))
    assert c.nothing_for(0.1)
    r.rpush("src", "a")
    c.expect(b"$1\r\na\r\n")
    c.send(command("BRPOPLPUSH", "src2", "dst", "0"))
    assert c.nothing_for(0.1)
    r.rpush("src2", "b")
    c.expect(b"$1\r\nb\r\n")
    assert r.lrange("dst", 0, -1) == [b"b", b"a"]  # BRPOPLPUSH pushes on the left
    c.close()


def test_blocked_client_does_not_stall_others(server, r):
    blockers = [Raw(server.port) for _ in range(8)]
    for b in blockers:
        b.send(command("BLPOP", "never", "0"))
    time.sleep(0.1)
    for i in range(200):
        assert r.set(f"k{i}", i)
    assert r.dbsize() == 200
    for b in blockers:
        b.close()


def test_blocking_errors(server, r):
    r.set("str", "x")
    c = Raw(server.port)
    c.send(command("BLPOP", "str", "0"))
    c.expect(b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
    c.send(command("BLPOP", "k", "abc"))
    c.expect(b"-ERR timeout is not a float or out of range\r\n")
    c.send(command("BLPOP", "k", "-1"))
    c.expect(b"-ERR timeout is negative\r\n")
    c.close()


def test_redis_py_blpop_in_thread(server, r):
    result = {}

    def consumer():
        client = server.client()
        result["value"] = client.blpop(["threaded"], timeout=5)
        client.close()

    t = threading.Thread(target=consumer)
    t.start()
    time.sleep(0.2)
    r.lpush("threaded", "hello")
    t.join(10)
    assert result["value"] == (b"threaded", b"hello")
