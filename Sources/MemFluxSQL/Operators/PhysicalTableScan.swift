// Table access: a full scan of a table's key prefix, or a point lookup of
// one row by its key (primary key equality).
//
// A table with a definition produces its columns in declared order; rows
// stored as typed rows are passed on without copying their values, and JSON
// documents written into the table with JSON.SET are cast column by column.
// A schemaless table produces `id` (the key suffix), then the fields the
// query names, then the whole document (for `*`).

import MemFluxCore
import MemFluxStorage

/// One table in a FROM clause, as the binder resolved it.
final class TableSource: @unchecked Sendable {
    // @unchecked: immutable after binding.
    let name: String
    let prefix: Bytes
    let definition: TableDefinition?
    /// Schemaless: the document fields produced after `id`, in this order.
    let fields: [String]

    init(name: String, definition: TableDefinition?, fields: [String]) {
        self.name = name
        self.prefix = Bytes(name + ":")
        self.definition = definition
        self.fields = fields
    }

    /// Values per row, without the key column a DML scan appends.
    var width: Int { definition?.columns.count ?? fields.count + 2 }

    /// The row `key` holds, with the key appended when `includeKey`; nil when the value is no row (a list, say).
    func row(key: Bytes, value: borrowing Value, includeKey: Bool) throws(MemFluxError) -> Row? {
        var row: Row
        switch value {
        case .row(let stored):
            // Identity first: rows written through this definition share its layout object.
            if let definition, stored.layout === definition.layout || stored.layout == definition.layout {
                row = stored.values
            } else {
                row = try conform(names: stored.layout.columns) { i in stored[i] }
            }
        case .json(let document):
            if definition != nil {
                guard case .object(let object) = document else { return nil }
                row = try conform(names: Array(object.keys)) { i in .json(object.values[i]) }
            } else {
                row = schemalessRow(key: key, document: document)
            }
        default:
            return nil
        }
        if includeKey { row.append(.bytes(Array(key.array))) }
        return row
    }

    /// Writes the row `key` holds into `row` (of `width` values), reusing
    /// its storage; false when the value is no row.
    func decode(key: Bytes, value: borrowing Value, into row: inout Row) throws(MemFluxError) -> Bool {
        switch value {
        case .row(let stored) where stored.layout === definition?.layout:
            stored.decode(into: &row)
            return true
        default: break
        }
        guard let decoded = try self.row(key: key, value: value, includeKey: false) else { return false }
        row = decoded
        return true
    }

    /// The typed row `value` holds when it has this table's layout and the
    /// scan needs no key: then its columns can be decoded into a reused row
    /// (`BorrowedRow.decode`) in place of `row(key:value:includeKey:)`.
    @inline(__always)
    func storedRow(_ value: ScannedValue, includeKey: Bool) -> BorrowedRow? {
        guard !includeKey, let layout = definition?.layout, let stored = value.row, stored.has(layout) else { return nil }
        return stored
    }

    /// What a scan that reads `columns` (every column when nil) touches of each typed row, to prefetch; nil for a schemaless table.
    func reach(_ columns: [Int]?) -> RowReach? {
        guard let definition else { return nil }
        return RowReach(columns: columns ?? Array(definition.columns.indices), of: definition.layout)
    }

    /// A row of this table's declared columns from named values of another shape (a JSON document, an older layout).
    private func conform(names: [String], _ value: (Int) -> SQLValue) throws(MemFluxError) -> Row {
        guard let definition else { return [] }
        var row = Row(repeating: .null, count: definition.columns.count)
        for (i, name) in names.enumerated() {
            guard let p = definition.position(of: name) else { continue }
            let v = value(i)
            row[p] = try ColumnValue.conform(v, to: definition.columns[p].type)
        }
        return row
    }

    private func schemalessRow(key: Bytes, document: JSONValue) -> Row {
        var row = Row()
        row.reserveCapacity(fields.count + 2)
        row.append(.text(key[prefix.count..<key.count].string))
        if case .object(let object) = document {
            for field in fields {
                row.append(object[field].map(ColumnValue.scalar) ?? .null)
            }
        } else {
            row.append(contentsOf: repeatElement(.null, count: fields.count))
        }
        row.append(.json(document))
        return row
    }
}

final class PhysicalTableScan: PhysicalOperator, @unchecked Sendable {
    let source: TableSource
    /// A condition applied while scanning (pushed down from WHERE or ON).
    let filter: BoundExpression?
    /// Appends each row's key (DML needs it to write the row back).
    let includeKey: Bool
    /// Set once, when the statement is prepared, for a scan whose consumers
    /// (the rest of the plan above it) never read the keyspace: then they run
    /// on each row in place, with its shard locked, and no row is copied out.
    var consumersRunInPlace = false
    /// With `consumersRunInPlace`: the columns they read (nil: all of
    /// them), the only ones a typed row is decoded for when the filter's
    /// stored-row test passes it (see StoredRowTest)...
    var consumedColumns: [Int]?
    /// ...and those and the filter's, the ones decoded for the filter to evaluate.
    var decodedColumns: [Int]?
    /// With `consumersRunInPlace`: the top-N above, whose worst kept row a typed row is checked against first.
    var cutoff: TopNCutoff?

    init(_ source: TableSource, filter: BoundExpression?, includeKey: Bool = false) {
        self.source = source
        self.filter = filter
        self.includeKey = includeKey
        super.init(width: source.width + (includeKey ? 1 : 0))
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let source = self.source
        let includeKey = self.includeKey
        if consumersRunInPlace { return try run(context, inPlace: sink) { true } }
        // Typed rows are decoded into this one row, never a new array: nothing is allocated for a row the filter drops.
        var scratch = Row(repeating: .null, count: width)
        let test = filter.flatMap(StoredRowTest.init)
        // A filter that reads only the row runs with the shard locked, on the
        // stored values in place: rows it rejects are never copied out. One
        // with a subquery reads the keyspace, so it runs on the rows copied out.
        let always = { (_: borrowing Row) throws(MemFluxError) -> Bool in true }
        let readsKeyspace = filter.map(Rules.containsSubquery) ?? false
        let passesLocked = readsKeyspace ? always : filter?.condition(context) ?? always
        let passesLater = readsKeyspace ? filter?.condition(context) ?? always : always
        var rows: [Row] = []
        rows.reserveCapacity(Keyspace.scanBatch)
        let reach = source.reach(nil)
        try context.keyspace.scan(
            prefix: source.prefix, prefetching: reach, batch: &rows,
            take: { (pairs: ScannedBatch, rows: inout [Row]) throws(MemFluxError) in
                try pairs.forEach { (key, value) throws(MemFluxError) in
                    guard let stored = source.storedRow(value, includeKey: includeKey) else {
                        guard let row = try source.row(key: key.bytes, value: value.value, includeKey: includeKey) else { return }
                        if try passesLocked(row) { rows.append(row) }
                        return
                    }
                    let verdict = test?.verdict(stored) ?? .undecided
                    if case .fails = verdict { return }
                    stored.decode(into: &scratch, columns: nil)
                    if case .passes = verdict { rows.append(scratch) } else if try passesLocked(scratch) { rows.append(scratch) }
                }
            },
            drain: { (rows: inout [Row]) throws(MemFluxError) -> Bool in
                defer { rows.removeAll(keepingCapacity: true) }
                for row in rows {
                    if try passesLater(row), try !sink(row) { return false }
                }
                return true
            })
    }

    /// The scan with `consumersRunInPlace`: `sink` runs with a shard
    /// locked, on one reused row decoded from the stored one (its consumed
    /// columns), and must not call into the keyspace; `drain` runs after
    /// each lock hold, with none held (a lookup join reads its batch's
    /// partners there), and answers false to stop the scan.
    func run(_ context: ExecutionContext, inPlace sink: RowSink, drain: () throws(MemFluxError) -> Bool) throws(MemFluxError) {
        let source = self.source
        let includeKey = self.includeKey
        let test = filter.flatMap(StoredRowTest.init)
        let passes = filter?.condition(context) ?? { (_: borrowing Row) in true }
        let consumed = consumedColumns
        let decodesConsumed = consumed?.isEmpty != true
        let decoded = decodedColumns
        let unfiltered = filter == nil
        let cutoff = self.cutoff
        let reach = source.reach(decoded.map { $0 + (cutoff.map { [$0.column] } ?? []) })
        // The reused row travels in the batch: an inout parameter reaches the sink without a retain per row.
        var state = InPlaceState(scratch: Row(repeating: .null, count: width))
        try context.keyspace.scan(
            prefix: source.prefix, prefetching: reach, batch: &state,
            take: { (pairs: ScannedBatch, state: inout InPlaceState) throws(MemFluxError) in
                try pairs.forEach { (key, value) throws(MemFluxError) in
                    if state.stopped { return }
                    guard let stored = source.storedRow(value, includeKey: includeKey) else {
                        guard let row = try source.row(key: key.bytes, value: value.value, includeKey: includeKey) else { return }
                        if try passes(row), try !sink(row) { state.stopped = true }
                        return
                    }
                    if let cutoff, cutoff.excludes(stored) { return }
                    switch unfiltered ? .passes : test?.verdict(stored) ?? .undecided {
                    case .fails:
                        return
                    case .passes:
                        if decodesConsumed { stored.decode(into: &state.scratch, columns: consumed) }
                        if try !sink(state.scratch) { state.stopped = true }
                    case .undecided:
                        stored.decode(into: &state.scratch, columns: decoded)
                        if try passes(state.scratch), try !sink(state.scratch) { state.stopped = true }
                    }
                }
            },
            drain: { (state: inout InPlaceState) throws(MemFluxError) -> Bool in
                if state.stopped { return false }
                return try drain()
            })
    }

    /// The number of rows the scan produces, counted where they are stored:
    /// for an aggregate of COUNT(*) alone (`PhysicalHashAggregate.countedScan`),
    /// which reads no column. A typed row that the filter's stored-row test
    /// decides is neither decoded nor handed to a sink; any other row is
    /// decoded (the filter's columns) and the filter evaluated. Runs under
    /// the same conditions as `consumersRunInPlace`, on several threads at
    /// once for a large table (`KeyAccess.scanInParallel`): the filter reads
    /// only its row and the statement's parameters, and each thread counts
    /// into a row and a count of its own.
    func countRows(_ context: ExecutionContext) throws(MemFluxError) -> Int64 {
        let source = self.source
        let test = filter.flatMap(StoredRowTest.init)
        let passes = filter?.condition(context) ?? { (_: borrowing Row) in true }
        let unfiltered = filter == nil
        let decoded = decodedColumns
        let width = self.width
        let counts = try context.keyspace.scanInParallel(
            prefix: source.prefix, prefetching: source.reach(decoded), batch: { CountState(scratch: Row(repeating: .null, count: width)) },
            take: { (pairs: ScannedBatch, state: inout CountState) throws(MemFluxError) in
                try pairs.forEach { (key, value) throws(MemFluxError) in
                    guard let stored = source.storedRow(value, includeKey: false) else {
                        guard let row = try source.row(key: key.bytes, value: value.value, includeKey: false) else { return }
                        if try passes(row) { state.count &+= 1 }
                        return
                    }
                    switch unfiltered ? .passes : test?.verdict(stored) ?? .undecided {
                    case .fails: return
                    case .passes: state.count &+= 1
                    case .undecided:
                        stored.decode(into: &state.scratch, columns: decoded)
                        if try passes(state.scratch) { state.count &+= 1 }
                    }
                }
            })
        return counts.reduce(0) { $0 &+ $1.count }
    }

    /// What a counting scan's `take` carries from row to row.
    private struct CountState {
        var scratch: Row
        var count: Int64 = 0
    }

    /// What an in-place scan's `take` carries from row to row.
    private struct InPlaceState {
        var scratch: Row
        var stopped = false
    }

    override var explainLine: String {
        "TableScan on \(source.name)" + (filter == nil ? "" : " (filtered)")
    }
}

/// The row whose key the primary key (or `id`) equality names: one hash probe, no scan.
final class PhysicalKeyLookup: PhysicalOperator, @unchecked Sendable {
    let source: TableSource
    /// One expression per key column, already of the column's type.
    let keyValues: [BoundExpression]
    let filter: BoundExpression?
    let includeKey: Bool

    init(_ source: TableSource, keyValues: [BoundExpression], filter: BoundExpression?, includeKey: Bool = false) {
        self.source = source
        self.keyValues = keyValues
        self.filter = filter
        self.includeKey = includeKey
        super.init(width: source.width + (includeKey ? 1 : 0))
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        guard let key = try self.key(context) else { return }
        let row = try context.keyspace.read(key) { (value: borrowing Value?) throws(MemFluxError) -> Row? in
            switch value {
            case .some(let stored): return try source.row(key: key, value: stored, includeKey: includeKey)
            case .none: return nil
            }
        }
        guard let row else { return }
        if let filter, try !filter.isSatisfied(row, context) { return }
        _ = try sink(row)
    }

    /// The values at `columns` (positions in this node's rows) of the row
    /// `key` names (one made by RowKey for this table), in that order; nil
    /// when there is none. Of a typed row of the table's layout only those
    /// columns are decoded. The filter is not applied.
    func values(at columns: [Int], key: Bytes, in access: KeyAccess) throws(MemFluxError) -> Row? {
        let source = self.source
        return try access.read(key) { (value: borrowing Value?) throws(MemFluxError) -> Row? in
            switch value {
            case .some(.row(let typed)) where typed.layout === source.definition?.layout:
                var row = Row()
                row.reserveCapacity(columns.count)
                for c in columns { row.append(typed[c]) }
                return row
            case .some(let stored):
                guard let full = try source.row(key: key, value: stored, includeKey: false) else { return nil }
                return columns.map { full[$0] }
            case .none:
                return nil
            }
        }
    }

    /// The row's key; nil when a key value is NULL (no row has it).
    private func key(_ context: ExecutionContext) throws(MemFluxError) -> Bytes? {
        // One key column (the common case) needs no array of values.
        if keyValues.count == 1 {
            let value = try keyValues[0].evaluate([], context)
            return value.isNull ? nil : try RowKey.make(source.prefix, value)
        }
        var values: [SQLValue] = []
        values.reserveCapacity(keyValues.count)
        for e in keyValues {
            let v = try e.evaluate([], context)
            if v.isNull { return nil }
            values.append(v)
        }
        return try RowKey.make(source.prefix, values)
    }

    override var explainLine: String { "KeyLookup on \(source.name)" }
}

/// How row keys are spelled: the table prefix, then the key columns' text forms joined with `:`.
enum RowKey {
    /// The key of a one-column key.
    static func make(_ prefix: Bytes, _ value: SQLValue) throws(MemFluxError) -> Bytes {
        // The common keys, an integer or a text primary key, without going through a cast.
        switch value {
        case .int(let i): return Bytes(prefix, decimal: i)
        case .text(let s): return prefix + Bytes(s)
        default: return try spelled(prefix, [value])
        }
    }

    static func make(_ prefix: Bytes, _ values: [SQLValue]) throws(MemFluxError) -> Bytes {
        values.count == 1 ? try make(prefix, values[0]) : try spelled(prefix, values)
    }

    /// Any key: each value's text form, cast where it is not text.
    private static func spelled(_ prefix: Bytes, _ values: [SQLValue]) throws(MemFluxError) -> Bytes {
        var text = ""
        for (i, v) in values.enumerated() {
            if i > 0 { text += ":" }
            switch v {
            case .text(let s): text += s
            default:
                guard case .text(let s) = try SQLCast.cast(v, to: .text, explicit: true) else { continue }
                text += s
            }
        }
        return prefix + Bytes(text)
    }
}
