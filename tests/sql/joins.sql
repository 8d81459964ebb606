-- Joins of every kind (INNER, LEFT, RIGHT, FULL, CROSS, comma) with ON and
-- USING, over NULL-heavy keys: NULL never joins to NULL, outer joins pad with
-- NULLs, duplicate keys multiply. lt/rt have no primary key (duplicates allowed).
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, referrer INTEGER);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT, price NUMERIC(8,2));
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER,
    product_id INTEGER,
    qty INTEGER,
    status TEXT,
    ordered_on DATE,
    discount DOUBLE PRECISION,
    paid BOOLEAN
);
CREATE TABLE cities (city TEXT PRIMARY KEY, country TEXT);
CREATE TABLE lt (k INTEGER, v TEXT);
CREATE TABLE rt (k INTEGER, w TEXT);

INSERT INTO customers VALUES
    (1, 'Ann', 'Oslo', NULL),
    (2, 'Bob', 'Bergen', 1),
    (3, 'Cyd', NULL, 1),
    (4, 'Dee', 'Oslo', 2),
    (5, 'Eve', 'Paris', NULL),
    (6, 'Fay', NULL, 9);
INSERT INTO products VALUES
    (10, 'pen', 'office', 1.50),
    (11, 'ink', 'office', 7.25),
    (12, 'tea', 'food', 3.00),
    (13, 'mug', NULL, 5.00),
    (14, 'map', 'books', NULL);
INSERT INTO orders VALUES
    (100, 1, 10, 3, 'shipped', '2024-01-05', 0.1, true),
    (101, 1, 12, 1, 'shipped', '2024-01-20', NULL, true),
    (102, 2, 10, 10, 'pending', '2024-02-01', 0.25, false),
    (103, 2, NULL, 2, 'cancelled', '2024-02-03', NULL, NULL),
    (104, 4, 11, 1, NULL, '2024-02-10', 0.0, true),
    (105, NULL, 12, 5, 'pending', NULL, 0.5, false),
    (106, 7, 13, 2, 'shipped', '2024-03-01', NULL, true),
    (107, 4, 99, NULL, 'pending', '2024-03-02', 0.1, NULL);
INSERT INTO cities VALUES ('Oslo', 'Norway'), ('Bergen', 'Norway'), ('Rome', 'Italy');
INSERT INTO lt VALUES (1, 'a'), (2, 'b'), (2, 'b2'), (NULL, 'n1'), (NULL, 'n2'), (4, 'd'), (6, NULL);
INSERT INTO rt VALUES (2, 'x'), (2, 'x2'), (3, 'y'), (NULL, 'm'), (4, NULL), (5, 'z');

-- queries

SELECT * FROM lt JOIN rt ON lt.k = rt.k;

SELECT * FROM lt INNER JOIN rt ON lt.k = rt.k;

SELECT * FROM lt LEFT JOIN rt ON lt.k = rt.k;

SELECT * FROM lt LEFT OUTER JOIN rt ON lt.k = rt.k;

SELECT * FROM lt RIGHT JOIN rt ON lt.k = rt.k;

SELECT * FROM lt RIGHT OUTER JOIN rt ON lt.k = rt.k;

SELECT * FROM lt FULL JOIN rt ON lt.k = rt.k;

SELECT * FROM lt FULL OUTER JOIN rt ON lt.k = rt.k;

SELECT * FROM lt CROSS JOIN rt;

SELECT count(*) FROM lt, rt;

SELECT * FROM lt JOIN rt USING (k);

SELECT * FROM lt LEFT JOIN rt USING (k);

SELECT * FROM lt RIGHT JOIN rt USING (k);

SELECT * FROM lt FULL JOIN rt USING (k);

SELECT k, v, w FROM lt FULL JOIN rt USING (k);

SELECT k FROM lt FULL JOIN rt USING (k) WHERE k IS NULL;

SELECT lt.k AS left_k, rt.k AS right_k, k FROM lt FULL JOIN rt USING (k);

SELECT l.v, r.w FROM lt l JOIN rt r ON l.k = r.k AND r.w <> 'x';

SELECT l.v, r.w FROM lt l LEFT JOIN rt r ON l.k = r.k AND r.w <> 'x';

SELECT l.v, r.w FROM lt l LEFT JOIN rt r ON l.k = r.k WHERE r.w <> 'x';

SELECT l.v FROM lt l LEFT JOIN rt r ON l.k = r.k WHERE r.k IS NULL;

SELECT r.w FROM lt l RIGHT JOIN rt r ON l.k = r.k WHERE l.k IS NULL;

SELECT l.v, r.w FROM lt l FULL JOIN rt r ON l.k = r.k AND l.v = 'b';

SELECT l.v, r.w FROM lt l FULL JOIN rt r ON l.k = r.k WHERE l.v IS NULL OR r.w IS NULL;

SELECT l.v, r.w FROM lt l JOIN rt r ON l.k IS NOT DISTINCT FROM r.k;

SELECT l.v, r.w FROM lt l JOIN rt r ON l.k < r.k;

SELECT l.v, r.w FROM lt l JOIN rt r ON l.k + 1 = r.k;

SELECT l.v, r.w FROM lt l JOIN rt r ON true;

SELECT l.v, r.w FROM lt l LEFT JOIN rt r ON false;

SELECT l.v, r.w FROM lt l FULL JOIN rt r ON false;

SELECT l.v, r.w FROM lt l, rt r WHERE l.k = r.k;

SELECT l.v, r.w FROM lt l CROSS JOIN rt r WHERE l.k = r.k OR (l.k IS NULL AND r.k IS NULL);

SELECT l.k, count(r.k) AS matches FROM lt l LEFT JOIN rt r ON l.k = r.k GROUP BY l.k;

SELECT c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id;

SELECT c.name, o.id, p.name AS product FROM customers c JOIN orders o ON o.customer_id = c.id JOIN products p ON p.id = o.product_id;

SELECT c.name, o.id, p.name AS product
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
LEFT JOIN products p ON p.id = o.product_id;

SELECT c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;

SELECT c.name, coalesce(sum(o.qty), 0) AS total FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name;

SELECT c.name, r.name AS referred_by FROM customers c LEFT JOIN customers r ON r.id = c.referrer;

SELECT c.name, r.name AS referred_by FROM customers c JOIN customers r ON r.id = c.referrer;

SELECT r.name, count(*) AS referrals FROM customers c JOIN customers r ON r.id = c.referrer GROUP BY r.name;

SELECT o.id, p.name FROM orders o RIGHT JOIN products p ON p.id = o.product_id;

SELECT o.id, p.name FROM orders o FULL OUTER JOIN products p ON p.id = o.product_id;

SELECT o.id, c.name FROM orders o FULL JOIN customers c ON c.id = o.customer_id WHERE o.id IS NULL OR c.id IS NULL;

SELECT customers.name, cities.country FROM customers JOIN cities USING (city);

SELECT customers.name, cities.country FROM customers LEFT JOIN cities USING (city);

SELECT city, customers.name, cities.country FROM customers FULL JOIN cities USING (city);

SELECT c.name, ci.country FROM customers c LEFT JOIN cities ci ON ci.city = c.city WHERE ci.country = 'Norway';

SELECT c.name, p.name AS product
FROM customers c
JOIN orders o ON o.customer_id = c.id
JOIN products p ON p.id = o.product_id
WHERE p.category = 'office' AND o.paid;

SELECT c.name, o.id, p.name AS product
FROM customers c
LEFT JOIN (orders o JOIN products p ON p.id = o.product_id) ON o.customer_id = c.id;

SELECT a.name, b.name FROM customers a JOIN customers b ON a.city = b.city AND a.id < b.id;

SELECT a.name, b.name FROM customers a CROSS JOIN customers b WHERE a.id = b.id - 1;

SELECT p.category, count(o.id) AS n, sum(o.qty) AS qty FROM products p LEFT JOIN orders o ON o.product_id = p.id GROUP BY p.category;

SELECT o.status, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY o.status;

SELECT DISTINCT c.city FROM customers c JOIN orders o ON o.customer_id = c.id;

SELECT c.name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);

SELECT c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY c.name, o.id;

SELECT c.name, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY o.id NULLS FIRST, c.name;

SELECT c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id DESC LIMIT 3;

SELECT o.id, o.qty * p.price AS line_total FROM orders o JOIN products p ON p.id = o.product_id;

SELECT o.id, o.discount, p.price FROM orders o JOIN products p ON p.id = o.product_id WHERE o.discount > 0;

SELECT l.v, r.w FROM lt l JOIN rt r USING (k) WHERE k > 2;

SELECT count(*) FROM lt JOIN rt ON lt.k = rt.k JOIN lt lt2 ON lt2.k = rt.k;

SELECT l.v, r.w, o.id FROM lt l LEFT JOIN rt r ON r.k = l.k LEFT JOIN orders o ON o.qty = l.k;

-- error
SELECT id FROM customers JOIN orders ON orders.customer_id = customers.id;

-- error
SELECT * FROM lt JOIN rt USING (v);

-- error
SELECT * FROM lt JOIN rt;

-- error
SELECT * FROM lt l JOIN rt r ON l.k = r.nope;

-- error
SELECT * FROM lt JOIN rt ON lt.v;

-- error
SELECT * FROM lt l JOIN rt r ON l.k = lt.k;

-- error
SELECT * FROM customers c JOIN cities USING (country);

-- error
SELECT * FROM lt JOIN lt ON true;
