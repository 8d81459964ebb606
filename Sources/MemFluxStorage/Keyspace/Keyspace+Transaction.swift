// The keyspace as an explicit transaction sees it: the snapshot taken at
// BEGIN overlaid with the transaction's own buffered writes. Reads lock a
// shard only for the instant of the lookup; writes touch no shared state
// until `commit`. See Transaction.swift for the validation rules.

import MemFluxCore

extension Keyspace {
    /// Beyond this many changes to one key in one transaction, the commit logs the key's whole value.
    static let maximumLoggedChanges = 1000

    /// Starts a transaction reading a snapshot of everything committed so far.
    public func begin(isolation: Configuration.Isolation) -> Transaction {
        Transaction(snapshot: snapshots.acquire(), isolation: isolation)
    }

    /// Ends `transaction` without installing anything.
    public func rollback(_ transaction: Transaction) {
        snapshots.release(transaction.snapshot)
    }

    /// The sequence number of `key`'s latest committed version (0 when it has none), for WATCH.
    public func lastCommit(_ key: Bytes) -> UInt64 {
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        return shard.lastCommit(key)
    }

    /// What `transaction` sees for `key`: its own write, else the snapshot's
    /// version, noted as read unless `noting` is false (the caller notes it,
    /// or writes the key, which validates it anyway).
    private func state(_ key: Bytes, in transaction: Transaction, noting: Bool = true) -> PendingWrite {
        if let own = transaction.writes[key] { return own }
        if noting { transaction.noteRead(key) }
        let shard = shard(for: key)
        shard.lock()
        defer { shard.unlock() }
        guard let version = shard.table[key]?.visible(at: transaction.snapshot), let value = version.liveValue else {
            return PendingWrite(value: nil, expireAt: 0)
        }
        return PendingWrite(value: value, expireAt: version.expireAt)
    }

    /// `body` on what `transaction` sees for `key`, run with no lock held.
    /// Only the value is copied out of the entry (one retain), not the
    /// entry with its chain of older versions.
    public func read<R, E: Error>(
        _ key: Bytes, in transaction: Transaction, _ body: (borrowing Value?) throws(E) -> R
    ) throws(E) -> R {
        if let own = transaction.writes[key] { return try body(own.liveValue) }
        transaction.noteRead(key)
        let shard = shard(for: key)
        shard.lock()
        let value = shard.table.find(key).flatMap { Entry.visibleValue(shard.table.entry(at: $0), at: transaction.snapshot) }
        shard.unlock()
        return try body(value)
    }

    /// Runs `body` on the key's slot and buffers what it leaves there.
    public func modify<R, E: Error>(
        _ key: Bytes, in transaction: Transaction, _ body: (inout KeySlot) throws(E) -> R
    ) throws(E) -> R {
        transaction.willWrite(key)
        // Moved out of the buffer so a container written twice stays uniquely referenced.
        let own = transaction.writes.removeValue(forKey: key)
        // A key this writes needs no read noted: commit checks every written
        // key for a newer commit anyway. A key left unwritten is noted below.
        let current = own ?? state(key, in: transaction, noting: false)
        let live = current.liveValue
        var slot = KeySlot(value: live, expireAt: live == nil ? 0 : current.expireAt, journaling: journal != nil)
        let result: R
        do {
            result = try body(&slot)
        } catch {
            // Handlers validate before they mutate, so the slot still holds the old value.
            if let own {
                transaction.writes[key] = PendingWrite(value: slot.value ?? own.value, expireAt: own.expireAt, changes: own.changes)
            } else {
                transaction.noteRead(key)
            }
            throw error
        }
        if slot.isModified {
            var changes: [ValueChange]?
            if journal != nil && live != nil {
                // Relative to the snapshot's value: the first write starts the list, later ones extend it.
                changes = own?.changes ?? (own == nil ? [] : nil)
                switch slot.loggedChange {
                case .unchanged: break
                case .whole: changes = nil
                case let change: changes?.append(change.materialized(from: slot.value))
                }
                if let count = changes?.count, count > Keyspace.maximumLoggedChanges { changes = nil }
            }
            transaction.writes[key] = PendingWrite(
                value: slot.value, expireAt: slot.value == nil ? 0 : slot.expireAt, changes: changes)
        } else if let own {
            transaction.writes[key] = PendingWrite(value: slot.value ?? own.value, expireAt: own.expireAt, changes: own.changes)
        } else {
            transaction.noteRead(key)
        }
        return result
    }

    /// The key's TTL as absolute Unix milliseconds: nil when absent, 0 when it has none.
    public func expireAt(_ key: Bytes, in transaction: Transaction) -> Int64? {
        let current = state(key, in: transaction)
        return current.liveValue == nil ? nil : current.expireAt
    }

    /// Every key but the system keys, with its value, as the transaction sees
    /// them: a predicate read of the whole keyspace.
    public func forEach(in transaction: Transaction, _ visit: (Bytes, borrowing Value) -> Void) {
        forEachVisible(in: transaction, includingSystemKeys: false, visit)
    }

    private func forEachVisible(
        in transaction: Transaction, includingSystemKeys: Bool, _ visit: (Bytes, borrowing Value) -> Void
    ) {
        transaction.noteRead(.everything)
        for shard in shards {
            shard.lock()
            let skipsSystemKeys = !includingSystemKeys && shard.systemEntries > 0
            shard.table.forEachSlot { i in
                let key = shard.table.key(at: i)
                guard transaction.writes[key] == nil, !(skipsSystemKeys && key.isSystemKey),
                    let value = Entry.visibleValue(shard.table.entry(at: i), at: transaction.snapshot)
                else { return }
                visit(key, value)
            }
            shard.unlock()
        }
        for (key, write) in transaction.writes where includingSystemKeys || !key.isSystemKey {
            if let value = write.liveValue { visit(key, value) }
        }
    }

    /// Keys with directory prefix `prefix` that the transaction sees: a predicate read of that prefix.
    public func keys(withDirectoryPrefix prefix: Bytes, in transaction: Transaction) -> [Bytes] {
        var keys: [Bytes] = []
        scan(prefix: prefix, in: transaction) { key, _ in
            keys.append(key)
            return true
        }
        return keys
    }

    /// Keys other than system keys the transaction sees (DBSIZE inside a transaction).
    public func count(in transaction: Transaction) -> Int {
        var n = 0
        forEach(in: transaction) { _, _ in n += 1 }
        return n
    }

    /// Deletes every key but the system keys that the transaction sees (FLUSHALL inside a transaction).
    public func removeAll(in transaction: Transaction) {
        removeAll(in: transaction, includingSystemKeys: false)
    }

    /// Deletes every key the transaction sees, system keys too.
    public func removeAllIncludingSystemKeys(in transaction: Transaction) {
        removeAll(in: transaction, includingSystemKeys: true)
    }

    private func removeAll(in transaction: Transaction, includingSystemKeys: Bool) {
        var keys: [Bytes] = []
        forEachVisible(in: transaction, includingSystemKeys: includingSystemKeys) { key, _ in keys.append(key) }
        for key in keys {
            transaction.willWrite(key)
            transaction.writes[key] = PendingWrite(value: nil, expireAt: 0)
        }
    }

    // MARK: Commit

    /// Validates `transaction` and installs its writes with one commit
    /// sequence number, or installs nothing. Either way the transaction is over.
    public func commit(_ transaction: Transaction) -> Transaction.Outcome {
        var snapshotOpen = true
        defer { if snapshotOpen { snapshots.release(transaction.snapshot) } }
        // A read-only transaction read one consistent state, the commits up to
        // its snapshot, and read-write transactions serialize in commit order
        // (their reads are validated to be current at commit): nothing to check.
        if transaction.writes.isEmpty && transaction.watched.isEmpty { return .committed }
        let validatesReads = transaction.validatesReads

        var indices: [Int]
        if validatesReads && !transaction.predicates.isEmpty {
            indices = Array(0..<Keyspace.shardCount)
        } else {
            var involved = [Bool](repeating: false, count: Keyspace.shardCount)
            for key in transaction.writes.keys { involved[Keyspace.shardIndex(of: key)] = true }
            for key in transaction.watched.keys { involved[Keyspace.shardIndex(of: key)] = true }
            if validatesReads { for key in transaction.reads { involved[Keyspace.shardIndex(of: key)] = true } }
            indices = involved.indices.filter { involved[$0] }
        }
        for i in indices { shards[i].lock() }
        defer { for i in indices { shards[i].unlock() } }

        func committedAfterSnapshot(_ key: Bytes) -> Bool {
            // A shard with no commit since the snapshot has no such key: no lookup
            // (a bulk load alone on the keyspace validates without any).
            let shard = shard(for: key)
            return shard.lastWrite > transaction.snapshot && shard.lastCommit(key) > transaction.snapshot
        }
        for (key, sequence) in transaction.watched where shard(for: key).lastCommit(key) != sequence {
            return .watchedKeyChanged
        }
        for key in transaction.writes.keys where committedAfterSnapshot(key) { return .conflict }
        if validatesReads {
            for key in transaction.reads where committedAfterSnapshot(key) { return .conflict }
            for predicate in transaction.predicates where predicateChanged(predicate, since: transaction.snapshot) {
                return .conflict
            }
        }

        // Validated: the transaction reads nothing more. Its own snapshot, the
        // newest open one, would keep every version it replaces as a version
        // it may read; released, a write replaces the head in place unless
        // another snapshot reads it, so an older open snapshot keeps one old
        // version per key however often the key is written.
        snapshots.release(transaction.snapshot)
        snapshotOpen = false
        var stamp = CommitStamp(keyspace: self)
        for (key, write) in transaction.writes {
            shard(for: key).modify(key, stamp: &stamp) { slot in
                slot.value = write.value
                slot.expireAt = write.value == nil ? 0 : write.expireAt
                // Validation proved the key unchanged since the snapshot, so its changes apply to what is there.
                if let changes = write.changes {
                    slot.change = changes.count == 1 ? changes[0] : changes.isEmpty ? .unchanged : .sequence(changes)
                }
            }
        }
        stamp.log()
        return .committed
    }

    /// Whether any key the predicate covers was committed after `snapshot`
    /// (created, changed, deleted or expired by active expiry), from each
    /// shard's last-commit numbers: O(shards), whatever the table's size.
    /// Call with every shard locked.
    private func predicateChanged(_ predicate: ReadPredicate, since snapshot: UInt64) -> Bool {
        switch predicate {
        case .everything: shards.contains { $0.lastWrite > snapshot }
        case .prefix(let prefix): shards.contains { $0.lastCommit(withPrefix: prefix) > snapshot }
        }
    }
}

// MARK: Multi-key commands and SCAN inside a transaction

extension Keyspace {
    /// `withKeys` for a transaction: nothing to lock, every access goes through it.
    public func withKeys<R, E: Error>(
        _ keys: [Bytes], in transaction: Transaction, _ body: (inout LockedKeys) throws(E) -> R
    ) throws(E) -> R {
        var locked = LockedKeys(keyspace: self, transaction: transaction)
        return try body(&locked)
    }

    /// SCAN inside a transaction: one step returns every matching key (cursor
    /// 0), which keeps SCAN's guarantee and reads one consistent snapshot.
    public func scan(
        in transaction: Transaction, include: (Bytes, borrowing Value) -> Bool
    ) -> (next: UInt64, keys: [Bytes]) {
        var keys: [Bytes] = []
        forEach(in: transaction) { key, value in if include(key, value) { keys.append(key) } }
        return (0, keys)
    }
}
