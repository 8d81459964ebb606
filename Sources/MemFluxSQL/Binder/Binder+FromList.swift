// FROM lists: the items of `FROM a, b, c` combined into one plan, LATERAL
// items among them, and which names are relations at all.
//
// An item is lateral when its binder scope saw outer columns: a function in
// FROM reading an earlier item (`unnest(t.tags)`, PostgreSQL makes every
// function in FROM implicitly LATERAL) or a LATERAL subquery. Such an item
// runs once per row of the items before it (PhysicalLateralJoin); every
// other item is planned on its own and joined.

import MemFluxCore
import MemFluxStorage

/// A bound FROM item.
struct FromItem {
    var plan: PhysicalOperator
    /// The item reads outer columns (earlier items' or an enclosing query's), so it must run with an outer row pushed.
    var isLateral = false
}

extension Binder {
    /// The items of one FROM list, cross-joined in order (WHERE then filters and pushes conditions into them).
    func bindFromList(_ items: [TableReference], _ scope: Scope) throws(MemFluxError) -> PhysicalOperator {
        var plan: PhysicalOperator?
        for item in items {
            let right = try bindFrom(item, scope)
            if right.isLateral {
                plan = PhysicalLateralJoin(.inner, plan ?? PhysicalOneRow(), right.plan, condition: nil)
            } else if let left = plan {
                plan = PhysicalNestedLoopJoin(.cross, left, right.plan, condition: nil)
            } else {
                plan = right.plan
            }
        }
        return plan ?? PhysicalOneRow()
    }

    /// `left kind JOIN right ON condition`. A lateral right side runs once per left row. A lateral left side
    /// (it can only read enclosing queries: nothing before it is in the join's scope) runs with an empty
    /// outer row of its own, so that what it reads is as many rows up as its scope counts.
    func joinPlan(
        _ kind: JoinKind, _ left: FromItem, _ right: FromItem, _ condition: BoundExpression?, at position: Int
    ) throws(MemFluxError) -> PhysicalOperator {
        let leftPlan = left.isLateral ? PhysicalLateralJoin(.inner, PhysicalOneRow(), left.plan, condition: nil) : left.plan
        guard right.isLateral else {
            return Rules.join(kind == .cross ? .inner : kind, leftPlan, right.plan, condition, leftWidth: leftPlan.width, binder: self)
        }
        guard kind == .inner || kind == .left || kind == .cross else {
            throw MemFluxError(.err, "the combining JOIN type must be INNER or LEFT for a LATERAL reference", position: position)
        }
        return PhysicalLateralJoin(kind == .left ? .left : .inner, leftPlan, right.plan, condition: condition)
    }
}
