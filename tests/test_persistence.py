"""Persistence over real server processes: crashes (SIGKILL at a random
moment) with durability full lose no acknowledged write and invent none;
a damaged log tail is cut cleanly; transactions are all-or-nothing after a
crash; a snapshot of 1M keys does not stall a concurrent writer; SAVE,
BGSAVE, LASTSAVE and INFO persistence answer like Redis.
"""
import os
import random
import struct
import subprocess
import threading
import time

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from conftest import ServerProcess


def no_retry_client(port):
    """A client that reports a dead server at once: redis-py would otherwise
    reconnect and resend, which hides which write the crash interrupted."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=10, retry=Retry(NoBackoff(), 0))

WAL_HEADER = 16


def wal_frames(path):
    """(offset, payload length) of each frame in a write-ahead log."""
    data = open(path, "rb").read()
    frames, offset = [], WAL_HEADER
    while offset + 8 <= len(data):
        length, _crc = struct.unpack_from("<II", data, offset)
        if offset + 8 + length > len(data):
            break
        frames.append((offset, length))
        offset += 8 + length
    return frames


class Writer(threading.Thread):
    """Writes unique keys and list items until the connection dies; remembers
    what was acknowledged and the one write that was in flight."""

    def __init__(self, port, name, round_no):
        super().__init__(daemon=True)
        self.port, self.name, self.round_no = port, name, round_no
        self.acked_sets, self.acked_pushes = {}, []
        self.in_flight_set, self.in_flight_push = None, None

    def run(self):
        client = no_retry_client(self.port)
        n = 0
        try:
            while True:
                key, value = f"k:{self.round_no}:{self.name}:{n}", f"v:{self.round_no}:{self.name}:{n}:{'x' * (n % 40)}"
                self.in_flight_set = (key, value)
                client.set(key, value)
                self.acked_sets[key] = value
                self.in_flight_set = None
                item = f"{self.round_no}:{n}"
                self.in_flight_push = item
                client.rpush(f"list:{self.name}", item)
                self.acked_pushes.append(item)
                self.in_flight_push = None
                n += 1
        except (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError):
            pass
        finally:
            client.close()


def check_recovered(client, writers_by_round, names):
    """Every acknowledged write is there; nothing else is (in-flight writes may be either)."""
    possible, acked = {}, {}
    for writers in writers_by_round:
        for w in writers:
            acked.update(w.acked_sets)
            possible.update(w.acked_sets)
            if w.in_flight_set:
                possible[w.in_flight_set[0]] = w.in_flight_set[1]
    if acked:
        keys = list(acked)
        for key, value in zip(keys, client.mget(keys)):
            assert value == acked[key].encode(), f"acknowledged {key} lost"
    present = [key.decode() for key in client.scan_iter("k:*", count=1000)]
    for key in present:
        assert key in possible, f"{key} was never written"
    if present:
        for key, value in zip(present, client.mget(present)):
            assert value == possible[key].encode()
    for name in names:
        expected_prefix, optional = [], []
        items = [i.decode() for i in client.lrange(f"list:{name}", 0, -1)]
        position = 0
        for writers in writers_by_round:
            w = next(w for w in writers if w.name == name)
            for item in w.acked_pushes:
                assert position < len(items) and items[position] == item, f"list:{name} lost acknowledged {item}"
                position += 1
            if w.in_flight_push and position < len(items) and items[position] == w.in_flight_push:
                position += 1
        assert position == len(items), f"list:{name} holds items never pushed: {items[position:]}"


def test_acknowledged_writes_survive_sigkill(tmp_path):
    rng = random.Random(20261130)
    names = ["a", "b", "c", "d"]
    history = []
    for round_no in range(6):
        round_start = time.time()
        server = ServerProcess("--durability", "full", data_dir=tmp_path)
        client = server.client()
        check_recovered(client, history, names)
        print(f"round {round_no}: restarted and checked in {time.time() - round_start:.1f} s")
        writers = [Writer(server.port, name, round_no) for name in names]
        for w in writers:
            w.start()
        time.sleep(rng.uniform(0.3, 1.2))
        server.kill()
        for w in writers:
            w.join(timeout=15)
        client.close()
        assert sum(len(w.acked_sets) for w in writers) > 0
        history.append(writers)
        print(f"round {round_no}: {sum(len(w.acked_sets) for w in writers)} SETs acknowledged "
              f"({time.time() - round_start:.1f} s)")
    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    check_recovered(client, history, names)
    client.close()
    server.stop()


def test_torn_or_garbage_log_tail_starts_cleanly(tmp_path):
    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    expected = {f"key{i}": f"value{i}" for i in range(200)}
    for k, v in expected.items():
        client.set(k, v)
    client.rpush("list", *[str(i) for i in range(50)])
    client.set("victim", "y" * 200)
    client.close()
    server.kill()

    wal = os.path.join(tmp_path, "memflux.wal")
    last_offset, last_length = wal_frames(wal)[-1]
    with open(wal, "r+b") as f:
        f.truncate(last_offset + 8 + last_length // 2)  # cut the last record (the victim's SET) mid-way

    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    assert "torn record" in server.log_text()
    assert client.get("victim") is None
    assert client.lrange("list", 0, -1) == [str(i).encode() for i in range(50)]
    for k, v in expected.items():
        assert client.get(k) == v.encode()
    client.set("after", "1")
    client.close()
    server.kill()

    with open(wal, "ab") as f:
        f.write(random.Random(7).randbytes(777))
    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    assert client.get("after") == b"1"
    assert client.dbsize() == len(expected) + 2
    client.close()
    server.stop()


def test_damage_in_the_middle_refuses_to_start(tmp_path):
    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    for i in range(20):
        client.set(f"k{i}", f"v{i}")
    client.close()
    server.kill()
    wal = os.path.join(tmp_path, "memflux.wal")
    offset, _ = wal_frames(wal)[5]
    with open(wal, "r+b") as f:
        f.seek(offset + 10)
        byte = f.read(1)
        f.seek(offset + 10)
        f.write(bytes([byte[0] ^ 0xFF]))
    result = subprocess.run(
        [server.process.args[0], "--port", "0", "--dir", str(tmp_path), "--durability", "full"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert f"{wal} is damaged at byte offset {offset}" in result.stderr + result.stdout


def test_transfers_are_all_or_nothing_after_a_crash(tmp_path):
    accounts, initial = 20, 1000
    server = ServerProcess("--durability", "full", data_dir=tmp_path)
    client = server.client()
    client.mset({f"acct:{i}": initial for i in range(accounts)})
    client.close()
    rng = random.Random(99)
    for _ in range(4):
        stop = threading.Event()
        committed = [0]

        def transfer(seed):
            r = random.Random(seed)
            c = no_retry_client(server.port)
            try:
                while not stop.is_set():
                    a, b = r.sample(range(accounts), 2)
                    amount = r.randint(1, 50)
                    pipe = c.pipeline(transaction=True)
                    pipe.decrby(f"acct:{a}", amount)
                    pipe.incrby(f"acct:{b}", amount)
                    pipe.execute()
                    committed[0] += 1
            except (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError):
                pass
            finally:
                c.close()

        threads = [threading.Thread(target=transfer, args=(rng.random(),), daemon=True) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.0))
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=15)
        assert committed[0] > 0
        server = ServerProcess("--durability", "full", data_dir=tmp_path)
        client = server.client()
        balances = [int(v) for v in client.mget([f"acct:{i}" for i in range(accounts)])]
        assert sum(balances) == accounts * initial
        client.close()
    server.stop()


def load_keys(port, count):
    """count SETs through redis-cli --pipe (key:N -> 16-byte value)."""
    lines = []
    for i in range(count):
        key, value = f"key:{i:07d}", f"value-{i:010d}"
        lines.append(f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n${len(value)}\r\n{value}\r\n")
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input="".join(lines).encode(),
                   check=True, capture_output=True, timeout=300)


def test_snapshot_of_a_million_keys_while_a_client_writes(tmp_path):
    """Writes go on during a background snapshot and none is lost; how long they
    wait meanwhile is a benchmark (bench/snapshot_latency.py), not a test."""
    server = ServerProcess(data_dir=tmp_path)
    client = server.client()
    load_keys(server.port, 1_000_000)
    assert client.dbsize() == 1_000_000
    written, done, failures = [], threading.Event(), []

    def writer():
        c = redis.Redis(host="127.0.0.1", port=server.port)
        n = 0
        try:
            while not done.is_set():
                assert c.set(f"during:{n}", n) is True
                written.append(n)
                n += 1
        except Exception as e:  # reported below: a thread's assertion would be lost
            failures.append(e)
        c.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    assert client.bgsave() is True
    while client.info("persistence")["rdb_bgsave_in_progress"] == 1:
        time.sleep(0.01)
    done.set()
    thread.join()
    assert failures == []
    info = client.info("persistence")
    assert info["rdb_last_bgsave_status"] == "ok"
    assert info["rdb_last_save_keys"] >= 1_000_000
    total = 1_000_000 + len(written)
    assert client.dbsize() == total
    client.close()
    server.stop()
    # Loading it again reports progress.
    server = ServerProcess("--log-level", "info", data_dir=tmp_path)
    assert "keys so far" in server.log_text()
    client = server.client()
    assert client.dbsize() == total
    client.close()
    server.stop()


def test_save_bgsave_lastsave_and_info(tmp_path, start_server):
    server = start_server(data_dir=tmp_path)
    c = server.client()
    started = c.lastsave()
    c.set("a", "1")
    assert c.info("persistence")["rdb_changes_since_last_save"] == 1
    assert c.execute_command("SAVE") == b"OK" or c.execute_command("SAVE") is True
    assert c.info("persistence")["rdb_changes_since_last_save"] == 0
    assert c.lastsave() >= started
    assert c.execute_command("BGSAVE") in (b"Background saving started", "Background saving started", True)
    with pytest.raises(redis.ResponseError, match="syntax error"):
        c.execute_command("BGSAVE", "NOW")
    with pytest.raises(redis.ResponseError, match="wrong number of arguments"):
        c.execute_command("SAVE", "x")
    info = c.info("persistence")
    assert info["aof_enabled"] == 1 and info["durability"] == "fsync"
    assert os.path.exists(os.path.join(tmp_path, "memflux.snapshot"))
    c.close()


def test_no_persistence_writes_no_files(start_server):
    server = start_server()
    c = server.client()
    c.set("a", "1")
    with pytest.raises(redis.ResponseError, match="persistence is disabled"):
        c.execute_command("SAVE")
    assert c.info("persistence")["aof_enabled"] == 0
    c.close()
    assert sorted(os.listdir(server.dir)) == ["config.json", "server.log"]


def test_log_past_its_threshold_triggers_a_snapshot(tmp_path):
    with open(os.path.join(tmp_path, "config.json"), "w") as f:
        f.write('{"wal_size_threshold_mb": 1}')
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    pipe = c.pipeline(transaction=False)
    for i in range(3000):
        pipe.set(f"key{i}", "v" * 500)
    pipe.execute()
    deadline = time.time() + 20
    while c.info("persistence")["rdb_last_save_keys"] == 0 and time.time() < deadline:
        time.sleep(0.05)
    info = c.info("persistence")
    assert info["rdb_last_save_keys"] > 0
    assert info["aof_current_size"] < 1024 * 1024
    assert not os.path.exists(os.path.join(tmp_path, "memflux.wal.overflow"))
    c.close()
    server.kill()
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    assert c.dbsize() == 3000
    c.close()
    server.stop()


def test_sigterm_writes_a_final_snapshot(tmp_path):
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    c.rpush("list", *range(100))
    c.hset("hash", mapping={"a": 1, "b": 2})
    c.set("ttl", "x", ex=1000)
    c.close()
    server.stop()  # SIGTERM
    assert os.path.getsize(os.path.join(tmp_path, "memflux.wal")) == WAL_HEADER
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    assert c.llen("list") == 100 and c.hgetall("hash") == {b"a": b"1", b"b": b"2"}
    assert 990 <= c.ttl("ttl") <= 1000
    c.close()
    server.stop()


@pytest.mark.parametrize("durability", ["none", "fsync", "full"])
def test_replies_keep_order_around_blocking_commands(tmp_path, durability):
    """A write's reply waits for the log, but never for a BLPOP behind it, and
    the BLPOP answers once a push arrives, in order."""
    from rawsocket import Raw, command
    server = ServerProcess("--durability", durability, data_dir=tmp_path)
    raw = Raw(server.port)
    raw.send(command("SET", "a", "1") + command("BLPOP", "q", "0") + command("GET", "a"))
    raw.expect(b"+OK\r\n", timeout=3)
    pusher = server.client()
    assert pusher.rpush("q", "x") == 1
    raw.expect(b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n$1\r\n1\r\n", timeout=3)
    # Many writes pipelined in one packet are answered in order.
    raw.send(b"".join(command("INCR", "n") for _ in range(500)))
    raw.expect(b"".join(b":%d\r\n" % i for i in range(1, 501)), timeout=10)
    pusher.close()
    if durability == "none":
        time.sleep(0.2)  # acknowledged before written: give the writer thread its 10 ms
    server.kill()
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    assert c.get("n") == b"500" and c.llen("q") == 0
    c.close()
    server.stop()


def test_write_errors_refuse_writes_until_the_disk_accepts_them(tmp_path):
    """A log write that fails (here: a file size limit, as on a full disk)
    holds the waiting replies and answers new writes with MISCONF; reads go
    on; once the log can be written again everything resumes, and nothing
    acknowledged is lost."""
    import resource
    server = ServerProcess("--durability", "fsync", data_dir=tmp_path, file_size_limit=64 * 1024)
    acknowledged, done = [], threading.Event()

    def writer():
        c = no_retry_client(server.port)
        i = 0
        while not done.is_set():
            c.set(f"k{i}", "x" * 1000)
            acknowledged.append(f"k{i}")
            i += 1
        c.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    other = server.client()
    deadline = time.time() + 20
    while other.info("persistence")["aof_last_write_status"] != "err" and time.time() < deadline:
        time.sleep(0.02)
    assert other.info("persistence")["aof_last_write_status"] == "err"
    stalled = len(acknowledged)
    with pytest.raises(redis.ResponseError, match="^MISCONF Errors writing to the write-ahead log: cannot write"):
        other.set("refused", "1")
    assert other.get("k0") == b"x" * 1000
    time.sleep(0.3)
    assert len(acknowledged) == stalled  # the write that failed is not acknowledged meanwhile
    hard = resource.prlimit(server.pid, resource.RLIMIT_FSIZE)[1]
    resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (hard, hard))
    deadline = time.time() + 20
    while len(acknowledged) < stalled + 20 and time.time() < deadline:
        time.sleep(0.02)
    done.set()
    thread.join(timeout=10)
    assert len(acknowledged) >= stalled + 20
    assert other.set("accepted", "1") is True
    assert other.info("persistence")["aof_last_write_status"] == "ok"
    other.close()
    server.kill()
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    assert c.get("refused") is None and c.get("accepted") == b"1"
    values = c.mget(acknowledged)
    assert all(v == b"x" * 1000 for v in values)
    c.close()
    server.stop()


def test_file_names_come_from_the_configuration(tmp_path):
    names = {"wal_file": "log.a", "wal_overflow_file": "log.b", "snapshot_file": "snap.a",
             "snapshot_temp_file": "snap.b"}
    with open(os.path.join(tmp_path, "config.json"), "w") as f:
        f.write("{" + ", ".join(f'"{k}": "{v}"' for k, v in names.items()) + "}")
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    c.set("a", "1")
    assert c.execute_command("SAVE") in (b"OK", True)
    info = c.info("persistence")
    assert info["wal_file"].endswith("log.a") and info["snapshot_file"].endswith("snap.a")
    c.close()
    server.kill()
    files = set(os.listdir(tmp_path))
    assert {"log.a", "snap.a"} <= files
    assert not {"memflux.wal", "memflux.snapshot", "log.b", "snap.b"} & files
    server = ServerProcess(data_dir=tmp_path)
    c = server.client()
    assert c.get("a") == b"1"
    c.close()
    server.stop()
