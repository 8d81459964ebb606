#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import MemFluxCore

@Suite struct HelperThreadsTests {
    /// Items 0..<count taken one at a time by whichever participant comes first; each participant sums what it took.
    private final class Shares: @unchecked Sendable {
        let next = Atomic<Int>(0)
        let count: Int
        var sums: [Int]
        var seen: [Int]

        init(count: Int, participants: Int) {
            self.count = count
            sums = Array(repeating: 0, count: participants)
            seen = Array(repeating: 0, count: participants)
        }

        func take(as participant: Int) {
            seen[participant] += 1
            while case let item = next.wrappingAdd(1, ordering: .relaxed).oldValue, item < count { sums[participant] += item }
        }
    }

    @Test func everyItemIsTakenOnceWhoeverJoins() {
        let helpers = HelperThreads(count: 2)
        for participants in [1, 2, 3, 7] {
            let shares = Shares(count: 100_000, participants: max(participants, 3))
            helpers.run(participants: participants) { shares.take(as: $0) }
            #expect(shares.sums.reduce(0, +) == 99_999 * 100_000 / 2, "participants \(participants)")
            #expect(shares.seen[0] == 1, "the caller always takes part")
            #expect(shares.seen.allSatisfy { $0 <= 1 }, "no participant number twice")
            #expect(shares.seen.reduce(0, +) <= min(participants, 3), "at most one participant per helper, plus the caller")
        }
    }

    @Test func helpersJoinAnOpenJobAtBatchPriority() {
        let helpers = HelperThreads(count: 1)
        let joined = Atomic<Bool>(false)
        let nice = Mutex<Int32?>(nil)
        let processNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        helpers.run(participants: 2) { participant in
            if participant == 0 {
                // The caller's share waits for the helper, which an open job wakes.
                for _ in 0..<10_000 where !joined.load(ordering: .acquiring) { usleep(1000) }
            } else {
                BatchPriority.lowerCallingThread()  // idempotent
                nice.withLock { $0 = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
                joined.store(true, ordering: .releasing)
            }
        }
        let helperJoined = joined.load(ordering: .acquiring)
        #expect(helperJoined)
        #expect(nice.withLock { $0 } == min(19, processNice + BatchPriority.niceIncrement))
    }

    @Test func jobsFromSeveralCallersAtOnce() {
        let helpers = HelperThreads(count: 2)
        let callers = (0..<4).map { _ in Shares(count: 200_000, participants: 3) }
        onThreads(callers.count) { caller in
            for _ in 0..<20 {
                let shares = Shares(count: 10_000, participants: 3)
                helpers.run(participants: 3) { shares.take(as: $0) }
                callers[caller].sums[0] += shares.sums.reduce(0, +)
            }
        }
        for shares in callers { #expect(shares.sums[0] == 20 * (9_999 * 10_000 / 2)) }
    }

    /// Runs `body(0)` ... `body(count - 1)` on threads of their own at once and waits for them.
    private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let threads = (0..<count).map { index -> pthread_t in
            var thread = pthread_t()
            let context = Unmanaged.passRetained({ body(index) } as AnyObject).toOpaque()
            let started = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                (Unmanaged<AnyObject>.fromOpaque(context).takeRetainedValue() as? () -> Void)?()
                return nil
            }, context)
            #expect(started == 0)
            return thread
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
