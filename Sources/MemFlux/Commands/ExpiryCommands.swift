// TTL commands (Redis src/expire.c). TTLs are stored as absolute Unix
// milliseconds on the key's version; an expired key is invisible at once and
// reclaimed by active expiry in the background.

import MemFluxCore
import MemFluxStorage

enum ExpiryCommands {
    static let all: [Command] = [
        Command("expire", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try expire(c, scale: 1000, relative: true) },
        Command("pexpire", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try expire(c, scale: 1, relative: true) },
        Command("expireat", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try expire(c, scale: 1000, relative: false) },
        Command("pexpireat", arity: -3, flags: .write, keys: (1, 1, 1)) { c throws(MemFluxError) in try expire(c, scale: 1, relative: false) },
        Command("ttl", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in ttl(c, divisor: 1000, absolute: false) },
        Command("pttl", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in ttl(c, divisor: 1, absolute: false) },
        Command("expiretime", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in ttl(c, divisor: 1000, absolute: true) },
        Command("pexpiretime", arity: 2, flags: .readOnly, keys: (1, 1, 1)) { c throws(MemFluxError) in ttl(c, divisor: 1, absolute: true) },
        Command("persist", arity: 2, flags: .write, keys: (1, 1, 1), persist),
    ]

    // EXPIRE key seconds [NX | XX | GT | LT] (and PEXPIRE, EXPIREAT, PEXPIREAT)
    static func expire(_ c: CommandContext, scale: Int64, relative: Bool) throws(MemFluxError) -> Reply {
        // Options before the number, as Redis checks them: `EXPIRE k abc FOO` is an option error.
        var nx = false, xx = false, gt = false, lt = false
        for i in 3..<c.count {
            let word = c[i]
            if word.equalsIgnoringCase("nx") { nx = true }
            else if word.equalsIgnoringCase("xx") { xx = true }
            else if word.equalsIgnoringCase("gt") { gt = true }
            else if word.equalsIgnoringCase("lt") { lt = true }
            else { throw MemFluxError(.err, "Unsupported option \(word.string)") }
        }
        if nx && (xx || gt || lt) { throw MemFluxError(.err, "NX and XX, GT or LT options at the same time are not compatible") }
        if gt && lt { throw MemFluxError(.err, "GT and LT options at the same time are not compatible") }
        let amount = try c.int(2)

        let invalid = MemFluxError(.err, "invalid expire time in '\(c.commandName)' command")
        var (when, overflow) = amount.multipliedReportingOverflow(by: scale)
        if overflow { throw invalid }
        if relative {
            (when, overflow) = when.addingReportingOverflow(WallClock.nowMilliseconds())
            if overflow { throw invalid }
        }
        return c.keyspace.modify(c[1]) { slot in
            guard slot.existed else { return .zero }
            let current = slot.expireAt  // 0: no TTL, which GT/LT treat as infinite
            if nx && current != 0 { return .zero }
            if xx && current == 0 { return .zero }
            if gt && (current == 0 || when <= current) { return .zero }
            if lt && current != 0 && when >= current { return .zero }
            if when <= WallClock.nowMilliseconds() {
                slot.delete()
            } else {
                slot.expireAt = when
            }
            return .one
        }
    }

    // TTL key / PTTL key / EXPIRETIME key / PEXPIRETIME key
    static func ttl(_ c: CommandContext, divisor: Int64, absolute: Bool) -> Reply {
        guard let expireAt = c.keyspace.expireAt(c[1]) else { return .integer(-2) }
        if expireAt == 0 { return .integer(-1) }
        if absolute { return .integer(expireAt / divisor) }
        let remaining = max(0, expireAt - WallClock.nowMilliseconds())
        return .integer(divisor == 1 ? remaining : (remaining + 500) / divisor)
    }

    // PERSIST key
    static func persist(_ c: CommandContext) throws(MemFluxError) -> Reply {
        c.keyspace.modify(c[1]) { slot in
            guard slot.existed, slot.expireAt != 0 else { return .zero }
            slot.expireAt = 0
            return .one
        }
    }
}
