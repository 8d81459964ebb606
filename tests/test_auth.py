"""requirepass: NOAUTH until AUTH (or HELLO ... AUTH); exact error texts."""
import pytest
import redis

from rawsocket import Raw, command


@pytest.fixture(scope="module")
def secured():
    from conftest import ServerProcess
    s = ServerProcess(password="s3cret")
    yield s
    s.stop()


def test_noauth_gate(secured):
    c = Raw(secured.port)
    for name in ["PING", "GET", "SET", "CLIENT", "INFO", "CONFIG", "COMMAND", "KEYS"]:
        c.send(command(name, "x", "y") if name in ("SET", "CONFIG") else command(name, "x") if name != "PING" else command(name))
        c.expect(b"-NOAUTH Authentication required.\r\n")
    c.send(command("NOSUCHCMD"))
    c.expect(b"-ERR unknown command 'NOSUCHCMD', with args beginning with: \r\n")
    c.send(command("AUTH", "wrong"))
    c.expect(b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    c.send(command("AUTH", "someone", "s3cret"))
    c.expect(b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    c.send(command("HELLO", "3"))
    c.expect(b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n")
    c.send(command("AUTH", "s3cret"))
    c.expect(b"+OK\r\n")
    c.send(command("PING"))
    c.expect(b"+PONG\r\n")
    c.close()


def test_auth_with_default_user_and_hello(secured):
    c = Raw(secured.port)
    c.send(command("AUTH", "default", "s3cret") + command("PING"))
    c.expect(b"+OK\r\n+PONG\r\n")
    c.close()
    c = Raw(secured.port)
    c.send(command("HELLO", "2", "AUTH", "default", "wrong"))
    c.expect(b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    c.send(command("HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "named"))
    assert c.read_exact(4) == b"*14\r"
    c.close()


def test_quit_before_auth(secured):
    c = Raw(secured.port)
    c.send(command("QUIT"))
    assert c.read_until_close() == b"+OK\r\n"


def test_unauthenticated_request_limits(secured):
    c = Raw(secured.port)
    c.send(b"*20\r\n")
    assert c.read_until_close() == b"-ERR Protocol error: unauthenticated multibulk length\r\n"


def test_redis_py_with_password(secured):
    r = secured.client()
    assert r.ping()
    r.set("k", "v")
    assert r.get("k") == b"v"
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=secured.port, password="nope").ping()
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=secured.port).get("k")


def test_auth_without_password_configured(server):
    c = Raw(server.port)
    c.send(command("AUTH", "pw"))
    c.expect(b"-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n")
    c.send(command("AUTH", "default", "anything"))
    c.expect(b"+OK\r\n")
    c.close()
