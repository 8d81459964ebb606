-- ORDER BY: ASC/DESC, NULLS FIRST/LAST (NULLs sort last ascending, first
-- descending by default), by output name, position or expression, byte-order
-- text; LIMIT/OFFSET (with ALL, NULL, 0, past the end) under a total ORDER BY.
CREATE TABLE scores (id INTEGER PRIMARY KEY, player TEXT, score INTEGER, ratio DOUBLE PRECISION, played DATE, team TEXT);
INSERT INTO scores VALUES
    (1, 'ann', 50, 0.5, '2024-01-03', 'red'),
    (2, 'bob', 70, NULL, '2024-01-01', 'blue'),
    (3, 'Cat', NULL, 0.25, NULL, 'red'),
    (4, 'dan', 70, 1.5, '2024-01-02', NULL),
    (5, 'Eve', 20, -0.5, '2024-01-05', 'blue'),
    (6, 'fay', NULL, NULL, '2024-01-04', 'green'),
    (7, 'ann', 90, 'NaN', '2024-01-06', 'red'),
    (8, 'Zed', 50, 'Infinity', '2024-01-07', 'blue'),
    (9, '', 10, '-Infinity', '2024-01-08', NULL),
    (10, 'áb', 30, 0, '2024-01-09', 'green');

-- queries

SELECT id, score FROM scores ORDER BY score, id;

SELECT id, score FROM scores ORDER BY score DESC, id;

SELECT id, score FROM scores ORDER BY score ASC NULLS FIRST, id;

SELECT id, score FROM scores ORDER BY score DESC NULLS LAST, id;

SELECT id, score FROM scores ORDER BY score NULLS LAST, id DESC;

SELECT id, score FROM scores ORDER BY score DESC NULLS FIRST, id DESC;

SELECT score FROM scores ORDER BY score;

SELECT score FROM scores ORDER BY score DESC;

SELECT player, score FROM scores ORDER BY 2 DESC, 1;

SELECT player, score FROM scores ORDER BY 2 NULLS FIRST, 1 DESC;

SELECT player AS p, score AS s FROM scores ORDER BY p, s;

SELECT player FROM scores ORDER BY player;

SELECT player FROM scores ORDER BY player DESC;

SELECT id, ratio FROM scores ORDER BY ratio, id;

SELECT id, ratio FROM scores ORDER BY ratio DESC NULLS LAST, id;

SELECT id, played FROM scores ORDER BY played, id;

SELECT id, played FROM scores ORDER BY played DESC;

SELECT id, team FROM scores ORDER BY team NULLS FIRST, id;

SELECT id, team, score FROM scores ORDER BY team DESC, score DESC NULLS LAST, id;

SELECT id FROM scores ORDER BY lower(player), id;

SELECT id FROM scores ORDER BY score + id, id;

SELECT id FROM scores ORDER BY score * -1 NULLS FIRST, id;

SELECT id, score FROM scores ORDER BY CASE WHEN score IS NULL THEN 0 ELSE 1 END, score DESC, id;

SELECT id FROM scores ORDER BY coalesce(score, 0), id;

SELECT id FROM scores ORDER BY length(player) DESC, player, id;

SELECT id FROM scores ORDER BY team IS NULL, team, id;

SELECT id, score FROM scores ORDER BY score, id LIMIT 3;

SELECT id, score FROM scores ORDER BY score DESC NULLS LAST, id LIMIT 3;

SELECT id FROM scores ORDER BY id LIMIT 3 OFFSET 2;

SELECT id FROM scores ORDER BY id OFFSET 5;

SELECT id FROM scores ORDER BY id OFFSET 5 LIMIT 2;

SELECT id FROM scores ORDER BY id LIMIT 0;

SELECT id FROM scores ORDER BY id LIMIT 100;

SELECT id FROM scores ORDER BY id LIMIT ALL;

SELECT id FROM scores ORDER BY id LIMIT NULL;

SELECT id FROM scores ORDER BY id DESC LIMIT 2 OFFSET 100;

SELECT id FROM scores ORDER BY id OFFSET 0;

SELECT id FROM scores ORDER BY id LIMIT 2 + 1;

SELECT id FROM scores ORDER BY played DESC NULLS LAST, id LIMIT 4;

SELECT id, player FROM scores WHERE score > 20 ORDER BY player DESC, id LIMIT 2;

SELECT id FROM scores ORDER BY id FETCH FIRST 2 ROWS ONLY;

SELECT id FROM scores ORDER BY id OFFSET 8 ROWS;

SELECT team, count(*) AS n FROM scores GROUP BY team ORDER BY n DESC, team NULLS LAST;

SELECT team, max(score) AS best FROM scores GROUP BY team ORDER BY best DESC NULLS FIRST, team;

SELECT DISTINCT player FROM scores ORDER BY player;

SELECT DISTINCT team FROM scores ORDER BY team DESC NULLS LAST;

SELECT DISTINCT score FROM scores ORDER BY score NULLS FIRST LIMIT 3;

SELECT id FROM (SELECT id, score FROM scores ORDER BY score DESC NULLS LAST, id LIMIT 5) top ORDER BY id;

SELECT id FROM scores WHERE id IN (SELECT id FROM scores ORDER BY score NULLS LAST, id LIMIT 2);

SELECT player, score FROM scores WHERE team = 'red' UNION ALL SELECT player, score FROM scores WHERE team = 'blue' ORDER BY 2, 1;

SELECT v FROM (VALUES ('b'), ('B'), ('a'), ('A'), ('_'), ('1'), (' '), ('é'), ('e')) AS t(v) ORDER BY v;

SELECT v FROM (VALUES ('ab'), ('a'), ('abc'), (''), ('b')) AS t(v) ORDER BY v DESC;

SELECT v FROM (VALUES (1.5), (1.50), (-0.0), (0), (NULL), (1.25)) AS t(v) ORDER BY v;

SELECT v FROM (VALUES (true), (false), (NULL)) AS t(v) ORDER BY v;

SELECT v FROM (VALUES (true), (false), (NULL)) AS t(v) ORDER BY v DESC;

SELECT v FROM (VALUES (ARRAY[1, 2]), (ARRAY[1]), (ARRAY[2]), (ARRAY[1, 2, 0])) AS t(v) ORDER BY v;

-- error
SELECT id FROM scores ORDER BY 5;

-- error
SELECT id FROM scores ORDER BY 0;

-- error
SELECT id FROM scores LIMIT -1;

-- error
SELECT id FROM scores ORDER BY id OFFSET -1;

-- error
SELECT id FROM scores ORDER BY nope;

-- error
SELECT id FROM scores ORDER BY id LIMIT 'x';

-- error
SELECT DISTINCT player FROM scores ORDER BY score;

-- error
SELECT player, score FROM scores UNION SELECT player, score FROM scores ORDER BY id;

-- error
SELECT id FROM scores ORDER BY id LIMIT (SELECT id FROM scores);

-- error
SELECT id FROM scores ORDER BY id DESC NULLS;
