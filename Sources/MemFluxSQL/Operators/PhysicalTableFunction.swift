// Functions in FROM: the set-returning generate_series and unnest, and any
// scalar function (one row holding its value, as PostgreSQL gives). The
// arguments are evaluated once per run against no row; when they read
// earlier FROM items, a PhysicalLateralJoin runs this once per row of those,
// with the row as the outer row the arguments read.
//
// Rows are produced one at a time, so `generate_series(1, 1000000000)`
// under a LIMIT stops at the limit and never holds the series.

import MemFluxCore

enum TableFunction: Sendable {
    /// generate_series(start, stop [, step]) over integers (the binder cast them to one integer type).
    case integerSeries
    case numericSeries
    /// generate_series(start, stop, step) over timestamps; the step is interval text.
    case timestampSeries(withZone: Bool)
    /// unnest(array [, array ...]): one column per array, zipped, NULL past a shorter one's end.
    case unnest
    /// A scalar function: its one argument is the bound call.
    case scalar
}

final class PhysicalTableFunction: PhysicalOperator, @unchecked Sendable {
    let function: TableFunction
    let name: String
    let arguments: [BoundExpression]

    init(_ function: TableFunction, name: String, arguments: [BoundExpression], width: Int) {
        self.function = function
        self.name = name
        self.arguments = arguments
        super.init(width: width)
    }

    override func run(_ context: ExecutionContext, _ sink: RowSink) throws(MemFluxError) {
        var values: [SQLValue] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments { values.append(try argument.evaluate([], context)) }
        switch function {
        case .scalar: _ = try sink(values)
        case .unnest: try PhysicalTableFunction.unnest(values, sink)
        case .integerSeries, .numericSeries, .timestampSeries:
            // generate_series is strict: a NULL argument makes no rows.
            if values.contains(where: \.isNull) { return }
            switch function {
            case .integerSeries: try PhysicalTableFunction.integerSeries(values, sink)
            case .numericSeries: try PhysicalTableFunction.numericSeries(values, sink)
            case .timestampSeries(let withZone): try PhysicalTableFunction.timestampSeries(values, withZone: withZone, sink)
            default: break
            }
        }
    }

    static let zeroStep = MemFluxError(.err, "step size cannot equal zero")

    private static func integerSeries(_ values: [SQLValue], _ sink: RowSink) throws(MemFluxError) {
        guard case .int(let start) = values[0], case .int(let stop) = values[1] else { return }
        var step: Int64 = 1
        if values.count > 2 {
            guard case .int(let s) = values[2] else { return }
            step = s
        }
        if step == 0 { throw zeroStep }
        var current = start
        while step > 0 ? current <= stop : current >= stop {
            if try !sink([.int(current)]) { return }
            let (next, overflow) = current.addingReportingOverflow(step)
            if overflow { return }
            current = next
        }
    }

    private static func numericSeries(_ values: [SQLValue], _ sink: RowSink) throws(MemFluxError) {
        let type = SQLType.numeric(precision: nil, scale: nil)
        let step = values.count > 2 ? values[2] : .numeric(SQLNumeric(Int64(1)))
        guard case .numeric(let s) = step else { return }
        if s.isZero { throw zeroStep }
        let ascending = !s.isNegative
        var current = values[0]
        while true {
            let order = try SQLValue.compare(current, values[1])
            if ascending ? order > 0 : order < 0 { return }
            if try !sink([current]) { return }
            current = try SQLArithmetic.add(current, step, type: type)
        }
    }

    private static func timestampSeries(_ values: [SQLValue], withZone: Bool, _ sink: RowSink) throws(MemFluxError) {
        let start: Int64, stop: Int64
        switch (values[0], values[1]) {
        case (.timestamp(let a), .timestamp(let b)), (.timestamptz(let a), .timestamptz(let b)): (start, stop) = (a, b)
        default: return
        }
        guard case .text(let text) = values[2] else { return }
        let step = try IntervalStep(parsing: text)
        let direction = step.sign
        if direction == 0 { throw zeroStep }
        var current = start
        while direction > 0 ? current <= stop : current >= stop {
            if try !sink([withZone ? .timestamptz(current) : .timestamp(current)]) { return }
            current = try step.adding(to: current)
        }
    }

    private static func unnest(_ values: [SQLValue], _ sink: RowSink) throws(MemFluxError) {
        var columns: [[SQLValue]] = []
        for value in values {
            switch value {
            case .array(let items):
                var flat: [SQLValue] = []
                flatten(items, into: &flat)
                columns.append(flat)
            case .null:
                columns.append([])
            default:
                throw MemFluxError(.err, "function unnest(\(SQLType.dynamic.postgresName)) does not exist")
            }
        }
        let count = columns.map(\.count).max() ?? 0
        for i in 0..<count {
            var row: Row = []
            row.reserveCapacity(columns.count)
            for column in columns { row.append(i < column.count ? column[i] : .null) }
            if try !sink(row) { return }
        }
    }

    /// The elements of a (possibly multidimensional) array in storage order, as PostgreSQL's unnest gives them.
    private static func flatten(_ items: [SQLValue], into out: inout [SQLValue]) {
        for item in items {
            if case .array(let inner) = item { flatten(inner, into: &out) } else { out.append(item) }
        }
    }

    override var explainLine: String { "FunctionScan on \(name)" }
}
