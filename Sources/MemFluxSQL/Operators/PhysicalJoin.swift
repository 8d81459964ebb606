// Joins. A hash join when the condition has equalities between the two
// sides (the right side is built into a hash table, the left streams
// through it); a nested loop otherwise (the right side materialized once).
// Both produce left values followed by right values, NULL-padded for outer
// joins.

import MemFluxCore
import MemFluxStorage

final class PhysicalNestedLoopJoin: PhysicalOperator, @unchecked Sendable {
    let kind: JoinKind
    let left: PhysicalOperator
    let right: PhysicalOperator
    let condition: BoundExpression?

    init(_ kind: JoinKind, _ left: PhysicalOperator, _ right: PhysicalOperator, condition: BoundExpression?) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
        super.init(width: left.width + right.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var rightRows: [Row] = []
        try right.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            if rightRows.count >= ExecutionContext.materializedRowLimit { throw ExecutionContext.tooManyRows() }
            rightRows.append(copy row)
            return true
        }
        try JoinProbe.run(kind, left, rightRows, rightWidth: right.width, condition: condition, context, sink) { _ throws(MemFluxError) in nil }
    }

    override var explainLine: String { "NestedLoopJoin (\(kind.rawValue.lowercased()))" }
    override var children: [PhysicalOperator] { [left, right] }
}

final class PhysicalHashJoin: PhysicalOperator, @unchecked Sendable {
    let kind: JoinKind
    let left: PhysicalOperator
    let right: PhysicalOperator
    /// Equality keys: `leftKeys[i]` over left rows equals `rightKeys[i]` over right rows.
    let leftKeys: [BoundExpression]
    let rightKeys: [BoundExpression]
    /// The rest of the ON condition, over combined rows.
    let residual: BoundExpression?

    init(
        _ kind: JoinKind, _ left: PhysicalOperator, _ right: PhysicalOperator, leftKeys: [BoundExpression],
        rightKeys: [BoundExpression], residual: BoundExpression?
    ) {
        self.kind = kind
        self.left = left
        self.right = right
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        super.init(width: left.width + right.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var rightRows: [Row] = []
        var table: [HashKey: [Int]] = [:]
        // Right rows with a NULL key never match but still appear in RIGHT/FULL joins.
        let rightKeys = self.rightKeys
        try right.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            let index = rightRows.count
            if index >= ExecutionContext.materializedRowLimit { throw ExecutionContext.tooManyRows() }
            rightRows.append(copy row)
            var key: [SQLValue] = []
            key.reserveCapacity(rightKeys.count)
            for e in rightKeys {
                let v = try e.evaluate(row, context)
                if v.isNull { return true }
                key.append(v)
            }
            table[HashKey(key), default: []].append(index)
            return true
        }
        let leftKeys = self.leftKeys
        try JoinProbe.run(kind, left, rightRows, rightWidth: right.width, condition: residual, context, sink) {
            (l: borrowing Row) throws(MemFluxError) -> [Int]? in
            var key: [SQLValue] = []
            key.reserveCapacity(leftKeys.count)
            for e in leftKeys {
                let v = try e.evaluate(l, context)
                // A NULL key matches nothing.
                if v.isNull { return [] }
                key.append(v)
            }
            return table[HashKey(key)] ?? []
        }
    }

    override var explainLine: String { "HashJoin (\(kind.rawValue.lowercased()), \(leftKeys.count) keys)" }
    override var children: [PhysicalOperator] { [left, right] }
}

/// The probe half of the joins that materialize their right side: each left
/// row meets its candidate right rows (`candidates` answers their indexes,
/// nil for all of them), rows that pass `condition` are combined, and outer
/// joins pad the unmatched rows of the left (LEFT, FULL) and, after the left
/// side is done, of the right (RIGHT, FULL) with NULLs.
enum JoinProbe {
    static func run(
        _ kind: JoinKind, _ left: PhysicalOperator, _ rightRows: [Row], rightWidth: Int, condition: BoundExpression?,
        _ context: ExecutionContext, _ sink: RowSink, candidates: (borrowing Row) throws(MemFluxError) -> [Int]?
    ) throws(MemFluxError) {
        let tracksRight = kind == .right || kind == .full
        var rightMatched = [Bool](repeating: false, count: tracksRight ? rightRows.count : 0)
        let rightNulls = Row(repeating: .null, count: rightWidth)
        var stopped = false
        try left.run(context) { (l: borrowing Row) throws(MemFluxError) -> Bool in
            var matched = false
            func offer(_ i: Int) throws(MemFluxError) -> Bool {
                let combined = l + rightRows[i]
                if let condition, try !condition.isSatisfied(combined, context) { return true }
                matched = true
                if tracksRight { rightMatched[i] = true }
                return try sink(combined)
            }
            if let indexes = try candidates(l) {
                for i in indexes where try !offer(i) {
                    stopped = true
                    return false
                }
            } else {
                for i in rightRows.indices where try !offer(i) {
                    stopped = true
                    return false
                }
            }
            if !matched && (kind == .left || kind == .full), try !sink(l + rightNulls) {
                stopped = true
                return false
            }
            return true
        }
        if stopped { return }
        let leftNulls = Row(repeating: .null, count: left.width)
        for (i, matched) in rightMatched.enumerated() where !matched {
            if try !sink(leftNulls + rightRows[i]) { return }
        }
    }
}

/// A join whose condition fixes the whole key of one side's table: each row
/// of the streamed side looks its partner up by key (one hash probe) instead
/// of building a hash table of the whole table. `lookupIsLeft` says which
/// side is looked up; rows come out as left values then right values either
/// way, in the streamed side's order. Streamed rows are gathered a batch at
/// a time and their partners read with one batched read, whose cache misses
/// overlap (see Keyspace+Lookup).
final class PhysicalLookupJoin: PhysicalOperator, @unchecked Sendable {
    let kind: JoinKind
    let streamed: PhysicalOperator
    let source: TableSource
    /// One expression per key column, over the streamed side's rows.
    let keyValues: [BoundExpression]
    /// The looked-up table's own conditions, over its rows.
    let filter: BoundExpression?
    /// The rest of the ON condition, over combined rows.
    let residual: BoundExpression?
    let lookupIsLeft: Bool
    /// Set once, when the statement is prepared: the looked-up table's
    /// columns that the filter, the residual and the operators above read,
    /// the only ones decoded of a partner (nil: all of them).
    var decodedColumns: [Int]?

    init(
        _ kind: JoinKind, streamed: PhysicalOperator, lookup source: TableSource, keyValues: [BoundExpression],
        filter: BoundExpression?, residual: BoundExpression?, lookupIsLeft: Bool
    ) {
        self.kind = kind
        self.streamed = streamed
        self.source = source
        self.keyValues = keyValues
        self.filter = filter
        self.residual = residual
        self.lookupIsLeft = lookupIsLeft
        super.init(width: streamed.width + source.width)
    }

    /// Where the looked-up table's columns sit in a combined row.
    var partnerOffset: Int { lookupIsLeft ? 0 : streamed.width }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let source = self.source
        let keyValues = self.keyValues
        let filter = self.filter
        let residual = self.residual
        let padsMissing = kind == .left && !lookupIsLeft || kind == .right && lookupIsLeft
        let streamedWidth = streamed.width
        let partnerOffset = self.partnerOffset
        let streamedOffset = lookupIsLeft ? source.width : 0
        let decoded = decodedColumns
        let partnerColumns = decoded ?? Array(0..<source.width)
        let reach = source.reach(partnerColumns)
        // The batch, reused from one to the next: the streamed rows' values
        // (`streamedWidth` a row), each row's index into `keys` (-1 for a
        // NULL key, which matches nothing), and per key of the chunk being
        // read its partner as its table has it (its filter reads it so) and
        // whether it was found.
        let chunkSize = Keyspace.lookupBatch
        var streamedValues: [SQLValue] = []
        var keyOf: [Int] = []
        var keys: [Bytes] = []
        var partners = [Row](repeating: Row(repeating: .null, count: source.width), count: chunkSize)
        var found = [Bool](repeating: false, count: chunkSize)
        var keyParts: [SQLValue] = []
        keyParts.reserveCapacity(keyValues.count)
        var combined = Row(repeating: .null, count: width)

        /// Adds a streamed row to the batch (it only evaluates the key: it may run with a shard locked).
        func collect(_ row: borrowing Row) throws(MemFluxError) {
            keyParts.removeAll(keepingCapacity: true)
            var hasNull = false
            for e in keyValues {
                let v = try e.evaluate(row, context)
                if v.isNull { hasNull = true }
                keyParts.append(v)
            }
            if hasNull {
                guard padsMissing else { return }
                keyOf.append(-1)
            } else {
                keyOf.append(keys.count)
                keys.append(try RowKey.make(source.prefix, keyParts))
            }
            for i in 0..<streamedWidth { streamedValues.append(row[i]) }
        }

        /// Looks the batch's partners up a chunk of keys at a time and passes
        /// its combined rows on, in order; false when the sink stopped.
        func flush() throws(MemFluxError) -> Bool {
            defer {
                streamedValues.removeAll(keepingCapacity: true)
                keyOf.removeAll(keepingCapacity: true)
                keys.removeAll(keepingCapacity: true)
            }
            var r = 0
            var chunkStart = 0
            while r < keyOf.count {
                let chunkEnd = min(keys.count, chunkStart + chunkSize)
                for k in 0..<(chunkEnd - chunkStart) { found[k] = false }
                if chunkStart < chunkEnd {
                    try context.keyspace.read(batch: keys[chunkStart..<chunkEnd], prefetching: reach) { (k, value) throws(MemFluxError) in
                        guard let value else { return }
                        if let stored = source.storedRow(value, includeKey: false) {
                            stored.decode(into: &partners[k], columns: decoded)
                            found[k] = true
                        } else {
                            found[k] = try source.decode(key: keys[chunkStart + k], value: value.value, into: &partners[k])
                        }
                    }
                }
                // The rows whose keys this chunk holds, and those before them with a NULL key.
                while r < keyOf.count && keyOf[r] < chunkEnd {
                    defer { r += 1 }
                    let k = keyOf[r] - chunkStart
                    var matched = keyOf[r] >= 0 && found[k]
                    if matched, let filter, try !filter.isSatisfied(partners[k], context) { matched = false }
                    guard matched || padsMissing else { continue }
                    let base = r * streamedWidth
                    for i in 0..<streamedWidth { combined[streamedOffset + i] = streamedValues[base + i] }
                    for i in partnerColumns { combined[partnerOffset + i] = matched ? partners[k][i] : .null }
                    if matched, let residual, try !residual.isSatisfied(combined, context) {
                        guard padsMissing else { continue }
                        for i in partnerColumns { combined[partnerOffset + i] = .null }
                    }
                    if try !sink(combined) { return false }
                }
                chunkStart = chunkEnd
            }
            return true
        }

        if let scan = streamed as? PhysicalTableScan, scan.consumersRunInPlace {
            // Rows are collected in place as the scan lists them and flushed between its lock holds.
            try scan.run(context, inPlace: { (row: borrowing Row) throws(MemFluxError) -> Bool in
                try collect(row)
                return true
            }, drain: flush)
        } else {
            try streamed.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                try collect(row)
                return keyOf.count < chunkSize ? true : try flush()
            }
        }
        if !keyOf.isEmpty { _ = try flush() }
    }

    override var explainLine: String { "LookupJoin (\(kind.rawValue.lowercased())) on \(source.name)" }
    override var children: [PhysicalOperator] { [streamed] }
}
