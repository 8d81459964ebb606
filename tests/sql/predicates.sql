-- LIKE / ILIKE (with _ and %, the default backslash escape and ESCAPE),
-- BETWEEN [SYMMETRIC], IN lists, IS [NOT] DISTINCT FROM, over text with
-- case differences, wildcard characters in the data, empty strings and NULLs.
CREATE TABLE words (id INTEGER PRIMARY KEY, w TEXT, n INTEGER, d DATE);
INSERT INTO words VALUES
    (1, 'apple', 5, '2024-01-01'),
    (2, 'Apple', 5, '2024-01-15'),
    (3, 'APPLE PIE', 9, '2024-02-01'),
    (4, 'banana', 6, '2024-02-29'),
    (5, 'band', 4, '2024-03-01'),
    (6, 'a_b', 3, NULL),
    (7, 'a%b', 3, '2023-12-31'),
    (8, 'abc', 3, '2024-01-01'),
    (9, '', 0, '2024-06-30'),
    (10, NULL, NULL, NULL),
    (11, 'Ünïcödé', 7, '2024-01-10'),
    (12, 'back\slash', 10, '2024-05-05'),
    (13, 'ab', -1, '2024-01-02');

-- queries

SELECT id FROM words WHERE w LIKE 'a%';

SELECT id FROM words WHERE w LIKE '%an%';

SELECT id FROM words WHERE w LIKE 'ban_';

SELECT id FROM words WHERE w LIKE '_____';

SELECT id FROM words WHERE w LIKE 'apple';

SELECT id FROM words WHERE w LIKE '%e';

SELECT id FROM words WHERE w LIKE '%';

SELECT id FROM words WHERE w LIKE '';

SELECT id FROM words WHERE w LIKE '_%_';

SELECT id FROM words WHERE w LIKE 'a%b';

SELECT id FROM words WHERE w NOT LIKE 'a%';

SELECT id FROM words WHERE w ILIKE 'apple%';

SELECT id FROM words WHERE w ILIKE '%PIE';

SELECT id FROM words WHERE w NOT ILIKE '%A%';

SELECT id FROM words WHERE w ILIKE 'ünïcödé';

SELECT id FROM words WHERE w LIKE 'a\_b';

SELECT id FROM words WHERE w LIKE 'a\%b';

SELECT id FROM words WHERE w LIKE 'a#_b' ESCAPE '#';

SELECT id FROM words WHERE w LIKE 'a!%%' ESCAPE '!';

SELECT id FROM words WHERE w LIKE 'back\\slash';

SELECT id FROM words WHERE w LIKE 'back\slash' ESCAPE '';

SELECT id FROM words WHERE w LIKE 'Ü%';

SELECT id FROM words WHERE w LIKE '__ï%';

SELECT 'abc' LIKE 'ABC', 'abc' ILIKE 'ABC', 'abc' LIKE 'a%c', 'abc' LIKE '%b', 'abc' LIKE '%b%';

SELECT NULL LIKE 'a', 'a' LIKE NULL, NULL ILIKE NULL, 'a' NOT LIKE NULL;

SELECT '' LIKE '', '' LIKE '%', '' LIKE '_', 'a' LIKE 'a%%', 'aaa' LIKE 'a%a';

SELECT 'ab' LIKE 'a_', 'a' LIKE 'a_', 'a
b' LIKE 'a_b', 'AbC' ILIKE 'aBc';

SELECT w, w LIKE 'a%' AS starts_a, w ILIKE 'a%' AS starts_a_any_case FROM words;

SELECT id FROM words WHERE n BETWEEN 3 AND 5;

SELECT id FROM words WHERE n NOT BETWEEN 3 AND 5;

SELECT id FROM words WHERE n BETWEEN 5 AND 3;

SELECT id FROM words WHERE n BETWEEN SYMMETRIC 5 AND 3;

SELECT id FROM words WHERE n NOT BETWEEN SYMMETRIC 5 AND 3;

SELECT id FROM words WHERE w BETWEEN 'a' AND 'b';

SELECT id FROM words WHERE w BETWEEN 'A' AND 'Z';

SELECT id FROM words WHERE d BETWEEN '2024-01-01' AND '2024-01-31';

SELECT id FROM words WHERE d BETWEEN DATE '2024-02-01' AND DATE '2024-03-01';

SELECT id FROM words WHERE n BETWEEN 2.5 AND 4.5;

SELECT 2 BETWEEN 1 AND 3, 2 BETWEEN 2 AND 2, NULL BETWEEN 1 AND 2, 1 BETWEEN NULL AND 2, 5 BETWEEN NULL AND 2;

SELECT 5 NOT BETWEEN NULL AND 2, 1 BETWEEN 1 AND NULL, 2 BETWEEN SYMMETRIC 3 AND 1;

SELECT id FROM words WHERE n IN (3, 9);

SELECT id FROM words WHERE w IN ('apple', 'band', 'nothing');

SELECT id FROM words WHERE n NOT IN (3, 4, 5);

SELECT id FROM words WHERE n IN (3);

SELECT id FROM words WHERE n IN (1 + 2, 2 * 2);

SELECT id FROM words WHERE n IN (n);

SELECT id FROM words WHERE d IN ('2024-01-01', '2024-03-01');

SELECT id FROM words WHERE n IN (3.0, 5.5);

SELECT id FROM words WHERE n IN (SELECT n FROM words WHERE w LIKE 'b%');

SELECT id FROM words WHERE (n IN (3)) IS NULL;

SELECT id FROM words WHERE lower(w) IN ('apple', 'abc');

SELECT 1 IN (1), 1 IN (2, 3), 'a' IN ('a', NULL), 'b' NOT IN ('a', NULL), 'b' IN ('a', NULL);

SELECT id, n IS DISTINCT FROM 5 AS d, n IS NOT DISTINCT FROM 5 AS nd FROM words;

SELECT id FROM words WHERE w IS NOT DISTINCT FROM NULL;

SELECT id FROM words WHERE w IS DISTINCT FROM 'apple';

SELECT id FROM words WHERE d IS DISTINCT FROM DATE '2024-01-01';

SELECT a.id, b.id AS same FROM words a JOIN words b ON a.n IS NOT DISTINCT FROM b.n AND a.id < b.id;

SELECT id FROM words WHERE w LIKE 'a%' AND n BETWEEN 3 AND 5 AND id IN (1, 6, 7, 8);

SELECT id FROM words WHERE NOT (w LIKE 'a%' OR n IN (4, 6));

SELECT id FROM words WHERE w LIKE 'a%' IS NOT TRUE;

-- error
SELECT id FROM words WHERE n LIKE '5';

-- error
SELECT id FROM words WHERE w BETWEEN 1 AND 2;

-- error
SELECT 1 IN ('a');

-- error
SELECT id FROM words WHERE w LIKE 'a' ESCAPE 'ab';

-- error
SELECT id FROM words WHERE w IN (1, 2);

-- error
SELECT id FROM words WHERE d BETWEEN 1 AND 2;

-- error
SELECT id FROM words WHERE n IS DISTINCT FROM 'x';

-- error
SELECT id FROM words WHERE w LIKE 'a\';
