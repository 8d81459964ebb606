// SQLPrinter: a syntax tree back to SQL text that parses to the same tree
// (positions aside). Every operator application is parenthesized, so the
// text shows exactly how the parser grouped an expression: `a + b * c` prints
// as `(a + (b * c))`. Names are quoted when they are keywords or not plain
// lowercase identifiers. For tests, the fuzzer (print(parse(print(x))) ==
// print(x)), and wherever a tree must be shown or stored as text.

import MemFluxCore

public enum SQLPrinter {
    public static func statement(_ statement: Statement) -> String {
        var out = ""
        print(statement, into: &out)
        return out
    }

    public static func expression(_ expression: Expression) -> String {
        var out = ""
        print(expression, into: &out)
        return out
    }

    public static func query(_ query: Query) -> String {
        var out = ""
        print(query, into: &out)
        return out
    }

    public static func type(_ sqlType: SQLType) -> String {
        switch sqlType {
        case .boolean: return "boolean"
        case .smallint: return "smallint"
        case .integer: return "integer"
        case .bigint: return "bigint"
        case .real: return "real"
        case .double: return "double precision"
        case .numeric(let precision?, let scale): return "numeric(\(precision), \(scale ?? 0))"
        case .numeric(nil, _): return "numeric"
        case .text: return "text"
        case .varchar(let length?): return "varchar(\(length))"
        case .varchar(nil): return "varchar"
        case .char(let length?): return "char(\(length))"
        case .char(nil): return "bpchar"
        case .bytea: return "bytea"
        case .timestamp: return "timestamp"
        case .timestamptz: return "timestamp with time zone"
        case .date: return "date"
        case .time: return "time"
        case .uuid: return "uuid"
        case .json: return "json"
        case .jsonb: return "jsonb"
        case .array(let element): return type(element) + "[]"
        case .dynamic: return "dynamic"
        case .unknown: return "unknown"
        }
    }

    /// `name` as written in SQL: bare when it is a plain lowercase identifier and not a keyword that is reserved
    /// in some context, else quoted.
    public static func identifier(_ name: String) -> String {
        var plain = !name.isEmpty
        var first = true
        for b in name.utf8 {
            let letter = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || b == UInt8(ascii: "_")
            let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            if !(letter || (!first && (digit || b == UInt8(ascii: "$")))) {
                plain = false
                break
            }
            first = false
        }
        if plain {
            let keyword = name.utf8.withContiguousStorageIfAvailable { KeywordLookup.lookup(UnsafeRawBufferPointer($0)) }
            if let keyword, keyword.category != .unreserved { plain = false }
        }
        if plain { return name }
        var quoted = "\""
        for c in name.unicodeScalars {
            if c == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(c) }
        }
        return quoted + "\""
    }

    static func string(_ text: String) -> String {
        var quoted = "'"
        for c in text.unicodeScalars {
            if c == "'" { quoted += "''" } else { quoted.unicodeScalars.append(c) }
        }
        return quoted + "'"
    }

    static func names(_ parts: [String]) -> String { parts.map(identifier).joined(separator: ".") }

    static func numeric(_ value: SQLNumeric) -> String {
        var digits = ""
        for (i, limb) in value.limbs.reversed().enumerated() {
            let text = String(limb)
            digits += i == 0 ? text : String(repeating: "0", count: 9 - text.count) + text
        }
        if digits.isEmpty { digits = "0" }
        if value.scale == 0 { return (value.isNegative ? "-" : "") + digits + "e0" }
        if digits.count <= value.scale { digits = String(repeating: "0", count: value.scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -value.scale)
        return (value.isNegative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    static func value(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .int(let i): return String(i)
        case .numeric(let n): return numeric(n)
        case .double(let d): return "\(d)"
        case .text(let s): return string(s)
        default: return "\(value)"
        }
    }

    // MARK: Expressions

    static func list(_ expressions: [Expression], into out: inout String) {
        for (i, e) in expressions.enumerated() {
            if i > 0 { out += ", " }
            print(e, into: &out)
        }
    }

    static func print(_ e: Expression, into out: inout String) {
        switch e.kind {
        case .literal(let v): out += value(v)
        case .string(let s): out += string(s)
        case .typedString(let t, let s): out += type(t) + " " + string(s)
        case .parameter(let n): out += "$\(n)"
        case .column(let parts): out += names(parts)
        case .unary(let op, let x):
            out += "(" + op.rawValue + " "
            print(x, into: &out)
            out += ")"
        case .binary(let op, let l, let r):
            out += "("
            print(l, into: &out)
            out += " " + op.rawValue + " "
            print(r, into: &out)
            out += ")"
        case .function(let call): print(call, into: &out)
        case .cast(let x, let t):
            out += "CAST("
            print(x, into: &out)
            out += " AS " + type(t) + ")"
        case .caseWhen(let operand, let branches, let otherwise):
            out += "CASE"
            if let operand {
                out += " "
                print(operand, into: &out)
            }
            for branch in branches {
                out += " WHEN "
                print(branch.condition, into: &out)
                out += " THEN "
                print(branch.result, into: &out)
            }
            if let otherwise {
                out += " ELSE "
                print(otherwise, into: &out)
            }
            out += " END"
        case .isNull(let x, let negated):
            out += "("
            print(x, into: &out)
            out += negated ? " IS NOT NULL)" : " IS NULL)"
        case .isTruth(let x, let truth, let negated):
            out += "("
            print(x, into: &out)
            out += negated ? " IS NOT " : " IS "
            out += truth == nil ? "UNKNOWN)" : truth! ? "TRUE)" : "FALSE)"
        case .isDistinctFrom(let l, let r, let negated):
            out += "("
            print(l, into: &out)
            out += negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM "
            print(r, into: &out)
            out += ")"
        case .between(let x, let low, let high, let negated, let symmetric):
            out += "("
            print(x, into: &out)
            out += negated ? " NOT BETWEEN " : " BETWEEN "
            if symmetric { out += "SYMMETRIC " }
            print(low, into: &out)
            out += " AND "
            print(high, into: &out)
            out += ")"
        case .like(let x, let pattern, let escape, let caseInsensitive, let negated):
            out += "("
            print(x, into: &out)
            out += (negated ? " NOT" : "") + (caseInsensitive ? " ILIKE " : " LIKE ")
            print(pattern, into: &out)
            if let escape {
                out += " ESCAPE "
                print(escape, into: &out)
            }
            out += ")"
        case .inList(let x, let items, let negated):
            out += "("
            print(x, into: &out)
            out += negated ? " NOT IN (" : " IN ("
            list(items, into: &out)
            out += "))"
        case .inQuery(let x, let q, let negated):
            out += "("
            print(x, into: &out)
            out += negated ? " NOT IN (" : " IN ("
            print(q, into: &out)
            out += "))"
        case .exists(let q):
            out += "EXISTS ("
            print(q, into: &out)
            out += ")"
        case .subquery(let q):
            out += "("
            print(q, into: &out)
            out += ")"
        case .quantified(let op, let x, let quantifier, let source):
            out += "("
            print(x, into: &out)
            out += " " + op.rawValue + " " + quantifier.rawValue + " ("
            switch source {
            case .array(let a): print(a, into: &out)
            case .query(let q): print(q, into: &out)
            }
            out += "))"
        case .array(let items):
            out += "ARRAY["
            list(items, into: &out)
            out += "]"
        case .arrayQuery(let q):
            out += "ARRAY("
            print(q, into: &out)
            out += ")"
        case .element(let x, let i):
            out += "("
            print(x, into: &out)
            out += ")["
            print(i, into: &out)
            out += "]"
        case .row(let items):
            out += "ROW("
            list(items, into: &out)
            out += ")"
        case .defaultValue: out += "DEFAULT"
        case .specialFunction(let f): out += f.rawValue.uppercased()
        }
    }

    static func print(_ call: FunctionCall, into out: inout String) {
        switch call.name {
        case ["coalesce"], ["nullif"], ["greatest"], ["least"]: out += call.name[0]
        default: out += names(call.name)
        }
        out += "("
        if call.isStar { out += "*" }
        if call.isDistinct { out += "DISTINCT " }
        list(call.arguments, into: &out)
        if !call.orderBy.isEmpty {
            out += " "
            print(orderBy: call.orderBy, into: &out)
        }
        out += ")"
        if let filter = call.filter {
            out += " FILTER (WHERE "
            print(filter, into: &out)
            out += ")"
        }
        if let over = call.over {
            out += " OVER "
            if let base = over.baseName, over.partitionBy.isEmpty, over.orderBy.isEmpty, over.frame == nil {
                out += identifier(base)
            } else {
                print(over, into: &out)
            }
        }
    }

    static func print(orderBy items: [OrderItem], into out: inout String) {
        out += "ORDER BY "
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            print(item.expression, into: &out)
            if item.descending { out += " DESC" }
            if let nullsFirst = item.nullsFirst { out += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
        }
    }

    static func print(_ window: WindowSpecification, into out: inout String) {
        var parts: [String] = []
        if let base = window.baseName { parts.append("\"" + base.replacingQuotes() + "\"") }
        if !window.partitionBy.isEmpty {
            var text = "PARTITION BY "
            list(window.partitionBy, into: &text)
            parts.append(text)
        }
        if !window.orderBy.isEmpty {
            var text = ""
            print(orderBy: window.orderBy, into: &text)
            parts.append(text)
        }
        if let frame = window.frame {
            var text = frame.mode.rawValue + " "
            if let end = frame.end {
                text += "BETWEEN "
                print(frame.start, into: &text)
                text += " AND "
                print(end, into: &text)
            } else {
                print(frame.start, into: &text)
            }
            if frame.exclusion != .noOthers { text += " EXCLUDE " + frame.exclusion.rawValue }
            parts.append(text)
        }
        out += "(" + parts.joined(separator: " ") + ")"
    }

    static func print(_ bound: WindowFrame.Bound, into out: inout String) {
        switch bound {
        case .unboundedPreceding: out += "UNBOUNDED PRECEDING"
        case .unboundedFollowing: out += "UNBOUNDED FOLLOWING"
        case .currentRow: out += "CURRENT ROW"
        case .preceding(let e):
            print(e, into: &out)
            out += " PRECEDING"
        case .following(let e):
            print(e, into: &out)
            out += " FOLLOWING"
        }
    }

    // MARK: Queries

    static func print(_ query: Query, into out: inout String) {
        if let with = query.with {
            out += with.isRecursive ? "WITH RECURSIVE " : "WITH "
            for (i, table) in with.tables.enumerated() {
                if i > 0 { out += ", " }
                out += identifier(table.name)
                if !table.columns.isEmpty { out += "(" + table.columns.map(identifier).joined(separator: ", ") + ")" }
                out += " AS ("
                print(table.query, into: &out)
                out += ")"
            }
            out += " "
        }
        print(query.body, into: &out)
        if !query.orderBy.isEmpty {
            out += " "
            print(orderBy: query.orderBy, into: &out)
        }
        if let limit = query.limit {
            out += " LIMIT "
            print(limit, into: &out)
        }
        if let offset = query.offset {
            out += " OFFSET "
            print(offset, into: &out)
        }
    }

    static func print(_ body: QueryBody, into out: inout String) {
        switch body {
        case .select(let select): print(select, into: &out)
        case .values(let rows): print(values: rows, into: &out)
        case .setOperation(let op, let all, let left, let right):
            out += "("
            print(left, into: &out)
            out += ") " + op.rawValue + (all ? " ALL (" : " (")
            print(right, into: &out)
            out += ")"
        case .nested(let query):
            out += "("
            print(query, into: &out)
            out += ")"
        }
    }

    static func print(values rows: [[Expression]], into out: inout String) {
        out += "VALUES "
        for (i, row) in rows.enumerated() {
            if i > 0 { out += ", " }
            out += "("
            list(row, into: &out)
            out += ")"
        }
    }

    static func print(_ select: Select, into out: inout String) {
        out += "SELECT"
        switch select.distinct {
        case .all: break
        case .distinct: out += " DISTINCT"
        case .on(let expressions):
            out += " DISTINCT ON ("
            list(expressions, into: &out)
            out += ")"
        }
        if !select.items.isEmpty {
            out += " "
            print(items: select.items, into: &out)
        }
        if !select.from.isEmpty {
            out += " FROM "
            print(from: select.from, into: &out)
        }
        if let whereClause = select.whereClause {
            out += " WHERE "
            print(whereClause, into: &out)
        }
        if !select.groupBy.isEmpty {
            out += " GROUP BY "
            list(select.groupBy, into: &out)
        }
        if let having = select.having {
            out += " HAVING "
            print(having, into: &out)
        }
        if !select.windows.isEmpty {
            out += " WINDOW "
            for (i, window) in select.windows.enumerated() {
                if i > 0 { out += ", " }
                out += identifier(window.name) + " AS "
                print(window.specification, into: &out)
            }
        }
    }

    static func print(items: [SelectItem], into out: inout String) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            switch item {
            case .star(let qualifier, _):
                if let qualifier { out += names(qualifier) + "." }
                out += "*"
            case .expression(let e, let alias):
                print(e, into: &out)
                if let alias { out += " AS " + identifier(alias) }
            }
        }
    }

    static func print(from items: [TableReference], into out: inout String) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            print(item, into: &out)
        }
    }

    static func print(_ alias: TableAlias?, into out: inout String) {
        guard let alias else { return }
        out += " AS " + identifier(alias.name)
        if !alias.columns.isEmpty { out += "(" + alias.columns.map(identifier).joined(separator: ", ") + ")" }
    }

    static func print(_ reference: TableReference, into out: inout String) {
        switch reference {
        case .table(let name, let alias, _):
            out += names(name)
            print(alias, into: &out)
        case .subquery(let query, let alias, let lateral, _):
            if lateral { out += "LATERAL " }
            out += "("
            print(query, into: &out)
            out += ")"
            print(alias, into: &out)
        case .function(let call, let alias, _):
            print(call, into: &out)
            print(alias, into: &out)
        case .join(let kind, let left, let right, let condition, _):
            out += "("
            print(left, into: &out)
            if case .natural = condition { out += " NATURAL" }
            switch kind {
            case .cross: out += " CROSS JOIN "
            case .inner: out += " JOIN "
            default: out += " " + kind.rawValue + " JOIN "
            }
            print(right, into: &out)
            switch condition {
            case .none, .natural: break
            case .on(let e):
                out += " ON "
                print(e, into: &out)
            case .using(let columns):
                out += " USING (" + columns.map(identifier).joined(separator: ", ") + ")"
            }
            out += ")"
        }
    }

    // MARK: Statements

    static func print(assignments: [Assignment], into out: inout String) {
        for (i, assignment) in assignments.enumerated() {
            if i > 0 { out += ", " }
            out += names(assignment.column) + " = "
            print(assignment.value, into: &out)
        }
    }

    static func print(returning items: [SelectItem], into out: inout String) {
        guard !items.isEmpty else { return }
        out += " RETURNING "
        print(items: items, into: &out)
    }

    static func print(_ reference: ForeignKeyReference, into out: inout String) {
        out += "REFERENCES " + names(reference.table)
        if !reference.columns.isEmpty { out += " (" + reference.columns.map(identifier).joined(separator: ", ") + ")" }
        if reference.onDelete != .noAction { out += " ON DELETE " + reference.onDelete.rawValue }
        if reference.onUpdate != .noAction { out += " ON UPDATE " + reference.onUpdate.rawValue }
        if reference.deferrable { out += " DEFERRABLE" }
        if reference.initiallyDeferred { out += " INITIALLY DEFERRED" }
    }

    static func print(_ column: ColumnDefinition, into out: inout String) {
        out += identifier(column.name) + " " + type(column.type)
        for constraint in column.constraints {
            if let name = constraint.name { out += " CONSTRAINT " + identifier(name) }
            switch constraint.kind {
            case .primaryKey: out += " PRIMARY KEY"
            case .notNull: out += " NOT NULL"
            case .null: out += " NULL"
            case .unique: out += " UNIQUE"
            case .defaultValue(let e):
                out += " DEFAULT "
                print(e, into: &out)
            case .check(let e):
                out += " CHECK ("
                print(e, into: &out)
                out += ")"
            case .references(let reference):
                out += " "
                print(reference, into: &out)
            }
        }
    }

    static func print(_ constraint: TableConstraint, into out: inout String) {
        if let name = constraint.name { out += "CONSTRAINT " + identifier(name) + " " }
        func columns(_ names: [String]) -> String { "(" + names.map(identifier).joined(separator: ", ") + ")" }
        switch constraint.kind {
        case .primaryKey(let names): out += "PRIMARY KEY " + columns(names)
        case .unique(let names): out += "UNIQUE " + columns(names)
        case .check(let e):
            out += "CHECK ("
            print(e, into: &out)
            out += ")"
        case .foreignKey(let names, let reference):
            out += "FOREIGN KEY " + columns(names) + " "
            print(reference, into: &out)
        }
    }

    static func print(_ statement: Statement, into out: inout String) {
        func nameList(_ names: [[String]]) -> String { names.map { Self.names($0) }.joined(separator: ", ") }
        switch statement {
        case .query(let query): print(query, into: &out)
        case .insert(let insert):
            out += "INSERT INTO " + names(insert.table)
            if let alias = insert.alias { out += " AS " + identifier(alias) }
            if let columns = insert.columns { out += " (" + columns.map(identifier).joined(separator: ", ") + ")" }
            switch insert.source {
            case .values(let rows):
                out += " "
                print(values: rows, into: &out)
            case .query(let query):
                out += " "
                print(query, into: &out)
            case .defaultValues: out += " DEFAULT VALUES"
            }
            if let conflict = insert.onConflict {
                out += " ON CONFLICT"
                if !conflict.columns.isEmpty { out += " (" + conflict.columns.map(identifier).joined(separator: ", ") + ")" }
                switch conflict.action {
                case .nothing: out += " DO NOTHING"
                case .update(let assignments, let whereClause):
                    out += " DO UPDATE SET "
                    print(assignments: assignments, into: &out)
                    if let whereClause {
                        out += " WHERE "
                        print(whereClause, into: &out)
                    }
                }
            }
            print(returning: insert.returning, into: &out)
        case .update(let update):
            out += "UPDATE " + names(update.table)
            if let alias = update.alias { out += " AS " + identifier(alias) }
            out += " SET "
            print(assignments: update.assignments, into: &out)
            if !update.from.isEmpty {
                out += " FROM "
                print(from: update.from, into: &out)
            }
            if let whereClause = update.whereClause {
                out += " WHERE "
                print(whereClause, into: &out)
            }
            print(returning: update.returning, into: &out)
        case .delete(let delete):
            out += "DELETE FROM " + names(delete.table)
            if let alias = delete.alias { out += " AS " + identifier(alias) }
            if !delete.using.isEmpty {
                out += " USING "
                print(from: delete.using, into: &out)
            }
            if let whereClause = delete.whereClause {
                out += " WHERE "
                print(whereClause, into: &out)
            }
            print(returning: delete.returning, into: &out)
        case .createTable(let table):
            out += "CREATE TABLE " + (table.ifNotExists ? "IF NOT EXISTS " : "") + names(table.name) + " ("
            var first = true
            for column in table.columns {
                if !first { out += ", " }
                first = false
                print(column, into: &out)
            }
            for constraint in table.constraints {
                if !first { out += ", " }
                first = false
                print(constraint, into: &out)
            }
            out += ")"
        case .dropTable(let tables, let ifExists, let cascade):
            out += "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + nameList(tables) + (cascade ? " CASCADE" : "")
        case .truncate(let tables):
            out += "TRUNCATE " + nameList(tables)
        case .alterTable(let name, let ifExists, let action):
            out += "ALTER TABLE " + (ifExists ? "IF EXISTS " : "") + names(name) + " "
            switch action {
            case .addColumn(let column, let ifNotExists):
                out += "ADD COLUMN " + (ifNotExists ? "IF NOT EXISTS " : "")
                print(column, into: &out)
            case .dropColumn(let column, let ifExists):
                out += "DROP COLUMN " + (ifExists ? "IF EXISTS " : "") + identifier(column)
            case .renameColumn(let from, let to):
                out += "RENAME COLUMN " + identifier(from) + " TO " + identifier(to)
            case .renameTable(let to):
                out += "RENAME TO " + identifier(to)
            case .addConstraint(let constraint):
                out += "ADD "
                print(constraint, into: &out)
            case .dropConstraint(let constraint, let ifExists):
                out += "DROP CONSTRAINT " + (ifExists ? "IF EXISTS " : "") + identifier(constraint)
            case .setDefault(let column, let e):
                out += "ALTER COLUMN " + identifier(column) + " SET DEFAULT "
                print(e, into: &out)
            case .dropDefault(let column):
                out += "ALTER COLUMN " + identifier(column) + " DROP DEFAULT"
            case .setNotNull(let column):
                out += "ALTER COLUMN " + identifier(column) + " SET NOT NULL"
            case .dropNotNull(let column):
                out += "ALTER COLUMN " + identifier(column) + " DROP NOT NULL"
            case .setType(let column, let t, let using):
                out += "ALTER COLUMN " + identifier(column) + " TYPE " + type(t)
                if let using {
                    out += " USING "
                    print(using, into: &out)
                }
            }
        case .createIndex(let index):
            out += "CREATE " + (index.isUnique ? "UNIQUE " : "") + "INDEX "
            if index.ifNotExists { out += "IF NOT EXISTS " }
            if let name = index.name { out += identifier(name) + " " }
            out += "ON " + names(index.table)
            if let method = index.method { out += " USING " + method.rawValue.lowercased() }
            out += " ("
            for (i, e) in index.expressions.enumerated() {
                if i > 0 { out += ", " }
                out += "("
                print(e, into: &out)
                out += ")"
            }
            out += ")"
        case .dropIndex(let indexes, let ifExists):
            out += "DROP INDEX " + (ifExists ? "IF EXISTS " : "") + nameList(indexes)
        case .createView(let name, let orReplace, let columns, let query):
            out += "CREATE " + (orReplace ? "OR REPLACE " : "") + "VIEW " + names(name)
            if !columns.isEmpty { out += " (" + columns.map(identifier).joined(separator: ", ") + ")" }
            out += " AS "
            print(query, into: &out)
        case .dropView(let views, let ifExists):
            out += "DROP VIEW " + (ifExists ? "IF EXISTS " : "") + nameList(views)
        case .createSchema(let name, let ifNotExists):
            out += "CREATE SCHEMA " + (ifNotExists ? "IF NOT EXISTS " : "") + identifier(name)
        case .dropSchema(let schemas, let ifExists, let cascade):
            out += "DROP SCHEMA " + (ifExists ? "IF EXISTS " : "") + schemas.map(identifier).joined(separator: ", ")
                + (cascade ? " CASCADE" : "")
        case .begin(let isolation):
            out += "BEGIN"
            if let isolation { out += " ISOLATION LEVEL " + isolation.rawValue.uppercased() }
        case .commit: out += "COMMIT"
        case .rollback: out += "ROLLBACK"
        case .savepoint(let name): out += "SAVEPOINT " + identifier(name)
        case .rollbackToSavepoint(let name): out += "ROLLBACK TO SAVEPOINT " + identifier(name)
        case .releaseSavepoint(let name): out += "RELEASE SAVEPOINT " + identifier(name)
        case .explain(let inner, let analyze):
            out += analyze ? "EXPLAIN ANALYZE " : "EXPLAIN "
            print(inner, into: &out)
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
