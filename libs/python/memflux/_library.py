"""Finding and loading libmemflux.so, and the C ABI's prototypes (memflux.h).

The library is found, in this order: the `lib` argument of connect(), the
MEMFLUX_LIB environment variable, then a copy bundled into this package
(`libmemflux.so` beside this file; see libs/python/README.md for the build step).
Each library is loaded once per process.
"""
import ctypes
import os
import pathlib
import threading

# memflux_reply_type's kinds.
NIL, OK, STATUS, ERROR, INTEGER, DOUBLE, BOOL, BULK, TEXT, ARRAY, MAP, SET, ROWS = range(13)
# memflux_param.type's kinds.
PARAM_NULL, PARAM_INTEGER, PARAM_DOUBLE, PARAM_TEXT, PARAM_BYTES, PARAM_BOOL = range(6)


class Param(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int32),
        ("integer", ctypes.c_int64),
        ("real", ctypes.c_double),
        ("data", ctypes.c_char_p),
        ("length", ctypes.c_size_t),
    ]


_loaded = {}
_lock = threading.Lock()


def find(lib=None):
    """The path of the library to load (see the module comment)."""
    if lib:
        return str(lib)
    configured = os.environ.get("MEMFLUX_LIB")
    if configured:
        return configured
    bundled = pathlib.Path(__file__).with_name("libmemflux.so")
    if bundled.exists():
        return str(bundled)
    return None


def load(path):
    """The ctypes library at `path`, with every function's prototype declared."""
    with _lock:
        library = _loaded.get(path)
        if library is None:
            library = ctypes.CDLL(path)
            _declare(library)
            _loaded[path] = library
        return library


def _declare(lib):
    vp, sz, cp, i32 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int
    prototypes = {
        "memflux_version": (cp, []),
        "memflux_open": (vp, [cp, ctypes.POINTER(vp)]),
        "memflux_close": (i32, [vp]),
        "memflux_free_string": (None, [vp]),
        "memflux_session_open": (vp, [vp]),
        "memflux_session_close": (i32, [vp]),
        "memflux_session_in_transaction": (i32, [vp]),
        "memflux_execute": (vp, [vp, sz, ctypes.POINTER(cp), ctypes.POINTER(sz)]),
        "memflux_execute_text": (vp, [vp, cp, sz, ctypes.POINTER(Param), sz]),
        "memflux_execute_many": (vp, [vp, cp, sz, ctypes.POINTER(Param), sz, sz]),
        "memflux_is_sql": (i32, [cp, sz]),
        "memflux_sql": (vp, [vp, cp, sz, ctypes.POINTER(Param), sz]),
        "memflux_reply_type": (i32, [vp]),
        "memflux_reply_integer": (ctypes.c_int64, [vp]),
        "memflux_reply_double": (ctypes.c_double, [vp]),
        "memflux_reply_string": (vp, [vp, ctypes.POINTER(sz)]),
        "memflux_reply_error_code": (cp, [vp]),
        "memflux_reply_sqlstate": (cp, [vp]),
        "memflux_reply_length": (sz, [vp]),
        "memflux_reply_element": (vp, [vp, sz]),
        "memflux_reply_column_count": (sz, [vp]),
        "memflux_reply_column_name": (cp, [vp, sz, ctypes.POINTER(sz)]),
        "memflux_reply_column_type": (cp, [vp, sz]),
        "memflux_reply_free": (None, [vp]),
    }
    for name, (result, arguments) in prototypes.items():
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = arguments
