// Cursors shared by SSCAN and HSCAN.

import MemFluxCore
import MemFluxStorage

/// SSCAN / HSCAN options. Redis reads them only once the key is found, so a
/// missing key answers an empty scan even for bad options; callers parse
/// into a `Result` and throw its error after the lookup.
struct ScanArguments {
    var pattern: GlobPattern?
    var count = 10
    var noValues = false

    static let emptyReply = Reply.array([.bulk(Bytes("0")), .emptyArray])

    static func cursor(_ text: Bytes) throws(MemFluxError) -> UInt64 {
        guard let cursor = UInt64(text.string) else { throw MemFluxError(.err, "invalid cursor") }
        return cursor
    }

    static func reply(next: UInt64, items: [Reply]) -> Reply {
        .array([.bulk(Bytes(String(next))), .array(items)])
    }

    init(_ c: CommandContext, from start: Int, allowNoValues: Bool) throws(MemFluxError) {
        var i = start
        while i < c.count {
            let word = c[i]
            let hasValue = i + 1 < c.count
            if word.equalsIgnoringCase("count"), hasValue {
                let n = try c.int(i + 1)
                guard n >= 1 else { throw .syntax }
                count = Int(min(n, Int64(Int32.max)))
                i += 2
            } else if word.equalsIgnoringCase("match"), hasValue {
                let p = GlobPattern(c[i + 1])
                pattern = p.matchesEverything ? nil : p
                i += 2
            } else if word.equalsIgnoringCase("novalues") {
                guard allowNoValues else { throw MemFluxError(.err, "NOVALUES option can only be used in HSCAN") }
                noValues = true
                i += 1
            } else {
                throw .syntax
            }
        }
    }

    func matches(_ element: Bytes) -> Bool { pattern?.matches(element) ?? true }
}

/// A scan cursor over a Swift `Set` or `Dictionary`, whose iteration order
/// changes when it grows or shrinks. As Keyspace+Scan does for keys, elements
/// are visited in order of their hash, which does not move, and the cursor
/// is the next hash position to visit: an element present for the whole
/// iteration is returned exactly once, whatever happens between calls.
enum ContainerScan {
    @inline(__always)
    static func position(_ element: Bytes) -> UInt64 { UInt64(bitPattern: Int64(element.fastHash)) }

    /// The elements at positions >= `cursor`, the `count` smallest (plus any
    /// that tie with the last), and the next cursor (0 when done). Two passes
    /// and a bounded heap: O(n log count) per call.
    static func step<C: Collection>(
        _ elements: C, cursor: UInt64, count: Int, key: (C.Element) -> Bytes
    ) -> (next: UInt64, elements: [C.Element]) {
        var last = UInt64.max
        if count < elements.count {
            var smallest = SmallestPositions(capacity: count)
            for element in elements {
                let p = position(key(element))
                if p >= cursor { smallest.offer(p) }
            }
            if smallest.isFull, let largest = smallest.largest { last = largest }
        }
        var taken: [C.Element] = []
        var next: UInt64?
        for element in elements {
            let p = position(key(element))
            guard p >= cursor else { continue }
            if p <= last {
                taken.append(element)
            } else if next.map({ p < $0 }) ?? true {
                next = p
            }
        }
        return (next ?? 0, taken)
    }
}

/// The `capacity` smallest positions offered so far, as a max-heap whose
/// root is the largest one kept.
struct SmallestPositions {
    private var heap: [UInt64] = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    var isFull: Bool { heap.count == capacity }
    var largest: UInt64? { heap.first }

    mutating func offer(_ p: UInt64) {
        if heap.count < capacity {
            heap.append(p)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[parent] < heap[i] else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        } else if p < heap[0] {
            heap[0] = p
            var i = 0
            while true {
                let left = 2 * i + 1, right = left + 1
                var top = i
                if left < heap.count && heap[left] > heap[top] { top = left }
                if right < heap.count && heap[right] > heap[top] { top = right }
                if top == i { break }
                heap.swapAt(i, top)
                i = top
            }
        }
    }
}
