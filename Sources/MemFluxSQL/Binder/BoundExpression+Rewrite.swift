// Rewriting bound expressions: moving a condition below a join shifts the
// positions of the columns it reads.

import MemFluxCore

extension BoundExpression {
    func shiftingColumns(by delta: Int) -> BoundExpression {
        mapped { e in
            if case .column(let i, let t) = e { return .column(i + delta, t) }
            return nil
        }
    }

    /// The expression with `transform` applied bottom-up wherever it answers a replacement.
    func mapped(_ transform: (BoundExpression) -> BoundExpression?) -> BoundExpression {
        if let replaced = transform(self) { return replaced }
        func m(_ e: BoundExpression) -> BoundExpression { e.mapped(transform) }
        switch self {
        case .constant, .column, .outerColumn, .parameter, .subquery: return self
        case .not(let e): return .not(m(e))
        case .and(let a, let b): return .and(m(a), m(b))
        case .or(let a, let b): return .or(m(a), m(b))
        case .compare(let op, let a, let b): return .compare(op, m(a), m(b))
        case .arithmetic(let op, let a, let b, let t): return .arithmetic(op, m(a), m(b), t)
        case .negate(let e, let t): return .negate(m(e), t)
        case .concatenate(let a, let b): return .concatenate(m(a), m(b))
        case .isNull(let e, let n): return .isNull(m(e), negated: n)
        case .isTruth(let e, let v, let n): return .isTruth(m(e), v, negated: n)
        case .isDistinctFrom(let a, let b, let n): return .isDistinctFrom(m(a), m(b), negated: n)
        case .like(let e, let p, let escape, let ci, let n):
            return .like(m(e), pattern: m(p), escape: escape.map(m), caseInsensitive: ci, negated: n)
        case .inList(let e, let list, let n): return .inList(m(e), list.map(m), negated: n)
        case .caseWhen(let operand, let branches, let otherwise, let t):
            return .caseWhen(operand: operand.map(m), branches: branches.map { (m($0.0), m($0.1)) }, otherwise: otherwise.map(m), t)
        case .cast(let e, let t): return .cast(m(e), t)
        case .function(let f, let args, let t): return .function(f, args.map(m), t)
        case .coalesce(let args, let t): return .coalesce(args.map(m), t)
        case .jsonField(let a, let b, let asText): return .jsonField(m(a), m(b), asText: asText)
        case .jsonPath(let a, let b, let asText): return .jsonPath(m(a), m(b), asText: asText)
        case .array(let items, let t): return .array(items.map(m), t)
        case .element(let a, let b, let t): return .element(m(a), m(b), t)
        }
    }
}
