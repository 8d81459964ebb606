// The syntax tree of SQL expressions, as the parser produces them: names are
// already case-folded (unquoted identifiers lowercased, quoted ones kept),
// nothing is resolved yet. Every node carries the byte offset in the
// statement where it starts, for errors (`... at line 1, column 10`).

import MemFluxCore

public struct Expression: Sendable, Hashable {
    public var kind: ExpressionKind
    /// Byte offset of the node's first token in the statement.
    public var position: Int

    public init(_ kind: ExpressionKind, at position: Int) {
        self.kind = kind
        self.position = position
    }
}

public indirect enum ExpressionKind: Sendable, Hashable {
    /// A constant: integers that fit Int64 are `.int`, other numbers
    /// `.numeric`, TRUE/FALSE `.bool`, NULL `.null`; `E'...'` and `'...'`
    /// strings are `.string` (their type comes from context, as in PostgreSQL).
    case literal(SQLValue)
    /// A string constant, typed by its context (`'2024-01-01'::date`, `x = '1'`).
    case string(String)
    /// `type 'text'`, e.g. `DATE '2024-01-01'`, `INTERVAL '1 day'`.
    case typedString(SQLType, String)
    /// `?` (numbered in order of appearance) or `$n`; 1-based.
    case parameter(Int)
    /// `a`, `t.a`, `s.t.a`, also `profile.city` (resolved by the binder).
    case column([String])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case function(FunctionCall)
    /// `CAST(x AS t)` and `x::t`.
    case cast(Expression, SQLType)
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    case caseWhen(operand: Expression?, branches: [CaseBranch], otherwise: Expression?)
    case isNull(Expression, negated: Bool)
    /// `IS [NOT] TRUE | FALSE | UNKNOWN` (nil = UNKNOWN).
    case isTruth(Expression, Bool?, negated: Bool)
    case isDistinctFrom(Expression, Expression, negated: Bool)
    case between(Expression, low: Expression, high: Expression, negated: Bool, symmetric: Bool)
    /// LIKE / ILIKE [ESCAPE e].
    case like(Expression, pattern: Expression, escape: Expression?, caseInsensitive: Bool, negated: Bool)
    case inList(Expression, [Expression], negated: Bool)
    case inQuery(Expression, Query, negated: Bool)
    case exists(Query)
    /// A scalar subquery `(SELECT ...)`.
    case subquery(Query)
    /// `x op ANY (array or subquery)` / `x op ALL (...)` / `SOME`.
    case quantified(BinaryOperator, Expression, Quantifier, QuantifiedSource)
    /// `ARRAY[a, b]`.
    case array([Expression])
    /// `ARRAY(SELECT ...)`.
    case arrayQuery(Query)
    /// `x[i]`, 1-based as in PostgreSQL.
    case element(Expression, Expression)
    /// A row constructor `(a, b)` or `ROW(a, b)`.
    case row([Expression])
    /// `DEFAULT` in INSERT VALUES or UPDATE SET.
    case defaultValue
    /// CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIMESTAMP... (no parentheses).
    case specialFunction(SpecialFunction)
}

public enum UnaryOperator: String, Sendable, Hashable {
    case not = "NOT"
    case negate = "-"
    case plus = "+"
}

public enum BinaryOperator: String, Sendable, Hashable {
    case or = "OR", and = "AND"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case concatenate = "||"
    /// `->`: JSON field or element as JSON.
    case jsonField = "->"
    /// `->>`: JSON field or element as text.
    case jsonFieldText = "->>"
    /// `#>`: JSON path (a text array) as JSON.
    case jsonPath = "#>"
    /// `#>>`: JSON path as text.
    case jsonPathText = "#>>"
    /// `@>` / `<@`: JSON or array containment.
    case contains = "@>", containedBy = "<@"
    /// `?` is a parameter here, so JSON key existence is only a function.
    case regexMatch = "~", regexMatchInsensitive = "~*", regexNotMatch = "!~", regexNotMatchInsensitive = "!~*"
}

public enum Quantifier: String, Sendable, Hashable {
    case any = "ANY", all = "ALL"
}

public enum QuantifiedSource: Sendable, Hashable {
    case array(Expression)
    case query(Query)
}

public enum SpecialFunction: String, Sendable, Hashable {
    case currentDate = "current_date"
    case currentTime = "current_time"
    case currentTimestamp = "current_timestamp"
    case localTime = "localtime"
    case localTimestamp = "localtimestamp"
}

public struct CaseBranch: Sendable, Hashable {
    public var condition: Expression
    public var result: Expression

    public init(condition: Expression, result: Expression) {
        self.condition = condition
        self.result = result
    }
}

/// `name([DISTINCT] args [ORDER BY ...]) [FILTER (WHERE ...)] [OVER ...]`.
public struct FunctionCall: Sendable, Hashable {
    /// Lowercased; schema-qualified names keep their parts (`pg_catalog.lower`).
    public var name: [String]
    public var arguments: [Expression]
    /// `count(*)`.
    public var isStar: Bool
    public var isDistinct: Bool
    /// Ordered-set arguments: `string_agg(x, ',' ORDER BY y)`.
    public var orderBy: [OrderItem]
    public var filter: Expression?
    public var over: WindowSpecification?

    public init(
        name: [String], arguments: [Expression], isStar: Bool = false, isDistinct: Bool = false,
        orderBy: [OrderItem] = [], filter: Expression? = nil, over: WindowSpecification? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.isStar = isStar
        self.isDistinct = isDistinct
        self.orderBy = orderBy
        self.filter = filter
        self.over = over
    }
}

public struct OrderItem: Sendable, Hashable {
    public var expression: Expression
    public var descending: Bool
    /// NULLS FIRST (true) / NULLS LAST (false); nil = the default (last for ASC, first for DESC).
    public var nullsFirst: Bool?

    public init(expression: Expression, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

/// `OVER (...)`, `OVER name`, or a `WINDOW name AS (...)` definition.
public struct WindowSpecification: Sendable, Hashable {
    /// `OVER w` or `OVER (w ORDER BY ...)`: the window this one refines.
    public var baseName: String?
    public var partitionBy: [Expression]
    public var orderBy: [OrderItem]
    public var frame: WindowFrame?

    public init(baseName: String? = nil, partitionBy: [Expression] = [], orderBy: [OrderItem] = [], frame: WindowFrame? = nil) {
        self.baseName = baseName
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

public struct WindowFrame: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }
    public enum Bound: Sendable, Hashable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }
    public enum Exclusion: String, Sendable, Hashable {
        case noOthers = "NO OTHERS", currentRow = "CURRENT ROW", group = "GROUP", ties = "TIES"
    }

    public var mode: Mode
    public var start: Bound
    /// nil when the frame gives only a start (`ROWS 2 PRECEDING` = `BETWEEN 2 PRECEDING AND CURRENT ROW`).
    public var end: Bound?
    public var exclusion: Exclusion

    public init(mode: Mode, start: Bound, end: Bound? = nil, exclusion: Exclusion = .noOthers) {
        self.mode = mode
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }
}
