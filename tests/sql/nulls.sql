-- NULL semantics and three-valued logic: comparisons with NULL are NULL,
-- AND/OR/NOT over TRUE/FALSE/NULL, IS [NOT] NULL / TRUE / FALSE / UNKNOWN,
-- IN and NOT IN with NULLs, IS [NOT] DISTINCT FROM, COALESCE, NULLIF, NULL
-- in arithmetic, concatenation, aggregates, grouping, sorting and set operations.
CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, s TEXT, flag BOOLEAN, n NUMERIC(6,2));
INSERT INTO t VALUES
    (1, 1, 1, 'x', true, 1.50),
    (2, 1, NULL, NULL, false, NULL),
    (3, NULL, 2, 'y', NULL, 2.00),
    (4, NULL, NULL, NULL, NULL, NULL),
    (5, 0, 0, '', true, 0),
    (6, 2, 1, 'z', false, -1.25);

-- queries

SELECT NULL = NULL AS eq, NULL <> NULL AS ne, NULL < NULL AS lt;

SELECT NULL IS NULL AS is_null, NULL IS NOT NULL AS is_not_null;

SELECT 1 = NULL, 1 < NULL, NULL + 1, NULL * 0, NULL || 'x', - NULL::integer;

SELECT TRUE AND NULL, FALSE AND NULL, TRUE OR NULL, FALSE OR NULL, NOT NULL::boolean;

SELECT NULL AND NULL, NULL OR NULL, NULL::boolean AND FALSE, NULL::boolean OR TRUE;

SELECT id FROM t WHERE a = b;

SELECT id FROM t WHERE a <> b;

SELECT id FROM t WHERE NOT (a = b);

SELECT id FROM t WHERE NOT (a <> b);

SELECT id FROM t WHERE a IS NULL;

SELECT id FROM t WHERE a IS NOT NULL AND b IS NULL;

SELECT id FROM t WHERE a = NULL;

SELECT id FROM t WHERE a <> NULL;

SELECT id FROM t WHERE NULL;

SELECT id FROM t WHERE NOT NULL::boolean;

SELECT id, a = b AS eq, a <> b AS ne, a < b AS lt, a >= b AS ge FROM t;

SELECT id, flag AND a > 0 AS both_true, flag OR a > 0 AS either FROM t;

SELECT id, NOT flag AS nf FROM t;

SELECT id FROM t WHERE flag IS TRUE;

SELECT id FROM t WHERE flag IS NOT TRUE;

SELECT id FROM t WHERE flag IS FALSE;

SELECT id FROM t WHERE flag IS NOT FALSE;

SELECT id FROM t WHERE flag IS UNKNOWN;

SELECT id FROM t WHERE flag IS NOT UNKNOWN;

SELECT id, (a > 0) IS TRUE AS t, (a > 0) IS FALSE AS f, (a > 0) IS UNKNOWN AS u FROM t;

SELECT id FROM t WHERE a IN (1, NULL);

SELECT id FROM t WHERE a NOT IN (1, NULL);

SELECT id FROM t WHERE a NOT IN (1, 2);

SELECT id FROM t WHERE (a NOT IN (1, NULL)) IS NULL;

SELECT 1 IN (NULL), 1 IN (1, NULL), 2 NOT IN (1, NULL), NULL IN (1, 2), NULL NOT IN (1, 2);

SELECT id FROM t WHERE a IS DISTINCT FROM b;

SELECT id FROM t WHERE a IS NOT DISTINCT FROM b;

SELECT id FROM t WHERE s IS DISTINCT FROM 'x';

SELECT NULL IS DISTINCT FROM NULL, NULL IS NOT DISTINCT FROM NULL, 1 IS DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM 1;

SELECT id, coalesce(a, b, -1) AS c FROM t;

SELECT id, coalesce(s, 'none') AS s FROM t;

SELECT id, coalesce(n, 0) AS n FROM t;

SELECT coalesce(NULL, NULL, 3), coalesce(NULL::text, 'x'), coalesce(1, 1 / 0);

SELECT id, nullif(a, 1) AS n FROM t;

SELECT nullif(1, 1), nullif(1, 2), nullif(NULL, 1), nullif('a', 'a'), nullif(s, '') FROM t WHERE id = 5;

SELECT id, a + b AS sum_ab, a * b AS product, a - b AS difference FROM t;

SELECT id, n * 2 AS doubled, n + a AS mixed FROM t;

SELECT id, s || '!' AS bang FROM t;

SELECT id, concat(s, '!') AS bang FROM t;

SELECT id, length(s) AS len, upper(s) AS up FROM t;

SELECT id FROM t WHERE s = '';

SELECT id FROM t WHERE s IS NULL;

SELECT id FROM t WHERE s <> '';

SELECT id, CASE WHEN a = b THEN 'same' WHEN a <> b THEN 'different' ELSE 'unknown' END AS cmp FROM t;

SELECT id, CASE a WHEN NULL THEN 'null' WHEN 1 THEN 'one' ELSE 'other' END AS kind FROM t;

SELECT id, CASE WHEN flag THEN 'yes' WHEN NOT flag THEN 'no' END AS answer FROM t;

SELECT id FROM t WHERE NOT (a > 0 AND b > 0);

SELECT id FROM t WHERE a > 0 OR b > 0;

SELECT id FROM t WHERE (a > 0) IS NULL;

SELECT id FROM t WHERE a > 0 AND (b > 0 OR b IS NULL);

SELECT count(*), count(a), count(b), count(s), count(flag), count(n) FROM t;

SELECT sum(a), min(a), max(a), avg(a), sum(n), avg(n) FROM t;

SELECT sum(a), avg(a), min(s), max(s), bool_and(flag), count(a) FROM t WHERE a IS NULL;

SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL;

SELECT id, greatest(a, b) AS g, least(a, b) AS l FROM t;

SELECT id, a BETWEEN 0 AND 1 AS in_range, a NOT BETWEEN 0 AND 1 AS outside FROM t;

SELECT id, s LIKE 'x%' AS l, s NOT LIKE 'x%' AS nl FROM t;

SELECT NULL::integer AS i, NULL::text AS s, NULL::boolean AS b, NULL::date AS d;

SELECT CAST(NULL AS boolean) IS NULL AS yes;

SELECT id FROM t WHERE flag = NULL;

SELECT DISTINCT a FROM t;

SELECT DISTINCT a, b FROM t;

SELECT a, count(*) FROM t GROUP BY a;

SELECT flag, count(*), count(flag) FROM t GROUP BY flag;

SELECT id FROM t ORDER BY a, id;

SELECT id FROM t ORDER BY a DESC, id;

SELECT id FROM t ORDER BY s NULLS FIRST, id;

SELECT a FROM t UNION SELECT b FROM t;

SELECT a FROM t UNION ALL SELECT b FROM t;

SELECT a FROM t INTERSECT SELECT b FROM t;

SELECT a FROM t EXCEPT SELECT b FROM t;

SELECT s, flag FROM t INTERSECT SELECT s, flag FROM t WHERE id > 3;

SELECT NULL::int = ANY (ARRAY[1, 2]), 1 = ANY (ARRAY[1, NULL]), 3 = ANY (ARRAY[1, NULL]), 3 <> ALL (ARRAY[1, NULL]), 3 <> ALL (ARRAY[1, 2]);

SELECT id FROM t WHERE a = ANY (SELECT b FROM t);

SELECT id FROM t WHERE a <> ALL (SELECT b FROM t WHERE b IS NOT NULL);

SELECT id FROM t WHERE a NOT IN (SELECT b FROM t);

SELECT id FROM t WHERE a NOT IN (SELECT b FROM t WHERE b IS NOT NULL);

SELECT id FROM t x WHERE NOT EXISTS (SELECT 1 FROM t y WHERE y.b = x.a);

SELECT x.id, y.id AS other FROM t x JOIN t y ON x.a = y.b;

SELECT (SELECT a FROM t WHERE id = 4) IS NULL AS empty_value, (SELECT a FROM t WHERE id = 99) IS NULL AS no_row;

SELECT ARRAY[NULL, 1, NULL]::int[] AS arr, ARRAY[NULL]::text[] AS texts;

SELECT json_build_object('a', NULL, 'b', a) AS j FROM t WHERE id IN (1, 4);

-- error
SELECT NULL + 'x';

-- error
SELECT id FROM t WHERE a IS NULL AND s;
