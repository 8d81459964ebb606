// Binding queries: WITH (bound in Binder+CommonTables.swift), set
// operations, VALUES, and ORDER BY / LIMIT over them. SELECT itself is in
// Binder+Select.swift.

import MemFluxCore

/// One column of a query's result.
public struct OutputColumn: Sendable {
    public var name: String { didSet { jsonKey = OutputColumn.jsonKey(name) } }
    public var type: SQLType
    /// A schemaless `*`: the value is a whole document whose fields are spread into the row (after `id`).
    public var spreadsDocument: Bool
    /// `name` as a JSON object key and its colon (`"name":`), made once: each row's JSON reply copies it.
    public private(set) var jsonKey: [UInt8]

    public init(name: String, type: SQLType, spreadsDocument: Bool = false) {
        self.name = name
        self.type = type
        self.spreadsDocument = spreadsDocument
        jsonKey = OutputColumn.jsonKey(name)
    }

    static func jsonKey(_ name: String) -> [UInt8] {
        var key: [UInt8] = []
        SQLValue.text(name).appendJSON(to: &key, type: .text)
        key.append(UInt8(ascii: ":"))
        return key
    }
}

/// A bound query: its plan and the visible columns (the plan's rows may carry hidden sort keys after them).
struct BoundQuery {
    var plan: PhysicalOperator
    var columns: [OutputColumn]
}

extension Binder {
    func bindQuery(_ query: Query, _ scope: Scope) throws(MemFluxError) -> BoundQuery {
        try enter(at: query.position)
        defer { leave() }
        // Window functions belong to the SELECT that calls them (Binder+Window.swift), never to a query nested in it.
        let enclosingWindows = windowContext
        windowContext = nil
        defer { windowContext = enclosingWindows }
        if let with = query.with { try bindWith(with) }
        defer { if query.with != nil { commonTables.removeLast() } }
        if case .select(let select) = query.body {
            return try bindSelect(select, orderBy: query.orderBy, limit: query.limit, offset: query.offset, scope, at: query.position)
        }
        var bound = try bindBody(query.body, scope)
        if !query.orderBy.isEmpty {
            var keys: [SortKey] = []
            for item in query.orderBy {
                let i = try outputPosition(item.expression, bound.columns)
                keys.append(SortKey(expression: .column(i, bound.columns[i].type), descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending))
            }
            bound.plan = PhysicalSort(bound.plan, keys: keys, limit: try limitExpression(query.limit, scope), offset: try limitExpression(query.offset, scope))
        } else if query.limit != nil || query.offset != nil {
            bound.plan = PhysicalLimit(bound.plan, limit: try limitExpression(query.limit, scope), offset: try limitExpression(query.offset, scope))
        }
        return bound
    }

    /// A branch of a set operation (or a parenthesized query): its own FROM scope, under the same outer query.
    func bindBody(_ body: QueryBody, _ scope: Scope) throws(MemFluxError) -> BoundQuery {
        let branch = Scope(parent: scope.parent)
        defer { if branch.usesOuter { scope.usesOuter = true } }
        switch body {
        case .select(let select):
            return try bindSelect(select, orderBy: [], limit: nil, offset: nil, branch, at: 0)
        case .nested(let query):
            return try bindQuery(query, branch)
        case .values(let rows):
            guard let first = rows.first else { throw MemFluxError(.syntax, "VALUES needs at least one row") }
            // The query's own scope has no tables: VALUES reads only outer columns, at the depth they are pushed.
            var bound: [[BoundExpression]] = []
            for row in rows {
                guard row.count == first.count else { throw MemFluxError(.err, "VALUES lists must all be the same length", position: row.first?.position) }
                for e in row { try rejectWindows(in: e, "VALUES") }
                bound.append(try row.map { (e) throws(MemFluxError) in try bind(e, scope) })
            }
            var types: [SQLType] = []
            for c in 0..<first.count {
                let t = try commonType(bound.map { $0[c].type }, context: "VALUES", at: first[c].position)
                types.append(t)
                for r in bound.indices { bound[r][c] = retype(bound[r][c], t) }
            }
            let columns = types.enumerated().map { OutputColumn(name: "column\($0.offset + 1)", type: $0.element) }
            return BoundQuery(plan: PhysicalValues(rows: bound, width: first.count), columns: columns)
        case .setOperation(let op, let all, let l, let r):
            // Each operand has FROM items of its own, at the same level as this query.
            let leftScope = Scope(parent: scope.parent)
            let rightScope = Scope(parent: scope.parent)
            let left = try bindBody(l, leftScope)
            let right = try bindBody(r, rightScope)
            if leftScope.usesOuter || rightScope.usesOuter { scope.usesOuter = true }
            guard left.columns.count == right.columns.count else {
                throw MemFluxError(.err, "each \(op.rawValue) query must have the same number of columns")
            }
            var columns = left.columns
            for i in columns.indices {
                var t = try commonType([left.columns[i].type, right.columns[i].type], context: op.rawValue, at: 0)
                // Two untyped branches (SELECT NULL UNION SELECT NULL) resolve to text, as in PostgreSQL.
                if t == .unknown { t = .text }
                columns[i].type = t
            }
            let types = columns.map(\.type)
            return BoundQuery(
                plan: PhysicalSetOperation(op, all: all, try conform(left, to: types), try conform(right, to: types)), columns: columns)
        }
    }

    /// A set-operation branch with its columns cast to the operation's column types (both sides
    /// must hash and compare alike: 1.50 from a numeric column and 1.5 from a double are one value).
    private func conform(_ branch: BoundQuery, to types: [SQLType]) throws(MemFluxError) -> PhysicalOperator {
        var needed = false
        var expressions: [BoundExpression] = []
        for (i, column) in branch.columns.enumerated() {
            if column.type == types[i] || types[i] == .dynamic {
                expressions.append(.column(i, column.type))
            } else {
                needed = true
                expressions.append(.cast(.column(i, column.type), types[i]))
            }
        }
        return needed ? PhysicalProject(branch.plan, expressions) : branch.plan
    }

    /// An ORDER BY item of a set operation or VALUES: an output column by ordinal or name.
    func outputPosition(_ e: Expression, _ columns: [OutputColumn]) throws(MemFluxError) -> Int {
        if case .literal(.int(let n)) = e.kind {
            guard n >= 1, n <= Int64(columns.count) else {
                throw MemFluxError(.err, "ORDER BY position \(n) is not in select list", position: e.position)
            }
            return Int(n - 1)
        }
        if case .column(let parts) = e.kind, parts.count == 1, let i = columns.firstIndex(where: { $0.name == parts[0] }) {
            return i
        }
        if case .column(let parts) = e.kind {
            throw MemFluxError(.err, "column \"\(parts.joined(separator: "."))\" does not exist", position: e.position)
        }
        throw MemFluxError(.err, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause", position: e.position)
    }

    func limitExpression(_ e: Expression?, _ scope: Scope) throws(MemFluxError) -> BoundExpression? {
        guard let e else { return nil }
        let bound = retype(try bind(e, Scope(parent: nil)), .bigint)
        if case .constant(.null, _) = bound { return nil }
        return bound
    }
}
