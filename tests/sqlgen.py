"""Random SELECTs over the corpus's data sets for the SQL differential test:
filters, joins of every kind, aggregates with DISTINCT and FILTER, subqueries
(IN, EXISTS, ANY/ALL, scalar, correlated, derived tables), set operations and
window functions with frames, over NULL-heavy tables.

Seeded ($MEMFLUX_SQL_SEED), so a run reproduces. The generator reads the
tables' columns and some of their values from PostgreSQL, and every candidate
runs on PostgreSQL: those it rejects (an overflow, a type it will not
coerce) are discarded, the rest keep their reference result.

Queries stay deterministic so another engine can agree: LIMIT only under an
ORDER BY of every output column, window ORDER BYs that number or offset rows
end with the primary key, STRING_AGG/ARRAY_AGG order their input by the
aggregated value.
"""
import os
import random
import re

from sqlref import PostgresSession, Statement, load_corpus_file, schema_for

# Corpus files whose data sets the generator queries.
DATASETS = ["joins.sql", "aggregates.sql", "window.sql"]
MINIMUM_QUERIES = 400
PER_DATASET = int(os.environ.get("MEMFLUX_SQL_GENERATED_PER_DATASET", "150"))
DEFAULT_SEED = 20240614

CATEGORIES = {
    "smallint": "int", "integer": "int", "bigint": "int", "numeric": "num", "real": "float",
    "double precision": "float", "text": "text", "character varying": "text", "boolean": "bool", "date": "date",
}
ORDERED = ("int", "num", "float", "text", "date")
NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")
NUMERIC = ("int", "num", "float")


def seed():
    return int(os.environ.get("MEMFLUX_SQL_SEED", str(DEFAULT_SEED)))


class Table:
    def __init__(self, name, columns, key, values):
        self.name = name
        self.columns = columns  # {column: category}, only the categories above
        self.key = key          # the single-column primary key, or None
        self.values = values    # {column: [SQL literals of values it holds]}


def literal(category, text):
    if category == "text":
        return "'" + text.replace("'", "''") + "'"
    if category == "date":
        return f"DATE '{text}'"
    if category == "bool":
        return text
    if not NUMBER.fullmatch(text):  # NaN, Infinity
        return f"'{text}'::float8"
    return text if not text.startswith("-") else f"({text})"


def load_tables(session):
    keys = session.primary_keys()
    tables = []
    for name, columns in session.columns().items():
        typed = {c: CATEGORIES[t] for c, t in columns if t in CATEGORIES}
        if not typed:
            continue
        values = {}
        for column, category in typed.items():
            session.cursor.execute(
                f'SELECT DISTINCT "{column}"::text FROM "{name}" WHERE "{column}" IS NOT NULL ORDER BY 1 LIMIT 12')
            values[column] = [literal(category, v) for (v,) in session.cursor.fetchall()]
        key = keys.get(name)
        tables.append(Table(name, typed, key[0] if key and len(key) == 1 and key[0] in typed else None, values))
    return tables


class Scope:
    """The tables a SELECT reads, by alias."""

    def __init__(self, pairs):
        self.pairs = pairs  # [(alias, Table)]

    def columns(self, categories=None):
        return [(a, c, cat) for a, t in self.pairs for c, cat in t.columns.items()
                if categories is None or cat in categories]


class QueryGenerator:
    def __init__(self, rng, tables):
        self.r = rng
        self.tables = tables
        self.aliases = 0

    # -------------------------------------------------------------- pieces

    def alias(self):
        self.aliases += 1
        return f"t{self.aliases}"

    def table(self, keyed=False):
        choices = [t for t in self.tables if t.key] if keyed else self.tables
        return self.r.choice(choices or self.tables)

    def column(self, scope, categories=None):
        found = scope.columns(categories)
        return self.r.choice(found) if found else None

    def value(self, scope, category):
        """A literal like the data: a value some column of this category holds, or a small constant."""
        pools = [t.values[c] for _, t in scope.pairs for c, cat in t.columns.items() if cat == category and t.values[c]]
        if pools and self.r.random() < 0.8:
            return self.r.choice(self.r.choice(pools))
        return {"int": lambda: str(self.r.randint(0, 10)), "num": lambda: f"{self.r.randint(0, 99)}.{self.r.randint(0, 99):02}",
                "float": lambda: self.r.choice(["0.5", "1.25", "2"]), "text": lambda: self.r.choice(["'a'", "'m'", "''", "'x%'"]),
                "bool": lambda: self.r.choice(["true", "false"]), "date": lambda: "DATE '2024-03-01'"}[category]()

    def expression(self, scope, category, depth=0):
        found = self.column(scope, (category,))
        column = f"{found[0]}.{found[1]}" if found else None
        if depth >= 2 or self.r.random() < 0.45:
            # Mostly columns: constants alone make trivial queries.
            return column if column and self.r.random() < 0.85 else self.value(scope, category)
        e = lambda: self.expression(scope, category, depth + 1)
        if category == "int":
            forms = [lambda: f"({e()} + {e()})", lambda: f"({e()} - {e()})", lambda: f"({e()} * {self.r.randint(-3, 4)})",
                     lambda: f"({e()} / {self.r.choice([2, 3, -4, 7])})", lambda: f"({e()} % {self.r.choice([2, 3, -5])})",
                     lambda: f"abs({e()})", lambda: f"coalesce({e()}, {self.value(scope, category)})",
                     lambda: f"length({self.expression(scope, 'text', depth + 1)})",
                     lambda: f"CASE WHEN {self.predicate(scope, depth + 1)} THEN {e()} ELSE {e()} END"]
        elif category == "num":
            forms = [lambda: f"({e()} + {e()})", lambda: f"({e()} * {self.r.randint(-2, 3)})", lambda: f"round({e()}, 1)",
                     lambda: f"abs({e()})", lambda: f"ceil({e()})", lambda: f"floor({e()})", lambda: f"({e()} / 4)",
                     lambda: f"coalesce({e()}, {self.value(scope, category)})"]
        elif category == "float":
            forms = [lambda: f"({e()} + {e()})", lambda: f"({e()} * 3)", lambda: f"abs({e()})", lambda: f"({e()} - 0.5)"]
        elif category == "text":
            forms = [lambda: f"lower({e()})", lambda: f"upper({e()})", lambda: f"({e()} || '-' || {e()})",
                     lambda: f"substring({e()}, {self.r.randint(1, 3)}, {self.r.randint(0, 4)})",
                     lambda: f"coalesce({e()}, 'none')", lambda: f"concat({e()}, '/', {e()})", lambda: f"trim({e()})",
                     lambda: f"replace({e()}, 'a', 'A')", lambda: f"left({e()}, {self.r.randint(-1, 3)})",
                     lambda: f"lpad({e()}, {self.r.randint(0, 6)}, '*')",
                     lambda: f"CASE WHEN {self.predicate(scope, depth + 1)} THEN {e()} END"]
        elif category == "date":
            forms = [lambda: f"({e()} + {self.r.randint(-3, 30)})", lambda: f"coalesce({e()}, DATE '2000-01-01')"]
        else:
            return self.predicate(scope, depth)
        return self.r.choice(forms)()

    def predicate(self, scope, depth=0):
        if depth < 2 and self.r.random() < 0.3:
            op = self.r.choice(["AND", "OR"])
            first = self.predicate(scope, depth + 1)
            second = self.predicate(scope, depth + 1)
            if self.r.random() < 0.2:
                return f"NOT ({first} {op} {second})"
            return f"({first} {op} {second})"
        category = self.r.choice([c for _, _, c in scope.columns()] or ["int"])
        a = self.expression(scope, category, depth + 1)
        b = lambda: self.value(scope, category)
        forms = [lambda: f"{a} IS NULL", lambda: f"{a} IS NOT NULL",
                 lambda: f"{a} IS DISTINCT FROM {b()}", lambda: f"{a} IS NOT DISTINCT FROM {b()}",
                 lambda: f"{a} IN ({b()}, {b()}{', NULL' if self.r.random() < 0.3 else ''})",
                 lambda: f"{a} NOT IN ({b()}, {b()})"]
        if category in ORDERED:
            op = self.r.choice(["=", "<>", "<", "<=", ">", ">="])
            forms += [lambda: f"{a} {op} {b()}", lambda: f"{a} {op} {self.expression(scope, category, depth + 1)}",
                      lambda: f"{a} BETWEEN {b()} AND {b()}", lambda: f"{a} NOT BETWEEN {b()} AND {b()}"] * 2
        if category == "text":
            pattern = self.r.choice(["'a%'", "'%e%'", "'_o%'", "'%'", "'b_n%'"])
            forms += [lambda: f"{a} LIKE {pattern}", lambda: f"{a} NOT LIKE {pattern}", lambda: f"{a} ILIKE {pattern.upper()}"]
        if category == "bool":
            forms += [lambda: a, lambda: f"NOT {a}", lambda: f"{a} IS TRUE", lambda: f"{a} IS NOT FALSE"]
        return self.r.choice(forms)()

    def select_list(self, scope, count=None):
        """`e AS c1, ...` and the categories, every item aliased so names never clash."""
        items, categories = [], []
        for i in range(count or self.r.randint(1, 3)):
            category = self.r.choice([c for _, _, c in scope.columns()])
            items.append(f"{self.expression(scope, category)} AS c{i + 1}")
            categories.append(category)
        return ", ".join(items), categories

    def where(self, scope, probability=0.7):
        return f" WHERE {self.predicate(scope)}" if self.r.random() < probability else ""

    def from_one(self, keyed=False):
        table, alias = self.table(keyed), self.alias()
        return Scope([(alias, table)]), f"{table.name} {alias}"

    def join_condition(self, left, right):
        """`a.x = b.y` over columns of one category, preferring a name they share or a foreign key's shape."""
        (la, lt), (ra, rt) = left.pairs[-1], right.pairs[0]
        pairs = [(lc, rc) for lc, lcat in lt.columns.items() for rc, rcat in rt.columns.items() if lcat == rcat]
        good = [(lc, rc) for lc, rc in pairs if lc == rc or lc == f"{rt.name.rstrip('s')}_id" or rc == f"{lt.name.rstrip('s')}_id"
                or lc.endswith("_id") and rc == rt.key or rc.endswith("_id") and lc == lt.key]
        if not pairs:
            return "true", None
        lc, rc = self.r.choice(good if good and self.r.random() < 0.8 else pairs)
        shared = lc == rc and lt.name != rt.name
        return f"{la}.{lc} = {ra}.{rc}", lc if shared else None

    def from_join(self):
        left, left_sql = self.from_one()
        right, right_sql = self.from_one()
        kind = self.r.choice(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", ","])
        scope = Scope(left.pairs + right.pairs)
        if kind in ("CROSS JOIN", ","):
            return scope, f"{left_sql}{' ' if kind != ',' else ''}{kind} {right_sql}"
        condition, shared = self.join_condition(left, right)
        if shared and self.r.random() < 0.3:
            return scope, f"{left_sql} {kind} {right_sql} USING ({shared})"
        if self.r.random() < 0.25:
            condition += f" AND {self.predicate(scope, 1)}"
        return scope, f"{left_sql} {kind} {right_sql} ON {condition}"

    # -------------------------------------------------------------- query shapes

    def simple(self):
        scope, source = self.from_one() if self.r.random() < 0.6 else self.from_join()
        items, categories = self.select_list(scope)
        distinct = "DISTINCT " if self.r.random() < 0.15 else ""
        return f"SELECT {distinct}{items} FROM {source}{self.where(scope)}", len(categories)

    def aggregate_call(self, scope):
        category = self.r.choice([c for _, _, c in scope.columns()])
        e = self.expression(scope, category, 1)
        distinct = "DISTINCT " if self.r.random() < 0.2 else ""
        forms = [lambda: "count(*)", lambda: f"count({distinct}{e})"]
        if category in NUMERIC:
            forms += [lambda: f"sum({distinct}{e})", lambda: f"avg({distinct}{e})"] * 2
        if category in ORDERED:
            forms += [lambda: f"min({e})", lambda: f"max({e})"]
        if category == "text":
            forms += [lambda: f"string_agg({distinct}{e}, ',' ORDER BY {e})"]
        if category in ("int", "text", "date"):
            forms += [lambda: f"array_agg({distinct}{e} ORDER BY {e})"]
        forms += [lambda: f"bool_and({self.predicate(scope, 1)})", lambda: f"bool_or({self.predicate(scope, 1)})"]
        call = self.r.choice(forms)()
        if self.r.random() < 0.25:
            call += f" FILTER (WHERE {self.predicate(scope, 1)})"
        return call

    def aggregate(self):
        scope, source = self.from_one() if self.r.random() < 0.6 else self.from_join()
        groups = [f"{a}.{c}" for a, c, _ in self.r.sample(scope.columns(), min(len(scope.columns()), self.r.randint(0, 2)))]
        items = [f"{g} AS g{i + 1}" for i, g in enumerate(groups)]
        items += [f"{self.aggregate_call(scope)} AS a{i + 1}" for i in range(self.r.randint(1, 3))]
        sql = f"SELECT {', '.join(items)} FROM {source}{self.where(scope, 0.5)}"
        if groups:
            sql += " GROUP BY " + ", ".join(groups)
        if self.r.random() < 0.3:
            sql += f" HAVING {self.aggregate_call(scope)} IS NOT NULL AND count(*) > {self.r.randint(0, 2)}"
        return sql, len(items)

    def subquery_filter(self):
        outer, outer_sql = self.from_one()
        inner, inner_sql = self.from_one()
        items, categories = self.select_list(outer)
        a, c, category = self.column(outer)
        found = self.column(inner, (category,))
        if not found:
            return (f"SELECT {items} FROM {outer_sql} WHERE EXISTS (SELECT 1 FROM {inner_sql}{self.where(inner)})",
                    len(categories))
        ia, ic, _ = found
        both = Scope(outer.pairs + inner.pairs)
        correlated = f" WHERE {ia}.{ic} = {a}.{c}" if self.r.random() < 0.5 else self.where(inner)
        forms = [
            lambda: f"{a}.{c} IN (SELECT {ia}.{ic} FROM {inner_sql}{self.where(inner)})",
            lambda: f"{a}.{c} NOT IN (SELECT {ia}.{ic} FROM {inner_sql}{self.where(inner)})",
            lambda: f"EXISTS (SELECT 1 FROM {inner_sql}{correlated})",
            lambda: f"NOT EXISTS (SELECT 1 FROM {inner_sql} WHERE {ia}.{ic} = {a}.{c})",
            lambda: f"EXISTS (SELECT 1 FROM {inner_sql} WHERE {self.predicate(both)})",
        ]
        if category in ORDERED:
            op = self.r.choice(["=", "<>", "<", ">=", ">"])
            quantifier = self.r.choice(["ANY", "ALL", "SOME"])
            forms += [lambda: f"{a}.{c} {op} {quantifier} (SELECT {ia}.{ic} FROM {inner_sql}{self.where(inner)})",
                      lambda: f"{a}.{c} {op} (SELECT {self.r.choice(['max', 'min'])}({ia}.{ic}) FROM {inner_sql}{correlated})"]
        return f"SELECT {items} FROM {outer_sql} WHERE {self.r.choice(forms)()}", len(categories)

    def scalar_subquery(self):
        outer, outer_sql = self.from_one()
        inner, inner_sql = self.from_one()
        items, _ = self.select_list(outer, 1)
        a, c, category = self.column(outer)
        found = self.column(inner, (category,))
        condition = f" WHERE {found[0]}.{found[1]} = {a}.{c}" if found else ""
        aggregate = self.aggregate_call(inner)
        return (f"SELECT {items}, (SELECT {aggregate} FROM {inner_sql}{condition}) AS s FROM {outer_sql}"
                f"{self.where(outer, 0.3)}", 2)

    def derived_table(self):
        scope, source = self.from_one()
        inner_items, categories = self.select_list(scope, self.r.randint(1, 3))
        alias = self.alias()
        derived = Table("derived", {f"c{i + 1}": cat for i, cat in enumerate(categories)}, None,
                        {f"c{i + 1}": [] for i in range(len(categories))})
        outer = Scope([(alias, derived)])
        inner = f"(SELECT {inner_items} FROM {source}{self.where(scope)})"
        if self.r.random() < 0.5:
            return f"SELECT {alias}.c1 AS k, count(*) AS n FROM {inner} {alias} GROUP BY {alias}.c1", 2
        items, outer_categories = self.select_list(outer)
        return f"SELECT {items} FROM {inner} {alias}{self.where(outer, 0.5)}", len(outer_categories)

    def set_operation(self):
        first = self.table()
        categories = [self.r.choice(list(first.columns.values())) for _ in range(self.r.randint(1, 2))]
        # The second branch reads a table with a column of each category (the first table does).
        second = self.r.choice([t for t in self.tables if all(c in t.columns.values() for c in categories)])

        def branch(table):
            alias = self.alias()
            scope = Scope([(alias, table)])
            items = ", ".join(f"{self.expression(scope, c)} AS c{i + 1}" for i, c in enumerate(categories))
            return f"SELECT {items} FROM {table.name} {alias}{self.where(scope)}"

        op = self.r.choice(["UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"])
        return f"{branch(first)} {op} {branch(second)}", len(categories)

    def window(self):
        scope, source = self.from_one(keyed=True)
        alias, table = scope.pairs[0]
        key = f"{alias}.{table.key}" if table.key else None
        partition = ""
        grouping = [c for c in table.columns if c != table.key]
        if grouping and self.r.random() < 0.6:
            partition = f"PARTITION BY {alias}.{self.r.choice(grouping)} "
        order_alias, order_column, _ = self.column(scope, ORDERED)
        direction = self.r.choice(["", " DESC", " NULLS FIRST", " DESC NULLS LAST"])
        order = f"{order_alias}.{order_column}{direction}"
        total = f"ORDER BY {order}, {key}" if key else f"ORDER BY {order}"
        category = self.r.choice([c for _, _, c in scope.columns(ORDERED)])
        e = self.expression(scope, category, 1)
        frame = self.r.choice([
            "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING", "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
            "ROWS 2 PRECEDING", "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
            "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING", "ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING"])
        aggregate = self.r.choice(["sum", "avg", "count", "min", "max"] if category in NUMERIC else ["count", "min", "max"])
        calls = [
            f"row_number() OVER ({partition}{total})",
            f"rank() OVER ({partition}ORDER BY {order})",
            f"dense_rank() OVER ({partition}ORDER BY {order})",
            f"lag({e}) OVER ({partition}{total})",
            f"lead({e}, {self.r.randint(1, 2)}, {self.value(scope, category)}) OVER ({partition}{total})",
            f"first_value({e}) OVER ({partition}{total})",
            f"last_value({e}) OVER ({partition}{total} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)",
            f"{aggregate}({e}) OVER ({partition.strip()})",
            f"{aggregate}({e}) OVER ({partition}ORDER BY {order})",
            f"{aggregate}({e}) OVER ({partition}{total} {frame})",
        ]
        items = [f"{key} AS k" if key else f"{e} AS k"]
        items += [f"{self.r.choice(calls)} AS w{i + 1}" for i in range(self.r.randint(1, 2))]
        return f"SELECT {', '.join(items)} FROM {source}{self.where(scope, 0.4)}", len(items)

    def query(self):
        shape = self.r.choices(
            [self.simple, self.aggregate, self.subquery_filter, self.scalar_subquery, self.derived_table,
             self.set_operation, self.window],
            weights=[4, 4, 3, 2, 2, 3, 3])[0]
        sql, width = shape()
        if self.r.random() < 0.3:
            # Every output column, so only identical rows tie and LIMIT picks the same rows anywhere.
            keys = ", ".join(f"{i + 1}{self.r.choice(['', ' DESC', ' NULLS FIRST', ' DESC NULLS LAST'])}"
                             for i in range(width))
            sql += f" ORDER BY {keys}"
            if self.r.random() < 0.6:
                sql += f" LIMIT {self.r.randint(0, 6)}"
                if self.r.random() < 0.4:
                    sql += f" OFFSET {self.r.randint(0, 4)}"
        return sql


def generate(session, corpus_file, count, rng):
    """(Statement, PostgreSQL's Result) for `count` queries PostgreSQL accepts, and how many it rejected.
    The session must hold the data set of `corpus_file` already."""
    generator = QueryGenerator(rng, load_tables(session))
    kept, seen, rejected = [], set(), 0
    attempts = 0
    while len(kept) < count and attempts < count * 20:
        attempts += 1
        sql = generator.query()
        if sql in seen:
            continue
        seen.add(sql)
        statement = Statement(sql, f"generated from {corpus_file.name}", len(kept) + 1)
        result = session.run(statement)
        if result.kind == "error":
            rejected += 1
            continue
        kept.append((statement, result))
    return kept, rejected


def random_for(dataset):
    return random.Random(f"{seed()}:{dataset}")


def check(cluster):
    """(queries generated, candidates rejected) over every data set, on PostgreSQL alone."""
    total, rejected = 0, 0
    for name in DATASETS:
        corpus_file = load_corpus_file(name)
        session = PostgresSession(cluster, schema_for("gen_" + name))
        try:
            for statement in corpus_file.setup:
                result = session.run(statement)
                if result.kind == "error":
                    raise RuntimeError(f"{statement.where}: the data set fails on PostgreSQL: {result.value}")
            kept, dropped = generate(session, corpus_file, PER_DATASET, random_for(name))
        finally:
            session.close()
        total += len(kept)
        rejected += dropped
    return total, rejected
