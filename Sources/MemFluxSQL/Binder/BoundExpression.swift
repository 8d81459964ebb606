// BoundExpression: an expression after name resolution. Columns are
// positions in the row the operator evaluating it receives (resolved once,
// when the query is bound: no per-row name lookups), functions are resolved
// to their implementation, and every node knows its result type.

import MemFluxCore

public indirect enum BoundExpression: Sendable {
    case constant(SQLValue, SQLType)
    /// The value at this position of the input row.
    case column(Int, SQLType)
    /// A column of an enclosing query's row (a correlated subquery): `depth` 1 is the nearest outer query.
    case outerColumn(depth: Int, index: Int, SQLType)
    /// `$n`, 1-based, cast to the type the context gave it.
    case parameter(Int, SQLType)
    case not(BoundExpression)
    case and(BoundExpression, BoundExpression)
    case or(BoundExpression, BoundExpression)
    case compare(ComparisonOperator, BoundExpression, BoundExpression)
    case arithmetic(BinaryOperator, BoundExpression, BoundExpression, SQLType)
    case negate(BoundExpression, SQLType)
    case concatenate(BoundExpression, BoundExpression)
    case isNull(BoundExpression, negated: Bool)
    case isTruth(BoundExpression, Bool?, negated: Bool)
    case isDistinctFrom(BoundExpression, BoundExpression, negated: Bool)
    case like(BoundExpression, pattern: BoundExpression, escape: BoundExpression?, caseInsensitive: Bool, negated: Bool)
    case inList(BoundExpression, [BoundExpression], negated: Bool)
    case caseWhen(operand: BoundExpression?, branches: [(BoundExpression, BoundExpression)], otherwise: BoundExpression?, SQLType)
    case cast(BoundExpression, SQLType)
    case function(ScalarFunction, [BoundExpression], SQLType)
    case coalesce([BoundExpression], SQLType)
    /// A field of a JSON value (`profile.city`, `->`, `->>`); `asText` answers text rather than JSON.
    case jsonField(BoundExpression, BoundExpression, asText: Bool)
    /// `#>` / `#>>`: a path of keys or indexes.
    case jsonPath(BoundExpression, BoundExpression, asText: Bool)
    case array([BoundExpression], SQLType)
    case element(BoundExpression, BoundExpression, SQLType)
    case subquery(Subquery)

    /// An input column or a constant: evaluating it can neither fail nor differ between two evaluations.
    var isColumnOrConstant: Bool {
        switch self {
        case .column, .constant: true
        default: false
        }
    }

    public var type: SQLType {
        switch self {
        case .constant(_, let t), .column(_, let t), .outerColumn(_, _, let t), .parameter(_, let t): return t
        case .not, .and, .or, .compare, .isNull, .isTruth, .isDistinctFrom, .like, .inList: return .boolean
        case .arithmetic(_, _, _, let t), .negate(_, let t), .caseWhen(_, _, _, let t), .cast(_, let t): return t
        case .function(_, _, let t), .coalesce(_, let t), .array(_, let t), .element(_, _, let t): return t
        case .concatenate(let a, let b):
            // `array || element` (either way round) and `array || array` are arrays.
            if case .array = a.type { return a.type }
            if case .array = b.type { return b.type }
            return .text
        case .jsonField(_, _, let asText), .jsonPath(_, _, let asText): return asText ? .text : .jsonb
        case .subquery(let s): return s.type
        }
    }

    /// True when the expression reads no row, parameter or subquery: it can be evaluated once, at bind time.
    var isConstant: Bool {
        switch self {
        case .constant: return true
        case .column, .outerColumn, .parameter, .subquery: return false
        case .function(let f, let args, _): return f.isDeterministic && args.allSatisfy(\.isConstant)
        default:
            var constant = true
            forEachChild { if !$0.isConstant { constant = false } }
            return constant
        }
    }

    /// Calls `body` with each direct operand.
    func forEachChild(_ body: (BoundExpression) -> Void) {
        switch self {
        case .constant, .column, .outerColumn, .parameter, .subquery: break
        case .not(let e), .negate(let e, _), .isNull(let e, _), .isTruth(let e, _, _), .cast(let e, _): body(e)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b, _),
            .concatenate(let a, let b), .isDistinctFrom(let a, let b, _), .jsonField(let a, let b, _),
            .jsonPath(let a, let b, _), .element(let a, let b, _):
            body(a)
            body(b)
        case .like(let e, let p, let escape, _, _):
            body(e)
            body(p)
            if let escape { body(escape) }
        case .inList(let e, let list, _):
            body(e)
            list.forEach(body)
        case .caseWhen(let operand, let branches, let otherwise, _):
            if let operand { body(operand) }
            for (c, r) in branches {
                body(c)
                body(r)
            }
            if let otherwise { body(otherwise) }
        case .function(_, let args, _), .coalesce(let args, _), .array(let args, _): args.forEach(body)
        }
    }

    /// The input columns the expression reads.
    func referencedColumns(into set: inout Set<Int>) {
        if case .column(let i, _) = self { set.insert(i) }
        forEachChild { $0.referencedColumns(into: &set) }
    }
}

public enum ComparisonOperator: String, Sendable {
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }
}

/// A subquery inside an expression, planned once; run once per execution
/// when it is not correlated, else once per evaluation.
public final class Subquery: @unchecked Sendable {
    // @unchecked: immutable after planning.
    public enum Kind: Sendable {
        /// `(SELECT x ...)`: its one value, NULL when it returns no row; more than one row is an error.
        case scalar
        case exists
        /// `x IN (SELECT ...)` / `x op ANY|ALL (SELECT ...)`.
        case quantified(BoundExpression, ComparisonOperator, all: Bool)
        /// `ARRAY(SELECT ...)`.
        case array
    }

    let plan: PhysicalOperator
    let kind: Kind
    let isCorrelated: Bool
    let type: SQLType

    init(plan: PhysicalOperator, kind: Kind, isCorrelated: Bool, type: SQLType) {
        self.plan = plan
        self.kind = kind
        self.isCorrelated = isCorrelated
        self.type = type
    }
}
