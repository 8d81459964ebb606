// ClientHandle: one connection as other connections see it, for CLIENT LIST,
// CLIENT KILL and INFO. The connection's own state lives in its handler on
// its event loop; what others may read is copied here (under a lock, written
// once per read batch at most) and the channel, which may be closed from any
// thread.

import MemFlux
import MemFluxCore
import NIOCore
import Synchronization

final class ClientHandle: Sendable {
    struct Info: Sendable {
        var name = ""
        var protocolVersion = 2
        var lastCommand = "NULL"
        var libraryName = ""
        var libraryVersion = ""
        var blocked = false
    }

    let id: Int64
    let address: String
    let localAddress: String
    let createdAt = MonotonicClock.nowMicroseconds()
    let channel: any Channel
    let lastInteraction = Atomic<Int64>(MonotonicClock.nowMicroseconds())
    let info = Mutex(Info())

    init(id: Int64, channel: any Channel) {
        self.id = id
        self.channel = channel
        self.address = Self.describe(channel.remoteAddress)
        self.localAddress = Self.describe(channel.localAddress)
    }

    /// `ip:port`, as Redis prints addresses (IPv6 without brackets).
    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "?:0" }
        switch address {
        case .v4, .v6: return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .unixDomainSocket: return address.pathname.map { "\($0):0" } ?? "?:0"
        }
    }

    /// One CLIENT LIST line (without the newline), in Redis 7.2's field order.
    func listLine(currentCommand: String? = nil) -> String {
        let now = MonotonicClock.nowMicroseconds()
        let info = self.info.withLock { $0 }
        let age = (now - createdAt) / 1_000_000
        let idle = (now - lastInteraction.load(ordering: .relaxed)) / 1_000_000
        let flags = info.blocked ? "b" : "N"
        let command = currentCommand ?? info.lastCommand
        return "id=\(id) addr=\(address) laddr=\(localAddress) fd=-1 name=\(info.name) age=\(age) idle=\(idle) "
            + "flags=\(flags) db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 "
            + "rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=\(command) user=default redir=-1 "
            + "resp=\(info.protocolVersion) lib-name=\(info.libraryName) lib-ver=\(info.libraryVersion)"
    }
}
