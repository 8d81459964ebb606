-- The math functions of SPEC.md section 5: ABS, ROUND(x[, n]), CEIL/CEILING,
-- FLOOR, MOD, POWER, SQRT, GREATEST, LEAST on integers, exact numerics and
-- doubles (each keeps PostgreSQL's result type: ROUND of a NUMERIC rounds half
-- away from zero, of a double half to even), and their domain errors.
CREATE TABLE prices (id INTEGER PRIMARY KEY, item TEXT, price NUMERIC(8,3), qty INTEGER, ratio DOUBLE PRECISION, delta INTEGER);
INSERT INTO prices VALUES
    (1, 'bolt', 0.125, 400, 0.333, -3),
    (2, 'nut', 0.045, 1000, 2.5, 7),
    (3, 'gear', 12.500, 3, -1.75, 0),
    (4, 'belt', 7.995, 12, 100, -12),
    (5, 'axle', NULL, NULL, NULL, NULL),
    (6, 'cog', -2.555, 5, -0.5, 1);

-- queries

SELECT abs(-5), abs(5), abs(-5.5), abs(-2.5::float8), abs(0), abs(-0.0), abs(NULL::int);

SELECT abs(-32768::int), abs((-9223372036854775807)::bigint), abs(-1e-10), abs('-Infinity'::float8);

SELECT id, abs(delta) AS a, abs(price) AS p, abs(ratio) AS r FROM prices;

SELECT round(2.5), round(3.5), round(-2.5), round(2.4), round(-0.5), round(0.5), round(1.4999);

SELECT round(2.5::float8), round(3.5::float8), round(-2.5::float8), round(0.5::float8), round(1.5::float8), round(-0.4::float8);

SELECT round(3.14159, 2), round(3.145, 2), round(-3.145, 2), round(1234.5, -2), round(1250, -2), round(1249, -2);

SELECT round(2.5, 0), round(0.125, 2), round(1.0, 3), round(123.456, -1), round(5, -1), round(0.0005, 3);

SELECT round(99.5), round(999.99, 1), round(-0.004, 2), round(1e-20, 5), round(12345, -10);

SELECT id, round(price, 2) AS p2, round(price) AS p0, round(price, -1) AS p_1, round(ratio) AS r FROM prices;

SELECT ceil(1.2), ceil(-1.2), ceil(1.2::float8), ceil(-0.5::float8), ceiling(2.1), ceil(5), ceil(-5.0);

SELECT floor(1.8), floor(-1.8), floor(-1.8::float8), floor(5), floor(-0.0001), floor(2.0);

SELECT id, ceil(price) AS c, floor(price) AS f, ceil(ratio) AS cr, floor(ratio) AS fr FROM prices;

SELECT mod(7, 3), mod(-7, 3), mod(7, -3), mod(7.5, 2), mod(7::bigint, -3), mod(0, 5), mod(-7.5, 2);

SELECT mod(7::smallint, 4::smallint), mod(10, 2.5), mod(1e10::numeric, 7), mod(NULL, 3);

SELECT id, mod(qty, 7) AS m, mod(delta, 5) AS d FROM prices;

SELECT power(2, 10), power(2.0, 0.5), power(2, -1), power(0, 0), power(-2, 3), power(2::float8, 0.5::float8);

SELECT power(10, 2), power(1.5, 2), power(-8.0, 3), power(4, 0.5), power(2.0, -2), power(9::float8, 0.5);

SELECT power(2, 62), power(2::numeric, 100), power(1.01, 100)::numeric(20,10);

SELECT sqrt(16), sqrt(2), sqrt(2.0), sqrt(0), sqrt(1e-10::float8), sqrt(100.00), sqrt(2::numeric(10,4));

SELECT id, sqrt(abs(ratio)) AS s, sqrt(qty) AS q FROM prices;

SELECT greatest(1, 5, 3), least(1, 5, 3), greatest('apple', 'banana'), least('apple', 'Apple'), least(2, 2.5), greatest(1, 2.5::float8);

SELECT greatest(NULL, 1), greatest(NULL, NULL::int), least(1, NULL, 3), greatest(DATE '2024-01-01', DATE '2023-12-31');

SELECT greatest(true, false), least(1.50, 1.5), greatest(1.5, 1.50), greatest(-0.0::float8, 0::float8);

SELECT id, greatest(qty, delta) AS g, least(qty, delta) AS l, greatest(price, ratio) AS gm FROM prices;

SELECT id, round(price * qty, 2) AS total, round(price * 1.2, 1) AS marked_up FROM prices;

SELECT round(sum(price * qty), 2) AS inventory, round(avg(price), 4) AS mean FROM prices;

SELECT id FROM prices WHERE round(price) = 8 OR floor(ratio) = -2;

SELECT id, abs(ceil(ratio) - floor(ratio)) AS width FROM prices;

SELECT round(10.0 / 3, 5), round(2 / 3.0, 10), round(1.0 / 7, 20);

SELECT round(-1.5), round(-1.5::float8), round(-2.5, 0), round(1.05, 1), round(1.15, 1), round(1.15::float8 * 10) / 10;

SELECT ceil(1e300::float8), floor(-1e300::float8), round(1e300::float8), abs(1e-300::float8);

SELECT ceil('NaN'::numeric), round('NaN'::float8), abs('NaN'::numeric), sqrt('Infinity'::float8);

-- error
SELECT abs(-2147483647 - 1);

-- error
SELECT abs((-9223372036854775807 - 1)::bigint);

-- error
SELECT mod(7, 0);

-- error
SELECT mod(7.5, 0);

-- error
SELECT power(-8.0, 0.5);

-- error
SELECT power(0, -1);

-- error
SELECT power(-8::float8, 0.5);

-- error
SELECT power(10::float8, 400);

-- error
SELECT sqrt(-1);

-- error
SELECT sqrt(-0.01);

-- error
SELECT round(1.5, 'x');

-- error
SELECT round('abc');

-- error
SELECT greatest(1, 'a');

-- error
SELECT least(1, true);

-- error
SELECT mod(7.5::float8, 2);

-- error
SELECT ceil('x'::text);
