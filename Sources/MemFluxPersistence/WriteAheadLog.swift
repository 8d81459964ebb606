// WriteAheadLog: the log every committed transaction is appended to, with
// group commit.
//
// Commits append framed records to `pending` (under a mutex, while they still
// hold their shard locks, so records of conflicting transactions are in commit
// order). Whoever writes next takes the whole pending buffer and writes it
// with one write(2), so one write — and with durability full one fsync —
// covers every commit appended by then (group commit):
// - a front door about to acknowledge writes calls `catchUp` (the server once
//   per event-loop round for all its connections, as Redis does in beforeSleep);
// - the writer thread writes in the background every few milliseconds (what
//   durability none relies on) and fsyncs every second under fsync.
// Positions in the log are LSNs: bytes appended since the log was opened.
//
// Rotation: `beginRotation` sends new records to the overflow file while a
// snapshot is written; `finishRotation` renames the overflow over the primary
// once the snapshot is durable. Every record written to the primary before
// the switch committed before the snapshot began, so the snapshot covers it.

import Dispatch
import MemFluxCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

public final class WriteAheadLog: @unchecked Sendable {
    // @unchecked: mutable state lives in the Mutex-guarded structs and atomics below.
    public static let header = FileHeader(magic: "MEMFLUXW", version: 1)

    public let durability: Configuration.Durability
    public let primaryPath: String
    public let overflowPath: String

    private struct Pending {
        var buffer: [UInt8] = []
        var appended: UInt64 = 0
    }

    private struct Output {
        var file: PosixFile
        /// The primary while a snapshot retires it (records now go to the overflow).
        var retiring: PosixFile?
        /// An empty buffer with capacity, swapped with `pending.buffer` on each write.
        var spare: [UInt8] = []
        var fileBytes: Int
        var lastError: PersistenceError?
    }

    private let pending = Mutex(Pending())
    private let output: Mutex<Output>
    private let appendedLSN = Atomic<UInt64>(0)
    private let writtenLSN = Atomic<UInt64>(0)
    private let syncedLSN = Atomic<UInt64>(0)
    /// The last write or fsync failed (and none has succeeded since).
    private let failing = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let writerDone = DispatchSemaphore(value: 0)

    /// Opens (or creates) the primary log for appending and starts the writer thread.
    /// Recovery has already read the file and cut any torn tail.
    public init(primaryPath: String, overflowPath: String, durability: Configuration.Durability) throws(PersistenceError) {
        self.primaryPath = primaryPath
        self.overflowPath = overflowPath
        self.durability = durability
        let file = try WriteAheadLog.openLog(primaryPath, truncate: false)
        output = Mutex(Output(file: file, fileBytes: file.size))
        let queue = DispatchQueue(label: "memflux.wal-writer", qos: .userInitiated)
        queue.async { self.runWriter() }
    }

    private static func openLog(_ path: String, truncate: Bool) throws(PersistenceError) -> PosixFile {
        let file = try PosixFile.openForAppend(path, truncate: truncate)
        if file.size == 0 {
            try file.write(header.encoded)
            try file.sync()
            try FileSystem.syncDirectory(of: path)
        }
        return file
    }

    // MARK: Appending and acknowledging

    /// Appends one record: `body` writes its payload.
    @inline(__always)
    public func append(_ body: (inout [UInt8]) -> Void) {
        pending.withLock { p in
            let before = p.buffer.count
            Frame.append(to: &p.buffer, body)
            p.appended &+= UInt64(p.buffer.count - before)
            appendedLSN.store(p.appended, ordering: .releasing)
        }
    }

    public var appended: UInt64 { appendedLSN.load(ordering: .acquiring) }
    public var written: UInt64 { writtenLSN.load(ordering: .acquiring) }
    public var synced: UInt64 { syncedLSN.load(ordering: .acquiring) }

    /// Whether everything appended so far is as durable as the configured level
    /// requires before replies go (written to the OS for fsync, fsynced for full).
    public var isCaughtUp: Bool {
        switch durability {
        case .none: true
        case .fsync: written >= appended
        case .full: synced >= appended
        }
    }

    /// Makes everything appended so far as durable as the configured level
    /// requires before replies go, on the calling thread: one write, and for
    /// full one fsync, for all commits appended meanwhile by any thread.
    /// False when the file could not be written or synced (see `lastError`).
    @discardableResult
    public func catchUp() -> Bool {
        let target = appended
        switch durability {
        case .none:
            return true
        case .fsync:
            if written < target { writeOut() }
            return written >= target
        case .full:
            if written < target { writeOut() }
            if synced < target { sync() }
            return synced >= target
        }
    }

    /// True while the log cannot be written: front doors refuse writes (MISCONF) until it can.
    public var isFailing: Bool { failing.load(ordering: .relaxed) }

    // MARK: Writing

    /// Writes every pending record to the current file (one write call).
    public func writeOut() {
        output.withLock { out in writeOutLocked(&out) }
    }

    private func writeOutLocked(_ out: inout Output) {
        var batch: [UInt8] = []
        swap(&batch, &out.spare)
        let end = pending.withLock { p -> UInt64 in
            swap(&p.buffer, &batch)
            return p.appended
        }
        guard !batch.isEmpty else {
            swap(&batch, &out.spare)
            return
        }
        do {
            try out.file.write(batch)
            out.fileBytes += batch.count
            out.lastError = nil
            failing.store(false, ordering: .relaxed)
        } catch {
            // Cut any partial write and put the batch back in front of newer records.
            if ftruncate(out.file.descriptor, off_t(out.fileBytes)) != 0 { stop(fatal: error) }
            pending.withLock { p in
                batch.append(contentsOf: p.buffer)
                swap(&p.buffer, &batch)
            }
            out.lastError = error
            failing.store(true, ordering: .relaxed)
            return
        }
        writtenLSN.store(end, ordering: .releasing)
        if batch.capacity <= 1 << 22 {
            batch.removeAll(keepingCapacity: true)
            swap(&batch, &out.spare)
        }
    }

    /// fsyncs the current file (outside the output lock, so appends and
    /// writes go on meanwhile) and publishes what it covers.
    private func sync() {
        let (file, target) = output.withLock { out in (out.file, writtenLSN.load(ordering: .acquiring)) }
        guard target > synced else { return }
        do {
            try file.sync()
        } catch {
            output.withLock { $0.lastError = error }
            failing.store(true, ordering: .relaxed)
            return
        }
        _ = syncedLSN.max(target, ordering: .acquiringAndReleasing)
    }

    private func runWriter() {
        var lastSync = DispatchTime.now().uptimeNanoseconds
        while !stopped.load(ordering: .acquiring) {
            _ = wake.wait(timeout: DispatchTime.now() + DispatchTimeInterval.milliseconds(10))
            writeOut()
            let now = DispatchTime.now().uptimeNanoseconds
            switch durability {
            case .none:
                break
            case .fsync:
                if now - lastSync >= 1_000_000_000 {
                    sync()
                    lastSync = now
                }
            case .full:
                sync()
            }
        }
        writerDone.signal()
    }

    private func stop(fatal error: PersistenceError) -> Never {
        fatalError("write-ahead log \(primaryPath) is damaged beyond repair: \(error)")
    }

    /// Writes and fsyncs everything, stops the writer thread. Appends must have stopped.
    public func close() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        writerDone.wait()
        writeOut()
        sync()
    }

    // MARK: Rotation and status

    /// Sends new records to the overflow file. Everything appended before
    /// this call is written and fsynced to the primary first. Calling it again
    /// while the overflow is in use only flushes.
    /// (Called by one snapshot at a time.)
    public func beginRotation() throws(PersistenceError) {
        // The primary must be fsynced before the overflow receives a record
        // (so a power loss cannot keep later records and lose earlier ones).
        // The long fsync and the overflow's creation happen before taking the
        // lock; under it only the last few records are written and synced.
        let rotating = output.withLock { $0.retiring != nil }
        writeOut()
        sync()
        let overflow = rotating ? nil : try WriteAheadLog.openLog(overflowPath, truncate: true)
        try output.withLock { (out) throws(PersistenceError) in
            writeOutLocked(&out)
            if let error = out.lastError { throw error }
            try out.file.sync()
            _ = syncedLSN.max(writtenLSN.load(ordering: .acquiring), ordering: .acquiringAndReleasing)
            guard let overflow else { return }
            out.retiring = out.file
            out.file = overflow
            out.fileBytes = overflow.size
        }
    }

    /// The snapshot taken after `beginRotation` is durable: the overflow replaces the primary.
    public func finishRotation() throws(PersistenceError) {
        try output.withLock { (out) throws(PersistenceError) in
            guard out.retiring != nil else { return }
            try FileSystem.rename(overflowPath, to: primaryPath)
            out.retiring = nil
        }
    }

    /// Size of the file records go to now.
    public var currentFileBytes: Int { output.withLock { $0.fileBytes } }
    /// The last write or fsync error, nil once a later one succeeded.
    public var lastError: PersistenceError? { output.withLock { $0.lastError } }
}
