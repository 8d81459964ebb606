// Random draws shared by SPOP, SRANDMEMBER and HRANDFIELD.

import MemFluxCore
import MemFluxStorage

/// A parsed SRANDMEMBER / HRANDFIELD count: positive draws distinct
/// elements (at most all of them), negative draws |count| that may repeat.
struct RandomCount {
    let magnitude: UInt64
    let distinct: Bool

    /// Draws with repetition are materialised before the reply, so an absurd
    /// count must not exhaust memory (Redis streams them; we refuse instead).
    static let maxRepeatedDraws: UInt64 = 1 << 24

    init(_ c: CommandContext, at i: Int) throws(MemFluxError) {
        let n = try c.int(i)
        guard n != .min else {
            throw MemFluxError(.err, "value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        }
        magnitude = n.magnitude
        distinct = n >= 0
    }

    func sample<C: Collection>(_ elements: C) throws(MemFluxError) -> [C.Element] {
        if magnitude == 0 || elements.isEmpty { return [] }
        if distinct {
            if magnitude >= UInt64(elements.count) { return Array(elements) }
            return RandomSample.distinct(elements, count: Int(magnitude))
        }
        guard magnitude <= RandomCount.maxRepeatedDraws else { throw MemFluxError(.err, "value is out of range") }
        return RandomSample.withRepeats(elements, count: Int(magnitude))
    }
}

/// Uniform random draws from a Swift `Set` or `Dictionary`. Neither offers
/// O(1) random access by position, so each draw is one O(n) walk of the
/// container, whatever the count (Redis's dict can pick a bucket directly).
enum RandomSample {
    /// A uniformly chosen index, nil when empty.
    static func index<C: Collection>(in elements: C) -> C.Index? {
        guard !elements.isEmpty else { return nil }
        return elements.index(elements.startIndex, offsetBy: Int.random(in: 0..<elements.count))
    }

    /// `count` distinct elements (count < elements.count) in one pass: each is
    /// kept with probability still-needed / still-unseen (selection sampling).
    static func distinct<C: Collection>(_ elements: C, count: Int) -> [C.Element] {
        var chosen: [C.Element] = []
        chosen.reserveCapacity(count)
        var unseen = elements.count
        for element in elements {
            if chosen.count == count { break }
            if Int.random(in: 0..<unseen) < count - chosen.count { chosen.append(element) }
            unseen -= 1
        }
        return chosen
    }

    /// `count` independent draws, in random order: sorted offsets are
    /// resolved in one walk, then shuffled.
    static func withRepeats<C: Collection>(_ elements: C, count: Int) -> [C.Element] {
        let n = elements.count
        var offsets = (0..<count).map { _ in Int.random(in: 0..<n) }
        offsets.sort()
        var drawn: [C.Element] = []
        drawn.reserveCapacity(count)
        var index = elements.startIndex
        var position = 0
        for offset in offsets {
            while position < offset {
                elements.formIndex(after: &index)
                position += 1
            }
            drawn.append(elements[index])
        }
        drawn.shuffle()
        return drawn
    }
}

