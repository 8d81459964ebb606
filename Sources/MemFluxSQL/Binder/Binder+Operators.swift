// Binding operators, function calls, aggregates and subqueries.

import MemFluxCore

extension Binder {
    func bindBinary(
        _ op: BinaryOperator, _ l: Expression, _ r: Expression, _ scope: Scope, _ aggregation: AggregationContext?, at position: Int
    ) throws(MemFluxError) -> BoundExpression {
        let a = try bind(l, scope, aggregation: aggregation)
        let b = try bind(r, scope, aggregation: aggregation)
        switch op {
        case .and: return .and(try boolean(a, "AND", at: l.position), try boolean(b, "AND", at: r.position))
        case .or: return .or(try boolean(a, "OR", at: l.position), try boolean(b, "OR", at: r.position))
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let comparison = ComparisonOperator(rawValue: op.rawValue) else { preconditionFailure("comparison \(op)") }
            let (x, y) = try unify(a, b, operator: comparison.rawValue, at: position)
            return .compare(comparison, x, y)
        case .add, .subtract, .multiply, .divide, .modulo, .power:
            var x = a
            var y = b
            // Two untyped literals match every numeric operator alike.
            if case .constant(_, .unknown) = x, case .constant(_, .unknown) = y {
                throw MemFluxError(.err, "operator is not unique: unknown \(op.rawValue) unknown", position: position)
            }
            if x.type == .unknown && y.type != .unknown && y.type != .dynamic { x = try strictRetype(x, y.type, at: position) }
            if y.type == .unknown && x.type != .unknown && x.type != .dynamic { y = try strictRetype(y, x.type, at: position) }
            if x.type == .unknown && y.type == .unknown {
                throw MemFluxError(.err, "operator is not unique: unknown \(op.rawValue) unknown", position: position)
            }
            let type: SQLType
            if x.type == .dynamic || y.type == .dynamic {
                type = .dynamic
            } else {
                type = try withPosition(position) { () throws(MemFluxError) in try SQLArithmetic.resultType(op.rawValue, x.type, y.type) }
            }
            if case .constant(let u, _) = x, case .constant(let v, _) = y {
                if u.isNull || v.isNull { return .constant(.null, type) }
                return try folded(.arithmetic(op, x, y, type)) { () throws(MemFluxError) in try Arithmetic.apply(op, u, v, type: type) }
            }
            return .arithmetic(op, x, y, type)
        case .concatenate:
            try checkConcatenation(a.type, b.type, at: position)
            return .concatenate(retype(a, .text), retype(b, .text))
        case .jsonField, .jsonFieldText:
            try checkJSONOperand(op, a.type, b.type, at: position)
            let key = b.type == .unknown ? retype(b, .text) : b
            return .jsonField(a, key, asText: op == .jsonFieldText)
        case .jsonPath, .jsonPathText:
            try checkJSONOperand(op, a.type, b.type, at: position)
            return .jsonPath(a, retype(b, .array(.text)), asText: op == .jsonPathText)
        case .contains, .containedBy, .regexMatch, .regexMatchInsensitive, .regexNotMatch, .regexNotMatchInsensitive:
            let name = Binder.operatorFunctionNames[op] ?? op.rawValue
            guard let f = ScalarFunctions.lookup(name) else {
                throw MemFluxError(.err, "operator does not exist: \(a.type.postgresName) \(op.rawValue) \(b.type.postgresName)", position: position)
            }
            let type = try withPosition(position) { () throws(MemFluxError) in try f.resolve([a.type, b.type]) }
            return .function(f.resolved(for: [a.type, b.type]), [a, b], type)
        }
    }

    static let operatorFunctionNames: [BinaryOperator: String] = [
        .contains: "jsonb_contains", .containedBy: "jsonb_contained",
        .regexMatch: "regexp_like", .regexMatchInsensitive: "regexp_ilike",
        .regexNotMatch: "regexp_not_like", .regexNotMatchInsensitive: "regexp_not_ilike",
    ]

    func bindFunction(
        _ call: FunctionCall, _ scope: Scope, _ aggregation: AggregationContext?, at position: Int
    ) throws(MemFluxError) -> BoundExpression {
        let name = call.name.last ?? ""
        if let over = call.over {
            return try bindWindowFunction(call, over, scope, aggregation, at: position)
        }
        if AggregateFunction.named(call.name) != nil {
            throw MemFluxError(.err, "aggregate functions are not allowed in \(aggregationClause)", position: position)
        }
        if WindowFunctionKind.named(call.name) != nil {
            throw MemFluxError(.err, "window function \(name) requires an OVER clause", position: position)
        }
        if call.isStar { throw MemFluxError(.err, "function \(name)(*) does not exist", position: position) }
        var args: [BoundExpression] = []
        for a in call.arguments {
            // COALESCE never evaluates what follows a non-NULL constant; PostgreSQL drops it when folding.
            let unreachable = name == "coalesce" && args.last?.isNonNullConstant == true
            let bound = try bindFoldingLazily(unreachable) { () throws(MemFluxError) in try bind(a, scope, aggregation: aggregation) }
            if !unreachable { args.append(bound) }
        }
        if name == "coalesce" {
            let type = try commonType(args.map(\.type), context: "COALESCE", at: position)
            return .coalesce(try args.map { (a) throws(MemFluxError) in try strictRetype(a, type, at: position) }, type)
        }
        if name == "greatest" || name == "least" {
            // Untyped literals are read as the common type now (`greatest(1, 'a')` fails on 'a').
            let type = try withPosition(position) { () throws(MemFluxError) in
                try ConditionalFunctions.commonType(args.map(\.type), construct: name.uppercased())
            }
            args = try args.map { (a) throws(MemFluxError) in try strictRetype(a, type, at: position) }
        }
        guard let function = ScalarFunctions.lookup(name) else {
            throw MemFluxError(
                .err, "function \(name)(\(args.map { $0.type.postgresName }.joined(separator: ", "))) does not exist", position: position)
        }
        let argumentTypes = args.map(\.type)
        let type = try withPosition(position) { () throws(MemFluxError) in try function.resolve(argumentTypes) }
        let bound = BoundExpression.function(function.resolved(for: argumentTypes), args, type)
        if function.isDeterministic, args.allSatisfy(\.isConstant) {
            let context = ExecutionContext(keyspace: access, parameters: [], catalog: catalog, statementTime: 0)
            return try folded(bound) { () throws(MemFluxError) in try bound.evaluate([], context) }
        }
        return bound
    }

    /// Where aggregates were found outside a grouped select list (for the error).
    var aggregationClause: String { "WHERE" }

    func aggregateReference(
        _ call: FunctionCall, _ scope: Scope, _ aggregation: AggregationContext, at position: Int
    ) throws(MemFluxError) -> BoundExpression {
        if let i = aggregation.callASTs.firstIndex(where: { ExpressionShape.same($0, call) }) {
            return .column(aggregation.keys.count + i, aggregation.calls[i].type)
        }
        guard let function = AggregateFunction.named(call.name) else { preconditionFailure("not an aggregate") }
        let name = call.name.last ?? ""
        var argument: BoundExpression?
        var argumentType: SQLType?
        var separator: BoundExpression?
        if call.isStar {
            guard function == .count else { throw MemFluxError(.err, "function \(name)(*) does not exist", position: position) }
        } else {
            let expected = function == .stringAgg ? 2 : 1
            guard call.arguments.count == expected else {
                throw MemFluxError(.err, "function \(name) takes \(expected) argument\(expected == 1 ? "" : "s")", position: position)
            }
            // Aggregate arguments are evaluated on the input rows: no nested aggregates.
            let bound = try bindPlain(call.arguments[0], scope, inside: name)
            argumentType = bound.type
            argument = bound
            if function == .stringAgg {
                argument = retype(bound, .text)
                separator = retype(try bindPlain(call.arguments[1], scope, inside: name), .text)
            }
        }
        try rejectWindows(in: call.filter, "FILTER")
        let filter = try call.filter.map { (f) throws(MemFluxError) in try boolean(try bindPlain(f, scope, inside: name), "FILTER", at: f.position) }
        var orderBy: [SortKey] = []
        for item in call.orderBy {
            orderBy.append(SortKey(
                expression: try bindPlain(item.expression, scope, inside: name), descending: item.descending,
                nullsFirst: item.nullsFirst ?? item.descending))
        }
        let resolved = function == .count && call.isStar ? AggregateFunction.countStar : function
        if call.isDistinct, !call.orderBy.allSatisfy({ item in call.arguments.contains { ExpressionShape.same($0, item.expression) } }) {
            throw MemFluxError(.err, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list", position: position)
        }
        let type = try AggregateFunction.resultType(resolved, argumentType, at: position)
        aggregation.calls.append(AggregateCall(
            function: resolved, argument: argument, separator: separator, isDistinct: call.isDistinct, filter: filter,
            orderBy: orderBy, type: type))
        aggregation.callASTs.append(call)
        return .column(aggregation.keys.count + aggregation.calls.count - 1, type)
    }

    private func bindPlain(_ e: Expression, _ scope: Scope, inside name: String) throws(MemFluxError) -> BoundExpression {
        if ExpressionShape.containsAggregate(e) {
            throw MemFluxError(.err, "aggregate function calls cannot be nested", position: e.position)
        }
        if ExpressionShape.containsWindow(e) {
            throw MemFluxError(.err, "aggregate function calls cannot contain window function calls", position: e.position)
        }
        return try bind(e, scope)
    }

    func subquery(_ query: Query, _ scope: Scope, kind: Subquery.Kind, at position: Int) throws(MemFluxError) -> BoundExpression {
        let inner = Scope(parent: scope)
        let bound = try bindQuery(query, inner)
        var kind = kind
        var type: SQLType = .boolean
        switch kind {
        case .scalar, .array:
            guard bound.columns.count == 1 else { throw MemFluxError(.err, "subquery must return only one column", position: position) }
            type = bound.columns[0].type
            if case .array = kind { type = .array(type) }
        case .quantified(let probe, let op, let all):
            guard bound.columns.count == 1 else { throw MemFluxError(.err, "subquery has too many columns", position: position) }
            // The probe compares with the subquery's column as the operator would (`integer = text` does not exist).
            let (typedProbe, _) = try unify(probe, .column(0, bound.columns[0].type), operator: op.rawValue, at: position)
            kind = .quantified(typedProbe, op, all: all)
        case .exists:
            break
        }
        return .subquery(Subquery(plan: bound.plan, kind: kind, isCorrelated: inner.usesOuter, type: type))
    }
}

extension AggregateFunction {
    static func named(_ name: [String]) -> AggregateFunction? {
        guard name.count == 1 else { return nil }
        switch name[0] {
        case "count": return .count
        case "sum": return .sum
        case "avg": return .avg
        case "min": return .min
        case "max": return .max
        case "string_agg": return .stringAgg
        case "array_agg": return .arrayAgg
        case "bool_and", "every": return .boolAnd
        case "bool_or": return .boolOr
        default: return nil
        }
    }

    /// PostgreSQL's result types: SUM of smallint/integer is bigint, of bigint numeric; AVG of integers numeric.
    static func resultType(_ f: AggregateFunction, _ argument: SQLType?, at position: Int) throws(MemFluxError) -> SQLType {
        let t = argument ?? .unknown
        switch f {
        case .countStar, .count: return .bigint
        case .sum:
            switch t {
            case .smallint, .integer: return .bigint
            case .bigint, .numeric: return .numeric(precision: nil, scale: nil)
            case .real: return .real
            case .double: return .double
            case .dynamic: return .dynamic
            case .unknown: return .double
            default: throw MemFluxError(.err, "function sum(\(t.postgresName)) does not exist", position: position)
            }
        case .avg:
            switch t {
            case .smallint, .integer, .bigint, .numeric: return .numeric(precision: nil, scale: nil)
            case .real, .double, .unknown: return .double
            case .dynamic: return .dynamic
            default: throw MemFluxError(.err, "function avg(\(t.postgresName)) does not exist", position: position)
            }
        case .min, .max:
            switch t {
            case .boolean, .json, .jsonb:
                throw MemFluxError(.err, "function \(f.rawValue)(\(t.postgresName)) does not exist", position: position)
            default: return t == .unknown ? .text : t
            }
        case .stringAgg:
            switch TypeCategory(t) {
            case .string, .bytes, .json: return t == .bytea ? .bytea : .text
            default: throw MemFluxError(.err, "function string_agg(\(t.postgresName), unknown) does not exist", position: position)
            }
        case .arrayAgg: return .array(t == .unknown ? .text : t)
        case .boolAnd, .boolOr:
            switch t {
            case .boolean, .dynamic, .unknown: return .boolean
            default: throw MemFluxError(.err, "function \(f.rawValue)(\(t.postgresName)) does not exist", position: position)
            }
        }
    }
}
