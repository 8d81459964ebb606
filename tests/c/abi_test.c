// The C ABI's contract for bad input: every function called with NULL, a
// made-up handle, a handle of the wrong kind, and closed handles answers an
// error (or -1, NULL, 0 as memflux.h says) and never crashes. Then the reply
// accessors on every kind, and a database reopened from its files.
// Run by tests/test_c_abi.py (also under valgrind); exits non-zero on the first failure.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memflux.h"

static int failures = 0;

#define CHECK(condition)                                                                   \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition);  \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

// True when `r` is an error whose message contains `fragment`; frees `r`.
static int is_error(memflux_reply *r, const char *fragment) {
    int ok = r && memflux_reply_type(r) == MEMFLUX_REPLY_ERROR && strstr(memflux_reply_string(r, NULL), fragment) != NULL
             && memflux_reply_error_code(r) != NULL && strlen(memflux_reply_sqlstate(r)) == 5;
    if (!ok && r) fprintf(stderr, "  got type %d: %s\n", memflux_reply_type(r), memflux_reply_string(r, NULL));
    memflux_reply_free(r);
    return ok;
}

static memflux_reply *run(memflux_session *s, const char *line) {
    return memflux_execute_text(s, line, strlen(line), NULL, 0);
}

static void null_and_bad_handles(void) {
    memflux_session *fake_session = (memflux_session *)(uintptr_t)0x12345;
    memflux_db *fake_db = (memflux_db *)(uintptr_t)0x12341;
    const char *argv[] = { "PING" };
    size_t lengths[] = { 4 };
    memflux_session *handles[] = { NULL, fake_session };
    for (size_t i = 0; i < 2; i++) {
        memflux_session *s = handles[i];
        CHECK(is_error(memflux_execute(s, 1, argv, lengths), "invalid session handle"));
        CHECK(is_error(memflux_execute_text(s, "PING", 4, NULL, 0), "invalid session handle"));
        CHECK(is_error(memflux_sql(s, "SELECT 1", 8, NULL, 0), "invalid session handle"));
        CHECK(is_error(memflux_execute_many(s, "PING", 4, NULL, 0, 1), "invalid session handle"));
        CHECK(memflux_session_in_transaction(s) == -1);
        CHECK(memflux_session_close(s) == -1);
    }
    CHECK(memflux_session_open(NULL) == NULL);
    CHECK(memflux_session_open(fake_db) == NULL);
    CHECK(memflux_close(NULL) == -1);
    CHECK(memflux_close(fake_db) == -1);
    memflux_free_string(NULL);
    memflux_reply_free(NULL);
    CHECK(memflux_version() != NULL && strlen(memflux_version()) > 0);
    CHECK(memflux_is_sql(NULL, 3) == 0 && memflux_is_sql("x", (size_t)-1) == 0);
    CHECK(memflux_is_sql("  select 1", 10) == 1 && memflux_is_sql("SQL anything", 12) == 1);
    CHECK(memflux_is_sql("DELETE FROM t", 13) == 1 && memflux_is_sql("delete k", 8) == 0 && memflux_is_sql("GET k", 5) == 0);

    // Reply accessors on NULL.
    size_t n = 99;
    CHECK(memflux_reply_type(NULL) == -1);
    CHECK(memflux_reply_integer(NULL) == 0);
    CHECK(memflux_reply_double(NULL) == 0);
    CHECK(memflux_reply_string(NULL, &n) == NULL && n == 0);
    CHECK(memflux_reply_string(NULL, NULL) == NULL);
    CHECK(memflux_reply_error_code(NULL) == NULL);
    CHECK(memflux_reply_sqlstate(NULL) == NULL);
    CHECK(memflux_reply_length(NULL) == 0);
    CHECK(memflux_reply_element(NULL, 0) == NULL);
    CHECK(memflux_reply_column_count(NULL) == 0);
    CHECK(memflux_reply_column_name(NULL, 0, &n) == NULL);
    CHECK(memflux_reply_column_type(NULL, 0) == NULL);
}

static void bad_configurations(void) {
    char *error = NULL;
    CHECK(memflux_open("{not json", &error) == NULL);
    CHECK(error != NULL && strstr(error, "configuration") != NULL);
    memflux_free_string(error);
    error = NULL;
    CHECK(memflux_open("{\"port\": 1}", &error) == NULL);
    CHECK(error != NULL && strstr(error, "network") != NULL);
    memflux_free_string(error);
    error = NULL;
    CHECK(memflux_open("{\"durability\": \"sometimes\"}", &error) == NULL);
    CHECK(error != NULL && strstr(error, "durability") != NULL);
    memflux_free_string(error);
    CHECK(memflux_open("{\"no_such_key\": 1}", NULL) == NULL); // a NULL error out-parameter is allowed
}

static void bad_arguments(memflux_session *s) {
    CHECK(is_error(memflux_execute(s, 1, NULL, NULL), "argv is NULL"));
    const char *with_null[] = { "GET", NULL };
    CHECK(is_error(memflux_execute(s, 2, with_null, NULL), "argv[1] is NULL"));
    CHECK(is_error(memflux_execute(s, 0, NULL, NULL), "empty command"));
    CHECK(is_error(memflux_execute_text(s, NULL, 4, NULL, 0), "line is NULL"));
    CHECK(is_error(memflux_sql(s, NULL, 3, NULL, 0), "sql is NULL"));
    CHECK(is_error(memflux_sql(s, "SELECT ?", 8, NULL, 1), "params is NULL"));
    memflux_param unknown = { .type = 77 };
    CHECK(is_error(memflux_sql(s, "SELECT ?", 8, &unknown, 1), "unknown type"));
    memflux_param no_data = { .type = MEMFLUX_PARAM_TEXT, .data = NULL, .length = 3 };
    CHECK(is_error(memflux_sql(s, "SELECT ?", 8, &no_data, 1), "NULL data"));
    CHECK(is_error(run(s, "SET k \"unterminated"), "unbalanced quotes"));
    CHECK(is_error(memflux_execute_many(s, "PING", 4, NULL, 0, (size_t)1 << 40), "out of range"));
    CHECK(is_error(memflux_execute_many(s, "PING", 4, NULL, 2, 3), "params is NULL"));
    CHECK(is_error(memflux_execute_many(NULL, "PING", 4, NULL, 0, 1), "invalid session handle"));
    memflux_reply *many = memflux_execute_many(s, "INCR counted", 12, NULL, 0, 5);
    CHECK(memflux_reply_type(many) == MEMFLUX_REPLY_INTEGER && memflux_reply_integer(many) == -1);
    memflux_reply_free(many);
    memflux_param one = { .type = MEMFLUX_PARAM_INTEGER, .integer = 1 };
    CHECK(is_error(memflux_execute_text(s, "SET ? ?", 7, &one, 1), "2 placeholders but 1 parameters"));
    CHECK(is_error(run(s, "NOSUCHCOMMAND"), "unknown command"));
    memflux_reply *r = run(s, "SELECT * FROM missing_table");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_ERROR && strcmp(memflux_reply_sqlstate(r), "42P01") == 0);
    memflux_reply_free(r);
    r = run(s, "SELEC 1");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_ERROR);
    memflux_reply_free(r);
}

static void reply_kinds(memflux_session *s) {
    memflux_reply *r = run(s, "SET k v");
    size_t n;
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_OK && strcmp(memflux_reply_string(r, &n), "OK") == 0 && n == 2);
    CHECK(memflux_reply_element(r, 0) == NULL && memflux_reply_length(r) == 0 && memflux_reply_integer(r) == 0);
    memflux_reply_free(r);

    r = run(s, "PING");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_STATUS && strcmp(memflux_reply_string(r, NULL), "PONG") == 0);
    memflux_reply_free(r);

    r = run(s, "GET missing");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_NIL && memflux_reply_string(r, NULL) == NULL);
    memflux_reply_free(r);

    r = run(s, "INCRBYFLOAT f 1.5");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_BULK && strcmp(memflux_reply_string(r, NULL), "1.5") == 0);
    memflux_reply_free(r);

    r = run(s, "HSET h a 1 b 2");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_INTEGER && memflux_reply_integer(r) == 2 && memflux_reply_double(r) == 2.0);
    memflux_reply_free(r);

    r = run(s, "HGETALL h");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_MAP && memflux_reply_length(r) == 4);
    CHECK(memflux_reply_element(r, 4) == NULL && memflux_reply_element(r, (size_t)-1) == NULL);
    memflux_reply_free(r);

    r = run(s, "SADD s x");
    memflux_reply_free(r);
    r = run(s, "SMEMBERS s");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_SET && memflux_reply_length(r) == 1);
    CHECK(memflux_reply_type(memflux_reply_element(r, 0)) == MEMFLUX_REPLY_BULK);
    memflux_reply_free(r);

    r = run(s, "SELECT 1 AS one, 2.5::float8 AS half, true AS yes, NULL AS nothing, 'é' AS word, 1.50::numeric AS num");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_ROWS && memflux_reply_length(r) == 1 && memflux_reply_column_count(r) == 6);
    CHECK(strcmp(memflux_reply_column_name(r, 0, &n), "one") == 0 && n == 3);
    CHECK(strcmp(memflux_reply_column_type(r, 0), "integer") == 0);
    CHECK(strcmp(memflux_reply_column_type(r, 1), "double precision") == 0);
    CHECK(memflux_reply_column_name(r, 6, NULL) == NULL && memflux_reply_column_type(r, 6) == NULL);
    const memflux_reply *row = memflux_reply_element(r, 0);
    CHECK(memflux_reply_type(row) == MEMFLUX_REPLY_ARRAY && memflux_reply_length(row) == 6);
    CHECK(memflux_reply_integer(memflux_reply_element(row, 0)) == 1);
    CHECK(memflux_reply_double(memflux_reply_element(row, 1)) == 2.5);
    CHECK(memflux_reply_type(memflux_reply_element(row, 2)) == MEMFLUX_REPLY_BOOL && memflux_reply_integer(memflux_reply_element(row, 2)) == 1);
    CHECK(memflux_reply_type(memflux_reply_element(row, 3)) == MEMFLUX_REPLY_NIL);
    CHECK(memflux_reply_type(memflux_reply_element(row, 4)) == MEMFLUX_REPLY_TEXT && strcmp(memflux_reply_string(memflux_reply_element(row, 4), &n), "é") == 0 && n == 2);
    CHECK(strcmp(memflux_reply_string(memflux_reply_element(row, 5), NULL), "1.50") == 0);
    CHECK(memflux_reply_element(r, 1) == NULL);
    memflux_reply_free(r);

    r = run(s, "EXPLAIN SELECT 1");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_ROWS && strcmp(memflux_reply_column_name(r, 0, NULL), "QUERY PLAN") == 0);
    memflux_reply_free(r);

    // Every parameter type round-trips.
    memflux_param params[6] = {
        { .type = MEMFLUX_PARAM_NULL },
        { .type = MEMFLUX_PARAM_INTEGER, .integer = -9223372036854775807LL - 1 },
        { .type = MEMFLUX_PARAM_DOUBLE, .real = 0.1 },
        { .type = MEMFLUX_PARAM_TEXT, .data = "t\0x", .length = 1 },
        { .type = MEMFLUX_PARAM_BYTES, .data = "a\0b", .length = 3 },
        { .type = MEMFLUX_PARAM_BOOL, .integer = 1 },
    };
    const char *select = "SELECT ?, ?, ?, ?, ?, ?";
    r = memflux_sql(s, select, strlen(select), params, 6);
    row = memflux_reply_element(r, 0);
    CHECK(memflux_reply_type(memflux_reply_element(row, 0)) == MEMFLUX_REPLY_NIL);
    CHECK(memflux_reply_integer(memflux_reply_element(row, 1)) == -9223372036854775807LL - 1);
    CHECK(memflux_reply_double(memflux_reply_element(row, 2)) == 0.1);
    CHECK(strcmp(memflux_reply_string(memflux_reply_element(row, 3), NULL), "t") == 0);
    CHECK(memflux_reply_type(memflux_reply_element(row, 4)) == MEMFLUX_REPLY_BULK);
    CHECK(memflux_reply_string(memflux_reply_element(row, 4), &n) != NULL && n == 3 && memcmp(memflux_reply_string(memflux_reply_element(row, 4), NULL), "a\0b", 3) == 0);
    CHECK(memflux_reply_type(memflux_reply_element(row, 5)) == MEMFLUX_REPLY_BOOL);
    memflux_reply_free(r);
}

static void closed_handles(const char *dir) {
    char config[512];
    snprintf(config, sizeof config, "{\"dir\": \"%s\", \"durability\": \"full\"}", dir);
    char *error = NULL;
    memflux_db *db = memflux_open(config, &error);
    CHECK(db != NULL);
    if (!db) {
        fprintf(stderr, "  %s\n", error);
        memflux_free_string(error);
        return;
    }
    // A second database on the same directory is refused while the first holds it.
    CHECK(memflux_open(config, &error) == NULL && error != NULL);
    memflux_free_string(error);

    memflux_session *s = memflux_session_open(db);
    memflux_session *kept = memflux_session_open(db);
    memflux_reply_free(run(s, "SET survivor yes"));
    CHECK(memflux_session_close(s) == 0);
    CHECK(memflux_session_close(s) == -1);
    CHECK(is_error(run(s, "PING"), "invalid session handle"));

    CHECK(memflux_close(db) == 0);
    CHECK(memflux_close(db) == -1);
    CHECK(memflux_session_open(db) == NULL);
    CHECK(is_error(run(kept, "PING"), "the database is closed"));
    CHECK(is_error(memflux_sql(kept, "SELECT 1", 8, NULL, 0), "the database is closed"));
    CHECK(memflux_session_close(kept) == 0);

    // Reopened from its files.
    db = memflux_open(config, NULL);
    CHECK(db != NULL);
    s = memflux_session_open(db);
    memflux_reply *r = run(s, "GET survivor");
    CHECK(memflux_reply_type(r) == MEMFLUX_REPLY_BULK && strcmp(memflux_reply_string(r, NULL), "yes") == 0);
    memflux_reply_free(r);
    memflux_session_close(s);
    memflux_close(db);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: abi_test DATA_DIRECTORY\n");
        return 2;
    }
    null_and_bad_handles();
    bad_configurations();
    memflux_db *db = memflux_open("{\"persistence\": false}", NULL);
    memflux_session *s = memflux_session_open(db);
    // A session handle is not a database handle, nor the other way round.
    CHECK(memflux_close((memflux_db *)s) == -1);
    CHECK(memflux_session_close((memflux_session *)db) == -1);
    bad_arguments(s);
    reply_kinds(s);
    memflux_session_close(s);
    memflux_close(db);
    closed_handles(argv[1]);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
