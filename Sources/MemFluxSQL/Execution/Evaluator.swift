// Expression evaluation: a recursive switch over the bound tree against one
// input row. NULL follows SQL's three-valued logic: comparisons and
// arithmetic with a NULL operand are NULL, AND/OR/NOT use the truth tables
// (false AND NULL is false, true OR NULL is true).

import MemFluxCore
import MemFluxStorage

extension BoundExpression {
    func evaluate(_ row: borrowing Row, _ context: ExecutionContext) throws(MemFluxError) -> SQLValue {
        switch self {
        case .constant(let v, _): return v
        case .column(let i, _): return row[i]
        case .outerColumn(let depth, let i, _): return context.outerRow(depth: depth)[i]
        case .parameter(let n, let type): return try context.parameter(n, as: type)
        case .not(let e):
            switch try e.evaluate(row, context) {
            case .bool(let b): return .bool(!b)
            default: return .null
            }
        case .and(let a, let b):
            let left = try a.evaluate(row, context)
            if case .bool(false) = left { return .bool(false) }
            let right = try b.evaluate(row, context)
            if case .bool(false) = right { return .bool(false) }
            if left.isNull || right.isNull { return .null }
            return .bool(true)
        case .or(let a, let b):
            let left = try a.evaluate(row, context)
            if case .bool(true) = left { return .bool(true) }
            let right = try b.evaluate(row, context)
            if case .bool(true) = right { return .bool(true) }
            if left.isNull || right.isNull { return .null }
            return .bool(false)
        case .compare(let op, let a, let b):
            let left = try a.evaluate(row, context)
            if left.isNull { return .null }
            let right = try b.evaluate(row, context)
            if right.isNull { return .null }
            return .bool(op.holds(try SQLValue.compare(left, right)))
        case .arithmetic(let op, let a, let b, let type):
            let left = try a.evaluate(row, context)
            if left.isNull { return .null }
            let right = try b.evaluate(row, context)
            if right.isNull { return .null }
            return try Arithmetic.apply(op, left, right, type: type)
        case .negate(let e, let type):
            let v = try e.evaluate(row, context)
            return v.isNull ? .null : try SQLArithmetic.negate(v, type: type)
        case .concatenate(let a, let b):
            let left = try a.evaluate(row, context)
            let right = try b.evaluate(row, context)
            if left.isNull || right.isNull { return .null }
            return try Arithmetic.concatenate(left, a.type, right, b.type)
        case .isNull(let e, let negated):
            return .bool(try e.evaluate(row, context).isNull != negated)
        case .isTruth(let e, let expected, let negated):
            let v = try e.evaluate(row, context)
            let matches: Bool
            switch (v, expected) {
            case (.null, nil): matches = true
            case (.bool(let b), let want?): matches = b == want
            default: matches = false
            }
            return .bool(matches != negated)
        case .isDistinctFrom(let a, let b, let negated):
            let left = try a.evaluate(row, context)
            let right = try b.evaluate(row, context)
            let distinct: Bool
            switch (left.isNull, right.isNull) {
            case (true, true): distinct = false
            case (true, false), (false, true): distinct = true
            case (false, false): distinct = try SQLValue.compare(left, right) != 0
            }
            return .bool(distinct != negated)
        case .like(let e, let p, let escape, let caseInsensitive, let negated):
            let value = try e.evaluate(row, context)
            let pattern = try p.evaluate(row, context)
            guard case .text(let text) = try Arithmetic.asText(value, e.type, keepingPadding: true),
                case .text(let patternText) = try Arithmetic.asText(pattern, p.type)
            else { return .null }
            var escapeCharacter: Character? = "\\"
            if let escape {
                guard case .text(let e) = try escape.evaluate(row, context) else { return .null }
                guard e.count <= 1 else { throw MemFluxError(.err, "invalid escape string") }
                escapeCharacter = e.first
            }
            let matched = try LikePattern(patternText, escape: escapeCharacter, caseInsensitive: caseInsensitive).matches(text)
            return .bool(matched != negated)
        case .inList(let e, let list, let negated):
            let value = try e.evaluate(row, context)
            if value.isNull { return .null }
            var sawNull = false
            for item in list {
                let candidate = try item.evaluate(row, context)
                if candidate.isNull {
                    sawNull = true
                } else if try SQLValue.compare(value, candidate) == 0 {
                    return .bool(!negated)
                }
            }
            return sawNull ? .null : .bool(negated)
        case .caseWhen(let operand, let branches, let otherwise, _):
            if let operand {
                let subject = try operand.evaluate(row, context)
                for (when, then) in branches {
                    let candidate = try when.evaluate(row, context)
                    if !subject.isNull, !candidate.isNull, try SQLValue.compare(subject, candidate) == 0 {
                        return try then.evaluate(row, context)
                    }
                }
            } else {
                for (when, then) in branches {
                    if case .bool(true) = try when.evaluate(row, context) { return try then.evaluate(row, context) }
                }
            }
            return try otherwise?.evaluate(row, context) ?? .null
        case .cast(let e, let type):
            let v = try e.evaluate(row, context)
            return v.isNull ? .null : try SQLCast.cast(v, from: e.type, to: type, explicit: true)
        case .function(let f, let args, _):
            var values: [SQLValue] = []
            values.reserveCapacity(args.count)
            for arg in args {
                let v = try arg.evaluate(row, context)
                if f.isStrict && v.isNull { return .null }
                values.append(v)
            }
            return try f.call(values, context: context.evaluation)
        case .coalesce(let args, let type):
            for arg in args {
                let v = try arg.evaluate(row, context)
                if !v.isNull { return try Arithmetic.coerce(v, from: arg.type, to: type) }
            }
            return .null
        case .jsonField(let a, let b, let asText):
            let document = try a.evaluate(row, context)
            let field = try b.evaluate(row, context)
            if document.isNull || field.isNull { return .null }
            return JSONAccess.field(document, field, asText: asText, documentType: a.type)
        case .jsonPath(let a, let b, let asText):
            let document = try a.evaluate(row, context)
            let path = try b.evaluate(row, context)
            if document.isNull || path.isNull { return .null }
            return try JSONAccess.path(document, path, asText: asText, documentType: a.type)
        case .array(let items, _):
            var values: [SQLValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.evaluate(row, context)) }
            return .array(values)
        case .element(let a, let i, _):
            guard case .array(let values) = try a.evaluate(row, context), case .int(let index) = try i.evaluate(row, context)
            else { return .null }
            guard index >= 1, index <= Int64(values.count) else { return .null }
            return values[Int(index - 1)]
        case .subquery(let s):
            return try s.evaluate(row, context)
        }
    }

    /// The expression as a condition to test many rows with, made once: a
    /// column compared with a constant of its own kind (the usual pushed-down
    /// filter) reads the column directly, without walking the tree; any other
    /// shape, or a row whose value is of another kind, goes through `isSatisfied`.
    func condition(_ context: ExecutionContext) -> (borrowing Row) throws(MemFluxError) -> Bool {
        if case .compare(let op, .column(let i, _), .constant(let constant, _)) = self {
            switch constant {
            case .double(let c):
                return { (row: borrowing Row) throws(MemFluxError) -> Bool in
                    if case .double(let x) = row[i] { return op.holds(SQLValue.compareDoubles(x, c)) }
                    return try self.isSatisfied(row, context)
                }
            case .int(let c):
                return { (row: borrowing Row) throws(MemFluxError) -> Bool in
                    if case .int(let x) = row[i] { return op.holds(x == c ? 0 : (x < c ? -1 : 1)) }
                    return try self.isSatisfied(row, context)
                }
            default: break
            }
        }
        return { (row: borrowing Row) throws(MemFluxError) -> Bool in try self.isSatisfied(row, context) }
    }

    /// The value as a WHERE / ON / HAVING condition: only TRUE passes.
    @inline(__always)
    func isSatisfied(_ row: borrowing Row, _ context: ExecutionContext) throws(MemFluxError) -> Bool {
        if case .bool(true) = try evaluate(row, context) { return true }
        return false
    }
}

extension Subquery {
    /// Runs the subquery for the current row: an uncorrelated one once per
    /// execution (its first column is kept in the context), a correlated one
    /// every time, with the current row pushed as its outer row.
    func evaluate(_ row: borrowing Row, _ context: ExecutionContext) throws(MemFluxError) -> SQLValue {
        var subject = SQLValue.null
        if case .quantified(let probe, _, _) = kind { subject = try probe.evaluate(row, context) }
        let values: [SQLValue]
        if !isCorrelated, let cached = context.subqueryResults[ObjectIdentifier(self)] {
            values = cached
        } else {
            context.pushOuter(Array(copy row))
            defer { context.popOuter() }
            var collected: [SQLValue] = []
            // EXISTS needs one row; a scalar subquery two, to report a second.
            let enough: Int
            switch kind {
            case .exists: enough = 1
            case .scalar: enough = 2
            default: enough = Int.max
            }
            try plan.run(context) { (r: borrowing Row) throws(MemFluxError) -> Bool in
                collected.append(r.isEmpty ? .null : r[0])
                return collected.count < enough
            }
            values = collected
            if !isCorrelated { context.subqueryResults[ObjectIdentifier(self)] = values }
        }
        switch kind {
        case .scalar:
            if values.count > 1 { throw MemFluxError(.err, "more than one row returned by a subquery used as an expression") }
            return values.first ?? .null
        case .exists:
            return .bool(!values.isEmpty)
        case .array:
            return .array(values)
        case .quantified(_, let op, let all):
            // x IN (...): true on a match; else NULL if x or any candidate is NULL; else false.
            // ALL inverts: false on a mismatch; else NULL if any NULL; else true.
            if values.isEmpty { return .bool(all) }
            if subject.isNull { return .null }
            var sawNull = false
            for candidate in values {
                if candidate.isNull {
                    sawNull = true
                    continue
                }
                let holds = op.holds(try SQLValue.compare(subject, candidate))
                if holds != all { return .bool(holds) }
            }
            return sawNull ? .null : .bool(all)
        }
    }
}
