// ScalarFunction: one SQL scalar function as the binder and the executor see
// it — a resolver from argument types to the result type (with PostgreSQL's
// `function lower(integer) does not exist`), and an evaluator.
//
// The families live beside this file, one per concern (String, Math,
// DateTime, JSON, Array, Conditional); `ScalarFunctions.lookup` is the one
// table, built once, that maps every name and alias to its function.
//
// Two ways to evaluate, for two kinds of caller:
// - `evaluate(arguments)`: the argument values alone. Enough for nearly every
//   function; now() reads the wall clock and argument types count as unknown.
// - `call(arguments, context:)`: with an EvaluationContext carrying the
//   transaction's start time (PostgreSQL's now() and CURRENT_TIMESTAMP are
//   the transaction's start, the same for every row and statement in it) and
//   the argument types the binder resolved, which a few functions need to
//   print values as their types do (concat of a real, to_json of a jsonb).
// `evaluate` is `call` with a wall-clock context, so both run the same code.
// The binder binds each call to its argument types (`resolved(for:)`), and
// `call` hands those to the body when the context has none (a copy of the
// context that retains the array: no allocation per row).
//
// Resolvers check declared types strictly, as PostgreSQL does; evaluators
// are lenient about representations, because a schemaless field (type
// `.dynamic`) can hold anything: a JSON string where text is expected is
// its text, a JSON number where a number is expected is that number.

import MemFluxCore
import MemFluxStorage

/// What evaluation may need beyond the argument values.
public struct EvaluationContext: Sendable {
    private var fixedTransactionTime: Int64?
    private var fixedStatementTime: Int64?
    /// The argument types `resolve` was given; empty when unknown.
    public var argumentTypes: [SQLType]

    /// - Parameters:
    ///   - transactionTime: the transaction's start, microseconds since 1970-01-01 UTC.
    ///   - statementTime: the statement's start; the transaction's when nil.
    public init(transactionTime: Int64, statementTime: Int64? = nil, argumentTypes: [SQLType] = []) {
        self.fixedTransactionTime = transactionTime
        self.fixedStatementTime = statementTime
        self.argumentTypes = argumentTypes
    }

    private init() {
        argumentTypes = []
    }

    /// No clock given: the clock functions read the wall clock when called (and only then,
    /// so `evaluate` on lower() costs no clock read).
    public static let wallClock = EvaluationContext()

    /// now(), CURRENT_TIMESTAMP, transaction_timestamp(): microseconds since 1970-01-01 UTC.
    public var transactionTime: Int64 { fixedTransactionTime ?? WallClock.nowMicroseconds() }

    /// statement_timestamp().
    public var statementTime: Int64 { fixedStatementTime ?? transactionTime }

    /// The declared type of argument `index`, `.dynamic` when unknown.
    public func argumentType(_ index: Int) -> SQLType {
        index < argumentTypes.count ? argumentTypes[index] : .dynamic
    }
}

public struct ScalarFunction: Sendable {
    public typealias Resolver = @Sendable ([SQLType]) throws(MemFluxError) -> SQLType
    public typealias Body = @Sendable ([SQLValue], EvaluationContext) throws(MemFluxError) -> SQLValue

    public let name: String
    /// The result type for these argument types, or an error (`function lower(integer) does not exist`, PostgreSQL's text).
    public let resolve: Resolver
    /// Evaluates on non-NULL-checked arguments; `isStrict` functions return NULL when any argument is NULL before this is called.
    /// The argument count must be one `resolve` accepted. Same as `call` with `EvaluationContext.wallClock`.
    public let evaluate: @Sendable ([SQLValue]) throws(MemFluxError) -> SQLValue
    public let isStrict: Bool
    /// False for now(), random(), gen_random_uuid(): constant folding must not fold them.
    public let isDeterministic: Bool
    /// The argument types of the call this was bound to (`resolved(for:)`); empty when unbound.
    public private(set) var argumentTypes: [SQLType] = []
    private let body: Body

    init(_ name: String, strict: Bool = true, deterministic: Bool = true, resolve: @escaping Resolver, body: @escaping Body) {
        self.name = name
        self.resolve = resolve
        self.isStrict = strict
        self.isDeterministic = deterministic
        self.body = body
        self.evaluate = { arguments throws(MemFluxError) in try body(arguments, .wallClock) }
    }

    /// Evaluates with the statement's clock and the resolved argument types.
    ///
    ///     let now = ScalarFunctions.lookup("now")!
    ///     try now.call([], context: EvaluationContext(transactionTime: 0))   // .timestamptz(0)
    public func call(_ arguments: [SQLValue], context: EvaluationContext) throws(MemFluxError) -> SQLValue {
        guard !argumentTypes.isEmpty, context.argumentTypes.isEmpty else { return try body(arguments, context) }
        var context = context
        context.argumentTypes = argumentTypes
        return try body(arguments, context)
    }

    /// This function bound to a call with these argument types, which `call` then passes
    /// to the body (abs(integer) checks integer's range, length(character(n)) drops the padding).
    public func resolved(for types: [SQLType]) -> ScalarFunction {
        var bound = self
        bound.argumentTypes = types
        return bound
    }
}

public enum ScalarFunctions {
    /// The function named `name` (any case), nil if there is none.
    ///
    ///     ScalarFunctions.lookup("LOWER")?.resolve([.text])   // .text
    public static func lookup(_ name: String) -> ScalarFunction? {
        table[name.lowercased()]
    }

    /// Every function by name, aliases included (`ceiling`, `pow`, `char_length`...).
    static let table: [String: ScalarFunction] = {
        var table = [String: ScalarFunction]()
        let families = [StringFunctions.all, MathFunctions.all, DateTimeFunctions.all, JSONFunctions.all, ArrayFunctions.all, ConditionalFunctions.all]
        for family in families {
            for function in family {
                precondition(table[function.name] == nil, "two scalar functions named \(function.name)")
                table[function.name] = function
            }
        }
        return table
    }()
}

// MARK: - Resolution helpers

/// `function lower(integer) does not exist`.
func noSuchFunction(_ name: String, _ types: [SQLType]) -> MemFluxError {
    MemFluxError(.err, "function \(name)(\(types.map(\.functionArgumentName).joined(separator: ", "))) does not exist")
}

extension SQLType {
    /// The type's name in PostgreSQL's "function ... does not exist" messages.
    var functionArgumentName: String {
        switch self {
        case .varchar: "character varying"
        case .char: "character"
        case .numeric: "numeric"
        case .array(let element): element.functionArgumentName + "[]"
        default: postgresName
        }
    }

    /// Accepted where text is expected: the character types, an untyped literal, a schemaless field.
    var acceptsText: Bool {
        switch self {
        case .text, .varchar, .char, .unknown, .dynamic: true
        default: false
        }
    }

    /// Accepted where an integer is expected (smallint and integer widen; bigint does not narrow to int4).
    var acceptsInteger: Bool {
        switch self {
        case .smallint, .integer, .unknown, .dynamic: true
        default: false
        }
    }

    var acceptsNumber: Bool {
        switch self {
        case .smallint, .integer, .bigint, .real, .double, .numeric, .unknown, .dynamic: true
        default: false
        }
    }

    var acceptsJSON: Bool {
        switch self {
        case .json, .jsonb, .unknown, .dynamic: true
        default: false
        }
    }

    var acceptsArray: Bool {
        switch self {
        case .array, .unknown, .dynamic: true
        default: false
        }
    }

    var isFloat: Bool { self == .real || self == .double }
}

/// A resolver for a fixed signature: `accepted` checks each argument, optional ones last.
func signature(
    _ name: String, _ accepted: [@Sendable (SQLType) -> Bool], optional: Int = 0, returns result: SQLType
) -> ScalarFunction.Resolver {
    { types throws(MemFluxError) in
        guard types.count <= accepted.count && types.count >= accepted.count - optional,
              zip(types, accepted).allSatisfy({ type, accepts in accepts(type) })
        else { throw noSuchFunction(name, types) }
        return result
    }
}

// MARK: - Argument values

/// Argument values as the types a function computes with. Declared types
/// were checked by the resolver; these accept what a schemaless field holds.
enum Argument {
    /// The text of a text argument, a JSON scalar's text, or another value's text output.
    static func text(_ value: SQLValue, type: SQLType = .dynamic) -> String {
        if case .text(let text) = value {
            // char(n) compares and measures without its padding.
            if case .char = type { return SQLCast.trimmingTrailingSpaces(text) }
            return text
        }
        return value.text(type: type)
    }

    /// An integer argument (int, a JSON integer, an integral numeric, or text of one). Text
    /// is read as PostgreSQL's functions read it, as int4 (`invalid input syntax for type integer: "x"`).
    static func integer(_ value: SQLValue, function: String) throws(MemFluxError) -> Int64 {
        switch value {
        case .int(let n), .json(.int(let n)):
            return n
        default:
            let converted = try SQLCast.cast(value, from: .dynamic, to: .integer)
            guard case .int(let n) = converted else { throw MemFluxError(.err, "invalid argument for \(function)") }
            return n
        }
    }

    /// A number argument: .int, .double or .numeric (JSON numbers unwrapped, text parsed as
    /// numeric). An untyped literal (`type` .unknown) is read as double precision, the type
    /// PostgreSQL prefers for it among a function's numeric overloads: round('abc') fails
    /// with `invalid input syntax for type double precision`.
    static func number(_ value: SQLValue, type: SQLType = .dynamic) throws(MemFluxError) -> SQLValue {
        switch value {
        case .int, .double, .numeric: return value
        case .json(.int(let n)): return .int(n)
        case .json(.double(let d)): return .double(d)
        default:
            let target: SQLType = type == .unknown ? .double : .numeric(precision: nil, scale: nil)
            return try SQLCast.cast(value, from: .dynamic, to: target)
        }
    }

    /// A JSON argument: a JSON value, or text parsed as JSON.
    static func json(_ value: SQLValue) throws(MemFluxError) -> JSONValue {
        if case .json(let json) = value { return json }
        guard case .json(let json) = try SQLCast.cast(value, from: .dynamic, to: .jsonb) else { return .null }
        return json
    }

    /// An array argument's elements (a JSON array's elements as JSON values).
    static func array(_ value: SQLValue, function: String) throws(MemFluxError) -> [SQLValue] {
        switch value {
        case .array(let items): return items
        case .json(.array(let items)): return items.map { .json($0) }
        default: throw MemFluxError(.err, "\(function): argument is not an array")
        }
    }
}

/// The largest text a function builds (repeat, lpad): Redis's proto-max-bulk-len,
/// so one call cannot ask for more memory than one reply may hold.
let maxResultBytes = 512 * 1024 * 1024

let resultTooLarge = MemFluxError(.err, "requested length too large")
