// Casts to array types: element by element from an array (every dimension),
// or from PostgreSQL's array literal text — `{1,2,3}`, `{{1,2},{3,4}}`,
// `{"a b",NULL,"\"q\""}` — parsed as array_in does: elements separated by
// commas, white space around them ignored, double quotes and backslashes
// protecting special characters, an unquoted NULL (any case) a NULL
// element. Sub-arrays must all have the same length, not be empty and not
// be mixed with scalars; at most 6 dimensions, PostgreSQL's MAXDIM, which
// also bounds the parser's recursion. A `[1:2]=` prefix declaring the
// lengths is accepted; arrays here are numbered from 1, so a prefix with
// another lower bound (which PostgreSQL keeps) is refused.
// Errors: `malformed array literal: "{1,2"`.

extension SQLCast {
    static let maxArrayDimensions = 6

    static func toArray(_ value: SQLValue, from source: SQLType, element: SQLType, explicit: Bool) throws(MemFluxError) -> SQLValue {
        switch value {
        case .array(let items):
            let elementSource: SQLType = if case .array(let e) = source { e } else { .dynamic }
            return try castElements(items, from: elementSource, to: element, explicit: explicit, depth: 1)
        case .text(let text):
            var parser = ArrayLiteralParser(text: text)
            let items = try parser.parse()
            return try castElements(items, from: .text, to: element, explicit: explicit, depth: 1)
        default:
            throw cannotCast(value, from: source, to: .array(element))
        }
    }

    private static func castElements(
        _ items: [SQLValue], from source: SQLType, to element: SQLType, explicit: Bool, depth: Int
    ) throws(MemFluxError) -> SQLValue {
        guard depth <= maxArrayDimensions else { throw tooManyDimensions(depth) }
        var converted = [SQLValue]()
        converted.reserveCapacity(items.count)
        for item in items {
            if case .array(let inner) = item {
                converted.append(try castElements(inner, from: source, to: element, explicit: explicit, depth: depth + 1))
            } else {
                converted.append(try cast(item, from: source, to: element, explicit: explicit))
            }
        }
        return .array(converted)
    }

    static func tooManyDimensions(_ depth: Int) -> MemFluxError {
        MemFluxError(.err, "number of array dimensions (\(depth)) exceeds the maximum allowed (\(maxArrayDimensions))")
    }
}

/// One pass over an array literal; elements come out as `.text` and `.null`, sub-arrays as `.array`.
struct ArrayLiteralParser {
    let text: String
    let bytes: [UInt8]
    var i = 0

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    var malformed: MemFluxError { MemFluxError(.err, "malformed array literal: \"\(text)\"") }
    var current: UInt8 { i < bytes.count ? bytes[i] : 0 }

    mutating func skipSpaces() {
        while i < bytes.count && SQLCast.isSpace(bytes[i]) { i += 1 }
    }

    mutating func parse() throws(MemFluxError) -> [SQLValue] {
        skipSpaces()
        let bounds = try parseDimensions()
        guard current == UInt8(ascii: "{") else { throw malformed }
        let items = try parseArray(depth: 1)
        skipSpaces()
        guard i == bytes.count else { throw malformed }
        if !bounds.isEmpty && bounds != dimensions(items) { throw malformed }
        return items
    }

    /// An optional `[1:n][1:m]=` prefix: the lengths it declares. Arrays here are
    /// lists numbered from 1, so other lower bounds are refused.
    mutating func parseDimensions() throws(MemFluxError) -> [Int] {
        var lengths = [Int]()
        while current == UInt8(ascii: "[") {
            i += 1
            let lower = readNumber()
            guard lower == 1, current == UInt8(ascii: ":") else { throw malformed }
            i += 1
            guard let upper = readNumber(), current == UInt8(ascii: "]") else { throw malformed }
            i += 1
            lengths.append(upper)
        }
        guard !lengths.isEmpty else { return lengths }
        skipSpaces()
        guard current == UInt8(ascii: "=") else { throw malformed }
        i += 1
        skipSpaces()
        return lengths
    }

    private mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") && digits < 9 {
            value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        return digits > 0 ? value : nil
    }

    private func dimensions(_ items: [SQLValue]) -> [Int] {
        guard case .array(let inner)? = items.first else { return [items.count] }
        return [items.count] + dimensions(inner)
    }

    /// At a `{`: the elements up to the matching `}`.
    mutating func parseArray(depth: Int) throws(MemFluxError) -> [SQLValue] {
        guard depth <= SQLCast.maxArrayDimensions else { throw SQLCast.tooManyDimensions(depth) }
        i += 1
        var items = [SQLValue]()
        skipSpaces()
        if current == UInt8(ascii: "}") {
            // Only the whole array may be empty: `{{}}` has no shape.
            guard depth == 1 else { throw malformed }
            i += 1
            return items
        }
        while true {
            skipSpaces()
            if current == UInt8(ascii: "{") {
                items.append(.array(try parseArray(depth: depth + 1)))
            } else {
                items.append(try parseElement())
            }
            skipSpaces()
            if current == UInt8(ascii: ",") {
                i += 1
            } else if current == UInt8(ascii: "}") {
                i += 1
                break
            } else {
                throw malformed
            }
        }
        // Rectangular: all sub-arrays or all scalars, sub-arrays of one length.
        var subLength: Int?
        var scalars = false
        for item in items {
            if case .array(let inner) = item {
                if scalars || (subLength != nil && subLength != inner.count) { throw malformed }
                subLength = inner.count
            } else {
                if subLength != nil { throw malformed }
                scalars = true
            }
        }
        return items
    }

    /// One element, quoted or not.
    mutating func parseElement() throws(MemFluxError) -> SQLValue {
        var element = [UInt8]()
        if current == UInt8(ascii: "\"") {
            i += 1
            while true {
                guard i < bytes.count else { throw malformed }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\") {
                    guard i < bytes.count else { throw malformed }
                    element.append(bytes[i])
                    i += 1
                } else {
                    element.append(c)
                }
            }
            return .text(String(decoding: element, as: UTF8.self))
        }
        // Unquoted: up to a delimiter; trailing white space dropped unless escaped.
        var keptLength = 0
        var escaped = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") { break }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "\"") { throw malformed }
            i += 1
            if c == UInt8(ascii: "\\") {
                guard i < bytes.count else { throw malformed }
                element.append(bytes[i])
                i += 1
                escaped = true
                keptLength = element.count
            } else {
                element.append(c)
                if !SQLCast.isSpace(c) { keptLength = element.count }
            }
        }
        element.removeLast(element.count - keptLength)
        guard !element.isEmpty else { throw malformed }
        if !escaped && SQLValue.isNullWord(element) { return .null }
        return .text(String(decoding: element, as: UTF8.self))
    }
}
