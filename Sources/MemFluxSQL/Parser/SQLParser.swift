// SQLParser: PostgreSQL 16's SQL, parsed by hand (recursive descent, with
// precedence climbing for expressions) into the syntax tree in AST/.
//
// One call parses one statement over the UTF-8 bytes of the text: the lexer
// makes every token first (an array of small structs, no strings), then the
// parser walks them, reading a name's or a string's text only when it builds
// a node. Errors are PostgreSQL's, with ` at line L, column C` appended and
// the byte offset in `position`.
//
// Depth: nesting (parentheses, subqueries, NOT NOT ...) deeper than 1000
// levels, or a tree taller than 1000 nodes (a chain of 1000 `+` or `UNION`),
// is "stack depth limit exceeded": everything that walks the tree afterwards
// (the binder, Hashable, deinit) recurses, so the parser bounds the height of
// what it builds as well as its own recursion.

import MemFluxCore

/// One parsed statement and how many parameters it takes.
public struct ParsedStatement: Sendable {
    public let statement: Statement
    /// Number of distinct parameters: the highest `$n`, or the count of `?` (they are numbered 1, 2, ... in order). Mixing `?` and `$n` is a syntax error.
    public let parameterCount: Int

    public init(statement: Statement, parameterCount: Int) {
        self.statement = statement
        self.parameterCount = parameterCount
    }
}

public enum SQLParser {
    /// Parses exactly one statement; a trailing `;` (and whitespace/comments) is allowed, a second statement is an error.
    ///
    ///     try SQLParser.parse("SELECT * FROM t WHERE id = $1").parameterCount   // 1
    ///     try SQLParser.parse("SELECT * FORM t")   // throws SYNTAX syntax error at or near "FORM" at line 1, column 10
    public static func parse(_ text: String) throws(MemFluxError) -> ParsedStatement {
        if let result = text.utf8.withContiguousStorageIfAvailable({ parse(UnsafeRawBufferPointer($0)) }) {
            return try result.get()
        }
        var copy = text
        copy.makeContiguousUTF8()
        return try copy.utf8.withContiguousStorageIfAvailable({ parse(UnsafeRawBufferPointer($0)) })!.get()
    }

    /// Parses one statement from raw bytes (which need not be valid UTF-8: names and strings decode with
    /// replacement characters).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ParsedStatement, MemFluxError> {
        var lexer = Lexer(bytes)
        lexer.run()
        var parser = Parser(lexer)
        let here = StackGuard.currentAddress()
        parser.stackLimit = here > StackGuard.callerBudget ? here - StackGuard.callerBudget : 0
        let result = parser.run(parameterCount: lexer.parameterCount)
        guard parser.outOfStack else { return result }
        // Too deep for the caller's stack: again from the start, on a thread with room.
        let count = lexer.parameterCount
        return StackGuard.onLargeStack { limit in
            var parser = Parser(lexer)
            parser.stackLimit = limit
            return parser.run(parameterCount: count)
        } ?? result
    }
}

/// One parse over one statement's tokens; not reusable.
struct Parser {
    static let maxDepth = 1000

    let bytes: UnsafeRawBufferPointer
    let tokens: ContiguousArray<Token>
    let decoded: [String]
    let lexerError: MemFluxError?
    var index = 0
    /// Current recursion depth (nested constructs being parsed).
    var depth = 0
    /// Height of the node the last parse function returned (a leaf is 1).
    var height = 0

    /// The lowest stack address the parser may reach (`StackGuard`).
    var stackLimit: UInt = 0
    /// Set when the stack, not the nesting limit, stopped the parse.
    var outOfStack = false
    /// The first comma of the last parenthesized list (for `x = ANY (a, b)`'s error).
    var firstListComma = Token(.end, start: 0, end: 0)

    init(_ lexer: Lexer) {
        bytes = lexer.bytes
        tokens = lexer.tokens
        decoded = lexer.decoded
        lexerError = lexer.error
    }

    // MARK: Statement boundaries

    mutating func run(parameterCount: Int) -> Result<ParsedStatement, MemFluxError> {
        Result { () throws(MemFluxError) in
            ParsedStatement(statement: try parseSingleStatement(), parameterCount: parameterCount)
        }
    }

    mutating func parseSingleStatement() throws(MemFluxError) -> Statement {
        let statement = try parseStatement()
        guard current.kind == .semicolon || current.kind == .end else { throw syntaxError() }
        let semicolon = current
        while current.kind == .semicolon { advance() }
        guard current.kind == .end else { throw syntaxError(at: semicolon) }
        return statement
    }

    // MARK: Tokens

    @inline(__always) var current: Token { tokens[index] }

    @inline(__always) func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    @inline(__always) mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    @inline(__always) func isKeyword(_ keyword: Keyword) -> Bool {
        current.kind == .identifier && current.keyword == keyword
    }

    @inline(__always) func isKeyword(_ keyword: Keyword, at offset: Int) -> Bool {
        let token = peek(offset)
        return token.kind == .identifier && token.keyword == keyword
    }

    @inline(__always) mutating func accept(_ keyword: Keyword) -> Bool {
        guard isKeyword(keyword) else { return false }
        advance()
        return true
    }

    @inline(__always) mutating func accept(_ kind: TokenKind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    @inline(__always) mutating func expect(_ keyword: Keyword) throws(MemFluxError) {
        guard isKeyword(keyword) else { throw syntaxError() }
        advance()
    }

    @inline(__always) mutating func expect(_ kind: TokenKind) throws(MemFluxError) {
        guard current.kind == kind else { throw syntaxError() }
        advance()
    }

    // MARK: Errors

    /// PostgreSQL's syntax error at the current token (or the lexical error that token stands for).
    func syntaxError() -> MemFluxError { syntaxError(at: current) }

    func syntaxError(at token: Token) -> MemFluxError {
        switch token.kind {
        case .error:
            return lexerError!
        case .end:
            return SourceLocation.error(.syntax, "syntax error at end of input", bytes, at: bytes.count)
        default:
            return SourceLocation.near(.syntax, "syntax error", bytes, start: token.start, end: token.end)
        }
    }

    func error(_ code: ErrorCode, _ message: String, at offset: Int) -> MemFluxError {
        SourceLocation.error(code, message, bytes, at: offset)
    }

    func stackDepthExceeded() -> MemFluxError {
        MemFluxError(.err, "stack depth limit exceeded", position: current.start)
    }

    /// One level deeper; `leave()` undoes it.
    @inline(__always) mutating func enter() throws(MemFluxError) {
        depth += 1
        if depth > Self.maxDepth { throw stackDepthExceeded() }
        if StackGuard.currentAddress() < stackLimit {
            outOfStack = true
            throw stackDepthExceeded()
        }
    }

    @inline(__always) mutating func leave() { depth -= 1 }

    /// Records the height of the node just built: one more than its tallest child.
    @inline(__always) mutating func built(over childHeight: Int) throws(MemFluxError) {
        height = childHeight + 1
        if height > Self.maxDepth { throw stackDepthExceeded() }
    }

    // MARK: Names

    /// The text of bytes `start..<end`.
    @inline(__always) func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The text of a token as written.
    func text(of token: Token) -> String { text(token.start, token.end) }

    /// A name token's identifier: unquoted folded to lowercase (ASCII only, as PostgreSQL does for UTF-8), quoted verbatim.
    func name(of token: Token) -> String {
        if token.kind == .quotedIdentifier {
            return token.decoded ? decoded[token.payload] : text(token.start + 1, token.end - 1)
        }
        guard token.decoded else { return text(token.start, token.end) }
        var folded = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end]))
        for i in folded.indices where folded[i] >= UInt8(ascii: "A") && folded[i] <= UInt8(ascii: "Z") { folded[i] |= 0x20 }
        return String(decoding: folded, as: UTF8.self)
    }

    /// A string token's value.
    func stringValue(of token: Token) -> String {
        token.decoded ? decoded[token.payload] : text(token.payload, token.payload2)
    }

    /// A name usable for a column, table or alias: an identifier or a keyword that is neither reserved nor a
    /// function/type name (PostgreSQL's ColId).
    func isColumnIdentifier(_ token: Token) -> Bool {
        switch token.kind {
        case .quotedIdentifier: return true
        case .identifier:
            let category = token.keyword.category
            return category == .unreserved || category == .columnName
        default: return false
        }
    }

    /// A function or type name (PostgreSQL's type_function_name).
    func isFunctionIdentifier(_ token: Token) -> Bool {
        switch token.kind {
        case .quotedIdentifier: return true
        case .identifier:
            let category = token.keyword.category
            return category == .unreserved || category == .typeFunctionName
        default: return false
        }
    }

    /// Any name, keywords included (after `AS` or `.`: PostgreSQL's ColLabel).
    func isLabel(_ token: Token) -> Bool { token.kind == .identifier || token.kind == .quotedIdentifier }

    /// A column alias without `AS` (PostgreSQL's BareColLabel).
    func isBareLabel(_ token: Token) -> Bool {
        token.kind == .quotedIdentifier || (token.kind == .identifier && token.keyword.isBareLabel)
    }

    mutating func parseColumnIdentifier() throws(MemFluxError) -> String {
        guard isColumnIdentifier(current) else { throw syntaxError() }
        let result = name(of: current)
        advance()
        return result
    }

    mutating func parseLabel() throws(MemFluxError) -> String {
        guard isLabel(current) else { throw syntaxError() }
        let result = name(of: current)
        advance()
        return result
    }

    /// `name [. label [. label]]`: a table, view, index or type name.
    mutating func parseQualifiedName() throws(MemFluxError) -> [String] {
        let start = current.start
        var parts = [try parseColumnIdentifier()]
        while current.kind == .dot && isLabel(peek()) {
            advance()
            parts.append(try parseLabel())
        }
        if parts.count > 3 {
            throw error(.syntax, "improper qualified name (too many dotted names): \(parts.joined(separator: "."))", at: start)
        }
        return parts
    }

    /// `( name, ... )`.
    mutating func parseParenthesizedNames() throws(MemFluxError) -> [String] {
        try expect(.leftParen)
        var names = [try parseColumnIdentifier()]
        while accept(.comma) { names.append(try parseColumnIdentifier()) }
        try expect(.rightParen)
        return names
    }

    /// `name, ...` (qualified names).
    mutating func parseQualifiedNameList() throws(MemFluxError) -> [[String]] {
        var names = [try parseQualifiedName()]
        while accept(.comma) { names.append(try parseQualifiedName()) }
        return names
    }
}
