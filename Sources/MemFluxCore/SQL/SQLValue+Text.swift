// Values as text, exactly as PostgreSQL's output functions print them: what
// `::text` gives and psql shows. The declared type decides what the
// representation alone cannot: a real prints as the shortest Float, a json
// value prints compact, a jsonb value in jsonb's layout, and a field of a
// schemaless document (type `.dynamic`) prints its scalar the way `->>`
// does (a JSON string without quotes).
//
//     SQLValue.double(1e20).text(type: .double)                 // "1e+20"
//     SQLValue.bool(true).text(type: .boolean)                  // "true"
//     SQLValue.array([.int(1), .null, .text("a b")]).text(type: .array(.text))   // {1,NULL,"a b"}
//
// Inside an array an element prints as its own output function prints it
// (booleans as t/f, unlike bool::text), quoted when it is empty, is NULL
// spelled out, or holds a quote, backslash, brace, comma or white space.

extension SQLValue {
    /// The value's text as PostgreSQL prints its type; "" for NULL, which callers handle themselves.
    ///
    /// - Complexity: O(n) in the size of the text.
    public func text(type: SQLType) -> String {
        if case .text(let string) = self { return string }
        var out = [UInt8]()
        appendText(to: &out, type: type)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text(type:)`'s UTF-8 bytes.
    public func appendText(to out: inout [UInt8], type: SQLType) {
        appendText(to: &out, type: type, insideArray: false)
    }

    /// The text the type's output function gives, as psql shows it and concat()
    /// and array_to_string() use it: `text(type:)` except that booleans are t/f.
    public func outputText(type: SQLType) -> String {
        if case .bool(let flag) = self { return flag ? "t" : "f" }
        return text(type: type)
    }

    func appendText(to out: inout [UInt8], type: SQLType, insideArray: Bool) {
        switch self {
        case .null:
            break
        case .bool(let flag):
            if insideArray {
                out.append(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            } else {
                out.append(contentsOf: (flag ? "true" : "false").utf8)
            }
        case .int(let number):
            SQLValue.appendInteger(number, to: &out)
        case .double(let number):
            if case .real = type {
                SQLFloatText.appendReal(Float(number), to: &out)
            } else {
                SQLFloatText.appendDouble(number, to: &out)
            }
        case .numeric(let number):
            number.appendText(to: &out)
        case .text(let string):
            out.append(contentsOf: string.utf8)
        case .bytes(let bytes):
            Self.appendHex(bytes, to: &out)
        case .timestamp(let micros):
            SQLDateTime.appendTimestamp(micros, withZone: false, iso: false, to: &out)
        case .timestamptz(let micros):
            SQLDateTime.appendTimestamp(micros, withZone: true, iso: false, to: &out)
        case .date(let days):
            SQLDateTime.appendDateText(Int64(days), to: &out)
        case .time(let micros):
            SQLDateTime.appendTime(micros, to: &out)
        case .uuid(let uuid):
            uuid.appendText(to: &out)
        case .json(let value):
            switch (type, value) {
            case (.json, _): SQLJSONText.appendCompact(value, to: &out)
            case (.jsonb, _), (_, .array), (_, .object): SQLJSONText.appendJSONB(value, to: &out)
            // A schemaless field's scalar, as ->> prints it.
            case (_, .string(let string)): out.append(contentsOf: string.utf8)
            default: SQLJSONText.appendJSONB(value, to: &out)
            }
        case .array(let items):
            let elementType: SQLType = if case .array(let element) = type { element } else { .dynamic }
            out.append(UInt8(ascii: "{"))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                switch item {
                case .null:
                    out.append(contentsOf: "NULL".utf8)
                case .array:
                    // Another dimension of the same element type.
                    item.appendText(to: &out, type: type, insideArray: true)
                default:
                    var element = [UInt8]()
                    item.appendText(to: &element, type: elementType, insideArray: true)
                    Self.appendArrayElement(element, to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Decimal digits of `value`, without a String in between (row output prints many).
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// `\x` and two lowercase hex digits a byte: bytea's hex output.
    static func appendHex(_ bytes: [UInt8], to out: inout [UInt8]) {
        let hex = SQLValue.hexDigits
        out.reserveCapacity(out.count + 2 + bytes.count * 2)
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "x"))
        for byte in bytes {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
    }

    /// An array element's text, double-quoted (with `"` and `\` escaped) when array_out would quote it.
    static func appendArrayElement(_ element: [UInt8], to out: inout [UInt8]) {
        let needsQuotes = element.isEmpty || isNullWord(element) || element.contains { c in
            c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
                || c == UInt8(ascii: ",") || c == 0x20 || (c >= 0x09 && c <= 0x0D)
        }
        guard needsQuotes else {
            out.append(contentsOf: element)
            return
        }
        out.append(UInt8(ascii: "\""))
        for c in element {
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(c)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func isNullWord(_ bytes: [UInt8]) -> Bool {
        bytes.count == 4 && bytes[0] | 0x20 == UInt8(ascii: "n") && bytes[1] | 0x20 == UInt8(ascii: "u")
            && bytes[2] | 0x20 == UInt8(ascii: "l") && bytes[3] | 0x20 == UInt8(ascii: "l")
    }
}

extension SQLUUID {
    /// `a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`.
    public var description: String {
        var out = [UInt8]()
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendText(to out: inout [UInt8]) {
        let hex = SQLValue.hexDigits
        for k in 0..<32 {
            if k == 8 || k == 12 || k == 16 || k == 20 { out.append(UInt8(ascii: "-")) }
            let half = k < 16 ? high : low
            let shift = UInt64(60 - (k % 16) * 4)
            out.append(hex[Int((half >> shift) & 0xF)])
        }
    }
}

extension SQLUUID: CustomStringConvertible {}
