// DirectoryLock: one process (one server or Database) owns a data directory
// at a time. Two owners would each append to their own open memflux.wal, and
// a snapshot by one renames a new log over the file the other still writes,
// losing acknowledged writes.
//
// The lock is flock(LOCK_EX | LOCK_NB) on `memflux.lock` in the directory,
// taken before any data file is opened. flock belongs to the open file
// description, so it also keeps out a second Database in the same process,
// and the kernel drops it when the process dies: a crash never leaves a stale
// lock (the file stays, and its pid text is only information).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

public final class DirectoryLock: Sendable {
    public static let fileName = "memflux.lock"

    public let path: String
    /// The locked descriptor; -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock on `directory`, or throws naming the directory and the
    /// holder's pid. Only the lock file is touched, and only once it is ours.
    public init(directory: String) throws(PersistenceError) {
        path = directory == "." ? DirectoryLock.fileName : directory + "/" + DirectoryLock.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system("cannot open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let failure = PersistenceError.system("cannot lock", path)
            let holder = busy ? DirectoryLock.holder(fd) : nil
            close(fd)
            guard busy else { throw failure }
            throw DirectoryLock.inUse(directory, holder: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        let written = pid.withUnsafeBytes { ftruncate(fd, 0) == 0 && pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
        guard written else {
            let failure = PersistenceError.system("cannot write", path)
            close(fd)
            throw failure
        }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (the file stays). Later calls do nothing.
    public func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
        }
    }

    deinit { release() }

    /// The error a second opener gets, as docs/persistence.md quotes it.
    static func inUse(_ directory: String, holder: Int32?) -> PersistenceError {
        var name = directory
        if let resolved = realpath(directory, nil) {
            name = String(cString: resolved)
            free(resolved)
        }
        let who: String
        if let holder {
            who = holder == getpid() ? "another Database in this process (pid \(holder))" : "another MemFlux process (pid \(holder))"
        } else {
            who = "another MemFlux process (pid unknown)"
        }
        return PersistenceError(
            "data directory \(name) is in use by \(who); each directory can be opened by one server or Database at a time")
    }

    /// The pid the holder wrote. It writes it just after taking the lock, so
    /// an empty file is read again for a little while.
    private static func holder(_ fd: Int32) -> Int32? {
        for _ in 0..<20 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            if n > 0, let text = String(validating: buffer[0..<n], as: UTF8.self),
               let pid = Int32(text.filter { !$0.isWhitespace }) {
                return pid
            }
            usleep(5_000)
        }
        return nil
    }
}
