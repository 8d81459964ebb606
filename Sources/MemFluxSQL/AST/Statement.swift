// The syntax tree of whole statements: queries, DML, DDL, transaction
// control and EXPLAIN.

import MemFluxCore

public indirect enum Statement: Sendable, Hashable {
    case query(Query)
    case insert(Insert)
    case update(Update)
    case delete(Delete)
    case createTable(CreateTable)
    case dropTable(names: [[String]], ifExists: Bool, cascade: Bool)
    case truncate(names: [[String]])
    case alterTable(name: [String], ifExists: Bool, AlterTableAction)
    case createIndex(CreateIndex)
    case dropIndex(names: [[String]], ifExists: Bool)
    case createView(name: [String], orReplace: Bool, columns: [String], query: Query)
    case dropView(names: [[String]], ifExists: Bool)
    case createSchema(name: String, ifNotExists: Bool)
    case dropSchema(names: [String], ifExists: Bool, cascade: Bool)
    /// BEGIN / START TRANSACTION [ISOLATION LEVEL ...].
    case begin(TransactionIsolation?)
    case commit
    case rollback
    case savepoint(String)
    case rollbackToSavepoint(String)
    case releaseSavepoint(String)
    /// EXPLAIN [ANALYZE] statement.
    case explain(Statement, analyze: Bool)
}

public enum TransactionIsolation: String, Sendable, Hashable {
    /// READ COMMITTED and REPEATABLE READ map here too: MemFlux's weakest level is snapshot isolation.
    case snapshot
    case serializable
}

public struct Insert: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case values([[Expression]])
        case query(Query)
        case defaultValues
    }

    public var table: [String]
    public var alias: String?
    /// The column list, nil when omitted (all columns in declared order).
    public var columns: [String]?
    public var source: Source
    public var onConflict: OnConflict?
    public var returning: [SelectItem]
    public var position: Int

    public init(
        table: [String], alias: String? = nil, columns: [String]?, source: Source, onConflict: OnConflict? = nil,
        returning: [SelectItem] = [], at position: Int
    ) {
        self.table = table
        self.alias = alias
        self.columns = columns
        self.source = source
        self.onConflict = onConflict
        self.returning = returning
        self.position = position
    }
}

public struct OnConflict: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case nothing
        /// `DO UPDATE SET ... [WHERE ...]`; `excluded.c` names the proposed row.
        case update([Assignment], whereClause: Expression?)
    }

    /// The conflict target columns, empty when omitted (any unique violation, DO NOTHING only).
    public var columns: [String]
    public var action: Action

    public init(columns: [String], action: Action) {
        self.columns = columns
        self.action = action
    }
}

/// `col = expr` (or `col.path = expr` for a nested field), or `(a, b) = (x, y)` split into one per column.
public struct Assignment: Sendable, Hashable {
    public var column: [String]
    public var value: Expression
    public var position: Int

    public init(column: [String], value: Expression, at position: Int) {
        self.column = column
        self.value = value
        self.position = position
    }
}

public struct Update: Sendable, Hashable {
    public var table: [String]
    public var alias: String?
    public var assignments: [Assignment]
    public var from: [TableReference]
    public var whereClause: Expression?
    public var returning: [SelectItem]
    public var position: Int

    public init(
        table: [String], alias: String?, assignments: [Assignment], from: [TableReference] = [],
        whereClause: Expression?, returning: [SelectItem] = [], at position: Int
    ) {
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.from = from
        self.whereClause = whereClause
        self.returning = returning
        self.position = position
    }
}

public struct Delete: Sendable, Hashable {
    public var table: [String]
    public var alias: String?
    public var using: [TableReference]
    public var whereClause: Expression?
    public var returning: [SelectItem]
    public var position: Int

    public init(
        table: [String], alias: String?, using: [TableReference] = [], whereClause: Expression?,
        returning: [SelectItem] = [], at position: Int
    ) {
        self.table = table
        self.alias = alias
        self.using = using
        self.whereClause = whereClause
        self.returning = returning
        self.position = position
    }
}

public struct CreateTable: Sendable, Hashable {
    public var name: [String]
    public var ifNotExists: Bool
    public var columns: [ColumnDefinition]
    public var constraints: [TableConstraint]
    public var position: Int

    public init(name: [String], ifNotExists: Bool, columns: [ColumnDefinition], constraints: [TableConstraint], at position: Int) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.constraints = constraints
        self.position = position
    }
}

public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    public var type: SQLType
    public var constraints: [ColumnConstraint]
    public var position: Int

    public init(name: String, type: SQLType, constraints: [ColumnConstraint] = [], at position: Int) {
        self.name = name
        self.type = type
        self.constraints = constraints
        self.position = position
    }
}

public struct ColumnConstraint: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case primaryKey
        case notNull
        /// An explicit `NULL` (allowed, changes nothing).
        case null
        case unique
        case defaultValue(Expression)
        case check(Expression)
        case references(ForeignKeyReference)
    }

    /// `CONSTRAINT name ...`.
    public var name: String?
    public var kind: Kind

    public init(name: String? = nil, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

public struct TableConstraint: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case primaryKey([String])
        case unique([String])
        case check(Expression)
        case foreignKey(columns: [String], ForeignKeyReference)
    }

    public var name: String?
    public var kind: Kind
    public var position: Int

    public init(name: String?, kind: Kind, at position: Int) {
        self.name = name
        self.kind = kind
        self.position = position
    }
}

public struct ForeignKeyReference: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case noAction = "NO ACTION", restrict = "RESTRICT", cascade = "CASCADE", setNull = "SET NULL", setDefault = "SET DEFAULT"
    }

    public var table: [String]
    /// Referenced columns; empty means the referenced table's primary key.
    public var columns: [String]
    public var onDelete: Action
    public var onUpdate: Action
    public var deferrable: Bool
    public var initiallyDeferred: Bool

    public init(
        table: [String], columns: [String], onDelete: Action = .noAction, onUpdate: Action = .noAction,
        deferrable: Bool = false, initiallyDeferred: Bool = false
    ) {
        self.table = table
        self.columns = columns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.deferrable = deferrable
        self.initiallyDeferred = initiallyDeferred
    }
}

public enum AlterTableAction: Sendable, Hashable {
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(String, ifExists: Bool)
    case renameColumn(from: String, to: String)
    case renameTable(to: String)
    case addConstraint(TableConstraint)
    case dropConstraint(String, ifExists: Bool)
    case setDefault(column: String, Expression)
    case dropDefault(column: String)
    case setNotNull(column: String)
    case dropNotNull(column: String)
    case setType(column: String, SQLType, using: Expression?)
}

public struct CreateIndex: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable { case hash = "HASH", btree = "BTREE" }

    /// nil: a generated name, as PostgreSQL makes one (`t_col_idx`).
    public var name: String?
    public var table: [String]
    public var expressions: [Expression]
    public var isUnique: Bool
    public var ifNotExists: Bool
    public var method: Method?
    public var position: Int

    public init(
        name: String?, table: [String], expressions: [Expression], isUnique: Bool, ifNotExists: Bool, method: Method?,
        at position: Int
    ) {
        self.name = name
        self.table = table
        self.expressions = expressions
        self.isUnique = isUnique
        self.ifNotExists = ifNotExists
        self.method = method
        self.position = position
    }
}
