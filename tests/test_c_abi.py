"""The C ABI (libmemflux.so + memflux.h): examples/c/example.c and
tests/c/abi_test.c compiled with the system C compiler and run, then run
again under valgrind memcheck, as is a Python program using the package:
no definite leak may come from libmemflux or the package's C module.
"""
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

from test_python_dbapi import LIB

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADER_DIR = ROOT / "Sources" / "CMemFlux" / "include"

EXAMPLE_OUTPUT = """\
MemFlux 0.1.0
> SET greeting "hello world"
OK
> GET greeting
"hello world"
> RPUSH queue a b c
(integer) 3
> LRANGE queue 0 -1
["a", "b", "c"]
> create table products (id int primary key, name text, price real)
OK
> INSERT INTO products VALUES (1, 'Laptop', 1200.50), (2, 'Mouse', 25)
(integer) 2
> SELECT name, price FROM products ORDER BY id
(name text="Laptop", price real=(double) 1200.5)
(name text="Mouse", price real=(double) 25)
> SELECT 1 / 0
(error ERR, SQLSTATE 22012) division by zero
> SELECT name FROM products WHERE price > ? AND name <> ? (100.0, 'Mouse')
(name text="Laptop")
OK
(integer) 3
in transaction: 1
(count bigint=(integer) 2)
(count bigint=(integer) 3)
"""


def compile_program(source, output):
    lib_dir = str(pathlib.Path(LIB).parent)
    command = ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-I", str(HEADER_DIR), str(source),
               "-L", lib_dir, "-lmemflux", f"-Wl,-rpath,{lib_dir}", "-o", str(output)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return output


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    out = tmp_path_factory.mktemp("c-abi")
    return {
        "example": compile_program(ROOT / "examples" / "c" / "example.c", out / "example"),
        "abi_test": compile_program(ROOT / "tests" / "c" / "abi_test.c", out / "abi_test"),
    }


def test_the_c_example_prints_what_it_should(programs):
    done = subprocess.run([programs["example"]], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.replace(f"MemFlux {version()}", "MemFlux 0.1.0") == EXAMPLE_OUTPUT


def version():
    return (ROOT / "Sources" / "MemFluxCore" / "Version.swift").read_text().split('current = "')[1].split('"')[0]


def test_every_function_with_null_bad_and_closed_handles(programs, tmp_path):
    (tmp_path / "data").mkdir()
    done = subprocess.run([programs["abi_test"], str(tmp_path / "data")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "all checks passed\n"


def valgrind(command, **kwargs):
    """Runs `command` under memcheck; answers (exit status, the loss records of definite leaks)."""
    log = kwargs.pop("log")
    done = subprocess.run(
        ["valgrind", "--leak-check=full", "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
         "--num-callers=40", f"--log-file={log}"] + command,
        capture_output=True, text=True, timeout=900, **kwargs)
    text = pathlib.Path(log).read_text()
    records = re.split(r"\n==\d+== \n", text)
    definite = [r for r in records if "definitely lost in loss record" in r]
    return done, text, definite


def ours(record):
    """Whether a loss record's stack passes through MemFlux's own code."""
    return "libmemflux" in record or "_native" in record or "MemFlux" in record


@pytest.mark.parametrize("program", ["example", "abi_test"])
def test_c_programs_under_valgrind_have_no_leaks_or_errors(programs, program, tmp_path):
    (tmp_path / "data").mkdir()
    done, text, definite = valgrind([str(programs[program]), str(tmp_path / "data")], log=tmp_path / "memcheck.log")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR SUMMARY: 0 errors" in text, text[-4000:]
    assert definite == [], "\n\n".join(definite)


def test_the_python_package_under_valgrind_leaks_nothing_of_ours(tmp_path):
    script = textwrap.dedent(f"""
        import memflux
        assert memflux.native
        for driver in ("native", "ctypes"):
            import os
            os.environ["MEMFLUX_DRIVER"] = driver
            conn = memflux.connect(path={str(tmp_path)!r} + "/" + driver, lib={LIB!r})
            cur = conn.cursor()
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, price REAL, data BYTEA)")
            cur.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [(i, "n" * i, i / 3, bytes([i])) for i in range(200)])
            cur.execute("SELECT * FROM t WHERE id > ?", (10,))
            assert len(cur.fetchall()) == 189
            cur.execute('SET k "v w"')
            cur.execute("HSET h a 1 b 2")
            cur.execute("HGETALL h")
            for bad in ["SELECT 1/0", "NOSUCH", "SELECT * FROM nowhere"]:
                try:
                    cur.execute(bad)
                except memflux.Error:
                    pass
            other = conn.cursor()
            other.execute("BEGIN")
            other.execute("SET open yes")
            conn.close()
        print("done")
    """)
    environment = dict(os.environ, PYTHONMALLOC="malloc")
    done, text, definite = valgrind([sys.executable, "-c", script], log=tmp_path / "memcheck.log", env=environment)
    assert done.returncode == 0 and done.stdout == "done\n", done.stdout + done.stderr
    mine = [r for r in definite if ours(r)]
    assert mine == [], "\n\n".join(mine)
