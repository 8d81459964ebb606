// CommandContext: what a handler sees — its arguments, the session it runs
// in, and the keyspace — plus the argument parsers every family shares, so
// each handler validates all input before it touches state.

import MemFluxCore
import MemFluxStorage

public struct CommandContext {
    public let args: [Bytes]
    public let session: Session

    @inlinable public var database: Database { session.database }
    /// The keyspace through the session's open transaction, if any.
    @inlinable public var keyspace: KeyAccess { KeyAccess(keyspace: session.keyspace, transaction: session.transaction) }
    @inlinable public var count: Int { args.count }

    @inlinable
    public subscript(_ i: Int) -> Bytes { args[i] }

    /// The command name as Redis quotes it in errors (lowercase).
    public var commandName: String { args[0].lowercasedASCII().string }

    @inlinable
    public func int(_ i: Int) throws(MemFluxError) -> Int64 {
        guard let v = args[i].parseInt64() else { throw .notInteger }
        return v
    }

    @inlinable
    public func int(_ i: Int, error: MemFluxError) throws(MemFluxError) -> Int64 {
        guard let v = args[i].parseInt64() else { throw error }
        return v
    }

    public func float(_ i: Int) throws(MemFluxError) -> Float80 {
        guard let v = args[i].parseLongDouble() else { throw .notFloat }
        return v
    }

    /// A timeout in seconds for blocking commands, as Redis reads it: a float
    /// (not NaN), not negative, with a deadline in Unix milliseconds that fits
    /// in 64 bits (so `inf` and 1e300 are out of range, not "forever").
    public func timeout(_ i: Int) throws(MemFluxError) -> Double {
        guard let v = args[i].parseLongDouble() else { throw .timeoutNotFloat }
        guard v >= 0 else { throw .timeoutNegative }
        guard v * 1000 < Float80(Int64.max - WallClock.nowMilliseconds()) else { throw .timeoutOutOfRange }
        return Double(v)
    }

    /// Wakes clients blocked on `key` (call after a write that may have added list elements).
    public func signalReady(_ key: Bytes) {
        session.blocking.signal(key)
    }
}
