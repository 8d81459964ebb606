// JSON field access for `->`, `->>`, `#>`, `#>>` and dotted names into a
// document column (`profile.city`): a missing field, an index out of range,
// or a non-container is NULL, as in PostgreSQL.

import MemFluxCore

enum JSONAccess {
    static func field(_ document: SQLValue, _ key: SQLValue, asText: Bool) -> SQLValue {
        guard case .json(let json) = document else { return .null }
        let found: JSONValue?
        switch (json, key) {
        case (.object(let fields), .text(let name)): found = fields[name]
        case (.array(let items), .int(let index)):
            let i = index < 0 ? Int64(items.count) + index : index
            found = i >= 0 && i < Int64(items.count) ? items[Int(i)] : nil
        default: found = nil
        }
        guard let found else { return .null }
        return wrap(found, asText: asText)
    }

    /// `#>` with a text array path such as `'{a,0,b}'`.
    static func path(_ document: SQLValue, _ path: SQLValue, asText: Bool) throws(MemFluxError) -> SQLValue {
        guard case .json(var current) = document else { return .null }
        let steps: [SQLValue]
        switch path {
        case .array(let a): steps = a
        case .text:
            guard case .array(let a) = try SQLCast.cast(path, to: .array(.text), explicit: false) else { return .null }
            steps = a
        default: return .null
        }
        for step in steps {
            guard case .text(let s) = step else { return .null }
            switch current {
            case .object(let fields):
                guard let next = fields[s] else { return .null }
                current = next
            case .array(let items):
                guard let index = Int(s) else { return .null }
                let i = index < 0 ? items.count + index : index
                guard i >= 0 && i < items.count else { return .null }
                current = items[i]
            default:
                return .null
            }
        }
        return wrap(current, asText: asText)
    }

    /// A JSON value as `->` answers it (JSON) or `->>` (text: strings unquoted, JSON null as SQL NULL).
    static func wrap(_ value: JSONValue, asText: Bool) -> SQLValue {
        guard asText else { return .json(value) }
        switch value {
        case .null: return .null
        case .string(let s): return .text(s)
        default: return .text(value.serialized.string)
        }
    }
}
