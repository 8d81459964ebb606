-- Transactions inside one file: BEGIN/START TRANSACTION, COMMIT, ROLLBACK,
-- SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT, reads of a
-- transaction's own writes, DDL rolled back, and statement atomicity outside
-- transactions. PostgreSQL aborts a whole transaction on a failed statement
-- while MemFlux undoes only the statement, so every statement meant to fail
-- inside a transaction is wrapped in a savepoint and rolled back to it: both
-- then agree.
CREATE TABLE bank (id INTEGER PRIMARY KEY, owner TEXT, balance INTEGER NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);
INSERT INTO bank VALUES (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);

-- queries

BEGIN;

UPDATE bank SET balance = balance - 30 WHERE id = 1;

UPDATE bank SET balance = balance + 30 WHERE id = 2;

SELECT * FROM bank;

COMMIT;

SELECT * FROM bank;

BEGIN;

DELETE FROM bank WHERE id = 3;

SELECT count(*) FROM bank;

INSERT INTO audit VALUES (1, 'deleted cy');

ROLLBACK;

SELECT count(*) FROM bank;

SELECT count(*) FROM audit;

START TRANSACTION;

INSERT INTO bank VALUES (4, 'dee', 10);

SAVEPOINT s1;

UPDATE bank SET balance = 999 WHERE id = 4;

SELECT balance FROM bank WHERE id = 4;

ROLLBACK TO SAVEPOINT s1;

SELECT balance FROM bank WHERE id = 4;

UPDATE bank SET balance = balance + 1 WHERE id = 4;

RELEASE SAVEPOINT s1;

COMMIT;

SELECT * FROM bank WHERE id = 4;

BEGIN;

SAVEPOINT before_dup;

-- error
INSERT INTO bank VALUES (1, 'dup', 1);

ROLLBACK TO SAVEPOINT before_dup;

UPDATE bank SET balance = balance + 1 WHERE id = 1;

COMMIT;

SELECT balance FROM bank WHERE id = 1;

BEGIN;

SAVEPOINT a;

-- error
UPDATE bank SET balance = NULL WHERE id = 2;

ROLLBACK TO a;

SAVEPOINT b;

-- error
SELECT 1 / 0;

ROLLBACK TO SAVEPOINT b;

INSERT INTO audit VALUES (2, 'survived');

COMMIT;

SELECT * FROM audit;

SELECT balance FROM bank WHERE id = 2;

BEGIN;

INSERT INTO audit VALUES (3, 'outer');

SAVEPOINT one;

INSERT INTO audit VALUES (4, 'inner one');

SAVEPOINT two;

INSERT INTO audit VALUES (5, 'inner two');

SELECT count(*) FROM audit;

ROLLBACK TO SAVEPOINT one;

SELECT id FROM audit;

SAVEPOINT three;

-- error
RELEASE SAVEPOINT two;

ROLLBACK TO SAVEPOINT three;

INSERT INTO audit VALUES (6, 'after');

RELEASE SAVEPOINT one;

COMMIT;

SELECT * FROM audit;

BEGIN;

SAVEPOINT x;

INSERT INTO audit VALUES (7, 'x');

SAVEPOINT x;

INSERT INTO audit VALUES (8, 'x again');

ROLLBACK TO SAVEPOINT x;

SELECT id FROM audit WHERE id >= 7;

ROLLBACK TO SAVEPOINT x;

SELECT id FROM audit WHERE id >= 7;

COMMIT;

BEGIN;

UPDATE bank SET balance = 0;

SELECT sum(balance) FROM bank;

ROLLBACK;

SELECT sum(balance) FROM bank;

BEGIN;

CREATE TABLE scratch (id INTEGER PRIMARY KEY);

INSERT INTO scratch VALUES (1), (2);

SELECT count(*) FROM scratch;

ROLLBACK;

-- error
SELECT * FROM scratch;

BEGIN;

CREATE TABLE kept (id INTEGER PRIMARY KEY, v TEXT);

INSERT INTO kept VALUES (1, 'one');

COMMIT;

SELECT * FROM kept;

BEGIN ISOLATION LEVEL SERIALIZABLE;

UPDATE kept SET v = 'uno' WHERE id = 1;

COMMIT;

BEGIN ISOLATION LEVEL REPEATABLE READ;

SELECT v FROM kept;

COMMIT;

BEGIN;

INSERT INTO kept VALUES (2, 'two') RETURNING *;

UPDATE kept SET v = upper(v) RETURNING id, v;

DELETE FROM kept WHERE id = 1 RETURNING *;

ROLLBACK;

SELECT * FROM kept;

-- error
SAVEPOINT nowhere;

-- error
ROLLBACK TO SAVEPOINT nowhere;

-- error
RELEASE SAVEPOINT nowhere;

-- error
UPDATE bank SET balance = balance / (id - 2);

SELECT * FROM bank;

-- error
INSERT INTO bank VALUES (10, 'x', 1), (1, 'dup', 1);

SELECT count(*) FROM bank;

-- error
UPDATE bank SET balance = NULL WHERE id > 2;

SELECT id, balance FROM bank WHERE id > 2;
