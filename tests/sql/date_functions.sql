-- Dates and times: EXTRACT (numeric) and DATE_PART (double) of year, month,
-- day, hour, minute, second, dow, doy, epoch; DATE_TRUNC; date arithmetic with
-- integers; comparisons and ordering; NOW() and CURRENT_DATE only through
-- deterministic results (the session's time zone is UTC).
CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT, at TIMESTAMP, day DATE, tz TIMESTAMPTZ, t TIME);
INSERT INTO events VALUES
    (1, 'launch', '2024-01-31 12:34:56', '2024-01-31', '2024-01-31 12:34:56+00', '12:34:56'),
    (2, 'leap', '2024-02-29 23:59:59.999999', '2024-02-29', '2024-02-29 23:59:59+02', '23:59:59.999999'),
    (3, 'newyear', '2025-01-01 00:00:00', '2025-01-01', '2024-12-31 22:00:00-02', '00:00:00'),
    (4, 'epoch', '1970-01-01 00:00:00', '1970-01-01', '1970-01-01 00:00:00+00', '00:00:01'),
    (5, 'old', '1969-07-20 20:17:40.5', '1969-07-20', '1969-07-20 20:17:40+00', '20:17:40.5'),
    (6, 'unknown', NULL, NULL, NULL, NULL),
    (7, 'sunday', '2024-03-03 08:00:00', '2024-03-03', '2024-03-03 08:00:00+01', '08:00:00');

-- queries

SELECT id, extract(year FROM at) AS y, extract(month FROM at) AS m, extract(day FROM at) AS d FROM events;

SELECT id, extract(hour FROM at) AS h, extract(minute FROM at) AS mi, extract(second FROM at) AS s FROM events;

SELECT id, extract(dow FROM at) AS dow, extract(doy FROM at) AS doy FROM events;

SELECT id, extract(epoch FROM at) AS epoch FROM events;

SELECT id, extract(year FROM day) AS y, extract(dow FROM day) AS dow, extract(doy FROM day) AS doy, extract(epoch FROM day) AS epoch FROM events;

SELECT id, extract(hour FROM t) AS h, extract(minute FROM t) AS m, extract(second FROM t) AS s, extract(epoch FROM t) AS e FROM events;

SELECT id, extract(epoch FROM tz) AS epoch, extract(hour FROM tz) AS h, extract(day FROM tz) AS d FROM events;

SELECT id, date_part('year', at) AS y, date_part('month', at) AS m, date_part('day', at) AS d, date_part('hour', at) AS h FROM events;

SELECT id, date_part('minute', at) AS mi, date_part('second', at) AS s, date_part('dow', at) AS dow, date_part('doy', at) AS doy FROM events;

SELECT id, date_part('epoch', at) AS epoch, date_part('epoch', tz) AS epoch_tz, date_part('epoch', day) AS epoch_day FROM events;

SELECT date_part('second', TIME '10:11:12.25'), date_part('hour', TIME '10:11:12'), date_part('YEAR', DATE '2024-05-06');

SELECT EXTRACT(YEAR FROM TIMESTAMP '2024-01-31 12:34:56'), EXTRACT(EPOCH FROM TIMESTAMP '2024-01-31 12:34:56.789');

SELECT extract(second FROM TIMESTAMP '2024-01-01 00:00:07'), extract(second FROM TIMESTAMP '2024-01-01 00:00:07.000001');

SELECT id, date_trunc('year', at) AS y, date_trunc('month', at) AS m, date_trunc('day', at) AS d FROM events;

SELECT id, date_trunc('hour', at) AS h, date_trunc('minute', at) AS mi, date_trunc('second', at) AS s FROM events;

SELECT id, date_trunc('day', tz) AS d, date_trunc('month', tz) AS m FROM events;

SELECT date_trunc('month', DATE '2024-01-31'), date_trunc('year', DATE '2024-06-15')::date;

SELECT date_trunc('MONTH', TIMESTAMP '2024-02-29 13:14:15'), date_trunc('Day', TIMESTAMP '2024-02-29 13:14:15');

SELECT DATE '2024-01-31' + 1, DATE '2024-02-28' + 1, DATE '2023-02-28' + 1, DATE '2024-03-01' - 1, 30 + DATE '2024-01-01';

SELECT DATE '2024-03-01' - DATE '2024-02-01', DATE '2024-01-01' - DATE '2025-01-01', DATE '2024-01-01' - DATE '2024-01-01';

SELECT id, day + 7 AS next_week, day - 365 AS last_year FROM events;

SELECT id, day - DATE '2024-01-01' AS days_since FROM events;

SELECT a.name, b.name AS later, b.day - a.day AS gap FROM events a JOIN events b ON b.day > a.day AND b.day - a.day < 40;

SELECT id FROM events WHERE at > TIMESTAMP '2024-01-01';

SELECT id FROM events WHERE at >= '2024-02-29' AND at < '2024-03-01';

SELECT id FROM events WHERE day = '2024-02-29';

SELECT id FROM events WHERE day BETWEEN '2024-01-01' AND '2024-12-31';

SELECT id FROM events WHERE at::date = day;

SELECT id FROM events WHERE tz < '2025-01-01 00:00:00+00';

SELECT id FROM events WHERE t > '12:00';

SELECT id FROM events WHERE extract(year FROM day) = 2024 AND extract(month FROM day) IN (2, 3);

SELECT id, name FROM events ORDER BY at NULLS FIRST;

SELECT id, name FROM events ORDER BY day DESC;

SELECT id, name FROM events ORDER BY t, id;

SELECT id, name FROM events ORDER BY tz DESC NULLS LAST;

SELECT min(at), max(at), min(day), max(day), min(t), max(t), min(tz), max(tz) FROM events;

SELECT extract(year FROM day) AS y, count(*) FROM events GROUP BY 1;

SELECT date_trunc('month', day)::date AS month, count(*) FROM events GROUP BY date_trunc('month', day);

SELECT now() IS NOT NULL, now() = now(), CURRENT_DATE = CURRENT_DATE, CURRENT_DATE > DATE '2020-01-01', now() > TIMESTAMPTZ '2020-01-01 00:00+00';

SELECT CURRENT_DATE - CURRENT_DATE AS zero, now()::date = CURRENT_DATE AS today, extract(year FROM now()) >= 2024 AS recent;

SELECT count(*) FROM events WHERE day < CURRENT_DATE;

SELECT id, at::date AS d, at::time AS t, day::timestamp AS ts, tz::timestamp AS local FROM events;

SELECT id, at::text AS s, day::text AS ds, t::text AS ts FROM events;

SELECT TIMESTAMP '2024-01-31 12:34:56' = '2024-01-31 12:34:56'::timestamp, TIMESTAMPTZ '2024-01-31 14:34:56+02' = TIMESTAMPTZ '2024-01-31 12:34:56+00';

SELECT DATE '2024-02-29' < TIMESTAMP '2024-02-29 00:00:01', TIMESTAMP '2024-02-29 00:00' = DATE '2024-02-29';

-- error
SELECT date_part('fortnight', at) FROM events;

-- error
SELECT extract(fortnight FROM at) FROM events;

-- error
SELECT date_trunc('decade2', at) FROM events;

-- error
SELECT extract(year FROM 'abc');

-- error
SELECT DATE '2024-01-01' + DATE '2024-01-02';

-- error
SELECT DATE '2024-01-01' + 1.5;

-- error
SELECT extract(hour FROM DATE '2024-01-01');

-- error
SELECT extract(year FROM TIME '10:00');

-- error
SELECT DATE '2024-13-01';

-- error
SELECT TIMESTAMP '2024-01-01 10:61:00';

-- error
SELECT at + 1 FROM events;
