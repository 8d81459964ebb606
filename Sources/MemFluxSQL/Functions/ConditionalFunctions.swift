// COALESCE, NULLIF, GREATEST and LEAST: not strict (they exist to look at
// NULLs). The result type is PostgreSQL's common type of the arguments
// (select_common_type): untyped literals take the others' type, numbers
// widen smallint < integer < bigint < numeric < real < double precision,
// character types give text, dates widen to timestamp to timestamptz, and
// anything else is `COALESCE types text and integer cannot be matched`.
// With the argument types in the context, the chosen value is cast to
// that type, so COALESCE(int_column, 1.5) is numeric on every row.

import MemFluxCore

enum ConditionalFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("coalesce", strict: false, resolve: { types throws(MemFluxError) in
            try commonType(types, construct: "COALESCE")
        }) { args, context throws(MemFluxError) in
            guard let index = args.firstIndex(where: { !$0.isNull }) else { return .null }
            return try converted(args[index], index: index, context: context, construct: "COALESCE")
        },
        ScalarFunction("nullif", strict: false, resolve: { types throws(MemFluxError) in
            guard types.count == 2 else { throw noSuchFunction("nullif", types) }
            _ = try SQLArithmetic.resultType("=", types[0], types[1])
            return types[0] == .unknown ? (types[1] == .unknown ? .text : types[1].withoutModifiers) : types[0].withoutModifiers
        }) { args, _ throws(MemFluxError) in
            guard !args[0].isNull else { return .null }
            guard !args[1].isNull else { return args[0] }
            return try SQLValue.compare(args[0], args[1], operator: "=") == 0 ? .null : args[0]
        },
        extreme("greatest", construct: "GREATEST", wantsGreater: true),
        extreme("least", construct: "LEAST", wantsGreater: false),
    ]

    private static func extreme(_ name: String, construct: String, wantsGreater: Bool) -> ScalarFunction {
        ScalarFunction(name, strict: false, resolve: { types throws(MemFluxError) in
            guard !types.isEmpty else { throw noSuchFunction(name, types) }
            return try commonType(types, construct: construct)
        }) { args, context throws(MemFluxError) in
            var best: (value: SQLValue, index: Int)?
            for (index, value) in args.enumerated() where !value.isNull {
                guard let current = best else {
                    best = (value, index)
                    continue
                }
                let order = try SQLValue.compare(value, current.value)
                if wantsGreater ? order > 0 : order < 0 { best = (value, index) }
            }
            guard let best else { return .null }
            return try converted(best.value, index: best.index, context: context, construct: construct)
        }
    }

    /// The value cast from its argument's type to the common type, when the context has the types.
    private static func converted(_ value: SQLValue, index: Int, context: EvaluationContext, construct: String) throws(MemFluxError) -> SQLValue {
        guard !context.argumentTypes.isEmpty else { return value }
        let common = try commonType(context.argumentTypes, construct: construct)
        return try SQLCast.cast(value, from: context.argumentType(index), to: common)
    }

    /// select_common_type for the types here.
    static func commonType(_ types: [SQLType], construct: String) throws(MemFluxError) -> SQLType {
        let known = types.filter { $0 != .unknown }.map(\.withoutModifiers)
        guard var result = known.first else { return .text }
        if known.contains(.dynamic) { return .dynamic }
        for type in known.dropFirst() where type != result {
            guard let wider = wider(result, type) else {
                throw MemFluxError(.err, "\(construct) types \(result.functionArgumentName) and \(type.functionArgumentName) cannot be matched")
            }
            result = wider
        }
        return result
    }

    private static func wider(_ a: SQLType, _ b: SQLType) -> SQLType? {
        let numbers: [SQLType] = [.smallint, .integer, .bigint, .numeric(precision: nil, scale: nil), .real, .double]
        let instants: [SQLType] = [.date, .timestamp, .timestamptz]
        for ladder in [numbers, instants] {
            if let i = ladder.firstIndex(of: a), let j = ladder.firstIndex(of: b) { return ladder[max(i, j)] }
        }
        if case .array(let x) = a, case .array(let y) = b, let element = wider(x, y) { return .array(element) }
        return nil
    }
}
