// MemFlux embedded in C: a key, a table, a typed query, an error, a transaction.
// Build and run (examples/c/run.sh does this):
//   cc -I Sources/CMemFlux/include example.c -L .build/release -lmemflux -Wl,-rpath,.build/release
#include <stdio.h>
#include <string.h>

#include "memflux.h"

static memflux_reply *run(memflux_session *s, const char *line) {
    return memflux_execute_text(s, line, strlen(line), NULL, 0);
}

// Prints a reply the way redis-cli would, rows as (column=value, ...).
static void print_reply(const memflux_reply *r, int depth) {
    size_t n = 0;
    const char *text;
    switch (memflux_reply_type(r)) {
    case MEMFLUX_REPLY_NIL: printf("(nil)"); break;
    case MEMFLUX_REPLY_OK:
    case MEMFLUX_REPLY_STATUS: printf("%s", memflux_reply_string(r, NULL)); break;
    case MEMFLUX_REPLY_ERROR:
        printf("(error %s, SQLSTATE %s) %s", memflux_reply_error_code(r), memflux_reply_sqlstate(r),
               memflux_reply_string(r, NULL));
        break;
    case MEMFLUX_REPLY_INTEGER: printf("(integer) %lld", (long long)memflux_reply_integer(r)); break;
    case MEMFLUX_REPLY_DOUBLE: printf("(double) %g", memflux_reply_double(r)); break;
    case MEMFLUX_REPLY_BOOL: printf("(boolean) %s", memflux_reply_integer(r) ? "true" : "false"); break;
    case MEMFLUX_REPLY_BULK:
    case MEMFLUX_REPLY_TEXT:
        text = memflux_reply_string(r, &n);
        printf("\"%.*s\"", (int)n, text);
        break;
    case MEMFLUX_REPLY_ROWS:
        for (size_t i = 0; i < memflux_reply_length(r); i++) {
            const memflux_reply *row = memflux_reply_element(r, i);
            printf("%s(", i ? "\n" : "");
            for (size_t c = 0; c < memflux_reply_column_count(r); c++) {
                printf("%s%s %s=", c ? ", " : "", memflux_reply_column_name(r, c, NULL), memflux_reply_column_type(r, c));
                print_reply(memflux_reply_element(row, c), depth + 1);
            }
            printf(")");
        }
        break;
    default:
        printf("[");
        for (size_t i = 0; i < memflux_reply_length(r); i++) {
            if (i) printf(", ");
            print_reply(memflux_reply_element(r, i), depth + 1);
        }
        printf("]");
    }
    if (depth == 0) printf("\n");
}

int main(void) {
    char *error = NULL;
    memflux_db *db = memflux_open("{\"persistence\": false}", &error);
    if (!db) {
        fprintf(stderr, "open failed: %s\n", error);
        memflux_free_string(error);
        return 1;
    }
    printf("MemFlux %s\n", memflux_version());
    memflux_session *s = memflux_session_open(db);

    const char *lines[] = {
        "SET greeting \"hello world\"",
        "GET greeting",
        "RPUSH queue a b c",
        "LRANGE queue 0 -1",
        "create table products (id int primary key, name text, price real)",
        "INSERT INTO products VALUES (1, 'Laptop', 1200.50), (2, 'Mouse', 25)",
        "SELECT name, price FROM products ORDER BY id",
        "SELECT 1 / 0",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        printf("> %s\n", lines[i]);
        memflux_reply *r = run(s, lines[i]);
        print_reply(r, 0);
        memflux_reply_free(r);
    }

    // Typed parameters, bound to the placeholders, never spliced into the text.
    const char *query = "SELECT name FROM products WHERE price > ? AND name <> ?";
    memflux_param params[2] = {
        { .type = MEMFLUX_PARAM_DOUBLE, .real = 100.0 },
        { .type = MEMFLUX_PARAM_TEXT, .data = "Mouse", .length = 5 },
    };
    printf("> %s (100.0, 'Mouse')\n", query);
    memflux_reply *r = memflux_sql(s, query, strlen(query), params, 2);
    print_reply(r, 0);
    memflux_reply_free(r);

    // Binary-safe argv.
    const char *argv[] = { "SET", "bin", "a\0b" };
    size_t lengths[] = { 3, 3, 3 };
    r = memflux_execute(s, 3, argv, lengths);
    print_reply(r, 0);
    memflux_reply_free(r);
    r = run(s, "STRLEN bin");
    print_reply(r, 0);
    memflux_reply_free(r);

    // A transaction: nothing is visible to other sessions until COMMIT.
    memflux_session *other = memflux_session_open(db);
    memflux_reply_free(run(s, "BEGIN"));
    memflux_reply_free(run(s, "INSERT INTO products VALUES (3, 'Desk', 300)"));
    printf("in transaction: %d\n", memflux_session_in_transaction(s));
    r = run(other, "SELECT count(*) FROM products");
    print_reply(r, 0);
    memflux_reply_free(r);
    memflux_reply_free(run(s, "COMMIT"));
    r = run(other, "SELECT count(*) FROM products");
    print_reply(r, 0);
    memflux_reply_free(r);

    memflux_session_close(other);
    memflux_session_close(s);
    return memflux_close(db) == 0 ? 0 : 1;
}
