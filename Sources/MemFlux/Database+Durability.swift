// When a write may be answered (section 7's durability), decided here once
// for every front door. A front door takes `durabilityMark()` before running
// a command; when `mustAwaitDurability(since:)` after it, the answer waits
// until `makeDurable()` has run. The embedded API waits on the calling
// thread; the server parks the reply and makes a whole event-loop round
// durable with one write (and fsync). Errors wait too: a failing command may
// have written before it failed.

import MemFluxCore
import MemFluxPersistence

extension Database {
    /// The log position a command's answer is measured against.
    public func durabilityMark() -> UInt64 {
        persistence?.log.appended ?? 0
    }

    /// Whether a command run since `mark` logged writes that are not yet as
    /// durable as configured (never with persistence off or durability none).
    public func mustAwaitDurability(since mark: UInt64) -> Bool {
        guard let log = persistence?.log else { return false }
        return log.appended != mark && !log.isCaughtUp
    }

    /// Whether everything logged so far is as durable as configured.
    public var isDurable: Bool { persistence?.log.isCaughtUp ?? true }

    /// Makes everything logged so far as durable as configured; false while
    /// the disk refuses (then writes are refused with MISCONF until it accepts).
    @discardableResult
    public func makeDurable() -> Bool {
        persistence?.log.catchUp() ?? true
    }

    /// `makeDurable`, failing with MISCONF when the disk refuses.
    func awaitDurability() throws(MemFluxError) {
        guard let log = persistence?.log, !log.catchUp() else { return }
        throw Database.logFailing(log)
    }

    /// MISCONF while the log cannot be written: a write must not be accepted.
    public func refuseWritesWhileLogFails() throws(MemFluxError) {
        if let log = persistence?.log, log.isFailing { throw Database.logFailing(log) }
    }

    static func logFailing(_ log: WriteAheadLog) -> MemFluxError {
        MemFluxError(.misconf, "Errors writing to the write-ahead log: \(log.lastError?.description ?? "unknown error")")
    }
}
