// JSON field access for `->`, `->>`, `#>`, `#>>` and dotted names into a
// document column (`profile.city`): a missing field, an index out of range,
// or a non-container is NULL, as in PostgreSQL, with jsonb's one exception:
// a scalar is stored as a one-element array, so `'"s"'::jsonb -> 0` (or
// -1) is the scalar itself (a path into a scalar is still NULL).
//
// `->>` and `#>>` give a container as its type prints it: jsonb's layout
// (`{"zip": "0150", "city": "Oslo"}`, keys in jsonb's order) for jsonb, the
// compact stored text for json and schemaless documents.

import MemFluxCore

enum JSONAccess {
    /// `document -> key`; `documentType` is the document's declared type.
    static func field(_ document: SQLValue, _ key: SQLValue, asText: Bool, documentType: SQLType = .dynamic) -> SQLValue {
        guard case .json(let json) = document else { return .null }
        let found: JSONValue?
        switch (json, key) {
        case (.object(let fields), .text(let name)): found = fields[name]
        case (.array(let items), .int(let index)):
            let i = index < 0 ? Int64(items.count) + index : index
            found = i >= 0 && i < Int64(items.count) ? items[Int(i)] : nil
        case (.object, .int), (.array, .text): found = nil
        case (_, .int(let index)): found = index == 0 || index == -1 ? json : nil
        default: found = nil
        }
        guard let found else { return .null }
        return wrap(found, asText: asText, documentType: documentType)
    }

    /// `#>` with a text array path such as `'{a,0,b}'`.
    static func path(_ document: SQLValue, _ path: SQLValue, asText: Bool, documentType: SQLType = .dynamic) throws(MemFluxError) -> SQLValue {
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
        return wrap(current, asText: asText, documentType: documentType)
    }

    /// A JSON value as `->` answers it (JSON) or `->>` (text: strings unquoted, JSON null as SQL NULL).
    static func wrap(_ value: JSONValue, asText: Bool, documentType: SQLType) -> SQLValue {
        guard asText else { return .json(value) }
        switch value {
        case .null: return .null
        case .string(let s): return .text(s)
        case .array, .object: return .text(SQLValue.json(value).text(type: documentType == .jsonb ? .jsonb : .json))
        default: return .text(value.serialized.string)
        }
    }
}
