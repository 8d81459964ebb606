// The functions memflux.h declares (see the header for their contracts).
// Each looks its handle up first, so a bad handle is an answer, not a
// crash, and turns every engine error into an error reply: nothing thrown
// crosses into C.

import CMemFlux
import MemFlux
import MemFluxCore
import MemFluxSQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Made once and never freed or written: the header promises static storage.
nonisolated(unsafe) private let versionText: UnsafeMutablePointer<CChar> = strdup(MemFluxVersion.current)!

@_cdecl("memflux_version")
public func memflux_version() -> UnsafePointer<CChar> {
    UnsafePointer(versionText)
}

// MARK: Databases

@_cdecl("memflux_open")
public func memflux_open(
    _ configJSON: UnsafePointer<CChar>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    errorOut?.pointee = nil
    do throws(MemFluxError) {
        let text = configJSON.map { String(cString: $0) } ?? ""
        let configuration = try ConfigFile.embedded(Bytes(text.isEmpty ? "{}" : text))
        let database = try Database(configuration: configuration)
        return Handles.databases.insert(OpenDatabase(database))
    } catch {
        errorOut?.pointee = strdup(error.message)
        return nil
    }
}

@_cdecl("memflux_close")
public func memflux_close(_ handle: OpaquePointer?) -> Int32 {
    guard let open = Handles.databases.remove(handle) else { return -1 }
    open.close()
    return 0
}

@_cdecl("memflux_free_string")
public func memflux_free_string(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

// MARK: Sessions

@_cdecl("memflux_session_open")
public func memflux_session_open(_ handle: OpaquePointer?) -> OpaquePointer? {
    guard let open = Handles.databases.lookup(handle) else { return nil }
    return open.whileOpen({
        let session = open.database.session()
        // The tree has every RESP3 kind (maps, doubles, booleans), so sessions answer in RESP3's terms.
        session.protocolVersion = 3
        return Handles.sessions.insert(OpenSession(owner: open, session: session))
    }, closed: { nil })
}

@_cdecl("memflux_session_close")
public func memflux_session_close(_ handle: OpaquePointer?) -> Int32 {
    guard let open = Handles.sessions.remove(handle) else { return -1 }
    // Waits for a call in progress on the session; its transaction rolls back as the session goes.
    open.state.withLock { $0.session = nil }
    return 0
}

@_cdecl("memflux_session_in_transaction")
public func memflux_session_in_transaction(_ handle: OpaquePointer?) -> Int32 {
    guard let open = Handles.sessions.lookup(handle) else { return -1 }
    return open.state.withLock { state in
        guard let session = state.session else { return -1 }
        return session.isInTransaction ? 1 : 0
    }
}

// MARK: Running commands

@_cdecl("memflux_execute")
public func memflux_execute(
    _ handle: OpaquePointer?, _ argc: Int, _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?
) -> OpaquePointer? {
    Handles.withSession(handle) { session, _ throws(MemFluxError) in
        guard argc >= 0, argc == 0 || argv != nil else { throw MemFluxError(.err, "argv is NULL") }
        var args: [Bytes] = []
        args.reserveCapacity(argc)
        for i in 0..<argc {
            guard let arg = argv?[i] else { throw MemFluxError(.err, "argv[\(i)] is NULL") }
            let length = lengths?[i] ?? strlen(arg)
            args.append(Bytes(UnsafeRawBufferPointer(start: arg, count: length)))
        }
        return ReplyTreeBuilder.tree(session.reply(args))
    }
}

@_cdecl("memflux_execute_text")
public func memflux_execute_text(
    _ handle: OpaquePointer?, _ line: UnsafePointer<CChar>?, _ length: Int,
    _ params: UnsafePointer<memflux_param>?, _ paramCount: Int
) -> OpaquePointer? {
    Handles.withSession(handle) { session, state throws(MemFluxError) in
        let text = try state.text(line, length, "line")
        // Session.run's two halves, so neither result is wrapped in an Outcome on its way to the tree.
        if let statement = Session.sqlStatement(in: text) {
            return ReplyTreeBuilder.tree(try session.sql(statement, try parameters(params, paramCount)))
        }
        return ReplyTreeBuilder.tree(try session.runCommand(text, parameters: try parameters(params, paramCount)))
    }
}

@_cdecl("memflux_execute_many")
public func memflux_execute_many(
    _ handle: OpaquePointer?, _ line: UnsafePointer<CChar>?, _ length: Int,
    _ params: UnsafePointer<memflux_param>?, _ paramsPerRow: Int, _ rowCount: Int
) -> OpaquePointer? {
    Handles.withSession(handle) { session, state throws(MemFluxError) in
        let text = try state.text(line, length, "line")
        // Rows without parameters take no caller memory, so their count is bounded here.
        guard paramsPerRow >= 0, rowCount >= 0, rowCount <= maximumRows, paramsPerRow == 0 || rowCount <= Int.max / paramsPerRow
        else {
            throw MemFluxError(.err, "params_per_row and row_count are out of range (at most \(maximumRows) rows)")
        }
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            rows.append(try parameters(params.map { $0 + r * paramsPerRow }, paramsPerRow))
        }
        return ReplyTreeBuilder.tree(Reply.integer(try session.runMany(text, parameterRows: rows)))
    }
}

/// The most rows one memflux_execute_many runs.
private let maximumRows = 100_000_000

@_cdecl("memflux_is_sql")
public func memflux_is_sql(_ line: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
    guard let line, length >= 0 else { return 0 }
    return Session.sqlStatement(in: Bytes(UnsafeRawBufferPointer(start: line, count: length))) == nil ? 0 : 1
}

@_cdecl("memflux_sql")
public func memflux_sql(
    _ handle: OpaquePointer?, _ statement: UnsafePointer<CChar>?, _ length: Int,
    _ params: UnsafePointer<memflux_param>?, _ paramCount: Int
) -> OpaquePointer? {
    Handles.withSession(handle) { session, state throws(MemFluxError) in
        let text = try state.text(statement, length, "sql")
        return ReplyTreeBuilder.tree(try session.sql(text, try parameters(params, paramCount)))
    }
}

private func parameters(_ params: UnsafePointer<memflux_param>?, _ count: Int) throws(MemFluxError) -> [SQLValue] {
    guard count > 0 else { return [] }
    guard let params else { throw MemFluxError(.err, "params is NULL") }
    var values: [SQLValue] = []
    values.reserveCapacity(count)
    for i in 0..<count {
        let p = params[i]
        switch p.type {
        case Int32(MEMFLUX_PARAM_NULL): values.append(.null)
        case Int32(MEMFLUX_PARAM_INTEGER): values.append(.int(p.integer))
        case Int32(MEMFLUX_PARAM_DOUBLE): values.append(.double(p.real))
        case Int32(MEMFLUX_PARAM_BOOL): values.append(.bool(p.integer != 0))
        case Int32(MEMFLUX_PARAM_TEXT), Int32(MEMFLUX_PARAM_BYTES):
            guard p.data != nil || p.length == 0 else { throw MemFluxError(.err, "parameter \(i + 1) has NULL data") }
            let bytes = UnsafeRawBufferPointer(start: p.data, count: p.length)
            if p.type == Int32(MEMFLUX_PARAM_TEXT) {
                values.append(.text(String(decoding: bytes, as: UTF8.self)))
            } else {
                values.append(.bytes(Array(bytes)))
            }
        default: throw MemFluxError(.err, "parameter \(i + 1) has an unknown type \(p.type)")
        }
    }
    return values
}

// MARK: Reading replies

@inline(__always)
private func node(_ reply: OpaquePointer?) -> UnsafePointer<ReplyNode>? {
    UnsafePointer(reply)
}

@inline(__always)
private func isString(_ type: Int32) -> Bool {
    type == ReplyType.ok || type == ReplyType.status || type == ReplyType.error || type == ReplyType.bulk
        || type == ReplyType.text
}

@inline(__always)
private func isAggregate(_ type: Int32) -> Bool {
    type == ReplyType.array || type == ReplyType.map || type == ReplyType.set || type == ReplyType.rows
}

@_cdecl("memflux_reply_type")
public func memflux_reply_type(_ reply: OpaquePointer?) -> Int32 {
    node(reply)?.pointee.type ?? -1
}

@_cdecl("memflux_reply_integer")
public func memflux_reply_integer(_ reply: OpaquePointer?) -> Int64 {
    guard let n = node(reply), n.pointee.type == ReplyType.integer || n.pointee.type == ReplyType.bool else { return 0 }
    return n.pointee.value
}

@_cdecl("memflux_reply_double")
public func memflux_reply_double(_ reply: OpaquePointer?) -> Double {
    guard let n = node(reply) else { return 0 }
    switch n.pointee.type {
    case ReplyType.double: return Double(bitPattern: UInt64(bitPattern: n.pointee.value))
    case ReplyType.integer: return Double(n.pointee.value)
    default: return 0
    }
}

@_cdecl("memflux_reply_string")
public func memflux_reply_string(_ reply: OpaquePointer?, _ length: UnsafeMutablePointer<Int>?) -> UnsafePointer<CChar>? {
    guard let n = node(reply), isString(n.pointee.type) else {
        length?.pointee = 0
        return nil
    }
    length?.pointee = n.pointee.length
    return (UnsafeRawPointer(n) + Int(n.pointee.value)).assumingMemoryBound(to: CChar.self)
}

@_cdecl("memflux_reply_error_code")
public func memflux_reply_error_code(_ reply: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let n = node(reply), n.pointee.type == ReplyType.error else { return nil }
    return (UnsafeRawPointer(n) + n.pointee.link).assumingMemoryBound(to: CChar.self)
}

@_cdecl("memflux_reply_sqlstate")
public func memflux_reply_sqlstate(_ reply: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let n = node(reply), n.pointee.type == ReplyType.error else { return nil }
    return (UnsafeRawPointer(n) + n.pointee.link + Int(n.pointee.codeLength) + 1).assumingMemoryBound(to: CChar.self)
}

@_cdecl("memflux_reply_length")
public func memflux_reply_length(_ reply: OpaquePointer?) -> Int {
    guard let n = node(reply), isAggregate(n.pointee.type) else { return 0 }
    return n.pointee.length
}

@_cdecl("memflux_reply_element")
public func memflux_reply_element(_ reply: OpaquePointer?, _ index: Int) -> OpaquePointer? {
    guard let n = node(reply), isAggregate(n.pointee.type), index >= 0, index < n.pointee.length else { return nil }
    // A ROWS node's first element is its columns.
    let position = n.pointee.type == ReplyType.rows ? index + 1 : index
    return OpaquePointer(UnsafeRawPointer(n) + n.pointee.link + position * MemoryLayout<ReplyNode>.stride)
}

/// The column-name node `index` of a ROWS reply.
private func columnName(_ reply: OpaquePointer?, _ index: Int) -> UnsafePointer<ReplyNode>? {
    guard let n = node(reply), n.pointee.type == ReplyType.rows else { return nil }
    let columns = (UnsafeRawPointer(n) + n.pointee.link).assumingMemoryBound(to: ReplyNode.self)
    guard index >= 0, index < columns.pointee.length else { return nil }
    return (UnsafeRawPointer(columns) + columns.pointee.link + index * MemoryLayout<ReplyNode>.stride)
        .assumingMemoryBound(to: ReplyNode.self)
}

@_cdecl("memflux_reply_column_count")
public func memflux_reply_column_count(_ reply: OpaquePointer?) -> Int {
    guard let n = node(reply), n.pointee.type == ReplyType.rows else { return 0 }
    return (UnsafeRawPointer(n) + n.pointee.link).assumingMemoryBound(to: ReplyNode.self).pointee.length
}

@_cdecl("memflux_reply_column_name")
public func memflux_reply_column_name(
    _ reply: OpaquePointer?, _ index: Int, _ length: UnsafeMutablePointer<Int>?
) -> UnsafePointer<CChar>? {
    guard let name = columnName(reply, index) else {
        length?.pointee = 0
        return nil
    }
    return memflux_reply_string(OpaquePointer(name), length)
}

@_cdecl("memflux_reply_column_type")
public func memflux_reply_column_type(_ reply: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let name = columnName(reply, index) else { return nil }
    return (UnsafeRawPointer(name) + name.pointee.link).assumingMemoryBound(to: CChar.self)
}

@_cdecl("memflux_reply_free")
public func memflux_reply_free(_ reply: OpaquePointer?) {
    free(UnsafeMutableRawPointer(reply))
}
