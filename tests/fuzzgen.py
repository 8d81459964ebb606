"""Shared by the command fuzzers and the hostile-argument differential test:
the argument generator (tests/fuzz/vocabulary.txt and tests/fuzz/values.txt,
the same files the in-process fuzzer in Tests/MemFluxTests/CommandFuzzer.swift
reads) and a raw connection that checks every reply is valid RESP2/RESP3.
"""
import pathlib
import random
import socket

from rawsocket import command as encode

FUZZ = pathlib.Path(__file__).resolve().parent / "fuzz"

# One key of each type, refilled every few calls (as FuzzKeys in the Swift fuzzer).
SETUP = [
    ["SET", "fz:string", "hello"], ["SET", "fz:int", "10"], ["SET", "fz:float", "3.5"],
    ["SET", "fz:ttl", "v", "EX", "1000"], ["RPUSH", "fz:list", "a", "b", "c", "a", "10"],
    ["SADD", "fz:set", "a", "b", "c", "10"], ["HSET", "fz:hash", "a", "1", "b", "x", "c", "2.5"],
    ["JSON.SET", "fz:json", "$", '{"a":[1,2,{"b":null}],"s":"x","n":1.5,"o":{"p":{"q":[true]}}}'],
]
KEYS = [c[1].encode() for c in SETUP] + [b"fz:missing"]
# Tiny or refused timeouts for blocking commands outside a transaction.
BOUNDED_TIMEOUTS = [b"0.001", b"0.01", b"-1", b"-0.001", b"nan", b"inf", b"-inf", b"1e400", b"abc", b"", b"9223372036854775807"]


def load_vocabulary():
    words, command_words = [], {}
    for line in (FUZZ / "vocabulary.txt").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, colon, rest = line.partition(":")
        if colon:
            command_words[name] = rest.split()
            words += rest.split()
        else:
            words += line.split()
    return words, command_words


def unescape(text):
    out, i, raw = bytearray(), 0, text.encode()
    while i < len(raw):
        if raw[i:i + 2] == b"\\x" and len(raw) >= i + 4:
            try:
                out.append(int(raw[i + 2:i + 4], 16))
                i += 4
                continue
            except ValueError:
                pass
        if raw[i:i + 2] == b"\\\\":
            out.append(0x5C)
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def expand(line):
    if line == "<empty>":
        return b""
    if line.startswith("<repeat ") and line.endswith(">"):
        count, _, text = line[8:-1].partition(" ")
        return b"".join(unescape(half) * int(count) for half in text.split("|", 1))
    return unescape(line)


def load_values():
    sections, current = {"integers": [], "floats": [], "strings": []}, None
    for line in (FUZZ / "values.txt").read_text().split("\n"):
        if not line or line.startswith("#"):
            continue
        if line in ("[integers]", "[floats]", "[strings]"):
            current = line[1:-1]
            continue
        sections[current].append(expand(line))
    return sections


class RESPError(AssertionError):
    pass


class Connection:
    """A raw connection that reads one reply at a time and checks it is valid RESP2/RESP3."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise EOFError("connection closed")
        self.buffer += chunk

    def _line(self):
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buffer) < n + 2:
            self._fill()
        data, end, self.buffer = self.buffer[:n], self.buffer[n:n + 2], self.buffer[n + 2:]
        if end != b"\r\n":
            raise RESPError(f"bulk payload of {n} bytes not followed by CRLF: {end!r}")
        return data

    def reply(self):
        line = self._line()
        if not line:
            raise RESPError("empty reply line")
        kind, body = line[:1], line[1:]
        if kind in (b"+", b"-"):
            if b"\r" in body or b"\n" in body:
                raise RESPError(f"line reply contains CR or LF: {line!r}")
            return (kind, body)
        if kind in (b":", b"("):
            if not body.lstrip(b"-").isdigit():
                raise RESPError(f"bad integer {line!r}")
            return int(body)
        if kind == b",":
            if body not in (b"inf", b"-inf", b"nan"):
                float(body)
            return body
        if kind == b"_":
            if body:
                raise RESPError(f"null with a body: {line!r}")
            return None
        if kind == b"#":
            if body not in (b"t", b"f"):
                raise RESPError(f"bad boolean {line!r}")
            return body == b"t"
        if kind in (b"$", b"!", b"="):
            n = int(body)
            if n == -1 and kind == b"$":
                return None
            if n < 0:
                raise RESPError(f"bad length {line!r}")
            return self._exact(n)
        if kind in (b"*", b"~", b">", b"%"):
            n = int(body)
            if n == -1 and kind == b"*":
                return None
            if n < 0:
                raise RESPError(f"bad count {line!r}")
            return [self.reply() for _ in range(n * 2 if kind == b"%" else n)]
        raise RESPError(f"unknown reply type {line!r}")

    def call(self, args):
        self.sock.sendall(encode(*args))
        return self.reply()


def is_error(reply, text=b""):
    return isinstance(reply, tuple) and reply[0] == b"-" and text in reply[1]



def command_table(conn):
    """(name, arity, flags, first key, last key, step) for every command COMMAND lists, by name."""
    table = []
    for entry in conn.call(["COMMAND"]):
        name, arity, flags, first, last, step = entry[:6]
        table.append((name.decode(), arity, [f[1] if isinstance(f, tuple) else f for f in flags], first, last, step))
    return sorted(table)


class ArgumentGenerator:
    """Hostile calls of a command, seeded; the same mix as CommandFuzzer.swift."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.words, self.command_words = load_vocabulary()
        self.values = load_values()
        # Per command, fixture keys whose type it accepted (see learn).
        self.typed_keys = {}

    def learn(self, info, args, reply):
        """Remembers the keys of a call that got past the type check, so later
        calls of the command reach its body more often than WRONGTYPE."""
        if is_error(reply, b"WRONGTYPE") or reply == (b"+", b"QUEUED"):
            return
        name, _, _, first, last, step = info
        end = len(args) + last if last < 0 else last
        for position in range(max(first, 1), min(end, len(args) - 1) + 1, max(step, 1)):
            if first > 0 and args[position] in KEYS and args[position] not in self.typed_keys.setdefault(name, []):
                self.typed_keys[name].append(args[position])

    def word(self, text):
        choice = self.random.randrange(4)
        if choice == 0:
            return text.upper()
        if choice == 1:
            return "".join(ch.upper() if self.random.random() < 0.5 else ch for ch in text)
        return text

    def value(self):
        r = self.random.randrange(100)
        if r < 15:  # small integers, so calls get past argument checks (as in the Swift fuzzer)
            return self.random.choice(self.values["integers"][:8])
        if r < 38:
            return self.random.choice(self.values["integers"])
        if r < 48:
            return self.random.choice(self.values["floats"])
        if r < 72:
            return self.word(self.random.choice(self.words)).encode()
        if r < 85:
            return self.random.choice(KEYS)
        return self.random.choice(self.values["strings"])

    def arguments(self, info, bounded_timeout):
        name, arity, flags, first, last, step = info
        minimum = abs(arity)
        if self.random.random() < 0.05:
            total = self.random.randint(1, minimum + 3)
        elif arity >= 0:
            total = arity
        else:
            total = minimum + self.random.randint(0, 6)
        args = [self.word(name).encode()]
        own = self.command_words.get(name, [])
        while len(args) < total:
            position = len(args)
            end = total + last if last < 0 else last
            is_key = first > 0 and step > 0 and first <= position <= end and (position - first) % step == 0
            if own and not is_key and self.random.random() < (0.9 if position == 1 else 0.5):
                args.append(self.word(self.random.choice(own)).encode())
            elif is_key and self.random.random() < 0.75:
                learned = self.typed_keys.get(name)
                args.append(self.random.choice(learned if learned and self.random.random() < 0.6 else KEYS))
            else:
                args.append(self.value())
        if bounded_timeout and b"blocking" in flags and len(args) > 1:
            args[-1] = self.random.choice(BOUNDED_TIMEOUTS)
        return args
