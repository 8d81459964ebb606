// The step of generate_series over timestamps. MemFlux has no INTERVAL
// type, so the step is written as PostgreSQL's interval text (an untyped
// literal there resolves to interval): `'1 day'`, `'2 hours 30 minutes'`,
// `'1 mon'`, `'-1 week'`, `'01:30:00'`, `'1 year 2 months ago'`.
//
// An interval keeps months, days and microseconds apart, as PostgreSQL's
// does: adding one month to January 31 gives the last day of February, and
// a day is a calendar day. Fractions spill downwards the way PostgreSQL's
// input does (`1.5 months` is 1 month 15 days, `1.5 days` is 1 day 12 hours).

import MemFluxCore

struct IntervalStep {
    let months: Int64
    let days: Int64
    let microseconds: Int64

    /// The sign of the step's span, counting a month as 30 days (PostgreSQL's interval order).
    var sign: Int {
        let span = (Double(months) * 30 + Double(days)) * Double(SQLDateTime.microsecondsPerDay) + Double(microseconds)
        return span > 0 ? 1 : span < 0 ? -1 : 0
    }

    /// `timestamp + step`, months first (clamping the day to the month's length), then days, then time.
    func adding(to timestamp: Int64) throws(MemFluxError) -> Int64 {
        var result = timestamp
        if months != 0 {
            let (days, timeOfDay) = SQLDateTime.split(result)
            let date = SQLDateTime.civilFromDays(days)
            let (monthIndex, overflow) = (date.year * 12 + date.month - 1).addingReportingOverflow(months)
            // Timestamps end within 300,000 years of year 0.
            guard !overflow, monthIndex > -12 * 300_000, monthIndex < 12 * 300_000 else { throw SQLDateTime.timestampOutOfRange }
            let year = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
            let month = monthIndex - year * 12 + 1
            let day = min(date.day, SQLDateTime.daysInMonth(year: year, month: month))
            result = try IntervalStep.checked(
                SQLDateTime.daysFromCivil(year: year, month: month, day: day).multipliedReportingOverflow(by: SQLDateTime.microsecondsPerDay))
            result = try IntervalStep.checked(result.addingReportingOverflow(timeOfDay))
        }
        if days != 0 {
            let span = try IntervalStep.checked(days.multipliedReportingOverflow(by: SQLDateTime.microsecondsPerDay))
            result = try IntervalStep.checked(result.addingReportingOverflow(span))
        }
        result = try IntervalStep.checked(result.addingReportingOverflow(microseconds))
        guard result >= SQLDateTime.minTimestamp else { throw SQLDateTime.timestampOutOfRange }
        return result
    }

    private static func checked(_ r: (partialValue: Int64, overflow: Bool)) throws(MemFluxError) -> Int64 {
        if r.overflow { throw SQLDateTime.timestampOutOfRange }
        return r.partialValue
    }

    // MARK: Input

    /// Parses interval text; PostgreSQL's error for anything else.
    init(parsing text: String) throws(MemFluxError) {
        let invalid = MemFluxError(.err, "invalid input syntax for type interval: \"\(text)\"")
        var words = IntervalStep.words(text.lowercased())
        if words.first == "@" { words.removeFirst() }
        var negate = false
        if words.last == "ago" {
            negate = true
            words.removeLast()
        }
        guard !words.isEmpty else { throw invalid }
        var months = 0.0, days = 0.0, micros = 0.0
        var i = 0
        while i < words.count {
            let word = words[i]
            i += 1
            if word.contains(":") {
                guard let time = IntervalStep.timeOfDay(word) else { throw invalid }
                micros += time
                continue
            }
            // A number, with its unit attached (`1day`) or as the next word; alone it counts seconds.
            let digits = word.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
            guard let value = Double(digits), value.isFinite else { throw invalid }
            var unit = String(word.dropFirst(digits.count))
            if unit.isEmpty, i < words.count, words[i].first?.isLetter == true {
                unit = words[i]
                i += 1
            }
            switch unit {
            case "", "s", "sec", "secs", "second", "seconds": micros += value * 1e6
            case "us", "usec", "usecs", "microsecond", "microseconds": micros += value
            case "ms", "msec", "msecs", "millisecond", "milliseconds": micros += value * 1e3
            case "m", "min", "mins", "minute", "minutes": micros += value * 60e6
            case "h", "hr", "hrs", "hour", "hours": micros += value * 3600e6
            case "d", "day", "days": days += value
            case "w", "week", "weeks": days += value * 7
            case "mon", "mons", "month", "months": months += value
            case "y", "yr", "yrs", "year", "years": months += value * 12
            case "decade", "decades": months += value * 120
            case "century", "centuries": months += value * 1200
            case "millennium", "millennia", "millenniums": months += value * 12000
            default: throw invalid
            }
        }
        // Fractions spill down: months to 30-day days, days to 24-hour time.
        let wholeMonths = months.rounded(.towardZero)
        days += (months - wholeMonths) * 30
        let wholeDays = days.rounded(.towardZero)
        micros += (days - wholeDays) * Double(SQLDateTime.microsecondsPerDay)
        micros = micros.rounded()
        let limit = 9.2e18
        guard abs(wholeMonths) < limit, abs(wholeDays) < limit, abs(micros) < limit else {
            throw MemFluxError(.err, "interval out of range")
        }
        let sign: Int64 = negate ? -1 : 1
        self.months = sign * Int64(wholeMonths)
        self.days = sign * Int64(wholeDays)
        self.microseconds = sign * Int64(micros)
    }

    /// Words split at blanks and commas.
    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," }).map(String.init)
    }

    /// `[-]hh:mm[:ss[.ffffff]]` as microseconds.
    private static func timeOfDay(_ word: String) -> Double? {
        var text = Substring(word)
        var sign = 1.0
        if text.first == "-" || text.first == "+" {
            if text.first == "-" { sign = -1 }
            text = text.dropFirst()
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            let hours = Double(parts[0]), let minutes = Double(parts[1]),
            parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber)
        else { return nil }
        var seconds = 0.0
        if parts.count == 3 {
            guard let s = Double(parts[2]), parts[2].allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
            seconds = s
        }
        return sign * ((hours * 60 + minutes) * 60 + seconds) * 1e6
    }
}
