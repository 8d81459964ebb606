// Glob matching as Redis's stringmatchlen does it, for KEYS, SCAN MATCH and
// friends: `*`, `?`, `[abc]`, `[^a-z]`, and `\` escaping the next byte.
// Iterative with one backtrack point for `*`, so no pattern can make it
// recurse or run in exponential time.

public struct GlobPattern: Sendable {
    public let pattern: Bytes

    public init(_ pattern: Bytes) { self.pattern = pattern }

    /// True when the pattern is `*`, which matches everything.
    public var matchesEverything: Bool { pattern.count == 1 && pattern[0] == UInt8(ascii: "*") }

    /// The literal bytes before the first special character.
    public var literalPrefix: Bytes {
        var end = 0
        while end < pattern.count {
            let c = pattern[end]
            if c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") || c == UInt8(ascii: "\\") { break }
            end += 1
        }
        return pattern[0..<end]
    }

    public func matches(_ subject: Bytes) -> Bool {
        pattern.withUnsafeBytes { p in subject.withUnsafeBytes { s in GlobPattern.match(p, s) } }
    }

    private static func match(_ p: UnsafeRawBufferPointer, _ s: UnsafeRawBufferPointer) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                if c == UInt8(ascii: "*") {
                    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                    if pi == p.count { return true }
                    starP = pi
                    starS = si
                    continue
                }
                if let next = matchOne(p, pi, s[si]) {
                    pi = next
                    si += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            starS += 1
            si = starS
            pi = starP
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    /// If the pattern element at `pi` matches byte `b`, the index after the element.
    private static func matchOne(_ p: UnsafeRawBufferPointer, _ pi: Int, _ b: UInt8) -> Int? {
        let c = p[pi]
        switch c {
        case UInt8(ascii: "?"):
            return pi + 1
        case UInt8(ascii: "\\") where pi + 1 < p.count:
            return p[pi + 1] == b ? pi + 2 : nil
        case UInt8(ascii: "["):
            var i = pi + 1
            let negate = i < p.count && p[i] == UInt8(ascii: "^")
            if negate { i += 1 }
            var matched = false
            while i < p.count && p[i] != UInt8(ascii: "]") {
                if p[i] == UInt8(ascii: "\\") && i + 1 < p.count {
                    if p[i + 1] == b { matched = true }
                    i += 2
                } else if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                    var lo = p[i], hi = p[i + 2]
                    if lo > hi { swap(&lo, &hi) }
                    if b >= lo && b <= hi { matched = true }
                    i += 3
                } else {
                    if p[i] == b { matched = true }
                    i += 1
                }
            }
            // An unterminated class ends the pattern, as in Redis.
            let end = i < p.count ? i + 1 : i
            return matched != negate ? end : nil
        default:
            return c == b ? pi + 1 : nil
        }
    }
}
