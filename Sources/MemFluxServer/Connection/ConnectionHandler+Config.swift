// CONFIG on a connection: the command itself is ConfigCommand; a change to
// proto_max_bulk_len also applies to this connection's decoder at once
// (other connections pick it up when they next connect).

import MemFlux
import MemFluxCore

extension ConnectionHandler {
    func configCommand(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        let reply = try ConfigCommand.run(args, server)
        if args[1].equalsIgnoringCase("set") {
            decoder.maxBulkLength = server.configuration.protoMaxBulkLen
        }
        return reply
    }
}
