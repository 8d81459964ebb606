// Tokens of a SQL statement: a kind, the byte range in the statement (UTF-8
// offsets), and for the kinds that carry one, a small payload. Identifier and
// string text is read from the statement's bytes only when the parser needs
// it; the few with escapes (`''`, `""`, `E'\n'`) are decoded once by the lexer.

enum TokenKind: UInt8, Sendable {
    /// End of the statement.
    case end
    /// A lexical error (`Lexer.error`); the stream stops there.
    case error
    /// An unquoted name or keyword (`keyword` says which, `.notKeyword` for a plain name).
    case identifier
    /// `"Name"`: kept verbatim, never a keyword.
    case quotedIdentifier
    /// Digits only: `42`.
    case integer
    /// With a point or an exponent: `1.5`, `.5`, `1e10`.
    case decimal
    /// `'...'`, `E'...'` or `$tag$...$tag$`.
    case string
    /// `$n` or `?` (payload = its 1-based number).
    case parameter
    case leftParen, rightParen, leftBracket, rightBracket, comma, semicolon, dot, colon, doubleColon
    case plus, minus, star, slash, percent, caret
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    case concat, arrow, arrowText, hashArrow, hashArrowText, contains, containedBy
    case tilde, tildeStar, notTilde, notTildeStar
    /// Any other operator PostgreSQL would lex (`&&`, `=>`, `..`), or a stray character: always a syntax error.
    case other
}

struct Token: Sendable {
    var kind: TokenKind
    var keyword: Keyword = .notKeyword
    /// Identifier: has ASCII capitals to fold. Quoted identifier or string: decoded into `Lexer.decoded[payload]`.
    var decoded: Bool = false
    /// Byte range of the whole token in the statement.
    var start: Int
    var end: Int
    /// Parameter: its number. Decoded string or identifier: index into the decoded texts. Plain string: body start.
    var payload: Int = 0
    /// Plain string: body end.
    var payload2: Int = 0

    init(_ kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}
