"""Transactions through real clients: redis-py pipelines (MULTI/EXEC, WATCH),
BEGIN/COMMIT conflicts between connections, and a bank-transfer stress test
in which concurrent transfers and a concurrent auditor must never see money
appear or vanish."""
import random
import threading

import pytest
import redis

SERIALIZATION = "SERIALIZATION could not serialize access"


def test_pipeline_transaction(r):
    with r.pipeline(transaction=True) as pipe:
        pipe.set("counter", 5).incr("counter").lpush("log", "a", "b").lrange("log", 0, -1)
        assert pipe.execute() == [True, 6, 2, [b"b", b"a"]]


def test_pipeline_transaction_resp3(r3):
    with r3.pipeline(transaction=True) as pipe:
        pipe.hset("h", mapping={"f": "v"}).hgetall("h").sadd("s", "x").smembers("s")
        assert pipe.execute() == [1, {b"f": b"v"}, 1, {b"x"}]


def test_watch_error_when_watched_key_changes(server, r):
    r.set("balance", 10)
    other = server.client()
    with r.pipeline() as pipe:
        pipe.watch("balance")
        current = int(pipe.get("balance"))
        other.set("balance", 99)
        pipe.multi()
        pipe.set("balance", current + 1)
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.get("balance") == b"99"
    other.close()


def test_queueing_error_aborts_exec(r):
    with r.pipeline(transaction=True) as pipe:
        pipe.set("k", "v").execute_command("SET", "only-key")
        with pytest.raises(redis.ResponseError, match="EXECABORT|wrong number of arguments"):
            pipe.execute()
    assert r.get("k") is None


def test_begin_commit_first_committer_wins(server):
    a, b = server.client(), server.client()
    a.set("x", 1)
    for c in (a, b):
        assert c.execute_command("BEGIN", "ISOLATION", "LEVEL", "SNAPSHOT") == b"OK"
    a.execute_command("SET", "x", "2")
    b.execute_command("SET", "x", "3")
    assert b.get("x") == b"3" and a.get("x") == b"2", "each reads its own write"
    assert a.execute_command("COMMIT") == b"OK"
    with pytest.raises(redis.ResponseError, match=SERIALIZATION):
        b.execute_command("COMMIT")
    assert b.get("x") == b"2", "the loser was rolled back"
    a.close()
    b.close()


def test_connection_closed_mid_transaction_releases_its_snapshot(server):
    a = server.client()
    a.set("v", "old")
    a.execute_command("BEGIN")
    a.get("v")
    a.close()
    b = server.client()
    for _ in range(5):
        b.set("v", "new")
    b.execute_command("VACUUM")
    assert b.execute_command("VACUUM") == b"Removed 0 versions and 0 keys"
    b.close()


ACCOUNTS = 10
START_BALANCE = 1000


def transfer_worker(server, rounds, seed, isolation, stats, errors):
    c = server.client()
    rng = random.Random(seed)
    try:
        for _ in range(rounds):
            a, b = rng.sample(range(ACCOUNTS), 2)
            amount = rng.randint(1, 50)
            while True:
                c.execute_command("BEGIN", "ISOLATION", "LEVEL", isolation)
                x = int(c.get(f"acct:{a}"))
                y = int(c.get(f"acct:{b}"))
                c.set(f"acct:{a}", x - amount)
                c.set(f"acct:{b}", y + amount)
                try:
                    c.execute_command("COMMIT")
                    stats["commits"] += 1
                    break
                except redis.ResponseError as e:
                    if not str(e).startswith("SERIALIZATION"):
                        raise
                    stats["aborts"] += 1
    except Exception as e:  # surfaced by the test
        errors.append(e)
    finally:
        c.close()


def auditor(server, stop, sums, errors):
    c = server.client()
    keys = [f"acct:{i}" for i in range(ACCOUNTS)]
    try:
        while not stop.is_set():
            c.execute_command("BEGIN")
            total = sum(int(v) for v in c.mget(keys))
            c.execute_command("COMMIT")
            sums.append(total)
    except Exception as e:
        errors.append(e)
    finally:
        c.close()


@pytest.mark.parametrize("isolation", ["SNAPSHOT", "SERIALIZABLE"])
def test_bank_transfers_conserve_money(server, r, isolation):
    for i in range(ACCOUNTS):
        r.set(f"acct:{i}", START_BALANCE)
    total = ACCOUNTS * START_BALANCE
    stats = {"commits": 0, "aborts": 0}
    errors, sums = [], []
    stop = threading.Event()
    audit = threading.Thread(target=auditor, args=(server, stop, sums, errors))
    workers = [threading.Thread(target=transfer_worker, args=(server, 150, seed, isolation, stats, errors))
               for seed in range(8)]
    audit.start()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stop.set()
    audit.join()
    assert errors == []
    final = sum(int(r.get(f"acct:{i}")) for i in range(ACCOUNTS))
    print(f"\n[bank {isolation}] 8 connections x 150 transfers: {stats['commits']} commits, "
          f"{stats['aborts']} aborts retried; auditor read {len(sums)} consistent sums")
    assert stats["commits"] == 8 * 150
    assert sums and all(s == total for s in sums)
    assert final == total


def begin(level, *clients):
    for c in clients:
        assert c.execute_command("BEGIN", "ISOLATION", "LEVEL", level) == b"OK"


def commit_result(c):
    try:
        return c.execute_command("COMMIT")
    except redis.ResponseError as e:
        return str(e).split(" ", 1)[0]


@pytest.fixture
def sessions(server):
    clients = [server.client() for _ in range(3)]
    clients[0].flushall()
    clients[0].mset({"test:1": 10, "test:2": 20})
    yield clients
    for c in clients:
        c.close()


@pytest.mark.parametrize("level", ["SNAPSHOT", "SERIALIZABLE"])
def test_hermitage_over_connections(sessions, level):
    """A few Hermitage cases again, each step on its own connection (the full
    catalogue runs in-process in TransactionAnomalyTests.swift)."""
    t1, t2, t3 = sessions
    # P4 lost update: prevented at both levels.
    begin(level, t1, t2)
    assert t1.get("test:1") == b"10" and t2.get("test:1") == b"10"
    t1.set("test:1", 11)
    t2.set("test:1", 11)
    assert commit_result(t1) == b"OK"
    assert commit_result(t2) == "SERIALIZATION"
    # G-single read skew: the snapshot keeps test:2 at its old value.
    begin(level, t1, t2)
    assert t1.get("test:1") == b"11"
    t2.set("test:1", 12)
    t2.set("test:2", 18)
    assert commit_result(t2) == b"OK"
    assert t1.get("test:2") == b"20"
    assert commit_result(t1) == b"OK"
    # G2-item write skew: allowed by snapshot isolation, refused by serializable.
    begin(level, t1, t2)
    assert sorted(t1.keys("test:*")) == [b"test:1", b"test:2"]
    assert t1.mget("test:1", "test:2") == [b"12", b"18"]
    assert t2.mget("test:1", "test:2") == [b"12", b"18"]
    t1.set("test:1", 0)
    t2.set("test:2", 0)
    assert commit_result(t1) == b"OK"
    assert commit_result(t2) == (b"OK" if level == "SNAPSHOT" else "SERIALIZATION")
    # PMP: a key inserted after the snapshot stays invisible to it.
    begin(level, t1)
    assert sorted(t1.keys("test:*")) == [b"test:1", b"test:2"]
    t3.set("test:3", 30)
    assert sorted(t1.keys("test:*")) == [b"test:1", b"test:2"]
    assert commit_result(t1) == b"OK"
