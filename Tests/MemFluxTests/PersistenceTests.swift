// Recovery: a database reopened from its files holds exactly what the
// original held — after replaying the log alone, after a snapshot plus the
// log, with a torn log tail — and refuses to open a log damaged in the middle.
// A data directory is owned by one Database or server at a time.

import Glibc
import MemFlux
import MemFluxCore
import MemFluxStorage
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
            default:
                // Table rows answer TYPE like JSON documents; they are shown from the keyspace.
                let row = db.keyspace.read(key) { value -> String? in
                    guard case .row(let r)? = value else { return nil }
                    return "\(r.layout.columns) \(r.layout.types) \(r.values)"
                }
                contents = row ?? s.reply(["JSON.GET", k].map { Bytes($0) }).description
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

    /// What a crash of `db`'s process would leave: its log written out and
    /// every data file as it is now, copied to a fresh directory (`dir`
    /// itself stays locked while `db` is open).
    static func crashImage(_ db: Database, _ dir: String) -> String {
        db.persistence!.log.writeOut()
        let image = directory()
        for name in opendirEntries(dir) where name != "memflux.lock" {
            copyFile(dir + "/" + name, to: image + "/" + name)
        }
        return image
    }

    /// Opens a database on a crash image of `db` (no final snapshot) and compares their contents.
    static func expectRecoveredEqual(_ db: Database, _ dir: String) throws {
        let reopened = try Database(configuration: configuration(crashImage(db, dir)))
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
        let size = Int(try #require(fileSize(dir + "/memflux.wal")))
        // A record cut short: the state without it must match the original before its write.
        _ = db.session().reply(["SET", "late", String(repeating: "x", count: 100)].map { Bytes($0) })
        let torn = Self.crashImage(db, dir)
        let wal = torn + "/memflux.wal"
        #expect(truncate(wal, off_t(size + 50)) == 0)
        let reopened = try Database(configuration: Self.configuration(torn))
        #expect(Self.dump(reopened) == expected)
        #expect(Int(try #require(fileSize(wal))) == size)
        // Garbage appended after the last record.
        let garbage = Self.crashImage(reopened, torn)
        let fd = open(garbage + "/memflux.wal", O_WRONLY | O_APPEND)
        let junk: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        _ = junk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let again = try Database(configuration: Self.configuration(garbage))
        #expect(Self.dump(again) == expected)
        again.close()
        reopened.close()
        db.close()
    }

    @Test func damageInTheMiddleStopsStartupNamingFileAndOffset() throws {
        let (db, dir) = try Self.openFresh()
        Self.run((0..<50).map { ["SET", "k\($0)", "value-\($0)"] }, on: db)
        let image = Self.crashImage(db, dir)
        let wal = image + "/memflux.wal"
        // Flip one byte inside the fifth record (records after it stay valid).
        let fd = open(wal, O_RDWR)
        var byte: UInt8 = 0
        let offset = off_t(16 + 4 * 40 + 20)
        _ = pread(fd, &byte, 1, offset)
        byte ^= 0xFF
        _ = pwrite(fd, &byte, 1, offset)
        close(fd)
        do {
            _ = try Database(configuration: Self.configuration(image))
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

private func copyFile(_ source: String, to destination: String) {
    let input = open(source, O_RDONLY)
    let output = open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    defer { close(input); close(output) }
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        _ = buffer.withUnsafeBytes { write(output, $0.baseAddress, n) }
    }
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
        let expected = PersistenceTests.dump(db)
        let image = PersistenceTests.crashImage(db, dir)
        #expect(access(image + "/memflux.wal.overflow", F_OK) == 0)
        let reopened = try Database(configuration: PersistenceTests.configuration(image))
        #expect(PersistenceTests.dump(reopened) == expected)
        // Recovery folded both logs into a new snapshot and started an empty log.
        #expect(access(image + "/memflux.wal.overflow", F_OK) != 0)
        #expect(reopened.persistence!.log.currentFileBytes == 16)
        reopened.close()
        let again = try Database(configuration: PersistenceTests.configuration(image))
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

@Suite struct DirectoryLockTests {
    static func inUse(_ dir: String, by holder: String) -> String {
        var name = dir
        if let resolved = realpath(dir, nil) {
            name = String(cString: resolved)
            free(resolved)
        }
        return "data directory \(name) is in use by \(holder); each directory can be opened by one server or Database at a time"
    }

    /// Each file in `dir` with its contents, to show an opener that was refused changed nothing.
    static func contents(_ dir: String) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in opendirEntries(dir) { files[name] = readWhole(dir + "/" + name) }
        return files
    }

    @Test func aSecondDatabaseIsRefusedUntilTheFirstCloses() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        PersistenceTests.run((0..<20).map { ["SET", "k\($0)", "v"] }, on: db)
        db.persistence!.log.writeOut()
        let before = Self.contents(dir)
        #expect(before["memflux.lock"] == Array("\(getpid())\n".utf8))
        do {
            _ = try Database(configuration: PersistenceTests.configuration(dir))
            Issue.record("a second Database opened a directory in use")
        } catch {
            #expect(error.message == Self.inUse(dir, by: "another Database in this process (pid \(getpid()))"))
        }
        #expect(Self.contents(dir) == before)
        let expected = PersistenceTests.dump(db)
        db.close()
        let next = try Database(configuration: PersistenceTests.configuration(dir))
        #expect(PersistenceTests.dump(next) == expected)
        next.close()
    }

    @Test func noPersistenceTakesNoLock() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        var c = PersistenceTests.configuration(dir)
        c.persistence = false
        let memoryOnly = try Database(configuration: c)
        memoryOnly.close()
        db.close()
    }

    @Test(.enabled(if: serverBinary() != nil, "memflux-server is built next to the test binary"))
    func aServerRefusesADirectoryADatabaseHolds() throws {
        let (db, dir) = try PersistenceTests.openFresh()
        let before = Self.contents(dir)
        let output = PersistenceTests.directory() + "/server.out"
        let pid = try #require(spawnServer(["--dir", dir, "--port", "0"], output: output))
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff != 0, "the server exits with an error")
        let text = String(decoding: readWhole(output) ?? [], as: UTF8.self)
        #expect(text.contains(Self.inUse(dir, by: "another MemFlux process (pid \(getpid()))")), "\(text)")
        #expect(!text.contains("ready on"))
        // Not even config.json: the server locks the directory before writing anything in it.
        #expect(Self.contents(dir) == before)
        db.close()
    }

    @Test(.enabled(if: serverBinary() != nil, "memflux-server is built next to the test binary"))
    func aDatabaseIsRefusedADirectoryAServerHolds() throws {
        let dir = PersistenceTests.directory()
        let output = PersistenceTests.directory() + "/server.out"
        let pid = try #require(spawnServer(["--dir", dir, "--port", "0"], output: output))
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var ready = false
        for _ in 0..<600 where !ready {
            ready = String(decoding: readWhole(output) ?? [], as: UTF8.self).contains("ready on")
            if !ready { usleep(50_000) }
        }
        try #require(ready, "the server did not start")
        do {
            _ = try Database(configuration: PersistenceTests.configuration(dir))
            Issue.record("a Database opened a directory a server holds")
        } catch {
            #expect(error.message == Self.inUse(dir, by: "another MemFlux process (pid \(pid))"))
        }
    }
}

/// memflux-server from the build directory holding this test binary (swift build --build-tests builds both).
private func serverBinary() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    let executable = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard let slash = executable.lastIndex(of: "/") else { return nil }
    let path = String(executable[..<slash]) + "/memflux-server"
    return access(path, X_OK) == 0 ? path : nil
}

/// Starts memflux-server with `arguments`, stdout and stderr to `output`; its pid.
private func spawnServer(_ arguments: [String], output: String) -> pid_t? {
    guard let binary = serverBinary() else { return nil }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([binary] + arguments + ["--log-level", "warning"]).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    return posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 ? pid : nil
}

private func readWhole(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return bytes }
        bytes += buffer[0..<n]
    }
}
