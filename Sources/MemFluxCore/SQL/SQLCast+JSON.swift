// Casts from and to JSON.
//
// From a jsonb column (source `.jsonb`), PostgreSQL's jsonb casts: a number
// to the number types, a boolean to boolean, anything else refused by kind
// (`cannot cast jsonb string to type integer`), other targets refused
// outright (`cannot cast type jsonb to date`). A json column has no casts
// but to text and jsonb.
//
// From a field of a schemaless document (source `.dynamic`) the JSON scalar
// stands for the SQL value it holds: a string is text to be parsed for the
// target (`"2024-01-31"` to a date), a number a number, a boolean a
// boolean, null is NULL, and an array converts element by element to an
// array type. Containers to scalar types are refused with jsonb's messages.
//
// A JSON double becomes numeric by its shortest digits (a document's 0.1 is
// 0.1), not by float8 → numeric's 15 digits: it stands for the decimal the
// document was written with.

extension SQLCast {
    /// The cast of a JSON value, or nil when the target takes JSON as it is
    /// (text, json, jsonb, dynamic: handled by the general path).
    static func castJSON(_ json: JSONValue, from source: SQLType, to target: SQLType, explicit: Bool) throws(MemFluxError) -> SQLValue? {
        switch target {
        case .text, .varchar, .char, .json, .jsonb, .dynamic, .unknown: return nil
        default: break
        }
        switch source {
        case .json:
            throw MemFluxError(.err, "cannot cast type json to \(target.postgresName)")
        case .jsonb:
            guard target.isNumber || target == .boolean else {
                throw MemFluxError(.err, "cannot cast type jsonb to \(target.postgresName)")
            }
            switch json {
            case .bool(let flag) where target == .boolean: return .bool(flag)
            case .int, .double: if target.isNumber { return try castJSONNumber(json, to: target) }
            default: break
            }
            throw cannotCastJSON(json, to: target)
        default:
            switch json {
            case .null: return .null
            case .string(let text): return try cast(.text(text), from: .text, to: target, explicit: explicit)
            case .bool(let flag): return try cast(.bool(flag), from: .boolean, to: target, explicit: explicit)
            case .int, .double: return try castJSONNumber(json, to: target)
            case .array(let items):
                guard case .array(let element) = target else { throw cannotCastJSON(json, to: target) }
                var converted = [SQLValue]()
                converted.reserveCapacity(items.count)
                for item in items {
                    converted.append(try cast(.json(item), from: .dynamic, to: element, explicit: explicit))
                }
                return .array(converted)
            case .object:
                throw cannotCastJSON(json, to: target)
            }
        }
    }

    private static func castJSONNumber(_ json: JSONValue, to target: SQLType) throws(MemFluxError) -> SQLValue {
        switch json {
        case .int(let n):
            return try cast(.int(n), from: .bigint, to: target)
        case .double(let d):
            // Through the decimal the document wrote (jsonb keeps numerics), so 2.5 rounds to 3 for an integer.
            if target.isNumber && target != .real && target != .double {
                return try cast(.numeric(try SQLNumeric(d)), from: .numeric(precision: nil, scale: nil), to: target)
            }
            return try cast(.double(d), from: .double, to: target)
        default:
            throw cannotCastJSON(json, to: target)
        }
    }

    /// `cannot cast jsonb object to type integer`.
    static func cannotCastJSON(_ json: JSONValue, to target: SQLType) -> MemFluxError {
        let kind = switch json {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "numeric"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
        return MemFluxError(.err, "cannot cast jsonb \(kind) to type \(target.postgresName)")
    }

    static func toJSON(_ value: SQLValue, from source: SQLType, to target: SQLType) throws(MemFluxError) -> SQLValue {
        switch value {
        case .json:
            return value
        case .text(let text):
            do {
                return .json(try JSONValue.parse(text))
            } catch {
                throw MemFluxError(.err, "invalid input syntax for type json")
            }
        default:
            throw cannotCast(value, from: source, to: target)
        }
    }
}
