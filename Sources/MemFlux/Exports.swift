// The types the embedded API speaks in, re-exported so `import MemFlux` alone
// is enough to use it: settings, byte strings, errors, SQL values and results.
// The modules they live in stay internal detail.

@_exported import struct MemFluxCore.Bytes
@_exported import struct MemFluxCore.Configuration
@_exported import struct MemFluxCore.ErrorCode
@_exported import enum MemFluxCore.JSONValue
@_exported import struct MemFluxCore.MemFluxError
@_exported import enum MemFluxCore.SQLType
@_exported import enum MemFluxCore.SQLValue
@_exported import struct MemFluxSQL.OutputColumn
@_exported import typealias MemFluxSQL.Row
@_exported import enum MemFluxSQL.SQLResult
