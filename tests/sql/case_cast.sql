-- CASE (searched and simple forms, type resolution of branches) and CAST /
-- :: to every type of SPEC.md section 5: TEXT, VARCHAR(n), CHAR(n), SMALLINT,
-- INTEGER, BIGINT, REAL, DOUBLE PRECISION, NUMERIC(p,s), BOOLEAN, TIMESTAMP,
-- TIMESTAMPTZ, DATE, TIME, BYTEA, JSONB, UUID and arrays; rounding, range
-- checks and the input errors of each.
CREATE TABLE grades (id INTEGER PRIMARY KEY, student TEXT, score INTEGER, bonus NUMERIC(4,1), code TEXT);
INSERT INTO grades VALUES
    (1, 'ann', 95, 1.5, '10'),
    (2, 'bob', 85, NULL, '020'),
    (3, 'cyd', 72, 0.5, ' 7 '),
    (4, 'dee', NULL, 2.0, 'x'),
    (5, 'eve', 60, -1.0, NULL),
    (6, 'fay', 100, 0.0, '-3');

-- queries

SELECT id, CASE WHEN score >= 90 THEN 'A' WHEN score >= 80 THEN 'B' WHEN score >= 70 THEN 'C' ELSE 'F' END AS grade FROM grades;

SELECT id, CASE WHEN score >= 90 THEN 'A' WHEN score IS NULL THEN 'absent' END AS grade FROM grades;

SELECT id, CASE score WHEN 100 THEN 'perfect' WHEN 95 THEN 'great' ELSE 'ok' END AS label FROM grades;

SELECT id, CASE student WHEN 'ann' THEN 1 WHEN 'bob' THEN 2 END AS n FROM grades;

SELECT id, CASE WHEN bonus > 0 THEN score + bonus ELSE score END AS total FROM grades;

SELECT id, CASE WHEN score > 80 THEN score ELSE 0.5 END AS mixed FROM grades;

SELECT id, CASE WHEN code IS NULL THEN NULL ELSE upper(student) END AS who FROM grades;

SELECT id, CASE WHEN score > 70 THEN true ELSE false END AS passed, score > 70 AS same FROM grades;

SELECT id, CASE WHEN id > 0 THEN 1 ELSE 1 / (id - id) END AS lazy FROM grades;

SELECT id, CASE WHEN score IS NULL THEN 'none' WHEN score > 90 THEN 'high' WHEN score > 90 THEN 'never' ELSE 'low' END AS k FROM grades;

SELECT CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END, CASE WHEN 1 > 2 THEN 'a' END, CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END;

SELECT CASE WHEN true THEN 1 ELSE 2.5 END AS n, CASE WHEN false THEN 1 ELSE 2.5 END AS m;

SELECT CASE NULL WHEN NULL THEN 'matched' ELSE 'not matched' END AS k;

SELECT CASE WHEN NULL THEN 'x' ELSE 'y' END AS k;

SELECT sum(CASE WHEN score >= 80 THEN 1 ELSE 0 END) AS good, count(CASE WHEN score < 80 THEN 1 END) AS weak FROM grades;

SELECT id FROM grades WHERE CASE WHEN score > 80 THEN true ELSE bonus > 1 END;

SELECT id FROM grades ORDER BY CASE WHEN score IS NULL THEN 0 ELSE 1 END, score DESC, id;

SELECT CAST(1 AS TEXT), 1::text, CAST('42' AS INTEGER), '42'::int, ' 42 '::int, '-7'::int, '+7'::int;

SELECT '3.7'::numeric::int, 3.5::int, 2.5::int, (-2.5)::int, (-3.5)::int, 0.5::int, 1.4999::int;

SELECT 3.5::float8::int, 2.5::float8::int, (-2.5)::float8::int, 0.5::float8::int, 1.5::real::int;

SELECT '32767'::smallint, '-32768'::smallint, '2147483647'::integer, '-9223372036854775808'::bigint;

SELECT 32767::smallint, 2147483647::int::bigint, 9223372036854775807::bigint, (-9223372036854775807 - 1)::bigint;

SELECT '1.5'::numeric, '1.50'::numeric, '  1.5 '::numeric, '-0.00'::numeric, '1e3'::numeric, '1.5e-3'::numeric, '.5'::numeric;

SELECT 1.2345::numeric(5,2), 123.455::numeric(6,2), (-123.455)::numeric(6,2), 0.005::numeric(3,2), 0.004::numeric(3,2);

SELECT 12::numeric(5,2), 12::numeric(5,0), 12.5::numeric(3,0), 99.995::numeric(5,2), 1::numeric(1,0);

SELECT 1.5::numeric(10,4), 7::numeric, 7.0::numeric, 1e-3::numeric(5,1), 123456789.987654321::numeric;

SELECT 3.14159::numeric(4,3)::text, 2::numeric(4,2)::text, 1.10::numeric::text;

SELECT '1.5'::real, '1.5'::double precision, 1.1::real, 1.1::float8, 0.1::real::float8, 3.4e38::real, 1e-45::real;

SELECT 16777217::real, 16777217::float8, 1.0000001::real, 123456789::real;

SELECT 'NaN'::float8, 'infinity'::float8, '-Infinity'::float8, 'nan'::numeric, 'inf'::real;

SELECT 1.5::float8::numeric, 0.1::float8::numeric, 1e20::float8::numeric, (1.0 / 3)::float8, 2::float8::text;

SELECT 'true'::boolean, 'f'::boolean, 'yes'::boolean, 'off'::boolean, '1'::boolean, ' TRUE '::boolean, 'n'::boolean, 'on'::boolean;

SELECT 1::boolean, 0::boolean, 5::boolean, true::int, false::int, true::text, false::varchar;

SELECT '2024-01-31'::date, DATE '2024-02-29', '2024-01-31 12:34:56'::timestamp, '2024-01-31T12:34:56.5'::timestamp;

SELECT '2024-01-31 12:34:56.123456'::timestamp, '2024-01-31 12:34:56.1234567'::timestamp, TIMESTAMP '2000-01-01';

SELECT '2024-01-31 12:34:56+02'::timestamptz, '2024-01-31 12:34:56'::timestamptz, '2024-01-31 23:30:00-05:30'::timestamptz;

SELECT '12:34:56'::time, '12:34'::time, '23:59:59.999999'::time, '00:00'::time, TIME '07:08:09.5';

SELECT '2024-01-31 12:34:56'::timestamp::date, '2024-01-31'::date::timestamp, '2024-01-31 12:34:56'::timestamp::time;

SELECT '2024-01-31 12:34:56'::timestamp::timestamptz, '2024-01-31 12:34:56+01'::timestamptz::timestamp, '2024-01-31 12:34:56+01'::timestamptz::date;

SELECT '2024-01-31 12:34:56'::timestamp::text, '2024-01-31'::date::text, '12:00'::time::text, '2024-01-31 12:00+00'::timestamptz::text;

SELECT '0001-01-01'::date, '9999-12-31'::date, '1970-01-01 00:00:00'::timestamp, '1969-12-31 23:59:59.999999'::timestamp;

SELECT 'infinity'::timestamp, '-infinity'::date, 'epoch'::timestamp, 'epoch'::date;

SELECT '\x0102ff'::bytea, 'abc'::bytea, '\x'::bytea, length('\xdeadbeef'::bytea), 'a\\b'::bytea;

SELECT '\x41'::bytea::text, '\xDEADBEEF'::bytea;

SELECT '{"a": 1, "b": [true, null]}'::jsonb, '[1, 2.50, "x"]'::jsonb, '"s"'::jsonb, 'null'::jsonb, '3'::jsonb;

SELECT '{"b": 1, "a": {"d": 2, "c": 3}}'::jsonb, '{"a": 1, "a": 2}'::jsonb, ' [ ] '::jsonb, '{}'::jsonb;

SELECT '1e2'::jsonb, '1.0'::jsonb, '-0'::jsonb, '"\u00e9"'::jsonb, '"tab\tend"'::jsonb;

SELECT '{"a": 1}'::jsonb::text, '[1,2]'::jsonb::text, 'true'::jsonb::text;

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '{a0eebc99-9c0b4ef8-bb6d6bb9bd380a11}'::uuid, 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid;

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid::text, CAST('00000000-0000-0000-0000-000000000000' AS uuid);

SELECT '{1,2,3}'::int[], ARRAY[1, 2, 3], ARRAY['a', 'b'], '{}'::text[], ARRAY[1.5, 2]::numeric[], '{1,NULL,3}'::int[];

SELECT ARRAY[1, 2]::text[], '{"a b",c}'::text[], CAST(ARRAY['1', '2'] AS integer[]), '{1.5,2.25}'::float8[];

SELECT ARRAY[true, false], ARRAY[DATE '2024-01-01'], '{"2024-01-01 10:00"}'::timestamp[], ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid];

SELECT ARRAY[[1, 2], [3, 4]], '{{a},{b}}'::text[], ARRAY[1, 2]::bigint[]::text;

SELECT 42::text || 'x', 1.50::text, 1.5::float8::text, 1e20::float8::text, 0.1::real::text, (-0.0)::float8::text;

SELECT CAST(12.345 AS varchar(10)), CAST(true AS varchar), CAST(12 AS char(4)), CAST('abc' AS varchar(2)), 'abcdef'::char(3);

SELECT 'ab'::char(4), length('ab'::char(4)), 'ab'::char(4) = 'ab  '::char(4), 'ab'::char(4) || '|', 'ab  '::varchar(4);

SELECT 'x'::text::varchar(3)::char(3), 'hello'::varchar, 'hello'::character varying(3), 'hi'::character(3);

SELECT '7'::int + '8'::int, CAST('7' AS bigint) * 2, '7'::smallint / 2, '7.5'::numeric / 2;

SELECT 65::smallint::int::bigint::numeric::float8::real::text;

SELECT CAST('2024-01-31' AS timestamp), CAST(1 AS double precision) / 3, CAST(1 AS real) / 3, CAST(7 AS numeric(4,1));

SELECT score::text || '%' AS pct, score::numeric / 3 AS third, score::float8 / 3 AS fthird, bonus::int AS rounded FROM grades;

SELECT id, code::int AS n FROM grades WHERE id IN (1, 2, 3, 6);

SELECT id, student::varchar(2) AS short, student::char(5) AS padded FROM grades;

SELECT id, (score > 80)::int AS good, score::boolean AS nonzero FROM grades WHERE score IS NOT NULL;

-- error
SELECT '32768'::smallint;

-- error
SELECT 32768::smallint;

-- error
SELECT '2147483648'::integer;

-- error
SELECT 2147483648::integer;

-- error
SELECT '9223372036854775808'::bigint;

-- error
SELECT 9223372036854775808::bigint;

-- error
SELECT 1e19::float8::bigint;

-- error
SELECT 'NaN'::float8::int;

-- error
SELECT 'abc'::integer;

-- error
SELECT '1.5'::integer;

-- error
SELECT ''::integer;

-- error
SELECT '12abc'::bigint;

-- error
SELECT 'x'::numeric;

-- error
SELECT 1234.5::numeric(5,2);

-- error
SELECT 10::numeric(1,0);

-- error
SELECT '1e400'::float8;

-- error
SELECT 'abc'::real;

-- error
SELECT 1e39::real;

-- error
SELECT 'maybe'::boolean;

-- error
SELECT 2.5::boolean;

-- error
SELECT '2024-02-30'::date;

-- error
SELECT 'not a date'::date;

-- error
SELECT '2024-01-31 25:00'::timestamp;

-- error
SELECT '24:00:01'::time;

-- error
SELECT '\xZZ'::bytea;

-- error
SELECT '{"a": }'::jsonb;

-- error
SELECT 'not-a-uuid'::uuid;

-- error
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid;

-- error
SELECT '{1,x}'::int[];

-- error
SELECT '{1,2'::int[];

-- error
SELECT CAST(1.5 AS date);

-- error
SELECT true::date;

-- error
SELECT DATE '2024-01-01'::int;

-- error
SELECT 1::uuid;

-- error
SELECT 'x'::nosuchtype;

-- error
SELECT code::int FROM grades;

-- error
SELECT CASE WHEN true THEN 1 ELSE 'x' END;

-- error
SELECT CASE WHEN 1 THEN 'a' END;

-- error
SELECT CASE WHEN true THEN 1 ELSE false END;

-- error
SELECT CASE 1 WHEN 'a' THEN 1 END;

-- error
SELECT CASE WHEN score > 80 THEN 'x' END + 1 FROM grades;

-- error
SELECT CASE WHEN score > 0 THEN score / 0 ELSE 0 END FROM grades;
