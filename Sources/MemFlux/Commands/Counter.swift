// Counter arithmetic shared by INCRBY/DECRBY/HINCRBY and INCRBYFLOAT/
// HINCRBYFLOAT: a missing value counts as 0, the stored text must parse, and
// the result is range-checked. Only the error for an unparsable stored value
// differs between strings and hash fields, so the caller passes it.

import MemFluxCore

enum Counter {
    static func add(_ delta: Int64, to old: Bytes?, notInteger: MemFluxError) throws(MemFluxError) -> Int64 {
        guard let old else { return delta }
        guard let current = old.parseInt64() else { throw notInteger }
        let (sum, overflow) = current.addingReportingOverflow(delta)
        if overflow { throw .overflow }
        return sum
    }

    /// The sum as Redis prints it (`%.17Lf`, trailing zeros removed).
    static func add(_ delta: Float80, to old: Bytes?, notFloat: MemFluxError) throws(MemFluxError) -> Bytes {
        var current: Float80 = 0
        if let old {
            guard let v = old.parseLongDouble() else { throw notFloat }
            current = v
        }
        let result = current + delta
        guard result.isFinite else { throw MemFluxError(.err, "increment would produce NaN or Infinity") }
        return Bytes(humanFloat: result)
    }
}
