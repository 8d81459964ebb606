// ConnectionHandler: one client connection. It owns the connection's Session
// and RESP decoder, runs requests in the order they arrive, and answers them
// in that order.
//
// Shape of a read batch: every `channelRead` decodes as many requests as its
// bytes hold and appends each reply to `out`; `channelReadComplete` writes
// and flushes `out` once. So a pipeline of 100 GETs costs one write syscall.
//
// A request that cannot answer at once — BLPOP on an empty list, or a
// command that may run long and goes to the thread pool — suspends the
// connection: later pipelined requests wait in `pendingInput` (their bytes,
// not decoded), the handler stops asking the channel for more reads, and
// when the answer comes the handler resumes where it stopped. Replies stay in
// request order and no thread ever waits.
//
// Everything here runs on the channel's event loop; callbacks from other
// threads (a push waking BLPOP, the thread pool finishing) hop back through
// `NIOLoopBound`.

import Logging
import MemFlux
import MemFluxCore
import NIOCore

final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Suspension {
        case blocked(BlockedCommand)
        case offloaded
        /// Replies wait for the write-ahead log (fsync: the write; full: the fsync).
        case awaitingDurability
    }

    let server: ServerState
    let session: Session
    var decoder: RESPDecoder
    var encoder = RESPEncoder()
    var authenticated: Bool
    var client: ClientHandle?
    var context: ChannelHandlerContext?
    /// Replies of the current batch, written at `channelReadComplete`.
    var out = ByteBuffer()
    var suspension: Suspension?
    /// Bytes received while suspended, decoded on resume.
    var pendingInput = CircularBuffer<ByteBuffer>()
    /// The channel asked to read while we were suspended.
    var readPending = false
    /// Close once `out` is written (QUIT, protocol error, CLIENT KILL of self).
    var closing = false
    /// The graceful close has begun (once per connection).
    var closeStarted = false
    var isActive = false
    var stats = PendingCommandStats()
    /// Counts blocked-command generations so a stale wake-up is recognised.
    var blockGeneration = 0
    /// When the previous inline command finished (or this read began): the
    /// next command's start, so each command costs one clock read, not two.
    var clockMark: Int64 = 0
    /// A write ran since the last flush: its reply waits until the log makes it
    /// as durable as configured.
    var needsAcknowledgement = false
    /// This event loop's group commit; nil when replies need not wait (no persistence, or durability none).
    let acknowledgements: AcknowledgementBatch?
    /// The command whose name CLIENT LIST shows as `cmd=`, last published.
    private var publishedCommand: Command?

    init(server: ServerState, acknowledgements: AcknowledgementBatch?) {
        self.server = server
        self.acknowledgements = acknowledgements
        self.session = server.database.session()
        let config = server.configuration
        self.decoder = RESPDecoder(maxBulkLength: config.protoMaxBulkLen)
        self.authenticated = config.requirePass.isEmpty
        self.decoder.authRequired = !authenticated
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        out = context.channel.allocator.buffer(capacity: 1024)
    }

    func channelActive(context: ChannelHandlerContext) {
        isActive = true
        let client = ClientHandle(id: session.id, channel: context.channel)
        self.client = client
        if !server.register(client) {
            self.client = nil
            encoder.write(.error(MemFluxError(.err, "max number of clients reached")), into: &out)
            closing = true
            flush()
            return
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        closing = true
        if case .blocked(let blocked) = suspension { endBlocked(blocked) }
        suspension = nil
        pendingInput.removeAll()
        stats.publish(to: server.database.statistics)
        if let client { server.unregister(client) }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or broken pipe ends only this connection.
        server.logger.debug("connection error: \(error)")
        context.close(promise: nil)
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        clockMark = MonotonicClock.nowMicroseconds()
        client?.lastInteraction.store(clockMark, ordering: .relaxed)
        guard !closing else { return }
        if suspension != nil {
            pendingInput.append(buffer)
            return
        }
        process(&buffer)
        if suspension != nil && buffer.readableBytes > 0 { pendingInput.append(buffer) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        publishStats()
    }

    /// Decodes and runs requests until `buffer` is drained, the connection
    /// suspends, or it is closing.
    func process(_ buffer: inout ByteBuffer) {
        while suspension == nil && !closing {
            var request: [Bytes]
            do {
                guard let next = try decoder.next(&buffer) else { return }
                request = next
            } catch {
                encoder.write(.error(error), into: &out)
                closing = true
                return
            }
            dispatch(request)
            decoder.recycle(&request)
        }
    }

    /// Continues after a suspension ends: the queued input, then more reads.
    func resume() {
        suspension = nil
        clockMark = MonotonicClock.nowMicroseconds()
        while suspension == nil && !closing, var buffer = pendingInput.popFirst() {
            process(&buffer)
            if buffer.readableBytes > 0 { pendingInput.prepend(buffer) }
        }
        flush()
        publishStats()
        if suspension == nil && !closing && readPending, let context {
            readPending = false
            context.read()
        }
    }

    // Back-pressure: no reads while suspended or while the peer is not reading our replies.
    func read(context: ChannelHandlerContext) {
        if closing {
            context.read()  // keep draining (and discarding) input until the client closes
            return
        }
        if !context.channel.isWritable || (suspension != nil && !mayReadWhileParked) {
            readPending = true
            return
        }
        context.read()
    }

    /// Replies parked for one group commit (a round of the loop) need not stop
    /// reading: that would cost two epoll changes per command. A little input
    /// may queue meanwhile, no more (the disk might be failing).
    private var mayReadWhileParked: Bool {
        guard case .awaitingDurability = suspension else { return false }
        var queued = 0
        for buffer in pendingInput { queued += buffer.readableBytes }
        return queued < 64 * 1024
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && suspension == nil && !closing && readPending {
            readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Writing

    /// Writes and flushes the batch's replies; closes afterwards when asked to.
    /// After writes the log has not yet made durable, parks them in the loop's
    /// `AcknowledgementBatch` instead.
    func flush() {
        guard let context else { return }
        // Parked replies leave only when the batch resumes this connection.
        if case .awaitingDurability = suspension { return }
        if needsAcknowledgement, let acknowledgements, !server.database.isDurable {
            if suspension == nil {
                needsAcknowledgement = false
                suspension = .awaitingDurability
                acknowledgements.add(self)
                return
            }
            // Parked for another reason (BLPOP, a long command) with earlier
            // writes' replies in `out`: make them durable now rather than hold them.
            server.database.makeDurable()
        }
        needsAcknowledgement = false
        if out.readableBytes > 0 {
            if closing {
                closeStarted = true
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in Self.closeGracefully(channel) }
            } else {
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
            // The write usually completes at once and releases the storage, so
            // `clear` reuses it; a big buffer is dropped rather than kept per connection.
            if out.capacity > 64 * 1024 {
                out = context.channel.allocator.buffer(capacity: 1024)
            } else {
                out.clear()
            }
        } else if closing && !closeStarted {
            closeStarted = true
            Self.closeGracefully(context.channel)
        }
    }

    /// Ends a connection we chose to end (QUIT, protocol error, max clients):
    /// shut down our side first, so the client reads our last reply, then
    /// close fully when it closes or after a second. Closing at once with
    /// unread input in the socket would send a reset, which can destroy the
    /// reply before the client reads it; meanwhile further input is discarded.
    static func closeGracefully(_ channel: any Channel) {
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    /// The log has made this connection's writes durable: send the parked replies.
    func durabilityReached() {
        guard case .awaitingDurability = suspension else { return }
        resume()
    }

    func write(_ reply: Reply) {
        encoder.write(reply, into: &out)
    }

    private func publishStats() {
        stats.publish(to: server.database.statistics)
        if let command = stats.command, command !== publishedCommand, let client {
            publishedCommand = command
            client.info.withLock { $0.lastCommand = command.name }
        }
    }
}
