// ListValue: a list as two end buffers around a persistent B-tree of chunks.
//
// Why not one Deque: a Deque is one buffer, so a write to a list that an open
// snapshot still reads would copy all of it. Here the tree's leaves are
// chunks of up to 64 elements, inner nodes have up to 32 children and know
// their element counts, and a write copies only what it touches: one end
// buffer (at most 64 elements) or one root-to-leaf path, O(log n); every other
// chunk stays shared with the snapshot's version.
//
// Pushes and pops work on the end buffers (Deques, O(1)); a full buffer moves
// into the tree as one leaf and an empty one takes the end leaf back out, so
// the tree is walked once per 64 operations at an end. Without a snapshot
// every node is uniquely referenced and changes in place.

import Collections
import MemFluxCore

final class ListNode: @unchecked Sendable {
    // @unchecked: a node is mutated only while uniquely referenced (checked
    // before every write), so a node a snapshot shares is never written.
    static let chunkCapacity = 64
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

    // Chunk operations on an inner node. Every leaf is at the same depth.

    /// Adds `leaf` after the last one; returns a new right sibling when this node is full.
    func append(leaf: ListNode) -> ListNode? {
        if children[0].isLeaf {
            if children.count == ListNode.fanout { return ListNode(children: [leaf]) }
            children.append(leaf)
        } else if let sibling = uniqueChild(children.count - 1).append(leaf: leaf) {
            if children.count == ListNode.fanout { return ListNode(children: [sibling]) }
            children.append(sibling)
        }
        count += leaf.count
        return nil
    }

    /// Adds `leaf` before the first one; returns a new left sibling when this node is full.
    func prepend(leaf: ListNode) -> ListNode? {
        if children[0].isLeaf {
            if children.count == ListNode.fanout { return ListNode(children: [leaf]) }
            children.insert(leaf, at: 0)
        } else if let sibling = uniqueChild(0).prepend(leaf: leaf) {
            if children.count == ListNode.fanout { return ListNode(children: [sibling]) }
            children.insert(sibling, at: 0)
        }
        count += leaf.count
        return nil
    }

    /// Takes out the first leaf's elements (the leaf object itself may be shared, and is not changed).
    func removeFirstLeaf() -> Deque<Bytes> {
        let items: Deque<Bytes>
        if children[0].isLeaf {
            items = children.removeFirst().items
        } else {
            items = uniqueChild(0).removeFirstLeaf()
            if children[0].count == 0 { children.removeFirst() }
        }
        count -= items.count
        return items
    }

    func removeLastLeaf() -> Deque<Bytes> {
        let items: Deque<Bytes>
        let last = children.count - 1
        if children[last].isLeaf {
            items = children.removeLast().items
        } else {
            items = uniqueChild(last).removeLastLeaf()
            if children[last].count == 0 { children.removeLast() }
        }
        count -= items.count
        return items
    }

    // Element access.

    /// The leaf holding position `i`, and the position within it.
    func leaf(containing i: Int) -> (ListNode, Int) {
        var node = self, i = i
        while !node.isLeaf {
            var c = 0
            while i >= node.children[c].count {
                i -= node.children[c].count
                c += 1
            }
            node = node.children[c]
        }
        return (node, i)
    }

    func set(_ e: Bytes, at i: Int) {
        if isLeaf { items[i] = e; return }
        var i = i, c = 0
        while i >= children[c].count {
            i -= children[c].count
            c += 1
        }
        uniqueChild(c).set(e, at: i)
    }

    /// Appends the `count` elements from position `start` of this subtree, leaf by leaf.
    func collect(from start: Int, count: Int, into result: inout [Bytes]) {
        if isLeaf {
            result.append(contentsOf: items[start..<(start + count)])
            return
        }
        var start = start, remaining = count, c = 0
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
}

/// The three parts of a list, in one object so that moving a list around (in
/// and out of a key's slot, into a Value) retains one reference, as a Deque does.
final class ListBody: @unchecked Sendable {
    // @unchecked: changed only while uniquely referenced (ListValue.makeUnique()).
    /// The first elements, before the tree's (at most `chunkCapacity`).
    var head: Deque<Bytes>
    /// The middle: a leaf when small, else an inner node.
    var tree: ListNode
    /// The last elements, after the tree's (at most `chunkCapacity`).
    var tail: Deque<Bytes>

    init(head: Deque<Bytes> = [], tree: ListNode = ListNode(leaf: []), tail: Deque<Bytes> = []) {
        self.head = head
        self.tree = tree
        self.tail = tail
    }

    var count: Int { head.count + tree.count + tail.count }

    func uniqueTree() -> ListNode {
        if !isKnownUniquelyReferenced(&tree) { tree = tree.copy() }
        return tree
    }

    /// Moves a full end buffer into the tree as one leaf.
    func pushIntoTree(_ items: Deque<Bytes>, atEnd: Bool) {
        let leaf = ListNode(leaf: items)
        if tree.isLeaf {
            if tree.count == 0 {
                tree = leaf
            } else {
                tree = ListNode(children: atEnd ? [tree, leaf] : [leaf, tree])
            }
            return
        }
        let node = uniqueTree()
        if let sibling = atEnd ? node.append(leaf: leaf) : node.prepend(leaf: leaf) {
            tree = ListNode(children: atEnd ? [tree, sibling] : [sibling, tree])
        }
    }

    /// Takes the tree's first or last leaf out (the tree must not be empty).
    func takeFromTree(atEnd: Bool) -> Deque<Bytes> {
        if tree.isLeaf {
            let items = tree.items
            tree = ListNode(leaf: [])
            return items
        }
        let node = uniqueTree()
        let items = atEnd ? node.removeLastLeaf() : node.removeFirstLeaf()
        while !tree.isLeaf && tree.children.count <= 1 {
            tree = tree.children.first ?? ListNode(leaf: [])
        }
        return items
    }
}

public struct ListValue: Sendable {
    var body = ListBody()

    public init() {}

    public init<S: Sequence>(_ elements: S) where S.Element == Bytes {
        for e in elements { append(e) }
    }

    var head: Deque<Bytes> { body.head }
    var tree: ListNode { body.tree }
    var tail: Deque<Bytes> { body.tail }

    /// Copies the body first (three references) if a snapshot's version shares it.
    /// Callers then reach `body` through `self`, which costs no retain.
    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&body) { body = ListBody(head: body.head, tree: body.tree, tail: body.tail) }
    }

    public mutating func append(_ e: Bytes) {
        makeUnique()
        if body.tail.count == ListNode.chunkCapacity {
            body.pushIntoTree(body.tail, atEnd: true)
            body.tail = Deque(minimumCapacity: ListNode.chunkCapacity)  // grown once, not 1, 2, 4 ... 64
        }
        body.tail.append(e)
    }

    public mutating func prepend(_ e: Bytes) {
        makeUnique()
        if body.head.count == ListNode.chunkCapacity {
            body.pushIntoTree(body.head, atEnd: false)
            body.head = Deque(minimumCapacity: ListNode.chunkCapacity)
        }
        body.head.prepend(e)
    }

    /// Removes and returns the first element; the list must not be empty.
    @discardableResult
    public mutating func removeFirst() -> Bytes {
        makeUnique()
        if body.head.isEmpty && body.tree.count > 0 { body.head = body.takeFromTree(atEnd: false) }
        if !body.head.isEmpty { return body.head.removeFirst() }
        precondition(!body.tail.isEmpty, "removeFirst on an empty list")
        return body.tail.removeFirst()
    }

    @discardableResult
    public mutating func removeLast() -> Bytes {
        makeUnique()
        if body.tail.isEmpty && body.tree.count > 0 { body.tail = body.takeFromTree(atEnd: true) }
        if !body.tail.isEmpty { return body.tail.removeLast() }
        precondition(!body.head.isEmpty, "removeLast on an empty list")
        return body.head.removeLast()
    }

    /// - Complexity: O(k), plus O(log n) per 64 elements.
    public mutating func removeFirst(_ k: Int) { for _ in 0..<k { removeFirst() } }
    public mutating func removeLast(_ k: Int) { for _ in 0..<k { removeLast() } }

    public mutating func removeAll() { self = ListValue() }

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

    /// Elements at `range`, copied a chunk at a time.
    public func elements(in range: Range<Int>) -> [Bytes] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "list range out of bounds")
        var result: [Bytes] = []
        result.reserveCapacity(range.count)
        var start = range.lowerBound, remaining = range.count
        if start < head.count {
            let take = Swift.min(head.count - start, remaining)
            result.append(contentsOf: head[start..<(start + take)])
            remaining -= take
            start = 0
        } else {
            start -= head.count
        }
        if remaining > 0 && start < tree.count {
            let take = Swift.min(tree.count - start, remaining)
            tree.collect(from: start, count: take, into: &result)
            remaining -= take
            start = 0
        } else if remaining > 0 {
            start -= tree.count
        }
        if remaining > 0 { result.append(contentsOf: tail[start..<(start + remaining)]) }
        return result
    }

    /// Heap bytes of the buffers and nodes (MEMUSAGE): each element's 24
    /// bytes plus node headers, not counting elements' own heap storage.
    public var nodeBytes: Int { count * 24 + (tree.count / ListNode.chunkCapacity + 3) * 96 }
}

extension ListValue: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public var count: Int { body.count }
    public var isEmpty: Bool { count == 0 }

    /// - Complexity: O(log n).
    public subscript(position: Int) -> Bytes {
        get {
            precondition(position >= 0 && position < count, "list index out of range")
            if position < head.count { return head[position] }
            let i = position - head.count
            if i < tree.count {
                let (leaf, j) = tree.leaf(containing: i)
                return leaf.items[j]
            }
            return tail[i - tree.count]
        }
        set {
            precondition(position >= 0 && position < count, "list index out of range")
            makeUnique()
            if position < body.head.count { body.head[position] = newValue; return }
            let i = position - body.head.count
            if i < body.tree.count { body.uniqueTree().set(newValue, at: i); return }
            body.tail[i - body.tree.count] = newValue
        }
    }

    /// In-order walk: the head, the tree's leaves left to right, the tail.
    public struct Iterator: IteratorProtocol {
        private let list: ListValue
        /// 0: head, 1: tree, 2: tail, 3: done.
        private var part = 0
        private var index = 0
        private var path: [(node: ListNode, next: Int)] = []
        private var leaf: Deque<Bytes> = []

        init(_ list: ListValue) { self.list = list }

        public mutating func next() -> Bytes? {
            while true {
                switch part {
                case 0:
                    if index < list.head.count { index += 1; return list.head[index - 1] }
                    part = 1
                    index = 0
                    descend(from: list.tree)
                case 1:
                    if index < leaf.count { index += 1; return leaf[index - 1] }
                    guard let top = path.last else { part = 2; index = 0; continue }
                    if top.next < top.node.children.count {
                        path[path.count - 1].next += 1
                        descend(from: top.node.children[top.next])
                    } else {
                        path.removeLast()
                    }
                case 2:
                    if index < list.tail.count { index += 1; return list.tail[index - 1] }
                    part = 3
                default:
                    return nil
                }
            }
        }

        private mutating func descend(from node: ListNode) {
            var node = node
            while !node.isLeaf {
                path.append((node, 1))
                node = node.children[0]
            }
            leaf = node.items
            index = 0
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
}
