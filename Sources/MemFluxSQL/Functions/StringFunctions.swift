// String functions with PostgreSQL's semantics. Positions and lengths count
// characters (Unicode scalars, as PostgreSQL counts UTF-8 characters), never
// grapheme clusters or bytes; searching works on the UTF-8 bytes, which in
// valid UTF-8 only match on character boundaries.
//
// Case mapping is per character and one-to-one, like the C.UTF-8 locale's
// towupper/towlower: upper('straße') is 'STRAßE', not 'STRASSE'.
//
// Functions that build text from a count (repeat, lpad, rpad) refuse a
// result over 512 MiB (`requested length too large`) before building it.

import MemFluxCore

enum StringFunctions {
    static let all: [ScalarFunction] = [
        textToText("lower") { lower($0) },
        textToText("upper") { upper($0) },
        textToText("initcap") { initcap($0) },
        textToText("reverse") { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) },
        length("length"), length("char_length"), length("character_length"), octetLength(),
        trim("btrim", leading: true, trailing: true), trim("ltrim", leading: true, trailing: false),
        trim("rtrim", leading: false, trailing: true),
        substring("substring"), substring("substr"),
        ScalarFunction("replace", resolve: signature("replace", [\.acceptsText, \.acceptsText, \.acceptsText], returns: .text)) { args, _ throws(MemFluxError) in
            .text(replace(Argument.text(args[0]), Argument.text(args[1]), Argument.text(args[2])))
        },
        // POSITION(needle IN haystack) arrives as position(haystack, needle), as in PostgreSQL; so does strpos.
        ScalarFunction("position", resolve: signature("position", [\.acceptsText, \.acceptsText], returns: .integer)) { args, _ throws(MemFluxError) in
            .int(position(of: Argument.text(args[1]), in: Argument.text(args[0])))
        },
        ScalarFunction("strpos", resolve: signature("strpos", [\.acceptsText, \.acceptsText], returns: .integer)) { args, _ throws(MemFluxError) in
            .int(position(of: Argument.text(args[1]), in: Argument.text(args[0])))
        },
        concat(), concatWithSeparator(),
        side("left", fromStart: true), side("right", fromStart: false),
        pad("lpad", left: true), pad("rpad", left: false),
        ScalarFunction("split_part", resolve: signature("split_part", [\.acceptsText, \.acceptsText, \.acceptsInteger], returns: .text)) { args, _ throws(MemFluxError) in
            .text(try splitPart(Argument.text(args[0]), delimiter: Argument.text(args[1]), field: Argument.integer(args[2], function: "split_part")))
        },
        ScalarFunction("repeat", resolve: signature("repeat", [\.acceptsText, \.acceptsInteger], returns: .text)) { args, _ throws(MemFluxError) in
            .text(try repeatText(Argument.text(args[0]), Argument.integer(args[1], function: "repeat")))
        },
        ScalarFunction("md5", resolve: { types throws(MemFluxError) in
            guard types.count == 1, types[0].acceptsText || types[0] == .bytea else { throw noSuchFunction("md5", types) }
            return .text
        }) { args, _ throws(MemFluxError) in
            if case .bytes(let bytes) = args[0] { return .text(MD5.hex(bytes)) }
            return .text(MD5.hex(Array(Argument.text(args[0]).utf8)))
        },
    ]

    // MARK: - Families

    private static func textToText(_ name: String, _ transform: @escaping @Sendable (String) -> String) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsText], returns: .text)) { args, context throws(MemFluxError) in
            .text(transform(Argument.text(args[0], type: context.argumentType(0))))
        }
    }

    /// length(text) in characters (char(n) without its padding); length(bytea) in bytes.
    private static func length(_ name: String) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 1, types[0].acceptsText || (types[0] == .bytea && name == "length") else { throw noSuchFunction(name, types) }
            return .integer
        }) { args, context throws(MemFluxError) in
            if case .bytes(let bytes) = args[0] { return .int(Int64(bytes.count)) }
            return .int(Int64(Argument.text(args[0], type: context.argumentType(0)).unicodeScalars.count))
        }
    }

    private static func octetLength() -> ScalarFunction {
        ScalarFunction("octet_length", resolve: { types throws(MemFluxError) in
            guard types.count == 1, types[0].acceptsText || types[0] == .bytea else { throw noSuchFunction("octet_length", types) }
            return .integer
        }) { args, _ throws(MemFluxError) in
            if case .bytes(let bytes) = args[0] { return .int(Int64(bytes.count)) }
            return .int(Int64(Argument.text(args[0]).utf8.count))
        }
    }

    /// btrim/ltrim/rtrim(text [, characters]): the parser turns TRIM(...) into these.
    private static func trim(_ name: String, leading: Bool, trailing: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsText, \.acceptsText], optional: 1, returns: .text)) { args, _ throws(MemFluxError) in
            let characters = args.count > 1 ? Set(Argument.text(args[1]).unicodeScalars) : [" "]
            var scalars = Argument.text(args[0]).unicodeScalars[...]
            if leading { scalars = scalars.drop { characters.contains($0) } }
            if trailing {
                while let last = scalars.last, characters.contains(last) { scalars = scalars.dropLast() }
            }
            return .text(String(scalars))
        }
    }

    /// substring(text, start [, count]), 1-based; a start before 1 still counts
    /// toward the length (substring('hello', 0, 3) is 'he'); bytea by bytes.
    private static func substring(_ name: String) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 2 || types.count == 3, types[0].acceptsText || types[0] == .bytea,
                  types.dropFirst().allSatisfy({ $0.acceptsInteger }) else { throw noSuchFunction(name, types) }
            return types[0] == .bytea ? .bytea : .text
        }) { args, _ throws(MemFluxError) in
            let start = try Argument.integer(args[1], function: name)
            let count = args.count > 2 ? try Argument.integer(args[2], function: name) : nil
            if case .bytes(let bytes) = args[0] {
                guard let range = try substringRange(start: start, count: count, length: bytes.count) else { return .bytes([]) }
                return .bytes(Array(bytes[range]))
            }
            let scalars = Array(Argument.text(args[0]).unicodeScalars)
            guard let range = try substringRange(start: start, count: count, length: scalars.count) else { return .text("") }
            return .text(String(String.UnicodeScalarView(scalars[range])))
        }
    }

    /// The 0-based range PostgreSQL's text_substr takes, nil when empty.
    static func substringRange(start: Int64, count: Int64?, length: Int) throws(MemFluxError) -> Range<Int>? {
        let first = max(start, 1)
        var end = Int64(length) + 1  // one past the last position, 1-based
        if let count {
            guard count >= 0 else { throw MemFluxError(.err, "negative substring length not allowed") }
            let (sum, overflow) = start.addingReportingOverflow(count)
            if !overflow { end = min(end, sum) }
        }
        guard first < end, first <= Int64(length) else { return nil }
        return Int(first - 1)..<Int(end - 1)
    }

    private static func concat() -> ScalarFunction {
        ScalarFunction("concat", strict: false, resolve: { types throws(MemFluxError) in
            guard !types.isEmpty else { throw noSuchFunction("concat", types) }
            return .text
        }) { args, context throws(MemFluxError) in
            var out = ""
            for (k, value) in args.enumerated() where !value.isNull {
                out += value.outputText(type: context.argumentType(k))
            }
            return .text(out)
        }
    }

    /// concat_ws(separator, values...): NULL values are skipped, a NULL separator gives NULL.
    private static func concatWithSeparator() -> ScalarFunction {
        ScalarFunction("concat_ws", strict: false, resolve: { types throws(MemFluxError) in
            guard types.count >= 2, types[0].acceptsText else { throw noSuchFunction("concat_ws", types) }
            return .text
        }) { args, context throws(MemFluxError) in
            guard !args[0].isNull else { return .null }
            let separator = Argument.text(args[0])
            var parts = [String]()
            for k in 1..<args.count where !args[k].isNull {
                parts.append(args[k].outputText(type: context.argumentType(k)))
            }
            return .text(parts.joined(separator: separator))
        }
    }

    /// left/right(text, n): n characters from that end, or all but |n| when n is negative.
    private static func side(_ name: String, fromStart: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsText, \.acceptsInteger], returns: .text)) { args, _ throws(MemFluxError) in
            let scalars = Array(Argument.text(args[0]).unicodeScalars)
            let n = try Argument.integer(args[1], function: name)
            // |n| through magnitude: -Int64.min would overflow.
            let bounded = Int(min(n.magnitude, UInt64(scalars.count)))
            let count = n >= 0 ? bounded : scalars.count - bounded
            let kept = fromStart ? scalars[..<count] : scalars[(scalars.count - count)...]
            return .text(String(String.UnicodeScalarView(kept)))
        }
    }

    /// lpad/rpad(text, length [, fill]): cut to `length` characters, or filled up to it.
    private static func pad(_ name: String, left: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: signature(name, [\.acceptsText, \.acceptsInteger, \.acceptsText], optional: 1, returns: .text)) { args, _ throws(MemFluxError) in
            let scalars = Array(Argument.text(args[0]).unicodeScalars)
            let length = try Argument.integer(args[1], function: name)
            let fill = Array((args.count > 2 ? Argument.text(args[2]) : " ").unicodeScalars)
            guard length > 0 else { return .text("") }
            if Int64(scalars.count) >= length {
                return .text(String(String.UnicodeScalarView(scalars[..<Int(length)])))
            }
            guard !fill.isEmpty else { return .text(String(String.UnicodeScalarView(scalars))) }
            // Each character is at most 4 bytes.
            guard length <= Int64(maxResultBytes / 4) else { throw resultTooLarge }
            var padding = [Unicode.Scalar]()
            let needed = Int(length) - scalars.count
            padding.reserveCapacity(needed)
            while padding.count < needed { padding.append(fill[padding.count % fill.count]) }
            let combined = left ? padding + scalars : scalars + padding
            return .text(String(String.UnicodeScalarView(combined)))
        }
    }

    // MARK: - Implementations

    /// One-to-one case mapping per character (a mapping to several characters leaves it as it is).
    static func mapCase(_ text: String, upper: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(mapCase(scalar, upper: upper))
        }
        return String(out)
    }

    static func mapCase(_ scalar: Unicode.Scalar, upper: Bool) -> Unicode.Scalar {
        if scalar.isASCII {
            let value = UInt8(scalar.value)
            if upper && value >= UInt8(ascii: "a") && value <= UInt8(ascii: "z") { return Unicode.Scalar(value - 32) }
            if !upper && value >= UInt8(ascii: "A") && value <= UInt8(ascii: "Z") { return Unicode.Scalar(value + 32) }
            return scalar
        }
        let mapped = (upper ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping).unicodeScalars
        guard mapped.count == 1, let only = mapped.first else { return scalar }
        return only
    }

    static func lower(_ text: String) -> String { mapCase(text, upper: false) }
    static func upper(_ text: String) -> String { mapCase(text, upper: true) }

    /// Each run of letters and digits starts upper case and continues lower case.
    static func initcap(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var afterAlphanumeric = false
        for scalar in text.unicodeScalars {
            out.append(mapCase(scalar, upper: !afterAlphanumeric))
            afterAlphanumeric = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
        return String(out)
    }

    /// Every non-overlapping occurrence, left to right; an empty pattern changes nothing.
    static func replace(_ text: String, _ pattern: String, _ replacement: String) -> String {
        let haystack = Array(text.utf8), needle = Array(pattern.utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return text }
        var out = [UInt8]()
        out.reserveCapacity(haystack.count)
        var i = 0
        while i < haystack.count {
            if let found = firstIndex(of: needle, in: haystack, from: i) {
                out.append(contentsOf: haystack[i..<found])
                out.append(contentsOf: replacement.utf8)
                i = found + needle.count
            } else {
                out.append(contentsOf: haystack[i...])
                break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The 1-based character position of `needle` in `haystack`, 0 if absent, 1 for an empty needle.
    static func position(of needle: String, in haystack: String) -> Int64 {
        let bytes = Array(haystack.utf8)
        let pattern = Array(needle.utf8)
        if pattern.isEmpty { return 1 }
        guard let found = firstIndex(of: pattern, in: bytes, from: 0) else { return 0 }
        // Characters before the match: bytes that do not continue a UTF-8 sequence.
        return Int64(bytes[..<found].count(where: { $0 & 0xC0 != 0x80 })) + 1
    }

    /// split_part: the n-th field (negative n counts from the end); "" past the last.
    static func splitPart(_ text: String, delimiter: String, field: Int64) throws(MemFluxError) -> String {
        guard field != 0 else { throw MemFluxError(.err, "field position must not be zero") }
        let fields: [String]
        if delimiter.isEmpty {
            fields = text.isEmpty ? [] : [text]
        } else {
            let bytes = Array(text.utf8), pattern = Array(delimiter.utf8)
            var parts = [String]()
            var start = 0
            while let found = firstIndex(of: pattern, in: bytes, from: start) {
                parts.append(String(decoding: bytes[start..<found], as: UTF8.self))
                start = found + pattern.count
            }
            parts.append(String(decoding: bytes[start...], as: UTF8.self))
            fields = text.isEmpty ? [] : parts
        }
        let index = field > 0 ? field - 1 : Int64(fields.count) + field
        guard index >= 0 && index < Int64(fields.count) else { return "" }
        return fields[Int(index)]
    }

    static func repeatText(_ text: String, _ count: Int64) throws(MemFluxError) -> String {
        guard count > 0 && !text.isEmpty else { return "" }
        let (total, overflow) = Int64(text.utf8.count).multipliedReportingOverflow(by: count)
        guard !overflow && total <= Int64(maxResultBytes) else { throw resultTooLarge }
        return String(repeating: text, count: Int(count))
    }
}
