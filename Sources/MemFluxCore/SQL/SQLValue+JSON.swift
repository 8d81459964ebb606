// Values as JSON, the way PostgreSQL's to_json and row_to_json render them:
// how query result rows are sent to clients (SPEC.md section 5), and how a
// value becomes a field of a stored JSON document.
//
// Numbers stay numbers (numeric exactly as its text, `1.50`; doubles in
// float8out's text, `1e+20`, which is valid JSON), except NaN and the
// infinities of both types, which JSON cannot spell: to_json writes them as the strings
// "NaN", "Infinity", "-Infinity". Dates and times use the ISO 8601 forms
// (`"2024-01-31T12:34:56.789"`, `+00:00` for timestamptz). bytea is its
// text form as a string (`"\\x0102"`). jsonb is embedded in its text form —
// to_json keeps jsonb_out's spaces and key order (`{"f1":{"a": 2, "b": 1}}`
// is what row_to_json prints) — and json compact. A schemaless field's
// document (type `.dynamic`) is embedded compact, in stored key order, as
// JSON.GET shows it.

extension SQLValue {
    /// Appends the value's JSON as to_json renders it.
    ///
    ///     var out = [UInt8]()
    ///     SQLValue.double(.nan).appendJSON(to: &out, type: .double)          // "NaN"
    ///     SQLValue.timestamp(0).appendJSON(to: &out, type: .timestamp)   // "1970-01-01T00:00:00"
    ///
    /// - Complexity: O(n) in the size of the output.
    public func appendJSON(to out: inout [UInt8], type: SQLType) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number):
            SQLValue.appendInteger(number, to: &out)
        case .double(let number):
            if number.isFinite {
                appendText(to: &out, type: type)
            } else {
                out.append(UInt8(ascii: "\""))
                appendText(to: &out, type: type)
                out.append(UInt8(ascii: "\""))
            }
        case .numeric(let number):
            if number.isFinite {
                number.appendText(to: &out)
            } else {
                out.append(UInt8(ascii: "\""))
                number.appendText(to: &out)
                out.append(UInt8(ascii: "\""))
            }
        case .text(let string):
            SQLJSONText.appendString(string, to: &out)
        case .bytes, .uuid:
            SQLJSONText.appendString(text(type: type), to: &out)
        case .timestamp, .timestamptz, .date, .time:
            out.append(UInt8(ascii: "\""))
            appendISOText(to: &out)
            out.append(UInt8(ascii: "\""))
        case .json(let value):
            if case .jsonb = type {
                SQLJSONText.appendJSONB(value, to: &out)
            } else {
                SQLJSONText.appendCompact(value, to: &out)
            }
        case .array(let items):
            let elementType: SQLType = if case .array(let element) = type { element } else { .dynamic }
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if case .array = item {
                    item.appendJSON(to: &out, type: type)
                } else {
                    item.appendJSON(to: &out, type: elementType)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// The value's JSON text (to_json).
    public func jsonText(type: SQLType) -> String {
        var out = [UInt8]()
        appendJSON(to: &out, type: type)
        return String(decoding: out, as: UTF8.self)
    }

    /// Dates and times in to_json's ISO form, without quotes.
    private func appendISOText(to out: inout [UInt8]) {
        switch self {
        case .timestamp(let micros): SQLDateTime.appendTimestamp(micros, withZone: false, iso: true, to: &out)
        case .timestamptz(let micros): SQLDateTime.appendTimestamp(micros, withZone: true, iso: true, to: &out)
        case .date(let days): SQLDateTime.appendDateText(Int64(days), to: &out)
        case .time(let micros): SQLDateTime.appendTime(micros, to: &out)
        default: break
        }
    }

    /// The value as a field of a stored JSON document: what a row written with
    /// SQL looks like to JSON.GET. Integral numerics that fit Int64 become
    /// integers and other numerics doubles (JSONValue has no exact decimal);
    /// NaN and the infinities become the strings to_json writes; dates, times,
    /// UUIDs and bytea become their to_json strings.
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number):
            return number.isFinite ? .double(number) : .string(text(type: .double))
        case .numeric(let number):
            if !number.isFinite { return .string(number.description) }
            if let integer = try? number.int64(rounding: false), SQLNumeric(integer) == number { return .int(integer) }
            return .double(number.doubleValue)
        case .text(let string): return .string(string)
        case .bytes, .uuid: return .string(text(type: .dynamic))
        case .timestamp, .timestamptz, .date, .time:
            var out = [UInt8]()
            appendISOText(to: &out)
            return .string(String(decoding: out, as: UTF8.self))
        case .json(let value): return value
        case .array(let items): return .array(items.map(\.jsonValue))
        }
    }
}
