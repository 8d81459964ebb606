// Queries: WITH, SELECT, VALUES, UNION / INTERSECT / EXCEPT (INTERSECT binds
// tighter), parenthesized operands, ORDER BY, LIMIT / OFFSET / FETCH, and the
// FROM clause with its joins (left-associative; `a JOIN b JOIN c ON x ON y`
// nests to the right, as PostgreSQL's grammar forces).

import MemFluxCore

extension Parser {
    /// `[WITH ...] body [ORDER BY ...] [LIMIT ... | FETCH ...] [OFFSET ...]`. A query that is only
    /// `( query )` is that query.
    mutating func parseQuery() throws(MemFluxError) -> Query {
        try enter()
        defer { leave() }
        let start = current.start
        var with: WithClause?
        var h = 0
        if isKeyword(.with) {
            with = try parseWith()
            h = height
        }
        let body = try parseSetBody(0, first: nil, firstHeight: 0)
        h = max(h, height)
        return try finishQuery(with: with, body: body, height: h, at: start)
    }

    /// The rest of a query whose first operand, `( first )`, is already parsed (`height` is its height).
    mutating func parseQuery(continuing first: Query, at start: Int) throws(MemFluxError) -> Query {
        try enter()
        defer { leave() }
        let operand = operandBody(first)
        let body = try parseSetBody(0, first: operand.body, firstHeight: height + (operand.nested ? 1 : 0))
        return try finishQuery(with: nil, body: body, height: height, at: start)
    }

    private mutating func finishQuery(with: WithClause?, body: QueryBody, height bodyHeight: Int, at start: Int) throws(MemFluxError) -> Query {
        var h = bodyHeight
        var query = Query(with: with, body: body, at: start)
        if isKeyword(.order) {
            query.orderBy = try parseOrderBy()
            h = max(h, height)
        }
        var sawLimit = false
        var sawOffset = false
        while true {
            if !sawLimit && isKeyword(.limit) {
                let limit = current
                advance()
                if !accept(.all) {
                    query.limit = try parseExpression()
                    h = max(h, height)
                }
                if current.kind == .comma { throw error(.syntax, "LIMIT #,# syntax is not supported", at: limit.start) }
                sawLimit = true
            } else if !sawOffset && isKeyword(.offset) {
                advance()
                query.offset = try parseExpression()
                h = max(h, height)
                if !accept(.row) { _ = accept(.rows) }
                sawOffset = true
            } else if !sawLimit && isKeyword(.fetch) {
                let fetch = current
                advance()
                if !accept(.first) { try expect(.next) }
                if isKeyword(.row) || isKeyword(.rows) {
                    query.limit = Expression(.literal(.int(1)), at: fetch.start)
                } else {
                    query.limit = try parseExpression(Precedence.unary)
                    h = max(h, height)
                }
                if !accept(.row) { try expect(.rows) }
                try expect(.only)
                sawLimit = true
            } else {
                break
            }
        }
        if with == nil && query.orderBy.isEmpty && query.limit == nil && query.offset == nil, case .nested(let inner) = body {
            height = bodyHeight - 1
            return inner
        }
        try built(over: h)
        return query
    }

    /// A parenthesized query as a set operand: its body when it has no clauses of its own, else `.nested`.
    private func operandBody(_ query: Query) -> (body: QueryBody, nested: Bool) {
        if query.with == nil && query.orderBy.isEmpty && query.limit == nil && query.offset == nil { return (query.body, false) }
        return (.nested(query), true)
    }

    /// Set operations whose operators bind at least at `minimum` (UNION and EXCEPT 1, INTERSECT 2).
    private mutating func parseSetBody(_ minimum: Int, first: QueryBody?, firstHeight: Int) throws(MemFluxError) -> QueryBody {
        var left: QueryBody
        var h: Int
        if let first {
            left = first
            h = firstHeight
        } else {
            left = try parseSetOperand()
            h = height
        }
        while true {
            let op: SetOperator
            let level: Int
            if isKeyword(.union) {
                (op, level) = (.union, 1)
            } else if isKeyword(.except) {
                (op, level) = (.except, 1)
            } else if isKeyword(.intersect) {
                (op, level) = (.intersect, 2)
            } else {
                break
            }
            guard level >= minimum else { break }
            advance()
            var all = false
            if accept(.all) {
                all = true
            } else {
                _ = accept(.distinct)
            }
            try enter()
            let right = try parseSetBody(level + 1, first: nil, firstHeight: 0)
            leave()
            try built(over: max(h, height))
            h = height
            left = .setOperation(op, all: all, left, right)
        }
        height = h
        return left
    }

    private mutating func parseSetOperand() throws(MemFluxError) -> QueryBody {
        if isKeyword(.select) { return .select(try parseSelect()) }
        if isKeyword(.values) {
            let rows = try parseValues()
            return .values(rows)
        }
        if current.kind == .leftParen {
            let query = try parseParenthesizedQuery()
            let operand = operandBody(query)
            if operand.nested { try built(over: height) }
            return operand.body
        }
        throw syntaxError()
    }

    // MARK: WITH

    private mutating func parseWith() throws(MemFluxError) -> WithClause {
        try expect(.with)
        let recursive = accept(.recursive)
        var tables: [CommonTableExpression] = []
        var h = 0
        repeat {
            let start = current.start
            let name = try parseColumnIdentifier()
            var columns: [String] = []
            if current.kind == .leftParen { columns = try parseParenthesizedNames() }
            try expect(.as)
            if accept(.not) {
                try expect(.materialized)
            } else {
                _ = accept(.materialized)
            }
            let query = try parseParenthesizedQuery()
            h = max(h, height)
            tables.append(CommonTableExpression(name: name, columns: columns, query: query, at: start))
        } while accept(.comma)
        height = h
        return WithClause(isRecursive: recursive, tables: tables)
    }

    // MARK: SELECT

    private func endsSelectList() -> Bool {
        switch current.kind {
        case .end, .semicolon, .rightParen: return true
        case .identifier:
            switch current.keyword {
            case .from, .where, .group, .having, .window, .order, .limit, .offset, .fetch, .union, .intersect, .except,
                .into, .for:
                return true
            default: return false
            }
        default: return false
        }
    }

    private mutating func parseSelect() throws(MemFluxError) -> Select {
        try expect(.select)
        var select = Select(items: [])
        var h = 0
        if accept(.distinct) {
            if accept(.on) {
                try expect(.leftParen)
                select.distinct = .on(try parseExpressionList())
                h = height
                try expect(.rightParen)
            } else {
                select.distinct = .distinct
            }
        } else {
            _ = accept(.all)
        }
        if !endsSelectList() {
            select.items = try parseSelectItems()
            h = max(h, height)
        }
        if accept(.from) {
            select.from = try parseFromList()
            h = max(h, height)
        }
        if accept(.where) {
            select.whereClause = try parseExpression()
            h = max(h, height)
        }
        if isKeyword(.group) {
            advance()
            try expect(.by)
            select.groupBy = try parseExpressionList()
            h = max(h, height)
        }
        if accept(.having) {
            select.having = try parseExpression()
            h = max(h, height)
        }
        if accept(.window) {
            repeat {
                let name = try parseColumnIdentifier()
                try expect(.as)
                select.windows.append(NamedWindow(name: name, specification: try parseWindowSpecification()))
                h = max(h, height)
            } while accept(.comma)
        }
        try built(over: h)
        return select
    }

    /// Select or RETURNING items: `*`, `t.*`, `expr [[AS] alias]`; `height` is the tallest.
    mutating func parseSelectItems() throws(MemFluxError) -> [SelectItem] {
        var items: [SelectItem] = []
        var h = 0
        repeat {
            let start = current.start
            if current.kind == .star {
                advance()
                items.append(.star(qualifier: nil, position: start))
                continue
            }
            var j = index
            while isLabel(tokens[j]) && tokens[j + 1].kind == .dot { j += 2 }
            if j > index && tokens[j].kind == .star {
                var qualifier: [String] = []
                while index < j {
                    qualifier.append(name(of: current))
                    advance()
                    advance()
                }
                advance()
                items.append(.star(qualifier: qualifier, position: start))
                continue
            }
            let expression = try parseExpression()
            h = max(h, height)
            var alias: String?
            if accept(.as) {
                alias = try parseLabel()
            } else if isBareLabel(current) {
                alias = name(of: current)
                advance()
            }
            items.append(.expression(expression, alias: alias))
        } while accept(.comma)
        height = h
        return items
    }

    // MARK: VALUES

    /// `VALUES (a, b), (c, d)`: rows of one length; an item may be DEFAULT.
    mutating func parseValues() throws(MemFluxError) -> [[Expression]] {
        try expect(.values)
        var rows: [[Expression]] = []
        var h = 0
        repeat {
            try expect(.leftParen)
            var row: [Expression] = []
            repeat {
                row.append(try parseValueItem())
                h = max(h, height)
            } while accept(.comma)
            try expect(.rightParen)
            if let first = rows.first, first.count != row.count {
                throw error(.syntax, "VALUES lists must all be the same length", at: row[0].position)
            }
            rows.append(row)
        } while accept(.comma)
        try built(over: h)
        return rows
    }

    /// An expression, or DEFAULT where a VALUES row or SET takes one.
    mutating func parseValueItem() throws(MemFluxError) -> Expression {
        if isKeyword(.default) {
            let start = current.start
            advance()
            let item = Expression(.defaultValue, at: start)
            // `DEFAULT + 1`: PostgreSQL's grammar takes it, its analysis refuses it.
            let whole = try parseInfix(item, height: 1, 0)
            guard case .defaultValue = whole.kind else {
                throw error(.syntax, "DEFAULT is not allowed in this context", at: start)
            }
            height = 1
            return item
        }
        return try parseExpression()
    }

    // MARK: FROM

    /// `item, item, ...`; `height` is the tallest.
    mutating func parseFromList() throws(MemFluxError) -> [TableReference] {
        var items: [TableReference] = []
        var h = 0
        repeat {
            items.append(try parseTableReference())
            h = max(h, height)
        } while accept(.comma)
        height = h
        return items
    }

    private func startsJoin() -> Bool {
        guard current.kind == .identifier else { return false }
        switch current.keyword {
        case .join, .cross, .natural, .inner, .left, .right, .full: return true
        default: return false
        }
    }

    /// A FROM item with the joins that follow it.
    mutating func parseTableReference() throws(MemFluxError) -> TableReference {
        try enter()
        defer { leave() }
        var left = try parseTablePrimary()
        var h = height
        while startsJoin() {
            let start = current.start
            if accept(.cross) {
                try expect(.join)
                let right = try parseTablePrimary()
                try built(over: max(h, height))
                h = height
                left = .join(.cross, left, right, .none, position: start)
                continue
            }
            let natural = accept(.natural)
            var kind = JoinKind.inner
            if accept(.left) {
                kind = .left
                _ = accept(.outer)
            } else if accept(.right) {
                kind = .right
                _ = accept(.outer)
            } else if accept(.full) {
                kind = .full
                _ = accept(.outer)
            } else {
                _ = accept(.inner)
            }
            try expect(.join)
            if natural {
                let right = try parseTablePrimary()
                try built(over: max(h, height))
                h = height
                left = .join(kind, left, right, .natural, position: start)
                continue
            }
            let right = try parseTableReference()
            h = max(h, height)
            let condition: JoinCondition
            if accept(.on) {
                condition = .on(try parseExpression())
                h = max(h, height)
            } else if isKeyword(.using) {
                advance()
                condition = .using(try parseParenthesizedNames())
            } else {
                throw syntaxError()
            }
            try built(over: h)
            h = height
            left = .join(kind, left, right, condition, position: start)
        }
        height = h
        return left
    }

    /// Whether `(` at the current token opens a query (possibly in more parentheses) rather than a join.
    private func parenthesisOpensQuery() -> Bool {
        var j = index
        while tokens[j].kind == .leftParen { j += 1 }
        let token = tokens[j]
        return token.kind == .identifier && (token.keyword == .select || token.keyword == .values || token.keyword == .with)
    }

    private mutating func parseTablePrimary() throws(MemFluxError) -> TableReference {
        let start = current.start
        let lateral = accept(.lateral)
        if current.kind == .leftParen {
            if lateral || parenthesisOpensQuery() {
                let query = try parseParenthesizedQuery()
                let h = height
                let alias = try parseOptionalTableAlias()
                try built(over: h)
                return .subquery(query, alias: alias, isLateral: lateral, position: start)
            }
            try enter()
            defer { leave() }
            advance()
            let inner = try parseTableReference()
            try expect(.rightParen)
            return inner
        }
        let nameStart = current.start
        let name = try parseQualifiedName()
        if current.kind == .leftParen {
            let call = try parseFunctionCall(name: name, at: nameStart)
            let h = height
            guard case .function(let function) = call.kind else { throw syntaxError() }
            let alias = try parseOptionalTableAlias()
            try built(over: h)
            return .function(function, alias: alias, position: start)
        }
        if lateral { throw syntaxError() }
        let alias = try parseOptionalTableAlias()
        height = 1
        return .table(name: name, alias: alias, position: start)
    }

    /// `[AS] alias [(columns)]`, if present.
    mutating func parseOptionalTableAlias() throws(MemFluxError) -> TableAlias? {
        let name: String
        if accept(.as) {
            name = try parseColumnIdentifier()
        } else if isColumnIdentifier(current) {
            name = try parseColumnIdentifier()
        } else {
            return nil
        }
        var alias = TableAlias(name: name)
        if current.kind == .leftParen { alias.columns = try parseParenthesizedNames() }
        return alias
    }
}
