// Type names, for CAST, `::`, typed literals and column definitions, with
// PostgreSQL's spellings and aliases and its checks of type modifiers.
// Arrays: `t[]`, `t[3]`, `t ARRAY`, `t ARRAY[3]`; each `[]` wraps once more
// (`int[][]` is an array of arrays of integer).

import MemFluxCore

extension Parser {
    /// A type name with its modifiers and array bounds. `allowSerial`: column definitions also take
    /// serial / bigserial / smallserial (their integer type: the sequence default is not made here).
    mutating func parseType(allowSerial: Bool = false) throws(MemFluxError) -> SQLType {
        var type = try parseBaseType(allowSerial: allowSerial)
        while true {
            if current.kind == .leftBracket {
                advance()
                if current.kind == .integer { advance() }
                try expect(.rightBracket)
                type = .array(type)
            } else if isKeyword(.array) {
                advance()
                if current.kind == .leftBracket {
                    advance()
                    guard current.kind == .integer else { throw syntaxError() }
                    advance()
                    try expect(.rightBracket)
                }
                return .array(type)
            } else {
                return type
            }
        }
    }

    /// An integer type modifier `(n)`'s value, saturated.
    private mutating func parseModifierValue() throws(MemFluxError) -> (Int, Int) {
        let token = current
        guard token.kind == .integer else { throw syntaxError() }
        advance()
        var value = 0
        for i in token.start..<token.end where bytes[i] != UInt8(ascii: "_") {
            value = min(value * 10 + Int(bytes[i] &- UInt8(ascii: "0")), Int(Int32.max))
        }
        return (value, token.start)
    }

    /// `( n )` if present.
    private mutating func parseOptionalLength() throws(MemFluxError) -> (Int, Int)? {
        guard accept(.leftParen) else { return nil }
        let value = try parseModifierValue()
        try expect(.rightParen)
        return value
    }

    /// A length modifier checked as PostgreSQL checks it; errors point at the type name (`at`).
    private func checkLength(_ length: (Int, Int)?, _ typeName: String, at position: Int) throws(MemFluxError) -> Int? {
        guard let (value, _) = length else { return nil }
        if value < 1 { throw error(.err, "length for type \(typeName) must be at least 1", at: position) }
        if value > 10_485_760 { throw error(.err, "length for type \(typeName) cannot exceed 10485760", at: position) }
        return value
    }

    /// `[WITH | WITHOUT] TIME ZONE`: true for WITH, false for WITHOUT, nil when absent.
    private mutating func parseTimeZoneClause() throws(MemFluxError) -> Bool? {
        let with: Bool
        if accept(.with) {
            with = true
        } else if accept(.without) {
            with = false
        } else {
            return nil
        }
        try expect(.time)
        try expect(.zone)
        return with
    }

    private mutating func parseBaseType(allowSerial: Bool) throws(MemFluxError) -> SQLType {
        let token = current
        switch token.kind {
        case .quotedIdentifier:
            advance()
            return try namedType([name(of: token)], at: token.start, allowSerial: allowSerial)
        case .identifier:
            break
        default:
            throw syntaxError()
        }
        switch token.keyword {
        case .int, .integer:
            advance()
            return .integer
        case .smallint:
            advance()
            return .smallint
        case .bigint:
            advance()
            return .bigint
        case .real:
            advance()
            return .real
        case .double:
            advance()
            try expect(.precision)
            return .double
        case .float:
            advance()
            guard let (precision, position) = try parseOptionalLength() else { return .double }
            if precision < 1 { throw error(.err, "precision for type float must be at least 1 bit", at: position) }
            if precision > 53 { throw error(.err, "precision for type float must be less than 54 bits", at: position) }
            return precision <= 24 ? .real : .double
        case .numeric, .decimal, .dec:
            advance()
            guard accept(.leftParen) else { return .numeric(precision: nil, scale: nil) }
            let (precision, _) = try parseModifierValue()
            var scale = 0
            if accept(.comma) {
                if current.kind == .minus {
                    advance()
                    scale = -(try parseModifierValue().0)
                } else {
                    scale = try parseModifierValue().0
                }
            }
            try expect(.rightParen)
            if precision < 1 || precision > 1000 {
                throw error(.err, "NUMERIC precision \(precision) must be between 1 and 1000", at: token.start)
            }
            if scale < -1000 || scale > 1000 {
                throw error(.err, "NUMERIC scale \(scale) must be between -1000 and 1000", at: token.start)
            }
            return .numeric(precision: precision, scale: scale)
        case .boolean:
            advance()
            return .boolean
        case .varchar:
            advance()
            return .varchar(try checkLength(try parseOptionalLength(), "varchar", at: token.start))
        case .char, .character, .national:
            advance()
            if token.keyword == .national {
                guard accept(.character) || accept(.char) else { throw syntaxError() }
            }
            if accept(.varying) { return .varchar(try checkLength(try parseOptionalLength(), "varchar", at: token.start)) }
            return .char(try checkLength(try parseOptionalLength(), "char", at: token.start) ?? 1)
        case .timestamp:
            advance()
            _ = try parseOptionalLength()
            return try parseTimeZoneClause() == true ? .timestamptz : .timestamp
        case .time:
            advance()
            _ = try parseOptionalLength()
            if try parseTimeZoneClause() == true {
                throw error(.err, "type \"time with time zone\" does not exist", at: token.start)
            }
            return .time
        case .notKeyword:
            break
        default:
            guard token.keyword.category == .unreserved else {
                if token.keyword.category == .columnName {
                    // INTERVAL, BIT, ...: PostgreSQL types MemFlux does not have.
                    throw error(.err, "type \"\(name(of: token))\" does not exist", at: token.start)
                }
                throw syntaxError()
            }
        }
        var parts = [name(of: token)]
        advance()
        while current.kind == .dot && isLabel(peek()) {
            advance()
            parts.append(name(of: current))
            advance()
        }
        let type = try namedType(parts, at: token.start, allowSerial: allowSerial)
        if current.kind == .leftParen {
            switch type {
            case .char(nil):  // bpchar(n)
                return .char(try checkLength(try parseOptionalLength(), "char", at: token.start))
            case .varchar(nil):
                return .varchar(try checkLength(try parseOptionalLength(), "varchar", at: token.start))
            case .timestamptz, .timestamp, .time:
                _ = try parseOptionalLength()
                return type
            default:
                throw error(.syntax, "type modifier is not allowed for type \"\(parts.last!)\"", at: token.start)
            }
        }
        return type
    }

    /// A type by its name (after `pg_catalog.` if qualified so): PostgreSQL's internal names and aliases.
    func namedType(_ parts: [String], at position: Int, allowSerial: Bool) throws(MemFluxError) -> SQLType {
        let notFound = error(.err, "type \"\(parts.joined(separator: "."))\" does not exist", at: position)
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "pg_catalog") else { throw notFound }
        let name = parts[parts.count - 1]
        if allowSerial && parts.count == 1 {
            switch name {
            case "serial", "serial4": return .integer
            case "bigserial", "serial8": return .bigint
            case "smallserial", "serial2": return .smallint
            default: break
            }
        }
        switch name {
        case "int2", "smallint": return .smallint
        case "int4", "int", "integer": return .integer
        case "int8", "bigint": return .bigint
        case "float4", "real": return .real
        case "float8": return .double
        case "numeric", "decimal": return .numeric(precision: nil, scale: nil)
        case "bool", "boolean": return .boolean
        case "text": return .text
        case "varchar": return .varchar(nil)
        case "bpchar": return .char(nil)
        case "bytea": return .bytea
        case "date": return .date
        case "time": return .time
        case "timestamp": return .timestamp
        case "timestamptz": return .timestamptz
        case "json": return .json
        case "jsonb": return .jsonb
        case "uuid": return .uuid
        default: throw notFound
        }
    }
}
