// System keys: the engine's own records (the SQL catalog first) kept in the
// keyspace itself, so that a DDL statement is a transaction like any other and
// reaches the log and the snapshots with no machinery of its own.
//
// A system key starts with the bytes 0x00 0xFF. Reads and writes by name,
// transactions, expiry, vacuum and persistence treat it as an ordinary key;
// the whole-keyspace operations (KEYS, SCAN, DBSIZE, FLUSHALL/FLUSHDB) leave
// it out, so users see their own keys only. Only a wipe of everything
// (`removeAllIncludingSystemKeys`) removes system keys wholesale.

import MemFluxCore

public enum SystemKey {
    /// The key of record `name` in `namespace`: `\0\xff` + namespace + `:` + name.
    /// Its directory prefix is `prefix(namespace)`, so a namespace's records
    /// are read with one prefix scan.
    ///
    ///     SystemKey.make("sql", Bytes("table:users"))   // "\0\xffsql:table:users"
    ///
    /// - Complexity: O(namespace + name).
    public static func make(_ namespace: String, _ name: Bytes) -> Bytes {
        var key = prefix(namespace).array
        name.withUnsafeBytes { key.append(contentsOf: $0) }
        return Bytes(key)
    }

    /// The directory prefix every key of `namespace` has: `\0\xff` + namespace + `:`.
    /// The namespace is one of the engine's own names and has no `:`.
    public static func prefix(_ namespace: String) -> Bytes {
        precondition(!namespace.utf8.contains(UInt8(ascii: ":")), "a system key namespace has no ':'")
        var key: ContiguousArray<UInt8> = [0x00, 0xFF]
        key.append(contentsOf: namespace.utf8)
        key.append(UInt8(ascii: ":"))
        return Bytes(key)
    }
}

extension Bytes {
    /// Whether this is a system key: it starts with 0x00 0xFF (see `SystemKey`).
    @inlinable
    public var isSystemKey: Bool {
        withUnsafeBytes { $0.count >= 2 && $0[0] == 0x00 && $0[1] == 0xFF }
    }
}
