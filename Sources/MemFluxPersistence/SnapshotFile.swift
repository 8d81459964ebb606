// Snapshot files: a header, then frames. The layer above decides what the
// frames hold (blocks of key entries, then a trailer); this file only knows
// that a snapshot is written whole to a temporary file, fsynced, and renamed
// into place, so a reader never meets a torn one.

public enum SnapshotFile {
    public static let header = FileHeader(magic: "MEMFLUXS", version: 1)

    /// Writes a snapshot block by block into `tempPath`; `commit` makes it the snapshot at `finalPath`.
    public final class Writer {
        let file: PosixFile
        let tempPath: String
        private var buffer: [UInt8] = []
        public private(set) var bytesWritten = 0

        public init(tempPath: String) throws(PersistenceError) {
            self.tempPath = tempPath
            file = try PosixFile.openForAppend(tempPath, truncate: true)
            buffer = SnapshotFile.header.encoded
        }

        /// Appends one frame; writes to the file once about a megabyte has gathered.
        public func frame(_ body: (inout [UInt8]) -> Void) throws(PersistenceError) {
            Frame.append(to: &buffer, body)
            if buffer.count >= 1 << 20 { try drain() }
        }

        private func drain() throws(PersistenceError) {
            try file.write(buffer)
            bytesWritten += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }

        /// Writes the rest, fsyncs, and atomically replaces `finalPath` (directory fsynced too).
        public func commit(to finalPath: String) throws(PersistenceError) {
            try drain()
            try file.sync()
            try FileSystem.rename(tempPath, to: finalPath)
        }

        /// Gives up: removes the temporary file.
        public func abandon() {
            try? FileSystem.remove(tempPath)
        }
    }

    /// Calls `visit` with each frame of the snapshot at `path` (offset and
    /// payload); false when there is no snapshot. Any damage is an error
    /// naming the file and offset: snapshots are never torn.
    public static func read(
        _ path: String, _ visit: (Int, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Bool {
        guard let bytes = try FileSystem.read(path) else { return false }
        try bytes.withUnsafeBytes { raw in
            try header.check(raw, path: path, kind: "snapshot")
            let end = try Frame.scan(raw, from: FileHeader.size, visit)
            switch end {
            case .clean: break
            case .tornTail(let offset), .damaged(let offset):
                throw PersistenceError("snapshot \(path) is damaged at byte offset \(offset)")
            }
        }
        return true
    }
}
