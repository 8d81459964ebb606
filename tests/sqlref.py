"""PostgreSQL as the reference for MemFlux's SQL: a throw-away cluster, the
corpus in tests/sql/*.sql, and each statement's result as PostgreSQL gives it,
in the form MemFlux replies in (SPEC.md section 5), so the two can be compared.

    python3 tests/sqlref.py --check-corpus   # the corpus and generator against PostgreSQL alone

The cluster: initdb into a temporary directory (as the `postgres` user when
run as root, since PostgreSQL refuses root), listening on 127.0.0.1 on a free
port with its unix socket in that directory, fsync off, stopped by the
postmaster's PID. Collation C (byte order, as MemFlux compares text), ctype
C.UTF-8 (UPPER/LOWER of non-ASCII letters), time zone UTC, English messages.

Results (`Result`):
- A query's rows come from `SELECT row_to_json(q)::text FROM (<query>) q`
  (q spelled `sqlref_row`): the select-list order and PostgreSQL's JSON
  rendering of every value, which is the rendering MemFlux promises. DML with
  RETURNING is wrapped as `WITH q AS (<dml>) SELECT row_to_json(q)::text FROM q`.
  Both are first PREPAREd unwrapped, so parse and analysis errors carry the
  statement's own message (wrapping would turn `at end of input` into
  `at or near ")"`).
- INSERT/UPDATE/DELETE without RETURNING give their row count, other commands
  OK, failures PostgreSQL's message (the first line of the error, without
  `ERROR:  `).

Corpus files (tests/sql/*.sql): a data set (CREATE TABLE and INSERTs), then a
line `-- queries`, then the statements compared, each ending with `;`. A
comment line `-- error` before a statement says it must fail on both systems.
Each file runs in a fresh schema (PostgreSQL) or a flushed keyspace
(MemFlux), statement by statement, in file order on one connection each.
"""
import argparse
import dataclasses
import decimal
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from conftest import free_port

try:
    import psycopg2
except ImportError:  # reported when a cluster is wanted, so a missing module fails the test instead of skipping it
    psycopg2 = None

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")
ENABLED = os.path.join(CORPUS, "ENABLED")
STATEMENT_TIMEOUT = "20s"
# The wrapped query's alias: row_to_json(q) would take a column named q instead of the row.
ROW = "sqlref_row"


# ---------------------------------------------------------------- lexing

@dataclasses.dataclass(frozen=True)
class Token:
    kind: str   # "word" (lowercased), "ident" (quoted), "number", "string", "param", "op"
    text: str
    depth: int  # parentheses around it
    start: int
    end: int


WORD = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z_0-9$\u0080-\uffff]*")
NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
DOLLAR_QUOTE = re.compile(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$")
PARAMETER = re.compile(r"\$\d+")


class CorpusError(Exception):
    pass


def _skip_comment(sql, i):
    """Index after the comment starting at i, or i when none starts there."""
    if sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end < 0 else end + 1
    if sql.startswith("/*", i):
        nesting, j = 0, i
        while j < len(sql):
            if sql.startswith("/*", j):
                nesting, j = nesting + 1, j + 2
            elif sql.startswith("*/", j):
                nesting, j = nesting - 1, j + 2
                if nesting == 0:
                    return j
            else:
                j += 1
        raise CorpusError("unterminated /* comment")
    return i


def _end_of_quoted(sql, i, quote, backslashes=False):
    j = i + 1
    while j < len(sql):
        if backslashes and sql[j] == "\\":
            j += 2
        elif sql[j] == quote:
            if sql.startswith(quote * 2, j):
                j += 2
            else:
                return j + 1
        else:
            j += 1
    raise CorpusError(f"unterminated {quote} at offset {i}")


def tokens(sql):
    """SQL's tokens with their parenthesis depth; comments are skipped and a
    string literal is one token, so `;`, `(` and keywords inside them don't count."""
    out, depth, i = [], 0, 0
    while i < len(sql):
        c = sql[i]
        if c.isspace():
            i += 1
            continue
        after_comment = _skip_comment(sql, i)
        if after_comment != i:
            i = after_comment
            continue
        if c == "'":
            j = _end_of_quoted(sql, i, "'")
            out.append(Token("string", sql[i:j], depth, i, j))
        elif c == '"':
            j = _end_of_quoted(sql, i, '"')
            out.append(Token("ident", sql[i + 1:j - 1].replace('""', '"'), depth, i, j))
        elif c == "$" and DOLLAR_QUOTE.match(sql, i):
            tag = DOLLAR_QUOTE.match(sql, i).group(0)
            close = sql.find(tag, i + len(tag))
            if close < 0:
                raise CorpusError(f"unterminated {tag} string at offset {i}")
            j = close + len(tag)
            out.append(Token("string", sql[i:j], depth, i, j))
        elif c == "$" and PARAMETER.match(sql, i):
            j = PARAMETER.match(sql, i).end()
            out.append(Token("param", sql[i:j], depth, i, j))
        elif c.isdigit() or (c == "." and i + 1 < len(sql) and sql[i + 1].isdigit()):
            j = NUMBER.match(sql, i).end()
            out.append(Token("number", sql[i:j], depth, i, j))
        elif WORD.match(sql, i):
            j = WORD.match(sql, i).end()
            word = sql[i:j]
            if word.lower() in ("e", "b", "x", "u&") and sql.startswith("'", j):
                # E'...' takes backslash escapes; B'', X'' are plain strings.
                end = _end_of_quoted(sql, j, "'", backslashes=word.lower() == "e")
                out.append(Token("string", sql[i:end], depth, i, end))
                j = end
            else:
                out.append(Token("word", word.lower(), depth, i, j))
        elif c == "(":
            j = i + 1
            out.append(Token("op", c, depth, i, j))
            depth += 1
        elif c == ")":
            j = i + 1
            depth -= 1
            out.append(Token("op", c, depth, i, j))
        else:
            j = i + 1
            out.append(Token("op", c, depth, i, j))
        i = j
    return out


# ---------------------------------------------------------------- the corpus

@dataclasses.dataclass(frozen=True)
class Statement:
    text: str
    file: str = "<generated>"
    line: int = 0
    expect_error: bool = False

    @property
    def where(self):
        return f"{self.file}:{self.line}"


@dataclasses.dataclass
class CorpusFile:
    name: str
    setup: list
    queries: list
    # Every table the file creates or renames to: MemFlux drops them before the file runs.
    tables: list

    @property
    def statements(self):
        return self.setup + self.queries


def split_statements(sql, file="<string>"):
    """(Statement, directives) for each `;`-terminated statement; directives are
    the `-- word` comment lines between the previous statement and this one."""
    result, current, previous_end = [], [], 0

    def finish(end):
        start = current[0].start
        directives = [line.strip()[2:].strip() for line in sql[previous_end:start].splitlines()
                      if line.strip().startswith("--")]
        statement = Statement(sql[start:end].strip(), file, sql.count("\n", 0, start) + 1,
                              expect_error="error" in directives)
        result.append((statement, directives))

    for token in tokens(sql):
        if token.kind == "op" and token.text == ";":
            if current:
                finish(token.start)
            current, previous_end = [], token.end
        else:
            current.append(token)
    if current:
        finish(len(sql))
    return result


def created_tables(statement):
    words = [t for t in tokens(statement.text) if t.kind in ("word", "ident")]
    names = []
    for i, t in enumerate(words):
        if t.text == "create" and i + 2 < len(words) and words[i + 1].text == "table":
            j = i + 2
            if [w.text for w in words[j:j + 3]] == ["if", "not", "exists"]:
                j += 3
            if j < len(words):
                names.append(words[j].text)
        if t.text == "rename" and i + 2 < len(words) and words[i + 1].text == "to" and words[0].text == "alter":
            names.append(words[i + 2].text)
    return names


def load_corpus_file(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        text = f.read()
    setup, queries, in_queries = [], [], False
    for statement, directives in split_statements(text, name):
        if "queries" in directives:
            in_queries = True
        (queries if in_queries else setup).append(statement)
    if not in_queries:
        raise CorpusError(f"{name}: no `-- queries` line between the data set and the queries")
    tables = []
    for statement in setup + queries:
        tables += [t for t in created_tables(statement) if t not in tables]
    return CorpusFile(name, setup, queries, tables)


def corpus_names():
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(CORPUS, "*.sql")))


def enabled_names():
    """tests/sql/ENABLED: the files the differential test runs, one a line, # comments."""
    with open(ENABLED, encoding="utf-8") as f:
        names = [line.split("#", 1)[0].strip() for line in f]
    names = [n for n in names if n]
    missing = [n for n in names if not os.path.exists(os.path.join(CORPUS, n))]
    if missing:
        raise CorpusError(f"tests/sql/ENABLED names files that do not exist: {missing}")
    return names


# ---------------------------------------------------------------- statement shape

def statement_kind(sql):
    """"query" (rows), "returning" (DML with rows) or "command" (a count or OK)."""
    toks = tokens(sql)
    if not toks:
        return "command"
    top = [t.text for t in toks if t.depth == 0 and t.kind == "word"]
    dml = any(w in ("insert", "update", "delete") for w in top)
    first = toks[0].text
    if first in ("insert", "update", "delete") or (first == "with" and dml):
        return "returning" if "returning" in top else "command"
    if first in ("select", "with", "values", "table", "("):
        return "query"
    return "command"


def outer_clauses(sql):
    """The outermost ORDER BY as a list of items (each a token list), or None;
    and whether LIMIT/OFFSET/FETCH applies to the whole result."""
    toks = tokens(sql)
    order_at = None
    for i, t in enumerate(toks[:-1]):
        if t.depth == 0 and t.text == "order" and toks[i + 1].text == "by" and t.kind == "word":
            order_at = i + 2
    limited = any(t.depth == 0 and t.kind == "word" and t.text in ("limit", "offset", "fetch") for t in toks)
    if order_at is None:
        return None, limited
    items, item = [], []
    for t in toks[order_at:]:
        if t.depth == 0 and t.kind == "word" and t.text in ("limit", "offset", "fetch", "for"):
            break
        if t.depth == 0 and t.text == ",":
            items.append(item)
            item = []
        else:
            item.append(t)
    items.append(item)
    return items, limited


def order_key_columns(items, column_names):
    """Positions in the row of the ORDER BY items, when each is an output column
    (a position number or the bare name of exactly one output column); else None."""
    positions = []
    for item in items:
        words = [t.text if t.kind == "word" else None for t in item]
        if len(words) >= 2 and words[-2] == "nulls" and words[-1] in ("first", "last"):
            item, words = item[:-2], words[:-2]
        if words and words[-1] in ("asc", "desc"):
            item = item[:-1]
        if len(item) != 1:
            return None
        t = item[0]
        if t.kind == "number" and t.text.isdigit() and 1 <= int(t.text) <= len(column_names):
            positions.append(int(t.text) - 1)
        elif t.kind in ("word", "ident") and column_names.count(t.text) == 1:
            positions.append(column_names.index(t.text))
        else:
            return None
    return positions


def sums_floats(sql):
    """SUM/AVG over doubles may differ in the last bits with summation order."""
    return any(t.kind == "word" and t.text in ("sum", "avg") for t in tokens(sql))


# ---------------------------------------------------------------- results

class Number:
    """A JSON number kept as its text: 1.50 and 1.5 are different answers."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def parse_json(text):
    return json.loads(text, object_pairs_hook=JSONObject, parse_int=Number, parse_float=Number,
                      parse_constant=Number)


class JSONObject(list):
    """An object as its (key, value) pairs, in order, duplicates kept (row_to_json keeps them)."""


def canonical(value):
    """Compact JSON text; numbers as written, keys in order, strings re-escaped
    alike (so jsonb's `{"a": 1}` and a compact `{"a":1}` are the same answer)."""
    if isinstance(value, JSONObject):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, Number):
        return value.text
    return json.dumps(value, ensure_ascii=False)


def sort_key_value(value):
    """Equality as ORDER BY sees it: 1.0 ties with 1.00, -0 with 0."""
    if isinstance(value, Number):
        try:
            number = decimal.Decimal(value.text)
        except decimal.InvalidOperation:
            return ("number", value.text)
        return ("nan",) if number.is_nan() else ("number", number)
    return ("json", canonical(value))


@dataclasses.dataclass
class Row:
    text: str     # canonical JSON; the raw reply when it is not a JSON object
    fields: list  # [(column, value)], empty when not a JSON object

    @classmethod
    def from_json(cls, text):
        try:
            value = parse_json(text)
        except ValueError:
            return cls(f"<not JSON> {text}", [])
        if not isinstance(value, JSONObject):
            return cls(f"<not an object> {text}", [])
        return cls(canonical(value), list(value))


@dataclasses.dataclass
class Result:
    kind: str              # "rows", "count", "ok", "error", or "reply" (anything else MemFlux sent)
    rows: list = dataclasses.field(default_factory=list)
    value: object = None   # the count, the error message or the reply
    # Set on PostgreSQL's rows: the row positions of the outermost ORDER BY
    # keys (None: unresolved, compared in exact order), or no ORDER BY at all.
    ordered: bool = False
    order_keys: list = None
    # Row positions of double precision/real columns when the query sums floats.
    float_columns: frozenset = frozenset()

    def describe(self, limit=12):
        if self.kind == "rows":
            shown = [r.text for r in self.rows[:limit]]
            more = f" ... ({len(self.rows)} rows)" if len(self.rows) > limit else ""
            return f"{len(self.rows)} rows: [" + ", ".join(shown) + "]" + more
        if self.kind == "error":
            return f"error: {self.value}"
        if self.kind == "count":
            return f"count {self.value}"
        return "OK" if self.kind == "ok" else f"reply {self.value!r}"


def tie_groups(result):
    """PostgreSQL's rows as consecutive groups another engine may order freely
    within: one group without ORDER BY, runs of equal keys when the keys are
    output columns, single rows when they are not (the corpus keeps those total)."""
    rows = result.rows
    if not result.ordered:
        return [rows] if rows else []
    if result.order_keys is None:
        return [[r] for r in rows]
    groups, previous = [], None
    for row in rows:
        key = [sort_key_value(row.fields[i][1]) for i in result.order_keys]
        if groups and key == previous:
            groups[-1].append(row)
        else:
            groups.append([row])
        previous = key
    return groups


# ---------------------------------------------------------------- PostgreSQL

def postgres_bindir():
    """$MEMFLUX_PG_BIN, else PostgreSQL 15 (the reference), else the newest installed."""
    configured = os.environ.get("MEMFLUX_PG_BIN")
    if configured:
        if not os.path.exists(os.path.join(configured, "initdb")):
            raise RuntimeError(f"MEMFLUX_PG_BIN={configured} has no initdb")
        return configured
    preferred = "/usr/lib/postgresql/15/bin"
    if os.path.exists(os.path.join(preferred, "initdb")):
        return preferred
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (test.sh installs it: apt-get install postgresql)")
    return os.path.dirname(found[-1])


class PostgresCluster:
    def __init__(self):
        if psycopg2 is None:
            raise RuntimeError("psycopg2 is not installed (test.sh installs it: pip install psycopg2-binary)")
        bindir = postgres_bindir()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.dir = tempfile.mkdtemp(prefix="memflux-pg-")
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.process = None
        initdb = subprocess.run(
            self.as_postgres + [os.path.join(bindir, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust",
                                "-E", "UTF8", "--locale=C", "--lc-ctype=C.UTF-8", "--no-sync"],
            capture_output=True, text=True)
        if initdb.returncode != 0:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {initdb.stdout}{initdb.stderr}")
        self.log = open(os.path.join(self.dir, "postgres.log"), "w+")
        settings = {"listen_addresses": "127.0.0.1", "unix_socket_directories": self.dir, "fsync": "off",
                    "synchronous_commit": "off", "full_page_writes": "off", "shared_buffers": "32MB",
                    "max_connections": "20", "timezone": "UTC", "datestyle": "ISO, MDY",
                    "lc_messages": "C", "statement_timeout": STATEMENT_TIMEOUT}
        args = [os.path.join(bindir, "postgres"), "-D", self.data, "-p", str(self.port)]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        self.process = subprocess.Popen(self.as_postgres + args, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise

    def connect(self, schema="public"):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                options=f"-c search_path={schema}")
        conn.autocommit = True  # the corpus's own BEGIN/COMMIT are the transactions
        return conn

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"postgres exited with {self.process.returncode}: {self.log.read()}")
            try:
                self.connect().close()
                return
            except psycopg2.OperationalError:
                if time.time() > deadline:
                    raise RuntimeError("postgres did not accept connections")
                time.sleep(0.05)

    def postmaster_pid(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def stop(self):
        """Fast shutdown (SIGINT) of the postmaster by its PID; immediate (SIGQUIT) if it lingers."""
        if self.process is not None and self.process.poll() is None:
            pid = self.postmaster_pid()
            for sig in (signal.SIGINT, signal.SIGQUIT):
                if pid is not None:
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass
                try:
                    self.process.wait(timeout=20)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.process is not None:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def schema_for(name):
    return "sqlref_" + re.sub(r"[^a-z0-9_]", "_", name.lower().removesuffix(".sql"))


class PostgresSession:
    """One connection in a fresh schema; `run` gives a statement's Result."""

    def __init__(self, cluster, schema):
        admin = cluster.connect()
        try:
            admin.cursor().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        finally:
            admin.close()
        self.conn = cluster.connect(schema)
        self.cursor = self.conn.cursor()

    def close(self):
        self.conn.close()

    def run(self, statement):
        sql = statement.text
        kind = statement_kind(sql)
        try:
            if kind == "command":
                self.cursor.execute(sql)
                status = (self.cursor.statusmessage or "").split()
                if status and status[0] in ("INSERT", "UPDATE", "DELETE"):
                    return Result("count", value=int(status[-1]))
                return Result("ok")
            # Parse and analysis errors from the statement as written; then the rows.
            self.cursor.execute(f"PREPARE sqlref_statement AS\n{sql}")
            self.cursor.execute("DEALLOCATE sqlref_statement")
            if kind == "query":
                self.cursor.execute(f"SELECT row_to_json({ROW})::text FROM (\n{sql}\n) {ROW}")
            else:
                self.cursor.execute(f"WITH {ROW} AS (\n{sql}\n) SELECT row_to_json({ROW})::text FROM {ROW}")
            rows = [Row.from_json(text) for (text,) in self.cursor.fetchall()]
        except psycopg2.Error as e:
            if e.pgerror is None:
                raise
            return Result("error", value=e.pgerror.split("\n", 1)[0].removeprefix("ERROR:  "))
        result = Result("rows", rows)
        if kind == "query":
            items, _ = outer_clauses(sql)
            if items is not None:
                result.ordered = True
                names = [name for name, _ in rows[0].fields] if rows else []
                result.order_keys = order_key_columns(items, names) if rows else None
            if sums_floats(sql):
                result.float_columns = self.float_columns(sql)
        return result

    def float_columns(self, sql):
        """Positions of the query's double precision/real columns (LIMIT 0: no rows computed)."""
        self.cursor.execute(f"SELECT * FROM (\n{sql}\n) q LIMIT 0")
        return frozenset(i for i, column in enumerate(self.cursor.description) if column.type_code in (700, 701))

    def columns(self):
        """{table: [(column, data_type)]} of this schema, for the generator."""
        self.cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
        tables = {}
        for table, column, data_type in self.cursor.fetchall():
            tables.setdefault(table, []).append((column, data_type))
        return tables

    def primary_keys(self):
        """{table: [columns]} of the tables with a primary key."""
        self.cursor.execute(
            "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name) "
            "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() "
            "ORDER BY tc.table_name, kcu.ordinal_position")
        keys = {}
        for table, column in self.cursor.fetchall():
            keys.setdefault(table, []).append(column)
        return keys


# ---------------------------------------------------------------- --check-corpus

def check_statement(statement, result, in_setup):
    """Why the corpus is wrong about this statement on PostgreSQL, or None."""
    if result.kind == "error" and not statement.expect_error:
        return f"fails on PostgreSQL: {result.value}"
    if result.kind != "error" and statement.expect_error:
        return f"marked `-- error` but PostgreSQL answers {result.describe(4)}"
    if in_setup and result.kind == "rows":
        return "a query in the data set (put it after `-- queries`)"
    if result.kind == "rows" and statement_kind(statement.text) == "query":
        items, limited = outer_clauses(statement.text)
        if limited and items is None:
            return "LIMIT/OFFSET without ORDER BY: which rows come back is up to the engine"
        if limited and result.order_keys is not None:
            # Identical rows may tie: either of them is the same answer.
            if any(len({row.text for row in group}) > 1 for group in tie_groups(result)):
                return "rows tie on the ORDER BY keys under LIMIT/OFFSET: which rows come back is up to the engine"
    return None


def check_file(cluster, corpus_file):
    """What is wrong on PostgreSQL with one corpus file, one line per statement."""
    session = PostgresSession(cluster, schema_for(corpus_file.name))
    problems = []
    try:
        for statement in corpus_file.statements:
            problem = check_statement(statement, session.run(statement), statement in corpus_file.setup)
            if problem:
                problems.append(f"{statement.where}: {problem}\n    {statement.text}")
    finally:
        session.close()
    return problems


def check_corpus():
    import sqlgen  # here: sqlgen imports this module

    cluster = PostgresCluster()
    problems, total = [], 0
    try:
        for name in corpus_names():
            corpus_file = load_corpus_file(name)
            file_problems = check_file(cluster, corpus_file)
            problems += file_problems
            errors = sum(s.expect_error for s in corpus_file.queries)
            total += len(corpus_file.queries)
            print(f"{name:28} {len(corpus_file.queries):4} queries ({errors} must fail), "
                  f"{len(corpus_file.setup)} setup statements"
                  + (f", {len(file_problems)} PROBLEMS" if file_problems else ""))
        print(f"{'corpus':28} {total:4} queries")
        generated, discarded = sqlgen.check(cluster)
        print(f"{'generated':28} {generated:4} queries (seed {sqlgen.seed()}; "
              f"candidates PostgreSQL rejected and the generator discarded: {discarded})")
        if generated < sqlgen.MINIMUM_QUERIES:
            problems.append(f"the generator made {generated} queries, fewer than {sqlgen.MINIMUM_QUERIES}")
        enabled_names()
    finally:
        cluster.stop()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-corpus", action="store_true",
                        help="run the corpus and the generator against PostgreSQL alone")
    args = parser.parse_args()
    if not args.check_corpus:
        parser.print_help()
        return 2
    try:
        return check_corpus()
    except (RuntimeError, CorpusError) as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    # As the module sqlgen imports, not a second copy named __main__.
    import sqlref
    sys.exit(sqlref.main())
