// Constant folding, and where it must not fail. The binder evaluates an
// expression of constants once, when it is bound (`1 + 2` becomes 3), and an
// error then is the statement's error, as PostgreSQL's planner reports
// `SELECT 1 / 0` before reading a row. But PostgreSQL's eval_const_expressions
// never looks at what cannot be reached: the arguments of COALESCE after a
// non-NULL constant, the CASE branches after a constant TRUE condition or
// under a constant FALSE one. `coalesce(1, 1 / 0)` is 1. While such a part is
// bound, `foldsLazily` is set and a failing fold leaves the expression
// unfolded, to fail only if a row ever evaluates it.
//
// Input errors of untyped literals (`'x'::int`, `1 = 'x'`) are the parser's in
// PostgreSQL and are never deferred.

import MemFluxCore

extension Binder {
    /// The constant `value()` computes, typed like `expression`; `expression`
    /// itself when that fails while folding lazily.
    func folded(_ expression: BoundExpression, _ value: () throws(MemFluxError) -> SQLValue) throws(MemFluxError) -> BoundExpression {
        do {
            return .constant(try value(), expression.type)
        } catch {
            if foldsLazily { return expression }
            throw error
        }
    }

    /// Runs `body` with lazy folding when `lazily` (or already lazy).
    func bindFoldingLazily<T>(_ lazily: Bool, _ body: () throws(MemFluxError) -> T) throws(MemFluxError) -> T {
        let saved = foldsLazily
        foldsLazily = saved || lazily
        defer { foldsLazily = saved }
        return try body()
    }
}

extension BoundExpression {
    var isConstantTrue: Bool {
        if case .constant(.bool(true), _) = self { return true }
        return false
    }

    /// FALSE or NULL: a CASE condition that is never taken.
    var isConstantFalse: Bool {
        switch self {
        case .constant(.bool(false), _), .constant(.null, _): return true
        default: return false
        }
    }

    var isNonNullConstant: Bool {
        if case .constant(let value, _) = self { return !value.isNull }
        return false
    }
}
