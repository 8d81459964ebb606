/*
 * memflux.h: MemFlux embedded in a C program (libmemflux.so).
 *
 * One database per memflux_open; any number of sessions on it. A session is
 * one transaction context: without BEGIN every command is its own
 * transaction; between BEGIN and COMMIT (or ROLLBACK) its commands form one.
 *
 *     char *error = NULL;
 *     memflux_db *db = memflux_open("{\"persistence\": false}", &error);
 *     if (!db) { fprintf(stderr, "%s\n", error); memflux_free_string(error); return 1; }
 *     memflux_session *s = memflux_session_open(db);
 *     memflux_reply *r = memflux_execute_text(s, "SET greeting hello", 18, NULL, 0);
 *     memflux_reply_free(r);
 *     memflux_param id = { .type = MEMFLUX_PARAM_INTEGER, .integer = 1 };
 *     r = memflux_sql(s, "SELECT name FROM users WHERE id = ?", 35, &id, 1);
 *     for (size_t i = 0; i < memflux_reply_length(r); i++) {
 *         const memflux_reply *row = memflux_reply_element(r, i);
 *         size_t n;
 *         const char *name = memflux_reply_string(memflux_reply_element(row, 0), &n);
 *     }
 *     memflux_reply_free(r);
 *     memflux_session_close(s);
 *     memflux_close(db);
 *
 * Rules that hold for every function:
 * - Handles are opaque. A NULL, a closed or a made-up handle is reported (an
 *   error reply, -1, or NULL as each function says), never crashed on.
 * - Every function may be called from any thread. Calls on one session are
 *   serialized (a second thread waits for the first call to return); calls on
 *   different sessions run in parallel.
 * - Nothing throws, traps or aborts across this boundary: an error in a
 *   command is an error reply (MEMFLUX_REPLY_ERROR) with its code.
 * - Ownership: a memflux_reply returned by memflux_execute, memflux_execute_text
 *   or memflux_sql belongs to the caller until memflux_reply_free; everything
 *   reached from it (elements, strings) lives exactly as long and must not be
 *   freed separately. Strings a function stores through a `char **error` are
 *   the caller's, freed with memflux_free_string. Input buffers are only read
 *   during the call.
 */
#ifndef MEMFLUX_H
#define MEMFLUX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct memflux_db memflux_db;
typedef struct memflux_session memflux_session;
typedef struct memflux_reply memflux_reply;

/* The kind of a reply node (memflux_reply_type). */
enum {
    MEMFLUX_REPLY_NIL = 0,     /* a missing value (GET of a missing key, SQL NULL) */
    MEMFLUX_REPLY_OK = 1,      /* the status +OK; its string is "OK" */
    MEMFLUX_REPLY_STATUS = 2,  /* another status line (PONG, QUEUED) */
    MEMFLUX_REPLY_ERROR = 3,   /* string: the message; code and SQLSTATE below */
    MEMFLUX_REPLY_INTEGER = 4,
    MEMFLUX_REPLY_DOUBLE = 5,
    MEMFLUX_REPLY_BOOL = 6,    /* memflux_reply_integer gives 0 or 1 */
    MEMFLUX_REPLY_BULK = 7,    /* binary-safe bytes */
    MEMFLUX_REPLY_TEXT = 8,    /* UTF-8 text: SQL text values, and SQL values without a C type
                                  (numeric, date, timestamp, uuid, json, arrays) in PostgreSQL's text form */
    MEMFLUX_REPLY_ARRAY = 9,
    MEMFLUX_REPLY_MAP = 10,    /* elements alternate key, value: length is twice the pairs */
    MEMFLUX_REPLY_SET = 11,    /* unordered members */
    MEMFLUX_REPLY_ROWS = 12    /* a SQL result: length rows, each an ARRAY of column values;
                                  column names and types through memflux_reply_column_* */
};

/* The type of a bound parameter (memflux_param.type). */
enum {
    MEMFLUX_PARAM_NULL = 0,
    MEMFLUX_PARAM_INTEGER = 1, /* .integer */
    MEMFLUX_PARAM_DOUBLE = 2,  /* .real */
    MEMFLUX_PARAM_TEXT = 3,    /* .data, .length: UTF-8 (invalid sequences become U+FFFD) */
    MEMFLUX_PARAM_BYTES = 4,   /* .data, .length: any bytes */
    MEMFLUX_PARAM_BOOL = 5     /* .integer: 0 is false, anything else true */
};

/* One value bound to a placeholder. Unused fields are ignored. */
typedef struct memflux_param {
    int32_t type;
    int64_t integer;
    double real;
    const char *data;
    size_t length;
} memflux_param;

/* The library's version, e.g. "0.4.0". Static storage. */
const char *memflux_version(void);

/* ---- Databases ---- */

/*
 * Opens a database, first recovering what its data files hold. `config_json`
 * is a JSON object with the keys of config.json that are not about the
 * network: persistence, durability, wal_file, wal_overflow_file,
 * snapshot_file, snapshot_temp_file, wal_size_threshold_mb, maxmemory_mb,
 * eviction_policy, isolation_level, slowlog_log_slower_than, slowlog_max_len,
 * and "dir", the directory the files are in (default: the working directory).
 * NULL or "" is "{}": every default, persistence on. Another process or
 * database holding the directory is an error.
 * On failure answers NULL and, when `error` is not NULL, stores a message
 * there (free it with memflux_free_string).
 */
memflux_db *memflux_open(const char *config_json, char **error);

/*
 * Closes the database: waits for calls in progress, writes a final snapshot
 * (with persistence) and releases the files. Its sessions answer errors from
 * then on, and must still be closed. Answers 0, or -1 for a bad handle
 * (including a database already closed).
 */
int memflux_close(memflux_db *db);

/* Frees a string this library stored through a `char **error`. NULL is ignored. */
void memflux_free_string(char *string);

/* ---- Sessions ---- */

/* A new session on `db`, or NULL for a bad or closed database. */
memflux_session *memflux_session_open(memflux_db *db);

/* Ends a session, rolling back its open transaction. Answers 0, or -1 for a bad handle. */
int memflux_session_close(memflux_session *session);

/* 1 inside BEGIN ... COMMIT or MULTI ... EXEC, 0 outside, -1 for a bad handle. */
int memflux_session_in_transaction(memflux_session *session);

/* ---- Running commands ---- */
/* Each answers a reply the caller frees; NULL only when memory runs out. */

/*
 * Runs the command argv[0] argv[1] ... (argc arguments of lengths[i] bytes
 * each, binary-safe; with `lengths` NULL, each argument is NUL-terminated).
 */
memflux_reply *memflux_execute(memflux_session *session, size_t argc, const char *const *argv, const size_t *lengths);

/*
 * Runs one line of `length` bytes. A line whose first word is SQL (then the
 * statement follows), SELECT, INSERT, UPDATE, WITH, VALUES, CREATE, DROP,
 * ALTER, TRUNCATE or EXPLAIN, or DELETE followed by FROM (any letter case),
 * is a SQL statement, run as memflux_sql runs it. Any other line is a command
 * split with redis-cli's quoting rules (`SET k "a b"`); there each unquoted
 * `?` word takes the next parameter's bytes (text and bytes as they are,
 * numbers in decimal, booleans as 1 or 0).
 */
memflux_reply *memflux_execute_text(memflux_session *session, const char *line, size_t length,
                                    const memflux_param *params, size_t param_count);

/* 1 when memflux_execute_text would run `line` as SQL (by the rule above), else 0. NULL is 0. */
int memflux_is_sql(const char *line, size_t length);

/*
 * Runs one SQL statement with `params` bound to its `?` (or $1, $2 ...)
 * placeholders. A query answers MEMFLUX_REPLY_ROWS; INSERT, UPDATE and
 * DELETE without RETURNING the INTEGER count of rows; DDL and BEGIN/COMMIT
 * MEMFLUX_REPLY_OK; EXPLAIN ROWS with one TEXT column, "QUERY PLAN".
 */
memflux_reply *memflux_sql(memflux_session *session, const char *sql, size_t length,
                           const memflux_param *params, size_t param_count);

/*
 * Runs `line` (as memflux_execute_text) once per row of parameters:
 * `params` holds `row_count` rows of `params_per_row` values, row after row.
 * All rows form one transaction: the session's open one, or else one of
 * their own committed after the last row, so an error in any row answers
 * that error and leaves nothing of the other rows behind. Answers the
 * INTEGER total of rows the SQL statements affected (-1 for commands and
 * queries, whose replies are not kept), or the first error.
 */
memflux_reply *memflux_execute_many(memflux_session *session, const char *line, size_t length,
                                    const memflux_param *params, size_t params_per_row, size_t row_count);

/* ---- Reading replies (no copies: pointers into the reply) ---- */

/* The node's MEMFLUX_REPLY_* kind, or -1 for NULL. */
int memflux_reply_type(const memflux_reply *reply);

/* INTEGER's value, BOOL's 0 or 1; 0 for other kinds. */
int64_t memflux_reply_integer(const memflux_reply *reply);

/* DOUBLE's value, INTEGER's as a double; 0 for other kinds. */
double memflux_reply_double(const memflux_reply *reply);

/*
 * The bytes of an OK, STATUS, ERROR (its message), BULK or TEXT node,
 * followed by a NUL that `length` does not count (BULK may hold NULs of its
 * own). NULL for other kinds. `length` may be NULL.
 */
const char *memflux_reply_string(const memflux_reply *reply, size_t *length);

/* An ERROR's code word ("ERR", "WRONGTYPE", "SERIALIZATION", "SYNTAX" ...); NULL for other kinds. */
const char *memflux_reply_error_code(const memflux_reply *reply);

/*
 * An ERROR's five-character SQLSTATE, PostgreSQL's classes: "23505" a unique
 * violation, "22012" division by zero, "42P01" an undefined table, "40001" a
 * serialization failure, "HY000" an error without a finer class. NULL for
 * other kinds.
 */
const char *memflux_reply_sqlstate(const memflux_reply *reply);

/* Elements of an ARRAY, SET or MAP (keys plus values), rows of ROWS; 0 for other kinds. */
size_t memflux_reply_length(const memflux_reply *reply);

/* Element (or row) `index`, or NULL when out of range or not an aggregate. */
const memflux_reply *memflux_reply_element(const memflux_reply *reply, size_t index);

/* Columns of a ROWS reply; 0 for other kinds. */
size_t memflux_reply_column_count(const memflux_reply *reply);

/* Column `index`'s name (UTF-8, NUL-terminated); NULL when out of range. `length` may be NULL. */
const char *memflux_reply_column_name(const memflux_reply *reply, size_t index, size_t *length);

/* Column `index`'s SQL type as PostgreSQL names it ("integer", "text", "double precision" ...); NULL when out of range. */
const char *memflux_reply_column_type(const memflux_reply *reply, size_t index);

/* Frees a reply returned by a memflux_execute* or memflux_sql call. NULL is ignored. */
void memflux_reply_free(memflux_reply *reply);

#ifdef __cplusplus
}
#endif

#endif /* MEMFLUX_H */
