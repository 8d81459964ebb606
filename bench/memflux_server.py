"""What the Python benchmarks share: this checkout's release memflux-server,
and a server running on a free loopback port that they stop by PID."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import redis

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def release_binary():
    """Builds this checkout's release memflux-server and answers its path."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "memflux-server"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip() + "/memflux-server"


class MemFluxServer:
    """`binary` on a free loopback port, persistence off, in a directory of its own; `client` speaks RESP2."""

    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="memflux-bench-")
        self.port = free_port()
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--no-persistence", "--dir", self.dir,
                                         "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client = redis.Redis(port=self.port, protocol=2)
        for _ in range(300):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("memflux-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)
