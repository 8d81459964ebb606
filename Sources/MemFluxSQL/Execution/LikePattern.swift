// LIKE / ILIKE matching: `%` is any run of characters, `_` exactly one, the
// escape character (backslash unless ESCAPE says otherwise) makes the next
// character literal. Matched over Unicode scalars with backtracking limited
// to the last `%` (the classic greedy algorithm: linear for one `%`, at worst
// O(n·m)), never recursion.

import MemFluxCore

struct LikePattern {
    private enum Element: Equatable {
        case literal(Unicode.Scalar)
        case any
        case anyRun
    }

    private let elements: [Element]
    private let caseInsensitive: Bool

    init(_ pattern: String, escape: Character?, caseInsensitive: Bool) throws(MemFluxError) {
        self.caseInsensitive = caseInsensitive
        let escapeScalar = escape?.unicodeScalars.first
        var elements: [Element] = []
        var escaping = false
        for scalar in (caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars {
            if escaping {
                elements.append(.literal(scalar))
                escaping = false
            } else if scalar == escapeScalar {
                escaping = true
            } else if scalar == "%" {
                if elements.last != .anyRun { elements.append(.anyRun) }
            } else if scalar == "_" {
                elements.append(.any)
            } else {
                elements.append(.literal(scalar))
            }
        }
        if escaping { throw MemFluxError(.err, "LIKE pattern must not end with escape character") }
        self.elements = elements
    }

    func matches(_ text: String) -> Bool {
        let scalars = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < scalars.count {
            if p < elements.count {
                switch elements[p] {
                case .anyRun:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .any:
                    t += 1
                    p += 1
                    continue
                case .literal(let c) where c == scalars[t]:
                    t += 1
                    p += 1
                    continue
                case .literal:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < elements.count, elements[p] == .anyRun { p += 1 }
        return p == elements.count
    }
}
