// TableRow: a row of a SQL table with a schema, stored as the value of its key
// (`t:<primary key>`): its values by declared column position, and a
// reference to the layout (column names and types) that the table's rows
// share, so a row costs its values and one pointer, never a copy of its
// schema. A table whose columns change gets a new layout; each row keeps the
// one it was written with until it is rewritten.
//
// Rows are plain data here. What the values mean (casts, comparison, how a
// row renders as JSON) belongs to the SQL engine; the storage layer only
// keeps, versions and persists them (Persistence/RowCoding.swift).

import CPrefetch
import MemFluxCore

/// The column names and declared types shared by the rows of one table version (a class: every row holds a reference, not a copy).
///
///     let layout = RowLayout(columns: ["id", "name"], types: [.integer, .text])
///     let row = TableRow(layout: layout, values: [.int(1), .text("Ada")])
///
/// Two layouts are equal when their names (byte for byte) and types are.
public final class RowLayout: Sendable, Hashable {
    public let columns: [String]
    public let types: [SQLType]
    /// The layout as logs and snapshots write it, made once here; equality
    /// and hashing compare it, and recovery interns layouts by it.
    let encoding: Bytes

    public init(columns: [String], types: [SQLType]) {
        precondition(columns.count == types.count, "a row layout has one type per column")
        self.columns = columns
        self.types = types
        var encoded: [UInt8] = []
        encoded.appendLayout(columns: columns, types: types)
        encoding = Bytes(encoded)
    }

    public static func == (a: RowLayout, b: RowLayout) -> Bool { a === b || a.encoding == b.encoding }

    public func hash(into hasher: inout Hasher) { hasher.combine(encoding) }
}

/// One row: a value per column of `layout`, in its order, packed into one
/// heap object. Copying a row retains that object only. The struct also
/// repeats, where the keyspace stores it (in the version's value), the
/// row's layout and the kinds of its first columns: a scan tells whether a
/// row has its table's layout, and what a column holds, without touching the
/// object, and reads from the object only the words of the columns it needs
/// (see TableRowStorage).
///
///     let row = TableRow(layout: layout, values: [.int(1), .text("Ada")])
///     row[1]        // .text("Ada")
///     row.values    // [.int(1), .text("Ada")]
public struct TableRow: @unchecked Sendable {
    // @unchecked: ManagedBuffer is not Sendable; the storage is never written after it is made.
    @usableFromInline let storage: TableRowStorage
    /// `storage`'s layout, unretained: the storage holds it for as long as this row exists.
    @usableFromInline unowned(unsafe) let sharedLayout: RowLayout
    /// The tags of columns `0..<16` (see `TableRowStorage.leadingTags`).
    @usableFromInline let leadingTags: UInt64

    public init(layout: RowLayout, values: [SQLValue]) {
        storage = TableRowStorage.make(layout: layout, values: values)
        sharedLayout = layout
        leadingTags = storage.leadingTags
    }

    @inlinable public var layout: RowLayout { sharedLayout }
    /// Values in the row (the layout's column count for rows SQL writes).
    @inlinable public var count: Int { storage.header.count }

    /// Every value, decoded into a new array.
    public var values: [SQLValue] {
        var out: [SQLValue] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(self[i]) }
        return out
    }

    /// The value at column position `column` (`0..<count`).
    @inlinable public subscript(column: Int) -> SQLValue { storage.value(at: column, leadingTags) }

    /// Writes every value into `row` at its own position, as `BorrowedRow.decode` does: a reused row, no new array.
    @inlinable
    public func decode(into row: inout [SQLValue]) { TableRowStorage.decode(storage, leadingTags, into: &row, columns: nil) }

    /// Heap bytes the row holds: its object and what its boxed values point
    /// to. The layout is shared by the table's rows and not counted.
    var estimatedBytes: Int {
        let boxed = storage.header.boxed
        let boxedBytes = boxed.isEmpty ? 0 : boxed.reduce(32 + boxed.count * MemoryLayout<SQLValue>.stride) { $0 + $1.estimatedHeapBytes }
        return storage.objectBytes + boxedBytes
    }
}

/// A table row read where the keyspace stores it (`ScannedValue.row`):
/// neither copied nor retained, so valid only while its scan's `take` runs.
/// Its layout and leading tags come from the keyspace's slot; only reading a
/// column's value touches the row's object.
public struct BorrowedRow {
    @usableFromInline let storage: Unmanaged<TableRowStorage>
    @usableFromInline let layout: Unmanaged<RowLayout>
    @usableFromInline let leadingTags: UInt64

    @inlinable
    init?(_ stored: UnsafePointer<Value?>) {
        guard case .row(let row)? = stored.pointee else { return nil }
        storage = .passUnretained(row.storage)
        layout = .passUnretained(row.sharedLayout)
        leadingTags = row.leadingTags
    }

    /// True when the row was written with `layout` (the object, not an equal copy).
    @inlinable
    public func has(_ layout: RowLayout) -> Bool { self.layout.toOpaque() == Unmanaged.passUnretained(layout).toOpaque() }

    /// Asks the cache for the lines of the row's object that `reach` spans
    /// (the scan's walk does, as it lists a batch).
    @inlinable @inline(__always)
    func prefetch(_ reach: RowReach) {
        let object = UnsafeRawPointer(storage.toOpaque())
        memflux_prefetch_span(object + reach.start, object + reach.last)
    }

    /// What `column` holds, read without making a value, for a filter to
    /// decide on before the row is decoded.
    @inlinable @inline(__always)
    public func scalar(at column: Int) -> StoredScalar {
        storage._withUnsafeGuaranteedRef { $0.scalar(at: column, leadingTags) }
    }

    /// Writes the values at `columns` (every column when nil) into `row` at
    /// the same positions, leaving its other positions as they are: a scan
    /// decodes the columns its query reads into one reused row. Positions at
    /// or beyond `row.count` are skipped; `row` positions this row lacks become NULL.
    @inlinable
    public func decode(into row: inout [SQLValue], columns: [Int]?) {
        let tags = leadingTags
        storage._withUnsafeGuaranteedRef { TableRowStorage.decode($0, tags, into: &row, columns: columns) }
    }
}

/// The bytes of a row's object that reading some of its columns touches, as
/// cache lines to prefetch: from `start` (an offset from the object's
/// address), `extraLines` lines past the first.
public struct RowReach: Sendable {
    @usableFromInline let start: Int
    /// The last byte's offset.
    @usableFromInline let last: Int

    /// What reading `columns` of rows with `layout` touches; nil when nothing
    /// (no columns: a row's layout and kinds are read from its slot). A text
    /// or boxed column also reaches the short texts after the words and tags.
    public init?(columns: [Int], of layout: RowLayout) {
        let n = layout.columns.count
        let read = columns.filter { $0 >= 0 && $0 < n }
        guard let first = read.min(), let lastColumn = read.max() else { return nil }
        let wordsOnly = lastColumn < TableRowStorage.inlineTagColumns && read.allSatisfy { i in
            switch layout.types[i] {
            case .boolean, .smallint, .integer, .bigint, .real, .double, .date, .time, .timestamp, .timestamptz: true
            default: false
            }
        }
        let words = TableRowStorage.elementsOffset
        start = words + first * 8
        last = wordsOnly ? words + lastColumn * 8 + 7 : words + n * 8 + (n + 7) / 8 * 8 + TableRowStorage.shortTextLimit
    }
}

/// A stored column as a filter's fast path sees it (`BorrowedRow.scalar(at:)`).
public enum StoredScalar {
    case null, int(Int64), double(Double)
    /// Any other kind of value, or a column the row lacks.
    case other
}

/// What a TableRowStorage keeps before its words.
@usableFromInline
struct TableRowHeader {
    @usableFromInline let layout: RowLayout
    @usableFromInline let count: Int
    /// Values that are not one word or short text: NUMERIC, longer text, BYTEA, UUID, JSON, arrays.
    @usableFromInline let boxed: [SQLValue]
}

/// A row's values in one object: after the header, one 8-byte word per
/// column, then one tag byte per column (what the word means), then the
/// UTF-8 bytes of short texts. Fixed-width values (booleans, integers,
/// doubles by bit pattern, dates and times) are their word; text of up to 15
/// bytes is an offset and length into the text bytes (it decodes to a small
/// String, with no allocation); anything else is an index into `boxed`.
/// Immutable once made.
@usableFromInline
final class TableRowStorage: ManagedBuffer<TableRowHeader, UInt64> {
    @usableFromInline enum Tag: UInt8 {
        case null, bool, int, double, timestamp, timestamptz, date, time, shortText, boxed
    }

    /// Texts longer than this are boxed Strings: decoding them from bytes would allocate per read.
    static let shortTextLimit = 15

    static func make(layout: RowLayout, values: [SQLValue]) -> TableRowStorage {
        let n = values.count
        var textBytes = 0
        var boxed: [SQLValue] = []
        for v in values {
            switch v {
            case .text(let s): if s.utf8.count <= shortTextLimit { textBytes += s.utf8.count } else { boxed.append(v) }
            case .numeric, .bytes, .uuid, .json, .array: boxed.append(v)
            default: break
            }
        }
        let tagWords = (n + 7) / 8
        let words = n + tagWords + (textBytes + 7) / 8
        let storage = unsafeDowncast(
            create(minimumCapacity: words) { _ in TableRowHeader(layout: layout, count: n, boxed: boxed) },
            to: TableRowStorage.self)
        storage.withUnsafeMutablePointerToElements { elements in
            elements.initialize(repeating: 0, count: words)
            let bytes = UnsafeMutableRawPointer(elements)
            var textOffset = (n + tagWords) * 8
            var boxIndex = 0
            for (i, v) in values.enumerated() {
                let tag: Tag
                var word: UInt64 = 0
                switch v {
                case .null: tag = .null
                case .bool(let b): tag = .bool; word = b ? 1 : 0
                case .int(let x): tag = .int; word = UInt64(bitPattern: x)
                case .double(let d): tag = .double; word = d.bitPattern
                case .timestamp(let t): tag = .timestamp; word = UInt64(bitPattern: t)
                case .timestamptz(let t): tag = .timestamptz; word = UInt64(bitPattern: t)
                case .date(let d): tag = .date; word = UInt64(bitPattern: Int64(d))
                case .time(let t): tag = .time; word = UInt64(bitPattern: t)
                case .text(var s) where s.utf8.count <= shortTextLimit:
                    tag = .shortText
                    let length = s.withUTF8 { utf8 in
                        (bytes + textOffset).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
                        return utf8.count
                    }
                    word = UInt64(textOffset) << 8 | UInt64(length)
                    textOffset += length
                case .text, .numeric, .bytes, .uuid, .json, .array:
                    tag = .boxed; word = UInt64(boxIndex); boxIndex += 1
                }
                elements[i] = word
                bytes.storeBytes(of: tag.rawValue, toByteOffset: n * 8 + i, as: UInt8.self)
            }
        }
        return storage
    }

    /// Where the words start in the object: after Swift's object header and the row header.
    static let elementsOffset = (16 + MemoryLayout<TableRowHeader>.stride + 7) & ~7

    /// Bytes of the object as allocated.
    var objectBytes: Int { TableRowStorage.elementsOffset + capacity * 8 }

    /// Columns whose tags a TableRow also keeps beside its object, four bits each.
    @usableFromInline static let inlineTagColumns = 16
    /// The four-bit tag of a column past the row's end.
    @usableFromInline static let absentTag: UInt64 = 0xF

    /// The tags of columns `0..<16`, four bits each from the low end; a column the row lacks is `absentTag`.
    var leadingTags: UInt64 {
        var tags: UInt64 = 0
        for i in 0..<TableRowStorage.inlineTagColumns {
            let tag = i < header.count ? UInt64(storedTag(i).rawValue) : TableRowStorage.absentTag
            tags |= tag << (4 * i)
        }
        return tags
    }

    /// Column `column`'s tag as the object stores it (`column` is in `0..<count`).
    @inlinable @inline(__always)
    func storedTag(_ column: Int) -> Tag {
        withUnsafeMutablePointerToElements { elements in
            // `column` is in 0..<count (callers check), so the offset cannot overflow.
            Tag(rawValue: UnsafeRawPointer(elements).load(fromByteOffset: header.count &* 8 &+ column, as: UInt8.self)) ?? .null
        }
    }

    /// Column `column`'s tag, from `leadingTags` where they hold it; nil for a column the row lacks.
    @inlinable @inline(__always)
    func tag(_ column: Int, _ leadingTags: UInt64) -> Tag? {
        if column >= 0 && column < TableRowStorage.inlineTagColumns {
            let nibble = (leadingTags >> (4 &* UInt64(column))) & 0xF
            return nibble == TableRowStorage.absentTag ? nil : Tag(rawValue: UInt8(nibble)) ?? .null
        }
        guard column >= 0 && column < header.count else { return nil }
        return storedTag(column)
    }

    @inlinable @inline(__always)
    func word(_ column: Int) -> UInt64 { withUnsafeMutablePointerToElements { $0[column] } }

    @inlinable
    func value(at column: Int, _ leadingTags: UInt64) -> SQLValue {
        guard let tag = tag(column, leadingTags) else { return .null }
        let word = word(column)
        switch tag {
        case .null: return .null
        case .bool: return .bool(word != 0)
        case .int: return .int(Int64(bitPattern: word))
        case .double: return .double(Double(bitPattern: word))
        case .timestamp: return .timestamp(Int64(bitPattern: word))
        case .timestamptz: return .timestamptz(Int64(bitPattern: word))
        case .date: return .date(Int32(truncatingIfNeeded: Int64(bitPattern: word)))
        case .time: return .time(Int64(bitPattern: word))
        case .shortText:
            let text = withUnsafeMutablePointerToElements { elements in
                String(decoding: UnsafeRawBufferPointer(start: UnsafeRawPointer(elements) + Int(word >> 8), count: Int(word & 0xff)), as: UTF8.self)
            }
            return .text(text)
        case .boxed: return header.boxed[Int(word)]
        }
    }

    @inlinable
    static func decode(_ storage: TableRowStorage, _ leadingTags: UInt64, into row: inout [SQLValue], columns: [Int]?) {
        // One uniqueness check for the row, not one per column.
        row.withUnsafeMutableBufferPointer { values in
            guard let columns else {
                for i in values.indices { values[i] = storage.value(at: i, leadingTags) }
                return
            }
            for i in columns where i < values.count { values[i] = storage.value(at: i, leadingTags) }
        }
    }

    @inlinable @inline(__always)
    func scalar(at column: Int, _ leadingTags: UInt64) -> StoredScalar {
        switch tag(column, leadingTags) {
        case .null?: return .null
        case .int?: return .int(Int64(bitPattern: word(column)))
        case .double?: return .double(Double(bitPattern: word(column)))
        default: return .other
        }
    }
}

extension SQLValue {
    /// Heap bytes beyond the value itself: strings of up to 15 UTF-8 bytes
    /// live inside a Swift String, arrays cost a 32-byte header.
    var estimatedHeapBytes: Int {
        switch self {
        case .null, .bool, .int, .double, .timestamp, .timestamptz, .date, .time, .uuid: return 0
        case .numeric(let n): return n.limbs.isEmpty ? 0 : 32 + 4 * n.limbs.count
        case .text(let s): return s.utf8.count <= 15 ? 0 : 32 + s.utf8.count
        case .bytes(let b): return b.isEmpty ? 0 : 32 + b.count
        case .json(let j): return j.estimatedBytes
        case .array(let elements):
            return elements.reduce(32 + elements.count * MemoryLayout<SQLValue>.stride) { $0 + $1.estimatedHeapBytes }
        }
    }
}
