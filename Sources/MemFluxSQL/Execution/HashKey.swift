// HashKey: a row of values as hash tables see them (GROUP BY, DISTINCT,
// hash joins, set operations): two rows whose values compare equal (1, 1.0
// and 1.00 are one group; NULLs are one group) have equal keys.

import MemFluxCore

struct HashKey: Hashable {
    let values: [SQLHashKey]

    init(_ values: [SQLValue]) {
        self.values = values.map(SQLHashKey.init)
    }

    init(single value: SQLValue) {
        self.values = [SQLHashKey(value)]
    }
}
