// Expressions, by precedence climbing over PostgreSQL 16's precedence table
// (lowest first): OR; AND; NOT; IS, ISNULL, NOTNULL; comparisons (< > = <= >=
// <>, not associative); BETWEEN, IN, LIKE, ILIKE, SIMILAR; other operators
// (|| -> ->> #> #>> @> <@ ~ ~* !~ !~*); + -; * / %; ^; unary + -; [ ]; ::.
// All binary operators are left-associative, `^` included, as in PostgreSQL.
// A prefix operator's operand is parsed at the operator's own level, so
// `a = NOT b AND c` is `(a = (NOT b)) AND c`, as bison resolves it.

import MemFluxCore

enum Precedence {
    static let or = 1
    static let and = 2
    static let not = 3
    static let `is` = 4
    static let comparison = 5
    static let like = 6
    static let other = 8
    static let additive = 9
    static let multiplicative = 10
    static let power = 11
    static let unary = 14
    static let `subscript` = 15
    static let cast = 16
}

/// What a parenthesized construct turned out to be.
enum Parenthesized {
    case query(Query)
    /// `(a)` or `(a, b, ...)`, with the offset of the opening parenthesis.
    case expressions([Expression], position: Int)
}

extension Parser {
    /// An expression whose operators all bind at least as tightly as `minimum`.
    mutating func parseExpression(_ minimum: Int = 0) throws(MemFluxError) -> Expression {
        try enter()
        defer { leave() }
        let left = try parsePrefix()
        return try parseInfix(left, height: height, minimum)
    }

    /// `NOT x`, `-x`, `+x`, or a primary expression.
    mutating func parsePrefix() throws(MemFluxError) -> Expression {
        let token = current
        if token.kind == .identifier && token.keyword == .not {
            advance()
            let operand = try parseExpression(Precedence.not)
            try built(over: height)
            return Expression(.unary(.not, operand), at: token.start)
        }
        if token.kind == .minus || token.kind == .plus {
            advance()
            let operand = try parseExpression(Precedence.unary)
            if token.kind == .minus, case .literal(let value) = operand.kind, let negated = NumericLiteral.negate(value) {
                height = 1
                return Expression(.literal(negated), at: token.start)
            }
            try built(over: height)
            return Expression(.unary(token.kind == .minus ? .negate : .plus, operand), at: token.start)
        }
        return try parsePrimary()
    }

    /// The binary operator a token spells, with its precedence.
    @inline(__always)
    static func binaryOperator(_ kind: TokenKind) -> (BinaryOperator, Int)? {
        switch kind {
        case .equal: return (.equal, Precedence.comparison)
        case .notEqual: return (.notEqual, Precedence.comparison)
        case .less: return (.less, Precedence.comparison)
        case .lessOrEqual: return (.lessOrEqual, Precedence.comparison)
        case .greater: return (.greater, Precedence.comparison)
        case .greaterOrEqual: return (.greaterOrEqual, Precedence.comparison)
        case .plus: return (.add, Precedence.additive)
        case .minus: return (.subtract, Precedence.additive)
        case .star: return (.multiply, Precedence.multiplicative)
        case .slash: return (.divide, Precedence.multiplicative)
        case .percent: return (.modulo, Precedence.multiplicative)
        case .caret: return (.power, Precedence.power)
        case .concat: return (.concatenate, Precedence.other)
        case .arrow: return (.jsonField, Precedence.other)
        case .arrowText: return (.jsonFieldText, Precedence.other)
        case .hashArrow: return (.jsonPath, Precedence.other)
        case .hashArrowText: return (.jsonPathText, Precedence.other)
        case .contains: return (.contains, Precedence.other)
        case .containedBy: return (.containedBy, Precedence.other)
        case .tilde: return (.regexMatch, Precedence.other)
        case .tildeStar: return (.regexMatchInsensitive, Precedence.other)
        case .notTilde: return (.regexNotMatch, Precedence.other)
        case .notTildeStar: return (.regexNotMatchInsensitive, Precedence.other)
        default: return nil
        }
    }

    /// Applies the infix and postfix operators that follow `left` (of height `leftHeight`) while they bind at
    /// least as tightly as `minimum`.
    mutating func parseInfix(_ left: Expression, height leftHeight: Int, _ minimum: Int) throws(MemFluxError) -> Expression {
        var left = left
        var h = leftHeight
        // The level of the non-associative operator that built `left`, if one did: a second at that level is an error.
        var nonAssociative = 0
        while true {
            let token = current
            let position = left.position
            switch token.kind {
            case .doubleColon:
                advance()
                let type = try parseType()
                left = Expression(.cast(left, type), at: position)
                h += 1
                nonAssociative = 0
            case .leftBracket:
                advance()
                let subscriptIndex = try parseExpression()
                try expect(.rightBracket)
                left = Expression(.element(left, subscriptIndex), at: position)
                h = max(h, height) + 1
                nonAssociative = 0
            case .identifier:
                var level = 0
                // BETWEEN, LIKE, ILIKE and SIMILAR are non-associative; IN may follow IN (`a IN (b) IN (c)` parses).
                var chains = true
                switch token.keyword {
                case .or: level = Precedence.or
                case .and: level = Precedence.and
                case .is, .isnull, .notnull: level = Precedence.is
                case .in: level = Precedence.like
                case .between, .like, .ilike, .similar:
                    level = Precedence.like
                    chains = false
                case .not:
                    let next = peek()
                    if next.kind == .identifier {
                        switch next.keyword {
                        case .in: level = Precedence.like
                        case .between, .like, .ilike, .similar:
                            level = Precedence.like
                            chains = false
                        default: break
                        }
                    }
                default: break
                }
                guard level > 0, level >= minimum else {
                    height = h
                    return left
                }
                if !chains && nonAssociative == level { throw syntaxError() }
                left = try parseKeywordOperator(left, leftHeight: h)
                h = height
                nonAssociative = chains ? 0 : level
            default:
                guard let (op, level) = Self.binaryOperator(token.kind), level >= minimum else {
                    height = h
                    return left
                }
                if level == Precedence.comparison && nonAssociative == level { throw syntaxError() }
                advance()
                if (isKeyword(.any) || isKeyword(.some) || isKeyword(.all)) && peek().kind == .leftParen {
                    let quantifier: Quantifier = isKeyword(.all) ? .all : .any
                    advance()
                    let source: QuantifiedSource
                    switch try parseParenthesized() {
                    case .query(let query):
                        source = .query(query)
                    case .expressions(let list, _):
                        guard list.count == 1 else { throw syntaxError(at: firstListComma) }
                        source = .array(list[0])
                    }
                    left = Expression(.quantified(op, left, quantifier, source), at: position)
                } else {
                    let right = try parseExpression(level + 1)
                    left = Expression(.binary(op, left, right), at: position)
                }
                h = max(h, height) + 1
                nonAssociative = level == Precedence.comparison ? level : 0
            }
            if h > Self.maxDepth { throw stackDepthExceeded() }
        }
    }

    /// OR, AND, IS ..., ISNULL, NOTNULL, [NOT] BETWEEN / IN / LIKE / ILIKE / SIMILAR TO, at the current token.
    private mutating func parseKeywordOperator(_ left: Expression, leftHeight: Int) throws(MemFluxError) -> Expression {
        let token = current
        let position = left.position
        advance()
        var h = leftHeight
        switch token.keyword {
        case .or, .and:
            let right = try parseExpression((token.keyword == .or ? Precedence.or : Precedence.and) + 1)
            try built(over: max(h, height))
            return Expression(.binary(token.keyword == .or ? .or : .and, left, right), at: position)
        case .isnull, .notnull:
            try built(over: h)
            return Expression(.isNull(left, negated: token.keyword == .notnull), at: position)
        case .is:
            let negated = accept(.not)
            let kind: ExpressionKind
            if accept(.null) {
                kind = .isNull(left, negated: negated)
            } else if accept(.true) {
                kind = .isTruth(left, true, negated: negated)
            } else if accept(.false) {
                kind = .isTruth(left, false, negated: negated)
            } else if accept(.unknown) {
                kind = .isTruth(left, nil, negated: negated)
            } else if accept(.distinct) {
                try expect(.from)
                let right = try parseExpression(Precedence.is + 1)
                h = max(h, height)
                kind = .isDistinctFrom(left, right, negated: negated)
            } else {
                throw syntaxError()
            }
            try built(over: h)
            return Expression(kind, at: position)
        default:
            break
        }
        // [NOT] BETWEEN / IN / LIKE / ILIKE / SIMILAR.
        var keyword = token.keyword
        let negated = keyword == .not
        if negated {
            keyword = current.keyword
            advance()
        }
        switch keyword {
        case .between:
            let symmetric = accept(.symmetric)
            if !symmetric { _ = accept(.asymmetric) }
            let low = try parseExpression(Precedence.like + 1)
            h = max(h, height)
            try expect(.and)
            let high = try parseExpression(Precedence.like + 1)
            try built(over: max(h, height))
            return Expression(.between(left, low: low, high: high, negated: negated, symmetric: symmetric), at: position)
        case .in:
            guard current.kind == .leftParen else { throw syntaxError() }
            switch try parseParenthesized() {
            case .query(let query):
                try built(over: max(h, height))
                return Expression(.inQuery(left, query, negated: negated), at: position)
            case .expressions(let list, _):
                try built(over: max(h, height))
                return Expression(.inList(left, list, negated: negated), at: position)
            }
        case .like, .ilike:
            let pattern = try parseExpression(Precedence.like + 1)
            h = max(h, height)
            var escape: Expression?
            if accept(.escape) {
                escape = try parseExpression(Precedence.like + 1)
                h = max(h, height)
            }
            try built(over: h)
            return Expression(
                .like(left, pattern: pattern, escape: escape, caseInsensitive: keyword == .ilike, negated: negated), at: position)
        default:  // SIMILAR TO pattern [ESCAPE e]: PostgreSQL's rewrite, x ~ similar_to_escape(pattern [, e]).
            try expect(.to)
            let patternPosition = current.start
            var arguments = [try parseExpression(Precedence.like + 1)]
            h = max(h, height)
            if accept(.escape) {
                arguments.append(try parseExpression(Precedence.like + 1))
                h = max(h, height)
            }
            let pattern = Expression(.function(FunctionCall(name: ["similar_to_escape"], arguments: arguments)), at: patternPosition)
            try built(over: h + 1)
            return Expression(.binary(negated ? .regexNotMatch : .regexMatch, left, pattern), at: position)
        }
    }

    // MARK: Primary expressions

    mutating func parsePrimary() throws(MemFluxError) -> Expression {
        let token = current
        switch token.kind {
        case .integer, .decimal:
            guard let value = NumericLiteral.value(bytes, token.start, token.end, integer: token.kind == .integer) else {
                throw error(.err, "value overflows numeric format", at: token.start)
            }
            advance()
            height = 1
            return Expression(.literal(value), at: token.start)
        case .string:
            advance()
            height = 1
            return Expression(.string(stringValue(of: token)), at: token.start)
        case .parameter:
            advance()
            height = 1
            return Expression(.parameter(token.payload), at: token.start)
        case .leftParen:
            switch try parseParenthesized() {
            case .query(let query):
                try built(over: height)
                return Expression(.subquery(query), at: token.start)
            case .expressions(let list, let position):
                if list.count == 1 { return list[0] }
                try built(over: height)
                return Expression(.row(list), at: position)
            }
        case .identifier:
            return try parseKeywordPrimary()
        case .quotedIdentifier:
            return try parseNameExpression()
        default:
            throw syntaxError()
        }
    }

    /// At `(`: a parenthesized query, expression or row. `((SELECT 1) UNION (SELECT 2))` is a query,
    /// `((SELECT 1) + 1)` an expression: the inner parentheses are parsed first, and what follows decides.
    mutating func parseParenthesized() throws(MemFluxError) -> Parenthesized {
        let open = current.start
        try expect(.leftParen)
        if startsQuery() {
            let query = try parseQuery()
            try expect(.rightParen)
            return .query(query)
        }
        var first: Expression
        if current.kind == .leftParen {
            let innerStart = current.start
            try enter()
            let inner = try parseParenthesized()
            leave()
            switch inner {
            case .query(let inner):
                if isKeyword(.union) || isKeyword(.intersect) || isKeyword(.except) || isKeyword(.order) || isKeyword(.limit)
                    || isKeyword(.offset) || isKeyword(.fetch)
                {
                    let query = try parseQuery(continuing: inner, at: innerStart)
                    try expect(.rightParen)
                    return .query(query)
                }
                if current.kind == .rightParen {
                    advance()
                    return .query(inner)
                }
                try built(over: height)
                first = Expression(.subquery(inner), at: innerStart)
            case .expressions(let list, let position):
                if list.count == 1 {
                    first = list[0]
                } else {
                    try built(over: height)
                    first = Expression(.row(list), at: position)
                }
            }
            first = try parseInfix(first, height: height, 0)
        } else {
            first = try parseExpression()
        }
        var h = height
        var list = [first]
        if current.kind == .comma { firstListComma = current }
        while accept(.comma) {
            list.append(try parseExpression())
            h = max(h, height)
        }
        try expect(.rightParen)
        height = h
        return .expressions(list, position: open)
    }

    /// Whether the current token starts a query (SELECT, VALUES, WITH).
    func startsQuery() -> Bool {
        current.kind == .identifier && (current.keyword == .select || current.keyword == .values || current.keyword == .with)
    }

    /// `( query )`.
    mutating func parseParenthesizedQuery() throws(MemFluxError) -> Query {
        try expect(.leftParen)
        let query = try parseQuery()
        try expect(.rightParen)
        return query
    }

    private mutating func parseKeywordPrimary() throws(MemFluxError) -> Expression {
        let token = current
        let next = peek()
        switch token.keyword {
        case .notKeyword:
            return try parseNameExpression()
        case .true, .false:
            advance()
            height = 1
            return Expression(.literal(.bool(token.keyword == .true)), at: token.start)
        case .null:
            advance()
            height = 1
            return Expression(.literal(.null), at: token.start)
        case .case:
            return try parseCase()
        case .cast:
            advance()
            try expect(.leftParen)
            let value = try parseExpression()
            let h = height
            try expect(.as)
            let type = try parseType()
            try expect(.rightParen)
            try built(over: h)
            return Expression(.cast(value, type), at: token.start)
        case .exists where next.kind == .leftParen:
            advance()
            let query = try parseParenthesizedQuery()
            try built(over: height)
            return Expression(.exists(query), at: token.start)
        case .array:
            advance()
            if current.kind == .leftParen {
                let query = try parseParenthesizedQuery()
                try built(over: height)
                return Expression(.arrayQuery(query), at: token.start)
            }
            return try parseArrayElements(at: token.start)
        case .row where next.kind == .leftParen:
            advance()
            advance()
            var list: [Expression] = []
            var h = 0
            if current.kind != .rightParen {
                repeat {
                    list.append(try parseExpression())
                    h = max(h, height)
                } while accept(.comma)
            }
            try expect(.rightParen)
            try built(over: h)
            return Expression(.row(list), at: token.start)
        case .extract, .position, .substring, .trim:
            guard next.kind == .leftParen else { return try parseNameExpression() }
            return try parseSpecialFunction()
        case .coalesce, .nullif, .greatest, .least:
            guard next.kind == .leftParen else { return try parseNameExpression() }
            advance()
            return try parseFunctionCall(name: [token.keyword.name], at: token.start)
        case .currentDate, .currentTime, .currentTimestamp, .localtime, .localtimestamp:
            advance()
            height = 1
            let function: SpecialFunction
            switch token.keyword {
            case .currentDate: function = .currentDate
            case .currentTime: function = .currentTime
            case .currentTimestamp: function = .currentTimestamp
            case .localtime: function = .localTime
            default: function = .localTimestamp
            }
            return Expression(.specialFunction(function), at: token.start)
        case .default:
            throw error(.syntax, "DEFAULT is not allowed in this context", at: token.start)
        case .int, .integer, .smallint, .bigint, .real, .float, .decimal, .dec, .numeric, .boolean, .char, .character,
            .varchar, .national, .timestamp, .time, .interval, .bit, .double:
            if startsTypedLiteral() {
                let type = try parseType()
                guard current.kind == .string else { throw syntaxError() }
                let value = stringValue(of: current)
                advance()
                height = 1
                return Expression(.typedString(type, value), at: token.start)
            }
            return try parseNameExpression()
        default:
            guard token.keyword.category != .reserved else { throw syntaxError() }
            return try parseNameExpression()
        }
    }

    /// At a type keyword: whether a typed literal (`TIMESTAMP '...'`, `NUMERIC(10, 2) '1.5'`) follows rather
    /// than a column of that name.
    private func startsTypedLiteral() -> Bool {
        let next = peek()
        if next.kind == .string { return true }
        switch current.keyword {
        case .double:
            return next.kind == .identifier && next.keyword == .precision
        case .int, .integer, .smallint, .bigint, .real, .boolean:
            return false
        case .timestamp, .time:
            return next.kind == .leftParen || (next.kind == .identifier && (next.keyword == .with || next.keyword == .without))
        case .char, .character, .national:
            return next.kind == .leftParen || (next.kind == .identifier && (next.keyword == .varying || next.keyword == .character))
        default:
            return next.kind == .leftParen
        }
    }

    /// A column reference, a function call, or a typed literal of a named type (`DATE '2024-01-01'`).
    private mutating func parseNameExpression() throws(MemFluxError) -> Expression {
        let first = current
        var parts = [name(of: first)]
        advance()
        while current.kind == .dot && isLabel(peek()) {
            advance()
            parts.append(name(of: current))
            advance()
        }
        if current.kind == .leftParen {
            if parts.count == 1 && !isFunctionIdentifier(first) { throw syntaxError() }
            return try parseFunctionCall(name: parts, at: first.start)
        }
        if current.kind == .string && (parts.count > 1 || isFunctionIdentifier(first)) {
            let type = try namedType(parts, at: first.start, allowSerial: false)
            let value = stringValue(of: current)
            advance()
            height = 1
            return Expression(.typedString(type, value), at: first.start)
        }
        guard isColumnIdentifier(first) else { throw syntaxError(at: first) }
        height = 1
        return Expression(.column(parts), at: first.start)
    }

    /// `name(...)` from the `(`: arguments, `*`, DISTINCT, ORDER BY, then FILTER and OVER.
    mutating func parseFunctionCall(name: [String], at position: Int) throws(MemFluxError) -> Expression {
        try expect(.leftParen)
        var call = FunctionCall(name: name, arguments: [])
        var h = 0
        if current.kind == .star && peek().kind == .rightParen {
            advance()
            call.isStar = true
        } else if current.kind != .rightParen {
            if accept(.distinct) {
                call.isDistinct = true
            } else {
                _ = accept(.all)
            }
            repeat {
                call.arguments.append(try parseExpression())
                h = max(h, height)
            } while accept(.comma)
            if isKeyword(.order) {
                call.orderBy = try parseOrderBy()
                h = max(h, height)
            }
        }
        try expect(.rightParen)
        if isKeyword(.filter) && peek().kind == .leftParen {
            advance()
            advance()
            try expect(.where)
            call.filter = try parseExpression()
            h = max(h, height)
            try expect(.rightParen)
        }
        if accept(.over) {
            if current.kind == .leftParen {
                call.over = try parseWindowSpecification()
                h = max(h, height)
            } else {
                call.over = WindowSpecification(baseName: try parseColumnIdentifier())
            }
        }
        try built(over: h)
        return Expression(.function(call), at: position)
    }

    /// EXTRACT(field FROM x), POSITION(a IN b), SUBSTRING(x FROM a FOR b), TRIM([LEADING|TRAILING|BOTH] [c] FROM x),
    /// rewritten to the function calls PostgreSQL makes of them.
    private mutating func parseSpecialFunction() throws(MemFluxError) -> Expression {
        let token = current
        advance()
        try expect(.leftParen)
        var name = token.keyword.name
        var arguments: [Expression] = []
        var h = 0
        switch token.keyword {
        case .extract:
            let field = current
            let text: String
            switch field.kind {
            case .string:
                text = stringValue(of: field)
            case .identifier where field.keyword == .notKeyword || field.keyword == .year || field.keyword == .month
                || field.keyword == .day || field.keyword == .hour || field.keyword == .minute || field.keyword == .second:
                text = self.name(of: field)
            default:
                throw syntaxError()
            }
            advance()
            try expect(.from)
            let value = try parseExpression()
            h = max(h, height)
            arguments = [Expression(.string(text), at: field.start), value]
        case .position:
            let needle = try parseExpression(Precedence.like + 1)
            h = max(h, height)
            try expect(.in)
            let haystack = try parseExpression(Precedence.like + 1)
            h = max(h, height)
            arguments = [haystack, needle]
        case .substring:
            let value = try parseExpression()
            h = max(h, height)
            arguments = [value]
            if accept(.from) {
                arguments.append(try parseExpression())
                h = max(h, height)
                if accept(.for) {
                    arguments.append(try parseExpression())
                    h = max(h, height)
                }
            } else if isKeyword(.for) {
                let forToken = current
                advance()
                let count = try parseExpression()
                h = max(h, height)
                if accept(.from) {
                    arguments.append(try parseExpression())
                    h = max(h, height)
                } else {
                    arguments.append(Expression(.literal(.int(1)), at: forToken.start))
                }
                arguments.append(count)
            } else {
                while accept(.comma) {
                    arguments.append(try parseExpression())
                    h = max(h, height)
                }
            }
        default:  // TRIM
            name = "btrim"
            if accept(.leading) {
                name = "ltrim"
            } else if accept(.trailing) {
                name = "rtrim"
            } else {
                _ = accept(.both)
            }
            if accept(.from) {
                arguments = try parseExpressionList()
                h = max(h, height)
            } else {
                let first = try parseExpression()
                h = max(h, height)
                if accept(.from) {
                    arguments = try parseExpressionList()
                    h = max(h, height)
                    arguments.append(first)
                } else {
                    arguments = [first]
                    while accept(.comma) {
                        arguments.append(try parseExpression())
                        h = max(h, height)
                    }
                }
            }
        }
        try expect(.rightParen)
        try built(over: h)
        return Expression(.function(FunctionCall(name: [name], arguments: arguments)), at: token.start)
    }

    /// `a, b, ...`; `height` is the tallest.
    mutating func parseExpressionList() throws(MemFluxError) -> [Expression] {
        var h = 0
        var list: [Expression] = []
        repeat {
            list.append(try parseExpression())
            h = max(h, height)
        } while accept(.comma)
        height = h
        return list
    }

    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    private mutating func parseCase() throws(MemFluxError) -> Expression {
        let start = current.start
        advance()
        var h = 0
        var operand: Expression?
        if !isKeyword(.when) {
            operand = try parseExpression()
            h = height
        }
        var branches: [CaseBranch] = []
        guard isKeyword(.when) else { throw syntaxError() }
        while accept(.when) {
            let condition = try parseExpression()
            h = max(h, height)
            try expect(.then)
            let result = try parseExpression()
            h = max(h, height)
            branches.append(CaseBranch(condition: condition, result: result))
        }
        var otherwise: Expression?
        if accept(.else) {
            otherwise = try parseExpression()
            h = max(h, height)
        }
        try expect(Keyword.end)
        try built(over: h)
        return Expression(.caseWhen(operand: operand, branches: branches, otherwise: otherwise), at: start)
    }

    /// `[a, b]` after ARRAY; inner `[...]` are sub-arrays.
    private mutating func parseArrayElements(at position: Int) throws(MemFluxError) -> Expression {
        try enter()
        defer { leave() }
        try expect(.leftBracket)
        var elements: [Expression] = []
        var h = 0
        if current.kind != .rightBracket {
            repeat {
                if current.kind == .leftBracket {
                    elements.append(try parseArrayElements(at: current.start))
                } else {
                    elements.append(try parseExpression())
                }
                h = max(h, height)
            } while accept(.comma)
        }
        try expect(.rightBracket)
        try built(over: h)
        return Expression(.array(elements), at: position)
    }

    // MARK: ORDER BY and windows

    /// `ORDER BY expr [ASC | DESC] [NULLS FIRST | LAST], ...`; `height` is the tallest.
    mutating func parseOrderBy() throws(MemFluxError) -> [OrderItem] {
        try expect(.order)
        try expect(.by)
        var items: [OrderItem] = []
        var h = 0
        repeat {
            var item = OrderItem(expression: try parseExpression())
            h = max(h, height)
            if accept(.desc) {
                item.descending = true
            } else {
                _ = accept(.asc)
            }
            if isKeyword(.nulls) {
                // PostgreSQL's lexer makes NULLS a keyword only before FIRST or LAST; elsewhere the error is at NULLS itself.
                guard isKeyword(.first, at: 1) || isKeyword(.last, at: 1) else { throw syntaxError() }
                advance()
                item.nullsFirst = accept(.first)
                if item.nullsFirst == false { try expect(.last) }
            }
            items.append(item)
        } while accept(.comma)
        height = h
        return items
    }

    /// `( [name] [PARTITION BY ...] [ORDER BY ...] [frame] )`; `height` is the tallest part.
    mutating func parseWindowSpecification() throws(MemFluxError) -> WindowSpecification {
        try enter()
        defer { leave() }
        try expect(.leftParen)
        var specification = WindowSpecification()
        var h = 0
        if isColumnIdentifier(current)
            && !(current.kind == .identifier
                && (current.keyword == .partition || current.keyword == .range || current.keyword == .rows
                    || current.keyword == .groups))
        {
            specification.baseName = try parseColumnIdentifier()
        }
        if accept(.partition) {
            try expect(.by)
            specification.partitionBy = try parseExpressionList()
            h = max(h, height)
        }
        if isKeyword(.order) {
            specification.orderBy = try parseOrderBy()
            h = max(h, height)
        }
        if isKeyword(.rows) || isKeyword(.range) || isKeyword(.groups) {
            specification.frame = try parseFrame()
            h = max(h, height)
        }
        try expect(.rightParen)
        height = h
        return specification
    }

    private mutating func parseFrame() throws(MemFluxError) -> WindowFrame {
        let mode: WindowFrame.Mode = isKeyword(.rows) ? .rows : isKeyword(.range) ? .range : .groups
        advance()
        var h = 0
        var frame: WindowFrame
        let between = accept(.between)
        let startPosition = current.start
        var endPosition = startPosition
        if between {
            let startBound = try parseFrameBound()
            h = max(h, height)
            try expect(.and)
            endPosition = current.start
            let endBound = try parseFrameBound()
            h = max(h, height)
            frame = WindowFrame(mode: mode, start: startBound, end: endBound)
        } else {
            frame = WindowFrame(mode: mode, start: try parseFrameBound())
            h = height
        }
        // gram.y's checks, in its order, at the bound it blames (42P20).
        func fail(_ message: String, _ position: Int) -> MemFluxError { error(.err, message, at: position) }
        if case .unboundedFollowing = frame.start {
            throw fail("frame start cannot be UNBOUNDED FOLLOWING", startPosition)
        }
        if case .following = frame.start, frame.end == nil {
            throw fail("frame starting from following row cannot end with current row", startPosition)
        }
        if let end = frame.end {
            if case .unboundedPreceding = end { throw fail("frame end cannot be UNBOUNDED PRECEDING", endPosition) }
            switch (frame.start, end) {
            case (.currentRow, .preceding):
                throw fail("frame starting from current row cannot have preceding rows", endPosition)
            case (.following, .preceding), (.following, .currentRow):
                throw fail("frame starting from following row cannot have preceding rows", endPosition)
            default: break
            }
        }
        if accept(.exclude) {
            if accept(.current) {
                try expect(.row)
                frame.exclusion = .currentRow
            } else if accept(.group) {
                frame.exclusion = .group
            } else if accept(.ties) {
                frame.exclusion = .ties
            } else {
                try expect(.no)
                try expect(.others)
                frame.exclusion = .noOthers
            }
        }
        height = h
        return frame
    }

    private mutating func parseFrameBound() throws(MemFluxError) -> WindowFrame.Bound {
        if isKeyword(.unbounded) {
            advance()
            height = 0
            if accept(.preceding) { return .unboundedPreceding }
            try expect(.following)
            return .unboundedFollowing
        }
        if isKeyword(.current) && isKeyword(.row, at: 1) {
            advance()
            advance()
            height = 0
            return .currentRow
        }
        let offset = try parseExpression()
        if accept(.preceding) { return .preceding(offset) }
        try expect(.following)
        return .following(offset)
    }
}
