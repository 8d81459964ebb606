// Which operand types PostgreSQL's operators accept, where the value layer
// alone would accept more (it converts anything to text for `||` and LIKE):
//
// - `||` is text concatenation when either side is a character type or an
//   untyped literal (`anynonarray || text`), else array or jsonb or bytea
//   concatenation; `1 || 2` is `operator does not exist: integer || integer`.
// - `->` and the other JSON operators take json and jsonb.
// - LIKE and ILIKE (`~~`, `~~*`) take character types (or bytea, both sides);
//   character(n) matches with its padding, as bpcharlike does.
// - character(n) compares without its padding: against text or varchar it is
//   cast to text (bpchar → text drops the trailing spaces), and two character
//   types of different lengths compare as texts, as bpchareq does. Two values
//   of one character(n) type are padded alike and compare as they are, which
//   keeps key lookups on such columns.

import MemFluxCore

extension Binder {
    func checkConcatenation(_ left: SQLType, _ right: SQLType, at position: Int) throws(MemFluxError) {
        if left.isCharacterLike || right.isCharacterLike { return }
        if case .array = left { return }
        if case .array = right { return }
        if left == right && (left == .jsonb || left == .bytea) { return }
        throw MemFluxError(.err, "operator does not exist: \(left.postgresName) || \(right.postgresName)", position: position)
    }

    /// `->`, `->>`, `#>`, `#>>` exist for json and jsonb (and a schemaless field, which holds JSON).
    func checkJSONOperand(_ op: BinaryOperator, _ left: SQLType, _ right: SQLType, at position: Int) throws(MemFluxError) {
        switch left {
        case .json, .jsonb, .dynamic: return
        case .unknown: throw MemFluxError(.err, "operator is not unique: unknown \(op.rawValue) \(right.postgresName)", position: position)
        default: throw MemFluxError(.err, "operator does not exist: \(left.postgresName) \(op.rawValue) \(right.postgresName)", position: position)
        }
    }

    /// `operator does not exist: integer ~~ unknown` for LIKE on a non-character operand.
    func checkPatternMatch(
        _ value: SQLType, _ pattern: SQLType, caseInsensitive: Bool, negated: Bool, hasEscape: Bool, at position: Int
    ) throws(MemFluxError) {
        // ESCAPE makes the pattern like_escape(pattern, escape), which is text.
        let patternType = hasEscape ? SQLType.text : pattern
        if value.isCharacterLike && patternType.isCharacterLike { return }
        if value == .bytea && (patternType == .bytea || patternType == .unknown) && !caseInsensitive { return }
        let name = (negated ? "!" : "") + (caseInsensitive ? "~~*" : "~~")
        throw MemFluxError(.err, "operator does not exist: \(value.postgresName) \(name) \(patternType.postgresName)", position: position)
    }

    /// The operands of a comparison with character(n) read as PostgreSQL reads them (see the header).
    func characterComparison(_ a: BoundExpression, _ b: BoundExpression) -> (BoundExpression, BoundExpression) {
        switch (a.type, b.type) {
        case (.char(let m), .char(let n)) where (m ?? 1) != (n ?? 1): return (unpadded(a), unpadded(b))
        case (.char, .text), (.char, .varchar): return (unpadded(a), b)
        case (.text, .char), (.varchar, .char): return (a, unpadded(b))
        default: return (a, b)
        }
    }

    /// A character(n) expression as text, without its trailing spaces.
    private func unpadded(_ e: BoundExpression) -> BoundExpression {
        if case .constant(let value, let type) = e, let text = try? SQLCast.cast(value, from: type, to: .text) {
            return .constant(text, .text)
        }
        return .cast(e, .text)
    }
}

extension SQLType {
    /// The character types, an untyped literal, and a schemaless field (which may hold text).
    var isCharacterLike: Bool {
        switch self {
        case .text, .varchar, .char, .unknown, .dynamic: true
        default: false
        }
    }
}
