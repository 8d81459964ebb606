import MemFluxCore
@testable import MemFluxStorage
import Testing

/// Batched point reads (a lookup join's probes) see what single reads see:
/// absent, deleted and expired keys as nil, a snapshot's older versions, a
/// transaction's own pending writes, and each value at its key's index.
@Suite struct BatchedReadTests {
    func values(_ ks: Keyspace, _ keys: [String], in tx: Transaction? = nil) -> [String?] {
        var seen = [String?](repeating: "unvisited", count: keys.count)
        let batch = keys.map { Bytes($0) }[...]
        let take = { (i: Int, value: ScannedValue?) in seen[i] = value.flatMap { text($0.value) } }
        if let tx { ks.read(batch: batch, in: tx, prefetching: nil, take: take) } else { ks.read(batch: batch, prefetching: nil, take: take) }
        return seen
    }

    @Test func readsEachKeyAtItsIndex() {
        let ks = Keyspace()
        let keys = (0..<300).map { "k\($0)" }
        for (i, key) in keys.enumerated() where i % 3 != 0 { put(ks, Bytes(key), "v\(i)") }
        put(ks, Bytes("gone"), "x")
        ks.modify(Bytes("gone")) { $0.delete() }
        put(ks, Bytes("expired"), "x", expireAt: 1)
        let expected = keys.indices.map { $0 % 3 == 0 ? nil : "v\($0)" } + [nil, nil, "v1"]
        #expect(values(ks, keys + ["gone", "expired", "k1"]) == expected)
        #expect(values(ks, []) == [])
    }

    @Test func aTransactionSeesItsSnapshotAndItsOwnWrites() {
        let ks = Keyspace()
        for i in 0..<4 { put(ks, Bytes("k\(i)"), "old\(i)") }
        let tx = ks.begin(isolation: .snapshot)
        put(ks, Bytes("k0"), "new0")
        ks.modify(Bytes("k1")) { $0.delete() }
        put(ks, Bytes("k9"), "born later")
        ks.modify(Bytes("k2"), in: tx) { $0.store(.bytes(Bytes("mine"))) }
        ks.modify(Bytes("k3"), in: tx) { $0.delete() }
        #expect(values(ks, ["k0", "k1", "k2", "k3", "k9"], in: tx) == ["old0", "old1", "mine", nil, nil])
        #expect(values(ks, ["k0", "k1", "k2", "k3", "k9"]) == ["new0", nil, "old2", "old3", "born later"])
        ks.rollback(tx)
    }

    @Test func rowsAreReadInPlaceWithTheirReachPrefetched() {
        let ks = Keyspace()
        let layout = RowLayout(columns: ["id", "v", "name"], types: [.integer, .double, .text])
        for i in 0..<100 {
            ks.modify(Bytes("t:\(i)")) { $0.store(.row(TableRow(layout: layout, values: [.int(Int64(i)), .double(Double(i) / 2), .text("n\(i)")]))) }
        }
        var row = [SQLValue](repeating: .null, count: 3)
        var sum = 0.0
        ks.read(batch: (0..<120).map { Bytes("t:\($0)") }[...], prefetching: RowReach(columns: [1], of: layout)) { _, value in
            guard let stored = value?.row else { return }
            stored.decode(into: &row, columns: [1])
            if case .double(let v) = row[1] { sum += v }
        }
        #expect(sum == Double((0..<100).reduce(0, +)) / 2)
        #expect(row[0] == .null && row[2] == .null, "only the columns asked for are decoded")
    }
}
