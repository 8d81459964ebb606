"""Startup refuses bad flags, a missing --config and a port in use with one
line on stderr naming the flag, file or address, and a non-zero exit, before
it writes anything: no --dir is created and no config.json appears."""
import os
import socket
import subprocess

import pytest

from conftest import free_port, server_binary


def run_server(*args, timeout=30):
    """(exit code, stdout, stderr) of a server expected to stop at startup."""
    done = subprocess.run([server_binary(), *args], capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("flags, message", [
    (["--port", "99999"], "invalid --port 99999: must be an integer from 0 to 65535"),
    (["--port", "-1"], "invalid --port -1: must be an integer from 0 to 65535"),
    (["--port", "abc"], "invalid --port abc: must be an integer from 0 to 65535"),
    (["--event-loops", "-1"], "invalid --event-loops -1: must be an integer from 0 to 1024"),
    (["--maxmemory-mb", "-5"], "invalid --maxmemory-mb -5: must be an integer from 0 to 2147483647"),
    (["--durability", "sometimes"], "invalid --durability sometimes: must be one of none, fsync, full"),
    (["--eviction-policy", "fifo"],
     "invalid --eviction-policy fifo: must be one of lru, lfu, arc, lfru, random, noeviction"),
    (["--isolation-level", "chaos"], "invalid --isolation-level chaos: must be one of snapshot, serializable"),
    (["--log-level", "loud"],
     "invalid --log-level loud: must be one of trace, debug, info, notice, warning, error, critical"),
    (["--tls"], "TLS (encrypt / --tls) is not available in this build yet"),
], ids=["port-range", "port-negative", "port-text", "event-loops-negative", "maxmemory-negative",
        "durability", "eviction-policy", "isolation-level", "log-level", "tls"])
def test_bad_flag_is_one_line_and_writes_nothing(tmp_path, flags, message):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "not-yet"
    for directory in (empty, missing):
        code, out, err = run_server("--dir", str(directory), *flags)
        assert code != 0
        assert err == f"Error: {message}\n"
        assert out == ""
    assert os.listdir(empty) == []
    assert not missing.exists()


def test_bad_config_key_writes_nothing(tmp_path):
    with open(tmp_path / "config.json", "w") as f:
        f.write('{"port": 99999}')
    code, _, err = run_server("--dir", str(tmp_path))
    assert code != 0
    assert err == f"Error: {tmp_path}/config.json: invalid value for 'port': expected an integer from 0 to 65535\n"
    assert os.listdir(tmp_path) == ["config.json"]


def test_missing_config_file_is_an_error(tmp_path):
    config = tmp_path / "nonexistent.json"
    code, _, err = run_server("--dir", str(tmp_path / "data"), "--config", str(config), "--port", str(free_port()))
    assert code != 0
    assert err == f"Error: --config {config}: no such file (only the default <dir>/config.json is created when missing)\n"
    assert os.listdir(tmp_path) == []


def test_port_in_use_names_the_address(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_server("--dir", str(tmp_path), "--port", str(port), "--no-persistence")
    assert code != 0
    assert err == f"Error: cannot listen on 127.0.0.1:{port}: address already in use\n"
    assert "ready on" not in out
    # config.json is created only once the server listens.
    assert os.listdir(tmp_path) == []


def test_version_is_the_one_info_reports(server):
    code, out, err = run_server("--version")
    assert code == 0 and err == ""
    client = server.client()
    assert out == f"memflux-server {client.info('server')['memflux_version']}\n"
    client.close()
