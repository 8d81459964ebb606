"""Protocol tests against a real memflux-server process.

Builds nothing: uses $MEMFLUX_SERVER if set, else the newest of
.build/release/memflux-server and .build/debug/memflux-server. Each server
runs on a free loopback port in a temporary --dir (with --no-persistence
unless a test asks for persistence), is ready once it answers PING (or AUTH),
and is stopped by its PID at the end.
"""
import os
import pathlib
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import redis

ROOT = pathlib.Path(__file__).resolve().parent.parent


def build_product(name, variable):
    """$variable if set, else the newest of .build/{release,debug}/name; stops the run when neither exists."""
    configured = os.environ.get(variable)
    if configured:
        return configured
    candidates = [ROOT / ".build" / kind / name for kind in ("release", "debug")]
    existing = [c for c in candidates if c.exists()]
    if not existing:
        pytest.exit(f"{name} is not built: run `swift build` (or set {variable})", returncode=1)
    return str(max(existing, key=lambda c: c.stat().st_mtime))


def server_binary():
    return build_product("memflux-server", "MEMFLUX_SERVER")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_open_file_limit():
    """1000 concurrent clients need more descriptors than the usual 1024 (both sides inherit this)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


class ServerProcess:
    """A memflux-server process. With `data_dir` it keeps its files there
    (persistent, and the directory outlives it: restart on the same one);
    otherwise it runs without persistence in a temporary directory it removes."""

    def __init__(self, *extra, password=None, data_dir=None, file_size_limit=None):
        raise_open_file_limit()
        self.port = free_port()
        self.password = password
        self.owns_dir = data_dir is None
        self.dir = tempfile.mkdtemp(prefix="memflux-test-") if self.owns_dir else str(data_dir)
        args = [server_binary(), "--port", str(self.port), "--dir", self.dir, "--log-level", "warning", *extra]
        if self.owns_dir:
            args.append("--no-persistence")
        if password:
            args += ["--requirepass", password]
        self.log = open(os.path.join(self.dir, "server.log"), "a+")
        limit = None
        if file_size_limit is not None:
            def limit():
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=limit)
        self.pid = self.process.pid
        self.wait_ready()

    def client(self, **kwargs):
        kwargs.setdefault("password", self.password)
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"memflux-server exited with {self.process.returncode}: {self.log.read()}")
            probe = self.client(socket_timeout=1)
            try:
                if probe.ping():
                    return
            except (redis.ConnectionError, redis.TimeoutError):
                time.sleep(0.05)
            finally:
                probe.close()
        raise RuntimeError("memflux-server did not answer PING")


    def log_text(self):
        self.log.flush()
        with open(os.path.join(self.dir, "server.log")) as f:
            return f.read()

    def kill(self):
        """A crash: SIGKILL, no shutdown work."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        if self.owns_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    s = ServerProcess()
    yield s
    s.stop()


@pytest.fixture
def start_server():
    """Starts extra servers (other flags) for one test; all are stopped after it."""
    started = []

    def start(*extra, password=None, data_dir=None):
        s = ServerProcess(*extra, password=password, data_dir=data_dir)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def r(server):
    client = server.client()
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def r3(server):
    client = server.client(protocol=3)
    client.flushall()
    yield client
    client.close()
