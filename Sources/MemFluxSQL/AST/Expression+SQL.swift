// SQL text for an expression: how a column DEFAULT is stored in the
// catalog (parsed again when the definition is loaded), how EXPLAIN names
// conditions, and how the binder recognizes a select-list expression that
// repeats a GROUP BY expression (same text, positions aside).

import MemFluxCore

extension Expression {
    public var sql: String {
        switch kind {
        case .literal(let v):
            switch v {
            case .null: return "NULL"
            case .bool(let b): return b ? "TRUE" : "FALSE"
            case .int(let i): return String(i)
            case .numeric(let n): return n.description
            default: return "?"
            }
        case .string(let s): return Expression.quote(s)
        case .typedString(let t, let s): return "\(t.postgresName) \(Expression.quote(s))"
        case .parameter(let n): return "$\(n)"
        case .column(let parts): return parts.map(Expression.identifier).joined(separator: ".")
        case .unary(let op, let e): return op == .not ? "(NOT \(e.sql))" : "(\(op.rawValue)\(e.sql))"
        case .binary(let op, let a, let b): return "(\(a.sql) \(op.rawValue) \(b.sql))"
        case .function(let f): return f.sql
        case .cast(let e, let t): return "CAST(\(e.sql) AS \(t.postgresName))"
        case .caseWhen(let operand, let branches, let otherwise):
            var s = "CASE"
            if let operand { s += " " + operand.sql }
            for b in branches { s += " WHEN \(b.condition.sql) THEN \(b.result.sql)" }
            if let otherwise { s += " ELSE " + otherwise.sql }
            return s + " END"
        case .isNull(let e, let negated): return "(\(e.sql) IS \(negated ? "NOT " : "")NULL)"
        case .isTruth(let e, let v, let negated):
            return "(\(e.sql) IS \(negated ? "NOT " : "")\(v.map { $0 ? "TRUE" : "FALSE" } ?? "UNKNOWN"))"
        case .isDistinctFrom(let a, let b, let negated): return "(\(a.sql) IS \(negated ? "NOT " : "")DISTINCT FROM \(b.sql))"
        case .between(let e, let low, let high, let negated, let symmetric):
            return "(\(e.sql) \(negated ? "NOT " : "")BETWEEN \(symmetric ? "SYMMETRIC " : "")\(low.sql) AND \(high.sql))"
        case .like(let e, let p, let escape, let ci, let negated):
            return "(\(e.sql) \(negated ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(p.sql)\(escape.map { " ESCAPE " + $0.sql } ?? ""))"
        case .inList(let e, let list, let negated):
            return "(\(e.sql) \(negated ? "NOT " : "")IN (\(list.map(\.sql).joined(separator: ", "))))"
        case .inQuery(let e, _, let negated): return "(\(e.sql) \(negated ? "NOT " : "")IN (SELECT ...@\(position)))"
        case .exists: return "EXISTS (SELECT ...@\(position))"
        case .subquery: return "(SELECT ...@\(position))"
        case .arrayQuery: return "ARRAY(SELECT ...@\(position))"
        case .quantified(let op, let e, let q, let source):
            switch source {
            case .array(let a): return "(\(e.sql) \(op.rawValue) \(q.rawValue) (\(a.sql)))"
            case .query: return "(\(e.sql) \(op.rawValue) \(q.rawValue) (SELECT ...@\(position)))"
            }
        case .array(let items): return "ARRAY[\(items.map(\.sql).joined(separator: ", "))]"
        case .element(let a, let i): return "\(a.sql)[\(i.sql)]"
        case .row(let items): return "ROW(\(items.map(\.sql).joined(separator: ", ")))"
        case .defaultValue: return "DEFAULT"
        case .specialFunction(let f): return f.rawValue.uppercased()
        }
    }

    static func quote(_ s: String) -> String {
        "'" + s.replacingAll("'", with: "''") + "'"
    }

    static func identifier(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
            && !(name.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? false)
        return plain ? name : "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension FunctionCall {
    public var sql: String {
        var s = name.joined(separator: ".") + "("
        if isDistinct { s += "DISTINCT " }
        s += isStar ? "*" : arguments.map(\.sql).joined(separator: ", ")
        if !orderBy.isEmpty {
            s += " ORDER BY " + orderBy.map { $0.expression.sql + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
        }
        s += ")"
        if let filter { s += " FILTER (WHERE \(filter.sql))" }
        if let over {
            s += " OVER "
            SQLPrinter.print(over, into: &s)
        }
        return s
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}

/// Comparing and naming expressions the way the binder needs.
enum ExpressionShape {
    static func same(_ a: Expression, _ b: Expression) -> Bool { a.sql == b.sql }
    static func same(_ a: FunctionCall, _ b: FunctionCall) -> Bool { a.sql == b.sql }

    static func same(_ a: BoundExpression, _ b: BoundExpression) -> Bool {
        if case .column(let i, _) = a, case .column(let j, _) = b { return i == j }
        return false
    }

    /// The name of `column` in an error: `t.c` or `c`.
    static func name(_ e: Expression) -> String {
        if case .column(let parts) = e.kind { return parts.joined(separator: ".") }
        return e.sql
    }

    /// The output column name PostgreSQL gives an unaliased select-list expression.
    static func outputName(_ e: Expression) -> String {
        figuredName(e)?.name ?? "?column?"
    }

    /// PostgreSQL's FigureColname: a name and how firmly it holds. Columns,
    /// functions and subqueries hold (2); a type name or `case` is a fallback
    /// (1) that an enclosing cast replaces, so `x::numeric::int` is `int4`
    /// and `CASE ... ELSE price END` is `price`.
    private static func figuredName(_ e: Expression) -> (name: String, strength: Int)? {
        switch e.kind {
        case .column(let parts): return parts.last.map { ($0, 2) }
        case .function(let f): return f.name.last.map { ($0, 2) }
        case .element(let base, _): return figuredName(base)
        case .cast(let inner, let type):
            if let name = figuredName(inner), name.strength > 1 { return name }
            return (type.outputName, 1)
        case .typedString(let type, _): return (type.outputName, 1)
        case .caseWhen(_, _, let otherwise):
            if let otherwise, let name = figuredName(otherwise), name.strength > 1 { return name }
            return ("case", 1)
        case .exists: return ("exists", 2)
        case .array, .arrayQuery: return ("array", 2)
        case .specialFunction(let f): return (f.rawValue, 2)
        case .row: return ("row", 2)
        case .subquery(let q):
            if case .select(let s) = q.body, s.items.count == 1, case .expression(let inner, let alias) = s.items[0] {
                return (alias ?? outputName(inner), 2)
            }
            return nil
        default: return nil
        }
    }

    static func containsAggregate(_ e: Expression) -> Bool {
        var found = false
        visit(e) { x in
            if case .function(let f) = x.kind, f.over == nil, AggregateFunction.named(f.name) != nil { found = true }
        }
        return found
    }

    /// Calls `body` on `e` and its subexpressions, not descending into subqueries.
    static func visit(_ e: Expression, _ body: (Expression) -> Void) {
        body(e)
        switch e.kind {
        case .unary(_, let a), .cast(let a, _), .isNull(let a, _), .isTruth(let a, _, _): visit(a, body)
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _), .element(let a, let b):
            visit(a, body)
            visit(b, body)
        case .function(let f):
            // Arguments of an aggregate belong to it; a nested aggregate is reported when the aggregate is bound.
            if AggregateFunction.named(f.name) == nil || f.over != nil { f.arguments.forEach { visit($0, body) } }
            // A window's PARTITION BY and ORDER BY read the same rows as the call (`rank() OVER (ORDER BY sum(x))`).
            if let over = f.over {
                over.partitionBy.forEach { visit($0, body) }
                over.orderBy.forEach { visit($0.expression, body) }
            }
        case .caseWhen(let operand, let branches, let otherwise):
            if let operand { visit(operand, body) }
            for b in branches {
                visit(b.condition, body)
                visit(b.result, body)
            }
            if let otherwise { visit(otherwise, body) }
        case .between(let a, let l, let h, _, _):
            visit(a, body)
            visit(l, body)
            visit(h, body)
        case .like(let a, let p, let escape, _, _):
            visit(a, body)
            visit(p, body)
            if let escape { visit(escape, body) }
        case .inList(let a, let list, _):
            visit(a, body)
            list.forEach { visit($0, body) }
        case .inQuery(let a, _, _), .quantified(_, let a, _, .query): visit(a, body)
        case .quantified(_, let a, _, .array(let x)):
            visit(a, body)
            visit(x, body)
        case .array(let items), .row(let items): items.forEach { visit($0, body) }
        default: break
        }
    }
}

extension SQLType {
    /// The column name PostgreSQL gives `'x'::type`: its internal type name.
    var outputName: String {
        switch self {
        case .boolean: "bool"
        case .smallint: "int2"
        case .integer: "int4"
        case .bigint: "int8"
        case .real: "float4"
        case .double: "float8"
        case .numeric: "numeric"
        case .text: "text"
        case .varchar: "varchar"
        case .char: "bpchar"
        case .bytea: "bytea"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .date: "date"
        case .time: "time"
        case .uuid: "uuid"
        case .json: "json"
        case .jsonb, .dynamic: "jsonb"
        // `'{1}'::int[]` is named after the element type (the cast's type name has no brackets).
        case .array(let e): e.outputName
        case .unknown: "text"
        }
    }
}
