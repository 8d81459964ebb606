// Binding expressions: names to row positions, literals and parameters to
// types from their context (PostgreSQL's "unknown" literals: `id = '5'`
// compares as an integer when id is one), operators and functions to their
// implementations, subqueries to nested plans.

import MemFluxCore

/// Aggregation state while binding the select list, HAVING and ORDER BY of a grouped query.
final class AggregationContext {
    /// The group keys, bound against the FROM scope.
    let keys: [BoundExpression]
    let keyASTs: [Expression]
    /// Aggregate calls found so far; their results follow the keys in the aggregate's output.
    var calls: [AggregateCall] = []
    var callASTs: [FunctionCall] = []

    init(keys: [BoundExpression], keyASTs: [Expression]) {
        self.keys = keys
        self.keyASTs = keyASTs
    }
}

extension Binder {
    func bind(_ e: Expression, _ scope: Scope, aggregation: AggregationContext? = nil) throws(MemFluxError) -> BoundExpression {
        try enter(at: e.position)
        defer { leave() }
        if let aggregation {
            if let i = aggregation.keyASTs.firstIndex(where: { ExpressionShape.same($0, e) }) {
                return .column(i, aggregation.keys[i].type)
            }
            if case .function(let call) = e.kind, call.over == nil, AggregateFunction.named(call.name) != nil {
                return try aggregateReference(call, scope, aggregation, at: e.position)
            }
            if case .column = e.kind {
                let bound = try bind(e, scope)
                if let i = aggregation.keys.firstIndex(where: { ExpressionShape.same($0, bound) }) {
                    return .column(i, aggregation.keys[i].type)
                }
                if case .outerColumn = bound { return bound }
                throw MemFluxError(
                    .err, "column \"\(qualifiedName(bound, e, scope))\" must appear in the GROUP BY clause or be used in an aggregate function",
                    position: e.position)
            }
        }
        switch e.kind {
        case .literal(let v):
            if case .int(let i) = v { return .constant(v, Int32(exactly: i) != nil ? .integer : .bigint) }
            if case .numeric = v { return .constant(v, .numeric(precision: nil, scale: nil)) }
            if case .bool = v { return .constant(v, .boolean) }
            return .constant(v, .unknown)
        case .string(let s): return .constant(.text(s), .unknown)
        case .typedString(let type, let s):
            return .constant(try withPosition(e.position) { () throws(MemFluxError) in try SQLCast.cast(.text(s), to: type, explicit: true) }, type)
        case .parameter(let n): return .parameter(n, parameterTypes[n] ?? .unknown)
        case .column(let parts): return try bindColumn(parts, scope, at: e.position)
        case .unary(let op, let operand):
            let a = try bind(operand, scope, aggregation: aggregation)
            switch op {
            case .not: return .not(try boolean(a, "NOT", at: operand.position))
            case .plus: return a
            case .negate:
                if case .constant(.int(let i), _) = a, i != Int64.min { return .constant(.int(-i), Int32(exactly: -i) != nil ? .integer : .bigint) }
                if case .constant(.numeric(let n), let t) = a { return .constant(.numeric(n.negated()), t) }
                if case .constant(_, .unknown) = a {
                    throw MemFluxError(.err, "operator is not unique: - unknown", position: e.position)
                }
                if a.type != .unknown && a.type != .dynamic && TypeCategory(a.type) != .numeric {
                    throw MemFluxError(.err, "operator does not exist: - \(a.type.postgresName)", position: e.position)
                }
                let type = a.type == .unknown ? SQLType.double : a.type
                return .negate(retype(a, type), type)
            }
        case .binary(let op, let l, let r):
            return try bindBinary(op, l, r, scope, aggregation, at: e.position)
        case .function(let call):
            return try bindFunction(call, scope, aggregation, at: e.position)
        case .cast(let operand, let type):
            let a = try bind(operand, scope, aggregation: aggregation)
            if case .constant(let v, let source) = a {
                if v.isNull { return .constant(.null, type) }
                // An untyped literal is read by the type's input function now, as PostgreSQL's parser does.
                if source == .unknown {
                    return .constant(try withPosition(e.position) { () throws(MemFluxError) in try SQLCast.cast(v, from: source, to: type, explicit: true) }, type)
                }
                return try folded(.cast(a, type)) { () throws(MemFluxError) in try SQLCast.cast(v, from: source, to: type, explicit: true) }
            }
            if case .parameter(let n, .unknown) = a {
                parameterTypes[n] = type
                return .parameter(n, type)
            }
            return .cast(a, type)
        case .caseWhen(let operand, let branches, let otherwise):
            var boundOperand = try operand.map { (o) throws(MemFluxError) in try bind(o, scope, aggregation: aggregation) }
            var conditions: [BoundExpression] = []
            var results: [BoundExpression] = []
            // Branches PostgreSQL's constant folding never reaches (after a constant TRUE
            // condition, or under a constant FALSE one) do not fail for folding their constants.
            var reachable = true
            for b in branches {
                var c = try bind(b.condition, scope, aggregation: aggregation)
                if let o = boundOperand {
                    (boundOperand, c) = try unify(o, c, at: b.condition.position)
                } else {
                    c = try boolean(c, "CASE/WHEN", at: b.condition.position)
                }
                conditions.append(c)
                let taken = reachable && !(boundOperand == nil && c.isConstantFalse)
                results.append(try bindFoldingLazily(!taken) { () throws(MemFluxError) in try bind(b.result, scope, aggregation: aggregation) })
                if boundOperand == nil && c.isConstantTrue { reachable = false }
            }
            var elseResult = try otherwise.map { (o) throws(MemFluxError) in
                try bindFoldingLazily(!reachable) { () throws(MemFluxError) in try bind(o, scope, aggregation: aggregation) }
            }
            // PostgreSQL weighs the ELSE result first (transformCaseExpr), which shows in the error.
            let type = try commonType((elseResult.map { [$0.type] } ?? []) + results.map(\.type), context: "CASE", at: e.position)
            results = try results.map { (r) throws(MemFluxError) in try strictRetype(r, type, at: e.position) }
            elseResult = try elseResult.map { (r) throws(MemFluxError) in try strictRetype(r, type, at: e.position) }
            return .caseWhen(operand: boundOperand, branches: Array(zip(conditions, results)), otherwise: elseResult, type)
        case .isNull(let operand, let negated):
            return .isNull(try bind(operand, scope, aggregation: aggregation), negated: negated)
        case .isTruth(let operand, let value, let negated):
            return .isTruth(try boolean(try bind(operand, scope, aggregation: aggregation), "IS", at: operand.position), value, negated: negated)
        case .isDistinctFrom(let l, let r, let negated):
            let (a, b) = try unify(try bind(l, scope, aggregation: aggregation), try bind(r, scope, aggregation: aggregation), at: e.position)
            return .isDistinctFrom(a, b, negated: negated)
        case .between(let operand, let low, let high, let negated, let symmetric):
            let x = try bind(operand, scope, aggregation: aggregation)
            let (x1, lo) = try unify(x, try bind(low, scope, aggregation: aggregation), operator: ">=", at: low.position)
            let (x2, hi) = try unify(x, try bind(high, scope, aggregation: aggregation), operator: "<=", at: high.position)
            var range: BoundExpression = .and(.compare(.greaterOrEqual, x1, lo), .compare(.lessOrEqual, x2, hi))
            if symmetric { range = .or(range, .and(.compare(.greaterOrEqual, x1, hi), .compare(.lessOrEqual, x2, lo))) }
            return negated ? .not(range) : range
        case .like(let operand, let pattern, let escape, let caseInsensitive, let negated):
            let boundOperand = try bind(operand, scope, aggregation: aggregation)
            let boundPattern = try bind(pattern, scope, aggregation: aggregation)
            try checkPatternMatch(
                boundOperand.type, boundPattern.type, caseInsensitive: caseInsensitive, negated: negated, hasEscape: escape != nil,
                at: e.position)
            let x = retype(boundOperand, .text)
            let p = retype(boundPattern, .text)
            let esc = try escape.map { (x) throws(MemFluxError) in retype(try bind(x, scope, aggregation: aggregation), .text) }
            return .like(x, pattern: p, escape: esc, caseInsensitive: caseInsensitive, negated: negated)
        case .inList(let operand, let list, let negated):
            var x = try bind(operand, scope, aggregation: aggregation)
            var items: [BoundExpression] = []
            for item in list {
                let (x2, b) = try unify(x, try bind(item, scope, aggregation: aggregation), at: item.position)
                x = x2
                items.append(b)
            }
            return .inList(x, items, negated: negated)
        case .inQuery(let operand, let query, let negated):
            let x = try bind(operand, scope, aggregation: aggregation)
            let s = try subquery(query, scope, kind: .quantified(x, .equal, all: false), at: e.position)
            return negated ? .not(s) : s
        case .exists(let query):
            return try subquery(query, scope, kind: .exists, at: e.position)
        case .subquery(let query):
            return try subquery(query, scope, kind: .scalar, at: e.position)
        case .arrayQuery(let query):
            return try subquery(query, scope, kind: .array, at: e.position)
        case .quantified(let op, let operand, let quantifier, let source):
            guard let comparison = ComparisonOperator(rawValue: op.rawValue) else {
                throw MemFluxError(.err, "operator does not exist: \(op.rawValue)", position: e.position)
            }
            let x = try bind(operand, scope, aggregation: aggregation)
            switch source {
            case .query(let q):
                return try subquery(q, scope, kind: .quantified(x, comparison, all: quantifier == .all), at: e.position)
            case .array(let a):
                let array = try bind(a, scope, aggregation: aggregation)
                return .function(Binder.quantifiedArray(comparison, all: quantifier == .all), [x, array], .boolean)
            }
        case .array(let items):
            let bound = try items.map { (i) throws(MemFluxError) in try bind(i, scope, aggregation: aggregation) }
            let element = try commonType(bound.map(\.type), context: "ARRAY", at: e.position)
            return .array(bound.map { retype($0, element) }, .array(element == .unknown ? .text : element))
        case .element(let base, let index):
            let a = try bind(base, scope, aggregation: aggregation)
            let i = retype(try bind(index, scope, aggregation: aggregation), .integer)
            var element: SQLType = .dynamic
            if case .array(let t) = a.type { element = t }
            return .element(a, i, element)
        case .row:
            throw MemFluxError(.err, "row constructors are not supported here", position: e.position)
        case .defaultValue:
            throw MemFluxError(.err, "DEFAULT is not allowed in this context", position: e.position)
        case .specialFunction(let f):
            guard let function = ScalarFunctions.lookup(f.rawValue) else {
                throw MemFluxError(.err, "function \(f.rawValue) does not exist", position: e.position)
            }
            return .function(function, [], try function.resolve([]))
        }
    }

    /// `table.column` for a column of this scope, as PostgreSQL names it in errors.
    private func qualifiedName(_ bound: BoundExpression, _ e: Expression, _ scope: Scope) -> String {
        guard case .column(let i, _) = bound,
            let table = scope.tables.first(where: { i >= $0.offset && i < $0.offset + $0.columns.count })
        else { return ExpressionShape.name(e) }
        return table.name + "." + table.columns[i - table.offset]
    }

    /// A column name: `c`, `t.c`, or a field path into a JSON column (`profile.city`, `t.profile.city`).
    func bindColumn(_ parts: [String], _ scope: Scope, at position: Int) throws(MemFluxError) -> BoundExpression {
        var depth = 0
        var current: Scope? = scope
        while let s = current {
            if let (column, rest) = try resolveIn(s, parts) {
                var e: BoundExpression = depth == 0 ? .column(column.index, column.type) : .outerColumn(depth: depth, index: column.index, column.type)
                for field in rest { e = .function(Binder.jsonMember, [e, .constant(.text(field), .text)], .dynamic) }
                if depth > 0 {
                    var s: Scope? = scope
                    for _ in 0..<depth { s?.usesOuter = true; s = s?.parent }
                }
                return e
            }
            current = s.parent
            depth += 1
        }
        if parts.count > 1, !scope.hasTable(parts[0]) {
            throw scope.missingTable(parts[0], at: position)
        }
        throw MemFluxError(.err, "column \"\(parts.joined(separator: "."))\" does not exist", position: position)
    }

    private func resolveIn(_ scope: Scope, _ parts: [String]) throws(MemFluxError) -> ((index: Int, type: SQLType), ArraySlice<String>)? {
        if parts.count >= 2, scope.hasTable(parts[0]) {
            guard let c = try scope.resolve(parts[1], qualifier: parts[0]) else {
                throw MemFluxError(.err, "column \(parts[0]).\(parts[1]) does not exist")
            }
            return (c, parts.dropFirst(2))
        }
        if let c = try scope.resolve(parts[0], qualifier: nil) { return (c, parts.dropFirst()) }
        return nil
    }

    // MARK: Types

    /// Gives an untyped literal or parameter the type its context expects.
    func retype(_ e: BoundExpression, _ type: SQLType) -> BoundExpression {
        switch e {
        case .constant(let v, .unknown) where type != .unknown && type != .dynamic:
            if v.isNull { return .constant(.null, type) }
            if let cast = try? SQLCast.cast(v, to: type, explicit: false) { return .constant(cast, type) }
            return .cast(e, type)
        case .parameter(let n, .unknown) where type != .unknown:
            parameterTypes[n] = type
            return .parameter(n, type)
        default:
            return e
        }
    }

    /// Both operands of a comparison in comparable types: an untyped side takes the other's type.
    /// `operator` names the comparison in the error (`operator does not exist: text >= integer`).
    func unify(
        _ a: BoundExpression, _ b: BoundExpression, operator: String = "=", at position: Int
    ) throws(MemFluxError) -> (BoundExpression, BoundExpression) {
        let (ta, tb) = (a.type, b.type)
        // A number constant meeting a float column becomes a float once, here, as PostgreSQL casts
        // it (float8 > numeric compares as float8), instead of converting on every row.
        if let (x, y) = floatConstant(a, b) { return (x, y) }
        if let (y, x) = floatConstant(b, a) { return (x, y) }
        if ta == .unknown && tb != .unknown { return characterComparison(try strictRetype(a, tb, at: position), b) }
        if tb == .unknown && ta != .unknown { return characterComparison(a, try strictRetype(b, ta, at: position)) }
        if ta != .dynamic, tb != .dynamic, ta != .unknown, TypeCategory(ta) != TypeCategory(tb) {
            throw MemFluxError(.err, "operator does not exist: \(ta.postgresName) \(`operator`) \(tb.postgresName)", position: position)
        }
        return characterComparison(a, b)
    }

    private func floatConstant(_ column: BoundExpression, _ constant: BoundExpression) -> (BoundExpression, BoundExpression)? {
        guard column.type == .double || column.type == .real, case .constant(let v, let t) = constant,
            t != column.type, TypeCategory(t) == .numeric, let cast = try? SQLCast.cast(v, from: t, to: column.type)
        else { return nil }
        return (column, .constant(cast, column.type))
    }

    /// `retype`, but a literal that cannot take the type is PostgreSQL's input error (`invalid input syntax for type integer: "x"`).
    func strictRetype(_ e: BoundExpression, _ type: SQLType, at position: Int) throws(MemFluxError) -> BoundExpression {
        if case .constant(let v, .unknown) = e, type != .dynamic, !v.isNull {
            return .constant(try withPosition(position) { () throws(MemFluxError) in try SQLCast.cast(v, to: type, explicit: false) }, type)
        }
        return retype(e, type)
    }

    func boolean(_ e: BoundExpression, _ context: String, at position: Int) throws(MemFluxError) -> BoundExpression {
        let e = try strictRetype(e, .boolean, at: position)
        switch e.type {
        case .boolean, .dynamic, .unknown: return e
        default:
            throw MemFluxError(.err, "argument of \(context) must be type boolean, not type \(e.type.postgresName)", position: position)
        }
    }

    /// The type CASE branches, COALESCE arguments or ARRAY elements resolve to: PostgreSQL's
    /// select_common_type (ConditionalFunctions.commonType). One declared type shared by
    /// every branch keeps its modifiers; mixed types lose them, so COALESCE(numeric(5,2)
    /// column, 0) gives the 0 as plain numeric 0, not 0.00.
    func commonType(_ types: [SQLType], context: String, at position: Int) throws(MemFluxError) -> SQLType {
        let known = types.filter { $0 != .unknown }
        if let first = known.first, known.allSatisfy({ $0 == first }) { return first }
        if types.isEmpty { return .unknown }
        return try withPosition(position) { () throws(MemFluxError) in try ConditionalFunctions.commonType(types, construct: context) }
    }
}

/// Broad type classes: values of one class compare with each other.
enum TypeCategory: Equatable {
    case numeric, string, boolean, datetime, uuid, bytes, json, array, other

    init(_ type: SQLType) {
        switch type {
        case .smallint, .integer, .bigint, .real, .double, .numeric: self = .numeric
        case .text, .varchar, .char, .unknown: self = .string
        case .boolean: self = .boolean
        case .timestamp, .timestamptz, .date, .time: self = .datetime
        case .uuid: self = .uuid
        case .bytea: self = .bytes
        case .json, .jsonb, .dynamic: self = .json
        case .array: self = .array
        }
    }
}
