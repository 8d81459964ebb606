// Binding window functions: `f(...) OVER (PARTITION BY ... ORDER BY ... frame)`
// and `OVER w` with `WINDOW w AS (...)`, in a select list and ORDER BY.
//
// A SELECT's window functions run in one PhysicalWindow after WHERE, GROUP BY
// and HAVING, before DISTINCT, ORDER BY and LIMIT; each appends its result to
// the row it reads. How wide that row is is known only once the whole select
// list is bound (a grouped query's aggregates are collected as they are met),
// so a call binds to a placeholder column, `placeholderBase + k`, which
// `finishWindows` moves after the input row. Nothing outside the projection
// can read a placeholder: WHERE, GROUP BY, HAVING, aggregate arguments, LIMIT
// and the parts of a window itself are bound with no window context, where a
// window function is PostgreSQL's error.

import MemFluxCore

/// The window functions of the SELECT whose select list and ORDER BY are being bound.
final class WindowContext {
    /// Placeholder columns start here; no row is ever this wide.
    static let placeholderBase = 1 << 40

    /// `WINDOW w AS (...)`, each merged with the window it refines.
    let named: [String: WindowSpecification]
    private(set) var functions: [WindowFunction] = []
    /// The text of each call, so a repeated call is computed once.
    private var callTexts: [String] = []
    /// One entry per distinct PARTITION BY and ORDER BY, in order of first use.
    private(set) var sorts: [WindowSort] = []
    private var sortTexts: [String] = []

    init(_ definitions: [NamedWindow]) throws(MemFluxError) {
        var named: [String: WindowSpecification] = [:]
        for definition in definitions {
            if named[definition.name] != nil {
                throw MemFluxError(.err, "window \"\(definition.name)\" is already defined")
            }
            named[definition.name] = try WindowContext.refine(definition.specification, named)
        }
        self.named = named
    }

    /// `OVER (w ORDER BY ...)` is w's PARTITION BY with the ORDER BY and frame given here; `OVER w` is w itself.
    static func refine(
        _ specification: WindowSpecification, _ named: [String: WindowSpecification], at position: Int? = nil
    ) throws(MemFluxError) -> WindowSpecification {
        guard let name = specification.baseName else { return specification }
        guard let base = named[name] else {
            throw MemFluxError(.err, "window \"\(name)\" does not exist", position: position)
        }
        if specification.partitionBy.isEmpty && specification.orderBy.isEmpty && specification.frame == nil { return base }
        if !specification.partitionBy.isEmpty {
            throw MemFluxError(.err, "cannot override PARTITION BY clause of window \"\(name)\"", position: position)
        }
        if !specification.orderBy.isEmpty && !base.orderBy.isEmpty {
            throw MemFluxError(.err, "cannot override ORDER BY clause of window \"\(name)\"", position: position)
        }
        if base.frame != nil {
            throw MemFluxError(.err, "cannot copy window \"\(name)\" because it has a frame clause", position: position)
        }
        return WindowSpecification(
            partitionBy: base.partitionBy, orderBy: specification.orderBy.isEmpty ? base.orderBy : specification.orderBy,
            frame: specification.frame)
    }

    func existing(_ text: String) -> BoundExpression? {
        guard let k = callTexts.firstIndex(of: text) else { return nil }
        return .column(WindowContext.placeholderBase + k, functions[k].type)
    }

    func add(_ function: WindowFunction, text: String, sort: WindowSort, sortText: String) -> BoundExpression {
        let k = functions.count
        functions.append(function)
        callTexts.append(text)
        if let s = sortTexts.firstIndex(of: sortText) {
            sorts[s].functions.append(k)
        } else {
            var sort = sort
            sort.functions = [k]
            sorts.append(sort)
            sortTexts.append(sortText)
        }
        return .column(WindowContext.placeholderBase + k, function.type)
    }

    /// The window operator over `input`, and `expressions` with their placeholders pointing at its results.
    func plan(_ input: PhysicalOperator, _ expressions: [BoundExpression]) -> (PhysicalOperator, [BoundExpression]) {
        guard !functions.isEmpty else { return (input, expressions) }
        let shift = input.width - WindowContext.placeholderBase
        let resolved = expressions.map { e in
            e.mapped { x in
                if case .column(let i, let t) = x, i >= WindowContext.placeholderBase { return .column(i + shift, t) }
                return nil
            }
        }
        return (PhysicalWindow(input, sorts: sorts, functions: functions), resolved)
    }
}

extension ExpressionShape {
    /// True when `e` calls a window function outside a subquery (inside an aggregate's arguments too).
    static func containsWindow(_ e: Expression) -> Bool {
        var found = false
        visit(e) { x in
            guard !found, case .function(let f) = x.kind else { return }
            if f.over != nil {
                found = true
            } else if AggregateFunction.named(f.name) != nil {
                // visit leaves an aggregate's arguments to the aggregate.
                found = f.arguments.contains(where: containsWindow) || (f.filter.map(containsWindow) ?? false)
            }
        }
        return found
    }

    /// True when a `WINDOW` definition orders or partitions by an aggregate: the query is grouped.
    static func containsAggregate(_ windows: [NamedWindow]) -> Bool {
        windows.contains { w in
            w.specification.partitionBy.contains(where: containsAggregate)
                || w.specification.orderBy.contains { containsAggregate($0.expression) }
        }
    }
}

extension Binder {
    /// PostgreSQL's error for a window function in `clause` (WHERE, GROUP BY, HAVING, JOIN conditions...).
    func rejectWindows(in e: Expression?, _ clause: String) throws(MemFluxError) {
        guard let e, ExpressionShape.containsWindow(e) else { return }
        throw MemFluxError(.err, "window functions are not allowed in \(clause)", position: e.position)
    }

    /// `call OVER over` in a select list or ORDER BY: a column of the window operator's output.
    func bindWindowFunction(
        _ call: FunctionCall, _ over: WindowSpecification, _ scope: Scope, _ aggregation: AggregationContext?, at position: Int
    ) throws(MemFluxError) -> BoundExpression {
        guard let windows = windowContext else {
            throw MemFluxError(.err, "window functions are not allowed here", position: position)
        }
        let text = call.sql
        if let bound = windows.existing(text) { return bound }
        if let nested = call.arguments.first(where: ExpressionShape.containsWindow) {
            throw MemFluxError(.err, "window function calls cannot be nested", position: nested.position)
        }
        try rejectWindows(in: call.filter, "FILTER")
        let specification = try WindowContext.refine(over, windows.named, at: position)
        for e in specification.partitionBy + specification.orderBy.map(\.expression) where ExpressionShape.containsWindow(e) {
            throw MemFluxError(.err, "window functions are not allowed in window definitions", position: e.position)
        }
        // Its parts read the window's input row, where no window result exists yet.
        windowContext = nil
        defer { windowContext = windows }
        // Arguments first, then the window: PostgreSQL reports an ungrouped column in that order.
        var function = try bindWindowComputation(call, scope, aggregation, at: position)
        var sort = WindowSort(partitionKeys: [], orderKeys: [], functions: [])
        for e in specification.partitionBy { sort.partitionKeys.append(try bind(e, scope, aggregation: aggregation)) }
        for item in specification.orderBy {
            sort.orderKeys.append(SortKey(
                expression: try bind(item.expression, scope, aggregation: aggregation), descending: item.descending,
                nullsFirst: item.nullsFirst ?? item.descending))
        }
        function.frame = try bindFrame(specification.frame, sort.orderKeys, scope, at: position)
        let sortText = specification.partitionBy.map(\.sql).joined(separator: ", ") + " | "
            + specification.orderBy.map { "\($0.expression.sql) \($0.descending) \($0.nullsFirst ?? $0.descending)" }
            .joined(separator: ", ")
        return windows.add(function, text: text, sort: sort, sortText: sortText)
    }

    /// What the call computes and its type (the frame is bound by the caller).
    private func bindWindowComputation(
        _ call: FunctionCall, _ scope: Scope, _ aggregation: AggregationContext?, at position: Int
    ) throws(MemFluxError) -> WindowFunction {
        let name = call.name.last ?? ""
        if !call.orderBy.isEmpty {
            throw MemFluxError(.err, "aggregate ORDER BY is not implemented for window functions", position: position)
        }
        if let aggregate = AggregateFunction.named(call.name) {
            if call.isDistinct { throw MemFluxError(.err, "DISTINCT is not implemented for window functions", position: position) }
            return try bindWindowAggregate(aggregate, call, scope, aggregation, at: position)
        }
        guard let kind = WindowFunctionKind.named(call.name) else {
            throw MemFluxError(.err, "OVER specified, but \(name) is not a window function nor an aggregate function", position: position)
        }
        if call.filter != nil {
            throw MemFluxError(.err, "FILTER is not implemented for non-aggregate window functions", position: position)
        }
        if call.isDistinct { throw MemFluxError(.err, "DISTINCT is not implemented for window functions", position: position) }
        var args: [BoundExpression] = []
        for a in call.arguments { args.append(try bind(a, scope, aggregation: aggregation)) }
        func noSuchFunction() -> MemFluxError {
            MemFluxError(.err, "function \(name)(\(args.map(\.type.postgresName).joined(separator: ", "))) does not exist", position: position)
        }
        func integerArgument(_ i: Int) throws(MemFluxError) -> BoundExpression {
            let a = args[i]
            switch a.type {
            case .smallint, .integer: return a
            case .unknown: return try strictlyRetyped(a, .integer)
            case .dynamic: return .cast(a, .integer)
            default: throw noSuchFunction()
            }
        }
        switch kind {
        case .rowNumber, .rank, .denseRank, .percentRank, .cumeDist:
            if !args.isEmpty {
                if kind == .rowNumber { throw noSuchFunction() }
                throw MemFluxError(.err, "WITHIN GROUP is required for ordered-set aggregate \(name)", position: position)
            }
            let type: SQLType = kind == .percentRank || kind == .cumeDist ? .double : .bigint
            let computation: WindowFunction.Computation = switch kind {
            case .rowNumber: .rowNumber
            case .rank: .rank
            case .denseRank: .denseRank
            case .percentRank: .percentRank
            default: .cumeDist
            }
            return WindowFunction(computation: computation, type: type)
        case .ntile:
            guard args.count == 1 else { throw noSuchFunction() }
            return WindowFunction(computation: .ntile(try integerArgument(0)), type: .integer)
        case .lag, .lead:
            guard (1...3).contains(args.count) else { throw noSuchFunction() }
            var value = args[0]
            var fallback: BoundExpression?
            if args.count == 3 {
                let d = args[2]
                var type = value.type == .unknown ? SQLType.text : value.type
                if d.type != .unknown && d.type != type {
                    let types = [type.withoutModifiers, d.type.withoutModifiers]
                    guard let common = try? commonType(types, context: name, at: position) else { throw noSuchFunction() }
                    type = common
                }
                value = try coerced(value, type)
                fallback = try coerced(d, type)
            } else if value.type == .unknown {
                value = try coerced(value, .text)
            }
            let offset = args.count >= 2 ? try integerArgument(1) : nil
            return WindowFunction(
                computation: .shifted(offset: offset, default: fallback, forward: kind == .lead), argument: value, type: value.type)
        case .firstValue, .lastValue:
            guard args.count == 1 else { throw noSuchFunction() }
            let value = args[0].type == .unknown ? try coerced(args[0], .text) : args[0]
            return WindowFunction(computation: kind == .firstValue ? .firstValue : .lastValue, argument: value, type: value.type)
        case .nthValue:
            guard args.count == 2 else { throw noSuchFunction() }
            let value = args[0].type == .unknown ? try coerced(args[0], .text) : args[0]
            return WindowFunction(computation: .nthValue(try integerArgument(1)), argument: value, type: value.type)
        }
    }

    /// An aggregate over a window: its arguments read the window's input row (a grouped query's aggregates too).
    private func bindWindowAggregate(
        _ function: AggregateFunction, _ call: FunctionCall, _ scope: Scope, _ aggregation: AggregationContext?, at position: Int
    ) throws(MemFluxError) -> WindowFunction {
        let name = call.name.last ?? ""
        var argument: BoundExpression?
        var separator: BoundExpression?
        if call.isStar {
            guard function == .count else { throw MemFluxError(.err, "function \(name)() does not exist", position: position) }
        } else {
            let expected = function == .stringAgg ? 2 : 1
            guard call.arguments.count == expected else {
                throw MemFluxError(.err, "function \(name) takes \(expected) argument\(expected == 1 ? "" : "s")", position: position)
            }
            let value = try bind(call.arguments[0], scope, aggregation: aggregation)
            argument = function == .stringAgg ? retype(value, .text) : value
            if function == .stringAgg {
                separator = retype(try bind(call.arguments[1], scope, aggregation: aggregation), .text)
            }
        }
        var filter: BoundExpression?
        if let f = call.filter { filter = try boolean(try bind(f, scope, aggregation: aggregation), "FILTER", at: f.position) }
        let resolved = function == .count && call.isStar ? AggregateFunction.countStar : function
        let type = try AggregateFunction.resultType(resolved, argument?.type, at: position)
        let aggregate = AggregateCall(
            function: resolved, argument: argument, separator: separator, isDistinct: false, filter: filter, orderBy: [], type: type)
        return WindowFunction(computation: .aggregate(aggregate), type: type)
    }

    /// `e` as `type`: an untyped literal must read as one (`invalid input syntax for type integer: "x"`).
    private func coerced(_ e: BoundExpression, _ type: SQLType) throws(MemFluxError) -> BoundExpression {
        let e = try strictlyRetyped(e, type)
        return e.type == type || type == .dynamic ? e : .cast(e, type)
    }

    private func strictlyRetyped(_ e: BoundExpression, _ type: SQLType) throws(MemFluxError) -> BoundExpression {
        if case .constant(let v, .unknown) = e, !v.isNull, type != .dynamic {
            return .constant(try SQLCast.cast(v, to: type, explicit: false), type)
        }
        return retype(e, type)
    }

    // MARK: Frames

    /// The frame clause; none is RANGE UNBOUNDED PRECEDING to the current row and its peers.
    private func bindFrame(
        _ frame: WindowFrame?, _ orderKeys: [SortKey], _ scope: Scope, at position: Int
    ) throws(MemFluxError) -> WindowFunction.Frame {
        guard let frame else { return WindowFunction.Frame() }
        let end = frame.end ?? .currentRow
        if frame.mode == .groups && orderKeys.isEmpty {
            throw MemFluxError(.err, "GROUPS mode requires an ORDER BY clause", position: position)
        }
        var rangeKey: SQLType?
        if frame.mode == .range && (frame.start.hasOffset || end.hasOffset) {
            guard orderKeys.count == 1 else {
                throw MemFluxError(.err, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", position: position)
            }
            rangeKey = orderKeys[0].expression.type
        }
        func bound(_ b: WindowFrame.Bound) throws(MemFluxError) -> WindowFunction.Frame.Bound {
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .unboundedFollowing: return .unboundedFollowing
            case .currentRow: return .currentRow
            case .preceding(let e): return .preceding(try frameOffset(e, frame.mode, rangeKey, scope))
            case .following(let e): return .following(try frameOffset(e, frame.mode, rangeKey, scope))
            }
        }
        return WindowFunction.Frame(mode: frame.mode, start: try bound(frame.start), end: try bound(end), exclusion: frame.exclusion)
    }

    /// An offset: a constant or parameter, a bigint for ROWS and GROUPS, for RANGE a type that adds to the ORDER BY key.
    private func frameOffset(
        _ e: Expression, _ mode: WindowFrame.Mode, _ rangeKey: SQLType?, _ scope: Scope
    ) throws(MemFluxError) -> BoundExpression {
        let construct = mode.rawValue
        if ExpressionShape.containsAggregate(e) {
            throw MemFluxError(.err, "aggregate functions are not allowed in window \(construct)", position: e.position)
        }
        let offset = try bind(e, scope)
        var columns = Set<Int>()
        offset.referencedColumns(into: &columns)
        if !columns.isEmpty {
            throw MemFluxError(.err, "argument of \(construct) must not contain variables", position: e.position)
        }
        guard let key = rangeKey?.withoutModifiers else {
            switch offset.type {
            case .bigint: return offset
            case .unknown: return try strictlyRetyped(offset, .bigint)
            case .smallint, .integer, .numeric, .real, .double, .dynamic: return .cast(offset, .bigint)
            default:
                throw MemFluxError(.err, "argument of \(construct) must be type bigint, not type \(offset.type.postgresName)", position: e.position)
            }
        }
        // PostgreSQL's in_range support: integers take integer offsets, floats double ones, numeric numeric ones.
        let accepted: [SQLType]
        switch key {
        case .smallint, .integer: accepted = [.smallint, .integer, .bigint]
        case .bigint: accepted = [.smallint, .integer, .bigint]
        case .real, .double: accepted = [.smallint, .integer, .bigint, .numeric(precision: nil, scale: nil), .real, .double]
        case .numeric: accepted = [.smallint, .integer, .bigint, .numeric(precision: nil, scale: nil)]
        case .dynamic: accepted = [.smallint, .integer, .bigint, .numeric(precision: nil, scale: nil), .real, .double, .dynamic]
        case .date, .timestamp, .timestamptz, .time: accepted = []
        default:
            throw MemFluxError(
                .err, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(key.postgresName)", position: e.position)
        }
        if offset.type == .unknown {
            let preferred: SQLType = key == .real ? .double : key
            return try strictlyRetyped(offset, preferred == .dynamic ? .numeric(precision: nil, scale: nil) : preferred)
        }
        guard accepted.contains(offset.type.withoutModifiers) else {
            throw MemFluxError(
                .err,
                "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(key.postgresName) and offset type \(offset.type.postgresName)",
                position: e.position)
        }
        return key == .real || key == .double ? .cast(offset, .double) : offset
    }
}

/// The window functions there are besides aggregates.
enum WindowFunctionKind {
    case rowNumber, rank, denseRank, percentRank, cumeDist, ntile, lag, lead, firstValue, lastValue, nthValue

    static func named(_ name: [String]) -> WindowFunctionKind? {
        guard name.count == 1 else { return nil }
        switch name[0] {
        case "row_number": return .rowNumber
        case "rank": return .rank
        case "dense_rank": return .denseRank
        case "percent_rank": return .percentRank
        case "cume_dist": return .cumeDist
        case "ntile": return .ntile
        case "lag": return .lag
        case "lead": return .lead
        case "first_value": return .firstValue
        case "last_value": return .lastValue
        case "nth_value": return .nthValue
        default: return nil
        }
    }
}

extension WindowFrame.Bound {
    var hasOffset: Bool {
        switch self {
        case .preceding, .following: true
        default: false
        }
    }
}
