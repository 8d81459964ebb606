"""Basic commands over RESP2 and RESP3: exact wire bytes and redis-py replies."""
import pytest
import redis

from rawsocket import Raw, command


def test_exact_resp2_bytes(server, r):
    c = Raw(server.port)
    c.send(command("PING"))
    c.expect(b"+PONG\r\n")
    c.send(command("SET", "k", "v"))
    c.expect(b"+OK\r\n")
    c.send(command("GET", "k"))
    c.expect(b"$1\r\nv\r\n")
    c.send(command("GET", "missing"))
    c.expect(b"$-1\r\n")
    c.send(command("INCR", "n"))
    c.expect(b":1\r\n")
    c.send(command("INCR", "k"))
    c.expect(b"-ERR value is not an integer or out of range\r\n")
    c.send(command("LPUSH", "k", "x"))
    c.expect(b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
    c.send(command("GET"))
    c.expect(b"-ERR wrong number of arguments for 'get' command\r\n")
    c.send(command("NOSUCH", "a", "b"))
    c.expect(b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n")
    c.send(command("MGET", "k", "missing"))
    c.expect(b"*2\r\n$1\r\nv\r\n$-1\r\n")
    c.send(command("BLPOP", "nolist", "0.01"))
    c.expect(b"*-1\r\n")
    c.send(command("ECHO", b"\x00\r\n\xff"))
    c.expect(b"$4\r\n\x00\r\n\xff\r\n")
    c.close()


def test_exact_resp3_bytes(server, r):
    c = Raw(server.port)
    c.send(command("HELLO", "3"))
    hello = c.read_exact(len(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.0\r\n$5\r\nproto\r\n:3\r\n"))
    assert hello == b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.0\r\n$5\r\nproto\r\n:3\r\n"
    c.send(command("PING"))  # the rest of HELLO's map, then PONG: read through it
    rest = b""
    while not rest.endswith(b"+PONG\r\n"):
        rest += c.read_exact(1)
    assert rest.endswith(b"$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n+PONG\r\n")
    c.send(command("GET", "missing"))
    c.expect(b"_\r\n")
    c.send(command("HSET", "h", "f", "v"))
    c.expect(b":1\r\n")
    c.send(command("BLPOP", "nolist", "0.01"))
    c.expect(b"_\r\n")
    c.send(command("HELLO", "4"))
    c.expect(b"-NOPROTO unsupported protocol version\r\n")
    c.send(command("HELLO", "x"))
    c.expect(b"-ERR Protocol version is not an integer or out of range\r\n")
    c.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_redis_py_basics(server, protocol):
    r = server.client(protocol=protocol)
    r.flushall()
    assert r.ping() is True
    assert r.set("s", "hello") is True
    assert r.get("s") == b"hello"
    assert r.append("s", " world") == 11
    assert r.strlen("s") == 11
    assert r.incrby("n", 5) == 5
    assert r.exists("s", "n", "none") == 2
    assert r.type("s") == b"string"
    assert r.delete("s", "none") == 1
    assert r.rpush("l", "a", "b", "c") == 3
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]
    assert r.lpop("l") == b"a"
    assert r.sadd("set", "x", "y") == 2
    assert r.smembers("set") == {b"x", b"y"}
    assert r.hset("h", mapping={"a": "1", "b": "2"}) == 2
    assert r.hgetall("h") == {b"a": b"1", b"b": b"2"}
    assert r.hget("h", "zz") is None
    assert r.dbsize() == 4
    assert sorted(r.keys("*")) == [b"h", b"l", b"n", b"set"]
    cursor, keys = r.scan(0, count=100)
    assert cursor == 0 and sorted(keys) == [b"h", b"l", b"n", b"set"]
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.lpush("h", "x")
    r.close()


def test_pipeline_replies_in_order(r):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"key:{i}", i)
        p.get(f"key:{i}")
        p.incr("counter")
    replies = p.execute(raise_on_error=False)
    assert len(replies) == 3000
    for i in range(1000):
        assert replies[3 * i] is True
        assert replies[3 * i + 1] == str(i).encode()
        assert replies[3 * i + 2] == i + 1


def test_pipeline_with_errors_keeps_going(server, r):
    c = Raw(server.port)
    c.send(command("SET", "a", "1") + command("INCR", "a") + command("NOPE") + command("GET", "a") + b"PING\r\n")
    c.expect(b"+OK\r\n:2\r\n-ERR unknown command 'NOPE', with args beginning with: \r\n$1\r\n2\r\n+PONG\r\n")
    c.close()


def test_inline_commands(server, r):
    c = Raw(server.port)
    c.send(b'SET greeting "hello world"\r\nGET greeting\r\nECHO \'it\\\'s\'\nEXISTS greeting nope\r\n')
    c.expect(b"+OK\r\n$11\r\nhello world\r\n$4\r\nit's\r\n:1\r\n")
    c.close()


def test_client_commands(server, r):
    r.client_setname("tester")
    assert r.client_getname() in ("tester", b"tester")
    my_id = r.client_id()
    listing = r.client_list()
    me = [c for c in listing if int(c["id"]) == my_id]
    assert me and me[0]["name"] == "tester" and me[0]["cmd"] == "client|list"
    info = r.client_info()
    assert int(info["id"]) == my_id
    with pytest.raises(redis.ResponseError, match="Client names cannot contain spaces"):
        r.client_setname("bad name")
    other = Raw(server.port)
    other.send(command("CLIENT", "ID"))
    line = b""
    while not line.endswith(b"\r\n"):
        line += other.read_exact(1)
    other_id = int(line[1:-2])
    assert r.client_kill_filter(_id=other_id) == 1
    assert other.read_until_close() == b""
    c = Raw(server.port)
    c.send(command("CLIENT", "KILL", "ID", "999999"))
    c.expect(b":0\r\n")
    c.send(command("CLIENT", "NOSUCH"))
    c.expect(b"-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n")
    c.close()


def test_quit_closes_after_ok(server):
    c = Raw(server.port)
    c.send(command("QUIT") + command("PING"))
    assert c.read_until_close() == b"+OK\r\n"


def test_config_get_set(server, r):
    assert r.config_get("max_clients") == {"max_clients": "10000"}
    assert r.config_get("slowlog*") == {"slowlog_log_slower_than": "10000", "slowlog_max_len": "128"}
    assert r.config_get("save") == {"save": ""}
    assert r.config_set("slowlog_max_len", 64) is True
    assert r.config_get("slowlog-max-len") == {"slowlog-max-len": "64"}
    with pytest.raises(redis.ResponseError, match="can't set immutable config"):
        r.config_set("port", 1)
    with pytest.raises(redis.ResponseError, match="Unknown option"):
        r.config_set("nope", 1)
    with pytest.raises(redis.ResponseError, match="possibly related to argument 'max_clients'"):
        r.config_set("max_clients", "lots")
    r.config_set("slowlog_max_len", 128)


def test_info_sections(server, r):
    r.set("a", "1")
    r.get("a")
    info = r.info()
    assert info["redis_version"] == "7.2.0"
    assert info["tcp_port"] == server.port
    assert info["process_id"] == server.pid
    assert info["role"] == "master"
    assert info["connected_clients"] >= 1
    assert info["used_memory"] > 0
    assert info["db0"] == {"keys": 1, "expires": 0, "avg_ttl": 0}
    stats = r.info("commandstats")
    assert stats["cmdstat_get"]["calls"] >= 1
    assert "usec_per_call" in stats["cmdstat_set"]
    c = Raw(server.port)
    c.send(command("INFO", "server"))
    header = b""
    while not header.endswith(b"\r\n"):
        header += c.read_exact(1)
    assert header.startswith(b"$")
    body = c.read_exact(len(b"# Server\r\nredis_version:7.2.0\r\n"))
    assert body == b"# Server\r\nredis_version:7.2.0\r\n"
    c.close()


def test_slowlog(server, r):
    r.config_set("slowlog_log_slower_than", 0)
    try:
        r.slowlog_reset()
        r.set("slow", "x")
        entries = r.slowlog_get(10)
        assert any(e["command"] == b"SET slow x" and e["duration"] >= 0 for e in entries)
        assert r.slowlog_len() >= 1
    finally:
        r.config_set("slowlog_log_slower_than", 10000)
    r.slowlog_reset()
    assert r.slowlog_len() == 0


def test_command_introspection(r):
    count = r.command_count()
    assert count > 50
    info = r.execute_command("COMMAND", "INFO", "get")["get"]
    assert info["arity"] == 2 and info["first_key_pos"] == 1 and info["last_key_pos"] == 1
    everything = r.execute_command("COMMAND")
    assert len(everything) == count
    assert all(set(entry) >= {"arity", "flags", "first_key_pos", "acl_categories", "subcommands"} for entry in everything.values())
    assert r.command_getkeys("MSET", "a", "1", "b", "2") == ["a", "b"]
