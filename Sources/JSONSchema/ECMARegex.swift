import Foundation

/// Why an ECMA-262 pattern was refused.
struct ECMARegexError: Error, Sendable {
    var message: String
}

/// An ECMA-262 regular expression (Unicode mode): searched as a plain string when it is one, run by
/// `RegexNFA` when it lies in that subset, and by ICU through `NSRegularExpression` otherwise.
///
/// Every pattern is also compiled for ICU, which is what decides whether a pattern is valid. JSON Schema
/// patterns are ECMA-262, which differs from ICU in ways that change results silently: `\d`, `\w`, `\s`
/// and `\b` are ASCII or ECMA-specific, `$` never matches before a final newline, `.` stops at four line
/// terminators, `[` and `&&` are plain characters inside a class, `\v` is one character. The pattern is
/// therefore translated token by token instead of being handed to ICU as it is.
final class ECMARegex: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable once built and safe to share between threads (the
    // CoreFoundation implementation clones the ICU matcher when it is busy); only the annotation is
    // missing on some platforms. A class, so that copies of compiled keywords share one instance.
    let source: String
    private let expression: NSRegularExpression
    /// Set when the pattern is a plain run of ordinary characters, searched without ICU.
    private let literal: String?
    /// Set when the pattern lies in the subset the built-in automaton runs, which is then used instead of ICU.
    let automaton: RegexNFA?

    init(_ pattern: String) throws(ECMARegexError) {
        source = pattern
        let translated = try ECMARegexTranslator.translate(pattern)
        do {
            expression = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw ECMARegexError(message: "invalid regular expression \"\(pattern)\"")
        }
        literal = pattern.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil
            || $0 == "_" || $0 == " " }) ? pattern : nil
        automaton = literal == nil ? RegexNFA(pattern) : nil
    }

    /// Whether the pattern matches anywhere in `text`, as `RegExp.prototype.test` would.
    func matches(_ text: String) -> Bool {
        matches(text, allowAutomaton: true)
    }

    /// `matches`, optionally forcing ICU so that tests can compare the engines.
    func matches(_ text: String, allowAutomaton: Bool) -> Bool {
        if allowAutomaton, let literal {
            if literal.isEmpty { return true }
            // Compares by scalars: String.contains would apply canonical equivalence, which RegExp does not.
            return text.unicodeScalars.firstRange(of: literal.unicodeScalars) != nil
        }
        if allowAutomaton, let automaton { return automaton.matches(text) }
        let range = NSRange(location: 0, length: text.utf16.count)
        return expression.rangeOfFirstMatch(in: text, options: [], range: range).location != NSNotFound
    }
}

/// Rewrites ECMA-262 pattern syntax into ICU pattern syntax with the same meaning.
enum ECMARegexTranslator {
    private static let wordClass = "[a-zA-Z0-9_]"
    private static let nonWordClass = "[^a-zA-Z0-9_]"
    private static let whitespaceMembers =
        "\\x{09}-\\x{0D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
    private static let wordBoundary =
        "(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))"
    private static let nonWordBoundary =
        "(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))"

    /// One element of a character class: a single code point, or a set ICU accepts nested in a class.
    private enum ClassAtom {
        case scalar(UInt32)
        case set(String)
    }

    static func translate(_ pattern: String) throws(ECMARegexError) -> String {
        var reader = ScalarReader(Array(pattern.unicodeScalars))
        var out = ""
        var afterQuantifier = false
        while let scalar = reader.next() {
            var isQuantifier = false
            switch scalar {
            case "\\":
                out += try translateEscape(&reader, inClass: false).text
            case ".":
                out += "[^\\x{0A}\\x{0D}\\x{2028}\\x{2029}]"
            case "$":
                out += "\\z"
            case "^", "|", ")":
                out.unicodeScalars.append(scalar)
            case "[":
                out += try translateClass(&reader)
            case "(":
                out += try translateGroupOpening(&reader)
            case "*", "+", "?":
                // `a*+` is ICU's possessive form but a syntax error in ECMA-262.
                if afterQuantifier { throw ECMARegexError(message: "nothing to repeat before '\(scalar)'") }
                out.unicodeScalars.append(scalar)
                isQuantifier = true
            case "{":
                if let bounds = reader.readBraceQuantifier() {
                    if afterQuantifier { throw ECMARegexError(message: "nothing to repeat before '{'") }
                    out += bounds
                    isQuantifier = true
                } else {
                    out += literal(scalar.value)
                }
            default:
                out += literal(scalar.value)
            }
            if isQuantifier, reader.peek() == "?" {
                _ = reader.next()
                out += "?"
            }
            afterQuantifier = isQuantifier
        }
        // The empty pattern matches everywhere, but NSRegularExpression refuses an empty string.
        return out.isEmpty ? "(?:)" : out
    }

    /// A code point as ICU reads it literally whatever its meaning in pattern syntax.
    private static func literal(_ value: UInt32) -> String {
        if value < 0x80, let scalar = Unicode.Scalar(value),
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
        {
            return String(Character(scalar))
        }
        if value >= 0x80, let scalar = Unicode.Scalar(value), !scalar.properties.isWhitespace {
            return String(Character(scalar))
        }
        return "\\x{" + String(value, radix: 16, uppercase: true) + "}"
    }

    private static func translateGroupOpening(_ reader: inout ScalarReader) throws(ECMARegexError) -> String {
        guard reader.peek() == "?" else { return "(" }
        _ = reader.next()
        guard let kind = reader.next() else { throw ECMARegexError(message: "unterminated group") }
        switch kind {
        case ":", "=", "!":
            return "(?" + String(Character(kind))
        case "<":
            if reader.peek() == "=" || reader.peek() == "!" {
                guard let look = reader.next() else { throw ECMARegexError(message: "unterminated group") }
                return "(?<" + String(Character(look))
            }
            let name = try readGroupName(&reader)
            return "(?<" + name + ">"
        default:
            throw ECMARegexError(message: "invalid group syntax '(?\(kind)'")
        }
    }

    /// Reads `name>` after `(?<` or `\k<`; ICU only takes ASCII names, so others are refused.
    private static func readGroupName(_ reader: inout ScalarReader) throws(ECMARegexError) -> String {
        var name = ""
        while let scalar = reader.next() {
            if scalar == ">" {
                guard let first = name.unicodeScalars.first, first.properties.isAlphabetic else { break }
                return name
            }
            guard scalar.isASCII, scalar.properties.isAlphabetic || (scalar >= "0" && scalar <= "9") else { break }
            name.unicodeScalars.append(scalar)
        }
        throw ECMARegexError(message: "invalid or unsupported capture group name")
    }

    private struct EscapeResult {
        var text: String
        /// The single code point the escape stands for, when it stands for one.
        var scalar: UInt32?
    }

    private static func translateEscape(_ reader: inout ScalarReader, inClass: Bool) throws(ECMARegexError)
        -> EscapeResult
    {
        guard let escaped = reader.next() else { throw ECMARegexError(message: "\\ at end of pattern") }
        func single(_ value: UInt32) -> EscapeResult { EscapeResult(text: literal(value), scalar: value) }
        switch escaped {
        case "d": return EscapeResult(text: inClass ? "0-9" : "[0-9]")
        case "D": return EscapeResult(text: "[^0-9]")
        case "w": return EscapeResult(text: inClass ? "a-zA-Z0-9_" : wordClass)
        case "W": return EscapeResult(text: nonWordClass)
        case "s": return EscapeResult(text: inClass ? whitespaceMembers : "[" + whitespaceMembers + "]")
        case "S": return EscapeResult(text: "[^" + whitespaceMembers + "]")
        case "b": return inClass ? single(0x08) : EscapeResult(text: wordBoundary)
        case "B":
            if inClass { throw ECMARegexError(message: "\\B inside a character class") }
            return EscapeResult(text: nonWordBoundary)
        case "t": return single(0x09)
        case "n": return single(0x0A)
        case "v": return single(0x0B)
        case "f": return single(0x0C)
        case "r": return single(0x0D)
        case "0":
            if let next = reader.peek(), next >= "0" && next <= "9" {
                throw ECMARegexError(message: "octal escapes are not allowed")
            }
            return single(0)
        case "1"..."9":
            if inClass { throw ECMARegexError(message: "backreference inside a character class") }
            var digits = String(Character(escaped))
            while let next = reader.peek(), next >= "0" && next <= "9" {
                _ = reader.next()
                digits.unicodeScalars.append(next)
            }
            return EscapeResult(text: "\\" + digits)
        case "c":
            guard let letter = reader.next(), letter.isASCII, letter.properties.isAlphabetic else {
                throw ECMARegexError(message: "invalid control escape")
            }
            return single(letter.value % 32)
        case "x":
            guard let value = reader.readHex(count: 2) else { throw ECMARegexError(message: "invalid \\x escape") }
            return single(value)
        case "u":
            return single(try readUnicodeEscape(&reader))
        case "p", "P":
            guard reader.next() == "{" else { throw ECMARegexError(message: "invalid property escape") }
            var name = ""
            while let scalar = reader.next(), scalar != "}" {
                guard scalar.isASCII, scalar.properties.isAlphabetic || scalar == "_" || scalar == "="
                    || (scalar >= "0" && scalar <= "9")
                else { throw ECMARegexError(message: "invalid property escape") }
                name.unicodeScalars.append(scalar)
            }
            guard !name.isEmpty, reader.previous == "}" else { throw ECMARegexError(message: "invalid property escape") }
            return EscapeResult(text: "\\" + String(Character(escaped)) + "{" + name + "}")
        case "k":
            if inClass { throw ECMARegexError(message: "\\k inside a character class") }
            guard reader.next() == "<" else { throw ECMARegexError(message: "invalid named backreference") }
            return EscapeResult(text: "\\k<" + (try readGroupName(&reader)) + ">")
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/", "-":
            return single(escaped.value)
        default:
            throw ECMARegexError(message: "invalid escape \\\(escaped)")
        }
    }

    /// Reads what follows `\u`: four hex digits, a surrogate pair of two such escapes, or `{hex}`.
    private static func readUnicodeEscape(_ reader: inout ScalarReader) throws(ECMARegexError) -> UInt32 {
        if reader.peek() == "{" {
            _ = reader.next()
            var value: UInt32 = 0
            var digits = 0
            while let scalar = reader.next(), scalar != "}" {
                guard scalar.isASCII, let digit = UInt32(String(Character(scalar)), radix: 16) else {
                    throw ECMARegexError(message: "invalid \\u{...} escape")
                }
                value = value &* 16 &+ digit
                digits += 1
                if value > 0x10FFFF { throw ECMARegexError(message: "\\u{...} escape out of range") }
            }
            guard digits > 0, reader.previous == "}" else { throw ECMARegexError(message: "invalid \\u{...} escape") }
            return value
        }
        guard let high = reader.readHex(count: 4) else { throw ECMARegexError(message: "invalid \\u escape") }
        if (0xD800...0xDBFF).contains(high) {
            var lookahead = reader
            if lookahead.next() == "\\", lookahead.next() == "u", let low = lookahead.readHex(count: 4),
                (0xDC00...0xDFFF).contains(low)
            {
                reader = lookahead
                return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
        }
        return high
    }

    private static func translateClass(_ reader: inout ScalarReader) throws(ECMARegexError) -> String {
        var negated = false
        if reader.peek() == "^" {
            _ = reader.next()
            negated = true
        }
        var body = ""
        var isEmpty = true
        while true {
            guard let first = try readClassAtom(&reader) else { break }
            isEmpty = false
            if reader.peek() == "-", reader.peek(offset: 1) != "]", reader.peek(offset: 1) != nil {
                _ = reader.next()
                guard let second = try readClassAtom(&reader) else {
                    throw ECMARegexError(message: "unterminated character class")
                }
                guard case .scalar(let low) = first, case .scalar(let high) = second else {
                    throw ECMARegexError(message: "a class escape cannot bound a character range")
                }
                guard low <= high else { throw ECMARegexError(message: "character range out of order") }
                body += literal(low) + "-" + literal(high)
            } else {
                switch first {
                case .scalar(let value): body += literal(value)
                case .set(let text): body += text
                }
            }
        }
        if isEmpty {
            // `[]` matches nothing and `[^]` matches every code point; ICU rejects both spellings.
            return negated ? "[\\x{0}-\\x{10FFFF}]" : "(?!)"
        }
        return "[" + (negated ? "^" : "") + body + "]"
    }

    /// The next atom of a class, or nil at its closing `]`.
    private static func readClassAtom(_ reader: inout ScalarReader) throws(ECMARegexError) -> ClassAtom? {
        guard let scalar = reader.next() else { throw ECMARegexError(message: "unterminated character class") }
        switch scalar {
        case "]":
            return nil
        case "\\":
            let escape = try translateEscape(&reader, inClass: true)
            if let value = escape.scalar { return .scalar(value) }
            return .set(escape.text)
        default:
            return .scalar(scalar.value)
        }
    }
}

/// A cursor over the code points of a pattern.
private struct ScalarReader {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func next() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    func peek(offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    var previous: Unicode.Scalar? { position > 0 ? scalars[position - 1] : nil }

    mutating func readHex(count: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<count {
            guard let scalar = peek(offset: offset), scalar.isASCII,
                let digit = UInt32(String(Character(scalar)), radix: 16)
            else { return nil }
            value = value * 16 + digit
        }
        position += count
        return value
    }

    /// Reads `n}`, `n,}` or `n,m}` after `{`; leaves the position alone and returns nil otherwise.
    mutating func readBraceQuantifier() -> String? {
        var offset = 0
        var text = "{"
        var digitsBefore = 0
        var sawComma = false
        while let scalar = peek(offset: offset) {
            if scalar >= "0" && scalar <= "9" {
                if !sawComma { digitsBefore += 1 }
            } else if scalar == "," && !sawComma {
                sawComma = true
            } else if scalar == "}" {
                guard digitsBefore > 0 else { return nil }
                position += offset + 1
                return text + "}"
            } else {
                return nil
            }
            text.unicodeScalars.append(scalar)
            offset += 1
        }
        return nil
    }
}
