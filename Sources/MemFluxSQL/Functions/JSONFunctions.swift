// JSON functions and the JSON operators as functions (`->`, `->>`, `#>`,
// `#>>`, `@>`, `<@`, looked up by their spelling), with PostgreSQL's
// semantics:
//
// - Paths: an object step is a key; an array step is an integer, counted
//   from the end when negative; anything missing is NULL. A jsonb scalar
//   answers `-> 0` and `-> -1` with itself, as PostgreSQL's raw scalars do.
// - `->>`/`#>>`/*_text give a JSON string's text, JSON null as SQL NULL,
//   other values as their jsonb text.
// - Containment (`@>`): objects contain objects whose pairs they contain,
//   arrays contain arrays whose every element matches one of theirs (order
//   and duplicates ignored), a top-level array contains a scalar it holds;
//   SQL arrays contain arrays whose elements they all have (NULL matches
//   nothing).
// - json_build_object/array and to_json turn SQL values into JSON as
//   to_json would (SQLValue.jsonValue), so a numeric's trailing zeros are
//   not kept (JSONValue has no exact decimal).

import Collections
import MemFluxCore

enum JSONFunctions {
    static let all: [ScalarFunction] = [
        field("->", asText: false), field("->>", asText: true),
        path("#>", asText: false, variadic: false), path("#>>", asText: true, variadic: false),
        path("jsonb_extract_path", asText: false, variadic: true), path("json_extract_path", asText: false, variadic: true),
        path("jsonb_extract_path_text", asText: true, variadic: true), path("json_extract_path_text", asText: true, variadic: true),
        containment("@>", reversed: false), containment("<@", reversed: true),
        buildObject("json_build_object", .json), buildObject("jsonb_build_object", .jsonb),
        buildArray("json_build_array", .json), buildArray("jsonb_build_array", .jsonb),
        arrayLength("jsonb_array_length"), arrayLength("json_array_length"),
        typeOf("jsonb_typeof"), typeOf("json_typeof"),
        toJSON("to_json", .json), toJSON("to_jsonb", .jsonb),
    ]

    /// The JSON type a function on `type` returns: json for json, jsonb for jsonb and literals, dynamic for a schemaless field.
    private static func jsonResult(_ type: SQLType) -> SQLType {
        switch type {
        case .json, .dynamic: type
        default: .jsonb
        }
    }

    // MARK: - Access

    /// `json -> key | index` and `->>`.
    private static func field(_ name: String, asText: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 2, types[0].acceptsJSON, types[1].acceptsText || types[1].acceptsInteger || types[1] == .bigint else {
                throw noSuchFunction(name, types)
            }
            return asText ? .text : jsonResult(types[0])
        }) { args, context throws(MemFluxError) in
            let document = try Argument.json(args[0])
            let found: JSONValue?
            switch args[1] {
            case .int(let index), .json(.int(let index)):
                found = element(document, at: index, rawScalars: context.argumentType(0) != .json)
            default:
                if case .object(let fields) = document { found = fields[Argument.text(args[1])] } else { found = nil }
            }
            return result(found, asText: asText, type: context.argumentType(0))
        }
    }

    /// `json #> text[]`, `#>>`, and the variadic json(b)_extract_path(_text)(json, steps...).
    private static func path(_ name: String, asText: Bool, variadic: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            let stepsOK = variadic
                ? types.count >= 2 && types.dropFirst().allSatisfy(\.acceptsText)
                : types.count == 2 && (types[1] == .array(.text) || types[1] == .unknown || types[1] == .dynamic)
            guard stepsOK, types[0].acceptsJSON else { throw noSuchFunction(name, types) }
            return asText ? .text : jsonResult(types[0])
        }) { args, context throws(MemFluxError) in
            var steps = [String]()
            if variadic {
                for step in args.dropFirst() {
                    // A NULL step finds nothing (PostgreSQL returns NULL).
                    if step.isNull { return .null }
                    steps.append(Argument.text(step))
                }
            } else {
                let array = try SQLCast.cast(args[1], to: .array(.text))
                guard case .array(let items) = array else { return .null }
                for item in items {
                    guard case .text(let step) = item else { return .null }
                    steps.append(step)
                }
            }
            var current: JSONValue? = try Argument.json(args[0])
            for step in steps {
                guard let value = current else { break }
                current = child(value, step: step)
            }
            return result(current, asText: asText, type: context.argumentType(0))
        }
    }

    /// One path step: a key of an object, an integer index of an array.
    static func child(_ value: JSONValue, step: String) -> JSONValue? {
        switch value {
        case .object(let fields): return fields[step]
        case .array:
            guard let index = Int64(step) else { return nil }
            return element(value, at: index, rawScalars: false)
        default: return nil
        }
    }

    static func element(_ value: JSONValue, at index: Int64, rawScalars: Bool) -> JSONValue? {
        switch value {
        case .array(let items):
            let position = index >= 0 ? index : Int64(items.count) + index
            return position >= 0 && position < Int64(items.count) ? items[Int(position)] : nil
        case .object:
            return nil
        default:
            return rawScalars && (index == 0 || index == -1) ? value : nil
        }
    }

    private static func result(_ value: JSONValue?, asText: Bool, type: SQLType) -> SQLValue {
        guard let value else { return .null }
        guard asText else { return .json(value) }
        switch value {
        case .null: return .null
        case .string(let text): return .text(text)
        default: return .text(SQLValue.json(value).text(type: type == .json ? .json : .jsonb))
        }
    }

    // MARK: - Containment

    private static func containment(_ name: String, reversed: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 2 else { throw noSuchFunction(name, types) }
            let (a, b) = (types[0].withoutModifiers, types[1].withoutModifiers)
            let jsonPair = [a, b].allSatisfy { $0 == .jsonb || $0 == .unknown || $0 == .dynamic }
            let arrayPair = [a, b].allSatisfy { $0.acceptsArray } && (a != .unknown || b != .unknown)
            guard jsonPair || arrayPair else {
                throw MemFluxError(.err, "operator does not exist: \(types[0].functionArgumentName) \(name) \(types[1].functionArgumentName)")
            }
            return .boolean
        }) { args, _ throws(MemFluxError) in
            let (container, contained) = reversed ? (args[1], args[0]) : (args[0], args[1])
            switch (container, contained) {
            case (.array(let x), .array(let y)):
                return .bool(arrayContains(flattened(x), flattened(y)))
            case (.array(let x), .text):
                guard case .array(let y) = try SQLCast.cast(contained, from: .text, to: .array(.text)) else { return .null }
                return .bool(arrayContains(flattened(x).map { .text(Argument.text($0)) }, y))
            default:
                return .bool(jsonContains(try Argument.json(container), try Argument.json(contained)))
            }
        }
    }

    private static func flattened(_ items: [SQLValue]) -> [SQLValue] {
        items.flatMap { item -> [SQLValue] in
            if case .array(let inner) = item { return flattened(inner) }
            return [item]
        }
    }

    private static func arrayContains(_ container: [SQLValue], _ contained: [SQLValue]) -> Bool {
        contained.allSatisfy { wanted in
            !wanted.isNull && container.contains { !$0.isNull && (try? SQLValue.compare($0, wanted)) == 0 }
        }
    }

    /// jsonb @>: see the header; a top-level array contains a scalar it holds.
    static func jsonContains(_ container: JSONValue, _ contained: JSONValue) -> Bool {
        switch (container, contained) {
        case (.array(let items), _) where !contained.isContainer:
            return items.contains { !$0.isContainer && scalarsEqual($0, contained) }
        default:
            return deepContains(container, contained)
        }
    }

    private static func deepContains(_ container: JSONValue, _ contained: JSONValue) -> Bool {
        switch (container, contained) {
        case (.object(let have), .object(let want)):
            return want.allSatisfy { key, value in
                guard let present = have[key] else { return false }
                return value.isContainer ? deepContains(present, value) : (!present.isContainer && scalarsEqual(present, value))
            }
        case (.array(let have), .array(let want)):
            return want.allSatisfy { value in
                have.contains { candidate in
                    value.isContainer ? deepContains(candidate, value) : (!candidate.isContainer && scalarsEqual(candidate, value))
                }
            }
        case (.object, _), (_, .object), (.array, _), (_, .array):
            return false
        default:
            return scalarsEqual(container, contained)
        }
    }

    private static func scalarsEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        (try? SQLValue.compare(.json(a), .json(b))) == 0
    }

    // MARK: - Construction

    private static func buildObject(_ name: String, _ type: SQLType) -> ScalarFunction {
        ScalarFunction(name, strict: false, resolve: { _ throws(MemFluxError) in type }) { args, context throws(MemFluxError) in
            guard args.count % 2 == 0 else { throw MemFluxError(.err, "argument list must have even number of elements") }
            var fields = OrderedDictionary<String, JSONValue>()
            var k = 0
            while k < args.count {
                guard !args[k].isNull else {
                    throw MemFluxError(.err, type == .json ? "argument \(k + 1) cannot be null" : "argument \(k + 1): key must not be null")
                }
                let key = Argument.text(args[k], type: context.argumentType(k))
                fields[key] = args[k + 1].jsonValue
                k += 2
            }
            return .json(.object(fields))
        }
    }

    private static func buildArray(_ name: String, _ type: SQLType) -> ScalarFunction {
        ScalarFunction(name, strict: false, resolve: { _ throws(MemFluxError) in type }) { args, _ throws(MemFluxError) in
            .json(.array(args.map(\.jsonValue)))
        }
    }

    private static func toJSON(_ name: String, _ type: SQLType) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 1 else { throw noSuchFunction(name, types) }
            return type
        }) { args, _ throws(MemFluxError) in
            .json(args[0].jsonValue)
        }
    }

    // MARK: - Inspection

    private static func arrayLength(_ name: String) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsJSON], returns: .integer)) { args, _ throws(MemFluxError) in
            switch try Argument.json(args[0]) {
            case .array(let items): return .int(Int64(items.count))
            case .object: throw MemFluxError(.err, "cannot get array length of a non-array")
            default: throw MemFluxError(.err, "cannot get array length of a scalar")
            }
        }
    }

    private static func typeOf(_ name: String) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsJSON], returns: .text)) { args, _ throws(MemFluxError) in
            let kind = switch try Argument.json(args[0]) {
            case .object: "object"
            case .array: "array"
            case .string: "string"
            case .int, .double: "number"
            case .bool: "boolean"
            case .null: "null"
            }
            return .text(kind)
        }
    }
}
