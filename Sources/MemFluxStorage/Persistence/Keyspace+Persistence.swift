// Snapshots and recovery for the keyspace: writing every key an MVCC snapshot
// sees (while writers go on), loading a snapshot file, and replaying a
// write-ahead log over it.
//
//     snapshot frames = meta (sequence, key count estimate) | entries... | trailer (key count)
//
// Entries are written shard by shard, so loading fills one shard's table at a time.
//     entry           = key | expireAt i64 | value
// A row's layout is written at its first use in the file and numbered (RowCoding.swift).

import MemFluxCore
import MemFluxPersistence

enum SnapshotBlock: UInt8 {
    case meta = 1
    case entries = 2
    case trailer = 3
}

/// What replaying one log file found.
public struct LogReplay: Sendable {
    /// Records applied (newer than the snapshot).
    public var applied = 0
    /// Records skipped because the snapshot already holds them.
    public var skipped = 0
    /// The highest commit sequence number in the file.
    public var lastSequence: UInt64 = 0
    /// Where a torn final record starts (the file should be cut there), if there is one.
    public var tornTailOffset: Int?
}

extension Keyspace {
    // MARK: Writing

    /// Writes every key visible at `snapshot` (see `SnapshotRegistry.acquire`)
    /// to `writer`; returns how many. Locks one shard at a time, only while
    /// collecting its entries, so writers are held up for microseconds.
    ///
    /// Keys whose TTL has passed are written too: what the file holds depends
    /// on the MVCC snapshot alone, never on the time it is written at. A key
    /// changed (and logged as a delta) after the snapshot and expiring before
    /// its entry is written must still be there for replay to apply the delta
    /// to; after recovery it is invisible at once and reclaimed by active
    /// expiry, as it would have been without the restart.
    public func writeSnapshot(at snapshot: UInt64, to writer: SnapshotFile.Writer) throws(PersistenceError) -> Int {
        var estimate = 0
        for shard in shards {
            shard.lock()
            estimate += shard.liveCount
            shard.unlock()
        }
        try writer.frame { out in
            out.append(SnapshotBlock.meta.rawValue)
            out.appendUInt64(snapshot)
            out.appendUInt64(UInt64(estimate))
        }
        var total = 0
        let numbering = LayoutNumbering()
        var batch: [(key: Bytes, value: Value, expireAt: Int64)] = []
        for shard in shards {
            shard.lock()
            shard.table.forEachSlot { i in
                guard let version = shard.table.entry(at: i).pointee.visible(at: snapshot), let value = version.value else { return }
                batch.append((shard.table.key(at: i), value, version.expireAt))
            }
            shard.unlock()
            var start = 0
            while start < batch.count {
                let end = min(start + 4096, batch.count)
                try writer.frame { out in
                    out.append(SnapshotBlock.entries.rawValue)
                    out.appendVarint(end - start)
                    for entry in batch[start..<end] {
                        out.appendBytes(entry.key)
                        out.appendInt64(entry.expireAt)
                        out.appendValue(entry.value, numbering: numbering)
                    }
                }
                start = end
            }
            total += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        let count = total
        try writer.frame { out in
            out.append(SnapshotBlock.trailer.rawValue)
            out.appendUInt64(UInt64(count))
        }
        return total
    }

    // MARK: Recovery

    /// Loads the snapshot at `path` into an empty keyspace; nil when there is
    /// none. `progress` is called with the keys loaded so far, about every million.
    public func loadSnapshot(
        _ path: String, progress: (Int) -> Void = { _ in }
    ) throws(PersistenceError) -> (sequence: UInt64, keys: Int)? {
        var sequence: UInt64?
        var keys = 0
        var expected: Int?
        var nextReport = 1_000_000
        let payloadBytes = FileSystem.size(path) ?? 0
        var layouts = LayoutSource(interner: recoveredLayouts, defined: [])
        do {
            let found = try SnapshotFile.read(path) { offset, payload in
                do {
                    var reader = ByteReader(payload)
                    let rawKind = try reader.uint8()
                    guard expected == nil else { throw DecodingError("data after the trailer") }
                    switch SnapshotBlock(rawValue: rawKind) {
                    case .meta:
                        guard sequence == nil else { throw DecodingError("a second header block") }
                        sequence = try reader.uint64()
                        // Size every table once instead of growing it step by step.
                        let estimate = min(Int(clamping: try reader.uint64()), payloadBytes / 8)
                        for shard in shards { shard.table.reserve(estimate / Keyspace.shardCount * 21 / 20 + 8) }
                    case .entries:
                        guard let sequence else { throw DecodingError("entries before the header block") }
                        let n = try reader.count()
                        for _ in 0..<n {
                            let key = try reader.bytes()
                            let expireAt = try reader.int64()
                            let value = try reader.value(&layouts)
                            shard(for: key).load(key, value, expireAt: expireAt, sequence: sequence)
                        }
                        keys += n
                        if keys >= nextReport {
                            progress(keys)
                            nextReport += 1_000_000
                        }
                    case .trailer:
                        expected = Int(clamping: try reader.uint64())
                    case nil:
                        throw DecodingError("unknown block kind \(rawKind) (written by a newer version?)")
                    }
                    guard reader.isAtEnd else { throw DecodingError("unexpected bytes at the end of a block") }
                } catch let error as DecodingError {
                    throw PersistenceError("snapshot \(path): \(error.message), in the block at byte offset \(offset)")
                } catch {
                    throw PersistenceError("snapshot \(path): block at byte offset \(offset) ends early")
                }
            }
            guard found else { return nil }
        } catch let error as PersistenceError {
            throw error
        } catch {
            throw PersistenceError("snapshot \(path): \(error)")
        }
        guard let sequence, let expected else { throw PersistenceError("snapshot \(path) is incomplete (no trailer)") }
        guard expected == keys else {
            throw PersistenceError("snapshot \(path) holds \(keys) keys but its trailer says \(expected)")
        }
        snapshots.advanceClock(to: sequence)
        return (sequence, keys)
    }

    /// Replays the log at `path`, applying records newer than `after` (the
    /// snapshot's sequence number); nil when the file does not exist. Damage
    /// in the middle is an error naming the file and offset; a torn tail is
    /// reported in the result for the caller to cut.
    /// `progress` is called with the records read so far, about every million.
    public func replayLog(
        _ path: String, after: UInt64, progress: (Int) -> Void = { _ in }
    ) throws(PersistenceError) -> LogReplay? {
        guard let bytes = try FileSystem.read(path) else { return nil }
        var result = LogReplay()
        var nextReport = 1_000_000
        var layouts = LayoutSource(interner: recoveredLayouts, defined: nil)
        do {
            try bytes.withUnsafeBytes { raw in
                guard raw.count >= FileHeader.size else {
                    // Created but its header never reached the disk: as good as empty.
                    result.tornTailOffset = 0
                    return
                }
                try WriteAheadLog.header.check(raw, path: path, kind: "write-ahead log")
                let end = try Frame.scan(raw, from: FileHeader.size) { offset, payload in
                    do {
                        let sequence = try replay(record: payload, after: after, layouts: &layouts)
                        if sequence > after { result.applied += 1 } else { result.skipped += 1 }
                        result.lastSequence = max(result.lastSequence, sequence)
                        if result.applied + result.skipped >= nextReport {
                            progress(nextReport)
                            nextReport += 1_000_000
                        }
                    } catch let error as DecodingError {
                        throw PersistenceError("write-ahead log \(path): \(error.message), in the record at byte offset \(offset)")
                    }
                }
                switch end {
                case .clean: break
                case .tornTail(let offset): result.tornTailOffset = offset
                case .damaged(let offset):
                    throw PersistenceError(
                        "write-ahead log \(path) is damaged at byte offset \(offset): the record there is corrupt and valid records follow it")
                }
            }
        } catch let error as PersistenceError {
            throw error
        } catch {
            throw PersistenceError("write-ahead log \(path): \(error)")
        }
        snapshots.advanceClock(to: result.lastSequence)
        return result
    }
}
