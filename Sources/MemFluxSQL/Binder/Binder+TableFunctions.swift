// Binding functions in FROM: generate_series and unnest with PostgreSQL's
// overloads and column names, any scalar function as a one-row table.
// GRAPH_MATCH comes with the graph interop.
//
// Arguments are bound in a scope whose parent holds the FROM items before
// this one, so they may read those items' columns (PostgreSQL treats a
// function in FROM as LATERAL); the item is then lateral (Binder+FromList).
//
// Column names follow PostgreSQL: a function of one column names it after
// the alias when there is one (`generate_series(1, 3) AS n` has a column
// `n`), else after the function; `AS t(a, b)` names them all.

import MemFluxCore

extension Binder {
    func bindTableFunction(_ call: FunctionCall, alias: TableAlias?, _ scope: Scope, at position: Int) throws(MemFluxError) -> FromItem {
        let name = call.name.last ?? ""
        if name == "graph_match" {
            throw MemFluxError(.err, "function graph_match in FROM is not supported yet", position: position)
        }
        if call.over != nil {
            throw MemFluxError(.err, "window functions are not allowed in functions in FROM", position: position)
        }
        if AggregateFunction.named(call.name) != nil || call.arguments.contains(where: ExpressionShape.containsAggregate) {
            throw MemFluxError(.err, "aggregate functions are not allowed in functions in FROM", position: position)
        }
        let local = Scope(parent: scope)
        let function: TableFunction
        var arguments: [BoundExpression]
        var types: [SQLType]
        switch call.name.count == 1 ? name : "" {
        case "generate_series":
            arguments = try call.arguments.map { (e) throws(MemFluxError) in try bind(e, local) }
            let type: SQLType
            (function, type) = try seriesOverload(&arguments, at: position)
            types = [type]
        case "unnest":
            arguments = try call.arguments.map { (e) throws(MemFluxError) in try bind(e, local) }
            types = try unnestTypes(arguments, at: position)
            function = .unnest
        default:
            let bound = try bind(Expression(.function(call), at: position), local)
            arguments = [bound]
            types = [bound.type == .unknown ? .text : bound.type]
            function = .scalar
        }
        var names = types.count == 1 ? [alias?.name ?? name] : Array(repeating: name, count: types.count)
        if let alias, !alias.columns.isEmpty {
            guard alias.columns.count <= names.count else {
                throw MemFluxError(
                    .err, "table \"\(alias.name)\" has \(names.count) columns available but \(alias.columns.count) columns specified",
                    position: position)
            }
            names.replaceSubrange(0..<alias.columns.count, with: alias.columns)
        }
        try scope.add(ScopeTable(name: alias?.name ?? name, columns: names, types: types, offset: scope.width))
        let plan = PhysicalTableFunction(function, name: name, arguments: arguments, width: types.count)
        return FromItem(plan: plan, isLateral: local.usesOuter)
    }

    /// generate_series's overload for these arguments (integer, bigint, numeric, timestamp, timestamptz),
    /// with the arguments converted to it; the result type is the overload's.
    private func seriesOverload(_ arguments: inout [BoundExpression], at position: Int) throws(MemFluxError) -> (TableFunction, SQLType) {
        let missing = MemFluxError(
            .err, "function generate_series(\(arguments.map { $0.type.postgresName }.joined(separator: ", "))) does not exist",
            position: position)
        guard arguments.count == 2 || arguments.count == 3 else { throw missing }
        // Schemaless values and untyped literals take the type the other arguments choose.
        let bounds = arguments[0..<2].map(\.type).filter { $0 != .unknown && $0 != .dynamic }
        if bounds.contains(where: { TypeCategory($0) == .datetime }) {
            guard arguments.count == 3, bounds.allSatisfy({ $0 == .timestamp || $0 == .timestamptz || $0 == .date }),
                arguments[2].type == .unknown
            else { throw missing }
            // A date is widened to timestamptz, PostgreSQL's preferred date/time type.
            let withZone = bounds.contains { $0 != .timestamp }
            let type: SQLType = withZone ? .timestamptz : .timestamp
            arguments[0] = converted(arguments[0], to: type)
            arguments[1] = converted(arguments[1], to: type)
            arguments[2] = retype(arguments[2], .text)
            return (.timestampSeries(withZone: withZone), type)
        }
        let numbers = arguments.map(\.type).filter { $0 != .unknown && $0 != .dynamic }
        guard numbers.allSatisfy({ [.smallint, .integer, .bigint].contains($0) || $0.withoutModifiers == .numeric(precision: nil, scale: nil) })
        else { throw missing }
        let type: SQLType
        if numbers.contains(where: { $0.withoutModifiers == .numeric(precision: nil, scale: nil) }) {
            type = .numeric(precision: nil, scale: nil)
        } else {
            type = numbers.contains(.bigint) ? .bigint : .integer
        }
        for i in arguments.indices { arguments[i] = converted(arguments[i], to: type) }
        return (type == .bigint || type == .integer ? .integerSeries : .numericSeries, type)
    }

    /// One column per array argument, of its element type.
    private func unnestTypes(_ arguments: [BoundExpression], at position: Int) throws(MemFluxError) -> [SQLType] {
        let signature = "unnest(\(arguments.map { $0.type.postgresName }.joined(separator: ", ")))"
        guard !arguments.isEmpty else { throw MemFluxError(.err, "function \(signature) does not exist", position: position) }
        var types: [SQLType] = []
        for argument in arguments {
            switch argument.type {
            case .array(var element):
                while case .array(let inner) = element { element = inner }
                types.append(element)
            case .dynamic:
                types.append(.dynamic)
            case .unknown:
                throw MemFluxError(.err, "function \(signature) is not unique", position: position)
            default:
                throw MemFluxError(.err, "function \(signature) does not exist", position: position)
            }
        }
        return types
    }

    /// `e` as a value of `type`: an untyped literal or parameter takes it, anything else of another type is cast.
    private func converted(_ e: BoundExpression, to type: SQLType) -> BoundExpression {
        let typed = retype(e, type)
        return typed.type == type ? typed : .cast(typed, type)
    }
}
