// LiveSettings: the settings in force, which CONFIG SET changes while the
// database runs, shared by every front door. Most settings are fixed when the
// database opens (Database.configuration); those read on every command are
// mirrored in atomics so reading them takes no lock.

import MemFluxCore
import Synchronization

public final class LiveSettings: Sendable {
    private let state: Mutex<Configuration>
    /// `slowlog_log_slower_than` in microseconds (negative: off).
    public let slowlogThreshold: Atomic<Int>
    public let slowlogMaxLength: Atomic<Int>

    init(_ configuration: Configuration) {
        state = Mutex(configuration)
        slowlogThreshold = Atomic(configuration.slowlogLogSlowerThanMicroseconds)
        slowlogMaxLength = Atomic(configuration.slowlogMaxLen)
    }

    public var current: Configuration { state.withLock { $0 } }

    /// Changes settings and the atomics mirroring them; answers the settings now in force.
    @discardableResult
    func update(_ body: (inout Configuration) -> Void) -> Configuration {
        let updated = state.withLock { c -> Configuration in
            body(&c)
            return c
        }
        slowlogThreshold.store(updated.slowlogLogSlowerThanMicroseconds, ordering: .relaxed)
        slowlogMaxLength.store(updated.slowlogMaxLen, ordering: .relaxed)
        return updated
    }
}
