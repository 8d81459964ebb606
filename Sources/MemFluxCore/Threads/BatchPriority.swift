// Long work on threads of its own (a statement the server runs off its event
// loops, the helpers of a parallel scan) runs at a lower priority than the
// event loops, so that it keeps them waiting for a core as little as the
// scheduler allows. Measured here (Linux 6.18, EEVDF, one scheduling group),
// with two long statements busy on both cores: PINGs from a C client, p99
// 3.6-4.7 ms with the statements at the event loops' priority, 0.2-2.7 ms at
// nice +5 (a longer time slice instead did not help). +5 is a third of the
// weight, not a starvation: such a thread still gets a good share of a busy
// core, so one that holds a shard lock when an event loop preempts it soon
// runs again to release it (an idle-class thread could wait a second).

#if canImport(Glibc)
import Glibc
#endif

public enum BatchPriority {
    /// How much nicer than the process batch threads are.
    static let niceIncrement: Int32 = 5

    /// Makes the calling thread a batch thread for good: the process's nice
    /// value (its main thread's) plus `niceIncrement`. Idempotent; for
    /// threads that do nothing but batch work (the server's thread pool, scan
    /// helpers), since an unprivileged thread cannot raise its priority back.
    public static func lowerCallingThread() {
        #if canImport(Glibc)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        // On Linux, who = a process ID names its main thread, and who = 0 the calling thread.
        let base = getpriority(which, id_t(getpid()))
        guard errno == 0 else { return }
        _ = setpriority(which, 0, min(19, base + niceIncrement))
        #endif
    }
}
