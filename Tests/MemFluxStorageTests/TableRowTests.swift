import MemFluxCore
import MemFluxPersistence
@testable import MemFluxStorage
import Testing

/// Table rows as values: every SQL type and value case through the log and
/// snapshots, layouts shared after recovery, damaged encodings refused.
@Suite struct TableRowTests {
    static let everyType: [SQLType] = [
        .boolean, .smallint, .integer, .bigint, .real, .double, .numeric(precision: nil, scale: nil),
        .numeric(precision: 10, scale: 2), .numeric(precision: 5, scale: nil), .text, .varchar(nil), .varchar(255),
        .char(3), .bytea, .timestamp, .timestamptz, .date, .time, .uuid, .json, .jsonb, .array(.integer),
        .array(.array(.numeric(precision: 3, scale: -1))), .dynamic, .unknown,
    ]

    static let everyValue: [SQLValue] = [
        .null, .bool(true), .bool(false), .int(0), .int(-1), .int(.min), .int(.max), .double(-0.0), .double(1.5),
        .double(.infinity), .numeric(SQLNumeric(isNegative: true, limbs: [123_456_789, 42], scale: 11)),
        .numeric(SQLNumeric(isNegative: false, limbs: [], scale: 0)), .numeric(.nan), .numeric(.infinity),
        .numeric(.negativeInfinity), .text(""), .text("héllo, ✓ world, longer than sixteen"),
        .bytes([]), .bytes([0, 255, 10]), .timestamp(.min), .timestamptz(1_700_000_000_000_000), .date(.min), .date(.max),
        .time(86_399_999_999), .uuid(SQLUUID(high: .max, low: 1)),
        .json(.object(["a": .array([.int(1), .string("x"), .null]), "b": .double(2.5)])),
        .array([.int(1), .null, .array([.text("nested"), .array([])])]),
    ]

    static func wideRow() -> TableRow {
        let names = (0..<everyValue.count).map { "c\($0)" }
        let types = (0..<everyValue.count).map { everyType[$0 % everyType.count] }
        return TableRow(layout: RowLayout(columns: names, types: types), values: everyValue)
    }

    func storeRow(_ ks: Keyspace, _ key: String, _ row: TableRow) {
        ks.modify(Bytes(key)) { $0.store(.row(row)) }
    }

    func row(_ ks: Keyspace, _ key: String) -> TableRow? {
        ks.read(Bytes(key)) { value in
            if case .row(let r)? = value { r } else { nil }
        }
    }

    @Test func typeNamesAndEstimatedBytes() {
        let layout = RowLayout(columns: ["id", "name", "bio", "raw", "price", "tags"], types: [.integer, .text, .text, .bytea, .numeric(precision: nil, scale: nil), .array(.integer)])
        let row = TableRow(layout: layout, values: [
            .int(1), .text("short"), .text(String(repeating: "x", count: 40)), .bytes([1, 2, 3]),
            .numeric(SQLNumeric(isNegative: false, limbs: [1, 2], scale: 0)), .array([.int(1), .null]),
        ])
        let value = Value.row(row)
        #expect(value.typeName == "ReJSON-RL")
        #expect(value.scanTypeName == "rejson-rl")
        // The object: six words, a word of tags and one of short text at least; then the four boxed values.
        #expect(row.storage.objectBytes >= TableRowStorage.elementsOffset + 8 * 8)
        let stride = MemoryLayout<SQLValue>.stride
        #expect(value.estimatedBytes == row.storage.objectBytes + (32 + 4 * stride) + (32 + 40) + (32 + 3) + (32 + 8) + (32 + 2 * stride))
        #expect(row.values == [
            .int(1), .text("short"), .text(String(repeating: "x", count: 40)), .bytes([1, 2, 3]),
            .numeric(SQLNumeric(isNegative: false, limbs: [1, 2], scale: 0)), .array([.int(1), .null]),
        ])
    }

    @Test func decodingChosenColumnsIntoAReusedRow() {
        let layout = RowLayout(columns: ["a", "b", "c", "d"], types: [.integer, .double, .text, .date])
        let row = TableRow(layout: layout, values: [.int(-7), .double(-0.0), .text("fifteen bytes!!"), .date(-1)])
        #expect(row.count == 4)
        #expect(row[2] == .text("fifteen bytes!!"))
        #expect(row[4] == .null && row[-1] == .null)
        let stored: Value? = .row(row)
        withUnsafePointer(to: stored) { pointer in
            guard let borrowed = BorrowedRow(pointer) else { Issue.record("a row is borrowed as a row"); return }
            #expect(borrowed.has(layout))
            #expect(!borrowed.has(RowLayout(columns: ["a", "b", "c", "d"], types: [.integer, .double, .text, .date])))
            if case .int(-7) = borrowed.scalar(at: 0) {} else { Issue.record("column 0 is the integer -7") }
            if case .double(let d) = borrowed.scalar(at: 1) { #expect(d.bitPattern == (-0.0).bitPattern) } else { Issue.record("column 1 is a double") }
            if case .other = borrowed.scalar(at: 2) {} else { Issue.record("text is no scalar") }
            if case .other = borrowed.scalar(at: 4) {} else { Issue.record("past the end is no scalar") }
            var scratch = [SQLValue](repeating: .null, count: 4)
            borrowed.decode(into: &scratch, columns: [2])
            #expect(scratch == [.null, .null, .text("fifteen bytes!!"), .null])
        }
        let nulls = TableRow(layout: layout, values: [.null])
        withUnsafePointer(to: Optional(Value.row(nulls))) { pointer in
            if case .null = BorrowedRow(pointer)?.scalar(at: 0) {} else { Issue.record("a NULL column reads as null") }
        }
        #expect(withUnsafePointer(to: Optional(Value.bytes(Bytes("x")))) { BorrowedRow($0) } == nil)
        withUnsafePointer(to: stored) { pointer in
            guard let borrowed = BorrowedRow(pointer) else { return }
            var scratch = [SQLValue](repeating: .null, count: 4)
            borrowed.decode(into: &scratch, columns: [0, 3])
            #expect(scratch == [.int(-7), .null, .null, .date(-1)])
            borrowed.decode(into: &scratch, columns: nil)
            #expect(scratch == row.values)
            // A row shorter than the scratch (an older layout) leaves NULLs past its end.
            var wide = [SQLValue](repeating: .int(9), count: 6)
            borrowed.decode(into: &wide, columns: nil)
            #expect(wide == row.values + [.null, .null])
            var narrow = [SQLValue](repeating: .null, count: 2)
            borrowed.decode(into: &narrow, columns: [1, 3])
            #expect(narrow == [.null, .double(-0.0)])
        }
    }

    /// The first sixteen columns' tags travel beside the object; the rest are read from it.
    @Test func columnsPastTheInlineTagsReadFromTheObject() {
        let n = 20
        let layout = RowLayout(columns: (0..<n).map { "c\($0)" }, types: (0..<n).map { $0 % 2 == 0 ? .integer : .text })
        let values: [SQLValue] = (0..<n).map { $0 % 2 == 0 ? .int(Int64($0) * 10) : ($0 == 17 ? .null : .text("t\($0)")) }
        let row = TableRow(layout: layout, values: values)
        #expect(row.values == values)
        #expect(row[15] == .text("t15") && row[16] == .int(160) && row[17] == .null && row[20] == .null)
        withUnsafePointer(to: Optional(Value.row(row))) { pointer in
            guard let borrowed = BorrowedRow(pointer) else { Issue.record("a row is borrowed as a row"); return }
            if case .int(180) = borrowed.scalar(at: 18) {} else { Issue.record("column 18 is the integer 180") }
            if case .null = borrowed.scalar(at: 17) {} else { Issue.record("column 17 is NULL") }
            if case .other = borrowed.scalar(at: 19) {} else { Issue.record("text is no scalar") }
            if case .other = borrowed.scalar(at: 20) {} else { Issue.record("past the end is no scalar") }
            var scratch = [SQLValue](repeating: .int(-1), count: n + 1)
            borrowed.decode(into: &scratch, columns: nil)
            #expect(scratch == values + [.null])
        }
        // A row with fewer values than sixteen: the columns it lacks read as NULL, inline or not.
        let short = TableRow(layout: layout, values: [.int(1), .text("x")])
        #expect(short.count == 2 && short[1] == .text("x") && short[2] == .null && short[18] == .null)
        withUnsafePointer(to: Optional(Value.row(short))) { pointer in
            if case .other = BorrowedRow(pointer)?.scalar(at: 2) {} else { Issue.record("a column the row lacks is no scalar") }
        }
    }

    /// What a scan prefetches: nothing for no columns, the words alone for fixed-width ones, the short texts too for text.
    @Test func aRowReachSpansTheBytesItsColumnsRead() {
        let layout = RowLayout(columns: ["id", "grp", "val", "name"], types: [.integer, .integer, .double, .text])
        let words = TableRowStorage.elementsOffset
        #expect(RowReach(columns: [], of: layout) == nil)
        #expect(RowReach(columns: [7], of: layout) == nil)
        let numbers = RowReach(columns: [2, 1], of: layout)
        #expect(numbers?.start == words + 8 && numbers?.last == words + 23)
        let text = RowReach(columns: [3], of: layout)
        // Four words, one word of tags, then up to fifteen bytes of short text.
        #expect(text?.start == words + 24 && text?.last == words + 4 * 8 + 8 + TableRowStorage.shortTextLimit)
    }

    @Test func layoutsAreEqualByNamesAndTypes() {
        let a = RowLayout(columns: ["id", "v"], types: [.integer, .varchar(10)])
        #expect(a == RowLayout(columns: ["id", "v"], types: [.integer, .varchar(10)]))
        #expect(a.hashValue == RowLayout(columns: ["id", "v"], types: [.integer, .varchar(10)]).hashValue)
        #expect(a != RowLayout(columns: ["id", "v"], types: [.integer, .varchar(11)]))
        #expect(a != RowLayout(columns: ["id", "w"], types: [.integer, .varchar(10)]))
        #expect(a != RowLayout(columns: ["id"], types: [.integer]))
    }

    @Test(arguments: [false, true])
    func everyTypeAndValueRoundTrips(throughSnapshot: Bool) throws {
        let j = try JournaledKeyspace()
        let wide = Self.wideRow()
        let types = TableRow(layout: RowLayout(columns: Self.everyType.indices.map { "t\($0)" }, types: Self.everyType), values: [])
        storeRow(j.keyspace, "w:1", wide)
        storeRow(j.keyspace, "types:1", types)
        if throughSnapshot { try j.saveSnapshot() }
        let recovered = try j.recover()
        let back = try #require(row(recovered, "w:1"))
        #expect(back.layout == wide.layout)
        #expect(back.layout.columns == wide.layout.columns)
        #expect(back.layout.types == wide.layout.types)
        #expect(back.values == wide.values)
        // -0.0 == 0.0, so the sign bit is checked on its own.
        if case .double(let d) = back.values[7] { #expect(d.bitPattern == (-0.0).bitPattern) }
        #expect(row(recovered, "types:1")?.layout.types == Self.everyType)
    }

    @Test func aNaNKeepsItsBitPattern() throws {
        let j = try JournaledKeyspace()
        let nan = Double(nan: 0x1234, signaling: false)
        storeRow(j.keyspace, "n:1", TableRow(layout: RowLayout(columns: ["x"], types: [.double]), values: [.double(nan)]))
        let recovered = try j.recover()
        guard case .double(let d)? = row(recovered, "n:1")?.values.first else { Issue.record("no row"); return }
        #expect(d.bitPattern == nan.bitPattern)
    }

    @Test func rowsOfATableShareOneLayoutAfterRecovery() throws {
        let j = try JournaledKeyspace()
        let users = RowLayout(columns: ["id", "name"], types: [.integer, .text])
        let orders = RowLayout(columns: ["id", "total"], types: [.integer, .numeric(precision: 10, scale: 2)])
        for i in 0..<300 { storeRow(j.keyspace, "users:\(i)", TableRow(layout: users, values: [.int(Int64(i)), .text("u\(i)")])) }
        for i in 0..<10 { storeRow(j.keyspace, "orders:\(i)", TableRow(layout: orders, values: [.int(Int64(i)), .null])) }
        try j.saveSnapshot()
        // Logged after the snapshot, each record with its own copy of the layout.
        for i in 300..<320 { storeRow(j.keyspace, "users:\(i)", TableRow(layout: users, values: [.int(Int64(i)), .null])) }
        let recovered = try j.recover()
        let shared = try #require(row(recovered, "users:0")?.layout)
        #expect(shared == users && shared !== users)
        #expect((0..<320).allSatisfy { row(recovered, "users:\($0)")?.layout === shared })
        let ordersLayout = try #require(row(recovered, "orders:0")?.layout)
        #expect(ordersLayout == orders && ordersLayout !== shared)
        #expect((0..<10).allSatisfy { row(recovered, "orders:\($0)")?.layout === ordersLayout })
        #expect(row(recovered, "users:7")?.values == [.int(7), .text("u7")])
    }

    /// Decodes `bytes` as a value, in a snapshot (layouts numbered) or a log record.
    func decode(_ bytes: [UInt8], inSnapshot: Bool = true) -> Result<Value, DecodingError> {
        var layouts = LayoutSource(interner: LayoutInterner(), defined: inSnapshot ? [] : nil)
        return bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            return Result { () throws(DecodingError) in try reader.value(&layouts) }
        }
    }

    func rowBytes(layout: [UInt8], values: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [ValueTag.row.rawValue, 0]
        out.appendVarint(layout.count)
        out += layout
        return out + values
    }

    @Test func damagedRowsAreRefusedWithTheReason() {
        #expect(decode([ValueTag.row.rawValue, 3, 0]).failure?.message == "a row names layout 3, which is not defined before it")
        #expect(decode([ValueTag.row.rawValue, 1, 0], inSnapshot: false).failure?.message == "a row names layout 1, which is not defined before it")
        #expect(decode(rowBytes(layout: [1, 1, UInt8(ascii: "x"), 99], values: [0])).failure?.message == "unknown SQL type 99 (written by a newer version?)")
        #expect(decode(rowBytes(layout: [1, 1, 0xFF, 0], values: [0])).failure?.message == "text that is not UTF-8")
        #expect(decode(rowBytes(layout: [1, 1, UInt8(ascii: "x"), 0, 7], values: [0])).failure?.message == "unexpected bytes after a row layout")
        #expect(decode(rowBytes(layout: [0], values: [1, 77])).failure?.message == "unknown SQL value type 77 (written by a newer version?)")
        #expect(decode(rowBytes(layout: [0], values: [1, SQLValueTag.bool.rawValue, 2])).failure?.message == "bad boolean 2")
        #expect(decode(rowBytes(layout: [0], values: [1, SQLValueTag.numeric.rawValue, 5])).failure?.message == "bad numeric sign 5")
        #expect(decode(rowBytes(layout: [0], values: [1, SQLValueTag.text.rawValue, 5, 65])).failure?.message == "record ends early")
        #expect(decode(rowBytes(layout: [0], values: [2, SQLValueTag.null.rawValue])).failure?.message == "record ends early")
        let deep: [UInt8] = Array(repeating: [SQLValueTag.array.rawValue, 1], count: 600).flatMap { $0 }
        #expect(decode(rowBytes(layout: [0], values: [1] + deep)).failure?.message == "arrays nested deeper than 512")
        let deepType = [1, 1, UInt8(ascii: "x")] + [UInt8](repeating: SQLTypeTag.array.rawValue, count: 600)
        #expect(decode(rowBytes(layout: deepType, values: [0])).failure?.message == "array types nested deeper than 512")
    }

    @Test func aLayoutIsDecodedOncePerEncoding() throws {
        let interner = LayoutInterner()
        let layout = RowLayout(columns: ["a"], types: [.text])
        let first = try interner.layout(encoded: layout.encoding)
        #expect(try interner.layout(encoded: layout.encoding) === first)
        #expect(first == layout)
    }
}
