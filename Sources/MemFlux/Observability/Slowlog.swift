// Slowlog: the last `slowlog_max_len` commands that ran at least
// `slowlog_log_slower_than` microseconds, as SLOWLOG GET shows them. Only
// slow commands take the lock; arguments are truncated as Redis truncates
// them (32 arguments, 128 bytes each) so a huge request is not kept alive.

import MemFluxCore
import MemFluxStorage
import Synchronization

public final class Slowlog: Sendable {
    public struct Entry: Sendable {
        public let id: Int64
        public let unixTime: Int64
        public let microseconds: Int64
        public let args: [Bytes]
        public let client: String
        public let name: String
    }

    static let maxArguments = 32
    static let maxArgumentLength = 128

    private struct State {
        var nextID: Int64 = 0
        /// Oldest first.
        var entries: [Entry] = []
    }

    private let state = Mutex(State())

    public func record(args: [Bytes], microseconds: Int64, client: String, name: String, maxLength: Int) {
        guard maxLength > 0 else { return }
        var kept: [Bytes] = []
        for (i, arg) in args.enumerated() {
            if i == Self.maxArguments - 1 && args.count > Self.maxArguments {
                kept.append(Bytes("... (\(args.count - i) more arguments)"))
                break
            }
            if arg.count > Self.maxArgumentLength {
                kept.append(arg[0..<Self.maxArgumentLength] + Bytes("... (\(arg.count - Self.maxArgumentLength) more bytes)"))
            } else {
                kept.append(arg)
            }
        }
        let now = WallClock.nowMilliseconds() / 1000
        state.withLock { s in
            s.entries.append(Entry(id: s.nextID, unixTime: now, microseconds: microseconds, args: kept, client: client, name: name))
            s.nextID += 1
            if s.entries.count > maxLength { s.entries.removeFirst(s.entries.count - maxLength) }
        }
    }

    /// The newest `count` entries, newest first (all when nil).
    func newest(_ count: Int?) -> [Entry] {
        state.withLock { s in Array(s.entries.reversed().prefix(count ?? s.entries.count)) }
    }

    public var count: Int { state.withLock { $0.entries.count } }

    func reset() { state.withLock { $0.entries.removeAll() } }

    func trim(to maxLength: Int) {
        state.withLock { s in
            if s.entries.count > maxLength { s.entries.removeFirst(s.entries.count - maxLength) }
        }
    }
}
