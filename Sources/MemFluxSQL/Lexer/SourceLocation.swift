// Error texts with their place in the statement: PostgreSQL's message, then
// ` at line L, column C` (1-based; the column counts characters, not bytes),
// and the byte offset in `MemFluxError.position`.

import MemFluxCore

enum SourceLocation {
    /// 1-based line and column of byte `offset` (clamped to the text).
    static func lineAndColumn(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> (line: Int, column: Int) {
        let offset = max(0, min(offset, bytes.count))
        var line = 1
        var column = 1
        var i = 0
        while i < offset {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    static func error(_ code: ErrorCode, _ message: String, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> MemFluxError {
        let (line, column) = lineAndColumn(bytes, offset)
        return MemFluxError(code, "\(message) at line \(line), column \(column)", position: offset)
    }

    /// `message at or near "text"` for the bytes `start..<end`.
    static func near(_ code: ErrorCode, _ message: String, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> MemFluxError {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<max(start, min(end, bytes.count))]), as: UTF8.self)
        return error(code, "\(message) at or near \"\(text)\"", bytes, at: start)
    }
}
