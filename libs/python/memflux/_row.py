"""Row: one result row, read by position or by column name.

    row[0], row["name"], row.get("name"), row.keys(), dict(row)
    name, price = row          # unpacks its values, like a tuple
    print(row)                 # {'name': 'Laptop', 'price': 1200.5}

A row holds its values in a tuple and shares its result's column names and
their positions with every other row of the result, so a row costs one small
object. With two columns of one name, the name reads the first.
"""


class Row:
    __slots__ = ("_names", "_index", "_values")

    def __init__(self, names, values, index=None):
        self._names = tuple(names)
        self._index = index if index is not None else column_index(self._names)
        self._values = tuple(values)

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def get(self, name, default=None):
        position = self._index.get(name)
        return default if position is None else self._values[position]

    def keys(self):
        return list(self._names)

    def values(self):
        return list(self._values)

    def items(self):
        return list(zip(self._names, self._values))

    def __contains__(self, name):
        return name in self._index

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __eq__(self, other):
        if isinstance(other, Row):
            return self._names == other._names and self._values == other._values
        if isinstance(other, dict):
            return len(self._index) == len(self._names) and dict(self.items()) == other
        if isinstance(other, tuple):
            return self._values == other
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return "{" + ", ".join(f"{name!r}: {value!r}" for name, value in zip(self._names, self._values)) + "}"


def column_index(names):
    """Each name's first position."""
    index = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)
    return index
