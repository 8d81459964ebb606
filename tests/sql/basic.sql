-- Basic SELECT: projections, * and t.* expansion, aliases (and PostgreSQL's
-- names for unaliased columns), WHERE with AND/OR/NOT, expressions, quoted
-- identifiers, FROM-less SELECT, and the errors of unknown names and types.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT,
    price NUMERIC(10,2),
    stock INTEGER,
    weight DOUBLE PRECISION,
    active BOOLEAN
);
INSERT INTO products VALUES
    (1, 'apple', 'fruit', 0.50, 100, 0.2, true),
    (2, 'banana', 'fruit', 0.25, 150, 0.15, true),
    (3, 'carrot', 'vegetable', 0.10, 0, 0.05, true),
    (4, 'doughnut', 'bakery', 1.20, 12, 0.08, false),
    (5, 'eggplant', 'vegetable', 1.75, 7, 0.4, true),
    (6, 'fig', 'fruit', 2.00, NULL, 0.03, NULL),
    (7, 'granola', NULL, 4.99, 30, 0.5, true),
    (8, 'honey', 'pantry', 7.25, 3, 0.34, false);

-- queries

SELECT * FROM products;

SELECT id, name FROM products;

SELECT name, id FROM products;

SELECT name, price FROM products WHERE price > 1;

SELECT name AS product_name, price * stock AS stock_value FROM products WHERE stock > 0;

SELECT name product_name FROM products WHERE id = 1;

SELECT 1;

SELECT 1 AS one, 'two' AS two, 3.0 AS three;

SELECT 1 + 2, 'a' || 'b';

SELECT TRUE, FALSE, NULL;

SELECT 'it''s', '', ' ';

SELECT E'tab\there', E'quote\'s', E'back\\slash';

SELECT 'line
break';

SELECT 'héllo wörld' AS unicode, '日本' AS cjk;

SELECT p.name FROM products p WHERE p.id = 3;

SELECT p.name FROM products AS p WHERE p.id = 3;

SELECT products.name FROM products WHERE products.category = 'fruit';

SELECT name FROM products WHERE active;

SELECT name FROM products WHERE NOT active;

SELECT name FROM products WHERE active = false;

SELECT name FROM products WHERE active IS NOT TRUE;

SELECT name FROM products WHERE category = 'fruit' AND price < 1;

SELECT name FROM products WHERE category = 'fruit' OR category = 'pantry';

SELECT name FROM products WHERE (category = 'fruit' OR category = 'bakery') AND stock > 10;

SELECT name FROM products WHERE category = 'fruit' OR category = 'bakery' AND stock > 10;

SELECT name FROM products WHERE NOT category = 'fruit';

SELECT name, stock FROM products WHERE stock >= 12 AND stock <= 100;

SELECT name FROM products WHERE name <> 'apple' AND id < 4;

SELECT name FROM products WHERE name != 'apple' AND id < 4;

SELECT name FROM products WHERE name > 'd';

SELECT id * 10 + 1 AS n FROM products;

SELECT -price AS negative, +price AS positive FROM products WHERE id <= 2;

SELECT price, price * 2, price / 2, price + 0.005, price - 1 FROM products WHERE id = 1;

SELECT weight * 2 AS w2, weight + 1 AS w1 FROM products WHERE id IN (1, 2, 3);

SELECT stock / 7 AS sevenths, stock % 7 AS rest FROM products WHERE stock IS NOT NULL;

SELECT *, name FROM products WHERE id = 1;

SELECT name, * FROM products WHERE id = 2;

SELECT p.* FROM products p WHERE id = 2;

SELECT p.*, p.id * 2 AS twice FROM products p WHERE id = 2;

SELECT name, name FROM products WHERE id = 1;

SELECT "name" FROM products WHERE "id" = 1;

SELECT name AS "Product Name", price AS "PRICE" FROM products WHERE id = 1;

SELECT NAME, Price FROM PRODUCTS WHERE ID = 1;

SELECT id FROM products WHERE id = 99;

SELECT upper(name), length(name) FROM products WHERE id = 4;

SELECT name FROM products WHERE price = 0.5;

SELECT name FROM products WHERE price = 0.50;

SELECT name FROM products WHERE price = 1;

SELECT name FROM products WHERE weight = 0.2;

SELECT name FROM products WHERE weight > 0.3;

SELECT name FROM products WHERE stock = 0;

SELECT name FROM products WHERE price > stock;

SELECT name, category IS NULL AS uncategorized FROM products;

SELECT name, stock > 10 AS plenty FROM products;

SELECT id FROM products WHERE stock > 0 AND price > 1 AND active;

SELECT 10 AS x WHERE 1 = 1;

SELECT 10 AS x WHERE 1 = 2;

SELECT count(*) FROM products;

SELECT name FROM products WHERE id = '3';

SELECT name FROM products WHERE price = '7.25';

SELECT 'literal' AS kind, id FROM products WHERE id < 3;

SELECT (price * 100)::integer AS cents FROM products;

SELECT (((1 + 2) * 3)) AS n;

-- error
SELECT nope FROM products;

-- error
SELECT name FROM nonexistent;

-- error
SELECT products.nope FROM products;

-- error
SELECT q.name FROM products p;

-- error
SELECT products.name FROM products p;

-- error
SELECT name FROM products WHERE stock;

-- error
SELECT name FROM products WHERE name;

-- error
SELECT FROM WHERE;

-- error
SELECT name FROM products WHERE;

-- error
SELECT name FROM products WHERE id = 1 AND;

-- error
SELECT 'abc' + 1;

-- error
SELECT name + 1 FROM products;

-- error
SELECT id FROM products, products;

-- error
SELECT "Name" FROM products;

-- error
SELECT name FROM products WHERE id = 'x';

-- error
SELECT 1 +;

-- error
SELEC 1;

-- error
SELECT name FROM products WHERE active AND 1;
