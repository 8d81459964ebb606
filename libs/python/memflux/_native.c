/*
 * memflux._native: the hot path of memflux._driver.Driver.execute in C.
 *
 * It calls libmemflux through the function addresses ctypes already resolved
 * (so this module links to nothing and finds the library the same way), binds
 * the parameters straight from Python objects, releases the GIL while the
 * engine runs, and builds the answer (kind, value, columns) exactly as the
 * ctypes driver does (see memflux/_driver.py): rows are memflux._row.Row
 * objects, made here by filling their three slots, and a statement's column
 * names and description are made once and reused while its columns stay the
 * same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "memflux.h"

typedef memflux_reply *(*execute_many_fn)(memflux_session *, const char *, size_t, const memflux_param *, size_t, size_t);
typedef memflux_reply *(*execute_text_fn)(memflux_session *, const char *, size_t, const memflux_param *, size_t);
typedef int (*is_sql_fn)(const char *, size_t);
typedef int (*type_fn)(const memflux_reply *);
typedef int64_t (*integer_fn)(const memflux_reply *);
typedef double (*double_fn)(const memflux_reply *);
typedef const char *(*string_fn)(const memflux_reply *, size_t *);
typedef const char *(*code_fn)(const memflux_reply *);
typedef size_t (*length_fn)(const memflux_reply *);
typedef const memflux_reply *(*element_fn)(const memflux_reply *, size_t);
typedef const char *(*column_name_fn)(const memflux_reply *, size_t, size_t *);
typedef const char *(*column_type_fn)(const memflux_reply *, size_t);
typedef void (*free_fn)(memflux_reply *);

typedef struct {
    PyObject_HEAD
    execute_text_fn execute_text;
    execute_many_fn execute_many;
    is_sql_fn is_sql;
    type_fn type;
    integer_fn integer;
    double_fn real;
    string_fn string;
    code_fn error_code, sqlstate;
    length_fn length, column_count;
    element_fn element;
    column_name_fn column_name;
    column_type_fn column_type;
    free_fn free_reply;
    PyTypeObject *row_type;
    Py_ssize_t names_offset, index_offset, values_offset;
    PyObject *make_error;     /* (code, sqlstate, message) -> exception */
    PyObject *text_parameter; /* (value, i) -> str, for other parameter types */
    PyObject *is_sql_cache;   /* operation -> bool */
    PyObject *columns_cache;  /* operation -> (signature bytes, names, index, description) */
    PyObject *reply_description;
    PyObject *closed_message;
} Executor;

static int load_function(PyObject *addresses, const char *name, void **out) {
    PyObject *address = PyDict_GetItemString(addresses, name);
    if (address == NULL) {
        PyErr_Format(PyExc_KeyError, "no address for %s", name);
        return -1;
    }
    *out = PyLong_AsVoidPtr(address);
    return *out == NULL && PyErr_Occurred() ? -1 : 0;
}

/* The byte offset of the slot `name` of `type` (a __slots__ member). */
static Py_ssize_t slot_offset(PyTypeObject *type, const char *name) {
    PyObject *descriptor = PyObject_GetAttrString((PyObject *)type, name);
    if (descriptor == NULL) return -1;
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descriptor, &PyMemberDescr_Type)) {
        offset = ((PyMemberDescrObject *)descriptor)->d_member->offset;
    } else {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a slot", type->tp_name, name);
    }
    Py_DECREF(descriptor);
    return offset;
}

static int Executor_init(Executor *self, PyObject *args, PyObject *kwargs) {
    (void)kwargs;
    PyObject *addresses, *row_type, *make_error, *text_parameter, *reply_description, *closed_message;
    if (!PyArg_ParseTuple(args, "O!O!OOOU", &PyDict_Type, &addresses, &PyType_Type, &row_type, &make_error,
                          &text_parameter, &reply_description, &closed_message))
        return -1;
    struct { const char *name; void **slot; } functions[] = {
        { "memflux_execute_text", (void **)&self->execute_text },
        { "memflux_execute_many", (void **)&self->execute_many },
        { "memflux_is_sql", (void **)&self->is_sql },
        { "memflux_reply_type", (void **)&self->type },
        { "memflux_reply_integer", (void **)&self->integer },
        { "memflux_reply_double", (void **)&self->real },
        { "memflux_reply_string", (void **)&self->string },
        { "memflux_reply_error_code", (void **)&self->error_code },
        { "memflux_reply_sqlstate", (void **)&self->sqlstate },
        { "memflux_reply_length", (void **)&self->length },
        { "memflux_reply_column_count", (void **)&self->column_count },
        { "memflux_reply_element", (void **)&self->element },
        { "memflux_reply_column_name", (void **)&self->column_name },
        { "memflux_reply_column_type", (void **)&self->column_type },
        { "memflux_reply_free", (void **)&self->free_reply },
    };
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) {
        if (load_function(addresses, functions[i].name, functions[i].slot) < 0) return -1;
    }
    Py_INCREF(row_type);
    Py_XSETREF(self->row_type, (PyTypeObject *)row_type);
    if ((self->names_offset = slot_offset(self->row_type, "_names")) < 0) return -1;
    if ((self->index_offset = slot_offset(self->row_type, "_index")) < 0) return -1;
    if ((self->values_offset = slot_offset(self->row_type, "_values")) < 0) return -1;
    Py_INCREF(make_error);
    Py_INCREF(text_parameter);
    Py_INCREF(reply_description);
    Py_INCREF(closed_message);
    Py_XSETREF(self->make_error, make_error);
    Py_XSETREF(self->text_parameter, text_parameter);
    Py_XSETREF(self->reply_description, reply_description);
    Py_XSETREF(self->closed_message, closed_message);
    Py_XSETREF(self->is_sql_cache, PyDict_New());
    Py_XSETREF(self->columns_cache, PyDict_New());
    return self->is_sql_cache && self->columns_cache ? 0 : -1;
}

static void Executor_dealloc(Executor *self) {
    Py_XDECREF(self->row_type);
    Py_XDECREF(self->make_error);
    Py_XDECREF(self->text_parameter);
    Py_XDECREF(self->is_sql_cache);
    Py_XDECREF(self->columns_cache);
    Py_XDECREF(self->reply_description);
    Py_XDECREF(self->closed_message);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The exception make_error builds for an ERROR node (a new reference), or NULL with an error set. */
static PyObject *error_object(Executor *self, const memflux_reply *node) {
    size_t length = 0;
    const char *message = self->string(node, &length);
    return PyObject_CallFunction(self->make_error, "ssN", self->error_code(node), self->sqlstate(node),
                                 PyUnicode_DecodeUTF8(message, (Py_ssize_t)length, "replace"));
}

static PyObject *value(Executor *self, const memflux_reply *node);

#define SLOT(object, offset) (*(PyObject **)((char *)(object) + (offset)))

static PyObject *elements(Executor *self, const memflux_reply *node) {
    size_t count = self->length(node);
    PyObject *list = PyList_New((Py_ssize_t)count);
    if (list == NULL) return NULL;
    for (size_t i = 0; i < count; i++) {
        PyObject *item = value(self, self->element(node, i));
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

/* A MAP as a dict, or a list of pairs when a key cannot be a dict key. */
static PyObject *map_value(Executor *self, const memflux_reply *node) {
    PyObject *items = elements(self, node);
    if (items == NULL) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(items) / 2;
    PyObject *dict = PyDict_New();
    for (Py_ssize_t i = 0; dict != NULL && i < count; i++) {
        if (PyDict_SetItem(dict, PyList_GET_ITEM(items, 2 * i), PyList_GET_ITEM(items, 2 * i + 1)) < 0) Py_CLEAR(dict);
    }
    if (dict == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyObject *pairs = PyList_New(count);
        for (Py_ssize_t i = 0; pairs != NULL && i < count; i++) {
            PyObject *pair = PyTuple_Pack(2, PyList_GET_ITEM(items, 2 * i), PyList_GET_ITEM(items, 2 * i + 1));
            if (pair == NULL) {
                Py_CLEAR(pairs);
                break;
            }
            PyList_SET_ITEM(pairs, i, pair);
        }
        Py_DECREF(items);
        return pairs;
    }
    Py_DECREF(items);
    return dict;
}

/* A SET as a set, or a list when a member cannot be in a set. */
static PyObject *set_value(Executor *self, const memflux_reply *node) {
    PyObject *items = elements(self, node);
    if (items == NULL) return NULL;
    PyObject *set = PySet_New(items);
    if (set == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        return items;
    }
    Py_DECREF(items);
    return set;
}

static PyObject *value(Executor *self, const memflux_reply *node) {
    size_t length = 0;
    const char *bytes;
    switch (self->type(node)) {
    case MEMFLUX_REPLY_NIL: Py_RETURN_NONE;
    case MEMFLUX_REPLY_INTEGER: return PyLong_FromLongLong(self->integer(node));
    case MEMFLUX_REPLY_DOUBLE: return PyFloat_FromDouble(self->real(node));
    case MEMFLUX_REPLY_BOOL: return PyBool_FromLong((long)self->integer(node));
    case MEMFLUX_REPLY_BULK:
        bytes = self->string(node, &length);
        return PyBytes_FromStringAndSize(bytes, (Py_ssize_t)length);
    case MEMFLUX_REPLY_TEXT:
    case MEMFLUX_REPLY_OK:
    case MEMFLUX_REPLY_STATUS:
        bytes = self->string(node, &length);
        return PyUnicode_DecodeUTF8(bytes, (Py_ssize_t)length, "replace");
    case MEMFLUX_REPLY_ERROR: return error_object(self, node);
    case MEMFLUX_REPLY_MAP: return map_value(self, node);
    case MEMFLUX_REPLY_SET: return set_value(self, node);
    default: return elements(self, node);
    }
}

/* The reply's column names and types as one byte string, "name\0type\0..." (a new reference). */
static PyObject *column_signature(Executor *self, const memflux_reply *reply) {
    size_t count = self->column_count(reply), total = 0;
    for (size_t c = 0; c < count; c++) {
        size_t length = 0;
        self->column_name(reply, c, &length);
        total += length + strlen(self->column_type(reply, c)) + 2;
    }
    PyObject *signature = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)total);
    if (signature == NULL) return NULL;
    char *out = PyBytes_AS_STRING(signature);
    for (size_t c = 0; c < count; c++) {
        size_t length = 0;
        const char *name = self->column_name(reply, c, &length);
        memcpy(out, name, length + 1);
        out += length + 1;
        const char *type = self->column_type(reply, c);
        size_t type_length = strlen(type);
        memcpy(out, type, type_length + 1);
        out += type_length + 1;
    }
    return signature;
}

/* Whether the reply's columns are those of `signature` (compared in place, nothing made). */
static int same_columns(Executor *self, const memflux_reply *reply, PyObject *signature) {
    const char *known = PyBytes_AS_STRING(signature);
    size_t left = (size_t)PyBytes_GET_SIZE(signature);
    size_t count = self->column_count(reply);
    for (size_t c = 0; c < count; c++) {
        size_t length = 0;
        const char *name = self->column_name(reply, c, &length);
        if (length + 1 > left || memcmp(known, name, length + 1) != 0) return 0;
        known += length + 1;
        left -= length + 1;
        const char *type = self->column_type(reply, c);
        size_t type_length = strlen(type);
        if (type_length + 1 > left || memcmp(known, type, type_length + 1) != 0) return 0;
        known += type_length + 1;
        left -= type_length + 1;
    }
    return left == 0;
}

/* (signature, names, index, description) for the reply's columns (a new reference). */
static PyObject *make_columns(Executor *self, const memflux_reply *reply, PyObject *signature) {
    size_t count = self->column_count(reply);
    PyObject *names = PyTuple_New((Py_ssize_t)count);
    PyObject *description = PyTuple_New((Py_ssize_t)count);
    PyObject *index = PyDict_New();
    if (!names || !description || !index) goto failed;
    for (size_t c = 0; c < count; c++) {
        size_t length = 0;
        const char *text = self->column_name(reply, c, &length);
        PyObject *name = PyUnicode_DecodeUTF8(text, (Py_ssize_t)length, "replace");
        if (name == NULL) goto failed;
        PyTuple_SET_ITEM(names, (Py_ssize_t)c, name);
        PyObject *column = Py_BuildValue("(OsOOOOO)", name, self->column_type(reply, c), Py_None, Py_None, Py_None,
                                         Py_None, Py_None);
        if (column == NULL) goto failed;
        PyTuple_SET_ITEM(description, (Py_ssize_t)c, column);
        if (!PyDict_Contains(index, name)) {
            PyObject *position = PyLong_FromSize_t(c);
            int stored = position ? PyDict_SetItem(index, name, position) : -1;
            Py_XDECREF(position);
            if (stored < 0) goto failed;
        }
    }
    return Py_BuildValue("(ONNN)", signature, names, index, description);
failed:
    Py_XDECREF(names);
    Py_XDECREF(description);
    Py_XDECREF(index);
    return NULL;
}

/* The cached columns of `operation` when the reply's are the same, else new ones, cached (a new reference). */
static PyObject *columns_of(Executor *self, PyObject *operation, const memflux_reply *reply) {
    PyObject *cached = PyDict_GetItemWithError(self->columns_cache, operation);
    if (cached == NULL && PyErr_Occurred()) return NULL;
    if (cached && same_columns(self, reply, PyTuple_GET_ITEM(cached, 0))) {
        Py_INCREF(cached);
        return cached;
    }
    PyObject *signature = column_signature(self, reply);
    if (signature == NULL) return NULL;
    PyObject *columns = make_columns(self, reply, signature);
    Py_DECREF(signature);
    if (columns == NULL) return NULL;
    if (PyDict_GET_SIZE(self->columns_cache) > 10000) PyDict_Clear(self->columns_cache);
    if (PyDict_SetItem(self->columns_cache, operation, columns) < 0) {
        Py_DECREF(columns);
        return NULL;
    }
    return columns;
}

/* A new tuple of the three, stealing `b` and `c` (NULL when one is NULL). */
static PyObject *triple(PyObject *a, PyObject *b, PyObject *c) {
    PyObject *t = (b && c) ? PyTuple_New(3) : NULL;
    if (t == NULL) {
        Py_XDECREF(b);
        Py_XDECREF(c);
        return NULL;
    }
    Py_INCREF(a);
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    PyTuple_SET_ITEM(t, 2, c);
    return t;
}

/* (description, [Row ...], row count) for a ROWS reply. */
static PyObject *rows_result(Executor *self, PyObject *operation, const memflux_reply *reply) {
    PyObject *columns = columns_of(self, operation, reply);
    if (columns == NULL) return NULL;
    PyObject *names = PyTuple_GET_ITEM(columns, 1), *index = PyTuple_GET_ITEM(columns, 2);
    size_t row_count = self->length(reply);
    PyObject *rows = PyList_New((Py_ssize_t)row_count);
    if (rows == NULL) goto failed;
    for (size_t r = 0; r < row_count; r++) {
        const memflux_reply *row = self->element(reply, r);
        size_t width = self->length(row);
        PyObject *values = PyTuple_New((Py_ssize_t)width);
        if (values == NULL) goto failed;
        for (size_t c = 0; c < width; c++) {
            PyObject *item = value(self, self->element(row, c));
            if (item == NULL) {
                Py_DECREF(values);
                goto failed;
            }
            PyTuple_SET_ITEM(values, (Py_ssize_t)c, item);
        }
        PyObject *object = self->row_type->tp_alloc(self->row_type, 0);
        if (object == NULL) {
            Py_DECREF(values);
            goto failed;
        }
        Py_INCREF(names);
        Py_INCREF(index);
        SLOT(object, self->names_offset) = names;
        SLOT(object, self->index_offset) = index;
        SLOT(object, self->values_offset) = values;
        /* A row's cells are scalars (None, bool, int, float, str, bytes) and its names
           and index never refer back to it: neither can be part of a cycle, so the
           cyclic collector need not walk the 100,000 rows of a fetchall again and again. */
        PyObject_GC_UnTrack(values);
        PyObject_GC_UnTrack(object);
        PyList_SET_ITEM(rows, (Py_ssize_t)r, object);
    }
    PyObject *result = triple(PyTuple_GET_ITEM(columns, 3), rows, PyLong_FromSsize_t((Py_ssize_t)row_count));
    Py_DECREF(columns);
    return result;
failed:
    Py_XDECREF(rows);
    Py_DECREF(columns);
    return NULL;
}

/* Raises `error` (a new reference, or NULL with an exception already set); answers NULL. */
static PyObject *raise_object(PyObject *error) {
    if (error) {
        PyErr_SetObject((PyObject *)Py_TYPE(error), error);
        Py_DECREF(error);
    }
    return NULL;
}

/* Raises the error of an ERROR node; answers NULL. */
static PyObject *raise_error(Executor *self, const memflux_reply *reply) {
    return raise_object(error_object(self, reply));
}

/* Raises the InterfaceError for a closed cursor; answers NULL. */
static PyObject *raise_closed(Executor *self) {
    return raise_object(PyObject_CallFunction(self->make_error, "OOO", Py_None, Py_None, self->closed_message));
}

/* Whether `operation` is SQL (memflux_is_sql), remembered per operation text. */
static int is_sql(Executor *self, PyObject *operation, const char *text, Py_ssize_t length) {
    PyObject *known = PyDict_GetItemWithError(self->is_sql_cache, operation);
    if (known) return known == Py_True;
    if (PyErr_Occurred()) return -1;
    int answer = self->is_sql(text, (size_t)length) == 1;
    if (PyDict_GET_SIZE(self->is_sql_cache) > 10000) PyDict_Clear(self->is_sql_cache);
    if (PyDict_SetItem(self->is_sql_cache, operation, answer ? Py_True : Py_False) < 0) return -1;
    return answer;
}

/* Fills `param` from `object`; `keep` receives what its data points into. */
static int bind(Executor *self, PyObject *object, Py_ssize_t i, memflux_param *param, PyObject **keep, Py_buffer *view) {
    memset(param, 0, sizeof *param);
    if (object == Py_None) {
        param->type = MEMFLUX_PARAM_NULL;
    } else if (PyBool_Check(object)) {
        param->type = MEMFLUX_PARAM_BOOL;
        param->integer = object == Py_True;
    } else if (PyLong_Check(object)) {
        int overflow = 0;
        long long n = PyLong_AsLongLongAndOverflow(object, &overflow);
        if (overflow) {
            PyErr_Format(PyExc_OverflowError, "parameter %zd does not fit in 64 bits: %R", i + 1, object);
            return -1;
        }
        if (n == -1 && PyErr_Occurred()) return -1;
        param->type = MEMFLUX_PARAM_INTEGER;
        param->integer = n;
    } else if (PyFloat_Check(object)) {
        param->type = MEMFLUX_PARAM_DOUBLE;
        param->real = PyFloat_AS_DOUBLE(object);
    } else if (PyBytes_Check(object)) {
        /* Held: another thread may change the sequence while the GIL is released. */
        Py_INCREF(object);
        *keep = object;
        param->type = MEMFLUX_PARAM_BYTES;
        param->data = PyBytes_AS_STRING(object);
        param->length = (size_t)PyBytes_GET_SIZE(object);
    } else if (PyObject_CheckBuffer(object)) {
        if (PyObject_GetBuffer(object, view, PyBUF_SIMPLE) < 0) return -1;
        param->type = MEMFLUX_PARAM_BYTES;
        param->data = view->buf;
        param->length = (size_t)view->len;
    } else {
        PyObject *text = PyUnicode_Check(object) ? (Py_INCREF(object), object)
                                                 : PyObject_CallFunction(self->text_parameter, "On", object, i);
        if (text == NULL) return -1;
        Py_ssize_t length;
        const char *data = PyUnicode_AsUTF8AndSize(text, &length);
        if (data == NULL) {
            Py_DECREF(text);
            return -1;
        }
        *keep = text;
        param->type = MEMFLUX_PARAM_TEXT;
        param->data = data;
        param->length = (size_t)length;
    }
    return 0;
}

#define INLINE_PARAMETERS 16

/* Parameters bound for one call, with what their data points into. */
typedef struct {
    memflux_param *params;
    PyObject **keep;
    Py_buffer *views;
    Py_ssize_t bound;
    memflux_param inline_params[INLINE_PARAMETERS];
    PyObject *inline_keep[INLINE_PARAMETERS];
    Py_buffer inline_views[INLINE_PARAMETERS];
} Parameters;

static int parameters_reserve(Parameters *p, Py_ssize_t count) {
    p->bound = 0;
    p->params = p->inline_params;
    p->keep = p->inline_keep;
    p->views = p->inline_views;
    if (count <= INLINE_PARAMETERS) return 0;
    p->params = PyMem_Calloc((size_t)count, sizeof *p->params);
    p->keep = PyMem_Calloc((size_t)count, sizeof *p->keep);
    p->views = PyMem_Calloc((size_t)count, sizeof *p->views);
    if (p->params && p->keep && p->views) return 0;
    PyMem_Free(p->params);
    PyMem_Free(p->keep);
    PyMem_Free(p->views);
    p->params = p->inline_params;
    p->keep = p->inline_keep;
    p->views = p->inline_views;
    PyErr_NoMemory();
    return -1;
}

/* Binds `object` as the next parameter; `i` is its position in its row, for messages. */
static int parameters_add(Executor *self, Parameters *p, PyObject *object, Py_ssize_t i) {
    Py_ssize_t n = p->bound;
    p->keep[n] = NULL;
    p->views[n].obj = NULL;
    if (bind(self, object, i, &p->params[n], &p->keep[n], &p->views[n]) < 0) return -1;
    p->bound = n + 1;
    return 0;
}

static void parameters_release(Parameters *p) {
    for (Py_ssize_t i = 0; i < p->bound; i++) {
        Py_XDECREF(p->keep[i]);
        if (p->views[i].obj) PyBuffer_Release(&p->views[i]);
    }
    if (p->params != p->inline_params) {
        PyMem_Free(p->params);
        PyMem_Free(p->keep);
        PyMem_Free(p->views);
    }
}

/* The operation's UTF-8 text, or NULL with an error set. */
static const char *operation_text(PyObject *operation, Py_ssize_t *length) {
    if (!PyUnicode_Check(operation)) {
        PyErr_Format(PyExc_TypeError, "the operation must be a str, not %s", Py_TYPE(operation)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(operation, length);
}

static PyObject *Executor_execute(Executor *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "execute(session, operation, parameters)");
        return NULL;
    }
    if (args[0] == Py_None) return raise_closed(self);
    memflux_session *session = PyLong_AsVoidPtr(args[0]);
    if (session == NULL && PyErr_Occurred()) return NULL;
    PyObject *operation = args[1];
    Py_ssize_t text_length;
    const char *text = operation_text(operation, &text_length);
    if (text == NULL) return NULL;
    if (PyUnicode_Check(args[2]) || PyBytes_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "parameters must be a sequence (a tuple or a list), not a string");
        return NULL;
    }
    PyObject *sequence = PySequence_Fast(args[2], "parameters must be a sequence");
    if (sequence == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(sequence);
    Parameters p;
    if (parameters_reserve(&p, count) < 0) {
        Py_DECREF(sequence);
        return NULL;
    }
    PyObject *result = NULL;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (parameters_add(self, &p, PySequence_Fast_GET_ITEM(sequence, i), i) < 0) goto done;
    }
    memflux_reply *reply;
    Py_BEGIN_ALLOW_THREADS
    reply = self->execute_text(session, text, (size_t)text_length, count ? p.params : NULL, (size_t)count);
    Py_END_ALLOW_THREADS
    if (reply == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int kind = self->type(reply);
    if (kind == MEMFLUX_REPLY_ERROR) {
        raise_error(self, reply);
    } else if (kind == MEMFLUX_REPLY_ROWS) {
        result = rows_result(self, operation, reply);
    } else {
        int sql = is_sql(self, operation, text, text_length);
        if (sql == 1) {
            long long affected = kind == MEMFLUX_REPLY_INTEGER ? (long long)self->integer(reply) : -1;
            Py_INCREF(Py_None);
            result = triple(Py_None, Py_None, PyLong_FromLongLong(affected));
        } else if (sql == 0) {
            PyObject *reply_value = value(self, reply);
            PyObject *rows = reply_value ? PyList_New(1) : NULL;
            if (rows) PyList_SET_ITEM(rows, 0, reply_value);
            else Py_XDECREF(reply_value);
            result = triple(self->reply_description, rows, PyLong_FromLong(-1));
        }
    }
    self->free_reply(reply);
done:
    parameters_release(&p);
    Py_DECREF(sequence);
    return result;
}

static PyObject *Executor_execute_many(Executor *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "execute_many(session, operation, rows_of_parameters)");
        return NULL;
    }
    if (args[0] == Py_None) return raise_closed(self);
    memflux_session *session = PyLong_AsVoidPtr(args[0]);
    if (session == NULL && PyErr_Occurred()) return NULL;
    Py_ssize_t text_length;
    const char *text = operation_text(args[1], &text_length);
    if (text == NULL) return NULL;
    PyObject *rows = PySequence_Fast(args[2], "seq_of_parameters must be iterable");
    if (rows == NULL) return NULL;
    Py_ssize_t row_count = PySequence_Fast_GET_SIZE(rows), width = 0;
    PyObject *result = NULL;
    Parameters p;
    /* Each row as a fast sequence, so the values stay alive until the call returns. */
    PyObject *row_list = PyList_New(row_count);
    if (row_list == NULL || parameters_reserve(&p, 0) < 0) {
        Py_XDECREF(row_list);
        Py_DECREF(rows);
        return NULL;
    }
    for (Py_ssize_t r = 0; r < row_count; r++) {
        PyObject *row = PySequence_Fast(PySequence_Fast_GET_ITEM(rows, r), "each row of parameters must be a sequence");
        if (row == NULL) goto done;
        PyList_SET_ITEM(row_list, r, row);
        Py_ssize_t n = PySequence_Fast_GET_SIZE(row);
        if (r == 0) {
            width = n;
            if (width > 0 && row_count > PY_SSIZE_T_MAX / width) {
                PyErr_NoMemory();
                goto done;
            }
            if (parameters_reserve(&p, width * row_count) < 0) goto done;
        } else if (n != width) {
            raise_object(PyObject_CallFunction(self->make_error, "sss", "ERR", "42601",
                                               "every row of parameters must have as many values as the first"));
            goto done;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            if (parameters_add(self, &p, PySequence_Fast_GET_ITEM(row, i), i) < 0) goto done;
        }
    }
    memflux_reply *reply;
    Py_BEGIN_ALLOW_THREADS
    reply = self->execute_many(session, text, (size_t)text_length, p.bound ? p.params : NULL, (size_t)width,
                               (size_t)row_count);
    Py_END_ALLOW_THREADS
    if (reply == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (self->type(reply) == MEMFLUX_REPLY_ERROR) {
        raise_error(self, reply);
    } else {
        result = PyLong_FromLongLong(self->integer(reply));
    }
    self->free_reply(reply);
done:
    parameters_release(&p);
    Py_DECREF(row_list);
    Py_DECREF(rows);
    return result;
}

static PyMethodDef Executor_methods[] = {
    { "execute", (PyCFunction)(void (*)(void))Executor_execute, METH_FASTCALL,
      "execute(session, operation, parameters) -> (description, rows, rowcount)" },
    { "execute_many", (PyCFunction)(void (*)(void))Executor_execute_many, METH_FASTCALL,
      "execute_many(session, operation, rows_of_parameters) -> rows affected" },
    { NULL, NULL, 0, NULL },
};

static PyTypeObject ExecutorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memflux._native.Executor",
    .tp_basicsize = sizeof(Executor),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Executor(addresses, Row, make_error, text_parameter, reply_description, closed_message)",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Executor_init,
    .tp_dealloc = (destructor)Executor_dealloc,
    .tp_methods = Executor_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "The C path of memflux's driver.", -1, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    if (PyType_Ready(&ExecutorType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&ExecutorType);
    if (PyModule_AddObject(m, "Executor", (PyObject *)&ExecutorType) < 0) {
        Py_DECREF(&ExecutorType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
