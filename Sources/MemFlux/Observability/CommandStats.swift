// CommandStats: per-command call counts and time for INFO commandstats
// (`cmdstat_get:calls=...,usec=...`) and the total for
// total_commands_processed. One counter object per command, found by the
// command's identity; counters are atomics. The embedded API adds to them
// per call; a server connection adds up its calls in a PendingCommandStats
// and publishes them once per run of the same command, not once per request.

import Synchronization

public final class CommandCounter: Sendable {
    public let name: String
    public let calls = Atomic<Int>(0)
    public let microseconds = Atomic<Int>(0)
    /// Calls that answered an error.
    public let failed = Atomic<Int>(0)
    /// Calls refused before running (arity, NOAUTH).
    public let rejected = Atomic<Int>(0)

    init(name: String) { self.name = name }
}

public final class CommandStats: Sendable {
    private let counters: [ObjectIdentifier: CommandCounter]
    /// In table order, for INFO.
    public let ordered: [CommandCounter]
    /// Every command run, for total_commands_processed.
    public let totalCommands = Atomic<Int>(0)

    public init(_ commands: [Command]) {
        var counters: [ObjectIdentifier: CommandCounter] = [:]
        var ordered: [CommandCounter] = []
        for command in commands where counters[ObjectIdentifier(command)] == nil {
            let counter = CommandCounter(name: command.name)
            counters[ObjectIdentifier(command)] = counter
            ordered.append(counter)
        }
        self.counters = counters
        self.ordered = ordered
    }

    public func counter(for command: Command) -> CommandCounter? {
        counters[ObjectIdentifier(command)]
    }

    /// Counts one call of `command`, now.
    func record(_ command: Command, microseconds: Int64, failed: Bool) {
        totalCommands.add(1, ordering: .relaxed)
        guard let counter = counter(for: command) else { return }
        counter.calls.add(1, ordering: .relaxed)
        counter.microseconds.add(Int(microseconds), ordering: .relaxed)
        if failed { counter.failed.add(1, ordering: .relaxed) }
    }

    /// CONFIG RESETSTAT.
    public func reset() {
        totalCommands.store(0, ordering: .relaxed)
        for counter in ordered {
            counter.calls.store(0, ordering: .relaxed)
            counter.microseconds.store(0, ordering: .relaxed)
            counter.failed.store(0, ordering: .relaxed)
            counter.rejected.store(0, ordering: .relaxed)
        }
    }
}

/// A connection's not yet published counts for the command it ran last.
public struct PendingCommandStats {
    public private(set) var command: Command?
    private var counter: CommandCounter?
    public var calls = 0
    public var microseconds = 0
    public var failed = 0
    public var rejected = 0
    /// Every command run, for total_commands_processed.
    public var total = 0

    public init() {}

    /// Makes `command` the one counted; looks its counter up only when the command changes.
    @inline(__always)
    public mutating func switchTo(_ command: Command, in stats: CommandStats) {
        if command !== self.command {
            flushCounter()
            self.command = command
            counter = stats.counter(for: command)
        }
    }

    public mutating func flushCounter() {
        guard let counter else { return }
        if calls > 0 { counter.calls.add(calls, ordering: .relaxed) }
        if microseconds > 0 { counter.microseconds.add(microseconds, ordering: .relaxed) }
        if failed > 0 { counter.failed.add(failed, ordering: .relaxed) }
        if rejected > 0 { counter.rejected.add(rejected, ordering: .relaxed) }
        calls = 0
        microseconds = 0
        failed = 0
        rejected = 0
    }

    public mutating func publish(to stats: CommandStats) {
        flushCounter()
        if total > 0 {
            stats.totalCommands.add(total, ordering: .relaxed)
            total = 0
        }
    }
}
