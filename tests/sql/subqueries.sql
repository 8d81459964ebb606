-- Subqueries: derived tables in FROM, scalar subqueries (correlated too, in
-- the select list, WHERE, ORDER BY and HAVING), IN / NOT IN (with NULLs in
-- the subquery), EXISTS / NOT EXISTS, = ANY, > ALL, SOME, over arrays too, and
-- the errors of subqueries returning too many rows or columns.
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, vip BOOLEAN);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total NUMERIC(8,2), placed DATE);
CREATE TABLE refunds (order_id INTEGER PRIMARY KEY, amount NUMERIC(8,2));

INSERT INTO customers VALUES
    (1, 'Ann', 'NO', true),
    (2, 'Bob', 'SE', false),
    (3, 'Cyd', 'NO', NULL),
    (4, 'Dee', NULL, false),
    (5, 'Eve', 'DK', true);
INSERT INTO orders VALUES
    (10, 1, 100.00, '2024-01-01'),
    (11, 1, 250.50, '2024-01-15'),
    (12, 2, 75.25, '2024-02-01'),
    (13, 3, 10.00, '2024-02-02'),
    (14, NULL, 999.99, '2024-02-03'),
    (15, 2, NULL, '2024-03-01'),
    (16, 5, 40.00, NULL);
INSERT INTO refunds VALUES (10, 20.00), (12, 75.25), (14, 1.00), (99, 5.00);

-- queries

SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders);

SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);

SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL);

SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 50);

SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE false);

SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE false);

SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'NO');

SELECT id FROM orders WHERE customer_id NOT IN (SELECT id FROM customers WHERE vip);

SELECT id FROM orders WHERE (customer_id IN (SELECT id FROM customers WHERE vip)) IS NULL;

SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);

SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);

SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.total > 200);

SELECT name FROM customers WHERE EXISTS (SELECT 1 FROM orders WHERE total > 500);

SELECT name FROM customers WHERE NOT EXISTS (SELECT 1 FROM orders WHERE total > 5000);

SELECT name FROM customers c WHERE EXISTS (SELECT NULL FROM orders o WHERE o.customer_id = c.id AND o.total IS NULL);

SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.amount = o.total);

SELECT name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS orders FROM customers c;

SELECT name, (SELECT sum(total) FROM orders o WHERE o.customer_id = c.id) AS spent FROM customers c;

SELECT name, (SELECT max(placed) FROM orders o WHERE o.customer_id = c.id) AS last_order FROM customers c;

SELECT name, (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.total DESC NULLS LAST, o.id LIMIT 1) AS biggest FROM customers c;

SELECT (SELECT 1) AS one, (SELECT NULL::int) AS nothing, (SELECT name FROM customers WHERE id = 999) AS missing;

SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM orders) AS rows_total;

SELECT id, total, total - (SELECT avg(total) FROM orders) AS above_mean FROM orders WHERE total IS NOT NULL;

SELECT id FROM orders WHERE total > (SELECT avg(total) FROM orders);

SELECT id FROM orders o WHERE total >= (SELECT max(total) FROM orders o2 WHERE o2.customer_id = o.customer_id);

SELECT id FROM orders o WHERE total > (SELECT avg(total) FROM orders o2 WHERE o2.customer_id = o.customer_id);

SELECT name FROM customers c WHERE (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) >= 2;

SELECT name FROM customers c WHERE (SELECT sum(total) FROM orders o WHERE o.customer_id = c.id) IS NULL;

SELECT name FROM customers c ORDER BY (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) DESC, name;

SELECT country, count(*) FROM customers c GROUP BY country HAVING count(*) > (SELECT count(*) FROM customers WHERE country = 'DK');

SELECT o.id, (SELECT r.amount FROM refunds r WHERE r.order_id = o.id) AS refunded FROM orders o;

SELECT o.id, o.total - coalesce((SELECT r.amount FROM refunds r WHERE r.order_id = o.id), 0) AS net FROM orders o;

SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id)) AS refunded FROM customers c;

SELECT * FROM (SELECT id, name FROM customers WHERE country IS NOT NULL) AS s WHERE s.id > 1;

SELECT s.customer_id, s.spent FROM (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) s WHERE s.spent > 50;

SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2) AS u;

SELECT a, b FROM (VALUES (1, 'one'), (2, 'two')) AS v(a, b);

SELECT * FROM (SELECT * FROM (SELECT id, name FROM customers) a WHERE id < 4) b WHERE id > 1;

SELECT s.name, s.n FROM (SELECT c.name, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name) s WHERE s.n = 0;

SELECT max(n), min(n), avg(n) FROM (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) counts;

SELECT c.name, t.total FROM customers c JOIN (SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id) t ON t.customer_id = c.id;

SELECT d.country, d.n FROM (SELECT country, count(*) AS n FROM customers GROUP BY country) AS d(country, n) ORDER BY d.n DESC, d.country NULLS LAST;

SELECT renamed.k FROM (SELECT id FROM customers) AS renamed(k) WHERE renamed.k IN (1, 2);

SELECT name FROM customers WHERE id = ANY (SELECT customer_id FROM orders WHERE total > 70);

SELECT name FROM customers WHERE id = SOME (SELECT customer_id FROM orders WHERE total > 70);

SELECT name FROM customers WHERE id > ALL (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL AND customer_id < 3);

SELECT name FROM customers WHERE id <> ALL (SELECT customer_id FROM orders);

SELECT name FROM customers WHERE id <> ALL (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL);

SELECT name FROM customers WHERE id < ANY (SELECT customer_id FROM orders);

SELECT 5 > ALL (SELECT total FROM orders WHERE false) AS vacuous, 5 = ANY (SELECT total FROM orders WHERE false) AS never;

SELECT 1000 > ALL (SELECT total FROM orders) AS all_known, 1000 > ALL (SELECT total FROM orders WHERE total IS NOT NULL) AS all_small;

SELECT 3 = ANY (ARRAY[1, 2, 3]), 3 > ALL (ARRAY[1, 2]), 'a' = ANY (ARRAY['b', 'c']), 2 = ALL (ARRAY[2, 2]), 1 < SOME (ARRAY[0, 1]);

SELECT id FROM orders WHERE customer_id = ANY (ARRAY[1, 5]);

SELECT id FROM orders WHERE total > ALL (SELECT amount FROM refunds);

SELECT name FROM customers c WHERE id IN (SELECT customer_id FROM orders o WHERE o.customer_id = c.id AND o.total > 100);

SELECT name FROM customers c WHERE country IN (SELECT country FROM customers c2 WHERE c2.id <> c.id);

SELECT name FROM customers c WHERE vip = (SELECT vip FROM customers WHERE id = 1);

SELECT (SELECT max(id) FROM orders WHERE customer_id = c.id) AS last_order_id, name FROM customers c WHERE vip;

SELECT ARRAY(SELECT id FROM orders WHERE customer_id = c.id ORDER BY id) AS order_ids, name FROM customers c;

SELECT EXISTS (SELECT 1 FROM orders WHERE customer_id = 4) AS dee_ordered, EXISTS (SELECT 1 FROM orders WHERE customer_id = 1) AS ann_ordered;

-- error
SELECT (SELECT id FROM customers);

-- error
SELECT (SELECT id, name FROM customers WHERE id = 1);

-- error
SELECT name FROM customers WHERE id IN (SELECT id, name FROM customers);

-- error
SELECT * FROM (SELECT id FROM customers);

-- error
SELECT name FROM customers WHERE id = (SELECT customer_id FROM orders);

-- error
SELECT name FROM customers WHERE EXISTS (SELECT nope FROM orders);

-- error
SELECT name FROM customers WHERE id = ANY (SELECT name FROM customers);

-- error
SELECT s.nope FROM (SELECT id FROM customers) s;

-- error
SELECT id FROM orders WHERE total > ALL (1, 2);
