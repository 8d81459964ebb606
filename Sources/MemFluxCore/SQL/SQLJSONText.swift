// JSON values as PostgreSQL prints and orders them.
//
// jsonb text (jsonb_out, what `::text`, psql and to_json show for jsonb):
// `{"a": 1, "b": [1, 2]}` — a space after every `:` and `,`, keys in
// jsonb's storage order (shorter keys first, then bytewise), the last of
// duplicate keys kept. json text is compact in insertion order: PostgreSQL
// keeps json exactly as written, which a parsed document cannot, so the
// compact form is the closest faithful rendering.
//
// Numbers: JSONValue keeps integers exact and everything else as a double,
// where PostgreSQL keeps the written decimal. A double prints as the
// decimal its shortest digits spell (1e20 → 100000000000000000000, as jsonb
// does), and an integral double below 10^16 keeps a `.0`: the parser made
// it a double because it was written with a fraction or exponent, most
// often `3.0`, which is how jsonb shows it.
//
// Strings are escaped as PostgreSQL's escape_json does: `"`, `\`, \b \f \n
// \r \t, other control characters as \u00XX; everything else as-is.
//
// Ordering is jsonb's btree order: object > array > boolean > number >
// string > null; containers by size first, then element by element (objects
// key, value, key... in storage order); and an empty top-level array sorts
// below everything, a historical quirk PostgreSQL documents.

import Collections

enum SQLJSONText {
    static func appendJSONB(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x20]) }
                appendJSONB(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (k, key) in storageOrder(fields).enumerated() {
                if k > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x20]) }
                appendString(key, to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                appendJSONB(fields[key] ?? .null, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            appendScalar(value, to: &out)
        }
    }

    static func appendCompact(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                appendCompact(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (k, (key, item)) in fields.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendCompact(item, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            appendScalar(value, to: &out)
        }
    }

    private static func appendScalar(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): SQLValue.appendInteger(number, to: &out)
        case .double(let number): appendNumber(number, to: &out)
        case .string(let text): appendString(text, to: &out)
        case .array, .object: appendCompact(value, to: &out)
        }
    }

    /// A JSON double as jsonb would print the decimal it was written as (see the header).
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard let decimal = try? SQLNumeric(value) else {
            out.append(contentsOf: "null".utf8)
            return
        }
        decimal.appendText(to: &out)
        if decimal.scale == 0 && value.magnitude < 1e16 { out.append(contentsOf: ".0".utf8) }
    }

    /// A JSON string literal, escaped as PostgreSQL's escape_json escapes it.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text needs no escape: copied in one go.
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: utf8)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = SQLValue.hexDigits
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// An object's keys in jsonb's storage order: shorter first, equal lengths bytewise.
    static func storageOrder(_ fields: OrderedDictionary<String, JSONValue>) -> [String] {
        fields.keys.sorted { a, b in
            let (la, lb) = (a.utf8.count, b.utf8.count)
            return la != lb ? la < lb : SQLValue.compareBytes(a, b) < 0
        }
    }

    // MARK: - Ordering

    private static func rank(_ value: JSONValue) -> Int {
        switch value {
        case .null: 0
        case .string: 1
        case .int, .double: 2
        case .bool: 3
        case .array: 4
        case .object: 5
        }
    }

    /// jsonb's btree order (see the header); `topLevel` applies the empty-array quirk.
    static func compare(_ a: JSONValue, _ b: JSONValue, topLevel: Bool = true) -> Int {
        if topLevel {
            let aEmpty = a == .array([]), bEmpty = b == .array([])
            if aEmpty != bEmpty { return aEmpty ? -1 : 1 }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return SQLValue.compareBytes(x, y)
        case (.bool(let x), .bool(let y)):
            return x == y ? 0 : (x ? 1 : -1)
        case (.array(let x), .array(let y)):
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            for (p, q) in zip(x, y) {
                let order = compare(p, q, topLevel: false)
                if order != 0 { return order }
            }
            return 0
        case (.object(let x), .object(let y)):
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            for (p, q) in zip(storageOrder(x), storageOrder(y)) {
                let keyOrder = SQLValue.compareBytes(p, q)
                if keyOrder != 0 { return keyOrder }
                let valueOrder = compare(x[p] ?? .null, y[q] ?? .null, topLevel: false)
                if valueOrder != 0 { return valueOrder }
            }
            return 0
        default:
            // Numbers (the ranks matched); null equals null.
            guard let x = number(a), let y = number(b) else { return 0 }
            return SQLValue.compareNumbers(x, y)
        }
    }

    /// A JSON number as the SQL value it compares as.
    static func number(_ value: JSONValue) -> SQLValue? {
        switch value {
        case .int(let n): .int(n)
        case .double(let d): .double(d)
        default: nil
        }
    }
}
