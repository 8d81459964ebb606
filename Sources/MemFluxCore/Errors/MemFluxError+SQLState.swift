// An error's SQLSTATE: PostgreSQL's five-character class and condition, which
// the C ABI reports beside the code word and the Python package maps to PEP
// 249's exceptions (class 23 IntegrityError, 22 DataError, 42 ProgrammingError,
// 0A NotSupportedError, 40 and 53 OperationalError, XX InternalError).
//
// The SQL engine's messages are PostgreSQL's own words, so an error's
// condition follows from its code and the family of its message; the
// families are listed here, in one place, rather than at each of the
// engine's throw sites. An error outside them is HY000, a general error.

extension MemFluxError {
    public var sqlState: String {
        switch code {
        case .serialization: return "40001"
        case .syntax: return "42601"
        case .oom: return "53200"
        case .misconf: return "58030"
        case .wrongType: return "42809"
        case .execAbort: return "25000"
        case .noAuth: return "28000"
        default: break
        }
        for (family, state) in MemFluxError.messageFamilies where message.contains(family) { return state }
        if message.contains("does not exist") {
            let subject = message.prefix { $0 != " " }
            switch subject {
            case "column": return "42703"
            case "relation", "table": return "42P01"
            case "function", "operator": return "42883"
            case "savepoint": return "3B001"
            default: return "42704"
            }
        }
        if message.contains("already exists") { return "42P07" }
        return "HY000"
    }

    /// Message fragments and their conditions, the more specific first.
    private static let messageFamilies: [(String, String)] = [
        ("violates unique constraint", "23505"),
        ("violates not-null constraint", "23502"),
        ("violates foreign key constraint", "23503"),
        ("violates check constraint", "23514"),
        ("division by zero", "22012"),
        ("value too long", "22001"),
        ("invalid input syntax", "22P02"),
        ("value is not an integer", "22P02"),
        ("is not a valid float", "22P02"),
        ("out of range", "22003"),
        ("overflow", "22003"),
        ("cannot take logarithm", "2201E"),
        ("raised to a negative power", "2201F"),
        ("raised to a non-integer power", "2201F"),
        ("square root of a negative number", "2201F"),
        ("there is already a transaction in progress", "25001"),
        ("there is no transaction in progress", "25P01"),
        ("current transaction is aborted", "25P02"),
        ("not supported", "0A000"),
        ("not implemented", "0A000"),
        ("syntax error", "42601"),
        ("wrong number of arguments", "42601"),
        ("unknown command", "42601"),
        ("unbalanced quotes", "42601"),
        // The wrong number of parameters: PostgreSQL says 08P01 (its protocol), DB-API a programming error.
        ("bind message supplies", "42P02"),
        ("placeholders but", "42P02"),
        ("there is no parameter", "42P02"),
        ("is ambiguous", "42702"),
        ("must appear in the GROUP BY", "42803"),
        ("are not allowed", "42803"),
        ("operator is not unique", "42725"),
        ("cannot cast", "42846"),
        ("stack depth limit exceeded", "54001"),
        ("would hold more than", "54000"),
    ]
}
