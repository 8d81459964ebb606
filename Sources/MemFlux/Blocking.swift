// BlockingRegistry: clients parked by BLPOP/BRPOP/BLMOVE, by key. A push
// signals the key; every waiter on it is woken and retries its command, and
// a waiter that loses the race parks again. Waiters are callbacks, so the same
// registry serves a thread waiting in `Session.execute` and a network
// connection parked without holding a thread.

import MemFluxCore
import Synchronization

public final class BlockingWaiter: Sendable {
    let wake: @Sendable () -> Void
    public init(wake: @escaping @Sendable () -> Void) { self.wake = wake }
}

public final class BlockingRegistry: Sendable {
    private let waiters = Mutex<[Bytes: [BlockingWaiter]]>([:])
    /// Number of parked registrations; lets `signal` skip the lock when nobody waits.
    private let parked = Atomic<Int>(0)

    public init() {}

    public func park(_ waiter: BlockingWaiter, on keys: [Bytes]) {
        waiters.withLock { table in
            for key in keys { table[key, default: []].append(waiter) }
        }
        parked.add(keys.count, ordering: .sequentiallyConsistent)
    }

    public func unpark(_ waiter: BlockingWaiter, from keys: [Bytes]) {
        let removed = waiters.withLock { table -> Int in
            var removed = 0
            for key in keys {
                guard var list = table[key] else { continue }
                let before = list.count
                list.removeAll { $0 === waiter }
                removed += before - list.count
                table[key] = list.isEmpty ? nil : list
            }
            return removed
        }
        parked.subtract(removed, ordering: .sequentiallyConsistent)
    }

    /// Wakes everyone parked on `key`; they unpark themselves when they retry.
    @inlinable
    public func signal(_ key: Bytes) {
        guard hasWaiters else { return }
        wakeAll(key)
    }

    @usableFromInline
    var hasWaiters: Bool { parked.load(ordering: .sequentiallyConsistent) > 0 }

    @usableFromInline
    func wakeAll(_ key: Bytes) {
        let toWake = waiters.withLock { $0[key] ?? [] }
        for waiter in toWake { waiter.wake() }
    }
}
