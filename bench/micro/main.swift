// In-process micro-benchmarks for the engine core (issue: engine core).
//
//   swift run -c release memflux-bench [--quick]
//
// 1. execute(GET/SET) over 1M keys with 16-byte values against a plain Swift
//    Dictionary holding the same keys and values (the floor).
// 2. LPUSH to random keys among 1M lists against a Dictionary of Deques.
// 3. Complexity: LPUSH+RPOP at list length 1M vs 10; SET/GET at 10M keys vs 10k.
// Every phase checks its answers, so a fast wrong engine fails.

#if canImport(Glibc)
import Glibc
#endif
import Collections
import MemFlux
import MemFluxCore
import MemFluxStorage

let quick = CommandLine.arguments.contains("--quick")
/// `--profile CMD`: only run CMD (GET, SET or LPUSH) 200k times over 10k keys, for callgrind/perf.
let profiled: String? = CommandLine.arguments.firstIndex(of: "--profile").map { CommandLine.arguments[$0 + 1] }
let keyCount = quick ? 100_000 : 1_000_000
let operations = quick ? 500_000 : 2_000_000

func seconds(_ body: () -> Void) -> Double {
    let start = WallClock.monotonicNanoseconds()
    body()
    return Double(WallClock.monotonicNanoseconds() - start) / 1e9
}

func makeKeys(_ n: Int, prefix: String = "key:") -> [Bytes] {
    (0..<n).map { Bytes(prefix + String($0)) }
}

func value16(_ i: Int) -> Bytes {
    let digits = String(i)
    return Bytes(String(repeating: "v", count: 16 - digits.count) + digits)
}

/// Random indexes, drawn once so both systems see the same sequence.
func randomIndexes(_ count: Int, below bound: Int) -> [Int] {
    var g = SystemRandomNumberGenerator()
    return (0..<count).map { _ in Int.random(in: 0..<bound, using: &g) }
}

if let profiled {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let keys = makeKeys(10_000)
    for k in keys { _ = try s.execute([Bytes("SET"), k, Bytes("0123456789abcdef")]) }
    let word = Bytes(profiled)
    let value = Bytes("0123456789abcdef")
    for i in 0..<200_000 {
        _ = try s.execute(profiled == "GET" ? [word, keys[i % 10_000]] : [word, keys[i % 10_000], value])
    }
    exit(0)
}

var rows: [(String, Double, Double)] = []
@MainActor func record(_ name: String, baseline: Double, ours: Double) {
    rows.append((name, baseline, ours))
}

func check(_ condition: Bool, _ what: String) {
    if !condition { print("WRONG ANSWER: \(what)"); exit(1) }
}

// MARK: 1. GET / SET vs Dictionary
do {
    let keys = makeKeys(keyCount)
    let values = (0..<keyCount).map(value16)
    let picks = randomIndexes(operations, below: keyCount)
    let getWord = Bytes("GET"), setWord = Bytes("SET")

    var dict: [Bytes: Bytes] = [:]
    for i in 0..<keyCount { dict[keys[i]] = values[i] }
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    for i in 0..<keyCount { _ = try s.execute([setWord, keys[i], values[i]]) }

    var hits = 0
    let dictGet = seconds {
        for i in picks where dict[keys[i]] != nil { hits += 1 }
    }
    check(hits == operations, "dictionary lookups")
    var found = 0
    let ourGet = seconds {
        for i in picks {
            if case .bulk = try! s.execute([getWord, keys[i]]) { found += 1 }
        }
    }
    check(found == operations, "GET found every key")
    record("GET 1M keys (ops/s)", baseline: Double(operations) / dictGet, ours: Double(operations) / ourGet)

    let newValue = Bytes("0123456789abcdef")
    let dictSet = seconds {
        for i in picks { dict[keys[i]] = newValue }
    }
    let ourSet = seconds {
        for i in picks { _ = try! s.execute([setWord, keys[i], newValue]) }
    }
    check(try s.execute([getWord, keys[picks[0]]]) == .bulk(newValue), "SET stored the value")
    record("SET 1M keys (ops/s)", baseline: Double(operations) / dictSet, ours: Double(operations) / ourSet)
    db.close()
}

// MARK: 2. LPUSH to random keys among 1M lists vs Dictionary of Deques
do {
    let keys = makeKeys(keyCount, prefix: "list:")
    let picks = randomIndexes(operations, below: keyCount)
    let element = Bytes("element-16-bytes")
    let pushWord = Bytes("LPUSH")

    var dict: [Bytes: Deque<Bytes>] = [:]
    let dictPush = seconds {
        for i in picks { dict[keys[i], default: []].prepend(element) }
    }
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let ourPush = seconds {
        for i in picks { _ = try! s.execute([pushWord, keys[i], element]) }
    }
    let expected = dict[keys[picks[0]]]!.count
    check(try s.execute([Bytes("LLEN"), keys[picks[0]]]) == .integer(Int64(expected)), "LPUSH lengths agree")
    record("LPUSH random 1M lists (ops/s)", baseline: Double(operations) / dictPush, ours: Double(operations) / ourPush)
    db.close()
}

// MARK: 3. Complexity
func pushPopRate(length: Int) throws -> Double {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let key = Bytes("biglist")
    let element = Bytes("x")
    var batch: [Bytes] = [Bytes("RPUSH"), key]
    batch.append(contentsOf: repeatElement(element, count: min(length, 10_000)))
    var filled = 0
    while filled < length {
        let n = min(10_000, length - filled)
        _ = try s.execute(Array(batch.prefix(2 + n)))
        filled += n
    }
    let pushWord = Bytes("LPUSH"), popWord = Bytes("RPOP")
    let n = operations / 2
    let t = seconds {
        for _ in 0..<n {
            _ = try! s.execute([pushWord, key, element])
            _ = try! s.execute([popWord, key])
        }
    }
    check(try s.execute([Bytes("LLEN"), key]) == .integer(Int64(length)), "list length kept")
    db.close()
    return Double(2 * n) / t
}

func setGetRate(keys n: Int) throws -> Double {
    let db = try Database(configuration: .inMemory)
    let s = db.session()
    let keys = makeKeys(n)
    let value = Bytes("0123456789abcdef")
    let setWord = Bytes("SET"), getWord = Bytes("GET")
    for k in keys { _ = try s.execute([setWord, k, value]) }
    let picks = randomIndexes(operations, below: n)
    var found = 0
    let t = seconds {
        for i in picks {
            _ = try! s.execute([setWord, keys[i], value])
            if case .bulk = try! s.execute([getWord, keys[i]]) { found += 1 }
        }
    }
    check(found == operations, "GET after SET")
    db.close()
    return Double(2 * operations) / t
}

let small = try pushPopRate(length: 10)
let large = try pushPopRate(length: quick ? 100_000 : 1_000_000)
record("LPUSH+RPOP: length 10 vs \(quick ? "100k" : "1M") (ops/s)", baseline: small, ours: large)
let fewKeys = try setGetRate(keys: 10_000)
let manyKeys = try setGetRate(keys: quick ? 1_000_000 : 10_000_000)
record("SET+GET: 10k vs \(quick ? "1M" : "10M") keys (ops/s)", baseline: fewKeys, ours: manyKeys)

func fmt(_ x: Double) -> String {
    let v = (x * 100).rounded() / 100
    return String(v)
}
print("| workload | baseline | MemFlux | ratio |")
print("|---|---:|---:|---:|")
for (name, baseline, ours) in rows {
    print("| \(name) | \(Int(baseline)) | \(Int(ours)) | \(fmt(ours / baseline))x |")
}
print("(rows 1-3: baseline = plain Swift Dictionary; rows 4-5: baseline = the small size, MemFlux column = the large size)")
