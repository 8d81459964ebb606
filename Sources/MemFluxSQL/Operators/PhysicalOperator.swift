// PhysicalOperator: one node of an executable plan. Execution is push-based:
// `run` produces the node's rows into a sink, pulling from its children by
// running them with sinks of its own. A sink answers false to stop the
// producer early (LIMIT, EXISTS, a first match), so nothing is produced that
// no one reads. Rows are passed borrowed; an operator copies one only when
// it must keep it (a hash table, a sort buffer).
//
// Operators are classes with overridden methods (one vtable call per row and
// node), not existentials. They hold no per-execution state, so a plan can
// be cached and run again; what one execution needs lives in `run`'s locals
// or the ExecutionContext.

import MemFluxCore

class PhysicalOperator: @unchecked Sendable {
    // @unchecked: immutable after planning.
    /// Number of values in each produced row.
    let width: Int

    init(width: Int) {
        self.width = width
    }

    func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        preconditionFailure("\(type(of: self)) must override run")
    }

    /// The operator's EXPLAIN line (without indentation).
    var explainLine: String { "\(type(of: self))" }

    var children: [PhysicalOperator] { [] }

    /// The plan under this node, one operator per line, children indented.
    func explain(indent: Int = 0, into lines: inout [String]) {
        lines.append(String(repeating: "  ", count: indent) + (indent > 0 ? "-> " : "") + explainLine)
        for child in children { child.explain(indent: indent + 1, into: &lines) }
    }
}

/// Produces one row of no columns: the FROM of `SELECT 1`.
final class PhysicalOneRow: PhysicalOperator, @unchecked Sendable {
    init() { super.init(width: 0) }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        _ = try sink([])
    }

    override var explainLine: String { "Result" }
}

/// VALUES (...), (...): each row's expressions evaluated in order.
final class PhysicalValues: PhysicalOperator, @unchecked Sendable {
    let rows: [[BoundExpression]]

    init(rows: [[BoundExpression]], width: Int) {
        self.rows = rows
        super.init(width: width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let empty: Row = []
        for expressions in rows {
            var row: Row = []
            row.reserveCapacity(expressions.count)
            for e in expressions { row.append(try e.evaluate(empty, context)) }
            if try !sink(row) { return }
        }
    }

    override var explainLine: String { "Values (\(rows.count) rows)" }
}

final class PhysicalFilter: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let condition: BoundExpression

    init(_ input: PhysicalOperator, _ condition: BoundExpression) {
        self.input = input
        self.condition = condition
        super.init(width: input.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let passes = condition.condition(context)
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            guard try passes(row) else { return true }
            return try sink(row)
        }
    }

    override var explainLine: String { "Filter" }
    override var children: [PhysicalOperator] { [input] }
}

/// Evaluates the select list (and hidden sort keys) for each input row.
final class PhysicalProject: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let expressions: [BoundExpression]

    init(_ input: PhysicalOperator, _ expressions: [BoundExpression]) {
        self.input = input
        self.expressions = expressions
        super.init(width: expressions.count)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let expressions = self.expressions
        // One buffer for every output row: a sink that keeps a row holds a
        // reference to it, and the next row then gets a buffer of its own.
        var out: Row = []
        out.reserveCapacity(expressions.count)
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            out.removeAll(keepingCapacity: true)
            for e in expressions { out.append(try e.evaluate(row, context)) }
            return try sink(out)
        }
    }

    override var explainLine: String { "Project (\(expressions.count) columns)" }
    override var children: [PhysicalOperator] { [input] }
}

/// LIMIT / OFFSET, evaluated once per execution (they may be parameters).
final class PhysicalLimit: PhysicalOperator, @unchecked Sendable {
    let input: PhysicalOperator
    let limit: BoundExpression?
    let offset: BoundExpression?

    init(_ input: PhysicalOperator, limit: BoundExpression?, offset: BoundExpression?) {
        self.input = input
        self.limit = limit
        self.offset = offset
        super.init(width: input.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let (limit, offset) = try PhysicalLimit.evaluate(limit: limit, offset: offset, context)
        if limit == 0 { return }
        var skipped: Int64 = 0
        var produced: Int64 = 0
        try input.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
            if skipped < offset {
                skipped += 1
                return true
            }
            produced += 1
            guard try sink(row) else { return false }
            return limit.map { produced < $0 } ?? true
        }
    }

    /// LIMIT (nil = none) and OFFSET as counts, with PostgreSQL's errors for negative ones.
    static func evaluate(
        limit: BoundExpression?, offset: BoundExpression?, _ context: ExecutionContext
    ) throws(MemFluxError) -> (limit: Int64?, offset: Int64) {
        var limitCount: Int64?
        if let limit {
            switch try SQLCast.cast(try limit.evaluate([], context), to: .bigint, explicit: false) {
            case .int(let n):
                guard n >= 0 else { throw MemFluxError(.err, "LIMIT must not be negative") }
                limitCount = n
            default: limitCount = nil
            }
        }
        var offsetCount: Int64 = 0
        if let offset {
            if case .int(let n) = try SQLCast.cast(try offset.evaluate([], context), to: .bigint, explicit: false) {
                guard n >= 0 else { throw MemFluxError(.err, "OFFSET must not be negative") }
                offsetCount = n
            }
        }
        return (limitCount, offsetCount)
    }

    override var explainLine: String { "Limit" }
    override var children: [PhysicalOperator] { [input] }
}
