// DISTINCT and set operations, by hashing whole rows (NULLs are equal to
// each other here, as SQL's DISTINCT and UNION treat them).

import MemFluxCore

final class PhysicalDistinct: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    /// Columns that decide distinctness (DISTINCT ON's keys, or the visible columns before hidden sort keys).
    let keyColumns: [Int]

    init(_ input: PhysicalOperator, keyColumns: [Int]) {
        self.input = input
        self.keyColumns = keyColumns
        super.init(width: input.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var seen = Set<HashKey>()
        let keyColumns = self.keyColumns
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            var values: Row = []
            values.reserveCapacity(keyColumns.count)
            for i in keyColumns { values.append(row[i]) }
            let key = HashKey(values)
            guard seen.insert(key).inserted else { return true }
            return try sink(row)
        }
    }

    override var explainLine: String { "Distinct" }
    override var children: [PhysicalOperator] { [input] }
}

final class PhysicalSetOperation: PhysicalOperator, @unchecked Sendable {
    let op: SetOperator
    let all: Bool
    let left: PhysicalOperator
    let right: PhysicalOperator

    init(_ op: SetOperator, all: Bool, _ left: PhysicalOperator, _ right: PhysicalOperator) {
        self.op = op
        self.all = all
        self.left = left
        self.right = right
        super.init(width: left.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        switch op {
        case .union:
            var seen = Set<HashKey>()
            let all = self.all
            var stopped = false
            try left.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                if !all && !seen.insert(HashKey(copy row)).inserted { return true }
                if try !sink(row) {
                    stopped = true
                    return false
                }
                return true
            }
            if stopped { return }
            try right.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                if !all && !seen.insert(HashKey(copy row)).inserted { return true }
                return try sink(row)
            }
        case .intersect, .except:
            // Count the right side's rows, then let left rows through by the multiset rule.
            var counts: [HashKey: Int] = [:]
            try right.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                counts[HashKey(copy row), default: 0] += 1
                return true
            }
            var emitted = Set<HashKey>()
            let all = self.all
            let intersect = op == .intersect
            try left.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                let key = HashKey(copy row)
                let available = counts[key] ?? 0
                let passes: Bool
                if all {
                    if intersect {
                        passes = available > 0
                        if passes { counts[key] = available - 1 }
                    } else {
                        passes = available == 0
                        if !passes { counts[key] = available - 1 }
                    }
                } else {
                    passes = (intersect ? available > 0 : available == 0) && emitted.insert(key).inserted
                }
                return passes ? try sink(row) : true
            }
        }
    }

    override var explainLine: String { "SetOp (\(op.rawValue.lowercased())\(all ? " all" : ""))" }
    override var children: [PhysicalOperator] { [left, right] }
}
