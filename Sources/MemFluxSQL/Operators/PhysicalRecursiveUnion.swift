// WITH RECURSIVE: `non-recursive-term UNION [ALL] recursive-term`, evaluated
// as PostgreSQL does. The non-recursive term's rows are the first working
// table; each iteration runs the recursive term, whose reference to the
// query reads the working table, and its new rows become the next working
// table, until an iteration produces none. UNION (without ALL) drops every
// row equal to one produced before, in any iteration, which is what ends
// the walk of a cyclic graph. Rows stream to the consumer as they are made,
// so a LIMIT above the query stops even an endless recursion.
//
// A runaway recursion must not take the server's memory: past
// `rowLimit` produced rows, or `byteLimit` bytes held (the working tables
// and, for UNION, the rows seen), the statement fails. The byte count is an
// estimate of the values' sizes, enough to catch a row that doubles every
// iteration long before it is dangerous.

import MemFluxCore

/// The rows a recursive query's self-reference reads: one iteration's output.
/// Its rows live in the ExecutionContext, keyed by this object, for one execution.
final class WorkingTable: Sendable {
    let name: String

    init(name: String) {
        self.name = name
    }
}

final class PhysicalWorkingTableScan: PhysicalOperator, @unchecked Sendable {
    let table: WorkingTable

    init(_ table: WorkingTable, width: Int) {
        self.table = table
        super.init(width: width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        guard let rows = context.materializedRows[ObjectIdentifier(table)] else { return }
        for row in rows where try !sink(row) { return }
    }

    override var explainLine: String { "WorkTableScan on \(table.name)" }
}

final class PhysicalRecursiveUnion: PhysicalOperator, @unchecked Sendable {
    static let rowLimit = 10_000_000
    static let byteLimit = 256 << 20

    let table: WorkingTable
    let nonRecursive: PhysicalOperator
    let recursive: PhysicalOperator
    let all: Bool

    init(_ table: WorkingTable, nonRecursive: PhysicalOperator, recursive: PhysicalOperator, all: Bool) {
        self.table = table
        self.nonRecursive = nonRecursive
        self.recursive = recursive
        self.all = all
        super.init(width: nonRecursive.width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        let key = ObjectIdentifier(table)
        defer { context.materializedRows[key] = nil }
        let all = self.all
        let name = table.name
        var seen = Set<HashKey>()
        var next: [Row] = []
        var produced = 0
        var heldBytes = 0
        var nextBytes = 0
        var stopped = false
        func offer(_ row: borrowing Row) throws(MemFluxError) -> Bool {
            let size = RowFootprint.bytes(row)
            if !all {
                guard seen.insert(HashKey(copy row)).inserted else { return true }
                heldBytes += size
            }
            produced += 1
            nextBytes += size
            if produced > PhysicalRecursiveUnion.rowLimit {
                throw MemFluxError(.err, "recursive query \"\(name)\" produced more than \(PhysicalRecursiveUnion.rowLimit) rows")
            }
            if heldBytes + nextBytes > PhysicalRecursiveUnion.byteLimit {
                throw MemFluxError(.err, "recursive query \"\(name)\" needs more than \(PhysicalRecursiveUnion.byteLimit >> 20) MB for its rows")
            }
            next.append(copy row)
            guard try sink(row) else {
                stopped = true
                return false
            }
            return true
        }
        try nonRecursive.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in try offer(row) }
        while !stopped && !next.isEmpty {
            // The working table is kept in the context while the recursive term reads it.
            context.materializedRows[key] = next
            next = []
            let workingBytes = nextBytes
            heldBytes += workingBytes
            nextBytes = 0
            try recursive.run(context) { (row: borrowing Row) throws(MemFluxError) -> Bool in try offer(row) }
            heldBytes -= workingBytes
        }
    }

    override var explainLine: String { "RecursiveUnion on \(table.name)" + (all ? " (all)" : "") }
    override var children: [PhysicalOperator] { [nonRecursive, recursive] }
}

/// An estimate of the memory a row holds: a fixed cost per value plus its text, bytes or elements.
enum RowFootprint {
    static func bytes(_ row: borrowing Row) -> Int {
        var total = 32
        for i in row.indices { total += bytes(row[i]) }
        return total
    }

    private static func bytes(_ value: SQLValue) -> Int {
        switch value {
        case .text(let s): return 24 + s.utf8.count
        case .bytes(let b): return 24 + b.count
        case .array(let items):
            var total = 32
            for item in items { total += bytes(item) }
            return total
        case .json(let document): return 24 + bytes(document)
        default: return 24
        }
    }

    private static func bytes(_ document: JSONValue) -> Int {
        switch document {
        case .string(let s): return 16 + s.utf8.count
        case .array(let items):
            var total = 32
            for item in items { total += bytes(item) }
            return total
        case .object(let fields):
            var total = 32
            for (key, value) in fields { total += 16 + key.utf8.count + bytes(value) }
            return total
        default: return 16
        }
    }
}
