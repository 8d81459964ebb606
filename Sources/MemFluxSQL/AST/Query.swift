// The syntax tree of queries: SELECT, VALUES, set operations and WITH, with
// their FROM clauses. Unresolved, as the parser leaves it.

import MemFluxCore

/// A complete query: `[WITH ...] body [ORDER BY ...] [LIMIT ...] [OFFSET ...]`.
public struct Query: Sendable, Hashable {
    public var with: WithClause?
    public var body: QueryBody
    public var orderBy: [OrderItem]
    public var limit: Expression?
    public var offset: Expression?
    /// Byte offset of the query's first token.
    public var position: Int

    public init(
        with: WithClause? = nil, body: QueryBody, orderBy: [OrderItem] = [], limit: Expression? = nil,
        offset: Expression? = nil, at position: Int
    ) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.position = position
    }
}

public indirect enum QueryBody: Sendable, Hashable {
    case select(Select)
    /// `VALUES (a, b), (c, d)`.
    case values([[Expression]])
    /// `left UNION [ALL] right`, INTERSECT, EXCEPT (INTERSECT binds tighter, as in PostgreSQL).
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)
    /// A parenthesized query with its own ORDER BY / LIMIT inside a set operation.
    case nested(Query)
}

public enum SetOperator: String, Sendable, Hashable {
    case union = "UNION", intersect = "INTERSECT", except = "EXCEPT"
}

public struct WithClause: Sendable, Hashable {
    public var isRecursive: Bool
    public var tables: [CommonTableExpression]

    public init(isRecursive: Bool, tables: [CommonTableExpression]) {
        self.isRecursive = isRecursive
        self.tables = tables
    }
}

public struct CommonTableExpression: Sendable, Hashable {
    public var name: String
    /// `name(a, b) AS (...)`: column names overriding the query's.
    public var columns: [String]
    public var query: Query
    public var position: Int

    public init(name: String, columns: [String], query: Query, at position: Int) {
        self.name = name
        self.columns = columns
        self.query = query
        self.position = position
    }
}

public struct Select: Sendable, Hashable {
    public enum Distinct: Sendable, Hashable {
        case all
        case distinct
        /// `DISTINCT ON (a, b)`.
        case on([Expression])
    }

    public var distinct: Distinct
    public var items: [SelectItem]
    /// Comma-separated FROM items (an implicit cross join); empty for `SELECT 1`.
    public var from: [TableReference]
    public var whereClause: Expression?
    public var groupBy: [Expression]
    public var having: Expression?
    /// `WINDOW w AS (...)` definitions.
    public var windows: [NamedWindow]

    public init(
        distinct: Distinct = .all, items: [SelectItem], from: [TableReference] = [], whereClause: Expression? = nil,
        groupBy: [Expression] = [], having: Expression? = nil,
        windows: [NamedWindow] = []
    ) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
    }
}

/// `WINDOW name AS (...)`.
public struct NamedWindow: Sendable, Hashable {
    public var name: String
    public var specification: WindowSpecification

    public init(name: String, specification: WindowSpecification) {
        self.name = name
        self.specification = specification
    }
}

public enum SelectItem: Sendable, Hashable {
    /// `*` or `t.*`, at a byte offset.
    case star(qualifier: [String]?, position: Int)
    /// `expr [AS alias]`.
    case expression(Expression, alias: String?)
}

/// `AS a` or `AS a(x, y)`.
public struct TableAlias: Sendable, Hashable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String] = []) {
        self.name = name
        self.columns = columns
    }
}

public indirect enum TableReference: Sendable, Hashable {
    /// A table, view or CTE: `[schema.]name [AS alias]`.
    case table(name: [String], alias: TableAlias?, position: Int)
    /// `[LATERAL] (query) AS alias`.
    case subquery(Query, alias: TableAlias?, isLateral: Bool, position: Int)
    /// A function in FROM: `GRAPH_MATCH('...') AS g`, `generate_series(1, 10) AS s`.
    case function(FunctionCall, alias: TableAlias?, position: Int)
    case join(JoinKind, TableReference, TableReference, JoinCondition, position: Int)
}

public enum JoinKind: String, Sendable, Hashable {
    case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS"
}

public enum JoinCondition: Sendable, Hashable {
    /// CROSS JOIN (or a comma).
    case none
    case on(Expression)
    case using([String])
    case natural
}
