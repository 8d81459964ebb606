-- DISTINCT (NULLs are one value; 1.0 and 1.00 are one value, though which of
-- them is shown is up to the engine, so only counts show it) and DISTINCT ON
-- (the first row of each group in ORDER BY order, with its ORDER BY rules).
CREATE TABLE visits (id INTEGER PRIMARY KEY, visitor TEXT, page TEXT, seconds INTEGER, amount NUMERIC(6,2), day DATE);
INSERT INTO visits VALUES
    (1, 'ann', '/home', 30, 1.0, '2024-01-01'),
    (2, 'ann', '/home', 30, 1.0, '2024-01-01'),
    (3, 'ann', '/shop', 120, 5.50, '2024-01-02'),
    (4, 'bob', '/home', 5, NULL, '2024-01-01'),
    (5, 'bob', NULL, NULL, NULL, NULL),
    (6, 'bob', NULL, NULL, NULL, NULL),
    (7, NULL, '/shop', 60, 5.50, '2024-01-03'),
    (8, 'cyd', '/help', 300, 0, '2024-01-02'),
    (9, 'cyd', '/shop', 45, 12.25, '2024-01-04'),
    (10, 'cyd', '/shop', 45, 12.25, '2024-01-05');

-- queries

SELECT DISTINCT visitor FROM visits;

SELECT DISTINCT page FROM visits;

SELECT DISTINCT visitor, page FROM visits;

SELECT DISTINCT amount FROM visits;

SELECT DISTINCT seconds / 60 AS minutes FROM visits;

SELECT DISTINCT page IS NULL AS no_page FROM visits;

SELECT DISTINCT visitor, page, seconds, amount, day FROM visits;

SELECT DISTINCT * FROM (SELECT visitor, page FROM visits) v;

SELECT DISTINCT 1 AS one FROM visits;

SELECT DISTINCT ON (visitor) visitor, page, seconds FROM visits ORDER BY visitor, seconds DESC NULLS LAST, id;

SELECT DISTINCT ON (visitor) visitor, id FROM visits ORDER BY visitor, id;

SELECT DISTINCT ON (visitor) visitor, id FROM visits ORDER BY visitor NULLS FIRST, id DESC;

SELECT DISTINCT ON (page) page, visitor, day FROM visits ORDER BY page, day DESC NULLS LAST, id;

SELECT DISTINCT ON (visitor, page) visitor, page, id FROM visits ORDER BY visitor, page, id;

SELECT DISTINCT ON (day) day, id FROM visits ORDER BY day, id;

SELECT DISTINCT ON (amount) amount, id FROM visits ORDER BY amount, id;

SELECT DISTINCT ON (seconds > 40) seconds > 40 AS long_visit, id FROM visits ORDER BY seconds > 40, id;

SELECT DISTINCT ON (visitor) id, visitor FROM visits WHERE page = '/shop' ORDER BY visitor, amount DESC, id;

SELECT count(DISTINCT visitor), count(DISTINCT page), count(DISTINCT amount), count(DISTINCT day) FROM visits;

SELECT visitor, count(DISTINCT page) AS pages FROM visits GROUP BY visitor;

SELECT count(*) FROM (SELECT DISTINCT visitor, page FROM visits) d;

SELECT DISTINCT visitor FROM visits WHERE seconds > 40 ORDER BY visitor;

SELECT DISTINCT visitor, page FROM visits ORDER BY visitor NULLS FIRST, page NULLS FIRST;

SELECT DISTINCT upper(visitor) AS v FROM visits ORDER BY v DESC NULLS LAST;

SELECT DISTINCT v FROM (VALUES (1), (1), (NULL), (NULL), (2)) AS t(v);

SELECT DISTINCT v FROM (VALUES ('a'), ('A'), ('a '), ('a')) AS t(v);

SELECT DISTINCT v FROM (VALUES (0.5::float8), ('NaN'::float8), ('NaN'::float8), ('Infinity'::float8)) AS t(v);

SELECT count(*) FROM (SELECT DISTINCT v FROM (VALUES (1.0), (1.00), (1)) AS t(v)) d;

SELECT count(*) FROM (SELECT DISTINCT v FROM (VALUES (0.0::float8), (-0.0::float8)) AS t(v)) d;

SELECT ALL visitor FROM visits WHERE visitor = 'ann';

-- error
SELECT DISTINCT ON (visitor) page FROM visits ORDER BY page;

-- error
SELECT DISTINCT ON visitor page FROM visits;

-- error
SELECT DISTINCT visitor FROM visits ORDER BY seconds;
