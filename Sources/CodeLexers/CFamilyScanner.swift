// ASCII bytes the scanners compare against, named for readability.
let asciiLF: UInt8 = 0x0A
let asciiCR: UInt8 = 0x0D
let asciiSpace: UInt8 = 0x20
let asciiTab: UInt8 = 0x09
let asciiQuote: UInt8 = 0x22
let asciiApostrophe: UInt8 = 0x27
let asciiBackslash: UInt8 = 0x5C
let asciiSlash: UInt8 = 0x2F
let asciiStar: UInt8 = 0x2A
let asciiHash: UInt8 = 0x23
let asciiDot: UInt8 = 0x2E
let asciiColon: UInt8 = 0x3A
let asciiPercent: UInt8 = 0x25
let asciiLess: UInt8 = 0x3C
let asciiGreater: UInt8 = 0x3E
let asciiEquals: UInt8 = 0x3D
let asciiOpenParen: UInt8 = 0x28
let asciiCloseParen: UInt8 = 0x29
let asciiAmpersand: UInt8 = 0x26
let asciiBang: UInt8 = 0x21
let asciiDollar: UInt8 = 0x24
let asciiUnderscore: UInt8 = 0x5F

/// The C, C++, CUDA and OpenCL C scanner. It works on a raw pointer with explicit bounds checks on every read,
/// so that it is fast and cannot read outside the input whatever the bytes are.
struct CFamilyScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos: Int
    private var line: Int
    private var lineStart: Int
    private let rangeStart: Int
    private let classes: UnsafePointer<UInt8>
    private let keywords: ByteKeyTable
    private let isCPlusPlus: Bool
    private let isCUDA: Bool
    private let digraphs: Bool
    private let emitWhitespace: Bool
    private let directiveBody: Bool
    // True until the first token of a line that is not whitespace or a comment: a `#` there opens a directive.
    private var atLineStart = true
    // Open `<<<` launch configurations; `>>>` is one token only inside one, so that `A<B<C<int>>>` keeps its `>>`.
    private var launchDepth = 0

    init(base: UnsafePointer<UInt8>, range: LexRange, options: LexerOptions, directiveBody: Bool) {
        self.base = base
        self.end = range.end
        self.pos = range.start
        self.rangeStart = range.start
        self.line = range.line
        self.lineStart = range.lineStart
        self.classes = ByteClassTable.shared.classes
        self.keywords = ByteKeyTable.keywords(of: options.language)
        self.isCPlusPlus = options.language == .cpp || options.language == .cuda
        self.isCUDA = options.language == .cuda
        self.digraphs = options.digraphs
        self.emitWhitespace = options.whitespace || directiveBody
        self.directiveBody = directiveBody
    }

    @inline(__always)
    private func peek(_ offset: Int) -> UInt8 {
        let index = pos + offset
        return index < end ? base[index] : 0
    }

    @inline(__always)
    private func byteClass(_ byte: UInt8) -> UInt8 { classes[Int(byte)] }

    @inline(__always)
    private mutating func newline(at index: Int) {
        line += 1
        lineStart = index + 1
    }

    mutating func run(into tokens: inout [Token]) {
        while pos < end {
            let start = pos
            let startLine = line
            let column = start - lineStart + 1
            let byte = base[pos]
            let cls = byteClass(byte)
            var flags: TokenFlags = []
            let kind: TokenKind
            if cls & ByteClass.identifierStart != 0 {
                kind = scanIdentifierOrPrefixedLiteral(&flags)
                atLineStart = false
            } else if cls & ByteClass.digit != 0 {
                scanNumber()
                kind = .number
                atLineStart = false
            } else if cls & ByteClass.blank != 0 {
                scanBlanks()
                if !emitWhitespace { continue }
                kind = .whitespace
            } else {
                switch byte {
                case asciiLF:
                    pos += 1
                    newline(at: start)
                    atLineStart = true
                    if !emitWhitespace { continue }
                    kind = .newline
                case asciiCR:
                    if peek(1) == asciiLF {
                        pos += 2
                        newline(at: start + 1)
                        atLineStart = true
                        if !emitWhitespace { continue }
                        kind = .newline
                    } else {
                        scanBlanks()
                        if !emitWhitespace { continue }
                        kind = .whitespace
                    }
                case asciiQuote:
                    pos += 1
                    scanQuoted(asciiQuote, &flags)
                    scanLiteralSuffix()
                    kind = .string
                    atLineStart = false
                case asciiApostrophe:
                    pos += 1
                    scanQuoted(asciiApostrophe, &flags)
                    scanLiteralSuffix()
                    kind = .character
                    atLineStart = false
                case asciiSlash where peek(1) == asciiSlash:
                    scanLineComment()
                    kind = .comment
                case asciiSlash where peek(1) == asciiStar:
                    scanBlockComment(&flags)
                    kind = .comment
                case asciiHash:
                    kind = scanHash(length: 1)
                case asciiPercent where digraphs && peek(1) == asciiColon && !(peek(2) == asciiPercent && peek(3) == asciiColon):
                    kind = scanHash(length: 2)
                case asciiBackslash:
                    kind = scanBackslash()
                case asciiDot where byteClass(peek(1)) & ByteClass.digit != 0:
                    scanNumber()
                    kind = .number
                    atLineStart = false
                default:
                    kind = scanPunctuator(byte)
                    atLineStart = false
                }
            }
            // A line break or continuation ends on its own line; only tokens with interior breaks are multi-line.
            if line != startLine && kind != .newline && kind != .continuation { flags.insert(.multiline) }
            tokens.append(Token(kind: kind, start: start, end: pos, line: startLine, column: column, flags: flags))
        }
    }

    // MARK: - Blanks, continuations

    private mutating func scanBlanks() {
        pos += 1
        while pos < end {
            let byte = base[pos]
            // Spaces dominate indentation; testing for one first skips the class lookup.
            if byte == asciiSpace || byteClass(byte) & ByteClass.blank != 0 {
                pos += 1
            } else if byte == asciiCR && peek(1) != asciiLF {
                pos += 1
            } else {
                break
            }
        }
    }

    /// If a backslash at `index` is followed by optional blanks and a line break, the index after the break.
    @inline(__always)
    private func continuationEnd(afterBackslashAt index: Int) -> Int? {
        var i = index + 1
        while i < end && (base[i] == asciiSpace || base[i] == asciiTab) { i += 1 }
        if i < end && base[i] == asciiLF { return i + 1 }
        if i + 1 < end && base[i] == asciiCR && base[i + 1] == asciiLF { return i + 2 }
        return nil
    }

    /// Whether the line break at `index` (a LF, or the CR of a CRLF) is escaped by a backslash before it, possibly
    /// followed by blanks (GCC accepts those), looking no further back than `floor`.
    @inline(__always)
    private func lineBreakIsEscaped(at index: Int, floor: Int) -> Bool {
        var i = index - 1
        while i >= floor && (base[i] == asciiSpace || base[i] == asciiTab) { i -= 1 }
        return i >= floor && base[i] == asciiBackslash
    }

    /// The length of the line break starting at `index` (1 for LF, 2 for CRLF), or 0.
    @inline(__always)
    private func lineBreakLength(at index: Int) -> Int {
        let byte = base[index]
        if byte == asciiLF { return 1 }
        if byte == asciiCR && index + 1 < end && base[index + 1] == asciiLF { return 2 }
        return 0
    }

    private mutating func scanBackslash() -> TokenKind {
        if let after = continuationEnd(afterBackslashAt: pos) {
            pos = after
            newline(at: after - 1)
            return .continuation
        }
        pos += 1
        atLineStart = false
        return .unknown
    }

    // MARK: - Identifiers, numbers, literals

    private mutating func scanIdentifierOrPrefixedLiteral(_ flags: inout TokenFlags) -> TokenKind {
        let start = pos
        var p = pos + 1
        while p < end && byteClass(base[p]) & ByteClass.identifierContinue != 0 { p += 1 }
        let length = p - start
        if p < end && length <= 3 {
            let next = base[p]
            if next == asciiQuote || next == asciiApostrophe {
                if isEncodingPrefix(start, length) {
                    pos = p + 1
                    scanQuoted(next, &flags)
                    scanLiteralSuffix()
                    return next == asciiQuote ? .string : .character
                }
                if next == asciiQuote && isCPlusPlus && isRawPrefix(start, length), scanRawString(quoteAt: p, &flags) {
                    return .string
                }
            }
        }
        pos = p
        if let entry = keywords.keyword(base + start, length) { return entry.kind }
        return .identifier
    }

    private func isEncodingPrefix(_ start: Int, _ length: Int) -> Bool {
        let first = base[start]
        switch length {
        case 1: return first == 0x4C || first == 0x75 || first == 0x55 // L u U
        case 2: return first == 0x75 && base[start + 1] == 0x38 // u8
        default: return false
        }
    }

    private func isRawPrefix(_ start: Int, _ length: Int) -> Bool {
        guard base[start + length - 1] == 0x52 else { return false } // R
        return length == 1 || isEncodingPrefix(start, length - 1)
    }

    /// Scans `R"delim( ... )delim"` with the opening quote at `quote`; false (nothing consumed) when the
    /// delimiter is not valid, so that the caller lexes the prefix as an identifier.
    private mutating func scanRawString(quoteAt quote: Int, _ flags: inout TokenFlags) -> Bool {
        var p = quote + 1
        let delimiterStart = p
        while p < end && p - delimiterStart <= 16 {
            let byte = base[p]
            if byte == asciiOpenParen { break }
            if byte == asciiCloseParen || byte == asciiBackslash || byte == asciiSpace || byte == asciiTab
                || byte == asciiLF || byte == asciiCR || byte == 0x0B || byte == 0x0C || byte == asciiQuote {
                return false
            }
            p += 1
        }
        guard p < end, base[p] == asciiOpenParen else { return false }
        let delimiterLength = p - delimiterStart
        p += 1
        while p < end {
            let byte = base[p]
            if byte == asciiCloseParen && p + 1 + delimiterLength < end {
                var matched = true
                for i in 0..<delimiterLength where base[p + 1 + i] != base[delimiterStart + i] {
                    matched = false
                    break
                }
                if matched && base[p + 1 + delimiterLength] == asciiQuote {
                    pos = p + delimiterLength + 2
                    scanLiteralSuffix()
                    return true
                }
            } else if byte == asciiLF {
                newline(at: p)
            }
            p += 1
        }
        pos = end
        flags.insert(.unterminated)
        return true
    }

    /// Scans the rest of a quoted literal whose opening quote is just before `pos`; stops before an unescaped
    /// line break (the literal is then unterminated), following backslash-newline continuations.
    @inline(__always)
    private mutating func scanQuoted(_ quote: UInt8, _ flags: inout TokenFlags) {
        var p = pos
        while p < end {
            let byte = base[p]
            if byte == quote {
                pos = p + 1
                return
            }
            if byte == asciiBackslash {
                if p + 1 < end {
                    let escaped = base[p + 1]
                    if escaped == asciiLF {
                        newline(at: p + 1)
                        p += 2
                    } else if escaped == asciiCR && p + 2 < end && base[p + 2] == asciiLF {
                        newline(at: p + 2)
                        p += 3
                    } else {
                        p += 2
                    }
                } else {
                    p += 1
                }
                continue
            }
            if byte == asciiLF || (byte == asciiCR && p + 1 < end && base[p + 1] == asciiLF) { break }
            p += 1
        }
        pos = p
        flags.insert(.unterminated)
    }

    /// C++ user-defined literal suffix after a string or character literal: `_name`, or a standard one (`s`, `sv`).
    @inline(__always)
    private mutating func scanLiteralSuffix() {
        guard isCPlusPlus, pos < end, byteClass(base[pos]) & ByteClass.identifierStart != 0 else { return }
        var p = pos + 1
        while p < end && byteClass(base[p]) & ByteClass.identifierContinue != 0 { p += 1 }
        if base[pos] == asciiUnderscore || isStandardLiteralSuffix(pos, p - pos) { pos = p }
    }

    private func isStandardLiteralSuffix(_ start: Int, _ length: Int) -> Bool {
        let first = base[start]
        switch length {
        case 1: return first == 0x73 || first == 0x69 || first == 0x68 || first == 0x64 || first == 0x79 // s i h d y
        case 2:
            let second = base[start + 1]
            return (first == 0x73 && second == 0x76) || (first == 0x6D && second == 0x73) // sv ms
                || (first == 0x75 && second == 0x73) || (first == 0x6E && second == 0x73) // us ns
                || (first == 0x69 && second == 0x6C) || (first == 0x69 && second == 0x66) // il if
        case 3: return first == 0x6D && base[start + 1] == 0x69 && base[start + 2] == 0x6E // min
        default: return false
        }
    }

    /// A preprocessing number: digits, letters, `_`, `.`, digit separators and signed exponents, which covers
    /// hex floats, suffixes and user-defined literals (`0x1p-3f`, `1'000`, `12_km`).
    @inline(__always)
    private mutating func scanNumber() {
        var p = pos + 1
        while p < end {
            let byte = base[p]
            if byteClass(byte) & ByteClass.identifierContinue != 0 {
                let lower = byte | 0x20
                if (lower == 0x65 || lower == 0x70) && p + 1 < end && (base[p + 1] == 0x2B || base[p + 1] == 0x2D) {
                    p += 2
                } else {
                    p += 1
                }
            } else if byte == asciiDot {
                p += 1
            } else if byte == asciiApostrophe && p + 1 < end && byteClass(base[p + 1]) & ByteClass.identifierContinue != 0 {
                p += 2
            } else {
                break
            }
        }
        pos = p
    }

    // MARK: - Comments

    private mutating func scanLineComment() {
        var p = pos + 2
        while p < end {
            let breakLength = lineBreakLength(at: p)
            if breakLength > 0 {
                if lineBreakIsEscaped(at: p, floor: pos + 2) {
                    p += breakLength
                    newline(at: p - 1)
                    continue
                }
                break
            }
            p += 1
        }
        pos = p
    }

    private mutating func scanBlockComment(_ flags: inout TokenFlags) {
        var p = pos + 2
        while p < end {
            let byte = base[p]
            if byte == asciiStar && p + 1 < end && base[p + 1] == asciiSlash {
                pos = p + 2
                return
            }
            if byte == asciiLF { newline(at: p) }
            p += 1
        }
        pos = end
        flags.insert(.unterminated)
    }

    // MARK: - Directives

    private mutating func scanHash(length: Int) -> TokenKind {
        if directiveBody {
            if pos == rangeStart {
                pos += length
                atLineStart = false
                return .directiveIntroducer
            }
        } else if atLineStart {
            scanDirective()
            atLineStart = false
            return .directive
        }
        atLineStart = false
        if length == 1 && peek(1) == asciiHash {
            pos += 2
        } else if length == 2 && peek(2) == asciiPercent && peek(3) == asciiColon {
            pos += 4
        } else {
            pos += length
        }
        return .punctuator
    }

    /// A directive runs to the first line break that is not escaped by a backslash; a block comment or a literal
    /// that starts in it is skipped whole, so a `/* ... */` spanning lines extends the directive.
    private mutating func scanDirective() {
        var p = pos + 1
        while p < end {
            let byte = base[p]
            switch byte {
            case asciiLF, asciiCR:
                let breakLength = lineBreakLength(at: p)
                if breakLength == 0 {
                    p += 1
                } else if lineBreakIsEscaped(at: p, floor: pos + 1) {
                    p += breakLength
                    newline(at: p - 1)
                } else {
                    pos = p
                    return
                }
            case asciiQuote, asciiApostrophe:
                p = skipDirectiveLiteral(from: p + 1, quote: byte)
            case asciiSlash:
                if p + 1 < end && base[p + 1] == asciiStar {
                    p = skipDirectiveBlockComment(from: p + 2)
                } else if p + 1 < end && base[p + 1] == asciiSlash {
                    p = skipDirectiveLineComment(from: p + 2)
                } else {
                    p += 1
                }
            default:
                p += 1
            }
        }
        pos = end
    }

    private mutating func skipDirectiveLiteral(from start: Int, quote: UInt8) -> Int {
        var p = start
        while p < end {
            let byte = base[p]
            if byte == quote { return p + 1 }
            if byte == asciiBackslash {
                if p + 1 < end && base[p + 1] == asciiLF {
                    newline(at: p + 1)
                    p += 2
                } else if p + 2 < end && base[p + 1] == asciiCR && base[p + 2] == asciiLF {
                    newline(at: p + 2)
                    p += 3
                } else {
                    p += 2
                }
                continue
            }
            // An unterminated literal ends at the line break, which the directive loop then judges.
            if byte == asciiLF || byte == asciiCR { return p }
            p += 1
        }
        return end
    }

    private mutating func skipDirectiveBlockComment(from start: Int) -> Int {
        var p = start
        while p < end {
            let byte = base[p]
            if byte == asciiStar && p + 1 < end && base[p + 1] == asciiSlash { return p + 2 }
            if byte == asciiLF { newline(at: p) }
            p += 1
        }
        return end
    }

    private mutating func skipDirectiveLineComment(from start: Int) -> Int {
        var p = start
        while p < end {
            let breakLength = lineBreakLength(at: p)
            if breakLength > 0 {
                if lineBreakIsEscaped(at: p, floor: start) {
                    p += breakLength
                    newline(at: p - 1)
                    continue
                }
                return p
            }
            p += 1
        }
        return end
    }

    // MARK: - Punctuators

    @inline(__always)
    private mutating func scanPunctuator(_ byte: UInt8) -> TokenKind {
        let next = peek(1)
        var length = 1
        switch byte {
        case 0x7B, 0x7D, 0x5B, 0x5D, 0x28, 0x29, 0x3B, 0x2C, 0x3F, 0x7E: // { } [ ] ( ) ; , ? ~
            length = 1
        case asciiColon:
            if next == asciiColon || (digraphs && next == asciiGreater) { length = 2 }
        case asciiDot:
            if next == asciiDot && peek(2) == asciiDot {
                length = 3
            } else if isCPlusPlus && next == asciiStar {
                length = 2
            }
        case 0x2B: // +
            if next == 0x2B || next == asciiEquals { length = 2 }
        case 0x2D: // -
            if next == 0x2D || next == asciiEquals {
                length = 2
            } else if next == asciiGreater {
                length = isCPlusPlus && peek(2) == asciiStar ? 3 : 2
            }
        case asciiStar, asciiSlash, 0x5E, asciiBang, asciiEquals: // * / ^ ! =
            if next == asciiEquals { length = 2 }
        case asciiPercent:
            if next == asciiEquals || (digraphs && (next == asciiGreater || next == asciiColon)) {
                length = digraphs && next == asciiColon && peek(2) == asciiPercent && peek(3) == asciiColon ? 4 : 2
            }
        case asciiAmpersand:
            if next == asciiAmpersand || next == asciiEquals { length = 2 }
        case 0x7C: // |
            if next == 0x7C || next == asciiEquals { length = 2 }
        case asciiLess:
            if isCUDA && next == asciiLess && peek(2) == asciiLess {
                length = 3
                launchDepth += 1
            } else if next == asciiLess {
                length = peek(2) == asciiEquals ? 3 : 2
            } else if next == asciiEquals {
                length = isCPlusPlus && peek(2) == asciiGreater ? 3 : 2
            } else if digraphs && next == asciiColon {
                // C++11: `<::` not followed by `:` or `>` is `<` then `::`, so `A<::B>` works.
                let fourth = peek(3)
                length = isCPlusPlus && peek(2) == asciiColon && fourth != asciiColon && fourth != asciiGreater ? 1 : 2
            } else if digraphs && next == asciiPercent {
                length = 2
            }
        case asciiGreater:
            if isCUDA && launchDepth > 0 && next == asciiGreater && peek(2) == asciiGreater {
                length = 3
                launchDepth -= 1
            } else if next == asciiGreater {
                length = peek(2) == asciiEquals ? 3 : 2
            } else if next == asciiEquals {
                length = 2
            }
        default:
            pos += 1
            return .unknown
        }
        pos += length
        return .punctuator
    }
}
