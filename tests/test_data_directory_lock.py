"""One process owns a data directory: a second server on the same --dir
exits before binding, naming the directory and the first server's pid, and
changes nothing there; the first server's acknowledged writes survive a
crash; --no-persistence takes no lock. (A server and an embedded Database on
one directory are tested from Swift: DirectoryLockTests.)"""
import hashlib
import os
import socket
import subprocess

import pytest

from conftest import ServerProcess, free_port, server_binary


def in_use(directory, pid):
    return (f"data directory {os.path.realpath(directory)} is in use by another MemFlux process (pid {pid}); "
            "each directory can be opened by one server or Database at a time")


def files(directory):
    """Name -> (size, mtime, digest) of each file but server.log (the first server's own output, not B's)."""
    state = {}
    for name in sorted(os.listdir(directory)):
        if name == "server.log":
            continue
        path = os.path.join(directory, name)
        info = os.stat(path)
        with open(path, "rb") as f:
            state[name] = (info.st_size, info.st_mtime_ns, hashlib.sha256(f.read()).hexdigest())
    return state


@pytest.mark.parametrize("durability", ["fsync", "full"])
def test_second_server_on_a_directory_is_refused_and_writes_survive(tmp_path, durability):
    a = ServerProcess("--durability", durability, data_dir=tmp_path)
    client = a.client()
    acknowledged = {}
    for i in range(200):
        client.set(f"before:{i}", f"v{i}")
        acknowledged[f"before:{i}"] = f"v{i}"
    before = files(tmp_path)
    assert before["memflux.lock"][0] > 0
    with open(tmp_path / "memflux.lock") as f:
        assert f.read() == f"{a.pid}\n"

    port = free_port()
    b = subprocess.run([server_binary(), "--dir", str(tmp_path), "--port", str(port), "--durability", durability],
                       capture_output=True, text=True, timeout=30)
    assert b.returncode != 0
    assert b.stderr == f"Error: {in_use(tmp_path, a.pid)}\n"
    assert "ready on" not in b.stdout
    assert files(tmp_path) == before
    # B never bound its port: it is still free.
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))

    for i in range(200):
        client.set(f"after:{i}", f"w{i}")
        acknowledged[f"after:{i}"] = f"w{i}"
    client.close()
    a.kill()

    restarted = ServerProcess("--durability", durability, data_dir=tmp_path)
    check = restarted.client()
    assert check.dbsize() == len(acknowledged)
    for key, value in acknowledged.items():
        assert check.get(key) == value.encode(), key
    check.close()
    restarted.stop()


def test_lock_is_released_at_clean_exit_and_a_crash(tmp_path):
    first = ServerProcess(data_dir=tmp_path)
    first.client().set("k", "1")
    first.stop()
    second = ServerProcess(data_dir=tmp_path)
    assert second.client().get("k") == b"1"
    second.kill()
    third = ServerProcess(data_dir=tmp_path)
    assert third.client().get("k") == b"1"
    third.stop()


def test_no_persistence_takes_no_lock(tmp_path):
    holder = ServerProcess(data_dir=tmp_path)
    memory_only = ServerProcess("--no-persistence", data_dir=tmp_path)
    assert memory_only.client().ping()
    memory_only.stop()
    holder.stop()
    empty = tmp_path / "memory-only"
    empty.mkdir()
    server = ServerProcess("--no-persistence", data_dir=empty)
    server.stop()
    assert sorted(os.listdir(empty)) == ["config.json", "server.log"]
