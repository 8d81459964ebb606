-- Every operator: + - * / % ^ on each numeric type (integer division
-- truncates toward zero, % takes the dividend's sign), overflow of SMALLINT,
-- INTEGER, BIGINT and doubles as errors, division by zero as an error, ||
-- with text and non-text, comparisons of every type, and precedence.
CREATE TABLE nums (
    id INTEGER PRIMARY KEY,
    i INTEGER,
    si SMALLINT,
    bi BIGINT,
    n NUMERIC(12,4),
    d DOUBLE PRECISION,
    r REAL,
    s TEXT
);
INSERT INTO nums VALUES
    (1, 7, 3, 9000000000, 12.5, 2.5, 1.5, 'seven'),
    (2, -7, -3, -9000000000, -0.0001, -0.1, 0.25, 'minus seven'),
    (3, 0, 0, 0, 0, 0, 0, 'zero'),
    (4, 2147483647, 32767, 9223372036854775807, 99999999.9999, 1e300, 3.4e38, 'max'),
    (5, -2147483648, -32768, -9223372036854775808, -99999999.9999, -1e-300, -1e-30, 'min'),
    (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- queries

SELECT 7 / 2, -7 / 2, 7 / -2, -7 / -2, 1 / 3, 0 / 5;

SELECT 7 % 3, -7 % 3, 7 % -3, -7 % -3, 0 % 3, 6 % 3;

SELECT 7.0 / 2, 7 / 2.0, 1.0 / 3, 2.0 / 3, 10.0 / 4;

SELECT 1 / 3.0 * 3, 1 / 7.0, 100 / 7.0, 1.000 / 8;

SELECT 2 + 3 * 4, (2 + 3) * 4, 2 - 3 - 4, 2 * 3 % 4, -2 * -3, 2 - -2;

SELECT 10 - -3, +5, - (3 + 4), -(-7);

SELECT 2 ^ 10, 2.0 ^ 0.5, 2 ^ -1, 2 ^ 3 ^ 2, -2 ^ 2;

SELECT i / 2 AS half, i % 2 AS parity, i * 2 AS twice FROM nums WHERE id IN (1, 2, 3);

SELECT si / 2 AS half, si % 2 AS parity, si * si AS square FROM nums WHERE id IN (1, 2, 3);

SELECT bi / 7 AS q, bi % 7 AS r, bi * 2 AS twice FROM nums WHERE id IN (1, 2, 3);

SELECT n / 4 AS q, n % 4 AS r, n * n AS square, n + 1 AS inc FROM nums WHERE id IN (1, 2, 3);

SELECT d / 4 AS q, d * 3 AS triple, d - 1 AS dec FROM nums WHERE id IN (1, 2, 3);

SELECT r * 2 AS twice, r + 1 AS inc, r / 3 AS third FROM nums WHERE id IN (1, 2, 3);

SELECT i + si AS a, i + bi AS b, i + n AS c, i + d AS e, si + si AS f, n + d AS g, r + d AS h FROM nums WHERE id = 1;

SELECT i * 1.5 AS a, si * 0.5 AS b, bi / 2.0 AS c, i / 2.0 AS d FROM nums WHERE id = 1;

SELECT i / 0.5 AS a, d / 2 AS b, n / 3 AS c FROM nums WHERE id = 1;

SELECT 9223372036854775807 - 1, -9223372036854775807 - 1;

SELECT 9223372036854775808, -9223372036854775809, 9223372036854775807 + 1.0;

SELECT 46340 * 46340, 100000::bigint * 100000, 32767::smallint + 1;

SELECT i / 0 AS div FROM nums WHERE id = 6;

SELECT i % -1 AS m FROM nums WHERE id = 5;

SELECT bi % -1 AS m FROM nums WHERE id = 5;

SELECT si + 1 AS inc FROM nums WHERE id = 4;

SELECT i::bigint + 1 AS inc FROM nums WHERE id = 4;

SELECT d * 10 AS big FROM nums WHERE id = 4;

SELECT -i AS neg FROM nums WHERE id = 4;

SELECT -bi AS neg FROM nums WHERE id = 4;

SELECT 0.1 + 0.2, 0.1::float8 + 0.2::float8, 1.1 * 1.1, 1.1::float8 * 1.1::float8;

SELECT 5 * 0.1, 3 * 1.10, 1.10 + 2.205, 1.10 * 2.205, 10.00 - 0.5, 0.0 * 5;

SELECT 2.5 / 2, 10 / 4.0, 1 / 7.0, 123456789.123 / 1000, 1 / 1.0;

SELECT 12.5 % 5, -12.5 % 5, 5.5 % 2.5, 10 % 3.0;

SELECT 1::real / 3, 1::float8 / 3, 2::real * 0.1::real, 0.1::real + 0.2::real;

SELECT 1e-5::float8, 1e16::float8, 123456789012345678::float8, 1.5e-7::float8, 100::float8, 0.000123::float8;

SELECT 1e15::float8, 1e21::float8, 123456.789::float8, 2::float8 / 3, -1::float8 / 3;

SELECT 1e300::float8 * 1e8::float8 AS big, 3.4e38::real AS real_max;

SELECT 'NaN'::float8 = 'NaN'::float8, 'NaN'::float8 > 1e308::float8, 'Infinity'::float8 > 1e308::float8;

SELECT 'NaN'::numeric + 1, 'Infinity'::float8 - 'Infinity'::float8, 'Infinity'::float8 + 1, -'Infinity'::float8;

SELECT -0.0::float8 AS neg_zero, 0.0::float8 = -0.0::float8 AS same, -0.0 AS numeric_zero;

SELECT 'abc' || 'def', 'abc' || 1, 1 || 'abc', 'x' || NULL, 'a' || 'b' || 'c', '' || '';

SELECT s || ' (' || i || ')' AS label FROM nums;

SELECT s || n AS a, s || d AS b, s || bi AS c FROM nums WHERE id = 1;

SELECT 'a' || true, 'd' || DATE '2024-01-02', 'n' || 1.50;

SELECT 1 < 2, 2 <= 2, 3 > 4, 4 >= 4, 5 = 5, 5 <> 5, 5 != 6;

SELECT 'a' < 'b', 'a' < 'B', 'abc' < 'abd', 'ab' < 'abc', '' < 'a', 'Z' < 'a', 'é' > 'z';

SELECT 1 = 1.0, 1.0 = 1.00, 0.1 + 0.2 = 0.3, 0.1::float8 + 0.2::float8 = 0.3::float8, 1 = 1::float8;

SELECT 1.5 > 1, 2 < 2.5::float8, 3::smallint = 3::bigint, 9000000000 > 2147483647;

SELECT true > false, true = true, NOT true, true <> false;

SELECT DATE '2024-01-02' > DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00' < TIMESTAMP '2024-01-01 09:00';

SELECT DATE '2024-01-01' = TIMESTAMP '2024-01-01 00:00:00', DATE '2024-01-01' < TIMESTAMP '2024-01-01 00:00:01';

SELECT TIME '10:00' < TIME '09:59:59', '\x01'::bytea < '\x02'::bytea, ARRAY[1, 2] < ARRAY[1, 3];

SELECT id FROM nums WHERE i > si;

SELECT id FROM nums WHERE n > d;

SELECT id FROM nums WHERE bi < i;

SELECT id FROM nums WHERE s > 'n';

SELECT id FROM nums WHERE d = 0 AND r = 0 AND n = 0;

SELECT id FROM nums WHERE i::bigint * 2 > 10 OR i::bigint * 2 < -10;

SELECT 1 + 2 * 3 = 7 AND NOT 2 > 3 OR false;

SELECT 2 * 3 || 'x', 1 + 1 || '', 'a' || 1 + 2;

-- error
SELECT 2147483647 + 1;

-- error
SELECT (-2147483647 - 1) - 1;

-- error
SELECT 46341 * 46341;

-- error
SELECT 100000 * 100000;

-- error
SELECT i + 1 FROM nums WHERE id = 4;

-- error
SELECT i - 1 FROM nums WHERE id = 5;

-- error
SELECT i * 2 FROM nums WHERE id = 4;

-- error
SELECT -i FROM nums WHERE id = 5;

-- error
SELECT si + 1::smallint FROM nums WHERE id = 4;

-- error
SELECT si * 2::smallint FROM nums WHERE id = 5;

-- error
SELECT bi + 1 FROM nums WHERE id = 4;

-- error
SELECT bi * 2 FROM nums WHERE id = 5;

-- error
SELECT -bi FROM nums WHERE id = 5;

-- error
SELECT 9223372036854775807 + 1;

-- error
SELECT i / -1 FROM nums WHERE id = 5;

-- error
SELECT bi / -1 FROM nums WHERE id = 5;

-- error
SELECT 1 / 0;

-- error
SELECT 1 % 0;

-- error
SELECT 1.5 / 0;

-- error
SELECT 1.0 % 0;

-- error
SELECT 1::float8 / 0;

-- error
SELECT 1::real / 0::real;

-- error
SELECT i / 0 FROM nums WHERE id = 1;

-- error
SELECT i / (i - i) FROM nums WHERE id = 1;

-- error
SELECT bi % 0 FROM nums WHERE id = 2;

-- error
SELECT n / 0 FROM nums WHERE id = 3;

-- error
SELECT d * 1e10 FROM nums WHERE id = 4;

-- error
SELECT d / 1e300 FROM nums WHERE id = 5;

-- error
SELECT r * 10::real FROM nums WHERE id = 4;

-- error
SELECT 1e308::float8 * 10;

-- error
SELECT 1 || 2;

-- error
SELECT true + 1;

-- error
SELECT 'a' - 'b';

-- error
SELECT DATE '2024-01-01' * 2;

-- error
SELECT 1 < 'x';

-- error
SELECT true < 1;

-- error
SELECT 0 ^ -1;

-- error
SELECT 10::float8 ^ 400;
