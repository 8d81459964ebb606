// Recovery: a database reopened from its files holds exactly what the
// original held — after replaying the log alone, after a snapshot plus the
// log, with a torn log tail — and refuses to open a log damaged in the middle.

import Glibc
import MemFlux
import MemFluxCore
import Testing

@Suite struct PersistenceTests {
    /// A fresh data directory.
    static func directory() -> String {
        var template = Array("/tmp/memflux-test-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return path
    }

    static func configuration(_ dir: String) -> Configuration {
        var c = Configuration()
        c.directory = dir
        c.durability = .none
        c.activeExpiryIntervalMilliseconds = 0
        return c
    }

    /// A database on a fresh data directory, and the directory.
    static func openFresh() throws -> (db: Database, dir: String) {
        let dir = directory()
        return (try Database(configuration: configuration(dir)), dir)
    }

    /// Every key with its type, contents (sets and hashes sorted) and absolute TTL.
    static func dump(_ db: Database) -> [String] {
        let s = db.session()
        guard case .array(let keys) = s.reply(["KEYS", "*"].map { Bytes($0) }) else { return ["KEYS failed"] }
        var lines: [String] = []
        for case .bulk(let key) in keys {
            let k = key.string
            let type = s.reply(["TYPE", k].map { Bytes($0) }).description
            let contents: String
            switch type {
            case "string": contents = s.reply(["GET", k].map { Bytes($0) }).description
            case "list": contents = s.reply(["LRANGE", k, "0", "-1"].map { Bytes($0) }).description
            case "set":
                guard case .set(let m) = s.reply(["SMEMBERS", k].map { Bytes($0) }) else { contents = "?"; break }
                contents = m.map(\.description).sorted().joined(separator: ",")
            case "hash":
                let reply = s.reply(["HGETALL", k].map { Bytes($0) })
                guard case .map(let m) = reply else { contents = "not a map: \(reply)"; break }
                contents = stride(from: 0, to: m.count, by: 2).map { "\(m[$0])=\(m[$0 + 1])" }.sorted().joined(separator: ",")
            default: contents = s.reply(["JSON.GET", k].map { Bytes($0) }).description
            }
            lines.append("\(k) \(type) \(contents) ttl=\(db.keyspace.expireAt(key) ?? -1)")
        }
        return lines.sorted()
    }

    /// A deterministic stream of writes over every type and every logged change.
    static func randomCommands(count: Int, seed: UInt64) -> [[String]] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let keys = ["s0", "s1", "l0", "l1", "t0", "t1", "h0", "h1", "j0", "n0"]
        var commands: [[String]] = []
        for _ in 0..<count {
            let k = keys[next(keys.count)], v = "v\(next(20))", m = "m\(next(8))", f = "f\(next(6))"
            let other = keys[next(keys.count)]
            let choices: [[String]] = [
                ["SET", k, v], ["APPEND", k, v], ["INCR", "n0"], ["INCRBYFLOAT", "n0", "0.5"], ["DEL", k],
                ["EXPIRE", k, "1000"], ["PEXPIREAT", k, "4102444800000"], ["PERSIST", k],
                ["LPUSH", k, v, m], ["RPUSH", k, v], ["LPOP", k], ["RPOP", k, "2"], ["LTRIM", k, "1", "-2"],
                ["LSET", k, "0", v], ["LREM", k, "1", v], ["LINSERT", k, "BEFORE", v, m], ["LMOVE", k, other, "LEFT", "RIGHT"],
                ["RPOPLPUSH", k, k], ["SADD", k, m, v], ["SREM", k, m], ["SPOP", k], ["SPOP", k, "2"], ["SMOVE", k, other, m],
                ["SUNIONSTORE", k, k, other], ["HSET", k, f, v, m, v], ["HDEL", k, f], ["HINCRBY", k, f, "3"],
                ["HINCRBYFLOAT", k, "x", "1.25"], ["HSETNX", k, f, v], ["JSON.SET", k, "$", "{\"a\":[1,\"\(v)\"]}"],
                ["JSON.ARRAPPEND", k, "$.a", "7"], ["RENAME", k, other], ["RENAMENX", k, other], ["SDIFFSTORE", other, k, other],
                ["SET", k, v, "EX", "500"],
            ]
            if next(150) == 0 { commands.append(["FLUSHALL"]); continue }
            if next(20) == 0 {
                commands.append(["MULTI"])
                commands.append(choices[next(choices.count)])
                commands.append(choices[next(choices.count)])
                commands.append(["EXEC"])
                continue
            }
            if next(20) == 0 {
                // Several writes to one key in one transaction: the commit logs them change by change.
                commands.append(["BEGIN"])
                for _ in 0..<(2 + next(5)) {
                    let sameKey = choices.filter { $0.count > 1 && $0[1] == k }
                    commands.append(sameKey[next(sameKey.count)])
                }
                commands.append(["COMMIT"])
                continue
            }
            commands.append(choices[next(choices.count)])
        }
        return commands
    }

    static func run(_ commands: [[String]], on db: Database) {
        let s = db.session()
        for c in commands { _ = s.reply(c.map { Bytes($0) }) }
    }

    /// Opens a second database on the same files while the first is still
    /// open (as after a crash: no final snapshot) and compares their contents.
    static func expectRecoveredEqual(_ db: Database, _ dir: String) throws {
        db.persistence!.log.writeOut()
        let reopened = try Database(configuration: configuration(dir))
        #expect(dump(reopened) == dump(db))
        reopened.close()
    }

    @Test func replayingTheLogRestoresEveryTypeAndChange() throws {
        for seed in UInt64(1)...4 {
            let (db, dir) = try Self.openFresh()
            Self.run(Self.randomCommands(count: 1500, seed: seed), on: db)
            #expect(!Self.dump(db).isEmpty)
            try Self.expectRecoveredEqual(db, dir)
            db.close()
        }
    }

    @Test func snapshotThenLogRestoresTheSameState() throws {
        let (db, dir) = try Self.openFresh()
        Self.run(Self.randomCommands(count: 800, seed: 11), on: db)
        #expect(db.session().reply([Bytes("SAVE")]) == .ok)
        Self.run(Self.randomCommands(count: 800, seed: 12), on: db)
        try Self.expectRecoveredEqual(db, dir)
        // A clean close writes a final snapshot and leaves an empty log.
        let before = Self.dump(db)
        db.close()
        let reopened = try Database(configuration: Self.configuration(dir))
        #expect(Self.dump(reopened) == before)
        #expect(reopened.persistence!.log.currentFileBytes == 16)
        reopened.close()
    }

    @Test func longListsLogOnlyWhatChanged() throws {
        let (db, dir) = try Self.openFresh()
        let s = db.session()
        _ = s.reply(["RPUSH", "big"].map { Bytes($0) } + (0..<10_000).map { Bytes("element-\($0)") })
        let log = db.persistence!.log
        let before = log.appended
        for i in 0..<100 {
            _ = s.reply(["LPUSH", "big", "x\(i)"].map { Bytes($0) })
            _ = s.reply(["RPOP", "big"].map { Bytes($0) })
        }
        // 200 records of a few dozen bytes each, not 200 copies of a 10k-element list.
        #expect(log.appended - before < 200 * 64)
        try Self.expectRecoveredEqual(db, dir)
        db.close()
    }

    @Test func transactionsOnLongContainersLogOnlyWhatChanged() throws {
        let (db, dir) = try Self.openFresh()
        let s = db.session()
        _ = s.reply(["RPUSH", "big"].map { Bytes($0) } + (0..<10_000).map { Bytes("element-\($0)") })
        _ = s.reply(["HSET", "h"].map { Bytes($0) } + (0..<10_000).flatMap { [Bytes("f\($0)"), Bytes("v")] })
        let log = db.persistence!.log
        let before = log.appended
        for i in 0..<50 {
            for command in [["MULTI"], ["LPUSH", "big", "a\(i)", "b\(i)"], ["RPOP", "big"], ["LPOP", "big"], ["RPUSH", "big", "z"],
                            ["HSET", "h", "f1", "x\(i)"], ["HINCRBY", "h", "n", "2"], ["HDEL", "h", "f2"], ["EXEC"]] {
                _ = s.reply(command.map { Bytes($0) })
            }
        }
        #expect(log.appended - before < 50 * 300)
        try Self.expectRecoveredEqual(db, dir)
        db.close()
    }

    @Test func tornTailIsCutAndEarlierWritesSurvive() throws {
        let (db, dir) = try Self.openFresh()
        Self.run(Self.randomCommands(count: 300, seed: 21), on: db)
        db.persistence!.log.writeOut()
        let expected = Self.dump(db)
        let wal = dir + "/memflux.wal"
        let size = Int(try #require(fileSize(wal)))
        // A record cut short: the state without it must match the original before its write.
        _ = db.session().reply(["SET", "late", String(repeating: "x", count: 100)].map { Bytes($0) })
        db.persistence!.log.writeOut()
        #expect(truncate(wal, off_t(size + 50)) == 0)
        var reopened = try Database(configuration: Self.configuration(dir))
        #expect(Self.dump(reopened) == expected)
        #expect(Int(try #require(fileSize(wal))) == size)
        reopened.persistence!.log.writeOut()
        // Garbage appended after the last record.
        let fd = open(wal, O_WRONLY | O_APPEND)
        let junk: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        _ = junk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        reopened = try Database(configuration: Self.configuration(dir))
        #expect(Self.dump(reopened) == expected)
        reopened.close()
        db.close()
    }

    @Test func damageInTheMiddleStopsStartupNamingFileAndOffset() throws {
        let (db, dir) = try Self.openFresh()
        Self.run((0..<50).map { ["SET", "k\($0)", "value-\($0)"] }, on: db)
        db.persistence!.log.writeOut()
        let wal = dir + "/memflux.wal"
        // Flip one byte inside the fifth record (records after it stay valid).
        let fd = open(wal, O_RDWR)
        var byte: UInt8 = 0
        let offset = off_t(16 + 4 * 40 + 20)
        _ = pread(fd, &byte, 1, offset)
        byte ^= 0xFF
        _ = pwrite(fd, &byte, 1, offset)
        close(fd)
        do {
            _ = try Database(configuration: Self.configuration(dir))
            Issue.record("opened a damaged log")
        } catch {
            #expect(error.message.contains(wal))
            #expect(error.message.contains("damaged at byte offset"))
        }
        db.close()
    }

    @Test func noPersistenceWritesNoFiles() throws {
        let dir = Self.directory()
        var c = Self.configuration(dir)
        c.persistence = false
        let db = try Database(configuration: c)
        Self.run(Self.randomCommands(count: 100, seed: 5), on: db)
        #expect(db.session().reply([Bytes("SAVE")]) == .error(MemFluxError(.err, "persistence is disabled (persistence: false)")))
        db.close()
        #expect(opendirEntries(dir).isEmpty)
    }
}

private func fileSize(_ path: String) -> Int? {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : nil
}

private func opendirEntries(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

@Suite struct SnapshotRotationTests {
    @Test func aCrashDuringASnapshotLosesNothing() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        PersistenceTests.run(PersistenceTests.randomCommands(count: 400, seed: 31), on: db)
        // The snapshot has started (new records go to the overflow file) but never finishes.
        try db.persistence!.log.beginRotation()
        PersistenceTests.run(PersistenceTests.randomCommands(count: 400, seed: 32), on: db)
        db.persistence!.log.writeOut()
        let expected = PersistenceTests.dump(db)
        let reopened = try Database(configuration: PersistenceTests.configuration(dir))
        #expect(PersistenceTests.dump(reopened) == expected)
        // Recovery folded both logs into a new snapshot and started an empty log.
        #expect(access(dir + "/memflux.wal.overflow", F_OK) != 0)
        #expect(reopened.persistence!.log.currentFileBytes == 16)
        reopened.close()
        let again = try Database(configuration: PersistenceTests.configuration(dir))
        #expect(PersistenceTests.dump(again) == expected)
        again.close()
    }

    @Test func snapshotsTakenWhileWritingMatchTheirMoment() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        PersistenceTests.run(PersistenceTests.randomCommands(count: 500, seed: 41), on: db)
        #expect(db.persistence!.startBackgroundSave())
        // Writes race the background snapshot; the snapshot plus the log must give the final state.
        PersistenceTests.run(PersistenceTests.randomCommands(count: 1500, seed: 42), on: db)
        while db.persistence!.saveStatus.inProgress { usleep(1000) }
        #expect(db.persistence!.saveStatus.lastSucceeded)
        PersistenceTests.run(PersistenceTests.randomCommands(count: 200, seed: 43), on: db)
        try PersistenceTests.expectRecoveredEqual(db, dir)
        db.close()
    }
}
