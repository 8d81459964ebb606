// The result type of an operator, as PostgreSQL's operator resolution finds
// it for the types here, with its error texts:
//
// - Numbers: smallint < integer < bigint < numeric < real < double precision.
//   Two integer types give the wider (smallint + smallint is smallint); an
//   integer and numeric give numeric; a double anywhere gives double; real
//   stays real only with real (real * integer is double precision, since
//   PostgreSQL has no mixed real operators and picks float8). `^` is double
//   precision unless numeric is involved; `%` has no float operator.
// - An untyped literal (`.unknown`) takes the other operand's type
//   (1 + '2' is integer + integer); two of them are ambiguous for arithmetic
//   (`operator is not unique: unknown + unknown`) and text for `||`.
// - A schemaless field (`.dynamic`) gives `.dynamic`: its value decides at
//   run time (text when concatenated with text).
// - date + integer, integer + date, date - integer → date; date - date →
//   integer; date + time → timestamp.
// - `||`: arrays with arrays or elements → the array type; jsonb || jsonb →
//   jsonb; text (or an untyped literal) with any non-array → text.
// - Comparisons give boolean when an operator exists for the pair.
// Anything else: `operator does not exist: boolean + integer`.

extension SQLArithmetic {
    /// The result type of `a op b`, or PostgreSQL's error when there is no such operator.
    ///
    ///     try SQLArithmetic.resultType("+", .integer, .bigint)     // .bigint
    ///     try SQLArithmetic.resultType("+", .integer, .numeric(precision: 10, scale: 2))   // .numeric(nil, nil)
    ///     try SQLArithmetic.resultType("+", .boolean, .integer)    // throws operator does not exist: boolean + integer
    ///
    /// - Parameter op: `+ - * / % ^ ||` or a comparison `= <> != < <= > >=`.
    public static func resultType(_ op: String, _ a: SQLType, _ b: SQLType) throws(MemFluxError) -> SQLType {
        let (x, y) = (a.withoutModifiers, b.withoutModifiers)
        let noOperator = MemFluxError(.err, "operator does not exist: \(a.nameWithoutModifiers) \(op) \(b.nameWithoutModifiers)")
        switch op {
        case "=", "<>", "!=", "<", "<=", ">", ">=":
            guard comparable(x, y) else { throw noOperator }
            return .boolean
        case "||":
            return try concatenationType(x, y, noOperator: noOperator)
        case "+", "-", "*", "/", "%", "^":
            break
        default:
            throw noOperator
        }
        if x == .dynamic || y == .dynamic {
            guard isArithmeticOperand(x) && isArithmeticOperand(y) else { throw noOperator }
            return .dynamic
        }
        if x == .unknown && y == .unknown { throw MemFluxError(.err, "operator is not unique: unknown \(op) unknown") }
        // An untyped literal is read as the other operand's type.
        let left = x == .unknown ? y : x
        let right = y == .unknown ? x : y
        if let dateResult = try dateOperatorType(op, left, right, noOperator: noOperator) { return dateResult }
        guard left.isNumber && right.isNumber else { throw noOperator }
        let isFloat = { (t: SQLType) in t == .real || t == .double }
        if op == "%" && (isFloat(left) || isFloat(right)) { throw noOperator }
        if op == "^" {
            if left.isNumeric && !isFloat(right) || right.isNumeric && !isFloat(left) { return .numeric(precision: nil, scale: nil) }
            return .double
        }
        if left == .real && right == .real { return .real }
        if isFloat(left) || isFloat(right) { return .double }
        if left.isNumeric || right.isNumeric { return .numeric(precision: nil, scale: nil) }
        return integerRank(left) >= integerRank(right) ? left : right
    }

    /// The result type of `-a`.
    public static func negationType(_ a: SQLType) throws(MemFluxError) -> SQLType {
        let x = a.withoutModifiers
        if x.isNumber || x == .dynamic { return x }
        if x == .unknown { throw MemFluxError(.err, "operator is not unique: - unknown") }
        throw MemFluxError(.err, "operator does not exist: - \(a.nameWithoutModifiers)")
    }

    private static func isArithmeticOperand(_ t: SQLType) -> Bool {
        t.isNumber || t == .dynamic || t == .unknown || t == .date || t == .time || t == .timestamp || t == .timestamptz
    }

    private static func integerRank(_ t: SQLType) -> Int {
        switch t {
        case .smallint: 0
        case .integer: 1
        default: 2
        }
    }

    private static func dateOperatorType(_ op: String, _ x: SQLType, _ y: SQLType, noOperator: MemFluxError) throws(MemFluxError) -> SQLType? {
        let dateTypes: [SQLType] = [.date, .time, .timestamp, .timestamptz]
        guard dateTypes.contains(x) || dateTypes.contains(y) else { return nil }
        let smallInteger = { (t: SQLType) in t == .integer || t == .smallint }
        switch (op, x, y) {
        case ("+", .date, _) where smallInteger(y), ("+", _, .date) where smallInteger(x), ("-", .date, _) where smallInteger(y):
            return .date
        case ("-", .date, .date):
            return .integer
        case ("+", .date, .time), ("+", .time, .date):
            return .timestamp
        default:
            throw noOperator
        }
    }

    private static func concatenationType(_ x: SQLType, _ y: SQLType, noOperator: MemFluxError) throws(MemFluxError) -> SQLType {
        switch (x, y) {
        case (.array(let p), .array(let q)):
            if p == q || p == .unknown || q == .unknown || p == .dynamic || q == .dynamic { return p == .unknown || p == .dynamic ? y : x }
            throw noOperator
        case (.array(let p), _):
            guard y == .unknown || y == .dynamic || p == y || p.isNumber && y.isNumber else { throw noOperator }
            return x
        case (_, .array(let q)):
            guard x == .unknown || x == .dynamic || q == x || q.isNumber && x.isNumber else { throw noOperator }
            return y
        case (.jsonb, .jsonb):
            return .jsonb
        case (.dynamic, .dynamic):
            return .dynamic
        default:
            guard x.isText || y.isText || x == .unknown || y == .unknown || x == .dynamic || y == .dynamic else { throw noOperator }
            return .text
        }
    }

    /// Whether `=`/`<` exist for the pair (after an untyped literal takes the other's type).
    static func comparable(_ x: SQLType, _ y: SQLType) -> Bool {
        if x == .unknown || y == .unknown || x == .dynamic || y == .dynamic { return true }
        if x.isNumber && y.isNumber { return true }
        let instants: [SQLType] = [.date, .timestamp, .timestamptz]
        if instants.contains(x) && instants.contains(y) { return true }
        switch (x, y) {
        case (.array(let p), .array(let q)): return comparable(p, q)
        case (.json, _), (_, .json): return false  // json has no comparison operators; jsonb does
        default: return x == y
        }
    }
}

extension SQLType {
    package var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// The name in operator errors, without length or precision: `character varying + integer`.
    var nameWithoutModifiers: String {
        switch self {
        case .varchar: "character varying"
        case .char: "character"
        case .numeric: "numeric"
        case .array(let element): element.nameWithoutModifiers + "[]"
        default: postgresName
        }
    }
}
