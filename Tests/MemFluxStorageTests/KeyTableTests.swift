import Testing
import MemFluxCore
@testable import MemFluxStorage

/// The shard table against a Dictionary model: random inserts, updates and
/// removals (which shift probe runs back), growth and shrinking, and keys of
/// every inline/heap form.
@Suite struct KeyTableTests {
    func entry(_ n: Int) -> Entry {
        Entry(head: Version(value: .bytes(Bytes(Int64(n))), sequence: UInt64(n) + 1, expireAt: 0))
    }

    func number(_ e: Entry?) -> Int? {
        guard case .bytes(let b)? = e?.head.value else { return nil }
        return b.parseInt64().map(Int.init)
    }

    @Test func keyForms() {
        var table = KeyTable()
        let keys: [Bytes] = [
            Bytes(), Bytes("a"), Bytes("key:000000012345"), Bytes("key:0000000123456"),
            Bytes([1, 0, 2]), Bytes([1, 2, 0]), Bytes([0]), Bytes([0, 0]), Bytes(String(repeating: "x", count: 100)),
        ]
        for (i, k) in keys.enumerated() { table.insert(k, entry(i)) }
        for (i, k) in keys.enumerated() {
            #expect(number(table[k]) == i, "\(k.debugDescription)")
            #expect(table.key(at: table.find(k)!) == k)
        }
        #expect(table[Bytes("b")] == nil)
        #expect(table[Bytes([1, 2])] == nil, "a shorter key with the same padded words is another key")
    }

    @Test func matchesADictionaryUnderChurn() {
        var table = KeyTable()
        var model: [Bytes: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        for step in 0..<60_000 {
            let k = Bytes("k\(Int.random(in: 0..<3_000, using: &rng))" + (step % 7 == 0 ? String(repeating: "-", count: 20) : ""))
            switch Int.random(in: 0..<3, using: &rng) {
            case 0, 1:
                if let i = table.find(k) {
                    table.entry(at: i).pointee = entry(step)
                } else {
                    table.insert(k, entry(step))
                }
                model[k] = step
            default:
                if let i = table.find(k) { table.remove(at: i) }
                model[k] = nil
            }
        }
        #expect(table.count == model.count)
        let ordered = table.isInProbeOrder
        #expect(ordered)
        for (k, v) in model { #expect(number(table[k]) == v) }
        for i in 3_000..<3_500 { #expect(table.find(Bytes("k\(i)")) == nil) }
        var seen = 0
        table.forEachSlot { _ in seen += 1 }
        #expect(seen == model.count)
        for k in model.keys { table.remove(at: table.find(k)!) }
        #expect(table.count == 0)
        #expect(table.capacity <= 12, "shrinks when emptied")
    }

    /// Keys that share a whole hash (found by search) are all visited by a
    /// walk of that hash, and found, among many others.
    @Test func keysSharingAHashAreVisitedTogether() {
        var byHash: [Int: Bytes] = [:]
        var pair: (Bytes, Bytes)?
        for i in 0..<400_000 {
            let key = Bytes("c\(i)")
            if let other = byHash.updateValue(key, forKey: key.fastHash) {
                pair = (other, key)
                break
            }
        }
        guard let (a, b) = pair else {
            Issue.record("no two keys of 400000 share a 32-bit hash")
            return
        }
        var table = KeyTable()
        for i in 0..<5_000 { table.insert(Bytes("o\(i)"), entry(i)) }
        table.insert(a, entry(1_000_001))
        for i in 5_000..<6_000 { table.insert(Bytes("o\(i)"), entry(i)) }
        table.insert(b, entry(1_000_002))
        var visited: [Int] = []
        table.forEachSlot(withHash: a.fastHash) { visited.append(number(table.entry(at: $0).pointee)!) }
        #expect(visited.sorted() == [1_000_001, 1_000_002])
        #expect(number(table[a]) == 1_000_001 && number(table[b]) == 1_000_002)
        table.remove(at: table.find(a)!)
        #expect(table.find(a) == nil && number(table[b]) == 1_000_002)
        let ordered = table.isInProbeOrder
        #expect(ordered)
    }
}
