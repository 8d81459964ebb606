// ORDER BY: a full sort, or a top-N (ORDER BY ... LIMIT n keeps only the n
// best rows in a bounded heap: O(rows · log n) time, O(n) memory). NULLs
// sort last ascending and first descending unless NULLS FIRST/LAST says
// otherwise. The sort is stable, so ties keep their input order.

import MemFluxCore
import MemFluxStorage

struct SortKey: @unchecked Sendable {
    var expression: BoundExpression
    var descending: Bool
    var nullsFirst: Bool

    /// Orders two rows of precomputed key values.
    static func compare(_ a: Row, _ b: Row, _ keys: [SortKey]) throws(MemFluxError) -> Int {
        for (i, key) in keys.enumerated() {
            let order = try key.compare(a[i], b[i])
            if order != 0 { return order }
        }
        return 0
    }

    /// Orders two values of this key.
    @inline(__always)
    func compare(_ x: SQLValue, _ y: SQLValue) throws(MemFluxError) -> Int {
        switch (x.isNull, y.isNull) {
        case (true, true): return 0
        case (true, false): return nullsFirst ? -1 : 1
        case (false, true): return nullsFirst ? 1 : -1
        case (false, false):
            let order = try SQLValue.compare(x, y)
            return descending ? -order : order
        }
    }
}

/// Rows with their sort key values computed once.
private struct SortEntry {
    var keys: Row
    var row: Row
    var sequence: Int
}

/// A top-N on one column shares the worst row it keeps with the scan below
/// it, so that the scan drops a typed row that cannot enter the heap from its
/// stored column alone, before decoding it (see `PhysicalTableScan.cutoff`).
final class TopNCutoff: @unchecked Sendable {
    // @unchecked: written and read by the one statement run that uses it.
    let column: Int
    let descending: Bool
    /// The sort key of the worst row kept while the heap is full and that key is a number; `.other` otherwise.
    private(set) var worst: StoredScalar = .other

    init(column: Int, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    func reset() { worst = .other }

    func keep(_ value: SQLValue) {
        switch value {
        case .int(let x): worst = .int(x)
        case .double(let x): worst = .double(x)
        default: worst = .other
        }
    }

    /// True when the row sorts at or after the worst kept row (a tie never displaces it).
    @inline(__always)
    func excludes(_ row: BorrowedRow) -> Bool {
        guard let order = row.scalar(at: column).order(against: worst) else { return false }
        return (descending ? -order : order) >= 0
    }
}

final class PhysicalSort: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let keys: [SortKey]
    /// With a limit this is a top-N: only `limit + offset` rows are kept.
    let limit: BoundExpression?
    let offset: BoundExpression?
    /// Set when the statement is prepared, for a top-N on one column right
    /// above a scan whose consumers run in place.
    var cutoff: TopNCutoff?

    init(_ input: PhysicalOperator, keys: [SortKey], limit: BoundExpression? = nil, offset: BoundExpression? = nil) {
        self.input = input
        self.keys = keys
        self.limit = limit
        self.offset = offset
        super.init(width: input.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var bound: Int?
        var skip: Int64 = 0
        if limit != nil || offset != nil {
            let (l, o) = try PhysicalLimit.evaluate(limit: limit, offset: offset, context)
            skip = o
            if let l {
                let (sum, overflow) = l.addingReportingOverflow(o)
                bound = overflow || sum > Int64(Int.max / 2) ? nil : Int(sum)
            }
        }
        if bound == 0 { return }
        let cutoff = self.cutoff
        cutoff?.reset()
        let keys = self.keys
        var entries: [SortEntry] = []
        var failure: MemFluxError?
        let before: (SortEntry, SortEntry) -> Bool = { a, b in
            do {
                let order = try SortKey.compare(a.keys, b.keys, keys)
                return order != 0 ? order < 0 : a.sequence < b.sequence
            } catch let error as MemFluxError {
                failure = error
                return false
            } catch {
                failure = MemFluxError(.err, "\(error)")
                return false
            }
        }
        var sequence = 0
        // The keys of the current row; a row the heap rejects costs no allocation.
        var values: Row = []
        values.reserveCapacity(keys.count)
        // ORDER BY one column with a LIMIT: most rows lose to the heap's top on that column alone.
        var singleColumn: (index: Int, key: SortKey)?
        if bound != nil, keys.count == 1, case .column(let i, _) = keys[0].expression { singleColumn = (i, keys[0]) }
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            if let (i, key) = singleColumn, let bound, entries.count == bound, try key.compare(row[i], entries[0].keys[0]) >= 0 {
                sequence += 1
                return true
            }
            values.removeAll(keepingCapacity: true)
            for k in keys { values.append(try k.expression.evaluate(row, context)) }
            sequence += 1
            if let bound {
                // A max-heap of the best `bound` rows: the worst kept row is at the top.
                if entries.count < bound {
                    entries.append(SortEntry(keys: values, row: copy row, sequence: sequence))
                    Heap.siftUp(&entries, entries.count - 1, before)
                } else if try SortKey.compare(values, entries[0].keys, keys) < 0 {
                    // (A tie never displaces the top: the kept row came first.)
                    entries[0] = SortEntry(keys: values, row: copy row, sequence: sequence)
                    Heap.siftDown(&entries, 0, before)
                } else {
                    return true
                }
                if entries.count == bound { cutoff?.keep(entries[0].keys[0]) }
            } else {
                if entries.count >= ExecutionContext.materializedRowLimit { throw ExecutionContext.tooManyRows() }
                entries.append(SortEntry(keys: values, row: copy row, sequence: sequence))
            }
            return true
        }
        if let failure { throw failure }
        entries.sort(by: before)
        if let failure { throw failure }
        for (i, entry) in entries.enumerated() where Int64(i) >= skip {
            if try !sink(entry.row) { return }
        }
    }

    override var explainLine: String { limit == nil ? "Sort" : "TopN" }
    override var children: [PhysicalOperator] { [input] }
}

/// A binary max-heap under `before` (the top is the element every other is before).
private enum Heap {
    static func siftUp<T>(_ a: inout [T], _ i: Int, _ before: (T, T) -> Bool) {
        var child = i
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(a[parent], a[child]) else { return }
            a.swapAt(parent, child)
            child = parent
        }
    }

    static func siftDown<T>(_ a: inout [T], _ i: Int, _ before: (T, T) -> Bool) {
        var parent = i
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var largest = parent
            if left < a.count && before(a[largest], a[left]) { largest = left }
            if right < a.count && before(a[largest], a[right]) { largest = right }
            if largest == parent { return }
            a.swapAt(parent, largest)
            parent = largest
        }
    }
}
