// The C ABI's handles. A memflux_db or memflux_session pointer is not an
// address but a number, tagged with its kind and never reused, looked up in a
// table: a NULL, a closed or a made-up handle is simply not found, so it is
// answered with an error instead of being dereferenced.

import MemFlux
import MemFluxCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class HandleTable<Object: AnyObject & Sendable>: Sendable {
    private let objects = Mutex<[UInt: Object]>([:])
    private let nextNumber = Atomic<UInt>(1)
    /// The low bits of every handle of this table: a session passed as a database is not found.
    private let tag: UInt

    init(tag: UInt) {
        precondition(tag > 0 && tag < 8)
        self.tag = tag
    }

    func insert(_ object: Object) -> OpaquePointer? {
        let handle = nextNumber.add(1, ordering: .relaxed).newValue << 3 | tag
        objects.withLock { $0[handle] = object }
        return OpaquePointer(bitPattern: handle)
    }

    func lookup(_ handle: OpaquePointer?) -> Object? {
        let key = UInt(bitPattern: handle)
        guard key & 7 == tag else { return nil }
        return objects.withLock { $0[key] }
    }

    func remove(_ handle: OpaquePointer?) -> Object? {
        let key = UInt(bitPattern: handle)
        guard key & 7 == tag else { return nil }
        return objects.withLock { $0.removeValue(forKey: key) }
    }
}

/// An open database and the lock that lets `close` wait for calls in progress.
final class OpenDatabase: @unchecked Sendable {
    // @unchecked: `closed` is read under the read lock and written under the write lock.
    let database: Database
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private var closed = false

    init(_ database: Database) {
        self.database = database
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` unless the database is closed; `close` waits for it to return.
    func whileOpen<R>(_ body: () -> R, closed whenClosed: () -> R) -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return closed ? whenClosed() : body()
    }

    func close() {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        guard !closed else { return }
        closed = true
        database.close()
    }
}

/// A session and the lock that serializes the calls made on it from several threads.
final class OpenSession: Sendable {
    let owner: OpenDatabase
    let state: Mutex<SessionState>

    init(owner: OpenDatabase, session: Session) {
        self.owner = owner
        self.state = Mutex(SessionState(session: session))
    }
}

/// What a session's lock guards.
struct SessionState {
    /// nil once the session is closed.
    var session: Session?
    /// The text of the last statement or line run: the same text again (the
    /// usual case: a statement run with new parameters) is neither copied nor
    /// hashed again, and finds its cached plan at once.
    private var lastText = Bytes()

    init(session: Session) {
        self.session = session
    }

    /// `length` bytes at `pointer` as Bytes.
    mutating func text(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ name: String) throws(MemFluxError) -> Bytes {
        guard length >= 0 else { throw MemFluxError(.err, "\(name) has a negative length") }
        guard let pointer else {
            if length == 0 { return Bytes() }
            throw MemFluxError(.err, "\(name) is NULL")
        }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        let same = lastText.count == length
            && lastText.withUnsafeBytes { last in length == 0 || memcmp(last.baseAddress!, pointer, length) == 0 }
        if !same { lastText = Bytes(bytes) }
        return lastText
    }
}

enum Handles {
    static let databases = HandleTable<OpenDatabase>(tag: 1)
    static let sessions = HandleTable<OpenSession>(tag: 2)

    static let badSession = MemFluxError(.err, "invalid session handle (NULL, closed or never opened)")
    static let closedDatabase = MemFluxError(.err, "the database is closed")

    /// Runs `body` with the session behind `handle`, serialized with other
    /// calls on it, while its database is open; answers a tree either way.
    static func withSession(
        _ handle: OpaquePointer?, _ body: (Session, inout SessionState) throws(MemFluxError) -> OpaquePointer?
    ) -> OpaquePointer? {
        guard let open = sessions.lookup(handle) else { return ReplyTreeBuilder.tree(badSession) }
        return open.owner.whileOpen({
            open.state.withLock { state in
                guard let session = state.session else { return ReplyTreeBuilder.tree(badSession) }
                do throws(MemFluxError) {
                    return try body(session, &state)
                } catch {
                    return ReplyTreeBuilder.tree(error)
                }
            }
        }, closed: { ReplyTreeBuilder.tree(closedDatabase) })
    }
}
