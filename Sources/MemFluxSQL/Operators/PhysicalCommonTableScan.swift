// Reading a WITH query. The query is bound once, where the WITH stands, into
// a CommonTablePlan that every reference shares. A query referenced once is
// run in place by its reference (so a LIMIT above it stops it early); one
// referenced more than once is run once per execution, its rows kept in the
// ExecutionContext for every reference to read, as PostgreSQL materializes
// such CTEs.

import MemFluxCore

/// A bound WITH query, shared by its references.
final class CommonTablePlan: @unchecked Sendable {
    // @unchecked: `references` is counted while the statement is bound; the plan is immutable afterwards.
    let name: String
    let plan: PhysicalOperator
    /// Visible columns, named by the WITH's column list where it gives one.
    let columns: [OutputColumn]
    /// References bound so far.
    var references = 0
    /// The query reads the working table of an enclosing recursive query, whose rows change every iteration.
    let readsWorkingTable: Bool

    init(name: String, plan: PhysicalOperator, columns: [OutputColumn]) {
        self.name = name
        self.plan = plan
        self.columns = columns
        self.readsWorkingTable = plan.contains { $0 is PhysicalWorkingTableScan }
    }

    /// Whether references read rows computed once per execution rather than running the plan each.
    var isMaterialized: Bool { references > 1 && !readsWorkingTable }
}

final class PhysicalCommonTableScan: PhysicalOperator, @unchecked Sendable {
    let table: CommonTablePlan

    init(_ table: CommonTablePlan) {
        self.table = table
        super.init(width: table.plan.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        guard table.isMaterialized else { return try table.plan.run(context, sink) }
        let key = ObjectIdentifier(table)
        let rows: [Row]
        if let kept = context.materializedRows[key] {
            rows = kept
        } else {
            var collected: [Row] = []
            try table.plan.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in
                collected.append(copy row)
                return true
            }
            context.materializedRows[key] = collected
            rows = collected
        }
        for row in rows where try !sink(row) { return }
    }

    override var explainLine: String { "CTEScan on \(table.name)" + (table.isMaterialized ? " (materialized)" : "") }
    override var children: [PhysicalOperator] { [table.plan] }
}

extension PhysicalOperator {
    /// Whether this node or one below it (through its children) satisfies `predicate`.
    func contains(where predicate: (PhysicalOperator) -> Bool) -> Bool {
        if predicate(self) { return true }
        return children.contains { $0.contains(where: predicate) }
    }
}
