-- GROUP BY / HAVING and every aggregate: COUNT(*), COUNT([DISTINCT] x), SUM,
-- AVG, MIN, MAX, STRING_AGG, ARRAY_AGG, BOOL_AND, BOOL_OR, with DISTINCT and
-- FILTER, over NULLs and empty inputs. STRING_AGG/ARRAY_AGG always order their
-- input (the order is otherwise up to the engine).
CREATE TABLE sales (
    id INTEGER PRIMARY KEY,
    region TEXT,
    rep TEXT,
    amount NUMERIC(10,2),
    qty INTEGER,
    units BIGINT,
    discount DOUBLE PRECISION,
    sold_on DATE,
    returned BOOLEAN
);
CREATE TABLE reps (name TEXT PRIMARY KEY, region TEXT, quota NUMERIC(10,2));

INSERT INTO sales VALUES
    (1, 'north', 'ann', 120.50, 3, 30, 0.1, '2024-01-03', false),
    (2, 'north', 'ann', 80.00, 1, 10, NULL, '2024-01-17', false),
    (3, 'north', 'bob', 15.25, 5, 50, 0.25, '2024-02-02', true),
    (4, 'south', 'cyd', 200.00, 2, 20, 0.05, '2024-02-14', false),
    (5, 'south', 'cyd', 0.99, 9, 90, 0.5, '2024-02-29', NULL),
    (6, 'south', 'dee', NULL, 4, NULL, 0.125, '2024-03-01', false),
    (7, 'east', 'eve', 55.55, NULL, 40, NULL, NULL, true),
    (8, NULL, 'fay', 10.00, 1, 10, 0.3, '2024-03-15', false),
    (9, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (10, 'north', 'bob', 99.99, 3, 30, 0.1, '2024-03-20', false),
    (11, 'east', 'eve', 55.55, 2, 20, 0.2, '2024-01-03', false),
    (12, 'west', 'gus', 1000.00, 1, 9000000000000000000, 0.0, '2024-04-01', true);
INSERT INTO reps VALUES ('ann', 'north', 150), ('bob', 'north', 100), ('cyd', 'south', 250), ('dee', 'south', 50), ('hal', 'west', 10);

-- queries

SELECT count(*) FROM sales;

SELECT count(*), count(region), count(rep), count(amount), count(qty), count(returned) FROM sales;

SELECT count(DISTINCT region), count(DISTINCT rep), count(DISTINCT amount) FROM sales;

SELECT sum(amount), avg(amount), min(amount), max(amount) FROM sales;

SELECT sum(qty), avg(qty), min(qty), max(qty) FROM sales;

SELECT sum(units), avg(units) FROM sales;

SELECT sum(discount), avg(discount), min(discount), max(discount) FROM sales;

SELECT min(rep), max(rep), min(sold_on), max(sold_on) FROM sales;

SELECT max(sold_on) - min(sold_on) AS days FROM sales;

SELECT bool_and(returned), bool_or(returned) FROM sales;

SELECT bool_and(qty > 0), bool_or(qty > 5), bool_and(amount > 500) FROM sales;

SELECT string_agg(rep, ', ' ORDER BY rep) FROM sales;

SELECT string_agg(DISTINCT rep, ',' ORDER BY rep) FROM sales;

SELECT string_agg(rep, '' ORDER BY id DESC) FROM sales WHERE region = 'north';

SELECT array_agg(qty ORDER BY id) FROM sales;

SELECT array_agg(DISTINCT qty ORDER BY qty) FROM sales;

SELECT array_agg(rep ORDER BY rep DESC NULLS LAST) FROM sales WHERE region = 'south' OR region IS NULL;

SELECT array_agg(amount ORDER BY amount NULLS FIRST) FROM sales WHERE id < 7;

SELECT sum(DISTINCT qty), avg(DISTINCT qty), count(DISTINCT qty), sum(qty) FROM sales;

SELECT sum(DISTINCT amount), avg(DISTINCT amount) FROM sales;

SELECT region, count(*) FROM sales GROUP BY region;

SELECT region, count(*), count(amount), sum(amount), avg(amount) FROM sales GROUP BY region;

SELECT region, sum(qty), avg(qty), min(sold_on), max(sold_on) FROM sales GROUP BY region;

SELECT region, rep, sum(amount) FROM sales GROUP BY region, rep;

SELECT region, rep, count(*) FROM sales GROUP BY rep, region ORDER BY region NULLS FIRST, rep NULLS FIRST;

SELECT region, sum(amount) FROM sales GROUP BY region HAVING sum(amount) > 100;

SELECT region FROM sales GROUP BY region HAVING count(*) > 2;

SELECT region, count(*) FROM sales GROUP BY region HAVING count(*) > 1 AND max(qty) > 3;

SELECT region, avg(discount) FROM sales GROUP BY region HAVING avg(discount) IS NOT NULL;

SELECT count(*) FROM sales HAVING count(*) > 100;

SELECT count(*) FROM sales HAVING count(*) > 1;

SELECT region, count(*) FILTER (WHERE returned) AS returns, count(*) FILTER (WHERE NOT returned) AS kept FROM sales GROUP BY region;

SELECT sum(amount) FILTER (WHERE qty > 2) AS big, count(*) FILTER (WHERE discount IS NULL) AS undiscounted FROM sales;

SELECT sum(qty) FILTER (WHERE region = 'north') AS north, sum(qty) FILTER (WHERE region = 'south') AS south, sum(qty) FILTER (WHERE region = 'nowhere') AS nowhere FROM sales;

SELECT rep, string_agg(region, '/' ORDER BY region) FILTER (WHERE id > 2) AS regions FROM sales GROUP BY rep;

SELECT region, array_agg(id ORDER BY id) FILTER (WHERE returned) AS returned_ids FROM sales GROUP BY region;

SELECT count(DISTINCT rep) FILTER (WHERE amount > 50) FROM sales;

SELECT region, bool_and(qty > 1) AS all_many, bool_or(discount > 0.2) AS any_deep FROM sales GROUP BY region;

SELECT region, string_agg(DISTINCT rep, ',' ORDER BY rep) AS reps FROM sales GROUP BY region;

SELECT region, array_agg(DISTINCT rep ORDER BY rep) AS reps FROM sales GROUP BY region;

SELECT count(*), sum(qty), avg(qty), min(qty), max(qty), string_agg(rep, ','), array_agg(qty), bool_and(returned), bool_or(returned) FROM sales WHERE false;

SELECT region, count(*) FROM sales WHERE false GROUP BY region;

SELECT count(*) FROM sales WHERE region IS NULL;

SELECT sum(qty) FROM sales WHERE qty IS NULL;

SELECT region, count(*) FROM sales GROUP BY 1;

SELECT region AS r, count(*) FROM sales GROUP BY r;

SELECT upper(region) AS r, count(*) FROM sales GROUP BY upper(region);

SELECT region IS NULL AS unknown, count(*) FROM sales GROUP BY region IS NULL;

SELECT qty % 2 AS parity, count(*), sum(qty) FROM sales GROUP BY qty % 2;

SELECT returned, count(*) FROM sales GROUP BY returned;

SELECT sold_on, count(*) FROM sales GROUP BY sold_on;

SELECT date_trunc('month', sold_on)::date AS month, sum(amount) FROM sales GROUP BY 1;

SELECT extract(month FROM sold_on) AS m, count(*) FROM sales GROUP BY m;

SELECT count(*) > 0 AS any_rows FROM sales;

SELECT sum(amount) / count(*) AS mean, sum(amount) / count(amount) AS mean_known FROM sales;

SELECT sum(amount * qty) AS revenue FROM sales;

SELECT rep, sum(amount * qty) AS revenue FROM sales GROUP BY rep HAVING sum(amount * qty) > 50 ORDER BY rep;

SELECT region, max(amount) - min(amount) AS spread FROM sales GROUP BY region ORDER BY spread DESC NULLS LAST, region;

SELECT region, count(*) AS n FROM sales GROUP BY region ORDER BY count(*) DESC, region NULLS FIRST;

SELECT region, count(*) AS n FROM sales GROUP BY region ORDER BY n, region NULLS LAST;

SELECT region, sum(qty) AS total FROM sales GROUP BY region ORDER BY total DESC NULLS FIRST, region;

SELECT region, avg(amount)::numeric(10,2) AS mean FROM sales GROUP BY region;

SELECT round(avg(qty), 2) AS mean, round(avg(amount), 1) AS mean_amount FROM sales;

SELECT avg(qty::numeric), avg(qty::float8) FROM sales;

SELECT sum(qty::smallint), sum(qty::bigint) FROM sales;

SELECT avg(x) FROM (VALUES (1), (2), (2)) AS v(x);

SELECT avg(x), sum(x) FROM (VALUES (1.5), (2.25), (NULL)) AS v(x);

SELECT sum(x), avg(x) FROM (VALUES (9223372036854775807::bigint), (1::bigint)) AS v(x);

SELECT r.region, count(s.id) AS sales, sum(s.amount) AS amount, max(r.quota) AS quota
FROM reps r LEFT JOIN sales s ON s.rep = r.name
GROUP BY r.region;

SELECT r.name, r.quota, coalesce(sum(s.amount), 0) AS sold, coalesce(sum(s.amount), 0) >= r.quota AS met
FROM reps r LEFT JOIN sales s ON s.rep = r.name
GROUP BY r.name, r.quota;

SELECT name FROM reps WHERE quota > (SELECT avg(quota) FROM reps);

SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM reps) AS reps;

SELECT DISTINCT count(*) OVER () FROM sales;

SELECT count(*) FROM (SELECT region FROM sales GROUP BY region) g;

SELECT max(n) FROM (SELECT rep, count(*) AS n FROM sales GROUP BY rep) c;

-- error
SELECT region, rep FROM sales GROUP BY region;

-- error
SELECT count(*) FROM sales WHERE sum(qty) > 1;

-- error
SELECT sum(rep) FROM sales;

-- error
SELECT avg(sold_on) FROM sales;

-- error
SELECT sum(sum(qty)) FROM sales;

-- error
SELECT region FROM sales GROUP BY region HAVING rep = 'ann';

-- error
SELECT region, count(*) FROM sales GROUP BY 3;

-- error
SELECT count(*) FILTER (WHERE qty) FROM sales;

-- error
SELECT array_agg(DISTINCT qty ORDER BY id) FROM sales;

-- error
SELECT string_agg(qty, ',') FROM sales;

-- error
SELECT min(returned) FROM sales;

-- error
SELECT bool_and(qty) FROM sales;

-- error
SELECT count(*) FROM sales GROUP BY count(*);

-- error
SELECT sum(qty * 1000000000) FROM sales;

-- error
SELECT s.region, count(*) FROM sales s JOIN reps r ON r.name = s.rep GROUP BY s.region HAVING sum(s.amount) > r.quota;
