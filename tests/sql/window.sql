-- Window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG, LEAD, FIRST_VALUE,
-- LAST_VALUE and aggregates OVER (PARTITION BY ... ORDER BY ... frame), named
-- windows, ROWS/RANGE/GROUPS frames. Functions that number or offset rows
-- order by a unique key last, so every engine gives the same numbers.
CREATE TABLE emp (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    dept TEXT,
    salary INTEGER,
    hired DATE,
    bonus DOUBLE PRECISION,
    rating NUMERIC(3,1),
    remote BOOLEAN
);
CREATE TABLE readings (sensor TEXT, ts INTEGER, value NUMERIC(6,2), PRIMARY KEY (sensor, ts));

INSERT INTO emp VALUES
    (1, 'ada', 'eng', 9000, '2019-03-01', 0.5, 4.5, true),
    (2, 'ben', 'eng', 7000, '2020-06-15', 0.25, 3.0, false),
    (3, 'cam', 'eng', 7000, '2021-01-10', NULL, 3.5, true),
    (4, 'dan', 'ops', 5000, '2018-11-30', 0.125, NULL, false),
    (5, 'eli', 'ops', 6500, '2022-02-01', 0.75, 4.0, NULL),
    (6, 'fox', 'sales', 4000, '2023-05-05', 1.5, 2.5, true),
    (7, 'gil', 'sales', 4000, '2023-05-05', 0.1, 2.5, false),
    (8, 'hal', 'sales', NULL, '2024-01-02', NULL, NULL, true),
    (9, 'ivy', NULL, 3000, NULL, 0.2, 5.0, false),
    (10, 'jon', 'eng', 12000, '2017-08-08', 2.0, 4.5, true);
INSERT INTO readings VALUES
    ('a', 1, 10.00), ('a', 2, 12.50), ('a', 3, NULL), ('a', 4, 11.25), ('a', 5, 9.75),
    ('b', 1, 100.00), ('b', 3, 90.00), ('b', 4, 95.50),
    ('c', 2, 0.00);

-- queries

SELECT name, row_number() OVER (ORDER BY id) FROM emp;

SELECT name, row_number() OVER (ORDER BY salary DESC, id) AS rn FROM emp;

SELECT name, dept, row_number() OVER (PARTITION BY dept ORDER BY salary DESC, id) AS rn FROM emp;

SELECT name, salary, rank() OVER (ORDER BY salary DESC) AS r, dense_rank() OVER (ORDER BY salary DESC) AS dr FROM emp;

SELECT name, salary, rank() OVER (ORDER BY salary DESC NULLS LAST) AS r FROM emp;

SELECT name, salary, rank() OVER (ORDER BY salary NULLS FIRST) AS r, dense_rank() OVER (ORDER BY salary NULLS FIRST) AS dr FROM emp;

SELECT name, dept, rank() OVER (PARTITION BY dept ORDER BY salary) AS r FROM emp;

SELECT name, rank() OVER () AS r, dense_rank() OVER () AS dr, row_number() OVER () > 0 AS numbered FROM emp;

SELECT name, lag(salary) OVER (ORDER BY id) AS prev, lead(salary) OVER (ORDER BY id) AS next FROM emp;

SELECT name, lag(salary, 2) OVER (ORDER BY id) AS prev2, lead(salary, 3) OVER (ORDER BY id) AS next3 FROM emp;

SELECT name, lag(salary, 1, 0) OVER (PARTITION BY dept ORDER BY id) AS prev, lead(name, 1, 'none') OVER (PARTITION BY dept ORDER BY id) AS next FROM emp;

SELECT name, lag(salary, 0) OVER (ORDER BY id) AS same FROM emp;

SELECT name, salary - lag(salary) OVER (ORDER BY hired, id) AS raise FROM emp;

SELECT name, lag(hired) OVER (ORDER BY hired NULLS FIRST, id) AS before FROM emp;

SELECT name, first_value(name) OVER (PARTITION BY dept ORDER BY salary DESC, id) AS top FROM emp;

SELECT name, last_value(name) OVER (PARTITION BY dept ORDER BY salary DESC, id) AS last_so_far FROM emp;

SELECT name, last_value(name) OVER (PARTITION BY dept ORDER BY salary DESC, id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS bottom FROM emp;

SELECT name, first_value(salary) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS f, last_value(salary) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS l FROM emp;

SELECT name, first_value(bonus) OVER (ORDER BY bonus NULLS FIRST, id) AS lowest FROM emp;

SELECT name, sum(salary) OVER () AS total, count(*) OVER () AS n FROM emp;

SELECT name, dept, sum(salary) OVER (PARTITION BY dept) AS dept_total, avg(salary) OVER (PARTITION BY dept) AS dept_avg FROM emp;

SELECT name, count(salary) OVER (PARTITION BY dept) AS paid, count(*) OVER (PARTITION BY dept) AS people FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id) AS running FROM emp;

SELECT name, salary, sum(salary) OVER (ORDER BY salary) AS running_peers FROM emp;

SELECT name, salary, count(*) OVER (ORDER BY salary) AS at_most FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS 2 PRECEDING) AS last3 FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS everything FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS before3 FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS after3 FROM emp;

SELECT name, salary, sum(salary) OVER (ORDER BY salary RANGE BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) AS close_total FROM emp;

SELECT name, salary, count(*) OVER (ORDER BY salary RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c FROM emp;

SELECT name, salary, count(*) OVER (ORDER BY salary RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS c FROM emp;

SELECT name, salary, count(*) OVER (ORDER BY salary GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS c FROM emp;

SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS neighbours FROM emp;

SELECT name, salary, count(*) OVER (ORDER BY salary ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES) AS others FROM emp;

SELECT name, min(salary) OVER w AS lo, max(salary) OVER w AS hi FROM emp WINDOW w AS (PARTITION BY dept);

SELECT name, row_number() OVER w AS rn, sum(salary) OVER w AS running FROM emp WINDOW w AS (ORDER BY id);

SELECT name, sum(salary) OVER (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair FROM emp WINDOW w AS (PARTITION BY dept ORDER BY id);

SELECT name, avg(rating) OVER (PARTITION BY dept ORDER BY id) AS running_rating FROM emp;

SELECT name, sum(bonus) OVER (ORDER BY id) AS running_bonus, avg(bonus) OVER () AS mean_bonus FROM emp;

SELECT name, max(hired) OVER (PARTITION BY dept) AS newest FROM emp;

SELECT name, bool_and(remote) OVER (PARTITION BY dept) AS all_remote, bool_or(remote) OVER (PARTITION BY dept) AS any_remote FROM emp;

SELECT dept, sum(salary) AS total, rank() OVER (ORDER BY sum(salary) DESC) AS r FROM emp GROUP BY dept;

SELECT dept, count(*) AS n, sum(count(*)) OVER () AS everyone FROM emp GROUP BY dept;

SELECT name, dept FROM (SELECT name, dept, row_number() OVER (PARTITION BY dept ORDER BY salary DESC, id) AS rn FROM emp) s WHERE rn = 1;

SELECT name, salary, round(100.0 * salary / sum(salary) OVER (), 2) AS pct FROM emp;

SELECT name, salary FROM emp ORDER BY rank() OVER (ORDER BY salary DESC NULLS LAST), id;

SELECT name, row_number() OVER (ORDER BY id DESC) AS rn FROM emp ORDER BY id;

SELECT name, row_number() OVER (ORDER BY name) AS rn FROM emp WHERE dept = 'eng';

SELECT name, row_number() OVER (PARTITION BY remote ORDER BY id) AS rn FROM emp;

SELECT sensor, ts, value, lag(value) OVER (PARTITION BY sensor ORDER BY ts) AS prev FROM readings;

SELECT sensor, ts, avg(value) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS smooth FROM readings;

SELECT sensor, ts, value, value - first_value(value) OVER (PARTITION BY sensor ORDER BY ts) AS since_first FROM readings;

SELECT sensor, ts, sum(value) OVER (PARTITION BY sensor ORDER BY ts RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS sum_prev_ts FROM readings;

SELECT sensor, count(value) OVER (PARTITION BY sensor) AS known, count(*) OVER (PARTITION BY sensor) AS n FROM readings;

SELECT sensor, ts, dense_rank() OVER (ORDER BY sensor) AS sensor_no FROM readings;

SELECT sensor, ts, min(value) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS low FROM readings;

SELECT sensor, ts, lead(ts) OVER (PARTITION BY sensor ORDER BY ts) - ts AS gap FROM readings;

SELECT sensor, max(value) - min(value) AS spread, rank() OVER (ORDER BY max(value) - min(value) DESC) AS r FROM readings GROUP BY sensor;

-- error
SELECT name FROM emp WHERE row_number() OVER (ORDER BY id) = 1;

-- error
SELECT rank() FROM emp;

-- error
SELECT sum(salary) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING) FROM emp;

-- error
SELECT row_number() OVER w FROM emp;

-- error
SELECT dept, count(*) FROM emp GROUP BY dept HAVING row_number() OVER () > 1;

-- error
SELECT sum(salary) OVER (ORDER BY name RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM emp;

-- error
SELECT lag(salary, -1, 'x') OVER (ORDER BY id) FROM emp;

-- error
SELECT sum(salary) OVER (ORDER BY id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM emp;

-- error
SELECT sum(row_number() OVER (ORDER BY id)) FROM emp;
