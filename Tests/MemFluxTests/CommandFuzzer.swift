// CommandFuzzer: seeded generator of hostile commands for every entry of the
// command table, and a trap reporter that prints the command being run when
// the process dies (a Swift trap is SIGILL or SIGTRAP; a stack overflow is
// SIGSEGV), so a crash names its arguments instead of only a backtrace.
//
// Arguments mix the command's own words (subcommands, options) and every option word of every
// command (tests/fuzz/vocabulary.txt, shared with the server fuzzer in
// tests/fuzzgen.py), integer and float edges, empty, binary and
// 100 KB strings, JSON and path fragments (tests/fuzz/values.txt), and keys of every type plus
// missing ones.

import Foundation
import MemFlux
import MemFluxCore

/// SplitMix64: a tiny seeded generator, so a failing run can be replayed with its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// tests/fuzz/vocabulary.txt: option words, and each command's own words (subcommands, options).
struct FuzzVocabulary {
    var words: [String] = []
    var commandWords: [String: [String]] = [:]

    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/fuzz/vocabulary.txt")

    static func load() throws -> FuzzVocabulary {
        var vocabulary = FuzzVocabulary()
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 {
                let own = parts[1].split(separator: " ").map(String.init)
                vocabulary.commandWords[String(parts[0])] = own
                vocabulary.words += own
            } else {
                vocabulary.words += line.split(separator: " ").map(String.init)
            }
        }
        return vocabulary
    }
}

/// Keys the fuzzer aims at, one per type, refilled every few calls.
enum FuzzKeys {
    static let missing = "fz:missing"
    static let setup: [[String]] = [
        ["SET", "fz:string", "hello"],
        ["SET", "fz:int", "10"],
        ["SET", "fz:float", "3.5"],
        ["SET", "fz:ttl", "v", "EX", "1000"],
        ["RPUSH", "fz:list", "a", "b", "c", "a", "10"],
        ["SADD", "fz:set", "a", "b", "c", "10"],
        ["HSET", "fz:hash", "a", "1", "b", "x", "c", "2.5"],
        ["JSON.SET", "fz:json", "$", #"{"a":[1,2,{"b":null}],"s":"x","n":1.5,"o":{"p":{"q":[true]}}}"#],
    ]
    static let names = setup.map { $0[1] } + [missing]
}

/// tests/fuzz/values.txt: integer and float edges and hostile strings.
struct HostileValues {
    var integers: [Bytes] = []
    var floats: [Bytes] = []
    var strings: [Bytes] = []

    static let file = FuzzVocabulary.file.deletingLastPathComponent().appendingPathComponent("values.txt")

    static func load() throws -> HostileValues {
        var values = HostileValues()
        var section = ""
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            if ["[integers]", "[floats]", "[strings]"].contains(line) {
                section = String(line.dropFirst().dropLast())
                continue
            }
            let value = Bytes(expand(String(line)))
            switch section {
            case "integers": values.integers.append(value)
            case "floats": values.floats.append(value)
            default: values.strings.append(value)
            }
        }
        return values
    }

    /// The bytes a line stands for: escapes, `<empty>`, `<repeat N TEXT>`, `<repeat N A|B>`.
    static func expand(_ line: String) -> [UInt8] {
        if line == "<empty>" { return [] }
        if line.hasPrefix("<repeat "), line.hasSuffix(">") {
            let body = line.dropFirst(8).dropLast()
            guard let space = body.firstIndex(of: " "), let n = Int(body[..<space]) else { return unescape(line) }
            let text = String(body[body.index(after: space)...])
            let halves = text.split(separator: "|", maxSplits: 1).map(String.init)
            return halves.flatMap { half in Array(repeating: unescape(half), count: n).flatMap { $0 } }
        }
        return unescape(line)
    }

    static func unescape(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "\\"), let next = bytes.first {
                if next == UInt8(ascii: "x"), bytes.count >= 3, let value = UInt8(String(decoding: bytes.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                    out.append(value)
                    bytes = bytes.dropFirst(3)
                    continue
                }
                if next == UInt8(ascii: "\\") {
                    out.append(next)
                    bytes = bytes.dropFirst()
                    continue
                }
            }
            out.append(byte)
        }
        return out
    }
}

struct CommandFuzzer {
    var random: SeededGenerator
    let vocabulary: FuzzVocabulary
    private let words: [Bytes]
    private let keys: [Bytes]
    private let integers: [Bytes]
    private let floats: [Bytes]
    private let strings: [Bytes]
    /// Per command, fixture keys whose type it accepted (see `learn`).
    private var typedKeys: [String: [Bytes]] = [:]

    init(seed: UInt64, vocabulary: FuzzVocabulary, values: HostileValues) {
        random = SeededGenerator(seed: seed)
        self.vocabulary = vocabulary
        words = vocabulary.words.map { Bytes($0) }
        keys = FuzzKeys.names.map { Bytes($0) }
        (integers, floats, strings) = (values.integers, values.floats, values.strings)
    }

    private mutating func pick(_ pool: [Bytes]) -> Bytes { pool[Int.random(in: 0..<pool.count, using: &random)] }
    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    /// Timeouts a blocking command may get outside a transaction: tiny or
    /// refused ones only (0 and large values would block the test for good).
    static let boundedTimeouts = ["0.001", "0.01", "-1", "-0.001", "nan", "inf", "-inf", "1e400", "abc", "", "9223372036854775807"]

    /// One hostile call of `command`: its name in random case, then arguments.
    mutating func arguments(for command: Command, boundedTimeout: Bool) -> [Bytes] {
        var args = [Bytes(randomCase(command.name))]
        let minimum = command.arity >= 0 ? command.arity : -command.arity
        let total: Int
        if chance(5) {
            total = Int.random(in: 1...minimum + 3, using: &random)  // arity errors too
        } else if command.arity >= 0 {
            total = command.arity
        } else {
            total = minimum + Int.random(in: 0...6, using: &random)
        }
        let own = vocabulary.commandWords[command.name] ?? []
        while args.count < total {
            let position = args.count
            let isKey = isKeyPosition(position, of: command, count: total)
            if !own.isEmpty, !isKey, chance(position == 1 ? 90 : 50) {
                args.append(Bytes(randomCase(own[Int.random(in: 0..<own.count, using: &random)])))
            } else if isKey, chance(75) {
                let learned = typedKeys[command.name] ?? []
                args.append(!learned.isEmpty && chance(60) ? pick(learned) : pick(keys))
            } else {
                args.append(value())
            }
        }
        if boundedTimeout, command.flags.contains(.blocking), args.count > 1 {
            args[args.count - 1] = Bytes(Self.boundedTimeouts[Int.random(in: 0..<Self.boundedTimeouts.count, using: &random)])
        }
        return args
    }

    private mutating func value() -> Bytes {
        // Small integers (the first lines of [integers]) often enough that
        // calls get past argument checks into the handlers' bodies.
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<15: pick(Array(integers.prefix(8)))
        case 15..<38: pick(integers)
        case 38..<48: pick(floats)
        case 48..<72: Bytes(randomCase(pick(words).string))
        case 72..<85: pick(keys)
        default: pick(strings)
        }
    }

    /// Remembers the keys of a call that got past the type check, so later
    /// calls of the command reach its body more often than WRONGTYPE.
    mutating func learn(from args: [Bytes], of command: Command, reply: Reply) {
        if reply == .error(.wrongType) || reply == .queued { return }
        for position in 1..<max(1, args.count) where isKeyPosition(position, of: command, count: args.count) {
            let key = args[position]
            if keys.contains(key), !(typedKeys[command.name] ?? []).contains(key) { typedKeys[command.name, default: []].append(key) }
        }
    }

    private func isKeyPosition(_ position: Int, of command: Command, count: Int) -> Bool {
        let (first, last, step) = command.keys
        guard first > 0, position >= first, step > 0 else { return false }
        let end = last < 0 ? count + last : last
        return position <= end && (position - first) % step == 0
    }

    private mutating func randomCase(_ word: String) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: word.uppercased()
        case 1: String(word.map { Bool.random(using: &random) ? Character($0.uppercased()) : $0 })
        default: word
        }
    }
}

/// Prints the command in flight when the process dies of a signal. The
/// text is formatted before each call into a fixed buffer, since a signal
/// handler may only call async-signal-safe functions (write, signal, raise).
enum TrapReporter {
    nonisolated(unsafe) static let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 8192)
    nonisolated(unsafe) static var length = 0

    static func install() {
        // Stack overflows land here too, so the handler runs on a stack of its
        // own (this thread's, kept for the life of the process).
        let size = 1 << 16
        let stack = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        var alt = stack_t(ss_sp: stack, ss_flags: 0, ss_size: size)
        sigaltstack(&alt, nil)
        for number in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                _ = write(2, TrapReporter.buffer.baseAddress, TrapReporter.length)
                signal(number, SIG_DFL)
                raise(number)
            }
            action.sa_flags = Int32(SA_ONSTACK)
            sigaction(number, &action, nil)
        }
    }

    /// Records `args` (each cut to 80 bytes) as the command in flight.
    static func record(_ args: [Bytes], seed: UInt64, mode: String) {
        var text = Array("\ncommand fuzzer: process died running (seed \(seed), \(mode)):".utf8)
        for arg in args {
            text.append(UInt8(ascii: " "))
            let shown = arg.array.prefix(80).map { byte -> String in
                (32..<127).contains(byte) && byte != UInt8(ascii: "\\") ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
            }.joined()
            text += Array(shown.utf8)
            if arg.count > 80 { text += Array("...(\(arg.count) bytes)".utf8) }
        }
        text.append(UInt8(ascii: "\n"))
        let n = min(text.count, buffer.count)
        _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<n]).initialize(from: text[0..<n])
        length = n
    }
}
