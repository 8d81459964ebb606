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
/// side is looked up; rows come out as left values then right values either way.
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

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let source = self.source
        let keyValues = self.keyValues
        let filter = self.filter
        let residual = self.residual
        let lookupIsLeft = self.lookupIsLeft
        let padsMissing = kind == .left && !lookupIsLeft || kind == .right && lookupIsLeft
        let nulls = Row(repeating: .null, count: source.width)
        let streamedWidth = streamed.width
        let partnerOffset = lookupIsLeft ? 0 : streamedWidth
        let streamedOffset = lookupIsLeft ? source.width : 0
        // Reused from row to row: the key values, the partner as its table
        // has it (its filter reads it so), and the combined row.
        var keyParts: [SQLValue] = []
        keyParts.reserveCapacity(keyValues.count)
        var partner = nulls
        var combined = Row(repeating: .null, count: width)
        try streamed.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            keyParts.removeAll(keepingCapacity: true)
            var hasNull = false
            for e in keyValues {
                let v = try e.evaluate(row, context)
                if v.isNull { hasNull = true }
                keyParts.append(v)
            }
            var found = false
            if !hasNull {
                let key = try RowKey.make(source.prefix, keyParts)
                found = try context.keyspace.read(key) { (value: borrowing Value?) throws(MemFluxError) -> Bool in
                    switch value {
                    case .some(let stored): return try source.decode(key: key, value: stored, into: &partner)
                    case .none: return false
                    }
                }
                if found, let filter, try !filter.isSatisfied(partner, context) { found = false }
            }
            guard found || padsMissing else { return true }
            for i in 0..<streamedWidth { combined[streamedOffset + i] = row[i] }
            for i in 0..<source.width { combined[partnerOffset + i] = found ? partner[i] : .null }
            if found, let residual, try !residual.isSatisfied(combined, context) {
                guard padsMissing else { return true }
                for i in 0..<source.width { combined[partnerOffset + i] = .null }
            }
            return try sink(combined)
        }
    }

    override var explainLine: String { "LookupJoin (\(kind.rawValue.lowercased())) on \(source.name)" }
    override var children: [PhysicalOperator] { [streamed] }
}
