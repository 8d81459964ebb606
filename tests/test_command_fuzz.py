"""The command fuzzer against a real memflux-server: every command the server
lists in COMMAND (the engine's and the server's own: CONFIG, CLIENT, HELLO,
AUTH, QUIT, INFO, SLOWLOG, COMMAND), at least 300 hostile calls each, outside
any transaction, queued in MULTI and inside BEGIN, over RESP2 and RESP3. The
process must stay up, every reply must be well-formed RESP, and the data
files it wrote must load again after a kill -9 and after a clean stop.

Arguments come from tests/fuzz/vocabulary.txt and tests/fuzz/values.txt,
shared with the in-process fuzzer (Tests/MemFluxTests/CommandFuzzer.swift).
MEMFLUX_FUZZ_SEED replays a run; MEMFLUX_FUZZ_CALLS sets the calls per command.
"""
import os
import shutil
import socket
import tempfile

from conftest import ServerProcess
from fuzzgen import SETUP, ArgumentGenerator, Connection, RESPError, command_table, is_error

SEED = int(os.environ.get("MEMFLUX_FUZZ_SEED", "20261201"))
CALLS = max(300, int(os.environ.get("MEMFLUX_FUZZ_CALLS", "300")))
# Settings a fuzzed CONFIG SET may change that would lock the fuzzer out or refuse its arguments.
RESET_CONFIG = ["CONFIG", "SET", "requirepass", "", "max_clients", "10000", "proto_max_bulk_len", "536870912"]


class Fuzzer(ArgumentGenerator):
    """Hostile calls on two connections to `server`: one runs them, one refills the keys."""

    def __init__(self, server, seed):
        super().__init__(seed)
        self.server = server
        self.conn = None
        self.setup = None
        self.reconnect()

    def reconnect(self):
        for c in (self.conn, self.setup):
            if c:
                c.close()
        self.conn = Connection(self.server.port)
        self.setup = Connection(self.server.port)
        if self.random.random() < 0.3:
            self.conn.call(["HELLO", "3"])

    def refill(self):
        self.setup.call(["FLUSHALL"])
        for c in SETUP:
            self.setup.call(c)

    def run_one(self, info, mode):
        args = self.arguments(info, bounded_timeout=(mode == "auto-commit"))
        try:
            if mode == "auto-commit":
                self.learn(info, args, self.conn.call(args))
            elif mode == "multi":
                self.conn.call(["MULTI"])
                self.conn.call(args)
                self.conn.call(["EXEC"])
            else:
                self.conn.call(["BEGIN"] if mode == "begin" else ["BEGIN", "ISOLATION", "LEVEL", "SERIALIZABLE"])
                self.conn.call(args)
                self.conn.call([self.random.choice(["COMMIT", "ROLLBACK"])])
            # The fuzzed command may have opened MULTI or BEGIN; end both (errors are fine).
            self.conn.call(["DISCARD"])
            self.conn.call(["ROLLBACK"])
            if info[0] in ("config", "hello", "auth"):
                self.restore_access(args)
        except socket.timeout:
            raise AssertionError(f"no reply within 60 s to {args!r} ({mode}, seed {SEED})")
        except (EOFError, ConnectionError):
            # QUIT, CLIENT KILL, or a protocol error after CONFIG SET proto_max_bulk_len: the
            # server may close this connection, but it must stay up for the next one.
            assert self.server.process.poll() is None, f"memflux-server died on {args!r} ({mode}, seed {SEED})"
            self.reconnect()
            self.restore_access(args)
        except RESPError as e:
            raise AssertionError(f"invalid RESP in reply to {args!r} ({mode}, seed {SEED}): {e}")
        assert self.server.process.poll() is None, f"memflux-server died on {args!r} ({mode}, seed {SEED})"

    def restore_access(self, args):
        """Undoes a fuzzed password or limit: AUTH with any argument it may have set, then reset."""
        if not is_error(self.conn.call(RESET_CONFIG), b"NOAUTH"):
            return
        for candidate in args:
            if not is_error(self.conn.call(["AUTH", candidate])):
                break
        assert not is_error(self.conn.call(RESET_CONFIG)), f"locked out after {args!r}"


def test_hostile_arguments_never_stop_the_server_and_its_files_reload():
    data_dir = tempfile.mkdtemp(prefix="memflux-fuzz-")
    server = ServerProcess("--durability", "none", data_dir=data_dir)
    try:
        fuzzer = Fuzzer(server, SEED)
        table = command_table(fuzzer.conn)
        assert len(table) > 100
        calls = 0
        for info in table:
            for i in range(CALLS):
                if i % 25 == 0:
                    fuzzer.refill()
                r = fuzzer.random.randrange(100)
                mode = "auto-commit" if r < 70 else "multi" if r < 85 else "begin" if r % 2 else "serializable"
                fuzzer.run_one(info, mode)
                calls += 1
        assert calls >= 300 * len(table)
        assert fuzzer.setup.call(["PING"]) == (b"+", b"PONG")
    finally:
        server.kill()

    # The log written under fuzzing replays after a crash, and the snapshot
    # written at a clean stop loads.
    restarted = ServerProcess("--durability", "none", data_dir=data_dir)
    assert restarted.client().ping()
    restarted.stop()
    reloaded = ServerProcess("--durability", "none", data_dir=data_dir)
    assert reloaded.client().ping()
    reloaded.stop()
    shutil.rmtree(data_dir, ignore_errors=True)
