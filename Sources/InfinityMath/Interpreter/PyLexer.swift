/// A token of the Python subset.
struct PyToken: Equatable {
    enum Kind: Equatable {
        case name(String)
        case number(PyValue)
        case string
        case op(String)
        case newline, indent, dedent, end
    }

    var kind: Kind
    var line: Int
}

/// Splits Python source into tokens with INDENT/DEDENT, as CPython's tokenizer does for the subset: implicit
/// line joining inside brackets, `\` continuations, comments, and single, double and triple-quoted strings.
struct PyLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var depth = 0
    private var indents = [0]
    private var tokens: [PyToken] = []
    private var atLineStart = true

    static func tokenize(_ source: String) throws -> [PyToken] {
        var lexer = PyLexer(bytes: Array(source.utf8))
        return try lexer.run()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private static let operators = ["**=", "//=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
                                    "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", ",", ":", ".", ";"]
        .map { Array($0.utf8) }

    private mutating func run() throws -> [PyToken] {
        while index < bytes.count {
            if atLineStart && depth == 0 {
                try indentation()
                continue
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") else {
                    throw PyError(.syntax, "unexpected character after line continuation character", line: line)
                }
                index += 2
                line += 1
            case UInt8(ascii: "\n"):
                index += 1
                if depth == 0 {
                    emit(.newline)
                    atLineStart = true
                }
                line += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            case UInt8(ascii: "."):
                if index + 1 < bytes.count, isDigit(bytes[index + 1]) { try number() } else { try op() }
            default:
                if isNameStart(byte) { name() } else { try op() }
            }
        }
        if tokens.last.map({ $0.kind != .newline }) ?? false { emit(.newline) }
        while indents.count > 1 {
            indents.removeLast()
            emit(.dedent)
        }
        emit(.end)
        return tokens
    }

    private mutating func emit(_ kind: PyToken.Kind) { tokens.append(PyToken(kind: kind, line: line)) }

    private mutating func indentation() throws {
        var width = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "): width += 1
            case UInt8(ascii: "\t"): width = (width / 8 + 1) * 8
            case UInt8(ascii: "\r"), 0x0C: break
            default:
                return try lineContent(width)
            }
            index += 1
        }
    }

    private mutating func lineContent(_ width: Int) throws {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "#") {
            // A blank or comment-only line does not change the indentation.
            while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            if index < bytes.count {
                index += 1
                line += 1
            }
            return
        }
        atLineStart = false
        let current = indents.last ?? 0
        if width > current {
            indents.append(width)
            emit(.indent)
        } else {
            while width < (indents.last ?? 0) {
                indents.removeLast()
                emit(.dedent)
            }
            guard width == indents.last else { throw PyError(.syntax, "unindent does not match any outer indentation level", line: line) }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private mutating func name() {
        let start = index
        while index < bytes.count, isNameStart(bytes[index]) || isDigit(bytes[index]) { index += 1 }
        emit(.name(String(decoding: bytes[start..<index], as: UTF8.self)))
    }

    private mutating func number() throws {
        let start = index
        var isFloat = false
        func digits() {
            while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
        }
        digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var look = index + 1
            if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
            if look < bytes.count, isDigit(bytes[look]) {
                isFloat = true
                index = look
                digits()
            }
        }
        if index < bytes.count, isNameStart(bytes[index]) {
            throw PyError(.syntax, "invalid decimal literal", line: line)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if isFloat {
            guard let value = Double(text) else { throw PyError(.syntax, "invalid number '\(text)'", line: line) }
            emit(.number(.float(value)))
        } else {
            if text.count > 1, text.hasPrefix("0"), text.contains(where: { $0 != "0" }) {
                throw PyError(.syntax, "leading zeros in decimal integer literals are not permitted", line: line)
            }
            guard let value = Int64(text) else { throw PyError(.integerRange, "integer literal outside the 64-bit range", line: line) }
            emit(.number(.int(value)))
        }
    }

    private mutating func string() throws {
        let quote = bytes[index]
        let startLine = line
        let triple = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
        index += triple ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { line += 1 }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\n") {
                guard triple else { throw PyError(.syntax, "unterminated string literal", line: line) }
                line += 1
            }
            if byte == quote {
                if !triple {
                    index += 1
                    emit(.string)
                    return
                }
                if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                    index += 3
                    tokens.append(PyToken(kind: .string, line: startLine))
                    return
                }
            }
            index += 1
        }
        throw PyError(.syntax, "unterminated string literal", line: startLine)
    }

    private mutating func op() throws {
        for candidate in Self.operators where index + candidate.count <= bytes.count {
            if Array(bytes[index..<index + candidate.count]) == candidate {
                index += candidate.count
                let text = String(decoding: candidate, as: UTF8.self)
                if text == "(" || text == "[" { depth += 1 }
                if text == ")" || text == "]" { depth = max(0, depth - 1) }
                emit(.op(text))
                return
            }
        }
        throw PyError(.syntax, "invalid character '\(String(decoding: [bytes[index]], as: UTF8.self))'", line: line)
    }
}
