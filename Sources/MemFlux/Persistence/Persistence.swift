// Persistence: recovery at open, snapshots (SAVE, BGSAVE, the WAL size
// threshold, clean shutdown) and their bookkeeping for LASTSAVE and INFO.
//
// Taking a snapshot: (1) the log starts writing to the overflow file, (2) an
// MVCC snapshot is opened — every record in the primary committed before it,
// so the snapshot holds their effects, (3) the snapshot is written to the temp
// file, fsynced and renamed over the old one, (4) the overflow is renamed
// over the primary. A crash at any step leaves files recovery can read:
// snapshot, then primary, then overflow, applying only records newer than
// the snapshot.
//
// The data directory is locked (DirectoryLock) before any of its files is
// touched and stays locked until `close`.

import Dispatch
import MemFluxCore
import MemFluxPersistence
import MemFluxStorage
import Synchronization

public final class Persistence: Sendable {
    private let lock: DirectoryLock
    public let log: WriteAheadLog
    let keyspace: Keyspace
    public let snapshotPath: String
    let snapshotTempPath: String
    public let thresholdBytes: Int
    /// Held by whoever is writing a snapshot.
    private let saving = DispatchSemaphore(value: 1)
    private let status: Mutex<SaveStatus>

    /// What LASTSAVE and INFO persistence report.
    public struct SaveStatus: Sendable {
        public var inProgress = false
        /// Unix seconds of the last successful snapshot (the start time until there is one).
        public var lastSave: Int64
        public var lastSucceeded = true
        public var lastDurationMilliseconds: Int64 = -1
        public var lastKeys = 0
        public var lastBytes = 0
        /// The commit sequence number the last snapshot holds.
        var sequenceAtLastSave: UInt64 = 0
        /// When the last attempt ended (Unix milliseconds), successful or not.
        var lastAttemptEnd: Int64 = 0
    }

    /// Recovers `keyspace` from the files named in `configuration` and opens
    /// the log. `report` receives progress and warnings, one line each.
    init(keyspace: Keyspace, configuration: Configuration, report: @Sendable (String) -> Void) throws(PersistenceError) {
        func path(_ name: String) -> String {
            name.hasPrefix("/") || configuration.directory == "." ? name : configuration.directory + "/" + name
        }
        lock = try DirectoryLock(directory: configuration.directory)
        self.keyspace = keyspace
        let snapshotPath = path(configuration.snapshotFile)
        let snapshotTempPath = path(configuration.snapshotTempFile)
        self.snapshotPath = snapshotPath
        self.snapshotTempPath = snapshotTempPath
        thresholdBytes = max(1, configuration.walSizeThresholdMB) * 1024 * 1024
        let walPath = path(configuration.walFile)
        let overflowPath = path(configuration.walOverflowFile)

        let start = WallClock.nowMilliseconds()
        try FileSystem.remove(snapshotTempPath)
        var sequence: UInt64 = 0
        if let loaded = try keyspace.loadSnapshot(snapshotPath, progress: { report("loading \(snapshotPath): \($0) keys so far") }) {
            sequence = loaded.sequence
            report("loaded \(loaded.keys) keys from \(snapshotPath)")
        }
        for file in [walPath, overflowPath] {
            let progress: (Int) -> Void = { report("replaying \(file): \($0) records so far") }
            guard let replay = try keyspace.replayLog(file, after: sequence, progress: progress) else { continue }
            if replay.applied + replay.skipped > 0 {
                report("replayed \(replay.applied) records from \(file) (\(replay.skipped) already in the snapshot)")
            }
            if let offset = replay.tornTailOffset {
                let size = FileSystem.size(file) ?? 0
                report("warning: \(file) ends with a torn record at byte offset \(offset) (\(size - offset) bytes); cutting it off")
                try FileSystem.truncate(file, to: offset < FileHeader.size ? 0 : offset)
            }
        }
        let recovered = keyspace.snapshots.lastSequence
        status = Mutex(SaveStatus(lastSave: start / 1000, sequenceAtLastSave: recovered))

        if FileSystem.exists(overflowPath) {
            // A crash interrupted a snapshot: fold everything into a new one, then start a fresh log.
            let writer = try SnapshotFile.Writer(tempPath: snapshotTempPath)
            let keys = try keyspace.writeSnapshot(at: recovered, to: writer)
            try writer.commit(to: snapshotPath)
            if FileSystem.exists(walPath) { try FileSystem.truncate(walPath, to: 0) }
            try FileSystem.remove(overflowPath)
            try FileSystem.syncDirectory(of: overflowPath)
            report("finished an interrupted snapshot: \(keys) keys in \(snapshotPath)")
        }
        log = try WriteAheadLog(primaryPath: walPath, overflowPath: overflowPath, durability: configuration.durability)
        keyspace.startJournaling(to: log)
        let elapsed = WallClock.nowMilliseconds() - start
        if recovered > 0 { report("recovery finished in \(elapsed) ms") }
    }

    public var saveStatus: SaveStatus { status.withLock { $0 } }

    /// Commits since the last snapshot (INFO's rdb_changes_since_last_save).
    public var changesSinceLastSave: UInt64 {
        keyspace.snapshots.lastSequence - status.withLock { $0.sequenceAtLastSave }
    }

    /// SAVE: writes a snapshot now, on the calling thread.
    public func save() throws(MemFluxError) {
        guard saving.wait(timeout: .now()) == .success else { throw MemFluxError(.err, "Background save already in progress") }
        defer { saving.signal() }
        if let error = snapshot() { throw MemFluxError(.err, "snapshot failed: \(error)") }
    }

    /// BGSAVE: starts a snapshot on a background thread; false when one is already running.
    public func startBackgroundSave() -> Bool {
        guard saving.wait(timeout: .now()) == .success else { return false }
        status.withLock { $0.inProgress = true }
        DispatchQueue.global(qos: .utility).async {
            _ = self.snapshot()
            self.saving.signal()
        }
        return true
    }

    /// Starts a background snapshot when the log has grown past the threshold (called by the database's periodic tick).
    /// After a failed snapshot it waits 5 seconds before trying again by itself.
    func snapshotIfLogIsLarge() {
        guard log.currentFileBytes >= thresholdBytes else { return }
        let retryAllowed = status.withLock { $0.lastSucceeded || WallClock.nowMilliseconds() - $0.lastAttemptEnd >= 5000 }
        if retryAllowed { _ = startBackgroundSave() }
    }

    /// Writes one snapshot (the caller holds `saving`); returns the error, if any.
    private func snapshot() -> PersistenceError? {
        let start = WallClock.nowMilliseconds()
        status.withLock { $0.inProgress = true }
        var keys = 0
        var snapshot: UInt64 = 0
        var bytes = 0
        var failure: PersistenceError?
        do throws(PersistenceError) {
            try log.beginRotation()
            snapshot = keyspace.snapshots.acquire()
            defer { keyspace.snapshots.release(snapshot) }
            let writer = try SnapshotFile.Writer(tempPath: snapshotTempPath)
            do throws(PersistenceError) {
                keys = try keyspace.writeSnapshot(at: snapshot, to: writer)
                try writer.commit(to: snapshotPath)
                bytes = writer.bytesWritten
            } catch {
                writer.abandon()
                throw error
            }
            try log.finishRotation()
        } catch {
            failure = error
        }
        let end = WallClock.nowMilliseconds()
        status.withLock { s in
            s.inProgress = false
            s.lastSucceeded = failure == nil
            s.lastDurationMilliseconds = end - start
            s.lastAttemptEnd = end
            if failure == nil {
                s.lastSave = end / 1000
                s.lastKeys = keys
                s.lastBytes = bytes
                s.sequenceAtLastSave = snapshot
            }
        }
        return failure
    }

    /// Clean shutdown: waits for a running snapshot, writes a final one,
    /// closes the log, and releases the directory.
    func close(report: @Sendable (String) -> Void) {
        saving.wait()
        if let error = snapshot() { report("final snapshot failed (the log still holds every write): \(error)") }
        log.close()
        lock.release()
        saving.signal()
    }
}
