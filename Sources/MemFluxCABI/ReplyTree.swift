// A reply tree: a command's Reply or a SQL result laid out in one malloc'd
// block, so C walks it with pointer arithmetic and frees it with one call.
// Every node is a 32-byte ReplyNode; an aggregate's elements are contiguous
// nodes, so element i is one addition away. Strings follow in the same block,
// each with a NUL after it. Offsets are relative to the node that holds them,
// which lets the block grow (realloc) while it is built and needs no fix-up.
//
// A ROWS node's elements are the columns node (an ARRAY of TEXT names, each
// name node pointing at its type's name) followed by one ARRAY per row.

import CMemFlux
import MemFlux
import MemFluxCore
import MemFluxSQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ReplyNode {
    var type: Int32
    /// ERROR: the length of its code word.
    var codeLength: Int32
    /// Bytes of a string (without its NUL), elements of an aggregate.
    var length: Int
    /// INTEGER and BOOL: the value; DOUBLE: its bits; strings: the offset of their bytes.
    var value: Int64
    /// Aggregates: the offset of the first element; ERROR: of the code word (the SQLSTATE
    /// follows its NUL); a column name: of its type's name.
    var link: Int
}

enum ReplyType {
    static let null = Int32(MEMFLUX_REPLY_NIL), ok = Int32(MEMFLUX_REPLY_OK), status = Int32(MEMFLUX_REPLY_STATUS)
    static let error = Int32(MEMFLUX_REPLY_ERROR), integer = Int32(MEMFLUX_REPLY_INTEGER)
    static let double = Int32(MEMFLUX_REPLY_DOUBLE), bool = Int32(MEMFLUX_REPLY_BOOL), bulk = Int32(MEMFLUX_REPLY_BULK)
    static let text = Int32(MEMFLUX_REPLY_TEXT), array = Int32(MEMFLUX_REPLY_ARRAY), map = Int32(MEMFLUX_REPLY_MAP)
    static let set = Int32(MEMFLUX_REPLY_SET), rows = Int32(MEMFLUX_REPLY_ROWS)
}

/// Builds one tree. Node positions are offsets from `base`, never pointers,
/// because growing the block may move it.
struct ReplyTreeBuilder: ~Copyable {
    private var base: UnsafeMutableRawPointer?
    private var capacity: Int
    private var used = 0
    private static let nodeSize = MemoryLayout<ReplyNode>.stride

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = malloc(capacity)
    }

    /// The finished tree (its root at the start), or nil when memory ran out.
    consuming func finish() -> UnsafeMutableRawPointer? {
        base
    }

    /// Reserves `count` contiguous nodes; answers the first one's offset.
    mutating func reserveNodes(_ count: Int) -> Int {
        reserve(count * Self.nodeSize)
    }

    private mutating func reserve(_ bytes: Int) -> Int {
        let offset = (used + 7) & ~7
        let end = offset + bytes
        if end > capacity, base != nil {
            var grown = capacity * 2
            while grown < end { grown *= 2 }
            if let moved = realloc(base, grown) {
                base = moved
                capacity = grown
            } else {
                free(base)
                base = nil
            }
        }
        guard let base else { return 0 }
        memset(base + offset, 0, bytes)
        used = end
        return offset
    }

    private mutating func withNode(_ offset: Int, _ body: (inout ReplyNode) -> Void) {
        guard let base else { return }
        body(&(base + offset).assumingMemoryBound(to: ReplyNode.self).pointee)
    }

    /// Copies `bytes` and a NUL into the block; answers their offset.
    private mutating func appendString(_ bytes: UnsafeRawBufferPointer) -> Int {
        let offset = reserve(bytes.count + 1)
        if let base, let source = bytes.baseAddress, bytes.count > 0 { memcpy(base + offset, source, bytes.count) }
        return offset
    }

    mutating func setString(_ node: Int, _ type: Int32, _ bytes: UnsafeRawBufferPointer) {
        let offset = appendString(bytes)
        withNode(node) {
            $0.type = type
            $0.length = bytes.count
            $0.value = Int64(offset - node)
        }
    }

    mutating func setString(_ node: Int, _ type: Int32, _ text: String) {
        var text = text
        text.withUTF8 { setString(node, type, UnsafeRawBufferPointer($0)) }
    }

    mutating func setScalar(_ node: Int, _ type: Int32, _ value: Int64) {
        withNode(node) {
            $0.type = type
            $0.value = value
        }
    }

    /// Makes `node` an aggregate of `count` elements; answers the first element's offset.
    mutating func setAggregate(_ node: Int, _ type: Int32, count: Int) -> Int {
        let first = reserveNodes(count)
        withNode(node) {
            $0.type = type
            $0.length = count
            $0.link = first - node
        }
        return first
    }

    mutating func setError(_ node: Int, _ error: MemFluxError) {
        setString(node, ReplyType.error, error.message)
        // One string, so the SQLSTATE starts right after the code's NUL.
        let code = error.code.rawValue
        var codeAndState = code + "\0" + error.sqlState
        let codeOffset = codeAndState.withUTF8 { appendString(UnsafeRawBufferPointer($0)) }
        withNode(node) {
            $0.codeLength = Int32(truncatingIfNeeded: code.utf8.count)
            $0.link = codeOffset - node
        }
    }

    // MARK: Replies

    mutating func write(_ reply: Reply, at node: Int) {
        switch reply {
        case .status(let text): setString(node, text == "OK" ? ReplyType.ok : ReplyType.status, text)
        case .error(let error): setError(node, error)
        case .integer(let n): setScalar(node, ReplyType.integer, n)
        case .bulk(let bytes): bytes.withUnsafeBytes { setString(node, ReplyType.bulk, $0) }
        case .null, .nullArray: setScalar(node, ReplyType.null, 0)
        case .double(let d): setScalar(node, ReplyType.double, Int64(bitPattern: d.bitPattern))
        case .bool(let b): setScalar(node, ReplyType.bool, b ? 1 : 0)
        case .array(let items): writeElements(items, node, ReplyType.array)
        case .set(let items): writeElements(items, node, ReplyType.set)
        case .map(let items): writeElements(items, node, ReplyType.map)
        }
    }

    private mutating func writeElements(_ items: [Reply], _ node: Int, _ type: Int32) {
        let first = setAggregate(node, type, count: items.count)
        for (i, item) in items.enumerated() { write(item, at: first + i * Self.nodeSize) }
    }

    // MARK: SQL results

    mutating func write(_ result: SQLResult, at node: Int) {
        switch result {
        case .rows(let columns, let rows): writeRows(columns, rows, at: node)
        case .json(_, let rows): writeElements(rows.map { .bulk($0) }, node, ReplyType.array)
        case .count(let n): setScalar(node, ReplyType.integer, n)
        case .ok, .transactionControl: setString(node, ReplyType.ok, "OK")
        case .plan(let lines):
            writeRows([OutputColumn(name: "QUERY PLAN", type: .text)], lines.map { [.text($0)] }, at: node)
        }
    }

    private mutating func writeRows(_ columns: [OutputColumn], _ rows: [Row], at node: Int) {
        let first = setAggregate(node, ReplyType.rows, count: rows.count + 1)
        withNode(node) { $0.length = rows.count }
        let names = setAggregate(first, ReplyType.array, count: columns.count)
        for (i, column) in columns.enumerated() {
            let name = names + i * Self.nodeSize
            setString(name, ReplyType.text, column.name)
            var typeName = column.type.postgresName
            let typeOffset = typeName.withUTF8 { appendString(UnsafeRawBufferPointer($0)) }
            withNode(name) { $0.link = typeOffset - name }
        }
        var scratch: [UInt8] = []
        for (r, row) in rows.enumerated() {
            let cells = setAggregate(first + (r + 1) * Self.nodeSize, ReplyType.array, count: row.count)
            for (c, value) in row.enumerated() {
                let type = c < columns.count ? columns[c].type : .dynamic
                write(value, type: type, at: cells + c * Self.nodeSize, scratch: &scratch)
            }
        }
    }

    private mutating func write(_ value: SQLValue, type: SQLType, at node: Int, scratch: inout [UInt8]) {
        switch value {
        case .null: setScalar(node, ReplyType.null, 0)
        case .bool(let b): setScalar(node, ReplyType.bool, b ? 1 : 0)
        case .int(let i): setScalar(node, ReplyType.integer, i)
        case .double(let d):
            setScalar(node, ReplyType.double, Int64(bitPattern: (type == .real ? Self.decimalValue(ofReal: d) : d).bitPattern))
        case .text(let s): setString(node, ReplyType.text, s)
        case .bytes(let b): b.withUnsafeBytes { setString(node, ReplyType.bulk, $0) }
        default:
            scratch.removeAll(keepingCapacity: true)
            value.appendText(to: &scratch, type: type)
            scratch.withUnsafeBytes { setString(node, ReplyType.text, $0) }
        }
    }
}

extension ReplyTreeBuilder {
    /// A `real` (float4) as the double its shortest decimal names, as PostgreSQL
    /// prints it and drivers read it: 1080.45, not 1080.449951171875.
    static func decimalValue(ofReal value: Double) -> Double {
        let real = Float(value)
        // Whole numbers below 2^24 print as themselves: no conversion needed.
        guard real.isFinite, Double(real) == value, !(real.magnitude < 16_777_216 && real.rounded() == real) else {
            return value
        }
        // The fewest decimals that still name this float: d / 10^k, with d and
        // 10^k exact doubles, is the correctly rounded double of that decimal,
        // as parsing its text would give, without the text. Below 2^24 a float's
        // spacing is at most 1, so no shorter form with zeros before the point exists.
        if value.magnitude >= 1e-4 && value.magnitude < 16_777_216 {
            var scale = 1.0
            for _ in 0...9 {
                let digits = (value * scale).rounded(.toNearestOrEven)
                if Float(digits / scale) == real { return digits / scale }
                scale *= 10
            }
        }
        return Double(real.description) ?? value
    }

    /// A tree for a command's reply.
    static func tree(_ reply: Reply) -> OpaquePointer? {
        var builder = ReplyTreeBuilder()
        let root = builder.reserveNodes(1)
        builder.write(reply, at: root)
        return builder.finish().map(OpaquePointer.init)
    }

    /// A tree for a SQL result.
    static func tree(_ result: SQLResult) -> OpaquePointer? {
        var builder = ReplyTreeBuilder(capacity: 1024)
        let root = builder.reserveNodes(1)
        builder.write(result, at: root)
        return builder.finish().map(OpaquePointer.init)
    }

    static func tree(_ error: MemFluxError) -> OpaquePointer? { tree(Reply.error(error)) }
}
