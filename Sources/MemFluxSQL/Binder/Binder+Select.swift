// Binding SELECT: FROM (tables, subqueries, CTEs, joins), WHERE, GROUP BY
// and aggregates, HAVING, the select list with `*` expansion, DISTINCT
// [ON], ORDER BY (output names, ordinals, or any expression, carried as a
// hidden column), LIMIT / OFFSET.
//
// Operator order: scan → filter → aggregate → filter (HAVING) → window →
// project → distinct → sort or top-N → limit.

import MemFluxCore

extension Binder {
    func bindSelect(
        _ select: Select, orderBy: [OrderItem], limit: Expression?, offset: Expression?, _ scope: Scope, at position: Int
    ) throws(MemFluxError) -> BoundQuery {
        var plan = try bindFromList(select.from, scope)
        if let whereClause = select.whereClause {
            try rejectWindows(in: whereClause, "WHERE")
            if ExpressionShape.containsAggregate(whereClause) {
                throw MemFluxError(.err, "aggregate functions are not allowed in WHERE", position: whereClause.position)
            }
            let condition = try boolean(try bind(whereClause, scope), "WHERE", at: whereClause.position)
            plan = Rules.applyFilter(condition, to: plan, binder: self)
        }

        var aggregation: AggregationContext?
        let grouped = !select.groupBy.isEmpty || select.having != nil
            || select.items.contains { if case .expression(let e, _) = $0 { return ExpressionShape.containsAggregate(e) }; return false }
            || orderBy.contains { ExpressionShape.containsAggregate($0.expression) }
            || ExpressionShape.containsAggregate(select.windows)
        var groupASTs: [Expression] = []
        if grouped {
            var keys: [BoundExpression] = []
            for g in select.groupBy {
                // GROUP BY 1 and GROUP BY alias name select-list items.
                let ast = try groupExpression(g, select.items, scope)
                try rejectWindows(in: ast, "GROUP BY")
                if ExpressionShape.containsAggregate(ast) {
                    throw MemFluxError(.err, "aggregate functions are not allowed in GROUP BY", position: ast.position)
                }
                groupASTs.append(ast)
                keys.append(try bind(ast, scope))
            }
            aggregation = AggregationContext(keys: keys, keyASTs: groupASTs)
        }

        try rejectWindows(in: select.having, "HAVING")
        let windows = try WindowContext(select.windows)
        windowContext = windows

        // Select list.
        var expressions: [BoundExpression] = []
        var columns: [OutputColumn] = []
        for item in select.items {
            switch item {
            case .star(let qualifier, let starPosition):
                if aggregation != nil {
                    throw MemFluxError(.err, "column \"*\" must appear in the GROUP BY clause or be used in an aggregate function", position: starPosition)
                }
                try expandStar(qualifier, scope, at: starPosition, &expressions, &columns)
            case .expression(let e, let alias):
                let bound = try bind(e, scope, aggregation: aggregation)
                expressions.append(bound)
                // An untyped literal's column stays "unknown" until a set operation or the reply decides it.
                columns.append(OutputColumn(name: alias ?? ExpressionShape.outputName(e), type: bound.type))
            }
        }
        var having: BoundExpression?
        if let h = select.having {
            having = try boolean(try bind(h, scope, aggregation: aggregation), "HAVING", at: h.position)
        }

        // ORDER BY keys: output columns by ordinal or alias, else expressions carried as hidden columns.
        var sortKeys: [SortKey] = []
        for item in orderBy {
            let index: Int
            if let i = try orderByOutput(item.expression, columns, select.items) {
                index = i
            } else {
                if select.distinct == .distinct {
                    throw MemFluxError(.err, "for SELECT DISTINCT, ORDER BY expressions must appear in select list", position: item.expression.position)
                }
                expressions.append(try bind(item.expression, scope, aggregation: aggregation))
                index = expressions.count - 1
            }
            sortKeys.append(SortKey(expression: .column(index, expressions[index].type), descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending))
        }
        var distinctOnKeys: [Int] = []
        if case .on(let list) = select.distinct {
            for e in list {
                if let i = try orderByOutput(e, columns, select.items) {
                    distinctOnKeys.append(i)
                } else {
                    expressions.append(try bind(e, scope, aggregation: aggregation))
                    distinctOnKeys.append(expressions.count - 1)
                }
            }
            // DISTINCT ON keeps the first row of each group in ORDER BY order, which must start with its keys.
            for (i, key) in distinctOnKeys.enumerated() where i < sortKeys.count {
                guard case .column(let k, _) = sortKeys[i].expression, k == key else {
                    throw MemFluxError(.err, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions", position: list[i].position)
                }
            }
        }
        windowContext = nil

        if let aggregation {
            plan = PhysicalHashAggregate(plan, groupKeys: aggregation.keys, aggregates: aggregation.calls)
            if let having { plan = PhysicalFilter(plan, having) }
        }
        (plan, expressions) = windows.plan(plan, expressions)
        let unprojected = plan
        plan = PhysicalProject(plan, expressions)
        try rejectWindows(in: limit, "LIMIT")
        try rejectWindows(in: offset, "OFFSET")
        let limitBound = try limitExpression(limit, scope)
        let offsetBound = try limitExpression(offset, scope)
        switch select.distinct {
        case .all:
            if !sortKeys.isEmpty, expressions.allSatisfy(\.isColumnOrConstant) {
                // A select list of bare columns is projected after the sort, so a
                // top-N projects only the rows it keeps.
                let keys = sortKeys.map { key in
                    guard case .column(let i, _) = key.expression else { return key }
                    return SortKey(expression: expressions[i], descending: key.descending, nullsFirst: key.nullsFirst)
                }
                plan = PhysicalProject(PhysicalSort(unprojected, keys: keys, limit: limitBound, offset: offsetBound), expressions)
            } else if !sortKeys.isEmpty {
                plan = PhysicalSort(plan, keys: sortKeys, limit: limitBound, offset: offsetBound)
            } else if limitBound != nil || offsetBound != nil {
                plan = PhysicalLimit(plan, limit: limitBound, offset: offsetBound)
            }
        case .distinct:
            plan = PhysicalDistinct(plan, keyColumns: Array(0..<columns.count))
            if !sortKeys.isEmpty {
                plan = PhysicalSort(plan, keys: sortKeys, limit: limitBound, offset: offsetBound)
            } else if limitBound != nil || offsetBound != nil {
                plan = PhysicalLimit(plan, limit: limitBound, offset: offsetBound)
            }
        case .on:
            if !sortKeys.isEmpty { plan = PhysicalSort(plan, keys: sortKeys) }
            plan = PhysicalDistinct(plan, keyColumns: distinctOnKeys)
            if limitBound != nil || offsetBound != nil { plan = PhysicalLimit(plan, limit: limitBound, offset: offsetBound) }
        }
        return BoundQuery(plan: plan, columns: columns)
    }

    /// A GROUP BY item: an ordinal or an output alias names a select-list expression.
    private func groupExpression(_ g: Expression, _ items: [SelectItem], _ scope: Scope) throws(MemFluxError) -> Expression {
        // A bare name is an input column first, else an output alias (PostgreSQL's rule for GROUP BY).
        if case .column(let parts) = g.kind, parts.count == 1, try scope.resolve(parts[0], qualifier: nil) == nil {
            for item in items {
                if case .expression(let e, let alias?) = item, alias == parts[0] { return e }
            }
        }
        if case .literal(.int(let n)) = g.kind {
            guard n >= 1, n <= Int64(items.count), case .expression(let e, _) = items[Int(n - 1)] else {
                throw MemFluxError(.err, "GROUP BY position \(n) is not in select list", position: g.position)
            }
            return e
        }
        return g
    }

    /// An ORDER BY item that names an output column: an ordinal, an alias, or a repeated select-list expression.
    private func orderByOutput(_ e: Expression, _ columns: [OutputColumn], _ items: [SelectItem]) throws(MemFluxError) -> Int? {
        if case .literal(.int(let n)) = e.kind {
            guard n >= 1, n <= Int64(columns.count) else {
                throw MemFluxError(.err, "ORDER BY position \(n) is not in select list", position: e.position)
            }
            return Int(n - 1)
        }
        if case .column(let parts) = e.kind, parts.count == 1 {
            var aliased: Int?
            for (i, item) in items.enumerated() {
                if case .expression(_, let alias?) = item, alias == parts[0] {
                    if aliased != nil { throw MemFluxError(.err, "ORDER BY \"\(parts[0])\" is ambiguous", position: e.position) }
                    aliased = i
                }
            }
            if let aliased { return outputIndex(ofItem: aliased, items) }
        }
        for (i, item) in items.enumerated() {
            if case .expression(let x, _) = item, ExpressionShape.same(x, e) { return outputIndex(ofItem: i, items) }
        }
        return nil
    }

    /// The output column of select item `i` (stars before it may expand to several columns).
    private func outputIndex(ofItem i: Int, _ items: [SelectItem]) -> Int? {
        if items[0..<i].contains(where: { if case .star = $0 { return true }; return false }) { return nil }
        return i
    }

    private func expandStar(
        _ qualifier: [String]?, _ scope: Scope, at position: Int, _ expressions: inout [BoundExpression], _ columns: inout [OutputColumn]
    ) throws(MemFluxError) {
        let tables: [ScopeTable]
        if let qualifier {
            guard let name = qualifier.last, let t = scope.tables.first(where: { $0.name == name }) else {
                throw scope.missingTable(qualifier.joined(separator: "."), at: position)
            }
            tables = [t]
        } else {
            tables = scope.tables
            if tables.isEmpty { throw MemFluxError(.err, "SELECT * with no tables specified is not valid", position: position) }
        }
        for t in tables {
            if t.schemaless != nil {
                expressions.append(.column(t.offset, .text))
                columns.append(OutputColumn(name: "id", type: .text))
                let document = t.offset + t.columns.count - 1
                expressions.append(.column(document, .jsonb))
                columns.append(OutputColumn(name: "*", type: .jsonb, spreadsDocument: true))
                continue
            }
            for (i, name) in t.columns.enumerated() where qualifier != nil || !t.qualifiedOnly.contains(name) {
                expressions.append(.column(t.offset + i, t.types[i]))
                columns.append(OutputColumn(name: name, type: t.types[i]))
            }
        }
    }

    // MARK: FROM

    func bindFrom(_ item: TableReference, _ scope: Scope) throws(MemFluxError) -> FromItem {
        switch item {
        case .table(let name, let alias, let position):
            if name.count == 1, let cte = commonTable(name[0]) {
                return FromItem(plan: try referenceCommonTable(cte, alias: alias ?? TableAlias(name: name[0]), scope, at: position))
            }
            let (tableName, definition) = try table(name, at: position)
            let source = source(tableName, definition)
            var entry = scopeTable(source, alias: alias?.name ?? tableName, offset: scope.width)
            if let alias, !alias.columns.isEmpty {
                guard alias.columns.count <= entry.columns.count else {
                    throw MemFluxError(.err, "table \"\(alias.name)\" has \(entry.columns.count) columns available but \(alias.columns.count) columns specified", position: position)
                }
                entry.columns.replaceSubrange(0..<alias.columns.count, with: alias.columns)
            }
            try scope.add(entry)
            return FromItem(plan: PhysicalTableScan(source, filter: nil))
        case .subquery(let query, let alias, let isLateral, let position):
            guard let alias else { throw MemFluxError(.syntax, "subquery in FROM must have an alias", position: position) }
            let innerScope = Scope(parent: isLateral ? scope : nil)
            let inner = try bindQuery(query, innerScope)
            try addDerived(inner, alias: alias, scope, at: position)
            return FromItem(plan: inner.plan, isLateral: innerScope.usesOuter)
        case .function(let call, let alias, let position):
            return try bindTableFunction(call, alias: alias, scope, at: position)
        case .join(let kind, let l, let r, let condition, let position):
            // Bound in a scope of its own, so the join's columns (and its ON
            // condition) are at positions within its own rows; then added to
            // the enclosing scope after what is already there.
            let local = Scope(parent: scope.parent)
            let left = try bindFrom(l, local)
            let leftTables = local.tables.count
            let right = try bindFrom(r, local)
            var on: BoundExpression?
            var merged: [String] = []
            switch condition {
            case .none:
                break
            case .on(let e):
                try rejectWindows(in: e, "JOIN conditions")
                on = try boolean(try bind(e, local), "JOIN/ON", at: e.position)
            case .using(let names):
                merged = names
                on = try usingCondition(names, local, leftTables: leftTables, at: position)
            case .natural:
                let leftNames = Set(local.tables[0..<leftTables].flatMap(\.columns))
                let common = local.tables[leftTables...].flatMap(\.columns).filter { leftNames.contains($0) }
                merged = common
                on = common.isEmpty ? nil : try usingCondition(common, local, leftTables: leftTables, at: position)
            }
            if local.usesOuter { scope.usesOuter = true }
            var plan = try joinPlan(kind, left, right, on, at: position)
            if !merged.isEmpty { plan = try mergeUsingColumns(merged, kind, plan, local, leftTables: leftTables) }
            let offset = scope.width
            for var table in local.tables {
                table.offset += offset
                try scope.add(table)
            }
            return FromItem(plan: plan)
        }
    }

    func addDerived(_ inner: BoundQuery, alias: TableAlias, _ scope: Scope, at position: Int) throws(MemFluxError) {
        var names = inner.columns.map(\.name)
        guard alias.columns.count <= names.count else {
            throw MemFluxError(.err, "table \"\(alias.name)\" has \(names.count) columns available but \(alias.columns.count) columns specified", position: position)
        }
        names.replaceSubrange(0..<alias.columns.count, with: alias.columns)
        var entry = ScopeTable(name: alias.name, columns: names, types: inner.columns.map(\.type), offset: scope.width)
        entry.hiddenColumns = inner.plan.width - names.count
        try scope.add(entry)
    }

    /// JOIN ... USING (k): one column `k` (the left's, the right's for RIGHT JOIN, their COALESCE for FULL)
    /// that unqualified `k` and `*` (first) show; `l.k` and `r.k` stay reachable qualified.
    private func mergeUsingColumns(
        _ names: [String], _ kind: JoinKind, _ plan: PhysicalOperator, _ local: Scope, leftTables: Int
    ) throws(MemFluxError) -> PhysicalOperator {
        let leftScope = Scope(parent: nil)
        leftScope.tables = Array(local.tables[0..<leftTables])
        let rightScope = Scope(parent: nil)
        rightScope.tables = Array(local.tables[leftTables...])
        var expressions: [BoundExpression] = (0..<plan.width).map { .column($0, .dynamic) }
        var types: [SQLType] = []
        for name in names {
            guard let l = try leftScope.resolve(name, qualifier: nil), let r = try rightScope.resolve(name, qualifier: nil) else { continue }
            let type = l.type == r.type ? l.type : try commonType([l.type, r.type], context: "JOIN/USING", at: 0)
            switch kind {
            case .full: expressions.append(.coalesce([.column(l.index, l.type), .column(r.index, r.type)], type))
            case .right: expressions.append(.column(r.index, r.type))
            default: expressions.append(.column(l.index, l.type))
            }
            types.append(type)
        }
        for i in local.tables.indices { local.tables[i].qualifiedOnly.formUnion(names) }
        local.tables.insert(ScopeTable(name: "", columns: names, types: types, offset: plan.width), at: 0)
        return PhysicalProject(plan, expressions)
    }

    /// `USING (a, b)`: left.a = right.a AND left.b = right.b.
    private func usingCondition(_ names: [String], _ scope: Scope, leftTables: Int, at position: Int) throws(MemFluxError) -> BoundExpression? {
        let left = Scope(parent: nil)
        left.tables = Array(scope.tables[0..<leftTables])
        let right = Scope(parent: nil)
        right.tables = Array(scope.tables[leftTables...])
        var condition: BoundExpression?
        for name in names {
            guard let l = try left.resolve(name, qualifier: nil) else {
                throw MemFluxError(.err, "column \"\(name)\" specified in USING clause does not exist in left table", position: position)
            }
            guard let r = try right.resolve(name, qualifier: nil) else {
                throw MemFluxError(.err, "column \"\(name)\" specified in USING clause does not exist in right table", position: position)
            }
            let equality = BoundExpression.compare(.equal, .column(l.index, l.type), .column(r.index, r.type))
            condition = condition.map { .and($0, equality) } ?? equality
        }
        return condition
    }
}
