// Joins. A hash join when the condition has equalities between the two
// sides (the right side is built into a hash table, the left streams
// through it); a nested loop otherwise (the right side materialized once).
// Both produce left values followed by right values, NULL-padded for outer
// joins.

import MemFluxCore

final class PhysicalNestedLoopJoin: PhysicalOperator {
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
            rightRows.append(copy row)
            return true
        }
        var rightMatched = [Bool](repeating: false, count: kind == .right || kind == .full ? rightRows.count : 0)
        let leftNulls = Row(repeating: .null, count: left.width)
        let rightNulls = Row(repeating: .null, count: right.width)
        let condition = self.condition
        let kind = self.kind
        var stopped = false
        try left.run(context) { (l: borrowing Row) throws(MemFluxError) -> Bool in
            var matched = false
            for (i, r) in rightRows.enumerated() {
                let combined = l + r
                if let condition, try !condition.isSatisfied(combined, context) { continue }
                matched = true
                if !rightMatched.isEmpty { rightMatched[i] = true }
                if try !sink(combined) {
                    stopped = true
                    return false
                }
            }
            if !matched && (kind == .left || kind == .full) {
                if try !sink(l + rightNulls) {
                    stopped = true
                    return false
                }
            }
            return true
        }
        if stopped { return }
        for (i, matched) in rightMatched.enumerated() where !matched {
            if try !sink(leftNulls + rightRows[i]) { return }
        }
    }

    override var explainLine: String { "NestedLoopJoin (\(kind.rawValue.lowercased()))" }
    override var children: [PhysicalOperator] { [left, right] }
}

final class PhysicalHashJoin: PhysicalOperator {
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
        let tracksRight = kind == .right || kind == .full
        var rightMatched = [Bool](repeating: false, count: tracksRight ? rightRows.count : 0)
        let leftNulls = Row(repeating: .null, count: left.width)
        let rightNulls = Row(repeating: .null, count: right.width)
        let leftKeys = self.leftKeys
        let residual = self.residual
        let kind = self.kind
        var stopped = false
        try left.run(context) { (l: borrowing Row) throws(MemFluxError) -> Bool in
            var matched = false
            var key: [SQLValue] = []
            key.reserveCapacity(leftKeys.count)
            var hasNull = false
            for e in leftKeys {
                let v = try e.evaluate(l, context)
                if v.isNull { hasNull = true }
                key.append(v)
            }
            if !hasNull, let candidates = table[HashKey(key)] {
                for i in candidates {
                    let combined = l + rightRows[i]
                    if let residual, try !residual.isSatisfied(combined, context) { continue }
                    matched = true
                    if tracksRight { rightMatched[i] = true }
                    if try !sink(combined) {
                        stopped = true
                        return false
                    }
                }
            }
            if !matched && (kind == .left || kind == .full) {
                if try !sink(l + rightNulls) {
                    stopped = true
                    return false
                }
            }
            return true
        }
        if stopped { return }
        for (i, matched) in rightMatched.enumerated() where !matched {
            if try !sink(leftNulls + rightRows[i]) { return }
        }
    }

    override var explainLine: String { "HashJoin (\(kind.rawValue.lowercased()), \(leftKeys.count) keys)" }
    override var children: [PhysicalOperator] { [left, right] }
}
