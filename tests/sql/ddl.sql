-- CREATE TABLE with every column type, DEFAULTs, PRIMARY KEY (column and
-- table constraint, composite), NOT NULL, UNIQUE, and their errors (with
-- PostgreSQL's constraint names t_pkey, t_col_key); values cast to the
-- declared type on write (rounding, padding, range checks); CREATE TABLE IF
-- NOT EXISTS, DROP TABLE [IF EXISTS], TRUNCATE, ALTER TABLE ADD/DROP/RENAME
-- COLUMN and RENAME TO. The data set is empty: the queries build everything.

-- queries

CREATE TABLE t1 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER DEFAULT 1,
    price NUMERIC(8,2) DEFAULT 9.99,
    created DATE DEFAULT DATE '2024-01-01',
    note VARCHAR(5)
);

INSERT INTO t1 (id, name) VALUES (1, 'a');

SELECT * FROM t1;

INSERT INTO t1 VALUES (2, 'b', 5, 1.5, '2024-02-02', 'hello');

INSERT INTO t1 (id, name, note) VALUES (3, 'c', 'abc  '), (4, 'd', 'abcde   ');

SELECT id, note, length(note) AS len FROM t1 WHERE id IN (3, 4);

INSERT INTO t1 (id, name, qty, price) VALUES (5, 'e', '42', 3.14159), (6, 'f', 7.5, '2.005');

SELECT id, qty, price FROM t1 WHERE id IN (5, 6);

INSERT INTO t1 (id, name, qty) VALUES (7, 'g', NULL) RETURNING qty, price, created;

-- error
INSERT INTO t1 (id, name, note) VALUES (8, 'h', 'toolong');

-- error
INSERT INTO t1 (id, name) VALUES (9, NULL);

-- error
INSERT INTO t1 (name) VALUES ('no id');

-- error
INSERT INTO t1 (id, name) VALUES (1, 'dup');

-- error
INSERT INTO t1 (id, name, qty) VALUES (10, 'i', 3000000000);

-- error
INSERT INTO t1 (id, name, price) VALUES (11, 'j', 1000000);

-- error
INSERT INTO t1 (id, name, created) VALUES (12, 'k', 'someday');

SELECT count(*) FROM t1;

-- error
CREATE TABLE t1 (x INTEGER);

CREATE TABLE IF NOT EXISTS t1 (x INTEGER);

SELECT id, name FROM t1 WHERE id = 1;

-- error
CREATE TABLE t2 (id INTEGER PRIMARY KEY, id TEXT);

-- error
CREATE TABLE t2 (a INTEGER PRIMARY KEY, b INTEGER PRIMARY KEY);

-- error
CREATE TABLE t2 (a NOTATYPE);

-- error
CREATE TABLE t2 (a INTEGER, PRIMARY KEY (b));

-- error
CREATE TABLE t2 (a INTEGER DEFAULT 'x');

-- error
SELECT * FROM t2;

CREATE TABLE pairs (a INTEGER, b INTEGER, label TEXT, PRIMARY KEY (a, b));

INSERT INTO pairs VALUES (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z');

SELECT * FROM pairs;

-- error
INSERT INTO pairs VALUES (1, 2, 'again');

-- error
INSERT INTO pairs (a, label) VALUES (3, 'w');

UPDATE pairs SET b = 3 WHERE a = 1 AND b = 2;

-- error
UPDATE pairs SET b = 1 WHERE a = 1 AND b = 3;

SELECT * FROM pairs;

CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, handle TEXT NOT NULL UNIQUE);

INSERT INTO users VALUES (1, 'a@x', 'a'), (2, NULL, 'b'), (3, NULL, 'c');

-- error
INSERT INTO users VALUES (4, 'a@x', 'd');

-- error
INSERT INTO users VALUES (5, 'e@x', 'a');

-- error
UPDATE users SET email = 'a@x' WHERE id = 2;

SELECT * FROM users;

CREATE TABLE typed (
    id BIGINT PRIMARY KEY,
    s SMALLINT,
    i INTEGER,
    b BIGINT,
    c CHAR(3),
    v VARCHAR(4),
    f REAL,
    d DOUBLE PRECISION,
    n NUMERIC(5,2),
    ok BOOLEAN,
    ts TIMESTAMP,
    tz TIMESTAMPTZ,
    dt DATE,
    tm TIME,
    bin BYTEA,
    j JSONB,
    u UUID,
    ia INTEGER[],
    ta TEXT[]
);

INSERT INTO typed (id, s, i, c, v, f, d, n, ok, ts, tz, dt, tm, bin, j, u, ia, ta)
VALUES (1, '12', 7.6, 'ab', 'abcd', '1.5', 2, '3.14159', 'yes', '2024-01-31 12:00', '2024-01-31 12:00+02',
        '2024-01-31', '12:30', '\x00ff', '{"k": [1, 2]}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{1,2,3}', ARRAY['x', NULL]);

SELECT * FROM typed;

INSERT INTO typed (id, s, i, b, f, d, n) VALUES (2, -32768, 2147483647, -9223372036854775808, 1e-3, -0.0, -999.99) RETURNING *;

-- error
INSERT INTO typed (id, s) VALUES (3, 40000);

-- error
INSERT INTO typed (id, i) VALUES (3, 3000000000);

-- error
INSERT INTO typed (id, b) VALUES (3, 9223372036854775808);

-- error
INSERT INTO typed (id, c) VALUES (3, 'abcd');

-- error
INSERT INTO typed (id, n) VALUES (3, 1000);

-- error
INSERT INTO typed (id, ok) VALUES (3, 'maybe');

-- error
INSERT INTO typed (id, ts) VALUES (3, 'not a time');

-- error
INSERT INTO typed (id, bin) VALUES (3, '\xZ0');

-- error
INSERT INTO typed (id, j) VALUES (3, '{"a":');

-- error
INSERT INTO typed (id, u) VALUES (3, 'xyz');

-- error
INSERT INTO typed (id, ia) VALUES (3, '{1,a}');

-- error
INSERT INTO typed (id, ia) VALUES (3, 5);

-- error
INSERT INTO typed (id, dt) VALUES (3, 20240101);

-- error
INSERT INTO typed (id, f) VALUES (3, '1e40');

SELECT count(*) FROM typed;

DROP TABLE pairs;

-- error
SELECT * FROM pairs;

-- error
DROP TABLE pairs;

DROP TABLE IF EXISTS pairs;

DROP TABLE IF EXISTS pairs, nothing_here;

CREATE TABLE pairs (a INTEGER PRIMARY KEY);

SELECT * FROM pairs;

TRUNCATE TABLE t1;

SELECT count(*) FROM t1;

INSERT INTO t1 (id, name) VALUES (1, 'after truncate');

SELECT id, name, qty FROM t1;

TRUNCATE t1;

SELECT count(*) FROM t1;

INSERT INTO t1 (id, name, qty) VALUES (1, 'one', 10), (2, 'two', 20);

-- error
TRUNCATE nosuchtable;

ALTER TABLE t1 ADD COLUMN extra TEXT;

SELECT * FROM t1;

ALTER TABLE t1 ADD COLUMN flag BOOLEAN DEFAULT true;

SELECT id, extra, flag FROM t1;

INSERT INTO t1 (id, name, extra) VALUES (3, 'three', 'x');

SELECT id, extra, flag FROM t1;

ALTER TABLE t1 ADD extra2 INTEGER NOT NULL DEFAULT 0;

SELECT id, extra2 FROM t1;

ALTER TABLE t1 DROP COLUMN extra;

SELECT * FROM t1;

-- error
SELECT extra FROM t1;

ALTER TABLE t1 DROP extra2;

ALTER TABLE t1 RENAME COLUMN qty TO quantity;

SELECT id, quantity FROM t1;

-- error
SELECT qty FROM t1;

ALTER TABLE t1 RENAME TO items;

SELECT * FROM items;

-- error
SELECT * FROM t1;

INSERT INTO items (id, name) VALUES (4, 'four') RETURNING *;

-- error
INSERT INTO items (id, name) VALUES (4, 'four again');

-- error
ALTER TABLE nope ADD COLUMN x INTEGER;

-- error
ALTER TABLE items ADD COLUMN name TEXT;

-- error
ALTER TABLE items DROP COLUMN nope;

-- error
ALTER TABLE items RENAME COLUMN nope TO x;

-- error
ALTER TABLE items RENAME COLUMN name TO quantity;

-- error
ALTER TABLE items ADD COLUMN req TEXT NOT NULL;

-- error
ALTER TABLE items RENAME TO users;

ALTER TABLE items ADD COLUMN IF NOT EXISTS flag BOOLEAN;

ALTER TABLE items DROP COLUMN IF EXISTS nothing;

SELECT * FROM items;

DROP TABLE items, typed, users, pairs;

-- error
SELECT * FROM items;

CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);

SELECT count(*) FROM items;
