// SLOWLOG GET [count] | LEN | RESET. An entry is Redis's six fields:
//   [id, unix time, microseconds, [arguments], client address, client name]

import MemFluxCore

enum SlowlogCommand {
    static func run(_ c: CommandContext) throws(MemFluxError) -> Reply {
        let args = c.args, slowlog = c.database.slowlog
        let sub = args[1]
        if sub.equalsIgnoringCase("get") {
            guard args.count <= 3 else { throw .wrongArity("slowlog|get") }
            var count: Int? = 10
            if args.count == 3 {
                guard let n = args[2].parseInt64(), n >= -1 else {
                    throw MemFluxError(.err, "count should be greater than or equal to -1")
                }
                count = n == -1 ? nil : Int(clamping: n)
            }
            return .array(slowlog.newest(count).map { entry in
                .array([
                    .integer(entry.id), .integer(entry.unixTime), .integer(entry.microseconds),
                    .bulkArray(entry.args), .bulk(entry.client), .bulk(entry.name),
                ])
            })
        }
        if sub.equalsIgnoringCase("len") {
            guard args.count == 2 else { throw .wrongArity("slowlog|len") }
            return .integer(Int64(slowlog.count))
        }
        if sub.equalsIgnoringCase("reset") {
            guard args.count == 2 else { throw .wrongArity("slowlog|reset") }
            slowlog.reset()
            return .ok
        }
        throw MemFluxError(.err, "unknown subcommand '\(sub.string)'. Try SLOWLOG HELP.")
    }
}
