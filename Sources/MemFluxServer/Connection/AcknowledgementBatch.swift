// AcknowledgementBatch: group commit, seen from one event loop. A connection
// whose replies follow writes the log has not yet made durable (durability
// fsync: not yet written to the OS; full: not yet fsynced) parks its replies
// and joins the loop's batch. The batch runs as a task once the loop has
// handled every connection that was readable in this round, so one write(2)
// (fsync), or one write and one fsync (full), acknowledges all of them — what
// Redis does in beforeSleep. The fsync runs on the loop: nothing else on it
// could be answered before it anyway. When a reply must wait is the
// database's rule (Database+Durability), the same for the embedded API.

import MemFlux
import NIOCore

final class AcknowledgementBatch: @unchecked Sendable {
    // @unchecked: used only on `loop` (ConnectionHandlers call in on it; `run` is a task on it).
    let loop: any EventLoop
    let database: Database
    private var waiting: [ConnectionHandler] = []
    private var scheduled = false

    init(loop: any EventLoop, database: Database) {
        self.loop = loop
        self.database = database
    }

    /// Parks `handler` until the log has made everything appended so far durable.
    func add(_ handler: ConnectionHandler) {
        waiting.append(handler)
        guard !scheduled else { return }
        scheduled = true
        loop.execute { self.run() }
    }

    private func run() {
        scheduled = false
        let handlers = waiting
        waiting.removeAll(keepingCapacity: true)
        guard database.makeDurable() else {
            // The disk refused (full, failing): the replies wait, and new writes get MISCONF, until it accepts again.
            waiting = handlers + waiting
            scheduled = true
            loop.scheduleTask(in: .milliseconds(100)) { self.run() }
            return
        }
        for handler in handlers { handler.durabilityReached() }
    }
}
