import Testing
import MemFluxCore
@testable import MemFluxStorage

/// ListValue against an Array model: random pushes, pops, sets, inserts and
/// trims at sizes that span several tree levels, with snapshots (copies)
/// taken along the way that must never change.
@Suite struct ListValueTests {
    @Test func matchesAnArrayAndKeepsSnapshotsIntact() {
        var list = ListValue()
        var model: [Bytes] = []
        var snapshots: [(ListValue, [Bytes])] = []
        var rng = SystemRandomNumberGenerator()
        for step in 0..<40_000 {
            let e = Bytes("e\(step)")
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...2: list.append(e); model.append(e)
            case 3...5: list.prepend(e); model.insert(e, at: 0)
            case 6: if !model.isEmpty { #expect(list.removeFirst() == model.removeFirst()) }
            case 7: if !model.isEmpty { #expect(list.removeLast() == model.removeLast()) }
            case 8:
                if !model.isEmpty {
                    let i = Int.random(in: 0..<model.count, using: &rng)
                    list[i] = e
                    model[i] = e
                }
            default:
                if step % 500 == 9 {
                    let i = Int.random(in: 0...model.count, using: &rng)
                    list.insert(e, at: i)
                    model.insert(e, at: i)
                }
            }
            if step % 4_000 == 0 { snapshots.append((list, model)) }
        }
        #expect(list.count == model.count)
        #expect(Array(list) == model)
        if model.count > 200 {
            #expect(list.elements(in: 100..<200) == Array(model[100..<200]))
            #expect(list[model.count / 2] == model[model.count / 2])
        }
        for _ in 0..<300 where !model.isEmpty {
            let lower = Int.random(in: 0..<model.count, using: &rng)
            let upper = Int.random(in: lower...model.count, using: &rng)
            #expect(list.elements(in: lower..<upper) == Array(model[lower..<upper]))
            #expect(list[lower] == model[lower])
        }
        for (copy, expected) in snapshots { #expect(Array(copy) == expected, "a copy is not changed by later writes") }
        list.removeFirst(list.count / 2)
        list.removeLast(list.count)
        #expect(list.isEmpty && Array(list).isEmpty)
    }

    @Test func growsAndShrinksFromBothEnds() {
        var list = ListValue()
        for i in 0..<100_000 { list.append(Bytes(Int64(i))) }
        for i in 1...100_000 { list.prepend(Bytes(Int64(-i))) }
        #expect(list.count == 200_000)
        #expect(list[0] == Bytes(Int64(-100_000)) && list[199_999] == Bytes(Int64(99_999)))
        #expect(list.elements(in: 99_999..<100_001) == [Bytes(Int64(-1)), Bytes(Int64(0))])
        for _ in 0..<199_999 { list.removeLast() }
        #expect(Array(list) == [Bytes(Int64(-100_000))])
    }
}
