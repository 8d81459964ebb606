// Date and time functions: the clock (now() and friends), EXTRACT/date_part
// and date_trunc, with PostgreSQL's field rules and messages.
//
// The clock: now(), CURRENT_TIMESTAMP and transaction_timestamp() are the
// transaction's start and statement_timestamp() the statement's, both from
// the EvaluationContext; clock_timestamp() reads the wall clock on every
// call. The zone is UTC, so CURRENT_TIME (PostgreSQL's timetz) is the time
// of day as `time`.
//
// EXTRACT returns numeric and date_part double precision (PostgreSQL 14+),
// each computed as PostgreSQL does: EXTRACT(second) is microseconds / 10^6
// at scale 6 (56.789000), date_part('second') is seconds + fraction in
// floating point (56.789). Years count BC as negative with no year 0;
// decade, century and millennium follow PostgreSQL's BC conventions.

import MemFluxCore
import MemFluxStorage

enum DateTimeFunctions {
    static let all: [ScalarFunction] = [
        clock("now", .timestamptz) { .timestamptz($0.transactionTime) },
        clock("current_timestamp", .timestamptz) { .timestamptz($0.transactionTime) },
        clock("transaction_timestamp", .timestamptz) { .timestamptz($0.transactionTime) },
        clock("statement_timestamp", .timestamptz) { .timestamptz($0.statementTime) },
        clock("clock_timestamp", .timestamptz) { _ in .timestamptz(WallClock.nowMicroseconds()) },
        clock("localtimestamp", .timestamp) { .timestamp($0.transactionTime) },
        clock("current_date", .date) { .date(Int32(SQLDateTime.split($0.transactionTime).days)) },
        clock("current_time", .time) { .time(SQLDateTime.split($0.transactionTime).timeOfDay) },
        clock("localtime", .time) { .time(SQLDateTime.split($0.transactionTime).timeOfDay) },
        extract("extract", numeric: true), extract("date_part", numeric: false),
        dateTrunc(),
        ScalarFunction("gen_random_uuid", deterministic: false, resolve: signature("gen_random_uuid", [], returns: .uuid)) { _, _ throws(MemFluxError) in
            // Version 4, variant 1 (RFC 4122): random bits with those fields set.
            var generator = SystemRandomNumberGenerator()
            let first: UInt64 = generator.next(), second: UInt64 = generator.next()
            return .uuid(SQLUUID(high: (first & ~0xF000) | 0x4000, low: (second & ~(0xC << 60)) | (0x8 << 60)))
        },
    ]

    private static func clock(_ name: String, _ type: SQLType, _ value: @escaping @Sendable (EvaluationContext) -> SQLValue) -> ScalarFunction {
        ScalarFunction(name, deterministic: false, resolve: signature(name, [], returns: type)) { _, context in value(context) }
    }

    // MARK: - Sources

    /// What EXTRACT and date_trunc read: a point in time (days and time of day), or a time of day alone.
    struct Source {
        var days: Int64?
        var timeOfDay: Int64
        var type: SQLType
    }

    private static let sourceTypes: [SQLType] = [.timestamp, .timestamptz, .date, .time, .unknown, .dynamic]

    /// The source value as its type, a schemaless field's string parsed as a timestamp.
    static func source(_ value: SQLValue, declared: SQLType) throws(MemFluxError) -> Source {
        var value = value
        if case .json = value { value = try SQLCast.cast(value, to: .timestamp) }
        if case .text = value { value = try SQLCast.cast(value, from: .text, to: declared == .unknown || declared == .dynamic ? .timestamp : declared) }
        switch value {
        case .timestamp(let micros):
            let (days, time) = SQLDateTime.split(micros)
            return Source(days: days, timeOfDay: time, type: .timestamp)
        case .timestamptz(let micros):
            let (days, time) = SQLDateTime.split(micros)
            return Source(days: days, timeOfDay: time, type: .timestamptz)
        case .date(let days):
            return Source(days: Int64(days), timeOfDay: 0, type: .date)
        case .time(let micros):
            return Source(days: nil, timeOfDay: micros, type: .time)
        default:
            throw MemFluxError(.err, "cannot extract fields from type \(value.typeForMessages.postgresName)")
        }
    }

    // MARK: - Units

    enum Unit: String {
        case microseconds, milliseconds, second, minute, hour, day, week, month, quarter, year
        case decade, century, millennium, dow, isodow, doy, epoch, julian, isoyear
        case timezone, timezoneHour = "timezone_hour", timezoneMinute = "timezone_minute"

        /// PostgreSQL's spellings (DecodeUnits), in any case.
        init?(spelling: String) {
            switch spelling.lowercased() {
            case "microsecond", "microseconds", "us", "usec", "usecs", "useconds": self = .microseconds
            case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds", "millisecon": self = .milliseconds
            case "second", "seconds", "s", "sec", "secs": self = .second
            case "minute", "minutes", "m", "min", "mins": self = .minute
            case "hour", "hours", "h", "hr", "hrs": self = .hour
            case "day", "days", "d": self = .day
            case "week", "weeks", "w": self = .week
            case "month", "months", "mon", "mons": self = .month
            case "quarter", "qtr": self = .quarter
            case "year", "years", "y", "yr", "yrs": self = .year
            case "decade", "decades", "dec", "decs": self = .decade
            case "century", "centuries", "c", "cent": self = .century
            case "millennium", "millennia", "mil", "mils", "millenniums": self = .millennium
            case "dow": self = .dow
            case "isodow": self = .isodow
            case "doy": self = .doy
            case "epoch": self = .epoch
            case "julian", "j": self = .julian
            case "isoyear": self = .isoyear
            case "timezone": self = .timezone
            case "timezone_h", "timezone_hour": self = .timezoneHour
            case "timezone_m", "timezone_minute": self = .timezoneMinute
            default: return nil
            }
        }

        var isTimeOfDay: Bool { [.microseconds, .milliseconds, .second, .minute, .hour].contains(self) }
    }

    static func unit(_ spelling: String, for type: SQLType) throws(MemFluxError) -> Unit {
        guard let unit = Unit(spelling: spelling) else {
            throw MemFluxError(.err, "unit \"\(spelling.lowercased())\" not recognized for type \(type.postgresName)")
        }
        return unit
    }

    static func notSupported(_ spelling: String, for type: SQLType) -> MemFluxError {
        MemFluxError(.err, "unit \"\(spelling.lowercased())\" not supported for type \(type.postgresName)")
    }

    // MARK: - EXTRACT / date_part

    private static func extract(_ name: String, numeric: Bool) -> ScalarFunction {
        ScalarFunction(name, resolve: { types throws(MemFluxError) in
            guard types.count == 2, types[0].acceptsText, sourceTypes.contains(types[1].withoutModifiers) else { throw noSuchFunction(name, types) }
            // An untyped literal fits the date, time and timestamp overloads alike; EXTRACT is pg_catalog's.
            if types[1] == .unknown {
                let spelled = name == "extract" ? "pg_catalog.extract" : name
                throw MemFluxError(.err, "function \(spelled)(\(types.map(\.functionArgumentName).joined(separator: ", "))) is not unique")
            }
            return numeric ? .numeric(precision: nil, scale: nil) : .double
        }) { args, context throws(MemFluxError) in
            let spelling = Argument.text(args[0])
            var source = try source(args[1], declared: context.argumentType(1))
            // date_part(text, date) is date_part(text, timestamp) in PostgreSQL; EXTRACT from a date has its own rules.
            if !numeric && source.type == .date { source.type = .timestamp }
            let unit = try unit(spelling, for: source.type)
            let value = try field(unit, of: source, spelling: spelling)
            return numeric ? .numeric(try value.numeric()) : .double(value.double)
        }
    }

    /// A field's value, kept exact (integer microseconds over a power of ten) so
    /// EXTRACT can give it as numeric and date_part as PostgreSQL's double.
    struct FieldValue {
        /// The value is `units / 10^scale`, or `double` where PostgreSQL computes it in floating point.
        var units: Int64
        var scale: Int
        var double: Double
        /// julian's fraction of a day, divided as numeric (PostgreSQL's numeric_div).
        var dayFraction: Int64?

        static func integer(_ n: Int64) -> FieldValue { FieldValue(units: n, scale: 0, double: Double(n)) }

        func numeric() throws(MemFluxError) -> SQLNumeric {
            let whole = SQLNumeric(isNegative: units < 0, limbs: SQLNumeric(units).limbs, scale: scale)
            guard let dayFraction else { return whole }
            let fraction = try SQLNumeric(dayFraction).dividing(by: SQLNumeric(SQLDateTime.microsecondsPerDay))
            return try whole.adding(fraction)
        }
    }

    static func field(_ unit: Unit, of source: Source, spelling: String) throws(MemFluxError) -> FieldValue {
        if source.type == .date && (unit.isTimeOfDay || unit == .timezone || unit == .timezoneHour || unit == .timezoneMinute) {
            throw notSupported(spelling, for: .date)
        }
        let micros = source.timeOfDay
        let secondsMicros = micros % 60_000_000
        switch unit {
        case .microseconds:
            return .integer(secondsMicros)
        case .milliseconds:
            return FieldValue(units: secondsMicros, scale: 3, double: Double(secondsMicros / 1_000_000) * 1000 + Double(secondsMicros % 1_000_000) / 1000)
        case .second:
            return FieldValue(units: secondsMicros, scale: 6, double: Double(secondsMicros / 1_000_000) + Double(secondsMicros % 1_000_000) / 1_000_000)
        case .minute:
            return .integer(micros / 60_000_000 % 60)
        case .hour:
            return .integer(micros / 3_600_000_000)
        case .timezone, .timezoneHour, .timezoneMinute:
            guard source.type == .timestamptz else { throw notSupported(spelling, for: source.type) }
            return .integer(0)
        case .epoch:
            guard let days = source.days else {
                return FieldValue(units: micros, scale: 6, double: Double(micros) / 1_000_000)
            }
            if source.type == .date { return .integer(days * 86_400) }
            let total = days * SQLDateTime.microsecondsPerDay + micros
            return FieldValue(units: total, scale: 6, double: Double(total) / 1_000_000)
        default:
            break
        }
        guard let days = source.days else { throw notSupported(spelling, for: source.type) }
        let (year, month, day) = SQLDateTime.civilFromDays(days)
        switch unit {
        case .day: return .integer(day)
        case .month: return .integer(month)
        case .quarter: return .integer((month - 1) / 3 + 1)
        case .year: return .integer(year > 0 ? year : year - 1)
        case .decade: return .integer(year >= 0 ? year / 10 : -((8 - (year - 1)) / 10))
        case .century: return .integer(year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100))
        case .millennium: return .integer(year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000))
        case .dow: return .integer(weekday(days) % 7)
        case .isodow: return .integer(weekday(days))
        case .doy: return .integer(days - SQLDateTime.daysFromCivil(year: year, month: 1, day: 1) + 1)
        case .week: return .integer(isoWeek(days).week)
        case .isoyear:
            let isoYear = isoWeek(days).year
            return .integer(isoYear > 0 ? isoYear : isoYear - 1)
        case .julian:
            // Julian day 0 is 4714-11-24 BC; 1970-01-01 is 2440588.
            let julianDay = days + 2_440_588
            guard source.type != .date else { return .integer(julianDay) }
            var value = FieldValue.integer(julianDay)
            value.dayFraction = micros
            value.double = Double(julianDay) + Double(micros) / Double(SQLDateTime.microsecondsPerDay)
            return value
        default:
            throw notSupported(spelling, for: source.type)
        }
    }

    /// ISO weekday, Monday 1 to Sunday 7 (1970-01-01 was a Thursday).
    static func weekday(_ days: Int64) -> Int64 {
        let mod = (days + 3) % 7
        return (mod < 0 ? mod + 7 : mod) + 1
    }

    /// The ISO 8601 week and its year: the week holding the date's Thursday.
    static func isoWeek(_ days: Int64) -> (year: Int64, week: Int64) {
        let thursday = days + 4 - weekday(days)
        let year = SQLDateTime.civilFromDays(thursday).year
        let dayOfYear = thursday - SQLDateTime.daysFromCivil(year: year, month: 1, day: 1)
        return (year, dayOfYear / 7 + 1)
    }

    // MARK: - date_trunc

    private static func dateTrunc() -> ScalarFunction {
        ScalarFunction("date_trunc", resolve: { types throws(MemFluxError) in
            guard types.count == 2, types[0].acceptsText, sourceTypes.contains(types[1].withoutModifiers), types[1] != .time else {
                throw noSuchFunction("date_trunc", types)
            }
            switch types[1] {
            case .timestamptz, .date: return .timestamptz
            case .dynamic: return .dynamic
            default: return .timestamp
            }
        }) { args, context throws(MemFluxError) in
            let spelling = Argument.text(args[0])
            let source = try source(args[1], declared: context.argumentType(1))
            // A date is truncated as the timestamptz of its midnight, as PostgreSQL casts it.
            let type: SQLType = source.type == .date ? .timestamptz : source.type
            guard let days = source.days else { throw noSuchFunction("date_trunc", [.text, source.type]) }
            let unit = try unit(spelling, for: type)
            let micros = try truncated(days: days, timeOfDay: source.timeOfDay, to: unit, spelling: spelling, type: type)
            return type == .timestamptz ? .timestamptz(micros) : .timestamp(micros)
        }
    }

    static func truncated(days: Int64, timeOfDay: Int64, to unit: Unit, spelling: String, type: SQLType) throws(MemFluxError) -> Int64 {
        let (year, month, _) = SQLDateTime.civilFromDays(days)
        var day = days
        var time = timeOfDay
        switch unit {
        case .microseconds: break
        case .milliseconds: time -= time % 1000
        case .second: time -= time % 1_000_000
        case .minute: time -= time % 60_000_000
        case .hour: time -= time % 3_600_000_000
        case .day: time = 0
        case .week:
            day = days - (weekday(days) - 1)
            time = 0
        case .month, .quarter, .year, .decade, .century, .millennium:
            let firstMonth: Int64 = switch unit {
            case .month: month
            case .quarter: (month - 1) / 3 * 3 + 1
            default: 1
            }
            let firstYear: Int64 = switch unit {
            case .decade: year > 0 ? year / 10 * 10 : -((8 - (year - 1)) / 10) * 10
            case .century: year > 0 ? (year + 99) / 100 * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1
            case .millennium: year > 0 ? (year + 999) / 1000 * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1
            default: year
            }
            day = SQLDateTime.daysFromCivil(year: firstYear, month: firstMonth, day: 1)
            time = 0
        default:
            throw MemFluxError(.err, "unit \"\(spelling.lowercased())\" not recognized for type \(type.postgresName)")
        }
        let (midnight, overflow) = day.multipliedReportingOverflow(by: SQLDateTime.microsecondsPerDay)
        guard !overflow, midnight >= SQLDateTime.minTimestamp else { throw SQLDateTime.timestampOutOfRange }
        return midnight + time
    }
}
