// CommandStats: per-command call counts and time for INFO commandstats
// (`cmdstat_get:calls=...,usec=...`). One counter object per command, found
// by the command's identity; counters are atomics, and connections add to
// them once per run of the same command rather than once per request.

import MemFlux
import Synchronization

final class CommandCounter: Sendable {
    let name: String
    let calls = Atomic<Int>(0)
    let microseconds = Atomic<Int>(0)
    /// Calls that answered an error.
    let failed = Atomic<Int>(0)
    /// Calls refused before running (arity, NOAUTH).
    let rejected = Atomic<Int>(0)

    init(name: String) { self.name = name }
}

final class CommandStats: Sendable {
    private let counters: [ObjectIdentifier: CommandCounter]
    /// In table order, for INFO.
    let ordered: [CommandCounter]

    init(_ commands: [Command]) {
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

    func counter(for command: Command) -> CommandCounter? {
        counters[ObjectIdentifier(command)]
    }

    /// CONFIG RESETSTAT.
    func reset() {
        for counter in ordered {
            counter.calls.store(0, ordering: .relaxed)
            counter.microseconds.store(0, ordering: .relaxed)
            counter.failed.store(0, ordering: .relaxed)
            counter.rejected.store(0, ordering: .relaxed)
        }
    }
}

/// A connection's not yet published counts for the command it ran last.
struct PendingCommandStats {
    private(set) var command: Command?
    private var counter: CommandCounter?
    var calls = 0
    var microseconds = 0
    var failed = 0
    var rejected = 0
    /// Every command run, for total_commands_processed.
    var total = 0

    /// Makes `command` the one counted; looks its counter up only when the command changes.
    @inline(__always)
    mutating func switchTo(_ command: Command, in stats: CommandStats) {
        if command !== self.command {
            flushCounter()
            self.command = command
            counter = stats.counter(for: command)
        }
    }

    mutating func flushCounter() {
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

    mutating func publish(to state: ServerState) {
        flushCounter()
        if total > 0 {
            state.totalCommands.add(total, ordering: .relaxed)
            total = 0
        }
    }
}
