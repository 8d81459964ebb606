// The in-process command fuzzer: every command of the table, hundreds of
// hostile calls each, outside any transaction, queued in MULTI and inside
// BEGIN, on a database that logs to disk. A trap kills the test process and
// TrapReporter prints the command that caused it. Afterwards the log as a
// crash leaves it, and the final snapshot, must each load to the same
// contents. The same generator, over the network, drives
// tests/test_command_fuzz.py against a real server (tests/fuzzgen.py).
//
// MEMFLUX_FUZZ_SEED replays a run; MEMFLUX_FUZZ_CALLS sets the calls per command.

import Foundation
import MemFlux
import MemFluxCore
import Testing

@Suite struct CommandFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["MEMFLUX_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    static let callsPerCommand = max(300, environment["MEMFLUX_FUZZ_CALLS"].flatMap { Int($0) } ?? 300)

    @Test func everyOptionWordOfTheHandlersIsFuzzed() throws {
        let vocabulary = Set(try FuzzVocabulary.load().words)
        let sources = FuzzVocabulary.file.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasSuffix(".swift") })
        let pattern = try Regex(#"equalsIgnoringCase\("([^"]+)"\)"#)
        var missing: Set<String> = []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let word = match.output[1].substring.map(String.init), !vocabulary.contains(word.lowercased()) {
                    missing.insert(word)
                }
            }
        }
        #expect(missing.isEmpty, "add these words to tests/fuzz/vocabulary.txt: \(missing.sorted())")
    }

    @Test func hostileArgumentsNeverTrapAndTheFilesReload() throws {
        TrapReporter.install()
        let vocabulary = try FuzzVocabulary.load()
        let dir = PersistenceTests.directory()
        let configuration = PersistenceTests.configuration(dir)
        let db = try Database(configuration: configuration)
        let session = db.session(), setup = db.session()
        let values = try HostileValues.load()
        #expect(values.integers.contains(Bytes("-9223372036854775808")) && values.floats.contains(Bytes("nan")))
        #expect(values.strings.contains { $0.count == 100 * 1024 } && values.strings.contains(Bytes([0, 255, 10, 13])))
        var fuzzer = CommandFuzzer(seed: Self.seed, vocabulary: vocabulary, values: values)
        let commands = db.commands.all.sorted { $0.name < $1.name }
        var calls = 0
        for command in commands {
            for i in 0..<Self.callsPerCommand {
                if i % 25 == 0 { Self.refill(setup) }
                let mode = Int.random(in: 0..<100, using: &fuzzer.random)
                let args = fuzzer.arguments(for: command, boundedTimeout: mode < 70)
                if mode < 70 {
                    TrapReporter.record(args, seed: Self.seed, mode: "auto-commit")
                    fuzzer.learn(from: args, of: command, reply: session.reply(args))
                } else if mode < 85 {
                    TrapReporter.record(args, seed: Self.seed, mode: "queued in MULTI, then EXEC")
                    _ = session.reply([Bytes("MULTI")])
                    _ = session.reply(args)
                    _ = session.reply([Bytes("EXEC")])
                } else {
                    let serializable = mode % 2 == 0
                    TrapReporter.record(args, seed: Self.seed, mode: serializable ? "in BEGIN ISOLATION LEVEL SERIALIZABLE" : "in BEGIN")
                    _ = session.reply((serializable ? ["BEGIN", "ISOLATION", "LEVEL", "SERIALIZABLE"] : ["BEGIN"]).map { Bytes($0) })
                    _ = session.reply(args)
                    _ = session.reply([Bytes(mode % 3 == 0 ? "ROLLBACK" : "COMMIT")])
                }
                // The fuzzed command may itself have been MULTI or BEGIN.
                if session.isQueueing { _ = session.reply([Bytes("DISCARD")]) }
                if session.transaction != nil { _ = session.reply([Bytes("ROLLBACK")]) }
                calls += 1
            }
        }
        #expect(calls >= Self.callsPerCommand * commands.count)
        #expect(commands.count > 100)
        TrapReporter.record([Bytes("reopening the data files")], seed: Self.seed, mode: "recovery")
        Self.dropKeysExpiringSoon(session)
        // The log as a crash leaves it replays to the same contents; so does the final snapshot.
        try PersistenceTests.expectRecoveredEqual(db, dir)
        let before = PersistenceTests.dump(db)
        db.close()
        let reopened = try Database(configuration: configuration)
        #expect(PersistenceTests.dump(reopened) == before)
        reopened.close()
    }

    /// Deletes keys the fuzzer gave a short TTL, so none expires between
    /// the dump before closing and the one after reopening.
    static func dropKeysExpiringSoon(_ s: Session) {
        guard case .array(let keys) = s.reply([Bytes("KEYS"), Bytes("*")]) else { return }
        for case .bulk(let key) in keys {
            if case .integer(let ms) = s.reply([Bytes("PTTL"), key]), ms >= 0, ms < 3_600_000 {
                _ = s.reply([Bytes("DEL"), key])
            }
        }
    }

    /// Empties the database and writes one key of each type.
    static func refill(_ s: Session) {
        _ = s.reply([Bytes("FLUSHALL")])
        for command in FuzzKeys.setup { _ = s.reply(command.map { Bytes($0) }) }
    }
}
