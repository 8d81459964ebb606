-- WITH and WITH RECURSIVE: several CTEs, CTEs naming their columns, a CTE
-- used twice or shadowing a table; recursive walks of an employee tree (down
-- and up, depth, paths), a cyclic graph ended by UNION, counters.
CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER, salary NUMERIC(10,2), dept TEXT);
CREATE TABLE edges (src TEXT, dst TEXT, PRIMARY KEY (src, dst));

INSERT INTO employees VALUES
    (1, 'Alice', NULL, 20000, 'exec'),
    (2, 'Bob', 1, 12000, 'eng'),
    (3, 'Carol', 1, 11000, 'sales'),
    (4, 'Dave', 2, 9000, 'eng'),
    (5, 'Erin', 2, 9500, 'eng'),
    (6, 'Frank', 3, 7000, 'sales'),
    (7, 'Grace', 4, 6000, 'eng'),
    (8, 'Heidi', 7, 5000, 'eng'),
    (9, 'Ivan', NULL, 4000, NULL),
    (10, 'Judy', 9, NULL, 'ops');
INSERT INTO edges VALUES ('a', 'b'), ('b', 'c'), ('c', 'a'), ('c', 'd'), ('d', 'e'), ('x', 'y');

-- queries

WITH high AS (SELECT * FROM employees WHERE salary > 9000) SELECT name FROM high;

WITH eng AS (SELECT id, name FROM employees WHERE dept = 'eng') SELECT e.name FROM eng e WHERE e.id > 3;

WITH a AS (SELECT id, salary FROM employees), b AS (SELECT id FROM a WHERE salary > 10000) SELECT count(*) FROM b;

WITH c(x, y) AS (VALUES (1, 2), (3, 4)) SELECT x + y AS s FROM c;

WITH t AS (SELECT dept, sum(salary) AS total FROM employees GROUP BY dept) SELECT dept, total FROM t WHERE total > 10000;

WITH t AS (SELECT dept, avg(salary) AS mean FROM employees GROUP BY dept)
SELECT e.name, e.salary, t.mean FROM employees e JOIN t ON t.dept = e.dept WHERE e.salary > t.mean;

WITH m AS (SELECT max(salary) AS top FROM employees) SELECT name FROM employees, m WHERE salary = m.top;

WITH twice AS (SELECT id FROM employees WHERE id < 3) SELECT a.id, b.id AS other FROM twice a CROSS JOIN twice b;

WITH employees AS (SELECT 1 AS id, 'shadow' AS name) SELECT * FROM employees;

WITH x AS (SELECT 1 AS n), y AS (SELECT n + 1 AS n FROM x), z AS (SELECT n * 10 AS n FROM y) SELECT * FROM x, y, z;

WITH managers AS (SELECT DISTINCT manager_id AS id FROM employees WHERE manager_id IS NOT NULL)
SELECT e.name FROM employees e WHERE e.id IN (SELECT id FROM managers);

WITH RECURSIVE nums(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM nums WHERE n < 10) SELECT n FROM nums;

WITH RECURSIVE nums(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM nums WHERE n < 100) SELECT sum(n), count(*), max(n) FROM nums;

WITH RECURSIVE fib(a, b) AS (SELECT 0::bigint, 1::bigint UNION ALL SELECT b, a + b FROM fib WHERE b < 1000) SELECT a FROM fib;

WITH RECURSIVE chain AS (
    SELECT id, name, manager_id, 1 AS depth FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, e.name, e.manager_id, c.depth + 1 FROM employees e JOIN chain c ON e.manager_id = c.id
)
SELECT * FROM chain;

WITH RECURSIVE chain AS (
    SELECT id, name, 0 AS depth FROM employees WHERE id = 2
    UNION ALL
    SELECT e.id, e.name, c.depth + 1 FROM employees e JOIN chain c ON e.manager_id = c.id
)
SELECT name, depth FROM chain ORDER BY depth, name;

WITH RECURSIVE up AS (
    SELECT id, name, manager_id FROM employees WHERE name = 'Heidi'
    UNION ALL
    SELECT e.id, e.name, e.manager_id FROM employees e JOIN up ON e.id = up.manager_id
)
SELECT name FROM up;

WITH RECURSIVE path AS (
    SELECT id, name::text AS path FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, p.path || ' > ' || e.name FROM employees e JOIN path p ON e.manager_id = p.id
)
SELECT path FROM path ORDER BY path;

WITH RECURSIVE tree AS (
    SELECT id, 1 AS level FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, t.level + 1 FROM employees e JOIN tree t ON e.manager_id = t.id
)
SELECT level, count(*) FROM tree GROUP BY level;

WITH RECURSIVE sub AS (
    SELECT id, salary FROM employees WHERE id = 1
    UNION ALL
    SELECT e.id, e.salary FROM employees e JOIN sub s ON e.manager_id = s.id
)
SELECT sum(salary) AS payroll, count(*) AS people FROM sub;

WITH RECURSIVE reach(node) AS (
    SELECT 'a'::text
    UNION
    SELECT e.dst FROM edges e JOIN reach r ON e.src = r.node
)
SELECT node FROM reach;

WITH RECURSIVE reach(node, hops) AS (
    SELECT 'a'::text, 0
    UNION ALL
    SELECT e.dst, r.hops + 1 FROM edges e JOIN reach r ON e.src = r.node WHERE r.hops < 5
)
SELECT node, min(hops) AS nearest FROM reach GROUP BY node;

WITH RECURSIVE reach(node) AS (
    SELECT 'x'::text
    UNION
    SELECT e.dst FROM edges e, reach r WHERE e.src = r.node
)
SELECT count(*) FROM reach;

WITH RECURSIVE countdown(n) AS (VALUES (3) UNION ALL SELECT n - 1 FROM countdown WHERE n > 0) SELECT n FROM countdown;

WITH RECURSIVE r(n) AS (SELECT 1 WHERE false UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;

WITH RECURSIVE letters(c, i) AS (SELECT 'a'::text, 1 UNION ALL SELECT c || 'a', i + 1 FROM letters WHERE i < 4) SELECT c, length(c) FROM letters;

WITH RECURSIVE chain AS (
    SELECT id, manager_id, ARRAY[id] AS trail FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, e.manager_id, c.trail || e.id FROM employees e JOIN chain c ON e.manager_id = c.id
)
SELECT id, trail FROM chain;

WITH top AS (SELECT id FROM employees WHERE manager_id IS NULL)
SELECT e.name, EXISTS (SELECT 1 FROM top WHERE top.id = e.manager_id) AS reports_to_top FROM employees e;

WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5), s AS (SELECT n * n AS sq FROM t) SELECT sum(sq) FROM s;

WITH d AS (SELECT dept FROM employees GROUP BY dept) SELECT count(*) FROM d;

-- error
WITH a AS (SELECT 1) SELECT * FROM b;

-- error
WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x) SELECT * FROM a;

-- error
WITH c(x, y) AS (SELECT 1) SELECT * FROM c;

-- error
WITH r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r;

-- error
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, r r2 WHERE n < 3) SELECT * FROM r;

-- error
WITH RECURSIVE r(n) AS (SELECT 1::int UNION ALL SELECT 'x'::text FROM r) SELECT * FROM r;

-- error
WITH a AS (SELECT nope FROM employees) SELECT 1;
