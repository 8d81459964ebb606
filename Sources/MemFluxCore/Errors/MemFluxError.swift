// MemFluxError: the one error type every layer throws (typed throws, no boxing).
//
// A code and a message, rendered by the front door as `-CODE message` in RESP
// or as an error reply in the C ABI. Handlers throw; only front doors render.
// The common errors are constants carrying Redis 7's exact text, so replies
// match redis-server byte for byte.

/// The leading word of an error reply (`ERR`, `WRONGTYPE`, ...).
public struct ErrorCode: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let err = ErrorCode(rawValue: "ERR")
    public static let wrongType = ErrorCode(rawValue: "WRONGTYPE")
    public static let noAuth = ErrorCode(rawValue: "NOAUTH")
    public static let oom = ErrorCode(rawValue: "OOM")
    public static let serialization = ErrorCode(rawValue: "SERIALIZATION")
    public static let syntax = ErrorCode(rawValue: "SYNTAX")
    public static let execAbort = ErrorCode(rawValue: "EXECABORT")
    /// The write-ahead log cannot be written: writes are refused (Redis's answer when its AOF fails).
    public static let misconf = ErrorCode(rawValue: "MISCONF")
}

public struct MemFluxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    /// Byte offset into a statement (SQL, Cypher, JSON text) where the error was found.
    public var position: Int?

    public init(_ code: ErrorCode, _ message: String, position: Int? = nil) {
        self.code = code
        self.message = message
        self.position = position
    }

    /// `CODE message`, the text after `-` in a RESP error.
    public var description: String { "\(code.rawValue) \(message)" }
}

extension MemFluxError {
    public static let wrongType = MemFluxError(.wrongType, "Operation against a key holding the wrong kind of value")
    public static let syntax = MemFluxError(.err, "syntax error")
    public static let notInteger = MemFluxError(.err, "value is not an integer or out of range")
    public static let notFloat = MemFluxError(.err, "value is not a valid float")
    public static let overflow = MemFluxError(.err, "increment or decrement would overflow")
    public static let noSuchKey = MemFluxError(.err, "no such key")
    public static let indexOutOfRange = MemFluxError(.err, "index out of range")
    public static let invalidExpireTime = MemFluxError(.err, "invalid expire time in 'set' command")
    public static let notPositive = MemFluxError(.err, "value is out of range, must be positive")
    public static let timeoutNotFloat = MemFluxError(.err, "timeout is not a float or out of range")
    public static let timeoutNegative = MemFluxError(.err, "timeout is negative")
    public static let timeoutOutOfRange = MemFluxError(.err, "timeout is out of range")
    public static let stringTooLong = MemFluxError(.err, "string exceeds maximum allowed size (proto-max-bulk-len)")

    public static func wrongArity(_ command: String) -> MemFluxError {
        MemFluxError(.err, "wrong number of arguments for '\(command)' command")
    }

    /// Redis's reply to an unknown command, quoting up to the first arguments.
    public static func unknownCommand(_ name: String, args: [String]) -> MemFluxError {
        var text = "unknown command '\(name)', with args beginning with: "
        for arg in args.prefix(20) { text += "'\(arg)' " }
        return MemFluxError(.err, text)
    }
}
