// Tests for the lexer (Sources/MemFluxSQL/Lexer/): token kinds, byte offsets,
// keywords, operators cut as PostgreSQL cuts them, and hostile input.

import MemFluxCore
import Testing
@testable import MemFluxSQL

/// The tokens of `text` as (kind, start, end), the final `.end` or `.error` included.
private func lex(_ text: String) -> [(TokenKind, Int, Int)] {
    var copy = text
    return copy.withUTF8 { buffer in
        var lexer = Lexer(UnsafeRawBufferPointer(buffer))
        lexer.run()
        return lexer.tokens.map { ($0.kind, $0.start, $0.end) }
    }
}

/// The error parsing `text` throws, or nil.
private func failure(_ text: String) -> MemFluxError? {
    do {
        _ = try SQLParser.parse(text)
        return nil
    } catch {
        return error
    }
}

private func kinds(_ text: String) -> [TokenKind] { lex(text).map(\.0) }

private func keywords(_ text: String) -> [Keyword] {
    var copy = text
    return copy.withUTF8 { buffer in
        var lexer = Lexer(UnsafeRawBufferPointer(buffer))
        lexer.run()
        return lexer.tokens.map(\.keyword)
    }
}

@Suite("SQL lexer")
struct LexerTests {
    @Test func offsetsAreUTF8Bytes() {
        let tokens = lex("SELECT 'é', x\t-- c\n/* d */ \"Ü\" ;")
        #expect(tokens.map(\.0) == [.identifier, .string, .comma, .identifier, .quotedIdentifier, .semicolon, .end])
        #expect(tokens.map(\.1) == [0, 7, 11, 13, 28, 33, 34])
        #expect(tokens.map(\.2) == [6, 11, 12, 14, 32, 34, 34])
    }

    @Test func keywordsInAnyCase() {
        #expect(keywords("select SeLeCt FROM current_timestamp localtimestamp abc") == [.select, .select, .from, .currentTimestamp, .localtimestamp, .notKeyword, .notKeyword])
        #expect(keywords("\"select\" selects") == [.notKeyword, .notKeyword, .notKeyword])
        #expect(keywords("none between join abort") == [.noneKeyword, .between, .join, .abort, .notKeyword])
        #expect(keywords("é sélect") == [.notKeyword, .notKeyword, .notKeyword])
        // Every keyword in the table is found by its own spelling.
        for raw in 1..<KeywordTable.names.count {
            let keyword = Keyword(rawValue: UInt16(raw))!
            #expect(keywords(keyword.name) == [keyword, .notKeyword], "\(keyword.name)")
            #expect(keywords(keyword.name.uppercased()) == [keyword, .notKeyword], "\(keyword.name)")
        }
    }

    @Test func keywordCategories() {
        #expect(Keyword.select.category == .reserved)
        #expect(Keyword.left.category == .typeFunctionName)
        #expect(Keyword.between.category == .columnName)
        #expect(Keyword.abort.category == .unreserved)
        #expect(Keyword.systemUser.category == .reserved)
        #expect(!Keyword.from.isBareLabel && Keyword.desc.isBareLabel && !Keyword.over.isBareLabel)
    }

    @Test func numbers() {
        #expect(kinds("1 1.5 .5 1e10 1E+3 2.e-1 1_000 1.") == [.integer, .decimal, .decimal, .decimal, .decimal, .decimal, .integer, .decimal, .end])
        #expect(lex("1..2").map(\.0) == [.integer, .other, .integer, .end])
        #expect(lex("a.5").map(\.0) == [.identifier, .decimal, .end])
        #expect(kinds("1a") == [.error])
        #expect(kinds("0x1F") == [.error])
    }

    @Test func operators() {
        #expect(kinds("+ - * / % ^ < > = <= >= <> != || -> ->> #> #>> @> <@ ~ ~* !~ !~*") == [
            .plus, .minus, .star, .slash, .percent, .caret, .less, .greater, .equal, .lessOrEqual, .greaterOrEqual,
            .notEqual, .notEqual, .concat, .arrow, .arrowText, .hashArrow, .hashArrowText, .contains, .containedBy,
            .tilde, .tildeStar, .notTilde, .notTildeStar, .end,
        ])
        #expect(kinds(":: : ( ) [ ] , ; .") == [.doubleColon, .colon, .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .semicolon, .dot, .end])
        // A trailing + or - is given back unless the run has one of ~!@#^&|`%, as in PostgreSQL.
        #expect(kinds("a=-1") == [.identifier, .equal, .minus, .integer, .end])
        #expect(kinds("a<>-1") == [.identifier, .notEqual, .minus, .integer, .end])
        #expect(kinds("a*-+1") == [.identifier, .star, .minus, .plus, .integer, .end])
        #expect(kinds("a@-1") == [.identifier, .other, .integer, .end])
        #expect(kinds("a && b") == [.identifier, .other, .identifier, .end])
        #expect(kinds("a := b => c") == [.identifier, .other, .identifier, .other, .identifier, .end])
        // `--` and `/*` end an operator.
        #expect(kinds("a +-- c\n1") == [.identifier, .plus, .integer, .end])
        #expect(kinds("a */* c */1") == [.identifier, .star, .integer, .end])
        #expect(kinds("? $1 $12") == [.parameter, .error])
        #expect(kinds("{ } \\ `") == [.other, .other, .other, .other, .end])
    }

    @Test func strings() {
        #expect(kinds("'a' E'b' e'c' $$d$$ $t$e$t$ 'f'\n'g'") == [.string, .string, .string, .string, .string, .string, .end])
        #expect(lex("'a'\n'b' 'c'").map(\.2) == [7, 11, 11])
        #expect(kinds("'a' 'b'") == [.string, .string, .end])
        #expect(kinds("$a") == [.other, .identifier, .end])
        #expect(kinds("$1$") == [.parameter, .other, .end])
        #expect(kinds("x$$") == [.identifier, .end])
    }

    @Test func hostileBytesNeverTrap() {
        // Raw bytes through the internal entry point (need not be UTF-8), and the same as a String.
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("select from where ( ) [ ] ' \" $ $$ $a$ E'\\ /* */ -- \n 1.5e 9 _ :: . , ; ? $1 + - * / < > = ! ~ @ # ^ & | ` % é 😀".utf8)
        for round in 0..<3000 {
            let count = Int.random(in: 0...64, using: &generator)
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            }
            let result = bytes.withUnsafeBytes { SQLParser.parse($0) }
            if case .failure(let error) = result {
                #expect(error.position.map { $0 >= 0 && $0 <= bytes.count } ?? true, "\(bytes)")
            }
            _ = try? SQLParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func hugeInputs() throws {
        let digits = String(repeating: "9", count: 131_072)
        guard case .query(let q) = try SQLParser.parse("SELECT " + digits).statement, case .select(let s) = q.body,
            case .expression(let e, _) = s.items[0], case .literal(.numeric(let n)) = e.kind
        else { Issue.record("not a numeric"); return }
        #expect(n.limbs.count == 14_564 && n.scale == 0)
        #expect(failure("SELECT 1" + digits) != nil)
        #expect(failure("SELECT 1e" + String(repeating: "9", count: 10_000)) != nil)
        #expect(failure("SELECT '" + String(repeating: "x", count: 1_000_000)) != nil)
        #expect(failure("SELECT " + String(repeating: "/*", count: 100_000)) != nil)
        #expect(try SQLParser.parse("SELECT " + String(repeating: "/*", count: 50_000) + String(repeating: "*/", count: 50_000) + " 1").parameterCount == 0)
        let tag = String(repeating: "t", count: 10_000)
        #expect(failure("SELECT $" + tag + "$" + String(repeating: "$" + tag.dropLast(), count: 100)) != nil)
        let list = Array(repeating: "1", count: 100_000).joined(separator: ", ")
        #expect(try SQLParser.parse("SELECT x IN (\(list))").parameterCount == 0)
        let rows = Array(repeating: "(1, 'a', $1)", count: 20_000).joined(separator: ", ")
        #expect(try SQLParser.parse("INSERT INTO t VALUES \(rows)").parameterCount == 1)
    }
}
