"""MemFlux embedded in Python: a DB-API 2.0 (PEP 249) driver over libmemflux.

    import memflux
    conn = memflux.connect()                      # in memory
    cur = conn.cursor()
    cur.execute("CREATE TABLE products (id INT, name TEXT, price REAL)")
    cur.execute("INSERT INTO products VALUES (?, ?, ?)", (1, "Laptop", 1200.50))
    cur.execute("SELECT name, price FROM products WHERE price > ?", (1000,))
    print(cur.fetchone())                         # {'name': 'Laptop', 'price': 1200.5}
    cur.execute('SET greeting "hello"')           # any MemFlux command
    cur.execute("GET greeting"); cur.fetchone()   # b'hello'

Each cursor is its own session, so its own transaction context: auto-commit
by default, `cur.execute("BEGIN")` ... `COMMIT` / `ROLLBACK` for a
transaction; Connection.commit() and rollback() end the open transactions of
the connection's cursors. docs/embedding.md has the whole story.
"""
import json
import os
import threading

from . import _driver, _library
from ._row import Row

apilevel = "2.0"
threadsafety = 2
paramstyle = "qmark"


class Warning(Exception):  # noqa: A001 (PEP 249's name)
    """PEP 249's Warning. MemFlux reports no warnings; it is here for completeness."""


class Error(Exception):
    """The base of every MemFlux error. `code` is the engine's code word (ERR,
    WRONGTYPE, SERIALIZATION ...), `sqlstate` PostgreSQL's five-character
    condition, `message` the text after the code."""

    def __init__(self, message, code=None, sqlstate=None):
        super().__init__(message if code is None else f"{code} {message}")
        self.message = message
        self.code = code
        self.sqlstate = sqlstate


class InterfaceError(Error):
    """Misuse of this module: a closed connection or cursor, a missing library."""


class DatabaseError(Error):
    """An error the engine reported."""


class DataError(DatabaseError):
    """A value the operation cannot take: out of range, division by zero, bad input syntax (SQLSTATE class 22)."""


class OperationalError(DatabaseError):
    """A failure of the database's operation: a serialization conflict, out of memory, the log failing."""


class IntegrityError(DatabaseError):
    """A constraint violated: unique, not-null, foreign key, check (SQLSTATE class 23)."""


class InternalError(DatabaseError):
    """The transaction state does not allow the operation (SQLSTATE classes 25, 3B, XX)."""


class ProgrammingError(DatabaseError):
    """A bad statement or command: syntax, an unknown table or column, a wrong type, wrong arguments."""


class NotSupportedError(DatabaseError):
    """A feature MemFlux does not have (SQLSTATE class 0A)."""


MemfluxError = Error

_classes = {
    "22": DataError,
    "23": IntegrityError,
    "25": InternalError,
    "3B": InternalError,
    "XX": InternalError,
    "0A": NotSupportedError,
    "40": OperationalError,
    "53": OperationalError,
    "54": OperationalError,
    "57": OperationalError,
    "58": OperationalError,
    "28": OperationalError,
    "42": ProgrammingError,
}


def _make_error(code, sqlstate, message):
    """The exception for an engine error, chosen by its SQLSTATE's class; InterfaceError without one."""
    if sqlstate is None:
        return InterfaceError(message)
    return _classes.get(sqlstate[:2], DatabaseError)(message, code, sqlstate)


# PEP 249's type objects and constructors.
STRING, BINARY, NUMBER, DATETIME, ROWID = "text", "bytea", "numeric", "timestamp", "integer"


def Binary(value):
    return bytes(value)


def _native_driver_class():
    """The C-accelerated driver when memflux._native was built (pip install), else None."""
    try:
        from . import _native
    except ImportError:
        return None
    return _driver.native_driver_class(_native)


_native_class = _native_driver_class()
#: Whether the C accelerator is available. MEMFLUX_DRIVER=ctypes makes connect() use plain ctypes anyway.
native = _native_class is not None
_drivers_by_library = {}
_drivers_lock = threading.Lock()


def _driver_for(path):
    use_native = native and os.environ.get("MEMFLUX_DRIVER") != "ctypes"
    with _drivers_lock:
        driver = _drivers_by_library.get((path, use_native))
        if driver is None:
            driver_class = _native_class if use_native else _driver.Driver
            driver = _drivers_by_library[(path, use_native)] = driver_class(_library.load(path), _make_error)
        return driver


def connect(path=None, config=None, lib=None):
    """Opens a database.

    path:   the directory of its data files (made when missing); the database persists there.
    config: a dict (or JSON text) of config.json's settings that are not
            about the network: persistence, durability, wal_file, snapshot_file,
            wal_size_threshold_mb, maxmemory_mb, eviction_policy, isolation_level ...
    lib:    the path of libmemflux.so (else $MEMFLUX_LIB, else the copy bundled in this package).
    With neither `path` nor a "persistence" setting, the database lives in memory only.
    """
    library = _library.find(lib)
    if library is None:
        raise InterfaceError("libmemflux.so not found: pass lib=..., set MEMFLUX_LIB, or bundle it (libs/python/README.md)")
    settings = json.loads(config) if isinstance(config, str) else dict(config or {})
    if path is not None:
        os.makedirs(path, exist_ok=True)
        settings["dir"] = str(path)
    elif "persistence" not in settings and "dir" not in settings:
        settings["persistence"] = False
    try:
        driver = _driver_for(library)
    except OSError as error:
        raise InterfaceError(f"cannot load {library}: {error}") from None
    return Connection(driver, driver.open(json.dumps(settings)))


class Connection:
    """A database. Share it between threads freely; give each thread its own cursors."""

    Warning, Error, InterfaceError, DatabaseError = Warning, Error, InterfaceError, DatabaseError
    DataError, OperationalError, IntegrityError = DataError, OperationalError, IntegrityError
    InternalError, ProgrammingError, NotSupportedError = InternalError, ProgrammingError, NotSupportedError

    def __init__(self, driver, handle):
        self._driver = driver
        self._handle = handle
        self._cursors = []
        self._lock = threading.Lock()

    @property
    def closed(self):
        return self._handle is None

    def _check(self):
        if self._handle is None:
            raise InterfaceError("the connection is closed")

    def cursor(self):
        with self._lock:
            self._check()
            session = self._driver.session_open(self._handle)
            if not session:
                raise InterfaceError("the connection is closed")
            cursor = Cursor(self, session)
            self._cursors = [c for c in self._cursors if c._session is not None]
            self._cursors.append(cursor)
            return cursor

    def execute(self, operation, parameters=()):
        """A shortcut (as sqlite3 has): a new cursor, executed."""
        cursor = self.cursor()
        cursor.execute(operation, parameters)
        return cursor

    def _open_transactions(self):
        with self._lock:
            self._check()
            return [c for c in self._cursors if c._session is not None and self._driver.in_transaction(c._session) == 1]

    def commit(self):
        """Commits the open transaction of each of this connection's cursors."""
        for cursor in self._open_transactions():
            cursor.execute("COMMIT")

    def rollback(self):
        """Rolls back the open transaction of each of this connection's cursors."""
        for cursor in self._open_transactions():
            cursor.execute("ROLLBACK")

    def close(self):
        """Closes the cursors (rolling back their open transactions) and the database. Closing twice is allowed."""
        with self._lock:
            if self._handle is None:
                return
            for cursor in self._cursors:
                cursor._release()
            self._cursors = []
            self._driver.close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        """Commits when the block succeeds, rolls back when it raises; then closes."""
        try:
            if self._handle is not None:
                self.commit() if kind is None else self.rollback()
        finally:
            self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class Cursor:
    """One session on the connection: its own transaction context. Use it from one thread at a time."""

    #: PEP 249's lastrowid: MemFlux tables have no implicit row ids, so it stays None.
    lastrowid = None
    # Slots, not a __dict__: execute and fetchone read and set these on every call.
    __slots__ = ("connection", "_session", "_driver", "_execute", "arraysize", "description", "rowcount", "_rows",
                 "_position", "__weakref__")

    def __init__(self, connection, session):
        self.connection = connection
        self._session = session
        self._driver = connection._driver
        self._execute = self._driver.execute
        self.arraysize = 1
        self.description = None
        self.rowcount = -1
        self._rows = None
        self._position = 0

    def execute(self, operation, parameters=()):
        """Runs a SQL statement (with `?` placeholders) or a MemFlux command (`?` words bind parameters too)."""
        try:
            self.description, self._rows, self.rowcount = self._execute(self._session, operation, parameters)
        except (TypeError, UnicodeError) as error:
            raise ProgrammingError(str(error)) from None
        except OverflowError as error:
            raise DataError(str(error)) from None
        self._position = 0
        return self

    def executemany(self, operation, seq_of_parameters):
        """Runs `operation` once per parameter sequence, all as one transaction (the open one, or
        its own): an error in any row leaves none of them. rowcount is the total of rows affected."""
        try:
            self.rowcount = self._driver.execute_many(self._session, operation, seq_of_parameters)
        except (TypeError, UnicodeError) as error:
            raise ProgrammingError(str(error)) from None
        except OverflowError as error:
            raise DataError(str(error)) from None
        self.description = None
        self._rows = None
        self._position = 0
        return self

    def _result(self):
        rows = self._rows
        if rows is None:
            if self._session is None:
                raise InterfaceError(_driver.CLOSED)
            raise ProgrammingError("no results to fetch: the last operation returned no rows")
        return rows

    def fetchone(self):
        rows = self._rows
        if rows is None:
            rows = self._result()
        position = self._position
        if position < len(rows):
            self._position = position + 1
            return rows[position]
        return None

    def fetchmany(self, size=None):
        rows = self._result()
        count = self.arraysize if size is None else size
        chunk = rows[self._position:self._position + max(count, 0)]
        self._position += len(chunk)
        return chunk

    def fetchall(self):
        rows = self._result()
        rest = rows[self._position:] if self._position else rows
        self._position = len(rows)
        return rest

    def __iter__(self):
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def setinputsizes(self, sizes):
        """Accepted and ignored, as PEP 249 allows."""

    def setoutputsize(self, size, column=None):
        """Accepted and ignored, as PEP 249 allows."""

    def _release(self):
        if self._session is not None:
            self._driver.session_close(self._session)
            self._session = None
            self._rows = None

    def close(self):
        """Ends the session, rolling back its open transaction. Closing twice is allowed."""
        with self.connection._lock:
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.close()
        return False

    def __del__(self):
        try:
            if self._session is not None and self.connection._handle is not None:
                self.close()
        except Exception:
            pass
