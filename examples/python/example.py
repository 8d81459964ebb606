"""MemFlux embedded in Python: keys, a table, typed parameters, a transaction.

    python3 -m pip install ./libs/python
    MEMFLUX_LIB=.build/release/libmemflux.so python3 examples/python/example.py
"""
import threading

import memflux

conn = memflux.connect()  # in memory; connect(path="data") keeps the files in ./data
cur = conn.cursor()

# Any MemFlux command, quoted as redis-cli quotes; `?` words bind parameters.
cur.execute('SET greeting "hello world"')
cur.execute("GET greeting")
print(cur.fetchone())
cur.execute("HSET ? name ? visits ?", ("user:1", "Ada", 3))
cur.execute("HGETALL user:1")
print(cur.fetchone())

# SQL, with or without the SQL word; parameters are bound, never spliced.
cur.execute("CREATE TABLE products (id INT PRIMARY KEY, name TEXT, price REAL)")
cur.executemany("INSERT INTO products VALUES (?, ?, ?)", [(1, "Laptop", 1200.50), (2, "Mouse", 25.0), (3, "Desk", 300.0)])
print(cur.rowcount, "rows inserted")
cur.execute("SELECT name, price FROM products WHERE price > ? ORDER BY price", (100,))
print([d[0] for d in cur.description])
for row in cur:
    print(row, row[0], row["price"])

# Errors are PEP 249's classes.
try:
    cur.execute("INSERT INTO products VALUES (1, 'Again', 1)")
except memflux.IntegrityError as error:
    print(type(error).__name__, error.sqlstate, error.message)

# A cursor is a transaction context: nothing is visible to others before COMMIT.
other = conn.cursor()
cur.execute("BEGIN")
cur.execute("UPDATE products SET price = price * 0.9")
other.execute("SELECT price FROM products WHERE id = 1")
print("before commit:", other.fetchone()["price"])
cur.execute("COMMIT")
other.execute("SELECT price FROM products WHERE id = 1")
print("after commit:", other.fetchone()["price"])


# The connection is shared between threads; each thread uses its own cursor.
def count_visits():
    c = conn.cursor()
    for _ in range(1000):
        c.execute("HINCRBY user:1 visits 1")
    c.close()


threads = [threading.Thread(target=count_visits) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
cur.execute("HGET user:1 visits")
print("visits:", cur.fetchone())
conn.close()
