// StoredRowTest: what a scan's filter can decide from a typed row's stored
// columns before the row is decoded. The conjuncts of the form
// `column op constant`, with an integer or double constant, are read from the
// row's words in place (BorrowedRow.scalar): a row one of them rejects is
// dropped without decoding, and when they are the whole condition and all
// hold, the row passes without the condition being evaluated at all.

import MemFluxCore
import MemFluxStorage

struct StoredRowTest {
    enum Verdict {
        /// The condition is not TRUE for the row.
        case fails
        /// The condition is TRUE for the row.
        case passes
        /// Decode the row and evaluate the condition.
        case undecided
    }

    fileprivate struct Term {
        let column: Int
        /// `.int` or `.double`.
        let constant: StoredScalar
        /// The orders for which the operator holds: bit 0 below the constant, bit 1 equal, bit 2 above.
        let holding: UInt8

        init(column: Int, op: ComparisonOperator, constant: StoredScalar) {
            self.column = column
            self.constant = constant
            var holding: UInt8 = 0
            for order in -1...1 where op.holds(order) { holding |= 1 << (order + 1) }
            self.holding = holding
        }
    }

    private let terms: [Term]
    /// The term when there is only one (the common `column > constant`): tested without a loop.
    private let onlyTerm: Term?
    /// Every conjunct of the condition is a term.
    private let coversCondition: Bool

    /// Nil when no conjunct of `condition` is a term.
    init?(_ condition: BoundExpression) {
        var terms: [Term] = []
        var coversCondition = true
        func collect(_ e: BoundExpression) {
            if case .and(let a, let b) = e {
                collect(a)
                collect(b)
                return
            }
            guard case .compare(let op, .column(let column, _), .constant(let value, _)) = e else {
                coversCondition = false
                return
            }
            switch value {
            case .int(let c): terms.append(Term(column: column, op: op, constant: .int(c)))
            case .double(let c): terms.append(Term(column: column, op: op, constant: .double(c)))
            default: coversCondition = false
            }
        }
        collect(condition)
        guard !terms.isEmpty else { return nil }
        self.terms = terms
        self.onlyTerm = terms.count == 1 ? terms[0] : nil
        self.coversCondition = coversCondition
    }

    /// A term decides only for a stored number of its constant's kind, as
    /// the evaluator compares them (float8 order for doubles); a NULL column
    /// makes its conjunct NULL, so the condition is not TRUE.
    @inline(__always)
    func verdict(_ row: BorrowedRow) -> Verdict {
        guard let onlyTerm else { return verdictOfEachTerm(row) }
        switch onlyTerm.test(row) {
        case .fails: return .fails
        case .holds: return coversCondition ? .passes : .undecided
        case nil: return .undecided
        }
    }

    private func verdictOfEachTerm(_ row: BorrowedRow) -> Verdict {
        var decided = coversCondition
        for term in terms {
            switch term.test(row) {
            case .fails: return .fails
            case .holds: break
            case nil: decided = false
            }
        }
        return decided ? .passes : .undecided
    }
}

extension StoredRowTest.Term {
    enum Outcome { case fails, holds }

    /// Whether the term holds for `row`; nil when the stored value does not decide it.
    @inline(__always)
    func test(_ row: BorrowedRow) -> Outcome? {
        let stored = row.scalar(at: column)
        if case .null = stored { return .fails }
        guard let order = stored.order(against: constant) else { return nil }
        return holding & (1 << (order + 1)) == 0 ? .fails : .holds
    }
}

extension StoredScalar {
    /// How a stored number orders against `other` as the evaluator compares
    /// them (float8 order for doubles): -1, 0 or 1; nil unless both are
    /// integers or both doubles.
    @inline(__always)
    func order(against other: StoredScalar) -> Int? {
        switch (self, other) {
        case (.int(let x), .int(let y)): x == y ? 0 : (x < y ? -1 : 1)
        // Ordered doubles directly; NaN (above every number, equal to itself) as the evaluator has it.
        case (.double(let x), .double(let y)): x < y ? -1 : (x > y ? 1 : (x == y ? 0 : SQLValue.compareDoubles(x, y)))
        default: nil
        }
    }
}
