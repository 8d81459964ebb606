"""A bare TCP connection for asserting exact RESP bytes."""
import socket
import time


def command(*args):
    """RESP array of bulk strings for args (str or bytes)."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Raw:
    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data)

    def read_exact(self, n, timeout=5.0):
        """Exactly n bytes (fails on timeout or close)."""
        deadline = time.time() + timeout
        while len(self.buffer) < n:
            self.sock.settimeout(max(0.01, deadline - time.time()))
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError(f"closed after {self.buffer!r}")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def expect(self, expected, timeout=5.0):
        got = self.read_exact(len(expected), timeout)
        assert got == expected
        return got

    def read_until_close(self, timeout=5.0):
        """Everything until the server closes; raises if it stays open."""
        deadline = time.time() + timeout
        while True:
            self.sock.settimeout(max(0.01, deadline - time.time()))
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                data, self.buffer = self.buffer, b""
                return data
            self.buffer += chunk

    def nothing_for(self, seconds):
        """True when no byte arrives for `seconds` and the connection stays open."""
        self.sock.settimeout(seconds)
        try:
            chunk = self.sock.recv(1)
        except socket.timeout:
            return True
        if chunk:
            self.buffer += chunk
        return False

    def close(self):
        self.sock.close()
