// Aggregates over window frames, with PhysicalHashAggregate's accumulators
// (so a SUM over a window adds, types and rounds as the same SUM with GROUP
// BY does).
//
// Frames only move forward: as the current row advances, the frame's start
// and end never go back. So one running state follows them, rows joining at
// the end. Rows leaving at the start are taken back out where that is exact
// — COUNT, and SUM and AVG of integers and NUMERIC, PostgreSQL's aggregates
// with inverse transitions — so a sliding ROWS frame costs O(1) per row.
// MIN, MAX, BOOL_AND/OR, STRING_AGG, ARRAY_AGG and sums of floats start over
// from the frame's new start whenever it moves, as PostgreSQL does: taking a
// double back out of a sum would not give the sum of the rows left. A frame
// that only grows (the default one) is one pass; peers, which share a frame,
// share one result.

import MemFluxCore

/// One row's input to a window aggregate; nil stands for a row that does not take part (FILTER false, a NULL argument).
struct WindowAggregateInput {
    var value: SQLValue
    /// STRING_AGG's separator.
    var separator: SQLValue
}

/// An aggregate's state over the rows currently in a frame.
struct WindowAggregator {
    let call: AggregateCall
    /// Whether a row can be taken back out exactly.
    let invertible: Bool
    private var state = Accumulator()
    /// NUMERIC sums: how many of the rows in the frame have each scale. A sum keeps the largest scale
    /// of its terms, so when the last term of that scale leaves, the sum returns to the next one.
    private var scales: [Int: Int] = [:]

    init(_ call: AggregateCall) {
        self.call = call
        switch call.function {
        case .countStar, .count:
            invertible = true
        case .sum, .avg:
            switch call.argument?.type.withoutModifiers {
            case .smallint?, .integer?, .bigint?, .numeric?: invertible = true
            default: invertible = false
            }
        default:
            invertible = false
        }
    }

    mutating func reset() {
        state = Accumulator()
        scales = [:]
    }

    mutating func add(_ input: WindowAggregateInput?) throws(MemFluxError) {
        guard let input else { return }
        switch call.function {
        case .countStar:
            state.count += 1
        case .stringAgg, .arrayAgg:
            state.kept.append((input.value, input.separator, []))
        default:
            try PhysicalHashAggregate.step(call, &state, input.value)
            if invertible { scales[input.value.numericScale, default: 0] += 1 }
        }
    }

    /// Takes back a row `add` took in; only when `invertible`.
    mutating func remove(_ input: WindowAggregateInput?) throws(MemFluxError) {
        guard let input else { return }
        state.count -= 1
        guard call.function == .sum || call.function == .avg else { return }
        if state.count == 0 {
            reset()
            return
        }
        let type = call.function == .avg ? Arithmetic.sumType(state.value, input.value) : call.type
        state.value = try SQLArithmetic.subtract(state.value, input.value, type: type)
        let scale = input.value.numericScale
        if let terms = scales[scale] { scales[scale] = terms > 1 ? terms - 1 : nil }
        if case .numeric(let sum) = state.value, let largest = scales.keys.max(), sum.scale > largest {
            state.value = .numeric(sum.truncated(scale: largest))
        }
    }

    func result() throws(MemFluxError) -> SQLValue {
        try PhysicalHashAggregate.finish(call, state)
    }
}

extension WindowComputer {
    func aggregate(_ call: AggregateCall, into results: inout [SQLValue]) throws(MemFluxError) {
        let n = partition.count
        var inputs: [WindowAggregateInput?] = []
        inputs.reserveCapacity(n)
        for i in 0..<n {
            let row = rows[partition.row(i)]
            if let filter = call.filter, try !filter.isSatisfied(row, context) {
                inputs.append(nil)
                continue
            }
            guard let argument = call.argument else {
                inputs.append(WindowAggregateInput(value: .null, separator: .null))
                continue
            }
            let value = try argument.evaluate(row, context)
            // ARRAY_AGG keeps NULLs; every other aggregate skips them.
            if value.isNull && call.function != .arrayAgg {
                inputs.append(nil)
                continue
            }
            inputs.append(WindowAggregateInput(value: value, separator: try call.separator?.evaluate(row, context) ?? .null))
        }

        var running = WindowAggregator(call)
        // `running` holds positions low..<high.
        var low = 0
        var high = 0
        var last: (low: Int, high: Int, value: SQLValue)?
        for i in 0..<n {
            let (start, end) = try frame.bounds(i, self)
            if frame.exclusion != .noOthers && !running.invertible {
                var fresh = WindowAggregator(call)
                for part in frame.rows(start, end, around: i, partition) {
                    for q in part { try fresh.add(inputs[q]) }
                }
                results[partition.row(i)] = try fresh.result()
                continue
            }
            if start < low || end < high || start >= high || (start > low && !running.invertible) {
                running.reset()
                low = start
                high = start
            } else {
                while low < start {
                    try running.remove(inputs[low])
                    low += 1
                }
            }
            while high < end {
                try running.add(inputs[high])
                high += 1
            }
            if frame.exclusion == .noOthers {
                if let last, last.low == low, last.high == high {
                    results[partition.row(i)] = last.value
                } else {
                    let value = try running.result()
                    last = (low, high, value)
                    results[partition.row(i)] = value
                }
                continue
            }
            var framed = running
            for q in excluded(around: i, start, end) where q != i || frame.exclusion != .ties {
                try framed.remove(inputs[q])
            }
            results[partition.row(i)] = try framed.result()
        }
    }

    /// The positions of `start..<end` EXCLUDE CURRENT ROW, GROUP or TIES takes out (TIES: but the current row).
    private func excluded(around i: Int, _ start: Int, _ end: Int) -> Range<Int> {
        let (low, high) = frame.exclusion == .currentRow ? (i, i + 1) : (partition.peerStart(i), partition.peerEnd(i))
        let from = max(start, low)
        return from..<max(from, min(end, high))
    }
}

extension SQLValue {
    /// Digits after the point a NUMERIC sum of this term carries (integers: none).
    fileprivate var numericScale: Int {
        if case .numeric(let n) = self { return n.scale }
        return 0
    }
}
