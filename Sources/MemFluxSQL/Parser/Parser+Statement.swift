// Statements: queries, INSERT / UPDATE / DELETE, DDL (tables, indexes, views,
// schemas), transaction control and EXPLAIN.

import MemFluxCore

extension Parser {
    mutating func parseStatement() throws(MemFluxError) -> Statement {
        let token = current
        if token.kind == .leftParen { return .query(try parseQuery()) }
        guard token.kind == .identifier else { throw syntaxError() }
        switch token.keyword {
        case .select, .values, .with:
            return .query(try parseQuery())
        case .insert:
            return .insert(try parseInsert())
        case .update:
            return .update(try parseUpdate())
        case .delete:
            return .delete(try parseDelete())
        case .create:
            return try parseCreate()
        case .drop:
            return try parseDrop()
        case .alter:
            return try parseAlterTable()
        case .truncate:
            advance()
            _ = accept(.table)
            let names = try parseQualifiedNameList()
            _ = accept(.restrict)
            return .truncate(names: names)
        case .begin:
            advance()
            if !accept(.work) { _ = accept(.transaction) }
            return .begin(try parseTransactionModes())
        case .start:
            advance()
            try expect(.transaction)
            return .begin(try parseTransactionModes())
        case .commit, .end:
            advance()
            if !accept(.work) { _ = accept(.transaction) }
            return .commit
        case .rollback, .abort:
            advance()
            if !accept(.work) { _ = accept(.transaction) }
            if token.keyword == .rollback && accept(.to) {
                _ = accept(.savepoint)
                return .rollbackToSavepoint(try parseColumnIdentifier())
            }
            return .rollback
        case .savepoint:
            advance()
            return .savepoint(try parseColumnIdentifier())
        case .release:
            advance()
            _ = accept(.savepoint)
            return .releaseSavepoint(try parseColumnIdentifier())
        case .explain:
            advance()
            let analyze = accept(.analyze) || accept(.analyse)
            try enter()
            defer { leave() }
            return .explain(try parseStatement(), analyze: analyze)
        default:
            throw syntaxError()
        }
    }

    /// `[ISOLATION LEVEL ...] [READ WRITE]`, separated by commas or not.
    private mutating func parseTransactionModes() throws(MemFluxError) -> TransactionIsolation? {
        var isolation: TransactionIsolation?
        var first = true
        while true {
            if !first && current.kind == .comma && (isKeyword(.isolation, at: 1) || isKeyword(.read, at: 1)) { advance() }
            if accept(.isolation) {
                try expect(.level)
                if accept(.serializable) {
                    isolation = .serializable
                } else if accept(.snapshot) {
                    isolation = .snapshot
                } else if accept(.repeatable) {
                    try expect(.read)
                    isolation = .snapshot
                } else {
                    try expect(.read)
                    if !accept(.committed) { try expect(.uncommitted) }
                    isolation = .snapshot
                }
            } else if isKeyword(.read) && isKeyword(.write, at: 1) {
                advance()
                advance()
            } else {
                return isolation
            }
            first = false
        }
    }

    // MARK: INSERT, UPDATE, DELETE

    private mutating func parseInsert() throws(MemFluxError) -> Insert {
        let start = current.start
        try expect(.insert)
        try expect(.into)
        let table = try parseQualifiedName()
        var alias: String?
        if accept(.as) { alias = try parseColumnIdentifier() }
        var columns: [String]?
        if current.kind == .leftParen && !parenthesisStartsQuery(at: index + 1) { columns = try parseParenthesizedNames() }
        let source: Insert.Source
        if isKeyword(.default) {
            advance()
            try expect(.values)
            source = .defaultValues
        } else {
            let query = try parseQuery()
            if case .values(let rows) = query.body, query.with == nil, query.orderBy.isEmpty, query.limit == nil,
                query.offset == nil
            {
                source = .values(rows)
            } else {
                source = .query(query)
            }
        }
        var insert = Insert(table: table, alias: alias, columns: columns, source: source, at: start)
        if isKeyword(.on) {
            let on = current
            advance()
            try expect(.conflict)
            var targets: [String] = []
            if current.kind == .leftParen { targets = try parseParenthesizedNames() }
            try expect(.do)
            if accept(.nothing) {
                insert.onConflict = OnConflict(columns: targets, action: .nothing)
            } else {
                let update = current
                try expect(.update)
                if targets.isEmpty {
                    _ = update
                    throw error(.syntax, "ON CONFLICT DO UPDATE requires inference specification or constraint name", at: on.start)
                }
                try expect(.set)
                let assignments = try parseAssignments()
                var whereClause: Expression?
                if accept(.where) { whereClause = try parseExpression() }
                insert.onConflict = OnConflict(columns: targets, action: .update(assignments, whereClause: whereClause))
            }
        }
        if accept(.returning) { insert.returning = try parseSelectItems() }
        return insert
    }

    /// Whether the token at `offset` (after a `(`) starts a query, possibly in more parentheses.
    private func parenthesisStartsQuery(at offset: Int) -> Bool {
        var j = offset
        while tokens[j].kind == .leftParen { j += 1 }
        let token = tokens[j]
        return token.kind == .identifier && (token.keyword == .select || token.keyword == .values || token.keyword == .with)
    }

    /// `c = e, c.f = e, (a, b) = (x, y), ...`, each multi-column item split into one per column.
    private mutating func parseAssignments() throws(MemFluxError) -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            let start = current.start
            if current.kind == .leftParen {
                let columns = try parseParenthesizedNames()
                try expect(.equal)
                let valuesStart = current.start
                let explicitRow = isKeyword(.row) && peek().kind == .leftParen
                if explicitRow { advance() }
                let notRow = "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression"
                guard current.kind == .leftParen, !parenthesisStartsQuery(at: index + 1) else {
                    throw error(.err, notRow, at: valuesStart)
                }
                advance()
                var values: [Expression] = []
                repeat { values.append(try parseValueItem()) } while accept(.comma)
                try expect(.rightParen)
                // `(x)` is x, not a row: PostgreSQL wants ROW(x) or a sub-SELECT there.
                if values.count == 1 && !explicitRow { throw error(.err, notRow, at: values[0].position) }
                guard values.count == columns.count else {
                    throw error(.syntax, "number of columns does not match number of values", at: valuesStart)
                }
                for (column, value) in zip(columns, values) {
                    assignments.append(Assignment(column: [column], value: value, at: start))
                }
            } else {
                var column = [try parseColumnIdentifier()]
                while current.kind == .dot && isLabel(peek()) {
                    advance()
                    column.append(try parseLabel())
                }
                try expect(.equal)
                assignments.append(Assignment(column: column, value: try parseValueItem(), at: start))
            }
        } while accept(.comma)
        return assignments
    }

    private mutating func parseUpdate() throws(MemFluxError) -> Update {
        let start = current.start
        try expect(.update)
        let table = try parseQualifiedName()
        var alias: String?
        if accept(.as) {
            alias = try parseColumnIdentifier()
        } else if isColumnIdentifier(current) && !isKeyword(.set) {
            alias = try parseColumnIdentifier()
        }
        try expect(.set)
        let assignments = try parseAssignments()
        var update = Update(table: table, alias: alias, assignments: assignments, whereClause: nil, at: start)
        if accept(.from) { update.from = try parseFromList() }
        if accept(.where) { update.whereClause = try parseExpression() }
        if accept(.returning) { update.returning = try parseSelectItems() }
        return update
    }

    private mutating func parseDelete() throws(MemFluxError) -> Delete {
        let start = current.start
        try expect(.delete)
        try expect(.from)
        let table = try parseQualifiedName()
        var alias: String?
        if accept(.as) || isColumnIdentifier(current) { alias = try parseColumnIdentifier() }
        var delete = Delete(table: table, alias: alias, whereClause: nil, at: start)
        if accept(.using) { delete.using = try parseFromList() }
        if accept(.where) { delete.whereClause = try parseExpression() }
        if accept(.returning) { delete.returning = try parseSelectItems() }
        return delete
    }

    // MARK: CREATE, DROP, ALTER

    /// `IF NOT EXISTS`, if present.
    private mutating func parseIfNotExists() throws(MemFluxError) -> Bool {
        guard isKeyword(.if) && isKeyword(.not, at: 1) else { return false }
        advance()
        advance()
        try expect(.exists)
        return true
    }

    /// `IF EXISTS`, if present.
    private mutating func parseIfExists() throws(MemFluxError) -> Bool {
        guard isKeyword(.if) else { return false }
        advance()
        try expect(.exists)
        return true
    }

    private mutating func parseCreate() throws(MemFluxError) -> Statement {
        let start = current.start
        try expect(.create)
        if accept(.table) {
            let ifNotExists = try parseIfNotExists()
            let name = try parseQualifiedName()
            try expect(.leftParen)
            var columns: [ColumnDefinition] = []
            var constraints: [TableConstraint] = []
            if current.kind != .rightParen {
                repeat {
                    if startsTableConstraint() {
                        constraints.append(try parseTableConstraint())
                    } else {
                        columns.append(try parseColumnDefinition())
                    }
                } while accept(.comma)
            }
            try expect(.rightParen)
            return .createTable(CreateTable(name: name, ifNotExists: ifNotExists, columns: columns, constraints: constraints, at: start))
        }
        if isKeyword(.unique) || isKeyword(.index) {
            let unique = accept(.unique)
            try expect(.index)
            var ifNotExists = false
            var name: String?
            if isKeyword(.if) {
                ifNotExists = try parseIfNotExists()
                name = try parseColumnIdentifier()
            } else if !isKeyword(.on) {
                name = try parseColumnIdentifier()
            }
            try expect(.on)
            let table = try parseQualifiedName()
            var method: CreateIndex.Method?
            if accept(.using) {
                let token = current
                let methodName = try parseColumnIdentifier()
                switch methodName {
                case "btree": method = .btree
                case "hash": method = .hash
                default: throw error(.err, "access method \"\(methodName)\" does not exist", at: token.start)
                }
            }
            try expect(.leftParen)
            var expressions: [Expression] = []
            repeat {
                if current.kind == .leftParen {
                    advance()
                    expressions.append(try parseExpression())
                    try expect(.rightParen)
                } else {
                    expressions.append(try parseExpression(Precedence.cast + 1))
                }
                _ = accept(.asc)
            } while accept(.comma)
            try expect(.rightParen)
            return .createIndex(
                CreateIndex(
                    name: name, table: table, expressions: expressions, isUnique: unique, ifNotExists: ifNotExists,
                    method: method, at: start))
        }
        if isKeyword(.or) || isKeyword(.view) {
            var orReplace = false
            if accept(.or) {
                try expect(.replace)
                orReplace = true
            }
            try expect(.view)
            let name = try parseQualifiedName()
            var columns: [String] = []
            if current.kind == .leftParen { columns = try parseParenthesizedNames() }
            try expect(.as)
            let query = try parseQuery()
            return .createView(name: name, orReplace: orReplace, columns: columns, query: query)
        }
        if accept(.schema) {
            let ifNotExists = try parseIfNotExists()
            return .createSchema(name: try parseColumnIdentifier(), ifNotExists: ifNotExists)
        }
        throw syntaxError()
    }

    private mutating func parseDrop() throws(MemFluxError) -> Statement {
        try expect(.drop)
        if accept(.table) {
            let ifExists = try parseIfExists()
            let names = try parseQualifiedNameList()
            let cascade = accept(.cascade)
            if !cascade { _ = accept(.restrict) }
            return .dropTable(names: names, ifExists: ifExists, cascade: cascade)
        }
        if accept(.index) {
            let ifExists = try parseIfExists()
            let names = try parseQualifiedNameList()
            _ = accept(.restrict)
            return .dropIndex(names: names, ifExists: ifExists)
        }
        if accept(.view) {
            let ifExists = try parseIfExists()
            let names = try parseQualifiedNameList()
            _ = accept(.restrict)
            return .dropView(names: names, ifExists: ifExists)
        }
        if accept(.schema) {
            let ifExists = try parseIfExists()
            var names = [try parseColumnIdentifier()]
            while accept(.comma) { names.append(try parseColumnIdentifier()) }
            let cascade = accept(.cascade)
            if !cascade { _ = accept(.restrict) }
            return .dropSchema(names: names, ifExists: ifExists, cascade: cascade)
        }
        throw syntaxError()
    }

    private mutating func parseAlterTable() throws(MemFluxError) -> Statement {
        try expect(.alter)
        try expect(.table)
        let ifExists = try parseIfExists()
        _ = accept(.only)
        let name = try parseQualifiedName()
        let action: AlterTableAction
        if accept(.add) {
            if startsTableConstraint() {
                action = .addConstraint(try parseTableConstraint())
            } else {
                _ = accept(.column)
                let ifNotExists = try parseIfNotExists()
                action = .addColumn(try parseColumnDefinition(), ifNotExists: ifNotExists)
            }
        } else if accept(.drop) {
            if accept(.constraint) {
                let ifExists = try parseIfExists()
                action = .dropConstraint(try parseColumnIdentifier(), ifExists: ifExists)
            } else {
                _ = accept(.column)
                let ifExists = try parseIfExists()
                action = .dropColumn(try parseColumnIdentifier(), ifExists: ifExists)
            }
            _ = accept(.restrict)
        } else if accept(.rename) {
            if accept(.to) {
                action = .renameTable(to: try parseColumnIdentifier())
            } else {
                _ = accept(.column)
                let from = try parseColumnIdentifier()
                try expect(.to)
                action = .renameColumn(from: from, to: try parseColumnIdentifier())
            }
        } else if accept(.alter) {
            _ = accept(.column)
            let column = try parseColumnIdentifier()
            if accept(.set) {
                if accept(.default) {
                    action = .setDefault(column: column, try parseExpression(Precedence.comparison))
                } else if accept(.not) {
                    try expect(.null)
                    action = .setNotNull(column: column)
                } else {
                    try expect(.data)
                    try expect(.type)
                    action = try parseSetType(column)
                }
            } else if accept(.drop) {
                if accept(.default) {
                    action = .dropDefault(column: column)
                } else {
                    try expect(.not)
                    try expect(.null)
                    action = .dropNotNull(column: column)
                }
            } else {
                try expect(.type)
                action = try parseSetType(column)
            }
        } else {
            throw syntaxError()
        }
        return .alterTable(name: name, ifExists: ifExists, action)
    }

    private mutating func parseSetType(_ column: String) throws(MemFluxError) -> AlterTableAction {
        let type = try parseType()
        var using: Expression?
        if accept(.using) { using = try parseExpression() }
        return .setType(column: column, type, using: using)
    }

    // MARK: Columns and constraints

    private func startsTableConstraint() -> Bool {
        guard current.kind == .identifier else { return false }
        switch current.keyword {
        case .constraint, .primary, .unique, .check, .foreign: return true
        default: return false
        }
    }

    private mutating func parseColumnDefinition() throws(MemFluxError) -> ColumnDefinition {
        let start = current.start
        let name = try parseColumnIdentifier()
        let type = try parseType(allowSerial: true)
        var constraints: [ColumnConstraint] = []
        while true {
            var constraintName: String?
            if accept(.constraint) { constraintName = try parseColumnIdentifier() }
            let kind: ColumnConstraint.Kind
            if accept(.primary) {
                try expect(.key)
                kind = .primaryKey
            } else if accept(.not) {
                try expect(.null)
                kind = .notNull
            } else if accept(.null) {
                kind = .null
            } else if accept(.unique) {
                kind = .unique
            } else if accept(.default) {
                kind = .defaultValue(try parseExpression(Precedence.comparison))
            } else if accept(.check) {
                try expect(.leftParen)
                kind = .check(try parseExpression())
                try expect(.rightParen)
            } else if accept(.references) {
                kind = .references(try parseReference())
            } else {
                if constraintName != nil { throw syntaxError() }
                break
            }
            constraints.append(ColumnConstraint(name: constraintName, kind: kind))
        }
        return ColumnDefinition(name: name, type: type, constraints: constraints, at: start)
    }

    private mutating func parseTableConstraint() throws(MemFluxError) -> TableConstraint {
        let start = current.start
        var name: String?
        if accept(.constraint) { name = try parseColumnIdentifier() }
        let kind: TableConstraint.Kind
        if accept(.primary) {
            try expect(.key)
            kind = .primaryKey(try parseParenthesizedNames())
        } else if accept(.unique) {
            kind = .unique(try parseParenthesizedNames())
        } else if accept(.check) {
            try expect(.leftParen)
            kind = .check(try parseExpression())
            try expect(.rightParen)
        } else {
            try expect(.foreign)
            try expect(.key)
            let columns = try parseParenthesizedNames()
            try expect(.references)
            kind = .foreignKey(columns: columns, try parseReference())
        }
        return TableConstraint(name: name, kind: kind, at: start)
    }

    /// After REFERENCES: `table [(columns)] [ON DELETE action] [ON UPDATE action] [[NOT] DEFERRABLE]
    /// [INITIALLY DEFERRED | IMMEDIATE]`.
    private mutating func parseReference() throws(MemFluxError) -> ForeignKeyReference {
        var reference = ForeignKeyReference(table: try parseQualifiedName(), columns: [])
        if current.kind == .leftParen { reference.columns = try parseParenthesizedNames() }
        var sawDelete = false
        var sawUpdate = false
        while isKeyword(.on) && ((!sawDelete && isKeyword(.delete, at: 1)) || (!sawUpdate && isKeyword(.update, at: 1))) {
            advance()
            let isDelete = accept(.delete)
            if !isDelete { advance() }
            let action: ForeignKeyReference.Action
            if accept(.cascade) {
                action = .cascade
            } else if accept(.restrict) {
                action = .restrict
            } else if accept(.no) {
                try expect(.action)
                action = .noAction
            } else {
                try expect(.set)
                if accept(.null) {
                    action = .setNull
                } else {
                    try expect(.default)
                    action = .setDefault
                }
            }
            if isDelete {
                reference.onDelete = action
                sawDelete = true
            } else {
                reference.onUpdate = action
                sawUpdate = true
            }
        }
        var notDeferrable = false
        if accept(.deferrable) {
            reference.deferrable = true
        } else if isKeyword(.not) && isKeyword(.deferrable, at: 1) {
            advance()
            advance()
            notDeferrable = true
        }
        let initially = current.start
        if accept(.initially) {
            if accept(.deferred) {
                if notDeferrable {
                    throw error(.syntax, "constraint declared INITIALLY DEFERRED must be DEFERRABLE", at: initially)
                }
                reference.initiallyDeferred = true
                reference.deferrable = true
            } else {
                try expect(.immediate)
            }
        }
        return reference
    }
}
