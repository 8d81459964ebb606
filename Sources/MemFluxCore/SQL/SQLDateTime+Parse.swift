// Reading PostgreSQL's ISO date/time input (see SQLDateTime.swift for the
// forms). One scanner splits the text into fields; the four entry points
// decide which fields a type needs, which it ignores (a date ignores a time,
// a timestamp ignores a zone) and which range applies. The error texts are
// PostgreSQL's, quoting the input as written:
// `invalid input syntax for type date: "x"`,
// `date/time field value out of range: "2024-02-30"`,
// `time zone displacement out of range: "... +16"`,
// `date out of range: "5874898-01-01"`, `timestamp out of range: "..."`.

extension SQLDateTime {
    /// Days since 1970-01-01.
    public static func parseDate(_ text: Substring) throws(MemFluxError) -> Int32 {
        let fields = try scan(text, type: .date)
        if fields.infinity != 0 { return fields.infinity > 0 ? infiniteDate : negativeInfiniteDate }
        guard let days = fields.days else { throw syntaxError(text, .date) }
        guard days >= minDay && days <= maxDay else { throw MemFluxError(.err, "date out of range: \"\(text)\"") }
        return Int32(days)
    }

    /// Microseconds since 1970-01-01 00:00:00; a zone in the text is ignored.
    public static func parseTimestamp(_ text: Substring) throws(MemFluxError) -> Int64 {
        try timestamp(try scan(text, type: .timestamp), text: text, applyingZone: false)
    }

    /// Microseconds since 1970-01-01 00:00:00 UTC; the text's zone (UTC when none) is applied.
    public static func parseTimestampWithZone(_ text: Substring) throws(MemFluxError) -> Int64 {
        try timestamp(try scan(text, type: .timestamptz), text: text, applyingZone: true)
    }

    /// Microseconds since midnight, 00:00:00 to 24:00:00; a date or zone in the text is ignored.
    public static func parseTime(_ text: Substring) throws(MemFluxError) -> Int64 {
        let fields = try scan(text, type: .time)
        guard let timeOfDay = fields.timeOfDay else { throw syntaxError(text, .time) }
        guard timeOfDay <= microsecondsPerDay else { throw fieldRangeError(text) }
        return timeOfDay
    }

    private static func timestamp(_ fields: Fields, text: Substring, applyingZone: Bool) throws(MemFluxError) -> Int64 {
        if fields.infinity != 0 { return fields.infinity > 0 ? infiniteTimestamp : negativeInfiniteTimestamp }
        guard let days = fields.days else { throw syntaxError(text, applyingZone ? .timestamptz : .timestamp) }
        let outOfRange = MemFluxError(.err, "timestamp out of range: \"\(text)\"")
        guard days >= minDay - 1 else { throw outOfRange }
        let midnight = days.multipliedReportingOverflow(by: microsecondsPerDay)
        var micros = midnight.partialValue.addingReportingOverflow(fields.timeOfDay ?? 0)
        if applyingZone && !micros.overflow {
            micros = micros.partialValue.subtractingReportingOverflow((fields.zoneOffsetSeconds ?? 0) * microsecondsPerSecond)
        }
        guard !midnight.overflow && !micros.overflow && micros.partialValue >= minTimestamp && micros.partialValue <= maxTimestamp else {
            throw outOfRange
        }
        return micros.partialValue
    }

    static func syntaxError(_ text: Substring, _ type: SQLType) -> MemFluxError {
        MemFluxError(.err, "invalid input syntax for type \(type.inputName): \"\(text)\"")
    }

    static func fieldRangeError(_ text: Substring) -> MemFluxError {
        MemFluxError(.err, "date/time field value out of range: \"\(text)\"")
    }

    struct Fields {
        var days: Int64?
        /// Microseconds; may reach 24:00:00 or a 60th second, which roll into the next day.
        var timeOfDay: Int64?
        var zoneOffsetSeconds: Int64?
        /// 1 for `infinity`, -1 for `-infinity` (dates and timestamps only).
        var infinity = 0
    }

    /// Splits the text into a date, a time and a zone, each optional, validating every field.
    static func scan(_ text: Substring, type: SQLType) throws(MemFluxError) -> Fields {
        var copy = text
        return try copy.withUTF8 { bytes in
            Result { () throws(MemFluxError) in
                var scanner = DateTimeScanner(bytes: bytes)
                return try scanner.scan(text: text, type: type)
            }
        }.get()
    }
}

private struct DateTimeScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }
    var current: UInt8 { i < bytes.count ? bytes[i] : 0 }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    mutating func skipSpaces() {
        while i < bytes.count && Self.isSpace(bytes[i]) { i += 1 }
    }

    /// Up to `limit` digits as a number, and how many were read.
    mutating func number(limit: Int) -> (value: Int64, count: Int) {
        var value: Int64 = 0
        var count = 0
        while i < bytes.count && Self.isDigit(bytes[i]) && count < limit {
            value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
            count += 1
            i += 1
        }
        return (value, count)
    }

    /// Consumes `word` (lowercase ASCII) if the input continues with it, ignoring case.
    mutating func consume(word: String) -> Bool {
        let letters = Array(word.utf8)
        guard bytes.count - i >= letters.count else { return false }
        for (k, letter) in letters.enumerated() where bytes[i + k] | 0x20 != letter { return false }
        i += letters.count
        return true
    }

    mutating func scan(text: Substring, type: SQLType) throws(MemFluxError) -> SQLDateTime.Fields {
        let syntax = SQLDateTime.syntaxError(text, type)
        let fieldRange = SQLDateTime.fieldRangeError(text)
        var fields = SQLDateTime.Fields()
        skipSpaces()
        if consume(word: "epoch") {
            skipSpaces()
            guard atEnd, type != .time else { throw syntax }
            return SQLDateTime.Fields(days: 0, timeOfDay: 0, zoneOffsetSeconds: 0)
        }
        if type != .time, let sign = infinitySign() {
            skipSpaces()
            guard atEnd else { throw syntax }
            var infinite = SQLDateTime.Fields()
            infinite.infinity = sign
            return infinite
        }
        if type == .time && consume(word: "allballs") {
            skipSpaces()
            guard atEnd else { throw syntax }
            return SQLDateTime.Fields(days: nil, timeOfDay: 0, zoneOffsetSeconds: nil)
        }
        guard Self.isDigit(current) else { throw syntax }
        let start = i
        let (first, firstDigits) = number(limit: 10)
        var year: Int64 = 0, month: Int64 = 0, day: Int64 = 0
        var hasDate = false
        if current == UInt8(ascii: "-") {
            i += 1
            if firstDigits <= 2 {
                // A one- or two-digit first field is a month: DateStyle MDY reads m-d-y.
                let (d, dayDigits) = number(limit: 2)
                guard dayDigits > 0, current == UInt8(ascii: "-") else { throw syntax }
                i += 1
                let (y, yearDigits) = number(limit: 10)
                guard yearDigits > 0 else { throw syntax }
                guard yearDigits <= 9 else { throw fieldRange }
                // Two-digit years are 1970-2069, as PostgreSQL reads them.
                let fullYear = yearDigits <= 2 ? (y < 70 ? 2000 + y : 1900 + y) : y
                (year, month, day) = (fullYear, first, d)
            } else {
                let (m, monthDigits) = number(limit: 2)
                guard monthDigits > 0, current == UInt8(ascii: "-") else { throw syntax }
                i += 1
                let (d, dayDigits) = number(limit: 2)
                guard dayDigits > 0 else { throw syntax }
                guard firstDigits <= 9 else { throw fieldRange }
                (year, month, day) = (first, m, d)
            }
            hasDate = true
            // A time follows after `T` or spaces.
            if current | 0x20 == UInt8(ascii: "t") {
                i += 1
                guard Self.isDigit(current) else { throw syntax }
            } else {
                let beforeSpaces = i
                skipSpaces()
                if !Self.isDigit(current) { i = beforeSpaces }
            }
        } else {
            i = start  // no date: the digits start a time
        }
        if Self.isDigit(current) {
            fields.timeOfDay = try time(syntax: syntax, fieldRange: fieldRange)
            fields.zoneOffsetSeconds = try zone(syntax: syntax, text: text)
        }
        skipSpaces()
        let isBC = consume(word: "bc")
        if !isBC { _ = consume(word: "ad") }
        skipSpaces()
        guard atEnd else { throw syntax }
        if hasDate {
            guard year >= 1, month >= 1 && month <= 12 else { throw fieldRange }
            if isBC { year = 1 - year }
            guard day >= 1 && day <= SQLDateTime.daysInMonth(year: year, month: month) else { throw fieldRange }
            fields.days = SQLDateTime.daysFromCivil(year: year, month: month, day: day)
        }
        return fields
    }

    /// `infinity`, `+infinity` or `-infinity` (consumed) as 1 or -1.
    mutating func infinitySign() -> Int? {
        let start = i
        var sign = 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
            sign = current == UInt8(ascii: "-") ? -1 : 1
            i += 1
        }
        if consume(word: "infinity") { return sign }
        i = start
        return nil
    }

    /// `H[H]:M[M][:S[S][.fraction]]` as microseconds.
    mutating func time(syntax: MemFluxError, fieldRange: MemFluxError) throws(MemFluxError) -> Int64 {
        var (hour, hourDigits) = number(limit: 2)
        guard hourDigits > 0, current == UInt8(ascii: ":") else { throw syntax }
        i += 1
        let (minute, minuteDigits) = number(limit: 2)
        guard minuteDigits > 0 else { throw syntax }
        var second: Int64 = 0
        var fraction: Int64 = 0
        if current == UInt8(ascii: ":") {
            i += 1
            let (s, secondDigits) = number(limit: 2)
            guard secondDigits > 0 else { throw syntax }
            second = s
            if current == UInt8(ascii: ".") {
                i += 1
                fraction = fractionMicroseconds()
            }
        }
        guard !Self.isDigit(current) else { throw syntax }
        // A 12-hour clock: 12 AM is midnight, 12 PM noon.
        let beforeMeridiem = i
        skipSpaces()
        let isPM = consume(word: "pm")
        if isPM || consume(word: "am") {
            guard hour >= 1 && hour <= 12 else { throw fieldRange }
            hour = hour % 12 + (isPM ? 12 : 0)
        } else {
            i = beforeMeridiem
        }
        guard hour <= 24, minute <= 59, second <= 60 else { throw fieldRange }
        if hour == 24 && (minute != 0 || second != 0 || fraction != 0) { throw fieldRange }
        return ((hour * 60 + minute) * 60 + second) * SQLDateTime.microsecondsPerSecond + fraction
    }

    /// The digits after a seconds point, rounded to microseconds as PostgreSQL
    /// does: read as a double, times 10^6, rint (so .0000005 rounds down, .0000015 up).
    mutating func fractionMicroseconds() -> Int64 {
        var text = "0."
        var count = 0
        while Self.isDigit(current) {
            if count < 30 { text.unicodeScalars.append(Unicode.Scalar(current)) }
            count += 1
            i += 1
        }
        guard count > 0, let fraction = Double(text) else { return 0 }
        return Int64((fraction * 1_000_000).rounded(.toNearestOrEven))
    }

    /// `Z`, `UTC`, `GMT`, or `±H[H][[:]MM[[:]SS]]` after optional spaces; nil when there is none.
    mutating func zone(syntax: MemFluxError, text: Substring) throws(MemFluxError) -> Int64? {
        let beforeSpaces = i
        skipSpaces()
        if current | 0x20 == UInt8(ascii: "z") {
            i += 1
            return 0
        }
        if consume(word: "utc") || consume(word: "gmt") { return 0 }
        guard current == UInt8(ascii: "+") || current == UInt8(ascii: "-") else {
            i = beforeSpaces
            return nil
        }
        let negative = current == UInt8(ascii: "-")
        i += 1
        let (digits, count) = number(limit: 6)
        var hours = digits, minutes: Int64 = 0, seconds: Int64 = 0
        switch count {
        case 1, 2:
            if current == UInt8(ascii: ":") {
                i += 1
                let (m, minuteDigits) = number(limit: 2)
                guard minuteDigits == 2 else { throw syntax }
                minutes = m
                if current == UInt8(ascii: ":") {
                    i += 1
                    let (s, secondDigits) = number(limit: 2)
                    guard secondDigits == 2 else { throw syntax }
                    seconds = s
                }
            }
        case 4: (hours, minutes) = (digits / 100, digits % 100)
        case 6: (hours, minutes, seconds) = (digits / 10000, digits / 100 % 100, digits % 100)
        default: throw syntax
        }
        guard hours <= 15, minutes <= 59, seconds <= 59 else {
            throw MemFluxError(.err, "time zone displacement out of range: \"\(text)\"")
        }
        let offset = (hours * 60 + minutes) * 60 + seconds
        return negative ? -offset : offset
    }
}
