// KeySlot: a handler's view of one key during a write. The keyspace takes the
// current value out of its entry before handing the slot over, so containers
// inside are uniquely referenced and mutate in place (LPUSH stays O(1)). After
// the handler returns, the keyspace installs the slot's value as the new
// version; a nil value deletes the key.
//
// `change` tells the write-ahead log what happened to the value: replacing
// it logs the whole value, unless the handler then names a smaller change
// (elements pushed at a list end, members added to a set...), so that LPUSH on
// a long list logs one element, not the list.

import Collections
import MemFluxCore

/// How a write changed a key's value, as far as the log needs to know. A
/// handler may set one of the smaller cases after its last change to the value;
/// anything else logs the whole value.
public enum ValueChange {
    /// The value is the one the slot opened with (only the TTL may differ).
    case unchanged
    case whole
    /// `removedLeft` and `removedRight` elements left the old list's ends; the
    /// new list's first `addedLeft` and last `addedRight` elements are new.
    case listEnds(removedLeft: Int, removedRight: Int, addedLeft: Int, addedRight: Int)
    case setAdded(ArraySlice<Bytes>)
    case setRemoved(ArraySlice<Bytes>)
    /// These fields (every `stride`-th element) now hold what the new hash has for them.
    case hashSet(ArraySlice<Bytes>, stride: Int)
    case hashRemoved(ArraySlice<Bytes>)
    // The forms a transaction keeps until commit (see Keyspace.modify(_:in:)):
    // the elements and values are copied out when the change is made, because
    // later writes in the same transaction change the value they came from.
    case listEndsWith(removedLeft: Int, removedRight: Int, addedLeft: [Bytes], addedRight: [Bytes])
    case hashSetPairs([(field: Bytes, value: Bytes)])
    /// Several changes in order (one key written more than once in a transaction).
    case sequence([ValueChange])
}

extension ValueChange {
    /// The change as it must be kept once `value` (the value right after it) changes again.
    func materialized(from value: Value?) -> ValueChange {
        switch (self, value) {
        case (.listEnds(let removedLeft, let removedRight, let addedLeft, let addedRight), .list(let list)?):
            return .listEndsWith(
                removedLeft: removedLeft, removedRight: removedRight, addedLeft: list.elements(in: 0..<addedLeft),
                addedRight: list.elements(in: (list.count - addedRight)..<list.count))
        case (.hashSet(let fields, let stride), .hash(let hash)?):
            return .hashSetPairs(
                Swift.stride(from: fields.startIndex, to: fields.endIndex, by: stride).map { (fields[$0], hash[fields[$0]] ?? Bytes()) })
        case (.listEnds, _), (.hashSet, _):
            return .whole
        default:
            return self
        }
    }

    /// Log effects this change becomes.
    var effectCount: Int {
        if case .sequence(let changes) = self { return changes.count }
        return 1
    }
}

public struct KeySlot {
    /// The key's current value, nil when absent or expired.
    public var value: Value? {
        didSet {
            flags.insert([.modified, .valueReplaced])
            flags.remove(.changeIsCurrent)
        }
    }
    /// Absolute expiry in Unix milliseconds; 0 means none.
    public var expireAt: Int64 { didSet { flags.insert(.modified) } }
    // Everything else is packed into one flag byte and one reference: a slot
    // with more fields is copied through an outlined witness on every write.
    private var flags: Flags
    private var recordedChange: ChangeBox?

    private struct Flags: OptionSet {
        let rawValue: UInt8
        static let existed = Flags(rawValue: 1 << 0)
        static let modified = Flags(rawValue: 1 << 1)
        static let valueReplaced = Flags(rawValue: 1 << 2)
        static let changeIsCurrent = Flags(rawValue: 1 << 3)
        /// The write is logged: `change` is kept (else setting it costs nothing).
        static let journaling = Flags(rawValue: 1 << 4)
    }

    private final class ChangeBox {
        let change: ValueChange
        init(_ change: ValueChange) { self.change = change }
    }

    init(value: Value?, expireAt: Int64, journaling: Bool = false) {
        self.value = value
        self.expireAt = expireAt
        var flags: Flags = journaling ? .journaling : []
        if value != nil { flags.insert(.existed) }
        self.flags = flags
        self.recordedChange = nil
    }

    /// Whether the key held a live value when the slot was opened.
    public var existed: Bool { flags.contains(.existed) }
    public var isModified: Bool { flags.contains(.modified) }

    /// What to log for the value; set it after the last change to `value`.
    public var change: ValueChange {
        get { flags.contains(.changeIsCurrent) ? recordedChange?.change ?? .whole : .unchanged }
        set {
            guard flags.contains(.journaling) else { return }
            recordedChange = ChangeBox(newValue)
            flags.insert(.changeIsCurrent)
        }
    }

    /// What the log records for the value: the handler's `change` if set after
    /// its last write to `value`, else the whole value (or nothing, for a TTL change alone).
    var loggedChange: ValueChange {
        if flags.contains(.changeIsCurrent), let recordedChange { return recordedChange.change }
        return flags.contains(.valueReplaced) ? .whole : .unchanged
    }

    /// Deletes the key.
    public mutating func delete() {
        value = nil
        expireAt = 0
    }

    /// Replaces the value; a plain write (SET) also clears the TTL unless `keepTTL`.
    public mutating func store(_ newValue: Value, keepTTL: Bool = false) {
        value = newValue
        if !keepTTL { expireAt = 0 }
    }
}

// Typed in-place access. Each helper throws WRONGTYPE for another type,
// returns nil when the key is absent and `create` is false, and deletes the
// key when a container ends up empty (as Redis does). The payload is moved out
// of the slot before `body` runs, so it is the only reference.
extension KeySlot {
    public mutating func withList<R>(
        create: Bool = false, _ body: (inout ListValue) throws(MemFluxError) -> R
    ) throws(MemFluxError) -> R? {
        var list: ListValue
        switch value {
        case .list(let l)?: list = l
        case nil:
            guard create else { return nil }
            list = ListValue()
        default: throw .wrongType
        }
        value = nil
        defer { value = list.isEmpty ? nil : .list(list) }
        return try body(&list)
    }

    public mutating func withSet<R>(
        create: Bool = false, _ body: (inout TreeSet<Bytes>) throws(MemFluxError) -> R
    ) throws(MemFluxError) -> R? {
        var set: TreeSet<Bytes>
        switch value {
        case .set(let s)?: set = s
        case nil:
            guard create else { return nil }
            set = []
        default: throw .wrongType
        }
        value = nil
        defer { value = set.isEmpty ? nil : .set(set) }
        return try body(&set)
    }

    public mutating func withHash<R>(
        create: Bool = false, _ body: (inout TreeDictionary<Bytes, Bytes>) throws(MemFluxError) -> R
    ) throws(MemFluxError) -> R? {
        var hash: TreeDictionary<Bytes, Bytes>
        switch value {
        case .hash(let h)?: hash = h
        case nil:
            guard create else { return nil }
            hash = [:]
        default: throw .wrongType
        }
        value = nil
        defer { value = hash.isEmpty ? nil : .hash(hash) }
        return try body(&hash)
    }

    /// JSON documents are not deleted when they become empty (`{}` is a value).
    public mutating func withJSON<R>(_ body: (inout JSONValue) throws(MemFluxError) -> R) throws(MemFluxError) -> R? {
        var document: JSONValue
        switch value {
        case .json(let j)?: document = j
        case nil: return nil
        default: throw .wrongType
        }
        value = nil
        defer { value = .json(document) }
        return try body(&document)
    }

    /// The byte value, nil if absent; WRONGTYPE for containers.
    public func bytes() throws(MemFluxError) -> Bytes? {
        switch value {
        case .bytes(let b)?: return b
        case nil: return nil
        default: throw .wrongType
        }
    }
}
