// WITH RECURSIVE. Before anything is bound, the syntax tree decides which
// items read themselves, the order the items can be bound in (an item after
// every item it reads), and whether each self-reference stands where
// PostgreSQL allows one: once, in the recursive term, not inside a subquery,
// the nullable side of an outer join, INTERSECT ALL or EXCEPT (parse_cte.c's
// rules, with its messages).
//
// A recursive item `name(cols) AS (non-recursive UNION [ALL] recursive)` is
// bound term by term: the non-recursive term first, whose columns (named by
// the column list) are the query's; then the recursive term, in which the
// name reads the working table. The recursive term's column types must not
// widen the query's: PostgreSQL's `column 1 has type integer in
// non-recursive term but type bigint overall`.

import MemFluxCore

/// Where a table reference stands, for the rules on self-references.
enum RecursionContext {
    case allowed, nonRecursiveTerm, subquery, outerJoin, intersect, except

    func violation(_ name: String) -> String? {
        switch self {
        case .allowed: nil
        case .nonRecursiveTerm: "recursive reference to query \"\(name)\" must not appear within its non-recursive term"
        case .subquery: "recursive reference to query \"\(name)\" must not appear within a subquery"
        case .outerJoin: "recursive reference to query \"\(name)\" must not appear within an outer join"
        case .intersect: "recursive reference to query \"\(name)\" must not appear within INTERSECT"
        case .except: "recursive reference to query \"\(name)\" must not appear within EXCEPT"
        }
    }
}

/// Visits the table names a query reads, with the context each stands in, skipping names a WITH inside it defines.
struct TableNameWalker {
    typealias Visitor = (_ name: String, _ position: Int, _ context: RecursionContext) throws(MemFluxError) -> Void

    private var hidden: [Set<String>]
    private let visitor: Visitor

    init(hiding names: Set<String> = [], _ visitor: @escaping Visitor) {
        hidden = [names]
        self.visitor = visitor
    }

    mutating func query(_ q: Query, _ context: RecursionContext) throws(MemFluxError) {
        if let with = q.with {
            // A recursive WITH's names are visible to all its items; a plain one's to the items after each.
            hidden.append(with.isRecursive ? Set(with.tables.map(\.name)) : [])
            for cte in with.tables {
                try query(cte.query, context)
                hidden[hidden.count - 1].insert(cte.name)
            }
        }
        defer { if q.with != nil { hidden.removeLast() } }
        try body(q.body, context)
        for item in q.orderBy { try expression(item.expression) }
        if let limit = q.limit { try expression(limit) }
        if let offset = q.offset { try expression(offset) }
    }

    mutating func body(_ b: QueryBody, _ context: RecursionContext) throws(MemFluxError) {
        switch b {
        case .select(let s):
            for item in s.from { try table(item, context) }
            for item in s.items { if case .expression(let e, _) = item { try expression(e) } }
            if case .on(let keys) = s.distinct { for e in keys { try expression(e) } }
            if let w = s.whereClause { try expression(w) }
            for g in s.groupBy { try expression(g) }
            if let h = s.having { try expression(h) }
        case .values(let rows):
            for row in rows { for e in row { try expression(e) } }
        case .setOperation(let op, let all, let l, let r):
            var leftContext = context
            var rightContext = context
            if context == .allowed {
                switch op {
                case .union: break
                case .intersect:
                    if all { (leftContext, rightContext) = (.intersect, .intersect) }
                case .except:
                    if all { leftContext = .except }
                    rightContext = .except
                }
            }
            try body(l, leftContext)
            try body(r, rightContext)
        case .nested(let q):
            try query(q, context)
        }
    }

    mutating func table(_ t: TableReference, _ context: RecursionContext) throws(MemFluxError) {
        switch t {
        case .table(let name, _, let position):
            if name.count == 1, !hidden.contains(where: { $0.contains(name[0]) }) { try visitor(name[0], position, context) }
        case .subquery(let q, _, _, _):
            try query(q, context)
        case .function(let call, _, _):
            for e in call.arguments { try expression(e) }
        case .join(let kind, let l, let r, let condition, _):
            let nullable: RecursionContext = context == .allowed ? .outerJoin : context
            switch kind {
            case .inner, .cross:
                try table(l, context)
                try table(r, context)
            case .left:
                try table(l, context)
                try table(r, nullable)
            case .right:
                try table(l, nullable)
                try table(r, context)
            case .full:
                try table(l, nullable)
                try table(r, nullable)
            }
            if case .on(let e) = condition { try expression(e) }
        }
    }

    /// The subqueries inside an expression: a reference there is within a subquery.
    mutating func expression(_ e: Expression) throws(MemFluxError) {
        switch e.kind {
        case .literal, .string, .typedString, .parameter, .column, .defaultValue, .specialFunction: break
        case .unary(_, let a), .cast(let a, _), .isNull(let a, _), .isTruth(let a, _, _): try expression(a)
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _), .element(let a, let b):
            try expression(a)
            try expression(b)
        case .function(let f):
            for a in f.arguments { try expression(a) }
            for o in f.orderBy { try expression(o.expression) }
            if let filter = f.filter { try expression(filter) }
        case .caseWhen(let operand, let branches, let otherwise):
            if let operand { try expression(operand) }
            for b in branches {
                try expression(b.condition)
                try expression(b.result)
            }
            if let otherwise { try expression(otherwise) }
        case .between(let a, let low, let high, _, _):
            try expression(a)
            try expression(low)
            try expression(high)
        case .like(let a, let p, let escape, _, _):
            try expression(a)
            try expression(p)
            if let escape { try expression(escape) }
        case .inList(let a, let list, _):
            try expression(a)
            for x in list { try expression(x) }
        case .inQuery(let a, let q, _):
            try expression(a)
            try query(q, .subquery)
        case .exists(let q), .subquery(let q), .arrayQuery(let q):
            try query(q, .subquery)
        case .quantified(_, let a, _, let source):
            try expression(a)
            switch source {
            case .array(let x): try expression(x)
            case .query(let q): try query(q, .subquery)
            }
        case .array(let items), .row(let items):
            for x in items { try expression(x) }
        }
    }
}

enum RecursiveWith {
    /// The items of a WITH RECURSIVE in an order that binds each after the items it reads, and whether each reads itself.
    static func bindingOrder(_ items: [CommonTableExpression]) throws(MemFluxError) -> [(CommonTableExpression, isRecursive: Bool)] {
        let names = Set(items.map(\.name))
        var dependencies: [Set<String>] = []
        var recursive: [Bool] = []
        for item in items {
            var reads = Set<String>()
            var walker = TableNameWalker { (name: String, _: Int, _: RecursionContext) throws(MemFluxError) in
                if names.contains(name) { reads.insert(name) }
            }
            try walker.query(item.query, .allowed)
            recursive.append(reads.remove(item.name) != nil)
            dependencies.append(reads)
        }
        // PostgreSQL's order: repeatedly the first remaining item whose dependencies are all bound.
        var remaining = Array(items.indices)
        var order: [(CommonTableExpression, isRecursive: Bool)] = []
        var bound = Set<String>()
        while let first = remaining.first {
            guard let next = remaining.firstIndex(where: { dependencies[$0].isSubset(of: bound) }) else {
                throw MemFluxError(.err, "mutual recursion between WITH items is not implemented", position: items[first].position)
            }
            let i = remaining.remove(at: next)
            bound.insert(items[i].name)
            order.append((items[i], recursive[i]))
        }
        for (item, isRecursive) in order where isRecursive { try checkForm(item) }
        return order
    }

    /// `non-recursive UNION [ALL] recursive`, with exactly one self-reference, in the recursive term, where allowed.
    static func checkForm(_ cte: CommonTableExpression) throws(MemFluxError) {
        guard case .setOperation(.union, _, let nonRecursive, let recursive) = cte.query.body else {
            throw MemFluxError(
                .err, "recursive query \"\(cte.name)\" does not have the form non-recursive-term UNION [ALL] recursive-term",
                position: cte.position)
        }
        let inner = Set(cte.query.with?.tables.map(\.name) ?? [])
        var count = 0
        var walker = TableNameWalker(hiding: inner) { (name: String, position: Int, context: RecursionContext) throws(MemFluxError) in
            guard name == cte.name else { return }
            if let message = context.violation(name) { throw MemFluxError(.err, message, position: position) }
            count += 1
            if count > 1 {
                throw MemFluxError(.err, "recursive reference to query \"\(name)\" must not appear more than once", position: position)
            }
        }
        try walker.body(nonRecursive, .nonRecursiveTerm)
        try walker.body(recursive, .allowed)
        if let first = cte.query.orderBy.first {
            throw MemFluxError(.err, "ORDER BY in a recursive query is not implemented", position: first.expression.position)
        }
        if let offset = cte.query.offset {
            throw MemFluxError(.err, "OFFSET in a recursive query is not implemented", position: offset.position)
        }
        if let limit = cte.query.limit {
            throw MemFluxError(.err, "LIMIT in a recursive query is not implemented", position: limit.position)
        }
        if let aggregate = aggregateBeside(cte.name, in: recursive) {
            throw MemFluxError(.err, "aggregate functions are not allowed in a recursive query's recursive term", position: aggregate.position)
        }
    }

    /// An aggregate in a SELECT whose own FROM reads `name` (PostgreSQL refuses to aggregate the working table).
    private static func aggregateBeside(_ name: String, in body: QueryBody) -> Expression? {
        switch body {
        case .select(let s):
            guard s.from.contains(where: { reads(name, $0) }) else { return nil }
            var expressions: [Expression] = s.items.compactMap { if case .expression(let e, _) = $0 { return e }; return nil }
            if let having = s.having { expressions.append(having) }
            return expressions.first(where: ExpressionShape.containsAggregate)
        case .setOperation(_, _, let l, let r): return aggregateBeside(name, in: l) ?? aggregateBeside(name, in: r)
        case .nested(let q): return aggregateBeside(name, in: q.body)
        case .values: return nil
        }
    }

    /// Whether a FROM item (through its joins, not its subqueries) is the table `name`.
    private static func reads(_ name: String, _ t: TableReference) -> Bool {
        switch t {
        case .table(let n, _, _): return n == [name]
        case .join(_, let l, let r, _, _): return reads(name, l) || reads(name, r)
        case .subquery, .function: return false
        }
    }
}

extension Binder {
    /// A recursive WITH item, as a PhysicalRecursiveUnion.
    func bindRecursiveQuery(_ cte: CommonTableExpression) throws(MemFluxError) -> CommonTablePlan {
        guard case .setOperation(.union, let all, let nonRecursiveBody, let recursiveBody) = cte.query.body else {
            preconditionFailure("checkForm admits only a UNION")
        }
        if let inner = cte.query.with { try bindWith(inner) }
        defer { if cte.query.with != nil { commonTables.removeLast() } }
        let nonRecursive = try bindBody(nonRecursiveBody, Scope(parent: nil))
        let columns = try commonColumns(nonRecursive.columns, cte)
        let working = WorkingTable(name: cte.name)
        commonTables.append([cte.name: .workingTable(working, columns: columns)])
        let recursive = try bindBody(recursiveBody, Scope(parent: nil))
        commonTables.removeLast()
        guard recursive.columns.count == columns.count else {
            throw MemFluxError(.err, "each UNION query must have the same number of columns", position: cte.position)
        }
        var converted: [BoundExpression] = []
        var converts = false
        for (i, column) in columns.enumerated() {
            let produced = recursive.columns[i].type
            let overall = try unionType(column.type, produced, at: cte.position)
            guard overall == column.type else {
                throw MemFluxError(
                    .err,
                    "recursive query \"\(cte.name)\" column \(i + 1) has type \(column.type.postgresName) in non-recursive term but type \(overall.postgresName) overall",
                    position: cte.position)
            }
            if produced == column.type {
                converted.append(.column(i, produced))
            } else {
                converted.append(.cast(.column(i, produced), column.type))
                converts = true
            }
        }
        var recursivePlan = recursive.plan
        if converts || recursivePlan.width != columns.count { recursivePlan = PhysicalProject(recursivePlan, converted) }
        var nonRecursivePlan = nonRecursive.plan
        if nonRecursivePlan.width != columns.count {
            nonRecursivePlan = PhysicalProject(nonRecursivePlan, columns.enumerated().map { .column($0.offset, $0.element.type) })
        }
        let plan = PhysicalRecursiveUnion(working, nonRecursive: nonRecursivePlan, recursive: recursivePlan, all: all)
        return CommonTablePlan(name: cte.name, plan: plan, columns: columns)
    }

    /// The type PostgreSQL's UNION gives a column of types `a` and `b`: their common type, without a length or
    /// precision unless both have the same. A schemaless (dynamic) value, or an untyped literal, takes `a`.
    private func unionType(_ a: SQLType, _ b: SQLType, at position: Int) throws(MemFluxError) -> SQLType {
        if a == b || b == .dynamic || b == .unknown { return a }
        switch try commonType([a, b], context: "UNION", at: position) {
        case .numeric: return .numeric(precision: nil, scale: nil)
        case .varchar: return .varchar(nil)
        case let common: return common
        }
    }
}
