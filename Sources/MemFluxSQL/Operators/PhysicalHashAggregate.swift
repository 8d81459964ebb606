// GROUP BY and aggregates: one hash table from the group key to the
// accumulators of each aggregate. Without GROUP BY there is exactly one
// group, even over no rows (SELECT count(*) FROM empty answers 0).
// Produces the group key values followed by the aggregate results.

import MemFluxCore

enum AggregateFunction: String, Sendable {
    case countStar = "count(*)", count, sum, avg, min, max
    case stringAgg = "string_agg", arrayAgg = "array_agg", boolAnd = "bool_and", boolOr = "bool_or"
}

/// One aggregate of a query, as bound. A class: the executor reads it once
/// per row and aggregate, and a reference costs no copy of its fields.
final class AggregateCall: @unchecked Sendable {
    // @unchecked: immutable after binding.
    let function: AggregateFunction
    let argument: BoundExpression?
    /// STRING_AGG's separator.
    let separator: BoundExpression?
    let isDistinct: Bool
    let filter: BoundExpression?
    /// `array_agg(x ORDER BY y)`: keys over the input row.
    let orderBy: [SortKey]
    let type: SQLType
    /// The inputs are kept and combined at the end (DISTINCT, ORDER BY, STRING_AGG, ARRAY_AGG).
    let keepsInputs: Bool
    /// SUM or AVG over double precision: the accumulator is a double, added without the general arithmetic.
    let sumsDoubles: Bool
    /// COUNT(DISTINCT x): only the number of distinct values is kept (ValueSet.addLater).
    let countsDistinct: Bool

    init(
        function: AggregateFunction, argument: BoundExpression?, separator: BoundExpression?, isDistinct: Bool,
        filter: BoundExpression?, orderBy: [SortKey], type: SQLType
    ) {
        self.function = function
        self.argument = argument
        self.separator = separator
        self.isDistinct = isDistinct
        self.filter = filter
        self.orderBy = orderBy
        self.type = type
        keepsInputs = isDistinct || !orderBy.isEmpty || function == .stringAgg || function == .arrayAgg
        sumsDoubles = (function == .sum || function == .avg) && type == .double
        countsDistinct = function == .count && isDistinct && orderBy.isEmpty
    }
}

/// One aggregate's running state in one group (or one window frame).
struct Accumulator {
    var count: Int64 = 0
    var value: SQLValue = .null
    /// Inputs kept for DISTINCT or ordered aggregates, with their sort keys.
    var kept: [(value: SQLValue, extra: SQLValue, keys: Row)] = []
    var seen = ValueSet()
}

final class PhysicalHashAggregate: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let groupKeys: [BoundExpression]
    let aggregates: [AggregateCall]
    /// Set once, when the statement is prepared, for COUNT(*) alone (no
    /// GROUP BY, FILTER or DISTINCT) over a table scan whose consumers run in
    /// place: the scan counts its rows itself, and none reaches this node.
    var countedScan: PhysicalTableScan?

    init(_ input: PhysicalOperator, groupKeys: [BoundExpression], aggregates: [AggregateCall]) {
        self.input = input
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        super.init(width: groupKeys.count + aggregates.count)
    }

    /// Whether this is COUNT(*) alone, with no GROUP BY, FILTER or DISTINCT.
    var countsRowsOnly: Bool {
        groupKeys.isEmpty && !aggregates.isEmpty
            && aggregates.allSatisfy { $0.function == .countStar && $0.filter == nil && !$0.keepsInputs }
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        if let countedScan {
            _ = try sink(Row(repeating: .int(try countedScan.countRows(context)), count: aggregates.count))
            return
        }
        let groupKeys = self.groupKeys
        let aggregates = self.aggregates
        let width = aggregates.count
        // Per group, `width` accumulators in group order: plain counts and
        // double sums in flat lanes (see FastLanes), the rest as Accumulators.
        var states: [Accumulator] = []
        let lanes = FastLanes(width: width)
        var keys: [Row] = []
        // One grouping column (the common case) hashes its value alone, without
        // building a key row; integers (a typed integer column) go to a table
        // of their own while every non-NULL key is one.
        var singleGroups: [SQLHashKey: Int] = [:]
        var integerGroups = IntegerGroups()
        var integerKeysOnly = true
        var groups: [HashKey: Int] = [:]
        let fresh = [Accumulator](repeating: Accumulator(), count: width)
        /// Adds a group with `key` and fresh accumulators; its number.
        func newGroup(_ key: Row) -> Int {
            keys.append(key)
            states.append(contentsOf: fresh)
            lanes.addGroup()
            return keys.count - 1
        }
        if groupKeys.isEmpty { _ = newGroup([]) }
        /// The group of the one grouping value `value`, added when new.
        func singleKeyGroup(_ value: SQLValue) -> Int {
            if integerKeysOnly, case .int(let x) = value { return integerGroups.group(of: x) { newGroup([value]) } }
            // An integer and an equal double are one group: from the first other number on, all go through SQLHashKey.
            if integerKeysOnly && !value.isNull {
                integerKeysOnly = false
                integerGroups.forEach { x, group in singleGroups[SQLHashKey(.int(x))] = group }
            }
            let key = SQLHashKey(value)
            if let existing = singleGroups[key] { return existing }
            let g = newGroup([value])
            singleGroups[key] = g
            return g
        }
        // Made once per execution: the per-row loop then reads bare columns
        // straight from the row and touches no shared reference for them.
        var keyColumn: Int?
        if groupKeys.count == 1, case .column(let i, _) = groupKeys[0] { keyColumn = i }
        var inputs = aggregates.map(FastInput.init)
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            var g = 0
            if groupKeys.count == 1 {
                // A bare integer column is matched where it lies in the row, without copying the value out.
                if integerKeysOnly, let keyColumn, case .int(let x) = row[keyColumn] {
                    g = integerGroups.group(of: x) { newGroup([.int(x)]) }
                } else if let keyColumn {
                    g = singleKeyGroup(row[keyColumn])
                } else {
                    g = singleKeyGroup(try groupKeys[0].evaluate(row, context))
                }
            } else if !groupKeys.isEmpty {
                var key: Row = []
                key.reserveCapacity(groupKeys.count)
                for e in groupKeys { key.append(try e.evaluate(row, context)) }
                let hashKey = HashKey(key)
                if let existing = groups[hashKey] {
                    g = existing
                } else {
                    g = newGroup(key)
                    groups[hashKey] = g
                }
            }
            let base = g * width
            for a in 0..<width {
                switch inputs[a] {
                case .countStar:
                    lanes.counts[base + a] += 1
                    continue
                case .count(let j):
                    if !row[j].isNull { lanes.counts[base + a] += 1 }
                    continue
                case .doubleSum(let j):
                    switch row[j] {
                    case .null: continue
                    case .double(let y):
                        lanes.sums[base + a] = try PhysicalHashAggregate.sum(lanes.sums[base + a], y)
                        lanes.counts[base + a] += 1
                        continue
                    default:
                        // Another kind of value: this aggregate goes the general way from here on, in every group.
                        for group in 0..<keys.count { states[group * width + a] = lanes.accumulator(group * width + a) }
                        inputs[a] = .general
                    }
                case .general: break
                }
                try PhysicalHashAggregate.accumulate(aggregates[a], &states[base + a], row, context)
            }
            return true
        }
        for (g, key) in keys.enumerated() {
            var out = key
            for a in 0..<width {
                let i = g * width + a
                let state: Accumulator
                switch inputs[a] {
                case .countStar, .count, .doubleSum: state = lanes.accumulator(i)
                case .general: state = states[i]
                }
                out.append(try PhysicalHashAggregate.finish(aggregates[a], state))
            }
            if try !sink(out) { return }
        }
    }

    /// How a plain aggregate of a bare column (no FILTER, no DISTINCT, no
    /// ORDER BY) reads its row; `general` goes through `accumulate`.
    private enum FastInput {
        case countStar, count(Int), doubleSum(Int), general

        init(_ call: AggregateCall) {
            guard call.filter == nil && !call.keepsInputs else {
                self = .general
                return
            }
            switch (call.function, call.argument) {
            case (.countStar, nil): self = .countStar
            case (.count, .column(let j, _)?): self = .count(j)
            case (_, .column(let j, _)?) where call.sumsDoubles: self = .doubleSum(j)
            default: self = .general
            }
        }
    }

    /// The counts and double sums of the `FastInput` aggregates, `width` per
    /// group in group order, in memory of their own: a row adds to a plain
    /// number where it is, with no enum to switch on, no check that an array
    /// is uniquely referenced and no bounds check (every index is a group
    /// number the aggregate made times `width`, plus an aggregate's position).
    private final class FastLanes {
        private(set) var counts: UnsafeMutablePointer<Int64>
        private(set) var sums: UnsafeMutablePointer<Double>
        private let width: Int
        private var capacity: Int
        private var used = 0

        init(width: Int) {
            self.width = width
            capacity = max(width, 1) * 16
            counts = .allocate(capacity: capacity)
            sums = .allocate(capacity: capacity)
        }

        deinit {
            counts.deallocate()
            sums.deallocate()
        }

        func addGroup() {
            if used + width > capacity {
                capacity *= 2
                counts = FastLanes.moved(counts, count: used, to: capacity)
                sums = FastLanes.moved(sums, count: used, to: capacity)
            }
            (counts + used).initialize(repeating: 0, count: width)
            (sums + used).initialize(repeating: 0, count: width)
            used += width
        }

        private static func moved<T>(_ old: UnsafeMutablePointer<T>, count: Int, to capacity: Int) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }

        /// Lane `i` as the Accumulator `step` would have made of the same rows.
        func accumulator(_ i: Int) -> Accumulator {
            var state = Accumulator()
            state.count = counts[i]
            if counts[i] > 0 { state.value = .double(sums[i]) }
            return state
        }
    }

    /// float8pl: a finite sum that overflows is an error, not infinity.
    @inline(__always)
    private static func sum(_ x: Double, _ y: Double) throws(MemFluxError) -> Double {
        let sum = x + y
        if sum.isInfinite && x.isFinite && y.isFinite { throw SQLArithmetic.overflow }
        return sum
    }

    private static func accumulate(
        _ call: AggregateCall, _ state: inout Accumulator, _ row: borrowing Row, _ context: ExecutionContext
    ) throws(MemFluxError) {
        if let filter = call.filter, try !filter.isSatisfied(row, context) { return }
        guard let argument = call.argument else {
            state.count += 1
            return
        }
        let value = try argument.evaluate(row, context)
        // Every aggregate skips NULLs except ARRAY_AGG, which keeps them as elements.
        if value.isNull && call.function != .arrayAgg { return }
        if call.countsDistinct {
            state.seen.addLater(value)
            return
        }
        if call.isDistinct && !state.seen.insert(value) { return }
        if call.keepsInputs {
            var keys: Row = []
            for k in call.orderBy { keys.append(try k.expression.evaluate(row, context)) }
            let extra = try call.separator?.evaluate(row, context) ?? .null
            state.kept.append((value, extra, keys))
            return
        }
        try step(call, &state, value)
    }

    static func step(_ call: AggregateCall, _ state: inout Accumulator, _ value: SQLValue) throws(MemFluxError) {
        state.count += 1
        if call.sumsDoubles, case .double(let x) = state.value, case .double(let y) = value {
            state.value = .double(try sum(x, y))
            return
        }
        switch call.function {
        case .countStar, .count, .stringAgg, .arrayAgg: break
        case .sum, .avg:
            // AVG sums exactly (numeric) for integer and numeric arguments, in doubles for floats.
            let type = call.type == .dynamic ? Arithmetic.sumType(state.value, value) : call.type
            state.value = state.value.isNull ? try Arithmetic.coerce(value, from: .dynamic, to: type) : try SQLArithmetic.add(state.value, value, type: type)
        case .min:
            if state.value.isNull { state.value = value } else if try SQLValue.compare(value, state.value) < 0 { state.value = value }
        case .max:
            if state.value.isNull { state.value = value } else if try SQLValue.compare(value, state.value) > 0 { state.value = value }
        case .boolAnd, .boolOr:
            guard case .bool(let b) = value else { throw MemFluxError(.err, "function \(call.function.rawValue) requires a boolean argument") }
            if case .bool(let current) = state.value {
                state.value = .bool(call.function == .boolAnd ? current && b : current || b)
            } else {
                state.value = .bool(b)
            }
        }
    }

    static func finish(_ call: AggregateCall, _ state: Accumulator) throws(MemFluxError) -> SQLValue {
        var state = state
        if call.countsDistinct {
            state.seen.settle()
            return .int(Int64(state.seen.count))
        }
        if !state.kept.isEmpty {
            var kept = state.kept
            if !call.orderBy.isEmpty {
                var failure: MemFluxError?
                kept.sort { a, b in
                    do { return try SortKey.compare(a.keys, b.keys, call.orderBy) < 0 } catch let error as MemFluxError {
                        failure = error
                        return false
                    } catch {
                        failure = MemFluxError(.err, "\(error)")
                        return false
                    }
                }
                if let failure { throw failure }
            }
            switch call.function {
            case .stringAgg:
                var text = ""
                for (i, item) in kept.enumerated() {
                    if i > 0, case .text(let separator) = item.extra { text += separator }
                    if case .text(let s) = try Arithmetic.asText(item.value, .text) { text += s }
                }
                return .text(text)
            case .arrayAgg:
                return .array(kept.map(\.value))
            default:
                state.kept = []
                for item in kept { try step(call, &state, item.value) }
            }
        }
        switch call.function {
        case .countStar, .count: return .int(state.count)
        case .avg:
            if state.count == 0 { return .null }
            if case .double = state.value { return try SQLArithmetic.divide(state.value, .double(Double(state.count)), type: .double) }
            let sum = try Arithmetic.coerce(state.value, from: .dynamic, to: .numeric(precision: nil, scale: nil))
            return try SQLArithmetic.divide(sum, .numeric(SQLNumeric(state.count)), type: .numeric(precision: nil, scale: nil))
        case .stringAgg, .arrayAgg: return .null
        default: return state.value
        }
    }

    override var explainLine: String {
        groupKeys.isEmpty ? "Aggregate" : "HashAggregate (\(groupKeys.count) keys)"
    }
    override var children: [PhysicalOperator] { [input] }
}

/// Group numbers by integer key: open addressing over a power-of-two table,
/// at most half full, with a seeded 64-bit mix for the hash (a fixed hash
/// would let a table's values be chosen to collide). No Hasher per row, no
/// SQLValue comparison.
private struct IntegerGroups {
    private static let processSeed = UInt64.random(in: .min ... .max)
    /// Copied into the table: the static is a lazy global, checked on every read.
    private let seed = IntegerGroups.processSeed
    private var keys = [Int64](repeating: 0, count: 64)
    /// Group number + 1 per slot; 0 is an empty slot.
    private var groups = [Int](repeating: 0, count: 64)
    private var count = 0

    @inline(__always)
    private func home(_ key: Int64) -> Int {
        var h = UInt64(bitPattern: key) ^ seed
        h = (h ^ (h >> 33)) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h) & (keys.count - 1)
    }

    /// The group of `key`, added with the number `add` makes when absent.
    @inline(__always)
    mutating func group(of key: Int64, orAdd add: () -> Int) -> Int {
        var i = home(key)
        while groups[i] != 0 {
            if keys[i] == key { return groups[i] - 1 }
            i = (i + 1) & (keys.count - 1)
        }
        let group = add()
        if (count + 1) * 2 > keys.count {
            grow()
            insert(key, group: group)
        } else {
            keys[i] = key
            groups[i] = group + 1
            count += 1
        }
        return group
    }

    /// Adds `key`, which is absent, with room to spare.
    private mutating func insert(_ key: Int64, group: Int) {
        var i = home(key)
        while groups[i] != 0 { i = (i + 1) & (keys.count - 1) }
        keys[i] = key
        groups[i] = group + 1
        count += 1
    }

    func forEach(_ body: (Int64, Int) -> Void) {
        for i in keys.indices where groups[i] != 0 { body(keys[i], groups[i] - 1) }
    }

    private mutating func grow() {
        let old = self
        keys = [Int64](repeating: 0, count: old.keys.count * 2)
        groups = [Int](repeating: 0, count: old.keys.count * 2)
        count = 0
        old.forEach { key, group in insert(key, group: group) }
    }
}
