-- A table with a column of every type of SPEC.md section 5, read back
-- whole (each type's JSON rendering: NUMERIC keeps its scale, CHAR(n) its
-- padding, REAL its shortest digits, BYTEA as \x hex, TIMESTAMPTZ in UTC,
-- JSONB embedded, arrays as JSON arrays), compared, sorted, cast and
-- filtered by type; the write-time casts and their errors.
CREATE TABLE everything (
    id INTEGER PRIMARY KEY,
    t TEXT,
    vc VARCHAR(8),
    ch CHAR(4),
    si SMALLINT,
    i INTEGER,
    bi BIGINT,
    r REAL,
    d DOUBLE PRECISION,
    n NUMERIC(10,3),
    b BOOLEAN,
    ts TIMESTAMP,
    tz TIMESTAMPTZ,
    dt DATE,
    tm TIME,
    bin BYTEA,
    j JSONB,
    u UUID,
    ia INTEGER[],
    ta TEXT[]
);
INSERT INTO everything VALUES
    (1, 'text', 'varchar', 'ch', 1, 10, 100, 1.1, 1.1, 1.1, true,
     '2024-01-31 12:34:56', '2024-01-31 12:34:56+00', '2024-01-31', '12:34:56', '\x0102',
     '{"k": "v", "n": [1, 2.50]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2,3}', '{"a","b c"}'),
    (2, '', '', '', 0, 0, 0, 0, 0, 0, false,
     '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '1970-01-01', '00:00:00', '\x',
     '{}', '00000000-0000-0000-0000-000000000000', '{}', '{}'),
    (3, 'ünï', 'x', 'abcd', -32768, -2147483648, -9223372036854775808, -3.4e38, -1.7976931348623157e308, -9999999.999, false,
     '0001-01-01 00:00:00', '2000-06-30 23:59:59.5-07', '0001-01-01', '23:59:59.999999', '\xffee',
     '[1, "two", null, true]', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{-1,NULL}', '{NULL,""}'),
    (4, 'big', 'y', 'z', 32767, 2147483647, 9223372036854775807, 1e-37, 5e-324, 9999999.999, true,
     '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07+00', '9999-12-31', '00:00:00.000001', '\x00',
     '"str"', '123e4567-e89b-12d3-a456-426614174000', '{7}', '{z}'),
    (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (6, 'nan', 'inf', 'i', 6, 6, 6, 'NaN', 'Infinity', 'NaN', NULL,
     '2024-02-29 00:00:00', '2024-02-29 12:00:00+05:30', '2024-02-29', '12:00:00', '\xdeadbeef',
     'null', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', '{1,1}', '{NULL}');

-- queries

SELECT * FROM everything;

SELECT id, t, vc, ch FROM everything;

SELECT id, ch, length(ch) AS len, ch || '|' AS piped, ch = 'ch' AS eq, ch::text AS as_text FROM everything;

SELECT id, si, i, bi, si + i AS si_i, i::bigint + bi AS i_bi FROM everything WHERE id NOT IN (3, 4);

SELECT id, r, d, r::float8 AS r_wide, d::real AS d_narrow FROM everything WHERE id IN (1, 2, 6);

SELECT id, n, n * 2 AS doubled, round(n, 1) AS r1, n::int AS whole FROM everything WHERE id IN (1, 2, 3, 4);

SELECT id, b, NOT b AS nb, b::int AS bi FROM everything;

SELECT id, ts, ts::date AS d, ts::time AS tm, ts::timestamptz AS tz FROM everything;

SELECT id, tz, tz::timestamp AS local, tz::date AS d FROM everything;

SELECT id, dt, dt + 1 AS next, dt::timestamp AS midnight FROM everything WHERE id <> 4;

SELECT id, tm, tm::text AS s FROM everything;

SELECT id, bin, length(bin) AS len, bin::text AS s FROM everything;

SELECT id, j, j->'k' AS k, j->>0 AS e0, j::text AS s FROM everything;

SELECT id, u, u::text AS s, upper(u::text) AS up FROM everything;

SELECT id, ia, ia[1] AS first, ia[2] AS second, ia[5] AS missing, ta, ta[1] AS t1 FROM everything;

SELECT id FROM everything WHERE ia = ARRAY[1, 2, 3];

SELECT id FROM everything WHERE ta = '{}';

SELECT id FROM everything WHERE t = 'text';

SELECT id FROM everything WHERE vc = 'varchar';

SELECT id FROM everything WHERE ch = 'ch  ';

SELECT id FROM everything WHERE si < 0 OR i > 1000000;

SELECT id FROM everything WHERE bi = 9223372036854775807;

SELECT id FROM everything WHERE r > 1;

SELECT id FROM everything WHERE d = 1.1;

SELECT id FROM everything WHERE n = 1.100;

SELECT id FROM everything WHERE b;

SELECT id FROM everything WHERE ts > '2024-01-01';

SELECT id FROM everything WHERE tz = '2024-01-31 14:34:56+02';

SELECT id FROM everything WHERE dt = '2024-02-29';

SELECT id FROM everything WHERE tm < '01:00';

SELECT id FROM everything WHERE bin = '\x0102';

SELECT id FROM everything WHERE j = '{"n": [1, 2.50], "k": "v"}';

SELECT id FROM everything WHERE u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11';

SELECT id FROM everything WHERE r = 'NaN';

SELECT id FROM everything WHERE n = 'NaN' OR d = 'Infinity';

SELECT id, t FROM everything ORDER BY t NULLS FIRST;

SELECT id, ch FROM everything ORDER BY ch, id;

SELECT id, si FROM everything ORDER BY si DESC;

SELECT id, bi FROM everything ORDER BY bi;

SELECT id, r FROM everything ORDER BY r;

SELECT id, d FROM everything ORDER BY d DESC;

SELECT id, n FROM everything ORDER BY n NULLS FIRST;

SELECT id, b FROM everything ORDER BY b, id;

SELECT id, ts FROM everything ORDER BY ts DESC NULLS LAST;

SELECT id, tz FROM everything ORDER BY tz;

SELECT id, dt FROM everything ORDER BY dt;

SELECT id, tm FROM everything ORDER BY tm;

SELECT id, bin FROM everything ORDER BY bin;

SELECT id, u FROM everything ORDER BY u;

SELECT id, ia FROM everything ORDER BY ia, id;

SELECT id, ta FROM everything ORDER BY ta, id;

SELECT id, j FROM everything ORDER BY j, id;

SELECT min(si), max(i), sum(bi), min(r), max(d), sum(n), min(ts), max(tz), min(dt), max(tm), min(u::text), bool_or(b) FROM everything WHERE id <> 4;

SELECT count(*), count(t), count(ch), count(j), count(ia) FROM everything;

SELECT b, count(*) FROM everything GROUP BY b;

SELECT ch, count(*) FROM everything GROUP BY ch;

SELECT DISTINCT b FROM everything;

INSERT INTO everything (id, ch, vc, si, n, r, ts, dt, bin, u, ia) VALUES (7, 'a', 'abc   ', '7', 2.0005, 0.1, '2024-01-01', '2024-01-01', 'hi', '{a0eebc99-9c0b4ef8-bb6d6bb9bd380a11}', '{4,5}') RETURNING *;

INSERT INTO everything (id, i, bi, n, d, b, j) VALUES (8, 7.5, 8.5, 1, 3, 't', '[]') RETURNING id, i, bi, n, d, b, j;

INSERT INTO everything (id, t, tz, tm, ta) VALUES (9, 123, '2024-06-01 12:00', '1:2:3', ARRAY['q']) RETURNING id, t, tz, tm, ta;

UPDATE everything SET n = n + 0.0004, si = si + 1, ch = 'x' WHERE id = 1 RETURNING id, n, si, ch;

SELECT id, n, si, ch FROM everything WHERE id IN (1, 7, 8);

-- error
INSERT INTO everything (id, si) VALUES (100, 32768);

-- error
INSERT INTO everything (id, vc) VALUES (100, 'nine char');

-- error
INSERT INTO everything (id, ch) VALUES (100, 'fives');

-- error
INSERT INTO everything (id, n) VALUES (100, 10000000);

-- error
INSERT INTO everything (id, u) VALUES (100, 'xyz');

-- error
INSERT INTO everything (id, dt) VALUES (100, '2024-13-01');

-- error
INSERT INTO everything (id, j) VALUES (100, '{');

-- error
INSERT INTO everything (id, ia) VALUES (100, '{1,x}');

-- error
INSERT INTO everything (id, bin) VALUES (100, '\xZZ');

-- error
INSERT INTO everything (id, tm) VALUES (100, '25:00');

-- error
INSERT INTO everything (id, b) VALUES (100, 2);

-- error
INSERT INTO everything (id, tz) VALUES (100, 'tomorrowish');

-- error
UPDATE everything SET si = si * 20000 WHERE id = 1;

SELECT count(*) FROM everything;
