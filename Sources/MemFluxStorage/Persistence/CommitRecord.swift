// Commit records: what the write-ahead log holds for one committed
// transaction — its sequence number and the key-level effect of each write,
// in the order they were made. Effects carry results, never command text
// (SPOP logs the member it removed, INCRBYFLOAT the number it stored), so
// replay is deterministic.
//
//     record  = kind u8 (1: commit) | sequence u64 | effect count | effect...
//     effect  = kind u8 | key | expireAt i64 | payload by kind
//
// Record and effect kinds are numbered; a later schema, index or graph record
// takes a new number, and an old reader refuses what it does not know.

import Collections
import MemFluxCore
import MemFluxPersistence

/// One key's write within a commit, as recorded while the shard is locked.
/// The value is the key's new value (nil: deleted); `change` says how much of
/// it the log needs.
struct Effect {
    var key: Bytes
    var value: Value?
    var expireAt: Int64
    var change: ValueChange
}

enum RecordKind: UInt8 {
    case commit = 1
}

enum EffectKind: UInt8 {
    /// Every key but the system keys is deleted (FLUSHALL).
    case clear = 0
    case put = 1
    case delete = 2
    case ttl = 3
    case listEnds = 4
    case setAdd = 5
    case setRemove = 6
    case hashSet = 7
    case hashRemove = 8
    /// Every key is deleted, system keys too.
    case clearIncludingSystemKeys = 9
}

extension Array where Element == UInt8 {
    mutating func appendCommit(sequence: UInt64, effects: CommitEffects) {
        append(RecordKind.commit.rawValue)
        appendUInt64(sequence)
        var count = effects.clear == nil ? 0 : 1
        for effect in effects.list { count += effect.value == nil ? 1 : effect.change.effectCount }
        appendVarint(count)
        if let clear = effects.clear { append(clear.rawValue) }
        for effect in effects.list { appendEffect(effect) }
    }

    mutating func appendEffect(_ effect: Effect) {
        guard let value = effect.value else {
            append(EffectKind.delete.rawValue)
            appendBytes(effect.key)
            appendInt64(0)
            return
        }
        func header(_ kind: EffectKind) {
            append(kind.rawValue)
            appendBytes(effect.key)
            appendInt64(effect.expireAt)
        }
        switch (effect.change, value) {
        case (.sequence(let changes), _):
            for change in changes { appendEffect(Effect(key: effect.key, value: value, expireAt: effect.expireAt, change: change)) }
        case (.unchanged, _):
            header(.ttl)
        case (.listEndsWith(let removedLeft, let removedRight, let addedLeft, let addedRight), .list):
            header(.listEnds)
            appendVarint(removedLeft)
            appendVarint(removedRight)
            appendVarint(addedLeft.count)
            for e in addedLeft { appendBytes(e) }
            appendVarint(addedRight.count)
            for e in addedRight { appendBytes(e) }
        case (.hashSetPairs(let pairs), .hash):
            header(.hashSet)
            appendVarint(pairs.count)
            for (field, v) in pairs {
                appendBytes(field)
                appendBytes(v)
            }
        case (.listEnds(let removedLeft, let removedRight, let addedLeft, let addedRight), .list(let list)):
            header(.listEnds)
            appendVarint(removedLeft)
            appendVarint(removedRight)
            appendVarint(addedLeft)
            for i in 0..<addedLeft { appendBytes(list[i]) }
            appendVarint(addedRight)
            for i in (list.count - addedRight)..<list.count { appendBytes(list[i]) }
        case (.setAdded(let members), .set), (.setRemoved(let members), .set):
            if case .setAdded = effect.change { header(.setAdd) } else { header(.setRemove) }
            appendVarint(members.count)
            for m in members { appendBytes(m) }
        case (.hashSet(let fields, let stride), .hash(let hash)):
            header(.hashSet)
            appendVarint((fields.count + stride - 1) / stride)
            for i in Swift.stride(from: fields.startIndex, to: fields.endIndex, by: stride) {
                appendBytes(fields[i])
                appendBytes(hash[fields[i]] ?? Bytes())
            }
        case (.hashRemoved(let fields), .hash):
            header(.hashRemove)
            appendVarint(fields.count)
            for f in fields { appendBytes(f) }
        default:
            header(.put)
            appendValue(value)
        }
    }
}

/// The effects of one commit, gathered while its shards are locked.
final class CommitEffects {
    var list: [Effect] = []
    /// FLUSHALL (`.clear`) or a wipe (`.clearIncludingSystemKeys`): that effect first.
    var clear: EffectKind?
}

// MARK: Replay

extension Keyspace {
    /// Applies one logged commit unless the snapshot already holds it
    /// (sequence at or below `after`); returns its sequence number.
    func replay(
        record payload: UnsafeRawBufferPointer, after: UInt64, layouts: inout LayoutSource
    ) throws(DecodingError) -> UInt64 {
        var reader = ByteReader(payload)
        do {
            let kind = try reader.uint8()
            guard kind == RecordKind.commit.rawValue else {
                throw DecodingError("unknown record kind \(kind) (written by a newer version?)")
            }
            let sequence = try reader.uint64()
            let count = try reader.count()
            guard sequence > after else { return sequence }
            for _ in 0..<count { try applyEffect(&reader, sequence: sequence, layouts: &layouts) }
            guard reader.isAtEnd else { throw DecodingError("\(reader.remaining) unexpected bytes after the last effect") }
            return sequence
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.truncated
        }
    }

    private func applyEffect(_ reader: inout ByteReader, sequence: UInt64, layouts: inout LayoutSource) throws {
        let rawKind = try reader.uint8()
        guard let kind = EffectKind(rawValue: rawKind) else {
            throw DecodingError("unknown effect kind \(rawKind) (written by a newer version?)")
        }
        if kind == .clear || kind == .clearIncludingSystemKeys {
            for shard in shards { shard.removeAll(keepingSystemKeys: kind == .clear, sequence: sequence) }
            return
        }
        let key = try reader.bytes()
        let expireAt = try reader.int64()
        let shard = shard(for: key)
        switch kind {
        case .clear, .clearIncludingSystemKeys: break
        case .put:
            let value = try reader.value(&layouts)
            shard.restore(key, sequence: sequence) { stored, ttl in
                stored = value
                ttl = expireAt
            }
        case .delete:
            shard.restore(key, sequence: sequence) { stored, _ in stored = nil }
        case .ttl:
            try shard.restore(key, sequence: sequence) { (stored, ttl) throws in
                guard stored != nil else { throw DecodingError("TTL change for missing key '\(key)'") }
                ttl = expireAt
            }
        case .listEnds:
            let removedLeft = try reader.varint(), removedRight = try reader.varint()
            let left = try reader.count()
            var addedLeft: [Bytes] = []
            for _ in 0..<left { addedLeft.append(try reader.bytes()) }
            let right = try reader.count()
            var addedRight: [Bytes] = []
            for _ in 0..<right { addedRight.append(try reader.bytes()) }
            try shard.restore(key, sequence: sequence) { (stored, ttl) throws in
                guard case .list(var list)? = stored, removedLeft + removedRight <= list.count else {
                    throw DecodingError("list change for '\(key)', which is not a long enough list")
                }
                stored = nil
                list.removeFirst(removedLeft)
                list.removeLast(removedRight)
                for e in addedLeft.reversed() { list.prepend(e) }
                for e in addedRight { list.append(e) }
                stored = list.isEmpty ? nil : .list(list)
                ttl = expireAt
            }
        case .setAdd, .setRemove:
            let n = try reader.count()
            var members: [Bytes] = []
            for _ in 0..<n { members.append(try reader.bytes()) }
            try shard.restore(key, sequence: sequence) { (stored, ttl) throws in
                guard case .set(var set)? = stored else { throw DecodingError("set change for '\(key)', which is not a set") }
                stored = nil
                for m in members {
                    if kind == .setAdd { set.insert(m) } else { _ = set.remove(m) }
                }
                stored = set.isEmpty ? nil : .set(set)
                ttl = expireAt
            }
        case .hashSet, .hashRemove:
            let n = try reader.count()
            var pairs: [(Bytes, Bytes)] = []
            for _ in 0..<n { pairs.append((try reader.bytes(), kind == .hashSet ? try reader.bytes() : Bytes())) }
            try shard.restore(key, sequence: sequence) { (stored, ttl) throws in
                guard case .hash(var hash)? = stored else { throw DecodingError("hash change for '\(key)', which is not a hash") }
                stored = nil
                for (field, value) in pairs { hash[field] = kind == .hashSet ? value : nil }
                stored = hash.isEmpty ? nil : .hash(hash)
                ttl = expireAt
            }
        }
    }
}
