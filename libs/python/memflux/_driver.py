"""The calls into libmemflux, through ctypes.

`Driver.execute(session, operation, parameters)` runs one operation and
answers what the cursor shows of it, (description, rows, rowcount):
  a query                  (PEP 249 description, [Row ...], number of rows)
  INSERT, UPDATE, DELETE   (None, None, rows affected)
  DDL, BEGIN, COMMIT ...   (None, None, -1)
  a command                (REPLY_DESCRIPTION, [its reply as Python values], -1)
`Driver.execute_many(session, operation, rows_of_parameters)` runs it once
per row, all in one transaction, and answers the rows affected (-1 for
commands). A closed session (None) raises InterfaceError; an error reply
raises what `make_error(code, sqlstate, message)` builds. The compiled module
memflux._native answers both from C, faster; the rest of Driver serves both.
"""
import ctypes

from . import _library as c
from ._row import Row, column_index

REPLY_DESCRIPTION = (("reply", None, None, None, None, None, None),)
CLOSED = "the cursor is closed (or its connection is)"
NOT_A_STRING = "parameters must be a sequence (a tuple or a list), not a string"


def encode_parameters(parameters):
    """The ctypes array of memflux_param for `parameters`, and the buffers it points into."""
    count = len(parameters)
    array = (c.Param * count)()
    keep = []
    for i, value in enumerate(parameters):
        p = array[i]
        if value is None:
            p.type = c.PARAM_NULL
        elif value is True or value is False:
            p.type, p.integer = c.PARAM_BOOL, int(value)
        elif isinstance(value, int):
            if not -(1 << 63) <= value < (1 << 63):
                raise OverflowError(f"parameter {i + 1} does not fit in 64 bits: {value}")
            p.type, p.integer = c.PARAM_INTEGER, value
        elif isinstance(value, float):
            p.type, p.real = c.PARAM_DOUBLE, value
        elif isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
            keep.append(data)
            p.type, p.data, p.length = c.PARAM_BYTES, data, len(data)
        else:
            data = text_parameter(value, i).encode("utf-8")
            keep.append(data)
            p.type, p.data, p.length = c.PARAM_TEXT, data, len(data)
    return array, keep


def text_parameter(value, i):
    """A parameter bound as text: str itself; Decimal, dates, times and UUIDs in their ISO text."""
    if isinstance(value, str):
        return value
    import datetime
    import decimal
    import uuid

    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    raise TypeError(f"parameter {i + 1} has the unsupported type {type(value).__name__}")


class Driver:
    def __init__(self, lib, make_error):
        self.lib = lib
        self.make_error = make_error
        self._is_sql = {}

    # Databases and sessions.

    def open(self, config_json):
        error = ctypes.c_void_p()
        handle = self.lib.memflux_open(config_json.encode("utf-8"), ctypes.byref(error))
        if not handle:
            message = ctypes.string_at(error.value).decode("utf-8", "replace") if error.value else "cannot open"
            self.lib.memflux_free_string(error)
            raise self.make_error("ERR", "58000", message)
        return handle

    def close(self, db):
        return self.lib.memflux_close(db)

    def session_open(self, db):
        return self.lib.memflux_session_open(db)

    def session_close(self, session):
        return self.lib.memflux_session_close(session)

    def in_transaction(self, session):
        return self.lib.memflux_session_in_transaction(session)

    def version(self):
        return self.lib.memflux_version().decode()

    # Running.

    def execute(self, session, operation, parameters):
        if session is None:
            raise self.make_error(None, None, CLOSED)
        if isinstance(parameters, (str, bytes)):
            raise TypeError(NOT_A_STRING)
        text = operation.encode("utf-8")
        if parameters:
            array, keep = encode_parameters(parameters)
            reply = self.lib.memflux_execute_text(session, text, len(text), array, len(parameters))
        else:
            reply = self.lib.memflux_execute_text(session, text, len(text), None, 0)
        if not reply:
            raise MemoryError("libmemflux could not allocate a reply")
        try:
            kind = self.lib.memflux_reply_type(reply)
            if kind == c.ERROR:
                raise self._error(reply)
            if kind == c.ROWS:
                description, rows = self._rows(reply)
                return description, rows, len(rows)
            is_sql = self._is_sql.get(operation)
            if is_sql is None:
                is_sql = self._is_sql[operation] = bool(self.lib.memflux_is_sql(text, len(text)))
            if is_sql:
                return None, None, self.lib.memflux_reply_integer(reply) if kind == c.INTEGER else -1
            return REPLY_DESCRIPTION, [self._value(reply)], -1
        finally:
            self.lib.memflux_reply_free(reply)

    def execute_many(self, session, operation, rows_of_parameters):
        if session is None:
            raise self.make_error(None, None, CLOSED)
        rows = [list(parameters) for parameters in rows_of_parameters]
        width = len(rows[0]) if rows else 0
        if any(len(row) != width for row in rows):
            raise self.make_error("ERR", "42601", "every row of parameters must have as many values as the first")
        flat = [value for row in rows for value in row]
        array, keep = encode_parameters(flat)
        text = operation.encode("utf-8")
        reply = self.lib.memflux_execute_many(session, text, len(text), array, width, len(rows))
        if not reply:
            raise MemoryError("libmemflux could not allocate a reply")
        try:
            if self.lib.memflux_reply_type(reply) == c.ERROR:
                raise self._error(reply)
            return self.lib.memflux_reply_integer(reply)
        finally:
            self.lib.memflux_reply_free(reply)

    def _error(self, reply):
        lib = self.lib
        return self.make_error(
            lib.memflux_reply_error_code(reply).decode(),
            lib.memflux_reply_sqlstate(reply).decode(),
            self._string(reply).decode("utf-8", "replace"),
        )

    def _string(self, node):
        length = ctypes.c_size_t()
        pointer = self.lib.memflux_reply_string(node, ctypes.byref(length))
        return ctypes.string_at(pointer, length.value)

    def _rows(self, reply):
        lib = self.lib
        count = lib.memflux_reply_column_count(reply)
        names = tuple(lib.memflux_reply_column_name(reply, i, None).decode() for i in range(count))
        columns = tuple((names[i], lib.memflux_reply_column_type(reply, i).decode()) for i in range(count))
        index = column_index(names)
        rows = []
        for r in range(lib.memflux_reply_length(reply)):
            row = lib.memflux_reply_element(reply, r)
            values = [self._value(lib.memflux_reply_element(row, i)) for i in range(lib.memflux_reply_length(row))]
            rows.append(Row(names, values, index))
        return tuple((name, type_name, None, None, None, None, None) for name, type_name in columns), rows

    def _value(self, node):
        lib = self.lib
        kind = lib.memflux_reply_type(node)
        if kind == c.NIL:
            return None
        if kind == c.INTEGER:
            return lib.memflux_reply_integer(node)
        if kind == c.DOUBLE:
            return lib.memflux_reply_double(node)
        if kind == c.BOOL:
            return bool(lib.memflux_reply_integer(node))
        if kind == c.BULK:
            return self._string(node)
        if kind in (c.TEXT, c.OK, c.STATUS):
            return self._string(node).decode("utf-8", "replace")
        if kind == c.ERROR:
            return self._error(node)
        items = [self._value(lib.memflux_reply_element(node, i)) for i in range(lib.memflux_reply_length(node))]
        if kind == c.MAP:
            return reply_map(items)
        if kind == c.SET:
            return reply_set(items)
        return items


def native_driver_class(native):
    """Driver with `execute` answered by memflux._native (built by pip install)."""

    class NativeDriver(Driver):
        def __init__(self, lib, make_error):
            super().__init__(lib, make_error)
            names = [
                "memflux_execute_text", "memflux_execute_many", "memflux_is_sql", "memflux_reply_type", "memflux_reply_integer",
                "memflux_reply_double", "memflux_reply_string", "memflux_reply_error_code", "memflux_reply_sqlstate",
                "memflux_reply_length", "memflux_reply_column_count", "memflux_reply_element",
                "memflux_reply_column_name", "memflux_reply_column_type", "memflux_reply_free",
            ]
            addresses = {name: ctypes.cast(getattr(lib, name), ctypes.c_void_p).value for name in names}
            executor = native.Executor(addresses, Row, make_error, text_parameter, REPLY_DESCRIPTION, CLOSED)
            self.execute = executor.execute
            self.execute_many = executor.execute_many

    return NativeDriver


def reply_map(items):
    """A MAP reply as a dict (a list of pairs when a key cannot be a dict key)."""
    pairs = list(zip(items[0::2], items[1::2]))
    try:
        return dict(pairs)
    except TypeError:
        return pairs


def reply_set(items):
    """A SET reply as a set (a list when a member cannot be in a set)."""
    try:
        return set(items)
    except TypeError:
        return items
