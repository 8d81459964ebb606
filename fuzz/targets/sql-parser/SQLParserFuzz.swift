// Fuzzes SQLParser (Sources/MemFluxSQL/Lexer/, Parser/) and runs the printer
// (Parser/SQLPrinter.swift) on whatever parses.
//
// Properties checked (a failure traps, which libFuzzer reports as a crash):
//   - the lexer and parser read only the input: they run over libFuzzer's
//     exact-size heap copy, so ASan reports a read past the end;
//   - a rejected statement names an offset inside the input (0...count);
//   - the public entry point (a String: invalid UTF-8 repaired) gives the same
//     answer as the byte entry point when the input is valid UTF-8;
//   - what parses prints to SQL that parses back, with the same parameter
//     count, and prints to the same text again (parse(print(x)) groups every
//     operator as x did). A reprint too deep for the parser's limits (the
//     printer parenthesizes every operator) is let go.

import MemFluxCore
@testable import MemFluxSQL

@inline(never)
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let text = String(decoding: input.prefix(512), as: UTF8.self)
    fatalError("sql-parser: \(what); input (\(input.count) bytes): \(text.debugDescription)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSQLParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let result = SQLParser.parse(input)
    let text = String(decoding: input, as: UTF8.self)
    if text.utf8.elementsEqual(input) {
        let viaString = Result { () throws(MemFluxError) in try SQLParser.parse(text) }
        switch (result, viaString) {
        case (.success(let a), .success(let b)):
            guard a.statement == b.statement, a.parameterCount == b.parameterCount else { fail("String entry disagrees", input) }
        case (.failure(let a), .failure(let b)):
            guard a == b else { fail("String entry fails differently: \(a) vs \(b)", input) }
        default:
            fail("String entry disagrees on success", input)
        }
    }
    let parsed: ParsedStatement
    switch result {
    case .failure(let error):
        guard let position = error.position, position >= 0, position <= size else {
            fail("error without an offset inside the input: \(error)", input)
        }
        return 0
    case .success(let statement):
        parsed = statement
    }

    let printed = SQLPrinter.statement(parsed.statement)
    let again: ParsedStatement
    do {
        again = try SQLParser.parse(printed)
    } catch {
        if error.message == "stack depth limit exceeded" { return 0 }
        fail("printed text \(printed.debugDescription) does not parse: \(error)", input)
    }
    guard again.parameterCount == parsed.parameterCount else {
        fail("printed text \(printed.debugDescription) has \(again.parameterCount) parameters, not \(parsed.parameterCount)", input)
    }
    let reprinted = SQLPrinter.statement(again.statement)
    guard reprinted == printed else {
        fail("print(parse(print(x))) != print(x): \(printed.debugDescription) then \(reprinted.debugDescription)", input)
    }
    return 0
}
