// Window frames: which positions of its partition a row's frame covers, as
// PostgreSQL's nodeWindowAgg.c finds them.
//
// - ROWS counts rows from the current one; GROUPS counts peer groups; RANGE
//   compares ORDER BY values: `n PRECEDING` starts at the first row whose key
//   is at least `key - n` (reversed for DESC), with PostgreSQL's in_range
//   rules (an offset past the type's range reaches everything on that side,
//   NaN sorts above every number). NULL keys are peers of each other only: a
//   row with a NULL key frames the NULLs, other rows never reach them
//   through an offset.
// - EXCLUDE CURRENT ROW / GROUP / TIES cut up to two holes in the frame, so
//   the frame is at most three runs of positions (FrameRows).
//
// Offsets are evaluated once per execution, before the first row.

import MemFluxCore

/// A frame with its offsets evaluated.
struct EvaluatedFrame {
    enum Bound {
        case unboundedPreceding
        case preceding(SQLValue)
        case currentRow
        case following(SQLValue)
        case unboundedFollowing
    }

    let mode: WindowFrame.Mode
    let start: Bound
    let end: Bound
    let exclusion: WindowFrame.Exclusion

    init(_ frame: WindowFunction.Frame, _ context: ExecutionContext) throws(MemFluxError) {
        mode = frame.mode
        exclusion = frame.exclusion
        start = try EvaluatedFrame.evaluate(frame.start, "starting", frame.mode, context)
        end = try EvaluatedFrame.evaluate(frame.end, "ending", frame.mode, context)
    }

    private static func evaluate(
        _ bound: WindowFunction.Frame.Bound, _ which: String, _ mode: WindowFrame.Mode, _ context: ExecutionContext
    ) throws(MemFluxError) -> Bound {
        switch bound {
        case .unboundedPreceding: return .unboundedPreceding
        case .currentRow: return .currentRow
        case .unboundedFollowing: return .unboundedFollowing
        case .preceding(let e): return .preceding(try offset(e, which, mode, context))
        case .following(let e): return .following(try offset(e, which, mode, context))
        }
    }

    /// ROWS and GROUPS offsets are non-negative counts; a RANGE offset is checked where in_range uses it.
    private static func offset(
        _ e: BoundExpression, _ which: String, _ mode: WindowFrame.Mode, _ context: ExecutionContext
    ) throws(MemFluxError) -> SQLValue {
        let value = try e.evaluate([], context)
        if value.isNull { throw MemFluxError(.err, "frame \(which) offset must not be null") }
        if mode == .range { return value }
        guard case .int(let n) = try SQLCast.cast(value, to: .bigint, explicit: true) else {
            throw MemFluxError(.err, "frame \(which) offset must not be null")
        }
        if n < 0 { throw MemFluxError(.err, "frame \(which) offset must not be negative") }
        return .int(n)
    }

    /// The frame of position `i`: positions `start..<end` (empty when the frame is).
    func bounds(_ i: Int, _ c: WindowComputer) throws(MemFluxError) -> (start: Int, end: Int) {
        let s = try position(start, i, c, isStart: true)
        let e = try position(end, i, c, isStart: false)
        return (s, max(s, e))
    }

    /// The frame's positions without the rows EXCLUDE takes out.
    func rows(_ start: Int, _ end: Int, around i: Int, _ p: WindowPartition) -> FrameRows {
        func span(_ lo: Int, _ hi: Int) -> Range<Int> { lo < hi ? lo..<hi : lo..<lo }
        let none = end..<end
        switch exclusion {
        case .noOthers:
            return FrameRows(parts: (start..<end, none, none))
        case .currentRow:
            return FrameRows(parts: (span(start, min(end, i)), span(max(start, i + 1), end), none))
        case .group:
            return FrameRows(parts: (span(start, min(end, p.peerStart(i))), span(max(start, p.peerEnd(i)), end), none))
        case .ties:
            let current = start <= i && i < end ? i..<(i + 1) : none
            return FrameRows(parts: (span(start, min(end, p.peerStart(i))), current, span(max(start, p.peerEnd(i)), end)))
        }
    }

    /// Where a bound puts the frame's start (its first position) or end (one past its last).
    private func position(_ bound: Bound, _ i: Int, _ c: WindowComputer, isStart: Bool) throws(MemFluxError) -> Int {
        let p = c.partition
        let n = p.count
        let offset: SQLValue
        let preceding: Bool
        switch bound {
        case .unboundedPreceding: return 0
        case .unboundedFollowing: return n
        case .currentRow:
            if mode == .rows { return isStart ? i : i + 1 }
            return isStart ? p.peerStart(i) : p.peerEnd(i)
        case .preceding(let v):
            offset = v
            preceding = true
        case .following(let v):
            offset = v
            preceding = false
        }
        if mode == .range { return try rangePosition(offset, preceding: preceding, i, c, isStart: isStart) }
        guard case .int(let distance) = offset else { preconditionFailure("ROWS and GROUPS offsets are bigint") }
        // distance >= 0 and the base is small, so only the sum can overflow: it then lies past the partition.
        let base = Int64(mode == .rows ? i : p.groupOf[i])
        let (sum, overflow) = preceding ? (base - distance, false) : base.addingReportingOverflow(distance)
        if mode == .rows {
            let target = overflow || sum >= Int64(n) ? Int64(n) : sum + (isStart ? 0 : 1)
            return Int(min(max(target, 0), Int64(n)))
        }
        let groups = p.groupStarts.count - 1
        if overflow || sum >= Int64(groups) { return n }
        if sum < 0 { return 0 }
        return p.groupStarts[Int(sum) + (isStart ? 0 : 1)]
    }

    // MARK: RANGE

    private func rangePosition(
        _ offset: SQLValue, preceding: Bool, _ i: Int, _ c: WindowComputer, isStart: Bool
    ) throws(MemFluxError) -> Int {
        let p = c.partition
        let key = c.orderKeys[0]
        func value(_ position: Int) -> SQLValue { c.orderValues[p.row(position)][0] }
        // NULL keys sort together at one end.
        let firstNonNull = key.nullsFirst ? try firstPosition(0..<p.count) { !value($0).isNull } : 0
        let endNonNull = key.nullsFirst ? p.count : try firstPosition(0..<p.count) { value($0).isNull }
        let base = value(i)
        if base.isNull {
            if isStart { return key.nullsFirst ? 0 : endNonNull }
            return key.nullsFirst ? firstNonNull : p.count
        }
        // in_range's flags: subtract the offset or add it; the frame lies at or below the limit, or at or above it.
        var subtract = preceding
        var atOrBelow = !isStart
        if key.descending {
            subtract.toggle()
            atOrBelow.toggle()
        }
        let limit = try EvaluatedFrame.rangeLimit(base, offset, subtract: subtract)
        let nonNull = firstNonNull..<endNonNull
        // The start is the first row in range, the end the first row past it.
        return try firstPosition(nonNull) { (q) throws(MemFluxError) -> Bool in
            try EvaluatedFrame.inRange(value(q), base, limit, atOrBelow: atOrBelow) == isStart
        }
    }

    /// The first position in `range` where `holds` is true (it is false before and true after), else the range's end.
    private func firstPosition(_ range: Range<Int>, _ holds: (Int) throws(MemFluxError) -> Bool) throws(MemFluxError) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = low + (high - low) / 2
            if try holds(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// PostgreSQL's in_range: whether `value` is on the frame's side of `base ± offset` (`limit`, nil when that is every value).
    private static func inRange(_ value: SQLValue, _ base: SQLValue, _ limit: SQLValue?, atOrBelow: Bool) throws(MemFluxError) -> Bool {
        if value.isNaN { return base.isNaN ? true : !atOrBelow }
        if base.isNaN { return atOrBelow }
        guard let limit else { return true }
        let order = try SQLValue.compare(value, limit)
        return atOrBelow ? order <= 0 : order >= 0
    }

    /// `base - offset` or `base + offset`, exact; nil when both are infinite and would make NaN (in_range then holds for all).
    private static func rangeLimit(_ base: SQLValue, _ offset: SQLValue, subtract: Bool) throws(MemFluxError) -> SQLValue? {
        let invalid = MemFluxError(.err, "invalid preceding or following size in window function")
        switch offset {
        case .int(let o) where o < 0: throw invalid
        case .numeric(let o) where o.isNegative: throw invalid
        case .double(let o) where o.isNaN || o < 0: throw invalid
        case .int, .numeric, .double: break
        default: throw unsupported(base, offset)
        }
        switch (base, offset) {
        case (.int(let b), .int(let o)):
            let (sum, overflow) = subtract ? b.subtractingReportingOverflow(o) : b.addingReportingOverflow(o)
            if !overflow { return .int(sum) }
            return .numeric(subtract ? try SQLNumeric(b).subtracting(SQLNumeric(o)) : try SQLNumeric(b).adding(SQLNumeric(o)))
        case (.double, _), (_, .double):
            guard let b = base.asDouble, let o = offset.asDouble else { throw unsupported(base, offset) }
            if o.isInfinite && b.isInfinite && (subtract ? b > 0 : b < 0) { return nil }
            return .double(subtract ? b - o : b + o)
        default:
            guard let b = base.asNumeric, let o = offset.asNumeric else { throw unsupported(base, offset) }
            return .numeric(subtract ? try b.subtracting(o) : try b.adding(o))
        }
    }

    private static func unsupported(_ base: SQLValue, _ offset: SQLValue) -> MemFluxError {
        MemFluxError(
            .err, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                + "\(base.typeForMessages.postgresName) and offset type \(offset.typeForMessages.postgresName)")
    }
}

/// A frame's positions: up to three runs in order, some empty.
struct FrameRows: RandomAccessCollection {
    let parts: (Range<Int>, Range<Int>, Range<Int>)

    var startIndex: Int { 0 }
    var endIndex: Int { 3 }

    subscript(index: Int) -> Range<Int> {
        switch index {
        case 0: parts.0
        case 1: parts.1
        default: parts.2
        }
    }
}

extension SQLValue {
    fileprivate var isNaN: Bool {
        if case .double(let d) = self { return d.isNaN }
        return false
    }

    fileprivate var asDouble: Double? {
        switch self {
        case .int(let n): Double(n)
        case .double(let d): d
        case .numeric(let n): n.doubleValue
        default: nil
        }
    }

    fileprivate var asNumeric: SQLNumeric? {
        switch self {
        case .int(let n): SQLNumeric(n)
        case .numeric(let n): n
        default: nil
        }
    }
}
