// Planning rules applied while binding:
// - a WHERE or ON condition is split into its AND-ed parts, and each part
//   that reads only one side of an inner join is moved down to that side,
//   ending as a table scan's own filter;
// - equality on every key column of a table (its primary key, or `id`)
//   turns the scan into a key lookup: one hash probe instead of a scan;
// - a join whose condition has equalities between its two sides becomes a
//   hash join, the rest of the condition its residual.

import MemFluxCore

enum Rules {
    static func applyFilter(_ condition: BoundExpression, to plan: PhysicalOperator, binder: Binder) -> PhysicalOperator {
        var remaining: [BoundExpression] = []
        var plan = plan
        for part in conjuncts(condition) {
            if let pushed = push(part, into: plan) { plan = pushed } else { remaining.append(part) }
        }
        guard let rest = conjunction(remaining) else { return plan }
        return PhysicalFilter(plan, rest)
    }

    /// `plan` with `part` applied inside it, or nil when it cannot go lower than a filter on top.
    private static func push(_ part: BoundExpression, into plan: PhysicalOperator) -> PhysicalOperator? {
        var columns = Set<Int>()
        part.referencedColumns(into: &columns)
        if containsSubquery(part) { return nil }
        switch plan {
        case let scan as PhysicalTableScan:
            let condition = scan.filter.map { BoundExpression.and($0, part) } ?? part
            return keyLookup(scan.source, condition, includeKey: scan.includeKey) ?? PhysicalTableScan(scan.source, filter: condition, includeKey: scan.includeKey)
        case let lookup as PhysicalKeyLookup:
            let condition = lookup.filter.map { BoundExpression.and($0, part) } ?? part
            return PhysicalKeyLookup(lookup.source, keyValues: lookup.keyValues, filter: condition, includeKey: lookup.includeKey)
        case let join as PhysicalNestedLoopJoin where join.kind == .inner || join.kind == .cross:
            return pushIntoJoin(part, columns, join.left, join.right) { l, r in
                PhysicalNestedLoopJoin(join.kind, l, r, condition: join.condition)
            }
        case let join as PhysicalLookupJoin where join.kind == .inner:
            // The streamed side takes its own conditions; the looked-up side's join its filter.
            let lookupRange = join.lookupIsLeft ? 0..<join.source.width : join.streamed.width..<join.width
            if columns.allSatisfy({ lookupRange.contains($0) }) {
                let own = part.shiftingColumns(by: -lookupRange.lowerBound)
                return PhysicalLookupJoin(
                    .inner, streamed: join.streamed, lookup: join.source, keyValues: join.keyValues,
                    filter: join.filter.map { .and($0, own) } ?? own, residual: join.residual, lookupIsLeft: join.lookupIsLeft)
            }
            let streamedStart = join.lookupIsLeft ? join.source.width : 0
            guard columns.allSatisfy({ $0 >= streamedStart && $0 < streamedStart + join.streamed.width }) else { return nil }
            let shifted = part.shiftingColumns(by: -streamedStart)
            let streamed = push(shifted, into: join.streamed) ?? PhysicalFilter(join.streamed, shifted)
            return PhysicalLookupJoin(
                .inner, streamed: streamed, lookup: join.source, keyValues: join.keyValues, filter: join.filter,
                residual: join.residual, lookupIsLeft: join.lookupIsLeft)
        case let join as PhysicalHashJoin where join.kind == .inner:
            return pushIntoJoin(part, columns, join.left, join.right) { l, r in
                PhysicalHashJoin(.inner, l, r, leftKeys: join.leftKeys, rightKeys: join.rightKeys, residual: join.residual)
            }
        default:
            return nil
        }
    }

    private static func pushIntoJoin(
        _ part: BoundExpression, _ columns: Set<Int>, _ left: PhysicalOperator, _ right: PhysicalOperator,
        _ make: (PhysicalOperator, PhysicalOperator) -> PhysicalOperator
    ) -> PhysicalOperator? {
        if columns.allSatisfy({ $0 < left.width }) {
            guard let l = push(part, into: left) else { return make(PhysicalFilter(left, part), right) }
            return make(l, right)
        }
        if columns.allSatisfy({ $0 >= left.width }) {
            let shifted = part.shiftingColumns(by: -left.width)
            guard let r = push(shifted, into: right) else { return make(left, PhysicalFilter(right, shifted)) }
            return make(left, r)
        }
        return nil
    }

    /// A key lookup when `condition` fixes every key column with an equality to a value known before the scan.
    static func keyLookup(_ source: TableSource, _ condition: BoundExpression, includeKey: Bool) -> PhysicalOperator? {
        let keyColumns: [Int]
        if let definition = source.definition {
            guard case .columns(let c) = definition.keySource else { return nil }
            keyColumns = c
        } else {
            keyColumns = [0]
        }
        var parts = conjuncts(condition)
        var values: [BoundExpression] = []
        for column in keyColumns {
            let type = source.definition?.columns[column].type ?? .text
            guard let i = parts.firstIndex(where: { keyValue($0, column: column, type: type) != nil }),
                let value = keyValue(parts[i], column: column, type: type)
            else { return nil }
            values.append(value)
            parts.remove(at: i)
        }
        return PhysicalKeyLookup(source, keyValues: values, filter: conjunction(parts), includeKey: includeKey)
    }

    /// `value` from `column = value` (either way round) when value reads no column of this row and has the key's type.
    private static func keyValue(_ e: BoundExpression, column: Int, type: SQLType) -> BoundExpression? {
        guard case .compare(.equal, let a, let b) = e else { return nil }
        for (c, v) in [(a, b), (b, a)] {
            guard case .column(column, _) = c else { continue }
            var read = Set<Int>()
            v.referencedColumns(into: &read)
            guard read.isEmpty, !containsSubquery(v) else { continue }
            if v.type == type || (TypeCategory(v.type) == .numeric && isInteger(v.type) && isInteger(type)) { return v }
            if type == .text, v.type == .unknown || TypeCategory(v.type) == .string { return v }
        }
        return nil
    }

    private static func isInteger(_ t: SQLType) -> Bool { t == .smallint || t == .integer || t == .bigint }

    // MARK: Joins

    static func join(
        _ kind: JoinKind, _ left: PhysicalOperator, _ right: PhysicalOperator, _ on: BoundExpression?, leftWidth: Int, binder: Binder
    ) -> PhysicalOperator {
        guard let on else { return PhysicalNestedLoopJoin(kind, left, right, condition: nil) }
        var leftKeys: [BoundExpression] = []
        var rightKeys: [BoundExpression] = []
        var residual: [BoundExpression] = []
        var left = left
        var right = right
        for part in conjuncts(on) {
            var columns = Set<Int>()
            part.referencedColumns(into: &columns)
            if case .compare(.equal, let a, let b) = part, !containsSubquery(part) {
                var ca = Set<Int>()
                a.referencedColumns(into: &ca)
                var cb = Set<Int>()
                b.referencedColumns(into: &cb)
                if !ca.isEmpty, !cb.isEmpty, ca.allSatisfy({ $0 < leftWidth }), cb.allSatisfy({ $0 >= leftWidth }) {
                    leftKeys.append(a)
                    rightKeys.append(b.shiftingColumns(by: -leftWidth))
                    continue
                }
                if !ca.isEmpty, !cb.isEmpty, cb.allSatisfy({ $0 < leftWidth }), ca.allSatisfy({ $0 >= leftWidth }) {
                    leftKeys.append(b)
                    rightKeys.append(a.shiftingColumns(by: -leftWidth))
                    continue
                }
            }
            // Conditions on one side only: filter that side first where the join kind allows it.
            if !columns.isEmpty, !containsSubquery(part) {
                if columns.allSatisfy({ $0 >= leftWidth }), kind == .inner || kind == .left {
                    right = applyFilter(part.shiftingColumns(by: -leftWidth), to: right, binder: binder)
                    continue
                }
                if columns.allSatisfy({ $0 < leftWidth }), kind == .inner || kind == .right {
                    left = applyFilter(part, to: left, binder: binder)
                    continue
                }
            }
            residual.append(part)
        }
        if leftKeys.isEmpty { return PhysicalNestedLoopJoin(kind, left, right, condition: conjunction(residual)) }
        if let lookup = lookupJoin(kind, left, right, leftKeys, rightKeys, residual) { return lookup }
        return PhysicalHashJoin(kind, left, right, leftKeys: leftKeys, rightKeys: rightKeys, residual: conjunction(residual))
    }

    /// A join whose equalities cover the whole key of a scanned table on one side looks rows of that
    /// table up by key instead of hashing it (the other side streams; outer joins pad from it).
    private static func lookupJoin(
        _ kind: JoinKind, _ left: PhysicalOperator, _ right: PhysicalOperator, _ leftKeys: [BoundExpression],
        _ rightKeys: [BoundExpression], _ residual: [BoundExpression]
    ) -> PhysicalOperator? {
        // (table side, its key expressions, the streamed side's expressions, table on the left?)
        var candidates: [(PhysicalTableScan, [BoundExpression], [BoundExpression], Bool)] = []
        if kind == .inner || kind == .left, let scan = right as? PhysicalTableScan, !scan.includeKey {
            candidates.append((scan, rightKeys, leftKeys, false))
        }
        if kind == .inner || kind == .right, let scan = left as? PhysicalTableScan, !scan.includeKey {
            candidates.append((scan, leftKeys, rightKeys, true))
        }
        for (scan, tableKeys, streamedKeys, lookupIsLeft) in candidates {
            let keyColumns: [Int]
            if let definition = scan.source.definition {
                guard case .columns(let c) = definition.keySource else { continue }
                keyColumns = c
            } else {
                keyColumns = [0]
            }
            var values: [BoundExpression] = []
            for column in keyColumns {
                let type = scan.source.definition?.columns[column].type ?? .text
                guard let i = tableKeys.firstIndex(where: { if case .column(column, _) = $0 { return true }; return false }),
                    streamedKeys[i].type == type || (isInteger(streamedKeys[i].type) && isInteger(type))
                else { break }
                values.append(streamedKeys[i])
            }
            guard values.count == keyColumns.count, values.count == tableKeys.count else { continue }
            let streamed = lookupIsLeft ? right : left
            // Residual conditions were written over left ++ right rows, which the lookup join keeps.
            return PhysicalLookupJoin(
                kind, streamed: streamed, lookup: scan.source, keyValues: values, filter: scan.filter,
                residual: conjunction(residual), lookupIsLeft: lookupIsLeft)
        }
        return nil
    }

    // MARK: Helpers

    static func conjuncts(_ e: BoundExpression) -> [BoundExpression] {
        if case .and(let a, let b) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    static func conjunction(_ parts: [BoundExpression]) -> BoundExpression? {
        guard var result = parts.first else { return nil }
        for p in parts.dropFirst() { result = .and(result, p) }
        return result
    }

    static func containsSubquery(_ e: BoundExpression) -> Bool {
        if case .subquery = e { return true }
        var found = false
        e.forEachChild { if containsSubquery($0) { found = true } }
        return found
    }
}
