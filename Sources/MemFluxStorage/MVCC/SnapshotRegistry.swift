// SnapshotRegistry: the commit clock and the set of open snapshots.
//
// Writers ask one question on every write: "can any open snapshot still read
// the version I am about to replace?" The answer is kept in one atomic word,
// `horizon`, the newest open snapshot (0 when none), so the auto-commit fast
// path costs an atomic load. Ordering argument: a writer first takes its
// commit sequence number from `clock`, then loads `horizon`; a snapshot first
// raises `horizon` to the maximum, then reads `clock`. If the writer saw the old
// horizon, its sequence number is at or below the new snapshot's, so that
// snapshot reads the writer's new version (it waits on the shard lock the
// writer holds) and never needs the one replaced in place.

import Synchronization

public final class SnapshotRegistry: Sendable {
    /// Last commit sequence number handed out.
    let clock = Atomic<UInt64>(0)
    /// Newest open snapshot, or 0 when none is open; UInt64.max while one is opening.
    let horizon = Atomic<UInt64>(0)
    private let open = Mutex<[UInt64: Int]>([:])

    public init() {}

    /// Moves the clock forward to `sequence` (recovery: new commits number after the recovered ones).
    func advanceClock(to sequence: UInt64) {
        if sequence > clock.load(ordering: .relaxed) { clock.store(sequence, ordering: .sequentiallyConsistent) }
    }

    /// The newest commit sequence number handed out.
    public var lastSequence: UInt64 { clock.load(ordering: .sequentiallyConsistent) }

    /// Hands out the next commit sequence number.
    func nextSequence() -> UInt64 {
        clock.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
    }

    /// True when some open snapshot may read a version committed at `sequence`.
    func isVisibleToOpenSnapshot(_ sequence: UInt64) -> Bool {
        sequence <= horizon.load(ordering: .sequentiallyConsistent)
    }

    /// Opens a snapshot of everything committed so far; close it with `release`.
    public func acquire() -> UInt64 {
        open.withLock { open in
            horizon.store(.max, ordering: .sequentiallyConsistent)
            let snapshot = clock.load(ordering: .sequentiallyConsistent)
            open[snapshot, default: 0] += 1
            horizon.store(open.keys.max() ?? 0, ordering: .sequentiallyConsistent)
            return snapshot
        }
    }

    /// The oldest open snapshot, or nil when none is open.
    public func oldestOpen() -> UInt64? {
        open.withLock { $0.keys.min() }
    }

    public func release(_ snapshot: UInt64) {
        open.withLock { open in
            guard let n = open[snapshot] else { preconditionFailure("releasing a snapshot that is not open") }
            if n == 1 { open[snapshot] = nil } else { open[snapshot] = n - 1 }
            horizon.store(open.keys.max() ?? 0, ordering: .sequentiallyConsistent)
        }
    }
}
