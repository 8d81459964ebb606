// Threads that help a caller with work it can divide (the shards of a
// parallel scan). The caller does its share itself and helpers join while it
// works, so the work finishes on the caller's thread alone when every helper
// is busy or starved, and a caller never waits for a helper to start, only
// for the helpers that joined to return. The helpers are batch threads
// (BatchPriority), started once and kept for the life of the process.

#if canImport(Glibc)
import Glibc
#endif

public final class HelperThreads: @unchecked Sendable {
    /// One helper per core but two: with its caller, a call leaves a core to
    /// the rest of the process (the server's event loops). With every core
    /// busy, a thread that wakes (an event loop given a PING) may wait for the
    /// next scheduler tick, 4 ms here, and a PING's round trip has two or three
    /// such wake-ups: measured here, COUNTs scanned on both cores of two held
    /// PINGs up to 12-15 ms, whatever the helpers' priority.
    public static let shared = HelperThreads(count: max(0, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 2))

    /// How many helpers were asked for; a call has at most one more participant.
    public let count: Int

    /// Guards `open` and every job's counts.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a job opens, for idle helpers.
    private let jobOpened = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Broadcast when a helper leaves a job, for callers waiting on theirs.
    private let helperLeft = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Jobs that helpers may still join, oldest first.
    private var open: [Job] = []

    private final class Job {
        /// Valid only until the caller's `run` returns; no helper calls it after the job has closed and none is active.
        nonisolated(unsafe) let work: (Int) -> Void
        let participants: Int
        var joined = 1  // the caller is participant 0
        var active = 0

        init(work: @escaping (Int) -> Void, participants: Int) {
            self.work = work
            self.participants = participants
        }
    }

    public init(count: Int) {
        self.count = count
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(jobOpened, nil)
        pthread_cond_init(helperLeft, nil)
        for _ in 0..<count { start() }
    }

    /// Calls `work(0)` on the calling thread and `work(p)`, p in 1..<participants,
    /// on each helper that joins while that call runs; returns when every call
    /// has returned. Each call takes its share from state the calls share (the
    /// next shard to walk) and returns when none is left, so `work(0)` alone
    /// must be able to do all of it.
    public func run(participants: Int, _ work: (Int) -> Void) {
        guard participants > 1, count > 0 else { return work(0) }
        withoutActuallyEscaping(work) { work in
            let job = Job(work: work, participants: min(participants, count + 1))
            pthread_mutex_lock(mutex)
            open.append(job)
            pthread_cond_broadcast(jobOpened)
            pthread_mutex_unlock(mutex)
            work(0)
            pthread_mutex_lock(mutex)
            open.removeAll { $0 === job }
            while job.active > 0 { pthread_cond_wait(helperLeft, mutex) }
            pthread_mutex_unlock(mutex)
        }
    }

    private func start() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<HelperThreads>.fromOpaque(context).takeRetainedValue().help()
        }, context)
        if started == 0 { pthread_detach(thread) } else { Unmanaged<HelperThreads>.fromOpaque(context).release() }
    }

    /// A helper's life: join the oldest open job with room, do its work, repeat.
    private func help() -> Never {
        BatchPriority.lowerCallingThread()
        pthread_mutex_lock(mutex)
        while true {
            guard let job = open.first(where: { $0.joined < $0.participants }) else {
                pthread_cond_wait(jobOpened, mutex)
                continue
            }
            let participant = job.joined
            job.joined += 1
            job.active += 1
            pthread_mutex_unlock(mutex)
            job.work(participant)
            pthread_mutex_lock(mutex)
            job.active -= 1
            pthread_cond_broadcast(helperLeft)
        }
    }
}
