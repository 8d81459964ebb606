// Functions the binder introduces itself (they have no SQL name a user can call).

import MemFluxCore

extension Binder {
    /// `profile.city`: a field of a JSON column, as a SQL scalar (so it compares with text and numbers).
    static let jsonMember = ScalarFunction(
        "json member",
        resolve: { (_: [SQLType]) throws(MemFluxError) -> SQLType in .dynamic },
        body: { (args: [SQLValue], _: EvaluationContext) throws(MemFluxError) -> SQLValue in
            guard case .json(let document) = args[0] else { return .null }
            if case .json(let field) = JSONAccess.field(.json(document), args[1], asText: false) {
                return ColumnValue.scalar(field)
            }
            return .null
        })

    /// `x op ANY (array)` / `x op ALL (array)`, with IN's NULL rules.
    static func quantifiedArray(_ op: ComparisonOperator, all: Bool) -> ScalarFunction {
        ScalarFunction(
            all ? "all" : "any",
            resolve: { (_: [SQLType]) throws(MemFluxError) -> SQLType in .boolean },
            body: { (args: [SQLValue], _: EvaluationContext) throws(MemFluxError) -> SQLValue in
                guard case .array(let items) = args[1] else {
                    throw MemFluxError(.err, "op ANY/ALL (array) requires array on right side")
                }
                var sawNull = false
                for item in items {
                    if item.isNull {
                        sawNull = true
                        continue
                    }
                    let holds = op.holds(try SQLValue.compare(args[0], item))
                    if holds != all { return .bool(holds) }
                }
                return sawNull ? .null : .bool(all)
            })
    }
}
