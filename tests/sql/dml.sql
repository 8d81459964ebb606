-- INSERT (VALUES, several rows, column lists, DEFAULT, INSERT ... SELECT),
-- UPDATE (expressions, DEFAULT, key changes, UPDATE ... FROM), DELETE
-- (DELETE ... USING), all with RETURNING; ON CONFLICT DO NOTHING / DO UPDATE
-- with excluded. and WHERE; the constraint errors, and statement atomicity
-- (a failing statement changes nothing). Counts come back for statements
-- without RETURNING; the SELECTs between them show the state.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    balance NUMERIC(12,2) DEFAULT 0,
    status TEXT DEFAULT 'open',
    opened DATE DEFAULT '2024-01-01'
);
CREATE TABLE ledger (id INTEGER PRIMARY KEY, account_id INTEGER, amount NUMERIC(12,2), note TEXT);
CREATE TABLE tags (account_id INTEGER, tag TEXT, PRIMARY KEY (account_id, tag));

INSERT INTO accounts (id, owner, balance) VALUES (1, 'ann', 100), (2, 'bob', 50.5), (3, 'cyd', 0);
INSERT INTO ledger VALUES
    (1, 1, 100, 'deposit'),
    (2, 2, 60.5, 'deposit'),
    (3, 2, -10, 'fee'),
    (4, 3, 0, 'open'),
    (5, 9, 5, 'orphan');

-- queries

INSERT INTO accounts (id, owner) VALUES (10, 'zoe');

SELECT * FROM accounts WHERE id = 10;

INSERT INTO accounts VALUES (11, 'yan', 5.5, 'frozen', '2024-02-02'), (12, 'xia', 7, DEFAULT, DEFAULT);

SELECT id, owner, balance, status, opened FROM accounts WHERE id IN (11, 12);

INSERT INTO accounts (owner, id) VALUES ('wu', 13) RETURNING *;

INSERT INTO accounts (id, owner, balance) VALUES (14, 'vic', 1.005) RETURNING id, balance;

INSERT INTO accounts (id, owner, balance) VALUES (15, 'una', -0.004), (16, 'tom', 99.999) RETURNING id, balance;

INSERT INTO accounts (id, owner, balance) VALUES (17, 'sue', '12.5') RETURNING balance;

INSERT INTO accounts (id, owner, status) VALUES (18, 'rob', NULL) RETURNING status;

INSERT INTO accounts (id, owner) SELECT id + 100, 'copy of ' || owner FROM accounts WHERE id < 3;

SELECT id, owner, balance FROM accounts WHERE id > 100;

INSERT INTO accounts (id, owner) SELECT id + 200, owner FROM accounts WHERE false;

INSERT INTO accounts (id, owner, balance) VALUES (19, 'quinn', 10) RETURNING id * 2 AS doubled, upper(owner) AS loud, balance + 1 AS more;

INSERT INTO accounts (id, owner) VALUES (20, 'pat') RETURNING id, owner, balance, status, opened;

INSERT INTO ledger (id, account_id, amount) VALUES (6, 1, 1), (7, 1, 2), (8, 1, 3) RETURNING id, note;

SELECT count(*) FROM accounts;

-- error
INSERT INTO accounts DEFAULT VALUES;

-- error
INSERT INTO accounts (id) VALUES (30);

-- error
INSERT INTO accounts (id, owner) VALUES (NULL, 'nobody');

-- error
INSERT INTO accounts (id, owner) VALUES (1, 'dup');

-- error
INSERT INTO accounts (id, owner) VALUES (31, 'a'), (31, 'b');

SELECT count(*) FROM accounts WHERE id = 31;

-- error
INSERT INTO accounts (id, owner) VALUES (32, 'ok'), (1, 'dup');

SELECT count(*) FROM accounts WHERE id = 32;

-- error
INSERT INTO accounts (id, owner, balance) VALUES (33, 'x', 'lots');

-- error
INSERT INTO accounts (id, owner, nope) VALUES (34, 'x', 1);

-- error
INSERT INTO accounts (id, owner) VALUES (35);

-- error
INSERT INTO accounts (id) VALUES (36, 'x');

-- error
INSERT INTO accounts (id, owner, balance) VALUES (37, 'x', 12345678901.00);

-- error
INSERT INTO accounts (id, owner, opened) VALUES (38, 'x', '2024-13-45');

-- error
INSERT INTO accounts (id, id, owner) VALUES (39, 39, 'x');

-- error
INSERT INTO nosuchtable VALUES (1);

-- error
INSERT INTO accounts (id, owner) VALUES (40, 'x') RETURNING nope;

SELECT count(*) FROM accounts WHERE id = 40;

INSERT INTO accounts (id, owner) VALUES (1, 'again') ON CONFLICT DO NOTHING;

INSERT INTO accounts (id, owner) VALUES (1, 'again'), (41, 'new') ON CONFLICT (id) DO NOTHING;

INSERT INTO accounts (id, owner) VALUES (1, 'again'), (42, 'newer') ON CONFLICT (id) DO NOTHING RETURNING id, owner;

SELECT id, owner FROM accounts WHERE id IN (1, 41, 42);

INSERT INTO accounts (id, owner, balance) VALUES (1, 'ann2', 50) ON CONFLICT (id) DO UPDATE SET balance = accounts.balance + excluded.balance RETURNING id, owner, balance;

INSERT INTO accounts (id, owner, balance) VALUES (2, 'bob2', 1) ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, balance = excluded.balance * 10 RETURNING *;

INSERT INTO accounts (id, owner) VALUES (11, 'frozen?') ON CONFLICT (id) DO UPDATE SET owner = excluded.owner WHERE accounts.status = 'open' RETURNING id, owner;

INSERT INTO accounts (id, owner) VALUES (12, 'xia2') ON CONFLICT (id) DO UPDATE SET owner = excluded.owner WHERE accounts.status = 'open' RETURNING id, owner;

INSERT INTO accounts (id, owner) VALUES (3, 'c'), (43, 'd') ON CONFLICT (id) DO UPDATE SET owner = excluded.owner || '!' RETURNING id, owner;

INSERT INTO accounts (id, owner, status) VALUES (3, 'c', 'vip') ON CONFLICT (id) DO UPDATE SET status = excluded.status;

SELECT id, owner, balance, status FROM accounts WHERE id IN (1, 2, 3, 11, 12, 43);

INSERT INTO tags VALUES (1, 'a'), (1, 'b'), (2, 'a');

INSERT INTO tags VALUES (1, 'a'), (2, 'b') ON CONFLICT (account_id, tag) DO NOTHING RETURNING *;

INSERT INTO tags VALUES (1, 'b') ON CONFLICT (tag, account_id) DO UPDATE SET tag = excluded.tag || '2' RETURNING tag;

SELECT * FROM tags;

-- error
INSERT INTO accounts (id, owner) VALUES (44, 'a'), (44, 'b') ON CONFLICT (id) DO UPDATE SET owner = excluded.owner;

-- error
INSERT INTO accounts (id, owner) VALUES (1, 'a') ON CONFLICT (owner) DO NOTHING;

-- error
INSERT INTO accounts (id, owner) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET owner = NULL;

-- error
INSERT INTO accounts (id, owner) VALUES (1, 'a') ON CONFLICT DO UPDATE SET owner = 'b';

-- error
INSERT INTO accounts (id, owner) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET owner = excluded.nope;

SELECT count(*) FROM accounts WHERE id = 44;

UPDATE accounts SET balance = balance + 10 WHERE status = 'open';

UPDATE accounts SET status = 'closed' WHERE id = 999;

UPDATE accounts SET balance = balance * 2, status = upper(status) WHERE id = 2 RETURNING *;

UPDATE accounts a SET balance = 0 WHERE a.owner LIKE 'copy%' RETURNING a.id, a.balance;

UPDATE accounts SET balance = DEFAULT, status = DEFAULT WHERE id = 3 RETURNING balance, status;

UPDATE accounts SET owner = owner || '.', balance = balance - 1 WHERE id IN (10, 11) RETURNING id, owner, balance;

UPDATE accounts SET balance = balance / 3 WHERE id = 1 RETURNING balance;

UPDATE accounts SET opened = opened + 31 WHERE id = 12 RETURNING opened;

UPDATE accounts SET status = CASE WHEN balance > 100 THEN 'rich' ELSE status END WHERE id < 20;

SELECT id, owner, balance, status FROM accounts WHERE id < 20;

-- error
UPDATE accounts SET owner = NULL WHERE id = 1;

-- error
UPDATE accounts SET id = 2 WHERE id = 1;

-- error
UPDATE accounts SET nope = 1;

-- error
UPDATE accounts SET balance = balance / 0 WHERE id = 2;

-- error
UPDATE accounts SET balance = 'x' WHERE id = 2;

-- error
UPDATE accounts SET balance = balance / (id - 2) WHERE id IN (1, 2, 3);

SELECT id, balance FROM accounts WHERE id IN (1, 2, 3);

UPDATE accounts SET id = id + 1000 WHERE id = 1 RETURNING id, owner;

SELECT id, owner FROM accounts WHERE id IN (1, 1001);

UPDATE accounts SET id = 1 WHERE id = 1001;

UPDATE accounts SET balance = accounts.balance + l.amount FROM ledger l WHERE l.account_id = accounts.id AND l.note = 'fee' RETURNING accounts.id, accounts.balance, l.note;

UPDATE accounts SET status = 'flagged' FROM (SELECT account_id FROM ledger GROUP BY account_id HAVING count(*) > 1) s WHERE s.account_id = accounts.id;

UPDATE accounts a SET owner = upper(a.owner) FROM ledger l WHERE l.account_id = a.id AND l.note = 'open' RETURNING a.id, a.owner;

SELECT id, owner, balance, status FROM accounts WHERE id IN (1, 2, 3);

DELETE FROM ledger WHERE amount < 0;

DELETE FROM ledger WHERE id = 999;

DELETE FROM ledger WHERE note IS NULL RETURNING id, amount;

DELETE FROM ledger USING accounts WHERE ledger.account_id = accounts.id AND accounts.status = 'flagged' RETURNING ledger.id, ledger.note;

DELETE FROM ledger l USING accounts a WHERE l.account_id = a.id AND a.owner = 'C!';

SELECT * FROM ledger;

DELETE FROM accounts WHERE status = 'frozen' RETURNING id, owner;

DELETE FROM accounts WHERE id > 100 RETURNING *;

DELETE FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.account_id = a.id) AND a.id > 15;

SELECT id, owner FROM accounts;

-- error
DELETE FROM accounts WHERE nope = 1;

-- error
DELETE FROM nosuchtable;

-- error
DELETE FROM accounts WHERE id / 0 = 1;

DELETE FROM tags;

SELECT count(*) FROM tags;

DELETE FROM ledger RETURNING id;

SELECT count(*) FROM accounts;
