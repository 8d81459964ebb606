"""The memflux Python package (libs/python): PEP 249 in full, over libmemflux.

Every test runs twice, through the compiled accelerator (memflux._native, as
`pip install ./libs/python` builds it; test.sh installs it) and through plain
ctypes (MEMFLUX_DRIVER=ctypes). The library is $MEMFLUX_LIB, else the newest
.build/{release,debug}/libmemflux.so.
"""
import os
import pathlib
import subprocess
import sys
import textwrap
import threading

import pytest

from conftest import build_product

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIB = build_product("libmemflux.so", "MEMFLUX_LIB")


@pytest.fixture(params=["native", "ctypes"])
def memflux(request, monkeypatch):
    import memflux as package

    if request.param == "native":
        assert package.native, "memflux._native is not built: run `python3 -m pip install ./libs/python`"
        monkeypatch.delenv("MEMFLUX_DRIVER", raising=False)
    else:
        monkeypatch.setenv("MEMFLUX_DRIVER", "ctypes")
    return package


@pytest.fixture
def conn(memflux):
    connection = memflux.connect(lib=LIB)
    yield connection
    connection.close()


@pytest.fixture
def cur(conn):
    return conn.cursor()


def products(cur):
    cur.execute("CREATE TABLE products (id INT PRIMARY KEY, name TEXT, price REAL)")
    cur.executemany(
        "INSERT INTO products VALUES (?, ?, ?)", [(1, "Laptop", 1200.5), (2, "Mouse", 25.0), (3, "Desk", 300.0)]
    )


# Module interface


def test_module_globals_and_exception_hierarchy(memflux):
    assert (memflux.apilevel, memflux.threadsafety, memflux.paramstyle) == ("2.0", 2, "qmark")
    assert memflux.MemfluxError is memflux.Error
    assert issubclass(memflux.Warning, Exception) and issubclass(memflux.Error, Exception)
    assert issubclass(memflux.InterfaceError, memflux.Error)
    assert issubclass(memflux.DatabaseError, memflux.Error)
    for name in ["DataError", "OperationalError", "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]:
        assert issubclass(getattr(memflux, name), memflux.DatabaseError)
    conn = memflux.connect(lib=LIB)
    for name in ["Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
                 "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]:
        assert getattr(conn, name) is getattr(memflux, name)
    conn.close()


def test_the_driver_in_use_is_the_one_asked_for(memflux, conn):
    native = os.environ.get("MEMFLUX_DRIVER") != "ctypes"
    assert type(conn._driver).__name__ == ("NativeDriver" if native else "Driver")


def test_a_missing_library_is_an_interface_error(memflux, tmp_path):
    with pytest.raises(memflux.InterfaceError, match="cannot load"):
        memflux.connect(lib=str(tmp_path / "libmissing.so"))


def test_a_bad_configuration_is_an_operational_error(memflux):
    with pytest.raises(memflux.OperationalError, match="unknown key 'colour'"):
        memflux.connect(config={"colour": "blue"}, lib=LIB)
    with pytest.raises(memflux.OperationalError, match="network"):
        memflux.connect(config={"port": 8360}, lib=LIB)


# Cursor: execute, fetch, description, rowcount


def test_execute_and_fetch_methods(cur):
    products(cur)
    assert cur.rowcount == 3 and cur.description is None
    cur.execute("SELECT id, name, price FROM products ORDER BY id")
    assert cur.description == (
        ("id", "integer", None, None, None, None, None),
        ("name", "text", None, None, None, None, None),
        ("price", "real", None, None, None, None, None),
    )
    assert cur.rowcount == 3
    assert cur.fetchone() == (1, "Laptop", 1200.5)
    assert cur.arraysize == 1
    assert [tuple(r) for r in cur.fetchmany()] == [(2, "Mouse", 25.0)]
    assert cur.fetchmany(5) == [(3, "Desk", 300.0)]
    assert cur.fetchone() is None and cur.fetchall() == [] and cur.fetchmany(2) == []
    cur.execute("SELECT id FROM products ORDER BY id")
    cur.arraysize = 2
    assert [r[0] for r in cur.fetchmany()] == [1, 2]
    assert [r[0] for r in cur.fetchall()] == [3]
    cur.execute("SELECT id FROM products ORDER BY id")
    assert [row["id"] for row in cur] == [1, 2, 3]
    assert cur.execute("SELECT 1") is cur  # execute returns the cursor, so calls chain
    assert cur.lastrowid is None


def test_rowcount_of_each_kind_of_statement(cur):
    products(cur)
    cur.execute("UPDATE products SET price = price * 2 WHERE price < ?", (500,))
    assert cur.rowcount == 2 and cur.description is None
    cur.execute("DELETE FROM products WHERE id = ?", (3,))
    assert cur.rowcount == 1
    cur.execute("CREATE TABLE other (x INT)")
    assert cur.rowcount == -1
    cur.execute("SELECT * FROM products WHERE id > 100")
    assert cur.rowcount == 0 and cur.fetchall() == [] and len(cur.description) == 3


def test_fetching_without_a_result_is_a_programming_error(memflux, cur):
    with pytest.raises(memflux.ProgrammingError, match="no results"):
        cur.fetchone()
    cur.execute("CREATE TABLE t (x INT)")
    with pytest.raises(memflux.ProgrammingError):
        cur.fetchall()


def test_executemany_is_one_transaction(memflux, cur):
    products(cur)
    with pytest.raises(memflux.IntegrityError, match='duplicate key value violates unique constraint "products_pkey"'):
        cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [(10, "a", 1.0), (1, "again", 2.0)])
    cur.execute("SELECT count(*) FROM products")
    assert cur.fetchone()[0] == 3  # row 10 went with the failing row
    cur.executemany("UPDATE products SET price = ? WHERE id = ?", ((float(i), i) for i in range(1, 5)))
    assert cur.rowcount == 3
    cur.executemany("SET ? ?", [("k1", "v1"), ("k2", "v2")])
    assert cur.rowcount == -1
    cur.execute("MGET k1 k2")
    assert cur.fetchone() == [b"v1", b"v2"]
    cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [])
    assert cur.rowcount == -1
    with pytest.raises(memflux.ProgrammingError, match="as many values"):
        cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [(20, "a", 1.0), (21, "b")])


def test_executemany_inside_an_open_transaction_joins_it(cur):
    products(cur)
    cur.execute("BEGIN")
    cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [(4, "a", 1.0), (5, "b", 2.0)])
    cur.execute("ROLLBACK")
    cur.execute("SELECT count(*) FROM products")
    assert cur.fetchone()[0] == 3


def test_a_failing_executemany_inside_a_transaction_undoes_only_its_own_rows(memflux, cur):
    products(cur)
    cur.execute("BEGIN")
    cur.execute("INSERT INTO products VALUES (4, 'Lamp', 10)")
    with pytest.raises(memflux.IntegrityError):
        cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [(5, "a", 1.0), (6, "b", 2.0), (1, "dup", 3.0)])
    cur.execute("COMMIT")
    cur.execute("SELECT id FROM products ORDER BY id")
    assert [r[0] for r in cur.fetchall()] == [1, 2, 3, 4]


def test_setinputsizes_and_setoutputsize_are_accepted(cur):
    assert cur.setinputsizes([None, 10]) is None
    assert cur.setoutputsize(100) is None and cur.setoutputsize(100, 0) is None


# Parameters and values


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, -(2**63), 2**63 - 1, 0.1, -1.5e300, float("inf"), "", "naïve ☃", "a?b", b"", b"\x00\xff\x01"],
)
def test_parameters_round_trip(cur, value):
    cur.execute("SELECT ?", (value,))
    got = cur.fetchone()[0]
    assert got == value and type(got) is type(value)


def test_bytearray_and_memoryview_bind_as_bytes(cur):
    cur.execute("SELECT ?, ?", (bytearray(b"ab"), memoryview(b"cd")))
    assert tuple(cur.fetchone()) == (b"ab", b"cd")


def test_parameters_are_bound_never_spliced(cur):
    cur.execute("CREATE TABLE t (name TEXT)")
    hostile = "x'); DROP TABLE t; --"
    cur.execute("INSERT INTO t VALUES (?)", (hostile,))
    cur.execute("SELECT name, '?' AS mark FROM t WHERE name = ?", (hostile,))
    assert cur.fetchall() == [{"name": hostile, "mark": "?"}]


def test_bad_parameters(memflux, cur):
    with pytest.raises(memflux.DataError, match="64 bits"):
        cur.execute("SELECT ?", (2**64,))
    with pytest.raises(memflux.ProgrammingError, match="unsupported type"):
        cur.execute("SELECT ?", (object(),))
    with pytest.raises(memflux.ProgrammingError, match="not a string"):
        cur.execute("SELECT ?", "x")
    with pytest.raises(memflux.ProgrammingError):
        cur.execute("SELECT ?, ?", (1,))


def test_other_python_types_bind_as_their_text(cur):
    import datetime
    import decimal
    import uuid

    cur.execute("SELECT ?::numeric + 1, ?::date, ?::uuid", (decimal.Decimal("1.25"), datetime.date(2024, 2, 29),
                                                          uuid.UUID(int=1)))
    assert tuple(cur.fetchone()) == ("2.25", "2024-02-29", "00000000-0000-0000-0000-000000000001")


# Rows


def test_rows_by_position_and_by_name(memflux, cur):
    products(cur)
    cur.execute("SELECT name, price FROM products WHERE price > ?", (1000,))
    row = cur.fetchone()
    assert repr(row) == "{'name': 'Laptop', 'price': 1200.5}"
    assert (row[0], row[1], row[-1], row["name"], row["price"]) == ("Laptop", 1200.5, 1200.5, "Laptop", 1200.5)
    assert row.get("name") == "Laptop" and row.get("nothing", 7) == 7
    assert row.keys() == ["name", "price"] and row.values() == ["Laptop", 1200.5]
    assert row.items() == [("name", "Laptop"), ("price", 1200.5)]
    assert dict(row) == {"name": "Laptop", "price": 1200.5} and row == {"name": "Laptop", "price": 1200.5}
    name, price = row
    assert (name, price) == ("Laptop", 1200.5) and len(row) == 2 and "name" in row and "id" not in row
    assert row[0:1] == ("Laptop",)
    with pytest.raises(KeyError):
        row["id"]
    with pytest.raises(IndexError):
        row[2]


def test_rows_with_duplicate_column_names(cur):
    cur.execute("SELECT 1 AS a, 2 AS a")
    row = cur.fetchone()
    assert tuple(row) == (1, 2) and row["a"] == 1 and row[1] == 2
    assert repr(row) == "{'a': 1, 'a': 2}"


# Commands through the same cursor


def test_commands_as_text_follow_redis_cli_quoting(cur):
    cur.execute('SET mykey "Hello from Python!"')
    assert cur.fetchone() == "OK"
    cur.execute("GET mykey")
    assert cur.fetchone() == b"Hello from Python!"
    assert cur.description == (("reply", None, None, None, None, None, None),) and cur.rowcount == -1
    cur.execute("SET 'single quoted' \"a\\tb\"")
    cur.execute("GET 'single quoted'")
    assert cur.fetchone() == b"a\tb"


def test_command_replies_as_python_values(cur):
    cur.execute("INCR counter")
    assert cur.fetchone() == 1
    cur.execute("GET missing")
    assert cur.fetchone() is None
    cur.execute("RPUSH list a b c")
    cur.execute("LRANGE list 0 -1")
    assert cur.fetchone() == [b"a", b"b", b"c"]
    cur.execute("HSET h f1 v1 f2 v2")
    cur.execute("HGETALL h")
    assert cur.fetchone() == {b"f1": b"v1", b"f2": b"v2"}
    cur.execute("SADD s x y")
    cur.execute("SMEMBERS s")
    assert cur.fetchone() == {b"x", b"y"}
    cur.execute("PING")
    assert cur.fetchone() == "PONG"
    cur.execute("JSON.SET doc $ ?", ('{"a": [1, 2]}',))
    cur.execute("JSON.GET doc $.a")
    assert cur.fetchone() == b"[[1,2]]"


def test_question_marks_in_commands_bind_parameters_unless_quoted(memflux, cur):
    cur.execute("SET ? ?", ("binary", b"\x00\x01\x02"))
    cur.execute('SET literal "?"')
    cur.execute("MGET binary literal")
    assert cur.fetchone() == [b"\x00\x01\x02", b"?"]
    cur.execute("SET n ?", (42,))
    cur.execute("INCRBY n ?", (True,))
    assert cur.fetchone() == 43
    with pytest.raises(memflux.ProgrammingError, match="2 placeholders but 1 parameters"):
        cur.execute("SET ? ?", ("only one",))


def test_sql_without_the_sql_word_in_any_letter_case(cur):
    cur.execute("create table t (name varchar(20))")
    cur.execute("insert into t values (?)", ("first",))
    cur.execute("InSeRt InTo t VaLuEs (?)", ("second",))
    cur.execute("select name from t order by name")
    assert [r["name"] for r in cur.fetchall()] == ["first", "second"]
    cur.execute("with x as (select count(*) as n from t) select n from x")
    assert cur.fetchone()["n"] == 2
    cur.execute("values (1, 'a')")
    assert tuple(cur.fetchone()) == (1, "a")
    cur.execute("delete from t where name = ?", ("first",))
    assert cur.rowcount == 1
    cur.execute("update t set name = 'third'")
    assert cur.rowcount == 1
    cur.execute("explain select * from t")
    assert cur.description[0][0] == "QUERY PLAN" and cur.rowcount >= 1
    cur.execute("truncate t")
    cur.execute("SQL SELECT count(*) AS n FROM t")
    assert cur.fetchone() == {"n": 0}
    cur.execute("drop table t")
    cur.execute("DEL t")  # DEL is a command, not DELETE
    assert cur.fetchone() == 0


# Errors


def test_each_exception_class_for_its_engine_error(memflux, cur):
    products(cur)
    cases = [
        ("SELECT 1 / 0", memflux.DataError, "22012", "division by zero"),
        ("SELECT 'abc'::int", memflux.DataError, "22P02", "invalid input syntax"),
        ("INSERT INTO products VALUES (1, 'dup', 1)", memflux.IntegrityError, "23505", "duplicate key"),
        ("INSERT INTO products (name) VALUES ('no id')", memflux.IntegrityError, "23502", "not-null"),
        ("SELEC 1", memflux.ProgrammingError, "42601", None),
        ("SELECT * FROM nowhere", memflux.ProgrammingError, "42P01", 'relation "nowhere" does not exist'),
        ("SELECT nothing FROM products", memflux.ProgrammingError, "42703", "does not exist"),
        ("NOSUCHCOMMAND x", memflux.ProgrammingError, "42601", "unknown command"),
        ("GET", memflux.ProgrammingError, "42601", "wrong number of arguments"),
        ("COMMIT", memflux.InternalError, "25P01", "no transaction in progress"),
        ("CREATE VIEW v AS SELECT 1", memflux.NotSupportedError, "0A000", "not supported"),
        ("WATCH", memflux.ProgrammingError, "42601", None),
    ]
    for statement, error_class, sqlstate, fragment in cases:
        with pytest.raises(error_class) as raised:
            cur.execute(statement)
        assert raised.value.sqlstate == sqlstate, statement
        assert raised.value.code in ("ERR", "SYNTAX"), statement
        if fragment:
            assert fragment in raised.value.message, statement
    cur.execute("SET s text")
    with pytest.raises(memflux.ProgrammingError) as raised:
        cur.execute("LPUSH s x")
    assert raised.value.code == "WRONGTYPE" and raised.value.sqlstate == "42809"
    assert str(raised.value) == "WRONGTYPE Operation against a key holding the wrong kind of value"


def test_a_serialization_conflict_is_an_operational_error(memflux, conn):
    a, b = conn.cursor(), conn.cursor()
    a.execute("SET counter 1")
    a.execute("BEGIN")
    b.execute("BEGIN")
    a.execute("GET counter")
    b.execute("GET counter")
    a.execute("SET counter 2")
    b.execute("SET counter 3")
    a.execute("COMMIT")
    with pytest.raises(memflux.OperationalError) as raised:
        b.execute("COMMIT")
    assert raised.value.code == "SERIALIZATION" and raised.value.sqlstate == "40001"


def test_an_error_without_a_finer_class_is_a_database_error(memflux, cur):
    cur.execute("MULTI")
    with pytest.raises(memflux.DatabaseError) as raised:
        cur.execute("WATCH k")
    assert type(raised.value) is memflux.DatabaseError and raised.value.sqlstate == "HY000"
    cur.execute("DISCARD")


def test_an_error_changes_nothing(cur):
    products(cur)
    cur.execute("BEGIN")
    cur.execute("INSERT INTO products VALUES (4, 'Lamp', 10)")
    with pytest.raises(Exception):
        cur.execute("INSERT INTO products VALUES (4, 'Lamp again', 10)")
    cur.execute("COMMIT")
    cur.execute("SELECT name FROM products WHERE id = 4")
    assert cur.fetchall() == [{"name": "Lamp"}]


# Transactions


def test_auto_commit_by_default_and_explicit_transactions(conn):
    a, b = conn.cursor(), conn.cursor()
    products(a)
    b.execute("SELECT count(*) FROM products")
    assert b.fetchone()[0] == 3  # auto-commit: visible at once
    a.execute("BEGIN")
    a.execute("INSERT INTO products VALUES (4, 'Lamp', 10)")
    b.execute("SELECT count(*) FROM products")
    assert b.fetchone()[0] == 3
    a.execute("COMMIT")
    b.execute("SELECT count(*) FROM products")
    assert b.fetchone()[0] == 4
    a.execute("BEGIN")
    a.execute("DELETE FROM products")
    a.execute("ROLLBACK")
    b.execute("SELECT count(*) FROM products")
    assert b.fetchone()[0] == 4


def test_connection_commit_and_rollback_end_every_cursors_transaction(conn):
    a, b, reader = conn.cursor(), conn.cursor(), conn.cursor()
    a.execute("BEGIN")
    a.execute("SET from_a 1")
    b.execute("BEGIN")
    b.execute("SET from_b 1")
    conn.commit()
    reader.execute("EXISTS from_a from_b")
    assert reader.fetchone() == 2
    a.execute("BEGIN")
    a.execute("DEL from_a")
    b.execute("BEGIN")
    b.execute("DEL from_b")
    conn.rollback()
    reader.execute("EXISTS from_a from_b")
    assert reader.fetchone() == 2
    conn.commit()  # nothing open: nothing to do
    conn.rollback()


def test_context_managers(memflux, tmp_path):
    with memflux.connect(path=tmp_path, lib=LIB) as conn:
        with conn.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute("SET kept yes")
        assert cur._session is None
        other = conn.cursor()
        other.execute("BEGIN")
        other.execute("SET committed_on_exit yes")
    assert conn.closed
    with pytest.raises(ZeroDivisionError):
        with memflux.connect(path=tmp_path, lib=LIB) as conn:
            cur = conn.cursor()
            cur.execute("BEGIN")
            cur.execute("SET rolled_back yes")
            1 / 0
    with memflux.connect(path=tmp_path, lib=LIB) as conn:
        cur = conn.execute("MGET kept committed_on_exit rolled_back")
        # A cursor closed inside a transaction rolls it back; the connection commits on a clean exit.
        assert cur.fetchone() == [None, b"yes", None]


def test_two_cursors_on_two_threads(conn):
    setup = conn.cursor()
    setup.execute("CREATE TABLE hits (id INT PRIMARY KEY, thread INT)")
    errors = []

    def work(thread):
        try:
            cur = conn.cursor()
            for i in range(500):
                cur.execute("INSERT INTO hits VALUES (?, ?)", (thread * 1000 + i, thread))
                cur.execute("INCR total")
                cur.execute("SELECT count(*) FROM hits WHERE thread = ?", (thread,))
                assert cur.fetchone()[0] == i + 1
            cur.close()
        except Exception as error:  # reported below, with the thread's traceback lost but its message kept
            errors.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    setup.execute("SELECT thread, count(*) AS n FROM hits GROUP BY thread ORDER BY thread")
    assert setup.fetchall() == [{"thread": 0, "n": 500}, {"thread": 1, "n": 500}]
    setup.execute("GET total")
    assert setup.fetchone() == b"1000"


# Closing and reopening


def test_closed_cursor_and_connection_errors(memflux, conn):
    cur = conn.cursor()
    cur.execute("SELECT 1")
    cur.close()
    cur.close()
    for call in [lambda: cur.execute("PING"), lambda: cur.executemany("SET ? ?", [("a", "b")]), cur.fetchone,
                 cur.fetchall, cur.fetchmany]:
        with pytest.raises(memflux.InterfaceError, match="closed"):
            call()
    live = conn.cursor()
    conn.close()
    conn.close()
    assert conn.closed
    with pytest.raises(memflux.InterfaceError, match="closed"):
        live.execute("PING")
    with pytest.raises(memflux.InterfaceError, match="closed"):
        conn.cursor()
    with pytest.raises(memflux.InterfaceError, match="closed"):
        conn.commit()
    with pytest.raises(memflux.InterfaceError, match="closed"):
        conn.rollback()


def test_a_database_reopened_from_its_files(memflux, tmp_path):
    conn = memflux.connect(path=tmp_path, config={"durability": "full"}, lib=LIB)
    cur = conn.cursor()
    products(cur)
    cur.execute("SET greeting hello")
    with pytest.raises(memflux.OperationalError, match="lock|in use|another"):
        memflux.connect(path=tmp_path, lib=LIB)  # the directory belongs to the open database
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))[:1] == ["memflux.snapshot"]
    conn = memflux.connect(path=tmp_path, lib=LIB)
    cur = conn.cursor()
    cur.execute("SELECT name FROM products ORDER BY id")
    assert [r[0] for r in cur.fetchall()] == ["Laptop", "Mouse", "Desk"]
    cur.execute("GET greeting")
    assert cur.fetchone() == b"hello"
    conn.close()


def test_documented_usage_runs_verbatim_from_the_repo_root(tmp_path):
    """MemFlux's README example, with `import libs.python.memflux as memflux`, in a fresh interpreter."""
    script = textwrap.dedent(f"""
        import libs.python.memflux as memflux

        LIB_PATH = {LIB!r}
        DB_CONFIG = {{
            "persistence": True,
            "durability": "fsync",
            "wal_file": {str(tmp_path / "memflux.wal")!r},
            "wal_overflow_file": {str(tmp_path / "memflux.wal.overflow")!r},
            "snapshot_file": {str(tmp_path / "memflux.snapshot")!r},
            "snapshot_temp_file": {str(tmp_path / "memflux.snapshot.tmp")!r},
            "wal_size_threshold_mb": 128,
            "maxmemory_mb": 1024,
            "eviction_policy": "lru",
            "isolation_level": "serializable",
            "dir": {str(tmp_path)!r},
        }}

        conn = memflux.connect(config=DB_CONFIG, lib=LIB_PATH)
        cur = conn.cursor()
        cur.execute("SQL CREATE TABLE products (id INT, name TEXT, price REAL)")
        cur.execute("SQL INSERT INTO products VALUES (?, ?, ?)", (1, 'Laptop', 1200.50))
        cur.execute("SQL SELECT name, price FROM products WHERE price > ?", (1000,))
        print(cur.fetchone())
        cur.execute('SET mykey "Hello from Python!"')
        cur.execute("GET mykey")
        print(cur.fetchone())
        try:
            cur.execute("SQL SELECT * FROM missing")
        except memflux.MemfluxError as e:
            print(type(e).__name__)
        conn.close()
    """)
    environment = {k: v for k, v in os.environ.items() if k != "MEMFLUX_DRIVER"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=environment,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "{'name': 'Laptop', 'price': 1200.5}\nb'Hello from Python!'\nProgrammingError\n"


def test_the_python_example_prints_what_it_should():
    environment = dict(os.environ, MEMFLUX_LIB=LIB)
    environment.pop("MEMFLUX_DRIVER", None)
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "example.py")], capture_output=True,
                          text=True, env=environment, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == textwrap.dedent("""\
        b'hello world'
        {b'name': b'Ada', b'visits': b'3'}
        3 rows inserted
        ['name', 'price']
        {'name': 'Desk', 'price': 300.0} Desk 300.0
        {'name': 'Laptop', 'price': 1200.5} Laptop 1200.5
        IntegrityError 23505 duplicate key value violates unique constraint "products_pkey"
        before commit: 1200.5
        after commit: 1080.45
        visits: b'2003'
        """)


def test_real_columns_read_as_their_decimal_text(cur):
    cur.execute("SELECT 1080.45::real AS r, 0.1::real AS tenth, 3::real AS whole, 1e30::real AS big")
    assert tuple(cur.fetchone()) == (1080.45, 0.1, 3.0, 1e30)


def shortest_float4_decimal(value):
    """The double of the shortest decimal that names `value` rounded to float4 (as PostgreSQL prints it)."""
    import struct

    def as_float4(x):
        return struct.unpack("f", struct.pack("f", x))[0]

    single = as_float4(value)
    for digits in range(1, 10):
        candidate = float(f"{single:.{digits}g}")
        if as_float4(candidate) == single:
            return candidate
    return single


def test_real_values_read_as_their_shortest_decimal(cur):
    """The fast path for real (float4) values agrees with the shortest round-trip decimal, across magnitudes."""
    import random

    generator = random.Random(7)
    values = [generator.uniform(-1, 1) * 10 ** generator.randint(-8, 12) for _ in range(400)]
    values += [0.1, 0.5, 1080.45, 3.4028234e38, 1.17549435e-38, 123456.789, 99999999.0, 1e-4, 16777217.0, -518673999.74595]
    for value in values:
        cur.execute("SELECT ?::real AS r", (value,))
        assert cur.fetchone()["r"] == shortest_float4_decimal(value), value
