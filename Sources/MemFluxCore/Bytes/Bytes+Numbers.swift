// Number parsing and formatting with Redis's exact rules: integers are
// strict decimal (no sign `+`, no leading zeros, no spaces, within Int64);
// floats accept what strtold accepts except NaN and trailing garbage; float
// results print as `%.17Lf` trimmed, with long double precision, as INCRBYFLOAT does.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Bytes {
    /// The value of a strict decimal integer (Redis `string2ll`), or nil.
    @inlinable
    public func parseInt64() -> Int64? {
        withUnsafeBytes { Bytes.parseInt64($0) }
    }

    /// Redis `string2ll` over raw bytes: optional `-`, no `+`, no leading
    /// zeros, no spaces, within Int64. Shared with the RESP decoder, which
    /// reads lengths straight from the network buffer.
    @inlinable
    public static func parseInt64(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        if n == 0 || n > 20 { return nil }
        if n == 1 && p[0] == UInt8(ascii: "0") { return 0 }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative { i = 1; if n == 1 { return nil } }
        guard p[i] >= UInt8(ascii: "1") && p[i] <= UInt8(ascii: "9") else { return nil }
        var magnitude: UInt64 = 0
        while i < n {
            let d = p[i] &- UInt8(ascii: "0")
            guard d <= 9 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            magnitude = a
            i += 1
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude > UInt64(Int64.max) ? nil : Int64(magnitude)
    }

    /// The value of a float argument as Redis reads it (`strtold`: decimal,
    /// exponent, `inf`), rejecting NaN, spaces and trailing bytes.
    public func parseLongDouble() -> Float80? {
        let n = count
        guard n > 0, n < 5120 else { return nil }
        if self[0] == UInt8(ascii: " ") || self[0] == UInt8(ascii: "\t") { return nil }
        var text = array
        text.append(0)
        return text.withUnsafeBufferPointer { p -> Float80? in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { s in
                var end: UnsafeMutablePointer<CChar>?
                errno = 0
                let v = strtold(s, &end)
                guard let end, UnsafePointer(end) - s == n, !v.isNaN else { return nil }
                if errno == ERANGE && (v.isInfinite || v == 0) { return nil }  // overflow or underflow to zero, as Redis string2ld
                return v
            }
        }
    }

    /// Writes `value` in decimal so that it ends where `out` ends (20 bytes
    /// always suffice) and returns the offset where the text starts. Shared
    /// with the RESP encoder, which formats lengths straight into its buffer.
    @inlinable
    public static func formatDecimal(_ value: Int64, endingAt out: UnsafeMutableRawBufferPointer) -> Int {
        var magnitude = value.magnitude
        var i = out.count
        repeat {
            i -= 1
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        if value < 0 {
            i -= 1
            out[i] = UInt8(ascii: "-")
        }
        return i
    }

    /// Decimal text of `value`, formatted on the stack (no allocation for
    /// the inline form, which holds up to 16 digits).
    @inlinable
    public init(_ value: Int64) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        self = withUnsafeMutableBytes(of: &scratch) { out -> Bytes in
            Bytes(UnsafeRawBufferPointer(rebasing: out[Bytes.formatDecimal(value, endingAt: out)...]))
        }
    }

    /// `prefix` followed by the decimal text of `value` (a row key), hashed once.
    @inlinable
    public init(_ prefix: Bytes, decimal value: Int64) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        self = withUnsafeMutableBytes(of: &scratch) { out -> Bytes in
            Bytes(prefix, followedBy: UnsafeRawBufferPointer(rebasing: out[Bytes.formatDecimal(value, endingAt: out)...]))
        }
    }

    /// Redis's human-friendly long double text: `%.17Lf` with trailing zeros
    /// and dot removed (INCRBYFLOAT, HINCRBYFLOAT replies).
    public init(humanFloat value: Float80) {
        var buffer = [CChar](repeating: 0, count: 5200)
        let written: Int32
        if value.isInfinite {
            self.init(value > 0 ? "inf" : "-inf")
            return
        }
        written = buffer.withUnsafeMutableBufferPointer { p in
            withVaList([value]) { args in
                vsnprintf(p.baseAddress, p.count, "%.17Lf", args)
            }
        }
        var bytes = ContiguousArray(buffer[0..<Int(max(0, written))].map { UInt8(bitPattern: $0) })
        if bytes.contains(UInt8(ascii: ".")) {
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        }
        if bytes == ContiguousArray("-0".utf8) { bytes = ContiguousArray("0".utf8) }
        self.init(bytes)
    }
}
