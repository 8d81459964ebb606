// A join whose right side reads the left side's columns: a LATERAL subquery,
// or a function in FROM given earlier items' columns (`unnest(t.tags)`). The
// right side is run once per left row, with that row pushed as its outer row
// (the right side's binder scope has the left items as its parent, so those
// references are outer columns of depth 1, like a correlated subquery's).
//
// The left row is popped again around each emitted row and the join
// condition: whatever consumes this join, and the condition itself, read
// outer rows as their own scopes count them, without the extra entry.

import MemFluxCore

final class PhysicalLateralJoin: PhysicalOperator, @unchecked Sendable {
    /// `.inner` or `.left` (PostgreSQL allows no other kind for a lateral reference).
    let kind: JoinKind
    let left: PhysicalOperator
    let right: PhysicalOperator
    /// The ON condition, over combined rows.
    let condition: BoundExpression?

    init(_ kind: JoinKind, _ left: PhysicalOperator, _ right: PhysicalOperator, condition: BoundExpression?) {
        precondition(kind == .inner || kind == .left, "a lateral join is inner or left")
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
        super.init(width: left.width + right.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let right = self.right
        let condition = self.condition
        let padsUnmatched = kind == .left
        let rightNulls = Row(repeating: .null, count: right.width)
        try left.run(context) { (l: borrowing Row) throws(MemFluxError) -> Bool in
            let leftRow = copy l
            var matched = false
            var stopped = false
            context.pushOuter(leftRow)
            defer { context.popOuter() }
            try right.run(context) { (r: borrowing Row) throws(MemFluxError) -> Bool in
                let combined = leftRow + r
                context.popOuter()
                defer { context.pushOuter(leftRow) }
                if let condition, try !condition.isSatisfied(combined, context) { return true }
                matched = true
                if try !sink(combined) {
                    stopped = true
                    return false
                }
                return true
            }
            if stopped { return false }
            if !matched && padsUnmatched {
                context.popOuter()
                defer { context.pushOuter(leftRow) }
                return try sink(leftRow + rightNulls)
            }
            return true
        }
    }

    override var explainLine: String { "LateralJoin (\(kind.rawValue.lowercased()))" }
    override var children: [PhysicalOperator] { [left, right] }
}
