// Window functions: every input row is kept, and each window function's
// result is appended to it. The rows are sorted once per distinct
// (PARTITION BY, ORDER BY) — functions sharing one are computed from the same
// order — then cut into partitions (equal PARTITION BY values) and peer groups
// (equal ORDER BY values within a partition).
//
// Ranking functions read only the partition's shape; lag/lead read rows a
// fixed distance away; first_value, last_value, nth_value and aggregates read
// their frame (PhysicalWindow+Frame.swift, PhysicalWindow+Aggregate.swift).
// Rows leave in the order of the last sort, as PostgreSQL's last WindowAgg
// gives them.

import MemFluxCore

/// One window function call, bound: what it computes, over which frame, and its result type.
struct WindowFunction: @unchecked Sendable {
    // @unchecked: immutable after planning.
    enum Computation {
        case rowNumber, rank, denseRank, percentRank, cumeDist
        /// The bucket number, buckets as even as they can be; the count is read on the partition's first row.
        case ntile(BoundExpression)
        /// lag (backward) and lead: the argument `offset` rows away (1 when nil) in the partition, else `default`.
        case shifted(offset: BoundExpression?, default: BoundExpression?, forward: Bool)
        case firstValue, lastValue
        /// The argument on the frame's n-th row, n read on the current row.
        case nthValue(BoundExpression)
        case aggregate(AggregateCall)
    }

    /// The frame of rows an aggregate or a value function reads, around the current row.
    struct Frame {
        enum Bound {
            case unboundedPreceding
            /// A constant or parameter, evaluated once per execution.
            case preceding(BoundExpression)
            case currentRow
            case following(BoundExpression)
            case unboundedFollowing
        }

        /// The default, RANGE UNBOUNDED PRECEDING to the current row and its peers: the whole partition without an ORDER BY.
        var mode: WindowFrame.Mode = .range
        var start: Bound = .unboundedPreceding
        var end: Bound = .currentRow
        var exclusion: WindowFrame.Exclusion = .noOthers
    }

    var computation: Computation
    /// The value lag, lead, first_value, last_value and nth_value read from other rows.
    var argument: BoundExpression?
    var frame = Frame()
    var type: SQLType

    init(computation: Computation, argument: BoundExpression? = nil, type: SQLType) {
        self.computation = computation
        self.argument = argument
        self.type = type
    }
}

/// Window functions sharing one PARTITION BY and ORDER BY: their rows are sorted once.
struct WindowSort: @unchecked Sendable {
    // @unchecked: immutable after planning.
    var partitionKeys: [BoundExpression]
    var orderKeys: [SortKey]
    /// Indexes into the operator's functions.
    var functions: [Int]
}

/// One partition in window order, cut into peer groups.
struct WindowPartition {
    /// Input row numbers, in window order.
    var members: ArraySlice<Int>
    /// The peer group of each position.
    var groupOf: [Int]
    /// Each peer group's first position, then the partition's size.
    var groupStarts: [Int]

    var count: Int { groupOf.count }
    func row(_ position: Int) -> Int { members[members.startIndex + position] }
    func peerStart(_ position: Int) -> Int { groupStarts[groupOf[position]] }
    func peerEnd(_ position: Int) -> Int { groupStarts[groupOf[position] + 1] }
}

final class PhysicalWindow: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let sorts: [WindowSort]
    let functions: [WindowFunction]

    init(_ input: PhysicalOperator, sorts: [WindowSort], functions: [WindowFunction]) {
        self.input = input
        self.sorts = sorts
        self.functions = functions
        super.init(width: input.width + functions.count)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var rows: [Row] = []
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            rows.append(copy row)
            return true
        }
        // PostgreSQL evaluates frame offsets before the first row, so a bad one fails even over no rows.
        var frames: [EvaluatedFrame] = []
        for f in functions { frames.append(try EvaluatedFrame(f.frame, context)) }
        var results = [[SQLValue]](repeating: [SQLValue](repeating: .null, count: rows.count), count: functions.count)
        var order = Array(rows.indices)
        for sort in sorts {
            let (sortedRows, partitionValues, orderValues) = try PhysicalWindow.sorted(rows, sort, context)
            order = sortedRows
            var start = 0
            while start < order.count {
                let partition = try PhysicalWindow.partition(order, from: start, partitionValues, orderValues, sort)
                for k in sort.functions {
                    let computer = WindowComputer(
                        partition: partition, rows: rows, context: context, frame: frames[k], orderValues: orderValues,
                        orderKeys: sort.orderKeys)
                    try computer.compute(functions[k], into: &results[k])
                }
                start += partition.count
            }
        }
        for r in order {
            // Each row leaves once: move it out rather than copy it.
            var out: Row = []
            swap(&out, &rows[r])
            out.reserveCapacity(width)
            for k in functions.indices { out.append(results[k][r]) }
            if try !sink(out) { return }
        }
    }

    /// Row numbers in (PARTITION BY, ORDER BY, input) order, and each input row's PARTITION BY and ORDER BY values.
    private static func sorted(
        _ rows: [Row], _ sort: WindowSort, _ context: ExecutionContext
    ) throws(MemFluxError) -> (order: [Int], partitionValues: [Row], orderValues: [Row]) {
        var partitionValues: [Row] = []
        var orderValues: [Row] = []
        partitionValues.reserveCapacity(rows.count)
        orderValues.reserveCapacity(rows.count)
        for row in rows {
            var p: Row = []
            for e in sort.partitionKeys { p.append(try e.evaluate(row, context)) }
            partitionValues.append(p)
            var o: Row = []
            for k in sort.orderKeys { o.append(try k.expression.evaluate(row, context)) }
            orderValues.append(o)
        }
        var order = Array(rows.indices)
        if sort.partitionKeys.isEmpty && sort.orderKeys.isEmpty { return (order, partitionValues, orderValues) }
        let partitionKeys = PhysicalWindow.partitionSortKeys(sort)
        var failure: MemFluxError?
        order.sort { a, b in
            do throws(MemFluxError) {
                let p = try SortKey.compare(partitionValues[a], partitionValues[b], partitionKeys)
                if p != 0 { return p < 0 }
                let o = try SortKey.compare(orderValues[a], orderValues[b], sort.orderKeys)
                return o != 0 ? o < 0 : a < b
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return (order, partitionValues, orderValues)
    }

    /// PARTITION BY values sort ascending, NULLs together last: only equality matters.
    private static func partitionSortKeys(_ sort: WindowSort) -> [SortKey] {
        sort.partitionKeys.map { SortKey(expression: $0, descending: false, nullsFirst: false) }
    }

    /// The partition starting at `start` in `order`, with its peer groups.
    private static func partition(
        _ order: [Int], from start: Int, _ partitionValues: [Row], _ orderValues: [Row], _ sort: WindowSort
    ) throws(MemFluxError) -> WindowPartition {
        var end = start + 1
        if sort.partitionKeys.isEmpty {
            end = order.count
        } else {
            let keys = partitionSortKeys(sort)
            while end < order.count, try SortKey.compare(partitionValues[order[start]], partitionValues[order[end]], keys) == 0 {
                end += 1
            }
        }
        var groupOf: [Int] = []
        var groupStarts: [Int] = []
        groupOf.reserveCapacity(end - start)
        for position in start..<end {
            if position == start {
                groupStarts.append(0)
            } else if try SortKey.compare(orderValues[order[position - 1]], orderValues[order[position]], sort.orderKeys) != 0 {
                groupStarts.append(position - start)
            }
            groupOf.append(groupStarts.count - 1)
        }
        groupStarts.append(end - start)
        return WindowPartition(members: order[start..<end], groupOf: groupOf, groupStarts: groupStarts)
    }

    override var explainLine: String { "Window (\(functions.count) functions, \(sorts.count) sorts)" }
    override var children: [PhysicalOperator] { [input] }
}

/// Computes one window function over one partition.
struct WindowComputer {
    let partition: WindowPartition
    let rows: [Row]
    let context: ExecutionContext
    let frame: EvaluatedFrame
    let orderValues: [Row]
    let orderKeys: [SortKey]

    func compute(_ function: WindowFunction, into results: inout [SQLValue]) throws(MemFluxError) {
        let n = partition.count
        switch function.computation {
        case .rowNumber:
            for i in 0..<n { results[partition.row(i)] = .int(Int64(i + 1)) }
        case .rank:
            for i in 0..<n { results[partition.row(i)] = .int(Int64(partition.peerStart(i) + 1)) }
        case .denseRank:
            for i in 0..<n { results[partition.row(i)] = .int(Int64(partition.groupOf[i] + 1)) }
        case .percentRank:
            for i in 0..<n {
                results[partition.row(i)] = .double(n > 1 ? Double(partition.peerStart(i)) / Double(n - 1) : 0)
            }
        case .cumeDist:
            for i in 0..<n { results[partition.row(i)] = .double(Double(partition.peerEnd(i)) / Double(n)) }
        case .ntile(let buckets):
            try ntile(buckets, into: &results)
        case .shifted(let offset, let fallback, let forward):
            var values = LazyArgument(function.argument, count: n)
            for i in 0..<n {
                let row = rows[partition.row(i)]
                var distance: Int64 = 1
                if let offset {
                    guard case .int(let d) = try offset.evaluate(row, context) else {
                        results[partition.row(i)] = .null
                        continue
                    }
                    distance = d
                }
                // |distance| fits an int4, so the target cannot overflow.
                let target = Int64(i) + (forward ? distance : -distance)
                if target >= 0 && target < Int64(n) {
                    results[partition.row(i)] = try values.value(at: Int(target), self)
                } else {
                    results[partition.row(i)] = try fallback?.evaluate(row, context) ?? .null
                }
            }
        case .firstValue, .lastValue, .nthValue:
            try valueInFrame(function, into: &results)
        case .aggregate(let call):
            try aggregate(call, into: &results)
        }
    }

    /// PostgreSQL's window_ntile: the first `size % buckets` buckets take one row more.
    private func ntile(_ buckets: BoundExpression, into results: inout [SQLValue]) throws(MemFluxError) {
        let n = Int64(partition.count)
        var bucket: Int64 = 0
        var boundary: Int64 = 0
        var remainder: Int64 = 0
        var rowsInBucket: Int64 = 0
        for i in 0..<partition.count {
            if bucket == 0 {
                // Until a row gives a count, every row's result is NULL and the next row is asked.
                guard case .int(let count) = try buckets.evaluate(rows[partition.row(i)], context) else { continue }
                guard count > 0 else { throw MemFluxError(.err, "argument of ntile must be greater than zero") }
                bucket = 1
                boundary = n / count
                if boundary <= 0 {
                    boundary = 1
                } else {
                    remainder = n % count
                    if remainder != 0 { boundary += 1 }
                }
            }
            rowsInBucket += 1
            if boundary < rowsInBucket {
                if remainder != 0 && bucket == remainder {
                    remainder = 0
                    boundary -= 1
                }
                bucket += 1
                rowsInBucket = 1
            }
            results[partition.row(i)] = .int(bucket)
        }
    }

    /// first_value, last_value, nth_value: the argument on one row of the frame, NULL when it has no such row.
    private func valueInFrame(_ function: WindowFunction, into results: inout [SQLValue]) throws(MemFluxError) {
        var values = LazyArgument(function.argument, count: partition.count)
        for i in 0..<partition.count {
            let (start, end) = try frame.bounds(i, self)
            let parts = frame.rows(start, end, around: i, partition)
            var position: Int?
            switch function.computation {
            case .firstValue:
                position = parts.first { !$0.isEmpty }?.lowerBound
            case .lastValue:
                position = parts.last { !$0.isEmpty }.map { $0.upperBound - 1 }
            case .nthValue(let nth):
                guard case .int(var k) = try nth.evaluate(rows[partition.row(i)], context) else { break }
                guard k > 0 else { throw MemFluxError(.err, "argument of nth_value must be greater than zero") }
                for part in parts {
                    if k <= Int64(part.count) {
                        position = part.lowerBound + Int(k) - 1
                        break
                    }
                    k -= Int64(part.count)
                }
            default:
                preconditionFailure("not a value function")
            }
            results[partition.row(i)] = try position.map { (p) throws(MemFluxError) in try values.value(at: p, self) } ?? .null
        }
    }
}

/// A function's argument on partition positions, each evaluated when first read (PostgreSQL reads only the rows it needs).
struct LazyArgument {
    let expression: BoundExpression?
    private var cache: [SQLValue?]

    init(_ expression: BoundExpression?, count: Int) {
        self.expression = expression
        cache = [SQLValue?](repeating: nil, count: count)
    }

    mutating func value(at position: Int, _ computer: WindowComputer) throws(MemFluxError) -> SQLValue {
        if let v = cache[position] { return v }
        let v = try expression?.evaluate(computer.rows[computer.partition.row(position)], computer.context) ?? .null
        cache[position] = v
        return v
    }
}
