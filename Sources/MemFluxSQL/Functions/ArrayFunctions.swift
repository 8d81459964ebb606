// Array functions with PostgreSQL's semantics: array_length and cardinality
// (NULL for an empty array's length, 0 for its cardinality), array_position
// (1-based, finding NULL with IS NOT DISTINCT FROM), array_to_string and
// string_to_array (NULL elements skipped or spelled by the null string,
// elements printed by their output function: booleans as t/f),
// array_append/prepend/cat (the `||` rules, a NULL array as empty).
// UNNEST returns a set, so it is the executor's, not a scalar function.

import MemFluxCore

enum ArrayFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("array_length", resolve: signature("array_length", [\.acceptsArray, \.acceptsInteger], returns: .integer)) { args, _ throws(MemFluxError) in
            let items = try Argument.array(args[0], function: "array_length")
            let dimension = try Argument.integer(args[1], function: "array_length")
            guard let length = length(items, dimension: dimension) else { return .null }
            return .int(Int64(length))
        },
        ScalarFunction("cardinality", resolve: signature("cardinality", [\.acceptsArray], returns: .integer)) { args, _ throws(MemFluxError) in
            .int(Int64(elementCount(try Argument.array(args[0], function: "cardinality"))))
        },
        arrayPosition(), arrayToString(), stringToArray(),
        concatenation("array_append"), concatenation("array_prepend"), concatenation("array_cat"),
    ]

    /// The length of dimension `dimension` (1-based), nil past the last or for an empty array.
    static func length(_ items: [SQLValue], dimension: Int64) -> Int? {
        guard dimension >= 1, !items.isEmpty else { return nil }
        if dimension == 1 { return items.count }
        guard case .array(let inner)? = items.first else { return nil }
        return length(inner, dimension: dimension - 1)
    }

    /// Every element of every dimension.
    static func elementCount(_ items: [SQLValue]) -> Int {
        items.reduce(0) { count, item in
            if case .array(let inner) = item { return count + elementCount(inner) }
            return count + 1
        }
    }

    static func flattened(_ items: [SQLValue]) -> [SQLValue] {
        items.flatMap { item -> [SQLValue] in
            if case .array(let inner) = item { return flattened(inner) }
            return [item]
        }
    }

    private static func elementType(_ type: SQLType) -> SQLType {
        if case .array(let element) = type { return element }
        return .dynamic
    }

    /// array_position(array, value [, start]): the first position at or after start, nil if absent.
    private static func arrayPosition() -> ScalarFunction {
        ScalarFunction("array_position", strict: false, resolve: { types throws(MemFluxError) in
            guard types.count == 2 || types.count == 3, types[0].acceptsArray, types.count == 2 || types[2].acceptsInteger else {
                throw noSuchFunction("array_position", types)
            }
            return .integer
        }) { args, _ throws(MemFluxError) in
            guard !args[0].isNull else { return .null }
            let items = try Argument.array(args[0], function: "array_position")
            var start = 1
            if args.count == 3 {
                guard !args[2].isNull else { throw MemFluxError(.err, "initial position must not be null") }
                start = Int(clamping: max(1, try Argument.integer(args[2], function: "array_position")))
            }
            guard start <= items.count else { return .null }
            let wanted = args[1]
            for position in start...items.count {
                let item = items[position - 1]
                let same = wanted.isNull ? item.isNull : (!item.isNull && (try? SQLValue.compare(item, wanted)) == 0)
                if same { return .int(Int64(position)) }
            }
            return .null
        }
    }

    /// array_to_string(array, delimiter [, null_string]).
    private static func arrayToString() -> ScalarFunction {
        ScalarFunction("array_to_string", strict: false, resolve: signature(
            "array_to_string", [\.acceptsArray, \.acceptsText, \.acceptsText], optional: 1, returns: .text
        )) { args, context throws(MemFluxError) in
            guard !args[0].isNull, !args[1].isNull else { return .null }
            let items = flattened(try Argument.array(args[0], function: "array_to_string"))
            let delimiter = Argument.text(args[1])
            let nullText: String? = args.count > 2 && !args[2].isNull ? Argument.text(args[2]) : nil
            let type = elementType(context.argumentType(0))
            var parts = [String]()
            for item in items {
                if item.isNull {
                    if let nullText { parts.append(nullText) }
                } else {
                    parts.append(item.outputText(type: type))
                }
            }
            return .text(parts.joined(separator: delimiter))
        }
    }

    /// string_to_array(text, delimiter [, null_string]): a NULL delimiter splits
    /// into characters, an empty one keeps the whole text, an empty text is {}.
    private static func stringToArray() -> ScalarFunction {
        ScalarFunction("string_to_array", strict: false, resolve: signature(
            "string_to_array", [\.acceptsText, \.acceptsText, \.acceptsText], optional: 1, returns: .array(.text)
        )) { args, _ throws(MemFluxError) in
            guard !args[0].isNull else { return .null }
            let text = Argument.text(args[0])
            guard !text.isEmpty else { return .array([]) }
            let nullText: String? = args.count > 2 && !args[2].isNull ? Argument.text(args[2]) : nil
            let parts: [String]
            if args[1].isNull {
                parts = text.unicodeScalars.map { String($0) }
            } else {
                let delimiter = Argument.text(args[1])
                parts = delimiter.isEmpty ? [text] : split(text, on: delimiter)
            }
            return .array(parts.map { $0 == nullText ? .null : .text($0) })
        }
    }

    private static func split(_ text: String, on delimiter: String) -> [String] {
        let bytes = Array(text.utf8), pattern = Array(delimiter.utf8)
        var parts = [String]()
        var start = 0
        while let found = StringFunctions.firstIndex(of: pattern, in: bytes, from: start) {
            parts.append(String(decoding: bytes[start..<found], as: UTF8.self))
            start = found + pattern.count
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    /// array_append/prepend/cat: `||` with a NULL array counting as empty and a NULL element appended as NULL.
    private static func concatenation(_ name: String) -> ScalarFunction {
        ScalarFunction(name, strict: false, resolve: { types throws(MemFluxError) in
            guard types.count == 2 else { throw noSuchFunction(name, types) }
            let arrayType = name == "array_prepend" ? types[1] : types[0]
            guard arrayType.acceptsArray, name != "array_cat" || types[1].acceptsArray else { throw noSuchFunction(name, types) }
            return arrayType
        }) { args, context throws(MemFluxError) in
            let (left, right) = (args[0], args[1])
            let arrayIndex = name == "array_prepend" ? 1 : 0
            let type = context.argumentType(arrayIndex)
            func array(_ value: SQLValue) -> SQLValue { value.isNull ? .array([]) : value }
            switch name {
            case "array_cat":
                if left.isNull && right.isNull { return .null }
                return try SQLArithmetic.concatenate(array(left), array(right), type: type)
            case "array_append":
                return try SQLArithmetic.concatenate(array(left), .array([right]), type: type)
            default:
                return try SQLArithmetic.concatenate(.array([left]), array(right), type: type)
            }
        }
    }
}
