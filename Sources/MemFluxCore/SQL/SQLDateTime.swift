// Dates and times: the proleptic Gregorian calendar PostgreSQL uses, the
// ranges it accepts, and its ISO text forms in and out.
//
// Dates are days since 1970-01-01 and timestamps microseconds since then, so
// calendar fields come from a days count with Hinnant's civil-from-days
// algorithm (no tables, exact for any year). Years are astronomical inside:
// year 0 is 1 BC, which PostgreSQL prints as `0001-01-01 BC`.
//
// The time zone is always UTC: timestamptz input applies the offset it is
// written with and prints `+00`; timestamp, date and time input ignore an
// offset, as PostgreSQL does.
//
// Input is PostgreSQL's ISO subset: `2024-01-31`, `2024-01-31 12:34:56.789`,
// `T` or spaces between date and time, `Z`/`UTC`/`GMT`/`+02`/`+02:00`/
// `-0530` zones, `AM`/`PM`, a trailing `BC`/`AD`, `epoch`, `infinity` and
// `-infinity`; a date whose first field has one or two digits is
// month-day-year (DateStyle ISO, MDY). Fractions are rounded to microseconds
// the way PostgreSQL does it, through a double and rint.
//
// The infinities are PostgreSQL's too: the extreme values of the
// representation (Int32.min/max days, Int64.min/max microseconds) stand for
// -infinity and infinity, so they sort below and above every finite value
// with no special case in comparisons, and print as `infinity`.

public enum SQLDateTime {
    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// PostgreSQL's ranges: dates 4714-11-24 BC to 5874897-12-31, timestamps
    /// from 4714-11-24 BC. PostgreSQL counts timestamp microseconds from 2000
    /// and reaches 294276-12-31; counted from 1970 an Int64 (less the value
    /// kept for infinity) ends at 294247-01-10 04:00:54.775806, so that is the
    /// last timestamp here.
    public static let minDay = daysFromCivil(year: -4713, month: 11, day: 24)
    public static let maxDay = daysFromCivil(year: 5_874_897, month: 12, day: 31)
    public static let minTimestamp = minDay * microsecondsPerDay
    public static let maxTimestamp = Int64.max - 1

    /// `infinity` and `-infinity` as a date (days) and as a timestamp (microseconds).
    public static let infiniteDate = Int32.max
    public static let negativeInfiniteDate = Int32.min
    public static let infiniteTimestamp = Int64.max
    public static let negativeInfiniteTimestamp = Int64.min

    /// 1 for infinity, -1 for -infinity, 0 for a finite date.
    public static func infinity(ofDate days: Int32) -> Int {
        days == infiniteDate ? 1 : (days == negativeInfiniteDate ? -1 : 0)
    }

    /// 1 for infinity, -1 for -infinity, 0 for a finite timestamp.
    public static func infinity(ofTimestamp micros: Int64) -> Int {
        micros == infiniteTimestamp ? 1 : (micros == negativeInfiniteTimestamp ? -1 : 0)
    }

    public static let dateOutOfRange = MemFluxError(.err, "date out of range")
    public static let timestampOutOfRange = MemFluxError(.err, "timestamp out of range")

    /// Days since 1970-01-01 of a proleptic Gregorian date (astronomical year).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day count (astronomical year).
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division and modulo for splitting microseconds into days and time of day.
    @inlinable
    public static func split(_ micros: Int64) -> (days: Int64, timeOfDay: Int64) {
        var days = micros / microsecondsPerDay
        var rest = micros % microsecondsPerDay
        if rest < 0 {
            days -= 1
            rest += microsecondsPerDay
        }
        return (days, rest)
    }

    // MARK: - Output

    /// `2024-01-31`, years zero-padded to four digits; BC years are shown by the caller.
    static func appendDate(_ days: Int64, to out: inout [UInt8]) -> Bool {
        let (year, month, day) = civilFromDays(days)
        let isBC = year <= 0
        appendPadded(isBC ? 1 - year : year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &out)
        return isBC
    }

    /// `12:34:56`, then `.789` with the fraction's trailing zeros dropped.
    static func appendTime(_ micros: Int64, to out: inout [UInt8]) {
        let seconds = micros / microsecondsPerSecond
        let fraction = micros % microsecondsPerSecond
        appendPadded(seconds / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, width: 2, to: &out)
        guard fraction > 0 else { return }
        out.append(UInt8(ascii: "."))
        var digits = fraction
        var width = 6
        while digits % 10 == 0 {
            digits /= 10
            width -= 1
        }
        appendPadded(digits, width: width, to: &out)
    }

    /// A timestamp as `::text` prints it (`2024-01-31 12:34:56.789`, `+00` with a zone)
    /// or as to_json does (`2024-01-31T12:34:56.789`, `+00:00`); BC last.
    static func appendTimestamp(_ micros: Int64, withZone: Bool, iso: Bool, to out: inout [UInt8]) {
        if appendInfinity(infinity(ofTimestamp: micros), to: &out) { return }
        let (days, timeOfDay) = split(micros)
        let isBC = appendDate(days, to: &out)
        out.append(iso ? UInt8(ascii: "T") : UInt8(ascii: " "))
        appendTime(timeOfDay, to: &out)
        if withZone { out.append(contentsOf: iso ? "+00:00".utf8 : "+00".utf8) }
        if isBC { out.append(contentsOf: " BC".utf8) }
    }

    static func appendDateText(_ days: Int64, to out: inout [UInt8]) {
        if let day = Int32(exactly: days), appendInfinity(infinity(ofDate: day), to: &out) { return }
        if appendDate(days, to: &out) { out.append(contentsOf: " BC".utf8) }
    }

    /// `infinity` or `-infinity` for a sign of 1 or -1; false (nothing written) for 0.
    private static func appendInfinity(_ sign: Int, to out: inout [UInt8]) -> Bool {
        guard sign != 0 else { return false }
        out.append(contentsOf: (sign > 0 ? "infinity" : "-infinity").utf8)
        return true
    }

    private static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var digits = [UInt8]()
        var rest = value.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits.reversed())
    }
}
