// Versions: each key maps to a chain of versions stamped with the commit
// sequence number that installed them. The newest version is stored inline in
// the entry (the common case is a chain of one, so no extra allocation); older
// versions are kept in a linked list only while an open snapshot can still
// read them.

import MemFluxCore

/// One committed state of a key. `value == nil` is a tombstone: the key was
/// deleted at `sequence` while an older snapshot still needed the previous version.
@usableFromInline
struct Version: Sendable {
    @usableFromInline var value: Value?
    /// Commit sequence number of the transaction that installed this version.
    @usableFromInline var sequence: UInt64
    /// Absolute expiry in Unix milliseconds; 0 means no TTL.
    @usableFromInline var expireAt: Int64

    @inlinable
    init(value: Value?, sequence: UInt64, expireAt: Int64) {
        self.value = value
        self.sequence = sequence
        self.expireAt = expireAt
    }

    /// True once the TTL has passed; reads the clock only for keys with a TTL.
    @inlinable
    var isExpired: Bool { expireAt != 0 && expireAt <= WallClock.nowMilliseconds() }

    /// A live value: present and not expired.
    @inlinable
    var liveValue: Value? { isExpired ? nil : value }
}

/// A superseded version, newest first.
@usableFromInline
final class OlderVersion: Sendable {
    @usableFromInline let version: Version
    @usableFromInline let next: OlderVersion?

    @inlinable
    init(_ version: Version, next: OlderVersion?) {
        self.version = version
        self.next = next
    }
}

@usableFromInline
struct Entry: Sendable {
    @usableFromInline var head: Version
    @usableFromInline var older: OlderVersion?

    @inlinable
    init(head: Version, older: OlderVersion? = nil) {
        self.head = head
        self.older = older
    }

    /// The version a snapshot taken at `snapshot` reads, if any.
    @inlinable
    func visible(at snapshot: UInt64) -> Version? {
        if head.sequence <= snapshot { return head }
        var node = older
        while let n = node {
            if n.version.sequence <= snapshot { return n.version }
            node = n.next
        }
        return nil
    }

    /// The live value a snapshot taken at `snapshot` reads from the entry at
    /// `entry`, if any. Only that value is copied: the fields are read through
    /// the pointer, where a method on `entry.pointee` would copy the whole
    /// entry (its value, and its chain) first.
    @inlinable
    static func visibleValue(_ entry: UnsafeMutablePointer<Entry>, at snapshot: UInt64) -> Value? {
        if entry.pointee.head.sequence <= snapshot {
            let expireAt = entry.pointee.head.expireAt
            if expireAt != 0 && expireAt <= WallClock.nowMilliseconds() { return nil }
            return entry.pointee.head.value
        }
        var node = entry.pointee.older
        while let n = node {
            if n.version.sequence <= snapshot { return n.version.liveValue }
            node = n.next
        }
        return nil
    }

    /// Where the live value a snapshot taken at `snapshot` reads from the
    /// entry at `entry` is: in place for the head version (nothing copied,
    /// valid while the entry's shard stays locked), else a copy of an older one.
    @inlinable @inline(__always)
    static func visibleLocation(_ entry: UnsafeMutablePointer<Entry>, at snapshot: UInt64) -> VisibleLocation {
        guard entry.pointee.head.sequence <= snapshot else {
            return visibleValue(entry, at: snapshot).map(VisibleLocation.older) ?? .absent
        }
        guard entry.pointee.head.value != nil else { return .absent }
        let expireAt = entry.pointee.head.expireAt
        if expireAt != 0 && expireAt <= WallClock.nowMilliseconds() { return .absent }
        // A stored property of a struct in place: the projection cannot fail.
        guard let stored = UnsafePointer(entry).pointer(to: \.head.value) else { return .absent }
        return .inPlace(stored)
    }

    /// Number of versions in the chain, for tests and vacuum statistics.
    var chainLength: Int {
        var n = 1
        var node = older
        while let o = node { n += 1; node = o.next }
        return n
    }
}

/// See `Entry.visibleLocation(_:at:)`.
@usableFromInline
enum VisibleLocation {
    case absent
    /// The head version's value, where the entry stores it (never nil).
    case inPlace(UnsafePointer<Value?>)
    case older(Value)
}
