// Casts among dates, times and timestamps, and from their text. The zone is
// always UTC, so timestamp ↔ timestamptz keep the microseconds; a date is
// its midnight (`date out of range for timestamp` past 294276 AD); a
// timestamp's date and time of day are the floor split of its microseconds.
// Infinities stay infinities between dates and timestamps; an infinite
// timestamp has no time of day (NULL, as timestamp_time answers).

extension SQLCast {
    static func toDateTime(_ value: SQLValue, from source: SQLType, to target: SQLType) throws(MemFluxError) -> SQLValue {
        switch (value, target) {
        case (.text(let text), .date): return .date(try SQLDateTime.parseDate(text[...]))
        case (.text(let text), .timestamp): return .timestamp(try SQLDateTime.parseTimestamp(text[...]))
        case (.text(let text), .timestamptz): return .timestamptz(try SQLDateTime.parseTimestampWithZone(text[...]))
        case (.text(let text), .time): return .time(try SQLDateTime.parseTime(text[...]))
        case (.date, .date), (.timestamp, .timestamp), (.timestamptz, .timestamptz), (.time, .time): return value
        case (.date(let days), .timestamp): return .timestamp(try midnight(days))
        case (.date(let days), .timestamptz): return .timestamptz(try midnight(days))
        case (.timestamp(let micros), .timestamptz): return .timestamptz(micros)
        case (.timestamptz(let micros), .timestamp): return .timestamp(micros)
        case (.timestamp(let micros), .date), (.timestamptz(let micros), .date):
            switch SQLDateTime.infinity(ofTimestamp: micros) {
            case 1: return .date(SQLDateTime.infiniteDate)
            case -1: return .date(SQLDateTime.negativeInfiniteDate)
            default: return .date(Int32(SQLDateTime.split(micros).days))
            }
        case (.timestamp(let micros), .time), (.timestamptz(let micros), .time):
            if SQLDateTime.infinity(ofTimestamp: micros) != 0 { return .null }
            return .time(SQLDateTime.split(micros).timeOfDay)
        default:
            throw cannotCast(value, from: source, to: target)
        }
    }

    /// The first microsecond of a day, if it is in the timestamp range.
    static func midnight(_ days: Int32) throws(MemFluxError) -> Int64 {
        switch SQLDateTime.infinity(ofDate: days) {
        case 1: return SQLDateTime.infiniteTimestamp
        case -1: return SQLDateTime.negativeInfiniteTimestamp
        default: break
        }
        let micros = Int64(days).multipliedReportingOverflow(by: SQLDateTime.microsecondsPerDay)
        guard !micros.overflow && micros.partialValue >= SQLDateTime.minTimestamp && micros.partialValue <= SQLDateTime.maxTimestamp else {
            throw MemFluxError(.err, "date out of range for timestamp")
        }
        return micros.partialValue
    }
}
