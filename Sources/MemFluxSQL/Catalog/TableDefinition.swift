// TableDefinition: a table created with CREATE TABLE — its columns, their
// types and defaults, and how a row's key is formed. Stored in the keyspace
// as a system key holding a JSON document (so DDL is transactional and
// persists through the log and snapshots like any write), and decoded once
// into this shape, which the catalog caches.
//
// Row keys: `<table>:<suffix>`, the suffix being the primary key's values
// (joined with `:` when composite), else the `id` column, else a hidden
// generated key that is never shown.

import Collections
import MemFluxCore
import MemFluxStorage

public struct ColumnDefinitionInfo: Sendable {
    public var name: String
    public var type: SQLType
    public var notNull: Bool
    /// The DEFAULT expression as SQL text, parsed again when the definition is loaded.
    public var defaultSQL: String?
}

public final class TableDefinition: Sendable {
    public enum KeySource: Sendable, Equatable {
        /// The key suffix is these columns' values (the primary key, or the `id` column).
        case columns([Int])
        /// No primary key and no `id` column: a generated suffix.
        case generated
    }

    public let name: String
    public let columns: [ColumnDefinitionInfo]
    /// Positions of the PRIMARY KEY columns (empty without one).
    public let primaryKey: [Int]
    public let keySource: KeySource
    /// Shared by every row written through this definition.
    public let layout: RowLayout
    /// `name:`, the key prefix of the table's rows.
    public let prefix: Bytes
    /// Column positions by name.
    private let positions: [String: Int]

    public init(name: String, columns: [ColumnDefinitionInfo], primaryKey: [Int]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() { positions[c.name] = i }
        self.positions = positions
        if !primaryKey.isEmpty {
            keySource = .columns(primaryKey)
        } else if let id = positions["id"] {
            keySource = .columns([id])
        } else {
            keySource = .generated
        }
        layout = RowLayout(columns: columns.map(\.name), types: columns.map(\.type))
        prefix = Bytes(name + ":")
    }

    public func position(of column: String) -> Int? { positions[column] }

    /// The system key this definition is stored under.
    static func storageKey(_ name: String) -> Bytes { SystemKey.make("sql.table", Bytes(name)) }
}

// MARK: Stored form

extension TableDefinition {
    var document: JSONValue {
        var columnDocuments: [JSONValue] = []
        for c in columns {
            var fields: [(String, JSONValue)] = [("name", .string(c.name)), ("type", .string(c.type.storageName))]
            if c.notNull { fields.append(("notNull", .bool(true))) }
            if let d = c.defaultSQL { fields.append(("default", .string(d))) }
            columnDocuments.append(.object(.init(uniqueKeysWithValues: fields)))
        }
        return .object([
            "name": .string(name),
            "columns": .array(columnDocuments),
            "primaryKey": .array(primaryKey.map { .int(Int64($0)) }),
        ])
    }

    convenience init(document: JSONValue) throws(MemFluxError) {
        let damaged = MemFluxError(.err, "damaged table definition")
        guard case .object(let fields) = document, case .string(let name)? = fields["name"],
            case .array(let columnDocuments)? = fields["columns"], case .array(let keyDocuments)? = fields["primaryKey"]
        else { throw damaged }
        var columns: [ColumnDefinitionInfo] = []
        for c in columnDocuments {
            guard case .object(let f) = c, case .string(let columnName)? = f["name"], case .string(let typeName)? = f["type"],
                let type = SQLType(storageName: Substring(typeName))
            else { throw damaged }
            var defaultSQL: String?
            if case .string(let d)? = f["default"] { defaultSQL = d }
            columns.append(ColumnDefinitionInfo(name: columnName, type: type, notNull: f["notNull"] == .bool(true), defaultSQL: defaultSQL))
        }
        var primaryKey: [Int] = []
        for k in keyDocuments {
            guard case .int(let i) = k, i >= 0, i < Int64(columns.count) else { throw damaged }
            primaryKey.append(Int(i))
        }
        self.init(name: name, columns: columns, primaryKey: primaryKey)
    }
}

extension SQLType {
    /// A compact spelling for the stored catalog: `int4`, `varchar:10`, `numeric:10:2`, `array:int4`.
    var storageName: String {
        switch self {
        case .boolean: "bool"
        case .smallint: "int2"
        case .integer: "int4"
        case .bigint: "int8"
        case .real: "float4"
        case .double: "float8"
        case .numeric(let p, let s): "numeric" + (p.map { ":\($0)" } ?? "") + (s.map { ":\($0)" } ?? "")
        case .text: "text"
        case .varchar(let n): "varchar" + (n.map { ":\($0)" } ?? "")
        case .char(let n): "char" + (n.map { ":\($0)" } ?? "")
        case .bytea: "bytea"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .date: "date"
        case .time: "time"
        case .uuid: "uuid"
        case .json: "json"
        case .jsonb: "jsonb"
        case .array(let e): "array:" + e.storageName
        case .dynamic: "dynamic"
        case .unknown: "unknown"
        }
    }

    init?(storageName: Substring) {
        if storageName.hasPrefix("array:") {
            guard let element = SQLType(storageName: storageName.dropFirst(6)) else { return nil }
            self = .array(element)
            return
        }
        let parts = storageName.split(separator: ":")
        guard let head = parts.first else { return nil }
        let numbers = parts.dropFirst().map { Int($0) }
        if numbers.contains(where: { $0 == nil }) { return nil }
        let n = numbers.compactMap { $0 }
        switch (head, n.count) {
        case ("bool", 0): self = .boolean
        case ("int2", 0): self = .smallint
        case ("int4", 0): self = .integer
        case ("int8", 0): self = .bigint
        case ("float4", 0): self = .real
        case ("float8", 0): self = .double
        case ("numeric", 0): self = .numeric(precision: nil, scale: nil)
        case ("numeric", 1): self = .numeric(precision: n[0], scale: nil)
        case ("numeric", 2): self = .numeric(precision: n[0], scale: n[1])
        case ("text", 0): self = .text
        case ("varchar", 0): self = .varchar(nil)
        case ("varchar", 1): self = .varchar(n[0])
        case ("char", 0): self = .char(nil)
        case ("char", 1): self = .char(n[0])
        case ("bytea", 0): self = .bytea
        case ("timestamp", 0): self = .timestamp
        case ("timestamptz", 0): self = .timestamptz
        case ("date", 0): self = .date
        case ("time", 0): self = .time
        case ("uuid", 0): self = .uuid
        case ("json", 0): self = .json
        case ("jsonb", 0): self = .jsonb
        case ("dynamic", 0): self = .dynamic
        default: return nil
        }
    }
}
