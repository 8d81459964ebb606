// In-process micro-benchmarks for the engine core.
//
//   swift run -c release memflux-bench [--quick] [--rounds N]
//   swift run -c release memflux-bench --profile GET|SET|LPUSH   (for callgrind/perf)
//
// 1. execute(GET/SET) over 1M keys with 16-byte values against a plain Swift
//    Dictionary holding the same keys and values (the floor).
// 2. LPUSH to random keys among 1M lists against a Dictionary of Deques.
// 3. Complexity: LPUSH+RPOP at list length 1M vs 10; SET+GET at 10M keys vs 10k.
// 5. Memory per key. 6. Container writes while snapshots are open.
// 7. SQL point SELECT by primary key (parsing cached per session) against GET.
//
// The machine is shared and noisy, so the two sides of each row run
// alternately for several rounds and each keeps its best round. Every phase
// checks its answers, so a fast wrong engine fails.

#if canImport(Glibc)
import Glibc
#endif
import Collections
import MemFlux
import MemFluxCore
import MemFluxSQL
import MemFluxStorage

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let rounds = arguments.firstIndex(of: "--rounds").map { Int(arguments[$0 + 1])! } ?? 3
/// `--only N`: run only section N (1: GET/SET, 2: LPUSH, 3: list length, 4: keyspace size, 5: memory,
/// 6: container writes under open snapshots, 7: SQL point SELECT, 8: the SQL comparison queries).
let only = arguments.firstIndex(of: "--only").map { Int(arguments[$0 + 1])! }
func section(_ n: Int) -> Bool { only == nil || only == n }
let keyCount = quick ? 100_000 : 1_000_000
let operations = quick ? 300_000 : 1_000_000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = WallClock.monotonicNanoseconds()
    try body()
    return Double(WallClock.monotonicNanoseconds() - start) / 1e9
}

func makeKeys(_ n: Int, prefix: String = "key:") -> [Bytes] {
    (0..<n).map { Bytes(prefix + String($0)) }
}

func value16(_ i: Int) -> Bytes {
    let digits = String(i)
    return Bytes(String(repeating: "v", count: 16 - digits.count) + digits)
}

/// Random indexes, drawn once so both sides see the same sequence.
func randomIndexes(_ count: Int, below bound: Int) -> [Int] {
    var g = SystemRandomNumberGenerator()
    return (0..<count).map { _ in Int.random(in: 0..<bound, using: &g) }
}

func check(_ condition: Bool, _ what: String) {
    if !condition {
        print("WRONG ANSWER: \(what)")
        exit(1)
    }
}

/// Runs `a` and `b` alternately `rounds` times; each returns operations done.
/// Answers the best ops/s of each.
func compare(_ a: () throws -> Int, _ b: () throws -> Int) rethrows -> (Double, Double) {
    var bestA = 0.0, bestB = 0.0
    for _ in 0..<rounds {
        var n = 0
        var t = try seconds { n = try a() }
        bestA = max(bestA, Double(n) / t)
        t = try seconds { n = try b() }
        bestB = max(bestB, Double(n) / t)
    }
    return (bestA, bestB)
}

struct Row { var name: String; var baselineName: String; var baseline: Double; var ours: Double }
var rows: [Row] = []

if let i = arguments.firstIndex(of: "--profile") {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let keys = makeKeys(10_000)
    let value = Bytes("0123456789abcdef")
    for k in keys { _ = try s.execute([Bytes("SET"), k, value]) }
    let word = Bytes(arguments[i + 1])
    for j in 0..<200_000 {
        _ = try s.execute(arguments[i + 1] == "GET" ? [word, keys[j % 10_000]] : [word, keys[j % 10_000], value])
    }
    exit(0)
}

// MARK: 1. GET / SET vs Dictionary
if section(1) {
    let keys = makeKeys(keyCount)
    let values = (0..<keyCount).map(value16)
    let picks = randomIndexes(operations, below: keyCount)
    let getWord = Bytes("GET"), setWord = Bytes("SET")

    var dict: [Bytes: Bytes] = [:]
    for i in 0..<keyCount { dict[keys[i]] = values[i] }
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    for i in 0..<keyCount { _ = try s.execute([setWord, keys[i], values[i]]) }

    let (dictGet, ourGet) = try compare({
        // Read each value's length, as a GET reply must reach the value.
        var bytes = 0
        for i in picks { bytes += dict[keys[i]]?.count ?? 0 }
        check(bytes == 16 * operations, "dictionary lookups")
        return operations
    }, {
        var bytes = 0
        for i in picks {
            if case .bulk(let value) = try s.execute([getWord, keys[i]]) { bytes += value.count }
        }
        check(bytes == 16 * operations, "GET found every key")
        return operations
    })
    rows.append(Row(name: "GET, \(keyCount) keys, 16-byte values", baselineName: "Dictionary lookup", baseline: dictGet, ours: ourGet))

    let newValue = Bytes("0123456789abcdef")
    let (dictSet, ourSet) = try compare({
        for i in picks { dict[keys[i]] = newValue }
        return operations
    }, {
        for i in picks { _ = try s.execute([setWord, keys[i], newValue]) }
        return operations
    })
    check(try s.execute([getWord, keys[picks[0]]]) == .bulk(newValue), "SET stored the value")
    rows.append(Row(name: "SET, \(keyCount) keys, 16-byte values", baselineName: "Dictionary update", baseline: dictSet, ours: ourSet))
    db.close()
}

// MARK: 2. LPUSH to random keys among 1M lists vs Dictionary of Deques
if section(2) {
    let keys = makeKeys(keyCount, prefix: "list:")
    let picks = randomIndexes(operations, below: keyCount)
    let element = Bytes("element-16-bytes")
    let pushWord = Bytes("LPUSH")
    var dict: [Bytes: Deque<Bytes>] = [:]
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let (dictPush, ourPush) = try compare({
        for i in picks { dict[keys[i], default: []].prepend(element) }
        return operations
    }, {
        for i in picks { _ = try s.execute([pushWord, keys[i], element]) }
        return operations
    })
    let expected = dict[keys[picks[0]]]!.count
    check(try s.execute([Bytes("LLEN"), keys[picks[0]]]) == .integer(Int64(expected)), "LPUSH lengths agree")
    rows.append(Row(name: "LPUSH, random keys among \(keyCount) lists", baselineName: "Dictionary of Deque prepend", baseline: dictPush, ours: ourPush))
    db.close()
}

// MARK: 3. Complexity: the same operation on a small and a large structure
func listOfLength(_ length: Int) throws -> Session {
    let s = try Database(configuration: .inMemory).session()
    var filled = 0
    while filled < length {
        let n = min(10_000, length - filled)
        _ = try s.execute([Bytes("RPUSH"), Bytes("biglist")] + Array(repeating: Bytes("x"), count: n))
        filled += n
    }
    return s
}

func pushPop(_ s: Session, expectedLength: Int) throws -> Int {
    let key = Bytes("biglist"), element = Bytes("x")
    let pushWord = Bytes("LPUSH"), popWord = Bytes("RPOP")
    for _ in 0..<(operations / 2) {
        _ = try s.execute([pushWord, key, element])
        _ = try s.execute([popWord, key])
    }
    check(try s.execute([Bytes("LLEN"), key]) == .integer(Int64(expectedLength)), "list length kept")
    return operations
}

if section(3) {
    let largeLength = quick ? 100_000 : 1_000_000
    let small = try listOfLength(10), large = try listOfLength(largeLength)
    let (a, b) = try compare({ try pushPop(small, expectedLength: 10) }, { try pushPop(large, expectedLength: largeLength) })
    rows.append(Row(name: "LPUSH+RPOP at list length \(largeLength) (vs length 10)", baselineName: "length 10", baseline: a, ours: b))
}

func keyspaceOf(_ n: Int) throws -> (Session, [Bytes]) {
    let s = try Database(configuration: .inMemory).session()
    let keys = makeKeys(n)
    let value = Bytes("0123456789abcdef")
    for k in keys { _ = try s.execute([Bytes("SET"), k, value]) }
    return (s, keys)
}

/// The bytes of `key:<i>` made anew, as a server makes each request's key
/// from its network buffer (a pre-built key array would add a cache miss of
/// its own on the large side).
@inline(__always)
func freshKey(_ i: Int) -> Bytes {
    var text = ContiguousArray<UInt8>("key:".utf8)
    text.reserveCapacity(16)
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
    var n = i, count = 0
    withUnsafeMutableBytes(of: &digits) { d in
        repeat { d[count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 } while n > 0
        for j in stride(from: count - 1, through: 0, by: -1) { text.append(d[j]) }
    }
    return Bytes(text)
}

func setGet(_ s: Session, _ keys: [Bytes], _ picks: [Int]) throws -> Int {
    let value = Bytes("0123456789abcdef")
    let setWord = Bytes("SET"), getWord = Bytes("GET")
    var found = 0
    for i in picks {
        _ = try s.execute([setWord, freshKey(i), value])
        if case .bulk = try s.execute([getWord, freshKey(i)]) { found += 1 }
    }
    check(found == picks.count, "GET after SET")
    return 2 * picks.count
}

if section(4) {
    let largeCount = quick ? 1_000_000 : 10_000_000
    let (smallDB, smallKeys) = try keyspaceOf(10_000)
    let (largeDB, largeKeys) = try keyspaceOf(largeCount)
    let smallPicks = randomIndexes(operations / 2, below: 10_000)
    let largePicks = randomIndexes(operations / 2, below: largeCount)
    let (a, b) = try compare({ try setGet(smallDB, smallKeys, smallPicks) }, { try setGet(largeDB, largeKeys, largePicks) })
    rows.append(Row(name: "SET+GET over \(largeCount) keys (vs 10k keys)", baselineName: "10k keys", baseline: a, ours: b))
}

// MARK: 6. Writes to 1M-element containers while snapshots are open
// A write keeps the version an open snapshot can read. With one reader open
// for the whole run only the first write to the container copies it; with a
// new reader before every write (a stream of short readers) every write does.

func bigContainer(_ db: Database, _ kind: String) throws {
    let s = db.session()
    let size = quick ? 100_000 : 1_000_000
    var filled = 0
    while filled < size {
        let n = min(10_000, size - filled)
        var args = [Bytes(kind == "list" ? "RPUSH" : kind == "set" ? "SADD" : "HSET"), Bytes("big")]
        for i in filled..<(filled + n) {
            args.append(Bytes("m\(i)"))
            if kind == "hash" { args.append(Bytes("v")) }
        }
        _ = try s.execute(args)
        filled += n
    }
}

func containerWrites(_ db: Database, _ kind: String, count: Int, readers: String) throws -> Int {
    let writer = db.session(), reader = db.session()
    if readers == "one" { _ = try reader.execute(["BEGIN"]) }
    for i in 0..<count {
        if readers == "each" { _ = try reader.execute(["BEGIN"]) }
        switch kind {
        case "list": _ = try writer.execute([Bytes("LPUSH"), Bytes("big"), Bytes("x")])
        case "set": _ = try writer.execute([Bytes("SADD"), Bytes("big"), Bytes("new\(i)")])
        default: _ = try writer.execute([Bytes("HSET"), Bytes("big"), Bytes("new\(i)"), Bytes("v")])
        }
        if readers == "each" { _ = try reader.execute(["COMMIT"]) }
    }
    if readers == "one" { _ = try reader.execute(["COMMIT"]) }
    _ = try writer.execute(["VACUUM"])
    return count
}

if section(6) {
    for kind in ["list", "set", "hash"] {
        let db = try Database(configuration: .inMemory)
        try bigContainer(db, kind)
        let name = "\(kind == "list" ? "LPUSH" : kind == "set" ? "SADD" : "HSET") on a \(quick ? "100k" : "1M")-element \(kind)"
        let (none, one) = try compare({ try containerWrites(db, kind, count: 20_000, readers: "none") },
                                      { try containerWrites(db, kind, count: 20_000, readers: "one") })
        rows.append(Row(name: "\(name), one reader open", baselineName: "no reader", baseline: none, ours: one))
        let (_, each) = try compare({ 0 }, { try containerWrites(db, kind, count: 20, readers: "each") })
        rows.append(Row(name: "\(name), a new reader before each write", baselineName: "no reader", baseline: none, ours: each))
        db.close()
    }
}

/// Resident memory of this process in bytes (/proc/self/statm).
func residentBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var size = 0, resident = 0
    _ = withUnsafeMutablePointer(to: &size) { sp in
        withUnsafeMutablePointer(to: &resident) { rp in withVaList([sp, rp]) { vfscanf(f, "%ld %ld", $0) } }
    }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

// MARK: 5. Memory: 1M keys shaped like redis-benchmark's (`key:` + 12 digits), 16-byte values
var memoryLine: String?
if section(5) {
    let before = residentBytes()
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let value = Bytes("0123456789abcdef")
    let n = keyCount
    for i in 0..<n {
        let digits = String(i)
        let key = Bytes("key:" + String(repeating: "0", count: 12 - digits.count) + digits)
        _ = try s.execute([Bytes("SET"), key, Bytes(value.array)])
    }
    check(try s.execute([Bytes("DBSIZE")]) == .integer(Int64(n)), "all keys stored")
    let perKey = Double(residentBytes() - before) / Double(n)
    guard case .integer(let estimate) = try s.execute([Bytes("MEMUSAGE")]) else { exit(1) }
    memoryLine = "Memory: \(n) keys of 16 bytes with 16-byte values: \(Int(perKey)) bytes/key resident; MEMUSAGE estimates \(Int(estimate) / n) bytes/key"
    db.close()
}

// MARK: 7. SQL point SELECT by primary key against GET of a byte key, same keyspace size
if section(7) {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let n = quick ? 100_000 : 1_000_000
    _ = try s.sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    for i in 0..<n {
        _ = try s.sql("INSERT INTO t VALUES (?, ?)", [.int(Int64(i)), .text("name\(i)")])
        _ = try s.execute([Bytes("SET"), Bytes("k:\(i)"), Bytes("name\(i)")])
    }
    let picks = randomIndexes(operations, below: n)
    let keys = picks.map { Bytes("k:\($0)") }
    // Both through the command layer, as a client's command arrives (SQL.EXEC's parameter as text).
    let select = Bytes("SQL.EXEC"), query = Bytes("SELECT name FROM t WHERE id = ?")
    let ids = picks.map { Bytes(String($0)) }
    let (get, selected) = try compare({
        for key in keys { _ = try s.execute([Bytes("GET"), key]) }
        return operations
    }, {
        for id in ids {
            guard case .array(let found) = try s.execute([select, query, id]), found.count == 1 else {
                check(false, "point select finds its row")
                return 0
            }
        }
        return operations
    })
    rows.append(Row(name: "SQL point SELECT by primary key, \(n) rows", baselineName: "GET", baseline: get, ours: selected))
    db.close()
}

// MARK: 8. The five queries of bench/sql_compare.py, in process (`--only 8`; for
// profiling the executor without RESP). `--query NAME` runs one of them only.
if section(8) {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let n = quick ? 100_000 : 1_000_000
    let joined = n / 10
    _ = try s.sql("CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER, val DOUBLE PRECISION, name TEXT)")
    _ = try s.sql("CREATE TABLE u (id INTEGER PRIMARY KEY, tid INTEGER)")
    var generator = SystemRandomNumberGenerator()
    for i in 0..<n {
        let v = Double.random(in: 0..<1, using: &generator)
        _ = try s.sql("INSERT INTO t VALUES (?, ?, ?, ?)", [.int(Int64(i)), .int(Int64(i % 1000)), .double(v), .text("name\(i % 50000)")])
    }
    for i in 0..<joined {
        _ = try s.sql("INSERT INTO u VALUES (?, ?)", [.int(Int64(i)), .int(Int64((i * 7919) % n))])
    }
    var queries = [
        ("scan", "SELECT count(*) FROM t WHERE val > 0.5"),
        ("group", "SELECT grp, count(*) AS c, sum(val) AS s, avg(val) AS a FROM t GROUP BY grp"),
        ("top-10", "SELECT id, val FROM t ORDER BY val DESC LIMIT 10"),
        ("join", "SELECT count(*) AS c, sum(t.val) AS s FROM u JOIN t ON t.id = u.tid"),
        ("distinct", "SELECT count(DISTINCT name) AS c FROM t"),
    ]
    // `--sql STATEMENT` times one more statement of your own (named "sql"), for profiling.
    if let i = arguments.firstIndex(of: "--sql"), i + 1 < arguments.count { queries.append(("sql", arguments[i + 1])) }
    let chosen = arguments.firstIndex(of: "--query").map { arguments[$0 + 1] }
    for (name, query) in queries where chosen == nil || chosen == name {
        var best = Double.infinity
        var answer = 0
        for _ in 0..<rounds {
            let t = try seconds {
                guard case .rows(_, let found) = try s.sql(query) else { return }
                answer = found.count
            }
            best = min(best, t)
        }
        check(name == "sql" || answer == (name == "group" ? 1000 : name == "top-10" ? 10 : 1), "\(name) answers")
        print("\(name) over \(n) rows: \(Int(best * 1000)) ms")
    }
    db.close()
}

print("| workload | baseline | baseline ops/s | MemFlux ops/s | ratio |")
print("|---|---|---:|---:|---:|")
for r in rows {
    let ratio = (r.ours / r.baseline * 100).rounded() / 100
    print("| \(r.name) | \(r.baselineName) | \(Int(r.baseline)) | \(Int(r.ours)) | \(ratio)x |")
}
if let memoryLine { print(memoryLine) }
