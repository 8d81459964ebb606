// config.json and CONFIG values: valid files apply, and every invalid one is
// refused with an error naming the key (or the JSON offset), changing nothing.

import MemFluxCore
import Testing
@testable import MemFluxServer

func applying(_ json: String) -> (Configuration, String?) {
    var config = Configuration()
    do {
        try ConfigFile.apply(ContiguousArray(json.utf8), to: &config)
        return (config, nil)
    } catch {
        return (config, error.message)
    }
}

@Suite struct ConfigFileTests {
    @Test func validFileApplies() {
        let (config, error) = applying(#"{"port": 7000, "requirepass": "pw", "persistence": false, "durability": "full", "eviction_policy": "lfu", "max_clients": 5}"#)
        #expect(error == nil)
        #expect(config.port == 7000)
        #expect(config.requirePass == "pw")
        #expect(config.persistence == false)
        #expect(config.durability == .full)
        #expect(config.evictionPolicy == .lfu)
        #expect(config.maxClients == 5)
    }

    @Test func errorsNameTheKey() {
        let cases: [(String, String)] = [
            (#"{"port": "8360"}"#, "config.json: invalid value for 'port': expected an integer from 0 to 65535"),
            (#"{"port": 70000}"#, "config.json: invalid value for 'port': expected an integer from 0 to 65535"),
            (#"{"persistence": "yes"}"#, "config.json: invalid value for 'persistence': expected true or false"),
            (#"{"durability": "sometimes"}"#,
             #"config.json: invalid value for 'durability': expected one of "none", "fsync", "full""#),
            (#"{"colour": "blue"}"#, "config.json: unknown key 'colour'"),
            (#"[1, 2]"#, "config.json: expected a JSON object of settings"),
        ]
        for (json, message) in cases {
            let (config, error) = applying(json)
            #expect(error == message, "\(json)")
            #expect(config == Configuration(), "nothing changes")
        }
        let (_, error) = applying(#"{"port": 1,}"#)
        #expect(error?.hasPrefix("config.json: ") == true)
    }

    @Test func defaultFileRoundTrips() {
        var custom = Configuration()
        custom.port = 9000
        custom.requirePass = "123"
        let (config, error) = applying(ConfigFile.defaultText(custom))
        #expect(error == nil)
        #expect(config == custom)
    }

    @Test func configSetTextValues() throws {
        var config = Configuration()
        try ConfigKeys.set("slowlog_log_slower_than", .text("-1"), &config)
        try ConfigKeys.set("persistence", .text("no"), &config)
        #expect(config.slowlogLogSlowerThanMicroseconds == -1)
        #expect(config.persistence == false)
        #expect(throws: ConfigValueError.self) { try ConfigKeys.set("max_clients", .text("many"), &config) }
        do throws(ConfigValueError) {
            try ConfigKeys.set("port", .text("99999"), &config)
        } catch {
            #expect(error.message == "invalid value for 'port': argument must be between 0 and 65535 inclusive")
        }
    }
}
