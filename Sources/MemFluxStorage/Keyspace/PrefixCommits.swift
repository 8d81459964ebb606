// PrefixCommits: a shard's last commit sequence number for each tracked
// prefix (see Shard.lastCommit(withPrefix:)).
//
// Once any prefix is tracked, every write to the shard asks whether its key's
// prefix has an entry, so the question has to be cheap. A Dictionary keyed by
// the prefix cost ~475 instructions per SET (a `Bytes` made for the prefix,
// then SipHash; callgrind). Few prefixes are tracked — the tables that
// serializable transactions scan — so the entries are a flat array; a mask of
// their lengths turns away most keys of other prefixes once their first `:`
// is found (a word at a time for short keys), and a prefix of up to 16 bytes
// is compared as two words, without touching its `Bytes`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MemFluxCore

struct PrefixCommits {
    private struct Tracked {
        let prefix: Bytes
        let length: Int
        /// The prefix's first 16 bytes, zero-padded.
        let words: (UInt64, UInt64)
        var sequence: UInt64
    }

    private var entries: [Tracked] = []
    /// Bit n set: some tracked prefix is n bytes long (bit 0: 64 bytes or longer).
    private var lengths: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }

    /// The tracked prefixes, in the order tracking began.
    var prefixes: [Bytes] { entries.map(\.prefix) }

    private static func bit(_ length: Int) -> UInt64 { length < 64 ? 1 << UInt64(length) : 1 }

    private static func words(_ raw: UnsafeRawBufferPointer, count: Int) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<min(count, 16)])) }
        return words
    }

    subscript(prefix: Bytes) -> UInt64? {
        entries.first { $0.prefix == prefix }?.sequence
    }

    mutating func track(_ prefix: Bytes, from sequence: UInt64) {
        let words = prefix.withUnsafeBytes { PrefixCommits.words($0, count: $0.count) }
        entries.append(Tracked(prefix: prefix, length: prefix.count, words: words, sequence: sequence))
        lengths |= PrefixCommits.bit(prefix.count)
    }

    /// Raises the entry of `key`'s directory prefix, if it is tracked, to `sequence`.
    mutating func noteCommit(_ key: Bytes, _ sequence: UInt64) {
        guard let colon = key.firstIndex(of: UInt8(ascii: ":")) else { return }
        let length = colon + 1
        guard lengths & PrefixCommits.bit(length) != 0 else { return }
        key.withUnsafeBytes { raw in
            let words = PrefixCommits.words(raw, count: length)
            for i in entries.indices where entries[i].length == length && entries[i].words == words {
                if length > 16 {
                    let same = entries[i].prefix.withUnsafeBytes { memcmp(raw.baseAddress!, $0.baseAddress!, length) == 0 }
                    if !same { continue }
                }
                entries[i].sequence = max(entries[i].sequence, sequence)
                return
            }
        }
    }

    /// Raises every entry to `sequence` (the shard was emptied).
    mutating func raiseAll(to sequence: UInt64) {
        for i in entries.indices { entries[i].sequence = max(entries[i].sequence, sequence) }
    }
}
