// The executor's bridge to the value semantics in MemFluxCore/SQL: operator
// dispatch, implicit text conversion for `||` and LIKE, and coercion of a
// branch's value to the type the binder chose for CASE / COALESCE.

import MemFluxCore

enum Arithmetic {
    static func apply(_ op: BinaryOperator, _ a: SQLValue, _ b: SQLValue, type: SQLType) throws(MemFluxError) -> SQLValue {
        switch op {
        case .add: return try SQLArithmetic.add(a, b, type: type)
        case .subtract: return try SQLArithmetic.subtract(a, b, type: type)
        case .multiply: return try SQLArithmetic.multiply(a, b, type: type)
        case .divide: return try SQLArithmetic.divide(a, b, type: type)
        case .modulo: return try SQLArithmetic.modulo(a, b, type: type)
        case .power: return try SQLArithmetic.power(a, b, type: type)
        default: throw MemFluxError(.err, "operator does not exist: \(op.rawValue)")
        }
    }

    /// The text form of a value, as `||` and LIKE read their operands. `||` reads
    /// character(n) without its padding (bpchar → text); LIKE matches the padded value,
    /// as PostgreSQL's bpcharlike does.
    static func asText(_ value: SQLValue, _ type: SQLType, keepingPadding: Bool = false) throws(MemFluxError) -> SQLValue {
        switch value {
        case .null: return value
        case .text where keepingPadding || !type.isPaddedCharacter: return value
        case .json(.string(let s)) where type == .dynamic: return .text(s)
        default: return try SQLCast.cast(value, from: type, to: .text, explicit: true)
        }
    }

    static func concatenate(_ a: SQLValue, _ aType: SQLType, _ b: SQLValue, _ bType: SQLType) throws(MemFluxError) -> SQLValue {
        if case .array(let left) = a {
            if case .array(let right) = b { return .array(left + right) }
            return .array(left + [b])
        }
        if case .array(let right) = b { return .array([a] + right) }
        guard case .text(let left) = try asText(a, aType), case .text(let right) = try asText(b, bType) else { return .null }
        return .text(left + right)
    }

    /// `value` (of type `from`) as the common type `to` of a CASE or COALESCE.
    static func coerce(_ value: SQLValue, from: SQLType, to: SQLType) throws(MemFluxError) -> SQLValue {
        if from == to || to == .dynamic || to == .unknown || value.isNull { return value }
        return try SQLCast.cast(value, from: from, to: to, explicit: false)
    }

    /// The type a running SUM keeps when its argument's type is known only per value (schemaless columns):
    /// integers stay exact as bigint, any double makes it double, a numeric makes it numeric.
    static func sumType(_ a: SQLValue, _ b: SQLValue) -> SQLType {
        switch (a, b) {
        case (.double, _), (_, .double): return .double
        case (.numeric, _), (_, .numeric): return .numeric(precision: nil, scale: nil)
        case (.int, _), (_, .int): return .bigint
        default: return .numeric(precision: nil, scale: nil)
        }
    }
}

extension SQLType {
    var isPaddedCharacter: Bool {
        if case .char = self { return true }
        return false
    }
}
