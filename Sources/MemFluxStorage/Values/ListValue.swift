// ListValue: a list as a persistent B-tree of chunks. Leaves hold up to 64
// elements in a Deque (O(1) at both ends), inner nodes up to 32 children, and
// each node knows its element count.
//
// Why not a Deque: a Deque is one buffer, so a write to a list that an open
// snapshot still reads would copy all of it. Here a write copies only the
// nodes on one root-to-leaf path (O(log n), a few hundred bytes) and shares
// every other chunk with the snapshot's version. Without a snapshot every node
// is uniquely referenced and mutated in place, so LPUSH/RPUSH/LPOP/RPOP stay
// O(1) amortized plus an O(log n) walk of at most four levels for 1M elements.
//
// A full end leaf gets a new neighbour holding just the new element (not a
// 50/50 split), so lists grown from their ends keep full chunks. Leaves are
// never merged; pops shrink and finally drop them.

import Collections
import MemFluxCore

final class ListNode: @unchecked Sendable {
    // @unchecked: a node is mutated only while uniquely referenced (checked
    // before every write), so a shared node is never written.
    static let leafCapacity = 64
    static let fanout = 32

    let isLeaf: Bool
    var items: Deque<Bytes>
    var children: ContiguousArray<ListNode>
    var count: Int

    init(leaf items: Deque<Bytes>) {
        isLeaf = true
        self.items = items
        children = []
        count = items.count
    }

    init(children: ContiguousArray<ListNode>) {
        isLeaf = false
        items = []
        self.children = children
        count = children.reduce(0) { $0 + $1.count }
    }

    /// A shallow copy: the children are shared.
    func copy() -> ListNode { isLeaf ? ListNode(leaf: items) : ListNode(children: children) }

    /// Child `i`, copied first if something else (a snapshot's version) shares it.
    @inline(__always)
    func uniqueChild(_ i: Int) -> ListNode {
        if !isKnownUniquelyReferenced(&children[i]) { children[i] = children[i].copy() }
        return children[i]
    }

    /// Adds `e` at the end; returns a new right sibling when this node is full.
    func append(_ e: Bytes) -> ListNode? {
        if isLeaf {
            if items.count == ListNode.leafCapacity { return ListNode(leaf: [e]) }
            items.append(e)
        } else if let sibling = uniqueChild(children.count - 1).append(e) {
            if children.count == ListNode.fanout { return ListNode(children: [sibling]) }
            children.append(sibling)
        }
        count += 1
        return nil
    }

    /// Adds `e` at the front; returns a new left sibling when this node is full.
    func prepend(_ e: Bytes) -> ListNode? {
        if isLeaf {
            if items.count == ListNode.leafCapacity { return ListNode(leaf: [e]) }
            items.prepend(e)
        } else if let sibling = uniqueChild(0).prepend(e) {
            if children.count == ListNode.fanout { return ListNode(children: [sibling]) }
            children.insert(sibling, at: 0)
        }
        count += 1
        return nil
    }

    func removeLast() -> Bytes {
        count -= 1
        if isLeaf { return items.removeLast() }
        let last = children.count - 1
        let e = uniqueChild(last).removeLast()
        if children[last].count == 0 { children.removeLast() }
        return e
    }

    func removeFirst() -> Bytes {
        count -= 1
        if isLeaf { return items.removeFirst() }
        let e = uniqueChild(0).removeFirst()
        if children[0].count == 0 { children.removeFirst() }
        return e
    }

    /// The leaf holding position `i`, and the position within it.
    func leaf(containing i: Int) -> (ListNode, Int) {
        var node = self, i = i
        while !node.isLeaf {
            for child in node.children {
                if i < child.count { node = child; break }
                i -= child.count
            }
        }
        return (node, i)
    }

    /// Appends the `count` elements from position `start` of this subtree, leaf by leaf.
    func collect(from start: Int, count: Int, into result: inout [Bytes]) {
        if isLeaf {
            result.append(contentsOf: items[start..<(start + count)])
            return
        }
        var start = start, remaining = count
        var c = 0
        while remaining > 0 {
            let childCount = children[c].count
            if start >= childCount {
                start -= childCount
            } else {
                let take = min(childCount - start, remaining)
                children[c].collect(from: start, count: take, into: &result)
                remaining -= take
                start = 0
            }
            c += 1
        }
    }

    func set(_ e: Bytes, at i: Int) {
        if isLeaf { items[i] = e; return }
        var i = i
        for c in children.indices {
            if i < children[c].count { uniqueChild(c).set(e, at: i); return }
            i -= children[c].count
        }
    }
}

public struct ListValue: Sendable {
    var root = ListNode(leaf: [])

    public init() {}

    public init<S: Sequence>(_ elements: S) where S.Element == Bytes {
        for e in elements { append(e) }
    }

    private mutating func uniqueRoot() -> ListNode {
        if !isKnownUniquelyReferenced(&root) { root = root.copy() }
        return root
    }

    /// After removals: drop levels left with one child, and an empty inner root.
    private mutating func collapse() {
        while !root.isLeaf && root.children.count <= 1 {
            root = root.children.first ?? ListNode(leaf: [])
        }
    }

    public mutating func append(_ e: Bytes) {
        if let sibling = uniqueRoot().append(e) { root = ListNode(children: [root, sibling]) }
    }

    public mutating func prepend(_ e: Bytes) {
        if let sibling = uniqueRoot().prepend(e) { root = ListNode(children: [sibling, root]) }
    }

    /// Removes and returns the first element; the list must not be empty.
    @discardableResult
    public mutating func removeFirst() -> Bytes {
        precondition(!isEmpty, "removeFirst on an empty list")
        defer { collapse() }
        return uniqueRoot().removeFirst()
    }

    @discardableResult
    public mutating func removeLast() -> Bytes {
        precondition(!isEmpty, "removeLast on an empty list")
        defer { collapse() }
        return uniqueRoot().removeLast()
    }

    /// - Complexity: O(k log n).
    public mutating func removeFirst(_ k: Int) { for _ in 0..<k { removeFirst() } }
    public mutating func removeLast(_ k: Int) { for _ in 0..<k { removeLast() } }

    public mutating func removeAll() { root = ListNode(leaf: []) }

    /// Inserts `e` before position `i` (0...count).
    /// - Complexity: O(n): the list is rebuilt, as LINSERT is O(n) in Redis too.
    public mutating func insert(_ e: Bytes, at i: Int) {
        precondition(i >= 0 && i <= count, "insert position out of range")
        if i == 0 { return prepend(e) }
        if i == count { return append(e) }
        var rebuilt = ListValue()
        for (k, element) in self.enumerated() {
            if k == i { rebuilt.append(e) }
            rebuilt.append(element)
        }
        self = rebuilt
    }

    /// Elements at `range`, read leaf by leaf.
    public func elements(in range: Range<Int>) -> [Bytes] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "list range out of bounds")
        var result: [Bytes] = []
        result.reserveCapacity(range.count)
        root.collect(from: range.lowerBound, count: range.count, into: &result)
        return result
    }

    /// Heap bytes of the tree's nodes (MEMUSAGE): each element's 24 bytes plus
    /// node headers, not counting elements' own heap storage.
    public var nodeBytes: Int { count * 24 + (count / ListNode.leafCapacity + 1) * 96 }
}

extension ListValue: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { root.count }
    public var count: Int { root.count }
    public var isEmpty: Bool { root.count == 0 }

    /// - Complexity: O(log n).
    public subscript(position: Int) -> Bytes {
        get {
            precondition(position >= 0 && position < count, "list index out of range")
            let (leaf, i) = root.leaf(containing: position)
            return leaf.items[i]
        }
        set {
            precondition(position >= 0 && position < count, "list index out of range")
            uniqueRoot().set(newValue, at: position)
        }
    }

    /// In-order walk of the leaves: O(1) amortized per element.
    public struct Iterator: IteratorProtocol {
        private var path: [(node: ListNode, next: Int)] = []
        private var leaf: ListNode?
        private var index = 0

        init(_ root: ListNode) {
            var node = root
            while !node.isLeaf {
                path.append((node, 1))
                node = node.children[0]
            }
            leaf = node
        }

        public mutating func next() -> Bytes? {
            while true {
                if let leaf, index < leaf.items.count {
                    index += 1
                    return leaf.items[index - 1]
                }
                guard let top = path.last else { return nil }
                if top.next < top.node.children.count {
                    path[path.count - 1].next += 1
                    var node = top.node.children[top.next]
                    while !node.isLeaf {
                        path.append((node, 1))
                        node = node.children[0]
                    }
                    leaf = node
                    index = 0
                } else {
                    path.removeLast()
                    leaf = nil
                }
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(root) }
}
