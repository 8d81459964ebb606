-- JSONB values: ->, ->>, #> and #>> on objects, arrays (negative indexes) and
-- scalars, JSON null against SQL NULL, JSONB_EXTRACT_PATH, JSON_BUILD_OBJECT,
-- JSONB_ARRAY_LENGTH, casts out of JSON text, and jsonb's own rendering
-- (keys sorted shortest first, duplicate keys keep the last, numbers as written).
CREATE TABLE docs (id INTEGER PRIMARY KEY, doc JSONB, label TEXT);
INSERT INTO docs VALUES
    (1, '{"name": "Ann", "age": 31, "tags": ["a", "b"], "address": {"city": "Oslo", "zip": "0150"}, "active": true}', 'first'),
    (2, '{"name": "Bob", "age": null, "tags": [], "address": {"city": "Bergen"}}', 'second'),
    (3, '{"name": "Cy", "tags": ["x"], "score": 9.50, "nested": {"a": {"b": [1, {"c": "deep"}]}}}', 'third'),
    (4, '[1, 2, 3, {"k": "v"}]', 'array'),
    (5, 'null', 'json null'),
    (6, NULL, 'sql null'),
    (7, '"just a string"', 'string'),
    (8, '{"name": "Dee", "age": 45.0, "tags": ["b", "c", "a"], "address": null}', 'fourth');

-- queries

SELECT id, doc FROM docs;

SELECT id, doc->'name' AS name FROM docs;

SELECT id, doc->>'name' AS name FROM docs;

SELECT id, doc->'age' AS age, doc->>'age' AS age_text FROM docs;

SELECT id, doc->'address' AS address FROM docs;

SELECT id, doc->'address'->>'city' AS city, doc->'address'->'zip' AS zip FROM docs;

SELECT id, doc #> '{address,city}' AS city_json, doc #>> '{address,city}' AS city FROM docs;

SELECT id, doc #>> '{nested,a,b,1,c}' AS deep, doc #> '{nested,a,b}' AS b FROM docs;

SELECT id, doc->'tags'->0 AS first, doc->'tags'->>1 AS second, doc->'tags'->-1 AS last FROM docs;

SELECT id, doc->0 AS e0, doc->>2 AS e2, doc->3->>'k' AS k, doc->-1 AS last, doc->10 AS missing FROM docs WHERE id = 4;

SELECT id, doc->'name' AS name, doc->0 AS e0 FROM docs WHERE id IN (5, 6, 7);

SELECT id, doc #>> '{}' AS whole FROM docs WHERE id IN (4, 7);

SELECT id, jsonb_extract_path(doc, 'address', 'city') AS city, jsonb_extract_path(doc, 'tags', '0') AS tag FROM docs;

SELECT id, jsonb_extract_path(doc, 'nope') AS missing, jsonb_extract_path(doc, 'address') AS address FROM docs WHERE id <= 3;

SELECT jsonb_extract_path('{"a": {"b": 2}}', 'a', 'b'), jsonb_extract_path('[10, 20]', '1'), jsonb_extract_path('{"a": 1}'::jsonb, 'b');

SELECT json_build_object('a', 1, 'b', 'two', 'c', NULL, 'd', true, 'e', 1.50);

SELECT json_build_object('id', id, 'name', doc->>'name', 'label', label) AS j FROM docs;

SELECT json_build_object('nested', json_build_object('x', 1), 'arr', ARRAY[1, 2], 'doc', '{"k": [1]}'::jsonb);

SELECT json_build_object(), json_build_object('a', 1, 'a', 2), json_build_object(1, 'x', 2.5, 'y', true, 'z');

SELECT json_build_object('d', DATE '2024-01-31', 'ts', TIMESTAMP '2024-01-31 12:00:00', 'n', 1e3, 'f', 1.5::float8, 's', 'q"uote');

SELECT jsonb_array_length(doc->'tags') AS n FROM docs WHERE id IN (1, 2, 3, 8);

SELECT jsonb_array_length('[]'), jsonb_array_length('[1, [2, 3]]'), jsonb_array_length(NULL::jsonb), jsonb_array_length(doc) FROM docs WHERE id = 4;

SELECT (doc->>'age')::int + 1 AS next_age FROM docs WHERE id = 1;

SELECT (doc->>'age')::numeric AS age FROM docs WHERE id IN (1, 2, 8);

SELECT id FROM docs WHERE doc->>'name' = 'Ann';

SELECT id FROM docs WHERE (doc->>'age')::numeric > 30;

SELECT id FROM docs WHERE doc->'age' IS NULL;

SELECT id FROM docs WHERE doc->>'age' IS NULL;

SELECT id, doc->'age' IS NULL AS missing, doc->>'age' IS NULL AS null_text, doc->'age' = 'null'::jsonb AS json_null FROM docs WHERE id <= 3;

SELECT id FROM docs WHERE doc->'address'->>'city' LIKE 'B%';

SELECT id FROM docs WHERE doc->'active' = 'true'::jsonb;

SELECT id FROM docs WHERE (doc->>'active')::boolean;

SELECT doc->'score' AS score, doc->>'score' AS score_text, (doc->>'score')::numeric * 2 AS doubled FROM docs WHERE id = 3;

SELECT doc->'name' = '"Ann"'::jsonb AS eq, doc->'tags' = '["a","b"]'::jsonb AS tags_eq FROM docs WHERE id = 1;

SELECT '{"b":1,"a":2}'::jsonb, '{"aa":1,"b":2}'::jsonb, '{"a":1,"a":2}'::jsonb, '{"b": {"d": 1, "c": 2}, "a": []}'::jsonb;

SELECT '[1, 1.0, 1e2, -0, 0.10, 1E-2]'::jsonb, '{"big": 12345678901234567890, "small": 0.000001}'::jsonb;

SELECT '"\u00e9\n\"q\""'::jsonb, '"\u00e9\n\"q\""'::jsonb->>0 IS NULL, '["\u00e9"]'::jsonb->>0;

SELECT '{"a": "x"}'::jsonb->>'a' || '!' AS bang, '{"n": 5}'::jsonb->'n' AS n, ('{"n": 5}'::jsonb->>'n')::int * 2 AS twice;

SELECT doc->>'name' AS name FROM docs WHERE jsonb_array_length(doc->'tags') > 1;

SELECT label, doc->>'name' AS name FROM docs ORDER BY doc->>'name' NULLS LAST, id;

SELECT count(*), count(doc), count(doc->'name'), count(doc->>'age') FROM docs;

SELECT doc->'address'->>'city' AS city, count(*) FROM docs GROUP BY 1;

SELECT string_agg(doc->>'name', ',' ORDER BY doc->>'name') FROM docs;

SELECT id, doc->'tags'->>0 AS first_tag FROM docs WHERE doc->'tags'->>0 IS NOT NULL;

SELECT json_build_object('names', array_agg(doc->>'name' ORDER BY id)) FROM docs WHERE id <= 3;

SELECT id, doc #>> '{tags,0}' AS t0, doc #>> '{tags,5}' AS t5, doc #>> '{address}' AS address_text FROM docs WHERE id <= 3;

SELECT '{"a": [1, 2]}'::jsonb #> '{a,1}', '{"a": [1, 2]}'::jsonb #>> '{a,-1}', '[[1, 2], [3]]'::jsonb #> '{1,0}';

-- error
SELECT jsonb_array_length(doc) FROM docs WHERE id = 1;

-- error
SELECT jsonb_array_length('5'::jsonb);

-- error
SELECT '{bad'::jsonb;

-- error
SELECT doc->>'name' + 1 FROM docs;

-- error
SELECT (doc->>'name')::int FROM docs WHERE id = 1;

-- error
SELECT json_build_object('a');

-- error
SELECT json_build_object(NULL, 1);

-- error
SELECT label->'x' FROM docs;

-- error
SELECT doc #>> 'address' FROM docs;
