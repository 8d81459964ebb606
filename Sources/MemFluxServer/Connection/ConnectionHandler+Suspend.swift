// Suspending a connection without holding a thread.
//
// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH): the connection parks
// a callback waiter on the command's keys, then attempts the command. The
// waiter stays parked until the command answers, times out or the connection
// closes, so a push that lands between an empty attempt and the wait still
// wakes it (Session.waitFor's protocol). Each wake-up hops to the event loop
// and attempts again; a waiter that loses the race stays parked. The timeout
// is a task scheduled on the event loop (0 = none).
//
// Long commands (KEYS, SCAN, INFO, SQL statements) run on the server's
// NIOThreadPool, whose threads are batch threads (BatchPriority), so that
// they never keep the event loops waiting for a core; the connection is
// suspended meanwhile, so its session is still used by one
// thread at a time and replies stay in order.

import MemFlux
import MemFluxCore
import NIOCore

/// A connection parked in a blocking command.
final class BlockedCommand {
    let call: BlockingCall
    let args: [Bytes]
    let waiter: BlockingWaiter
    let generation: Int
    var timeout: Scheduled<Void>?
    /// Microseconds spent attempting, for commandstats (waiting is not counted, as in Redis).
    var busyMicroseconds: Int64 = 0

    init(call: BlockingCall, args: [Bytes], waiter: BlockingWaiter, generation: Int) {
        self.call = call
        self.args = args
        self.waiter = waiter
        self.generation = generation
    }
}

extension ConnectionHandler {
    func startBlocking(_ command: Command, _ args: [Bytes]) {
        guard let context else { return }
        let start = MonotonicClock.nowMicroseconds()
        let call: BlockingCall
        do {
            call = try session.startBlocking(command, args)
        } catch {
            write(.error(error))
            recordCall(args, since: start, failed: true)
            return
        }
        blockGeneration += 1
        let generation = blockGeneration
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let waiter = BlockingWaiter {
            loop.execute { bound.value.retryBlocked(generation: generation) }
        }
        let blocked = BlockedCommand(call: call, args: args, waiter: waiter, generation: generation)
        server.database.blocking.park(waiter, on: call.keys)
        if let (reply, failed) = attempt(blocked, start: start) {
            // Answered at once: no suspension, the request loop just goes on.
            server.database.blocking.unpark(waiter, from: call.keys)
            write(reply)
            recordCall(args, microseconds: blocked.busyMicroseconds, failed: failed)
            return
        }
        suspension = .blocked(blocked)
        server.blockedClients.add(1, ordering: .relaxed)
        client?.info.withLock { $0.blocked = true }
        if call.timeout > 0 {
            let nanoseconds = min(call.timeout * 1e9, Double(Int64.max / 2))
            blocked.timeout = loop.scheduleTask(in: .nanoseconds(Int64(nanoseconds))) {
                bound.value.blockedTimedOut(generation: generation)
            }
        }
    }

    /// A push woke the waiter (maybe for another client's benefit): try again.
    func retryBlocked(generation: Int) {
        guard case .blocked(let blocked) = suspension, blocked.generation == generation else { return }
        guard let (reply, failed) = attempt(blocked, start: MonotonicClock.nowMicroseconds()) else { return }
        finishBlocked(blocked, reply, failed: failed)
    }

    /// Tries the command once: its reply and whether it failed, or nil when it would still block.
    private func attempt(_ blocked: BlockedCommand, start: Int64) -> (Reply, Bool)? {
        defer { blocked.busyMicroseconds += MonotonicClock.nowMicroseconds() - start }
        do {
            guard let reply = try blocked.call.attempt() else { return nil }
            return (reply, false)
        } catch {
            return (.error(error), true)
        }
    }

    func blockedTimedOut(generation: Int) {
        guard case .blocked(let blocked) = suspension, blocked.generation == generation else { return }
        finishBlocked(blocked, blocked.call.timeoutReply, failed: false)
    }

    private func finishBlocked(_ blocked: BlockedCommand, _ reply: Reply, failed: Bool) {
        endBlocked(blocked)
        needsAcknowledgement = true
        write(reply)
        recordCall(blocked.args, microseconds: blocked.busyMicroseconds, failed: failed)
        resume()
    }

    /// Unparks and forgets the timer; also used when the connection closes while blocked.
    func endBlocked(_ blocked: BlockedCommand) {
        server.database.blocking.unpark(blocked.waiter, from: blocked.call.keys)
        blocked.timeout?.cancel()
        blocked.timeout = nil
        server.blockedClients.subtract(1, ordering: .relaxed)
        client?.info.withLock { $0.blocked = false }
        suspension = nil
    }

    /// Runs `work` on the thread pool and answers it here, in order.
    func offload(_ args: [Bytes], _ work: @escaping @Sendable () throws(MemFluxError) -> Reply) {
        guard let context else { return }
        suspension = .offloaded
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let future = server.threadPool.runIfActive(eventLoop: loop) { () -> (Reply, Int64, Bool) in
            BatchPriority.lowerCallingThread()  // the pool runs nothing else
            let start = MonotonicClock.nowMicroseconds()
            do throws(MemFluxError) {
                let reply = try work()
                return (reply, MonotonicClock.nowMicroseconds() - start, false)
            } catch {
                return (.error(error), MonotonicClock.nowMicroseconds() - start, true)
            }
        }
        future.whenComplete { result in
            let handler = bound.value
            guard handler.isActive else { return }
            switch result {
            case .success(let (reply, microseconds, failed)):
                handler.write(reply)
                handler.recordCall(args, microseconds: microseconds, failed: failed)
            case .failure:
                // The pool is shutting down with the server.
                handler.write(.error(MemFluxError(.err, "server is shutting down")))
                handler.closing = true
            }
            handler.resume()
        }
    }
}
