-- The string functions of SPEC.md section 5: LOWER, UPPER, LENGTH,
-- TRIM/LTRIM/RTRIM (and TRIM(BOTH|LEADING|TRAILING x FROM s)), SUBSTRING
-- (1-based, FROM/FOR), REPLACE, POSITION, CONCAT, CONCAT_WS, LEFT, RIGHT,
-- LPAD, RPAD, SPLIT_PART: edge arguments (zero, negative, past the end,
-- empty, NULL) and non-ASCII text (lengths count characters).
CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, padded TEXT, tags TEXT);
INSERT INTO people VALUES
    (1, 'Ada', 'Lovelace', 'ada@example.com', '  ada  ', 'math,poetry'),
    (2, 'alan', 'TURING', 'alan.turing@bletchley.uk', 'alan', 'math,,crypto'),
    (3, 'Grace', 'Hopper', NULL, '   ', 'navy'),
    (4, 'Émile', 'Zoë', 'emile@exämple.fr', E'\ttab', ''),
    (5, NULL, 'Nobody', 'no@body', NULL, NULL);

-- queries

SELECT lower('Hello World'), upper('Hello World'), lower(NULL), upper(''), lower('ÀÉÎ'), upper('àéî');

SELECT id, lower(first_name) AS l, upper(last_name) AS u FROM people;

SELECT length('hello'), length(''), length('héllo'), length(NULL), length('日本語'), length(' x ');

SELECT id, length(first_name) AS fl, length(email) AS el, length(padded) AS pl FROM people;

SELECT trim('  pad  '), ltrim('  pad  '), rtrim('  pad  '), trim(''), trim('   '), trim(NULL);

SELECT trim(both 'x' from 'xxpadxx'), trim(leading 'x' from 'xxpadxx'), trim(trailing 'x' from 'xxpadxx'), trim('x' from 'xpadx');

SELECT ltrim('xxpad', 'x'), rtrim('padyx', 'xy'), ltrim('abcabc', 'ba'), rtrim('aaa', 'a'), trim(both 'ab' from 'abcba');

SELECT trim(leading from '  x  '), trim(trailing from '  x  '), trim(both from '  x  ');

SELECT id, '[' || trim(padded) || ']' AS t, '[' || ltrim(padded) || ']' AS l, '[' || rtrim(padded) || ']' AS r FROM people;

SELECT substring('hello world', 1, 5), substring('hello', 2), substring('hello' from 2 for 3), substring('hello' from 3), substring('hello' for 2);

SELECT substring('hello', 0, 3), substring('hello', -1, 3), substring('hello', 10), substring('hello', 2, 0), substring('hello', 5, 10), substring('', 1, 1);

SELECT substring('héllo', 2, 3), substring('日本語', 2), substring(NULL, 1, 2), substring('abc', NULL, 1);

SELECT id, substring(email, 1, position('@' in email) - 1) AS local_part FROM people WHERE email IS NOT NULL;

SELECT replace('banana', 'an', 'AN'), replace('aaa', 'a', ''), replace('abc', '', 'x'), replace('abc', 'z', 'y'), replace('aaaa', 'aa', 'b');

SELECT replace('Ünïcödé', 'ö', 'o'), replace(NULL, 'a', 'b'), replace('a', NULL, 'b'), replace('abc', 'b', NULL);

SELECT position('lo' in 'hello'), position('z' in 'hello'), position('' in 'hello'), position('l' in 'hello'), position('é' in 'héllo');

SELECT position(NULL in 'a'), position('a' in NULL), position('hello' in 'hello'), position('helloo' in 'hello');

SELECT concat('a', 1, NULL, 2.5, true), concat(NULL), concat('', ''), concat(DATE '2024-01-02', ' ', 3.10);

SELECT id, concat(first_name, ' ', last_name) AS full_name FROM people;

SELECT concat_ws(', ', 'a', NULL, 'b'), concat_ws(NULL, 'a', 'b'), concat_ws('-', 1, 2, 3), concat_ws('', 'a', 'b'), concat_ws(',', NULL);

SELECT id, concat_ws(' ', first_name, last_name) AS full_name, concat_ws('/', tags, email) AS mixed FROM people;

SELECT left('hello', 2), left('hello', -2), left('hello', 10), left('hello', 0), left('héllo', 2), left('', 3);

SELECT right('hello', 2), right('hello', -2), right('hello', 10), right('hello', 0), right('héllo', 4), right(NULL, 1);

SELECT id, left(first_name, 1) || left(last_name, 1) AS initials FROM people;

SELECT lpad('5', 3, '0'), lpad('hello', 3), lpad('hi', 5), rpad('hi', 5, 'xy'), rpad('hello', 2, 'x'), lpad('hi', 6, 'abc');

SELECT lpad('x', 3, ''), rpad('x', 0, 'y'), lpad('x', -1, 'y'), lpad('', 2, 'é'), rpad('日', 3, '本'), lpad(NULL, 3, 'x');

SELECT id, lpad(id::text, 4, '0') AS code, rpad(coalesce(first_name, '?'), 6, '.') AS name FROM people;

SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 4), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', -3), split_part('a,b,c', ',', -4);

SELECT split_part('abc', '', 1), split_part('abc', '', 2), split_part('a,,c', ',', 2), split_part('', ',', 1), split_part('a--b--c', '--', 3);

SELECT id, split_part(email, '@', 2) AS domain, split_part(tags, ',', 1) AS first_tag, split_part(tags, ',', 2) AS second_tag FROM people;

SELECT upper(first_name) || ' ' || lower(last_name) AS shout FROM people;

SELECT id, length(trim(padded)) AS len FROM people;

SELECT id FROM people WHERE lower(email) LIKE '%.com' OR upper(last_name) = 'TURING';

SELECT id, replace(lower(concat_ws('.', first_name, last_name)), ' ', '') AS handle FROM people;

SELECT id FROM people WHERE position('a' in lower(first_name)) > 0;

SELECT lower(upper('MiXeD')), upper(substring('hello', 2, 3)), length(repeat_free) FROM (SELECT 'abc' AS repeat_free) s;

SELECT id, first_name FROM people ORDER BY lower(first_name) NULLS FIRST, id;

SELECT string_agg(upper(left(first_name, 1)), '' ORDER BY id) AS letters FROM people;

SELECT id, concat(left(email, 3), '***') AS masked FROM people WHERE email IS NOT NULL;

SELECT 'abc' || upper('def') || lower('GHI') AS joined;

-- error
SELECT substring('hello', 1, -1);

-- error
SELECT split_part('a,b', ',', 0);

-- error
SELECT lower(1);

-- error
SELECT length();

-- error
SELECT left('abc');

-- error
SELECT lpad('x', 'y');

-- error
SELECT position('a', 'b');

-- error
SELECT concat_ws();

-- error
SELECT replace('a', 'b');

-- error
SELECT upper('a', 'b');

-- error
SELECT nosuchfunction('x');
