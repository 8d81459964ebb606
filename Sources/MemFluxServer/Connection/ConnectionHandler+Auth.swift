// AUTH and HELLO: authenticating a connection and choosing its protocol.
//
// MemFlux has Redis's one "default" user. With `requirepass` empty it has no
// password (any AUTH default <x> succeeds, AUTH <x> is a configuration
// mistake Redis reports); with one set, every command but AUTH, HELLO and
// QUIT answers NOAUTH until the password is given. The compare takes the
// same time whatever the first differing byte.

import MemFlux
import MemFluxCore

extension MemFluxError {
    static let wrongPass = MemFluxError(ErrorCode(rawValue: "WRONGPASS"), "invalid username-password pair or user is disabled.")
    static let authWithoutPassword = MemFluxError(
        .err,
        "AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
    static let noProto = MemFluxError(ErrorCode(rawValue: "NOPROTO"), "unsupported protocol version")
    static let helloNeedsAuth = MemFluxError(
        .noAuth,
        "HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
}

extension ConnectionHandler {
    // AUTH [username] password
    func auth(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        guard args.count <= 3 else { throw .syntax }
        if args.count == 2 && server.configuration.requirePass.isEmpty { throw .authWithoutPassword }
        try authenticate(user: args.count == 3 ? args[1] : nil, password: args[args.count - 1])
        return .ok
    }

    /// Checks the default user's password; on success the connection is authenticated.
    func authenticate(user: Bytes?, password: Bytes) throws(MemFluxError) {
        let required = server.configuration.requirePass
        if let user, !(user == "default") { throw .wrongPass }
        if !required.isEmpty && !Self.constantTimeEqual(password, Bytes(required)) { throw .wrongPass }
        authenticated = true
        decoder.authRequired = false
    }

    /// True when `a` and `b` hold the same bytes; the time depends only on their lengths.
    static func constantTimeEqual(_ a: Bytes, _ b: Bytes) -> Bool {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                var difference = UInt(bitPattern: x.count ^ y.count)
                for i in 0..<max(x.count, y.count) {
                    let p = i < x.count ? x[i] : 0
                    let q = i < y.count ? y[i] : 0
                    difference |= UInt(p ^ q)
                }
                return difference == 0
            }
        }
    }

    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    func hello(_ args: [Bytes]) throws(MemFluxError) -> Reply {
        var version: Int?
        if args.count >= 2 {
            guard let v = args[1].parseInt64() else {
                throw MemFluxError(.err, "Protocol version is not an integer or out of range")
            }
            guard v == 2 || v == 3 else { throw .noProto }
            version = Int(v)
        }
        var credentials: (Bytes, Bytes)?
        var name: Bytes?
        var i = 2
        while i < args.count {
            let more = args.count - 1 - i
            if args[i].equalsIgnoringCase("auth") && more >= 2 {
                credentials = (args[i + 1], args[i + 2])
                i += 3
            } else if args[i].equalsIgnoringCase("setname") && more >= 1 {
                try Self.validateClientName(args[i + 1])
                name = args[i + 1]
                i += 2
            } else {
                throw MemFluxError(.err, "Syntax error in HELLO option '\(args[i].string)'")
            }
        }
        if let (user, password) = credentials { try authenticate(user: user, password: password) }
        guard authenticated else { throw .helloNeedsAuth }
        if let name { setClientName(name) }
        if let version {
            encoder.protocolVersion = version
            session.protocolVersion = version
            client?.info.withLock { $0.protocolVersion = version }
        }
        return .map([
            .bulk("server"), .bulk("redis"),
            .bulk("version"), .bulk(InfoCommand.redisVersion),
            .bulk("proto"), .integer(Int64(encoder.protocolVersion)),
            .bulk("id"), .integer(session.id),
            .bulk("mode"), .bulk("standalone"),
            .bulk("role"), .bulk("master"),
            .bulk("modules"), .emptyArray,
        ])
    }

    /// Client names are printable ASCII without spaces, as Redis requires.
    static func validateClientName(_ name: Bytes) throws(MemFluxError) {
        for i in 0..<name.count where name[i] < UInt8(ascii: "!") || name[i] > UInt8(ascii: "~") {
            throw MemFluxError(.err, "Client names cannot contain spaces, newlines or special characters.")
        }
    }

    /// Sets (or, with an empty name, clears) CLIENT SETNAME's name.
    func setClientName(_ name: Bytes) {
        session.name = name.isEmpty ? nil : name
        client?.info.withLock { $0.name = name.string }
    }
}
