"""Starting and stopping: config.json creation and validation, flags over the
file, the startup line, warnings, and a clean exit on SIGTERM/SIGINT."""
import json
import os
import signal
import subprocess
import tempfile

import pytest
import redis

from conftest import ServerProcess, free_port, server_binary


def run_server(*args, cwd=None, timeout=15):
    """Runs a server expected to fail at startup; returns (exit code, output)."""
    done = subprocess.run([server_binary(), *args], capture_output=True, timeout=timeout, cwd=cwd)
    return done.returncode, (done.stdout + done.stderr).decode()


def test_creates_default_config_and_prints_startup_line(start_server):
    s = start_server()
    with open(os.path.join(s.dir, "config.json")) as f:
        config = json.load(f)
    assert config["port"] == 8360 and config["host"] == "127.0.0.1"
    assert config["eviction_policy"] == "lru" and config["max_clients"] == 10000
    s.log.flush()
    with open(os.path.join(s.dir, "server.log")) as f:
        assert f"MemFlux server ready on 127.0.0.1:{s.port}" in f.read()


def test_config_file_is_read_and_flags_override_it():
    directory = tempfile.mkdtemp(prefix="memflux-test-")
    port = free_port()
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({"port": 1, "max_clients": 77, "slowlog_max_len": 5, "event_loops": 3}, f)
    process = subprocess.Popen([server_binary(), "--dir", directory, "--port", str(port), "--no-persistence",
                                "--event-loops", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        s = ServerProcess.__new__(ServerProcess)
        s.port, s.password, s.process = port, None, process
        s.log = open(os.devnull, "w+")
        s.wait_ready()
        r = redis.Redis(port=port)
        assert r.config_get("max_clients") == {"max_clients": "77"}
        assert r.config_get("slowlog_max_len") == {"slowlog_max_len": "5"}
        assert r.config_get("persistence") == {"persistence": "no"}
        assert r.config_get("event_loops") == {"event_loops": "2"}
        r.close()
    finally:
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("content, message", [
    ('{"port": "abc"}', "invalid value for 'port'"),
    ('{"eviction_policy": "fifo"}', "invalid value for 'eviction_policy'"),
    ('{"bogus": 1}', "unknown key 'bogus'"),
    ('{"port": 1', "config.json"),
], ids=["port-type", "eviction-choice", "unknown-key", "truncated-json"])
def test_invalid_config_file_stops_startup(content, message):
    directory = tempfile.mkdtemp(prefix="memflux-test-")
    with open(os.path.join(directory, "config.json"), "w") as f:
        f.write(content)
    code, output = run_server("--dir", directory, "--port", str(free_port()))
    assert code != 0
    assert message in output


def test_invalid_flags_stop_startup():
    directory = tempfile.mkdtemp(prefix="memflux-test-")
    code, output = run_server("--dir", directory, "--durability", "sometimes")
    assert code != 0 and "invalid --durability sometimes" in output
    code, output = run_server("--dir", directory, "--port", "70000")
    assert code != 0 and "invalid --port 70000" in output
    code, output = run_server("--dir", directory, "--tls", "--port", str(free_port()))
    assert code != 0 and "TLS" in output


def test_non_loopback_without_password_warns(start_server):
    s = start_server("--host", "0.0.0.0", "--log-level", "info")
    s.log.flush()
    with open(os.path.join(s.dir, "server.log")) as f:
        assert "without requirepass" in f.read()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_clean_exit_on_signal(start_server, signum):
    s = start_server()
    idle = s.client()
    idle.ping()
    blocked = s.client(socket_timeout=10)
    import threading
    t = threading.Thread(target=lambda: _ignore(lambda: blocked.blpop(["never"], timeout=0)))
    t.start()
    os.kill(s.pid, signum)
    assert s.process.wait(timeout=10) == 0
    t.join(10)


def _ignore(call):
    try:
        call()
    except redis.RedisError:
        pass
