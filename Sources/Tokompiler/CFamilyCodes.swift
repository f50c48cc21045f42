import CodeLexers

/// Small integer codes for the tokens the C-family classifier reasons about, so that its many lookahead tests
/// compare bytes once per token instead of strings.
enum TokenCode {
    static let none: UInt8 = 0
    // Punctuators.
    static let leftBrace: UInt8 = 1
    static let rightBrace: UInt8 = 2
    static let leftParen: UInt8 = 3
    static let rightParen: UInt8 = 4
    static let leftBracket: UInt8 = 5
    static let rightBracket: UInt8 = 6
    static let semicolon: UInt8 = 7
    static let comma: UInt8 = 8
    static let colon: UInt8 = 9
    static let scope: UInt8 = 10
    static let dot: UInt8 = 11
    static let arrow: UInt8 = 12
    static let memberPointer: UInt8 = 13
    static let star: UInt8 = 14
    static let ampersand: UInt8 = 15
    static let doubleAmpersand: UInt8 = 16
    static let assign: UInt8 = 17
    static let less: UInt8 = 18
    static let greater: UInt8 = 19
    static let shiftRight: UInt8 = 20
    static let launchOpen: UInt8 = 21
    static let launchClose: UInt8 = 22
    static let question: UInt8 = 23
    static let tilde: UInt8 = 24
    static let ellipsis: UInt8 = 25
    static let caret: UInt8 = 26
    static let percent: UInt8 = 27
    static let otherPunctuator: UInt8 = 28
    // Keywords.
    static let keywordStruct: UInt8 = 64
    static let keywordUnion: UInt8 = 65
    static let keywordEnum: UInt8 = 66
    static let keywordClass: UInt8 = 67
    static let keywordTypedef: UInt8 = 68
    static let keywordTemplate: UInt8 = 69
    static let keywordTypename: UInt8 = 70
    static let keywordOperator: UInt8 = 71
    static let keywordNew: UInt8 = 72
    static let keywordDelete: UInt8 = 73
    /// `sizeof`, `alignof`, `decltype`, `typeof`, `noexcept`, `static_assert`, `defined`, ...: a parenthesis
    /// after them may hold a type.
    static let keywordSizeof: UInt8 = 74
    /// `return`, `throw`, `co_return`, `co_yield`, `co_await`.
    static let keywordReturn: UInt8 = 75
    /// `if`, `while`, `switch`, `catch`.
    static let keywordControl: UInt8 = 76
    static let keywordFor: UInt8 = 77
    /// `else`, `do`, `try`.
    static let keywordStatement: UInt8 = 78
    static let keywordCase: UInt8 = 79
    static let keywordDefault: UInt8 = 80
    static let keywordGoto: UInt8 = 81
    static let keywordUsing: UInt8 = 82
    static let keywordNamespace: UInt8 = 83
    static let keywordExtern: UInt8 = 84
    /// C++ `public`, `private`, `protected`.
    static let keywordAccess: UInt8 = 85
    /// `__attribute__`, `__declspec`, `alignas`, `asm`, `__launch_bounds__`: their parentheses hold words.
    static let keywordAttribute: UInt8 = 86
    /// Storage classes, qualifiers and function specifiers (`static`, `const`, `__global__`, `__kernel`).
    static let keywordSpecifier: UInt8 = 87
    /// Built-in type names (and C++ `auto`).
    static let keywordType: UInt8 = 88
    /// `this`, `true`, `false`, `nullptr`.
    static let keywordValue: UInt8 = 89
    /// `static_cast`, `dynamic_cast`, `reinterpret_cast`, `const_cast`.
    static let keywordCast: UInt8 = 90
    static let keywordOther: UInt8 = 91
    // Others.
    static let identifier: UInt8 = 128
    static let literal: UInt8 = 129
    static let otherToken: UInt8 = 130

    static func isKeyword(_ code: UInt8) -> Bool { code >= 64 && code < 128 }

    /// The code of a punctuator spelled by `length` bytes at `p`.
    static func punctuator(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt8 {
        let a = p[0]
        if length == 1 {
            switch a {
            case UInt8(ascii: "{"): return leftBrace
            case UInt8(ascii: "}"): return rightBrace
            case UInt8(ascii: "("): return leftParen
            case UInt8(ascii: ")"): return rightParen
            case UInt8(ascii: "["): return leftBracket
            case UInt8(ascii: "]"): return rightBracket
            case UInt8(ascii: ";"): return semicolon
            case UInt8(ascii: ","): return comma
            case UInt8(ascii: ":"): return colon
            case UInt8(ascii: "."): return dot
            case UInt8(ascii: "*"): return star
            case UInt8(ascii: "&"): return ampersand
            case UInt8(ascii: "="): return assign
            case UInt8(ascii: "<"): return less
            case UInt8(ascii: ">"): return greater
            case UInt8(ascii: "?"): return question
            case UInt8(ascii: "~"): return tilde
            case UInt8(ascii: "^"): return caret
            case UInt8(ascii: "%"): return percent
            default: return otherPunctuator
            }
        }
        let b = p[1]
        if length == 2 {
            switch (a, b) {
            case (UInt8(ascii: ":"), UInt8(ascii: ":")): return scope
            case (UInt8(ascii: "-"), UInt8(ascii: ">")): return arrow
            case (UInt8(ascii: "."), UInt8(ascii: "*")): return memberPointer
            case (UInt8(ascii: "&"), UInt8(ascii: "&")): return doubleAmpersand
            case (UInt8(ascii: ">"), UInt8(ascii: ">")): return shiftRight
            default: return otherPunctuator
            }
        }
        if length == 3 {
            let c = p[2]
            if a == UInt8(ascii: "<") && b == a && c == a { return launchOpen }
            if a == UInt8(ascii: ">") && b == a && c == a { return launchClose }
            if a == UInt8(ascii: ".") && b == a && c == a { return ellipsis }
            if a == UInt8(ascii: "-") && b == UInt8(ascii: ">") && c == UInt8(ascii: "*") { return memberPointer }
        }
        return otherPunctuator
    }

    /// Keyword codes by language family: C++ reads `auto` as a type and `private` as an access specifier, OpenCL C
    /// reads `private` as an address space.
    final class KeywordCodes: Sendable {
        let table: ByteKeyTable

        init(cPlusPlus: Bool) {
            var table = ByteKeyTable.Builder(capacity: 256)
            func set(_ words: [String], _ code: UInt8) {
                for word in words { table.insert(Array(word.utf8), value: Int32(code), replace: true) }
            }
            set(["struct"], TokenCode.keywordStruct)
            set(["union"], TokenCode.keywordUnion)
            set(["enum"], TokenCode.keywordEnum)
            set(["class"], TokenCode.keywordClass)
            set(["typedef"], TokenCode.keywordTypedef)
            set(["template"], TokenCode.keywordTemplate)
            set(["typename"], TokenCode.keywordTypename)
            set(["operator"], TokenCode.keywordOperator)
            set(["new"], TokenCode.keywordNew)
            set(["delete"], TokenCode.keywordDelete)
            set(["sizeof", "alignof", "_Alignof", "__alignof__", "decltype", "typeof", "typeof_unqual", "__typeof",
                 "__typeof__", "noexcept", "static_assert", "_Static_assert", "_Generic", "__builtin_va_arg", "defined",
                 "typeid", "_Pragma"], TokenCode.keywordSizeof)
            set(["return", "throw", "co_return", "co_yield", "co_await"], TokenCode.keywordReturn)
            set(["if", "while", "switch", "catch"], TokenCode.keywordControl)
            set(["for"], TokenCode.keywordFor)
            set(["else", "do", "try"], TokenCode.keywordStatement)
            set(["case"], TokenCode.keywordCase)
            set(["default"], TokenCode.keywordDefault)
            set(["goto"], TokenCode.keywordGoto)
            set(["using"], TokenCode.keywordUsing)
            set(["namespace"], TokenCode.keywordNamespace)
            set(["extern"], TokenCode.keywordExtern)
            set(["__attribute__", "__attribute", "__declspec", "alignas", "_Alignas", "asm", "__asm", "__asm__",
                 "__launch_bounds__", "__align__", "__cluster_dims__"], TokenCode.keywordAttribute)
            set(["const", "volatile", "static", "register", "inline", "restrict", "_Atomic", "_Thread_local",
                 "thread_local", "__thread", "constexpr", "consteval", "constinit", "mutable", "virtual", "explicit",
                 "friend", "__inline", "__inline__", "__forceinline", "__restrict", "__restrict__", "__const",
                 "__const__", "__volatile", "__volatile__", "_Noreturn", "__extension__", "export", "__global__",
                 "__device__", "__host__", "__shared__", "__constant__", "__managed__", "__noinline__",
                 "__forceinline__", "__grid_constant__", "__inline_hint__", "__kernel", "kernel", "__global", "global",
                 "__local", "local", "__constant", "constant", "__private", "__generic", "generic", "__read_only",
                 "read_only", "__write_only", "write_only", "__read_write", "read_write", "uniform", "pipe"],
                TokenCode.keywordSpecifier)
            set(["this", "true", "false", "nullptr"], TokenCode.keywordValue)
            set(["static_cast", "dynamic_cast", "reinterpret_cast", "const_cast"], TokenCode.keywordCast)
            if cPlusPlus {
                set(["auto"], TokenCode.keywordType)
                set(["public", "private", "protected"], TokenCode.keywordAccess)
            } else {
                set(["auto", "private"], TokenCode.keywordSpecifier)
            }
            self.table = ByteKeyTable(table)
        }

        static let c = KeywordCodes(cPlusPlus: false)
        static let cPlusPlus = KeywordCodes(cPlusPlus: true)
    }

    /// Codes of vocabulary tokens by id: punctuator codes for operators, keyword codes for words.
    static func codesByID(tokens: [String], groups: [VocabularyGroups], cPlusPlus: Bool) -> [UInt8] {
        let keywords = cPlusPlus ? KeywordCodes.cPlusPlus.table : KeywordCodes.c.table
        var codes = [UInt8](repeating: 0, count: tokens.count)
        for id in tokens.indices where id > 0 {
            var bytes = Array(tokens[id].utf8)
            let length = bytes.count
            bytes.append(0)
            codes[id] = bytes.withUnsafeBufferPointer { buffer -> UInt8 in
                guard let base = buffer.baseAddress, length > 0 else { return 0 }
                if let code = keywords.lookup(base, length) { return UInt8(code) }
                return groups[id].contains(.operator) ? punctuator(base, length) : keywordOther
            }
        }
        return codes
    }

    /// Codes and vocabulary ids (-1 when missing) of significant tokens.
    static func codes(_ tokens: [Token], base: UnsafePointer<UInt8>, cPlusPlus: Bool,
                      vocabulary: Vocabulary) -> (codes: [UInt8], ids: [Int32]) {
        let keywords = cPlusPlus ? KeywordCodes.cPlusPlus.table : KeywordCodes.c.table
        let byID = cPlusPlus ? vocabulary.cPlusPlusCodes : vocabulary.cCodes
        let exact = vocabulary.exact
        var codes = [UInt8](repeating: 0, count: tokens.count)
        var ids = [Int32](repeating: -1, count: tokens.count)
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .identifier: codes[index] = identifier
            case .number, .string, .character: codes[index] = literal
            case .punctuator, .keyword, .typeKeyword:
                guard token.length > 0 else {
                    codes[index] = otherPunctuator
                    continue
                }
                let pointer = base + token.start
                if let id = exact.lookup(pointer, token.length) {
                    ids[index] = id
                    codes[index] = byID[Int(id)]
                } else if token.kind == .punctuator {
                    codes[index] = punctuator(pointer, token.length)
                } else {
                    codes[index] = keywords.lookup(pointer, token.length).map { UInt8($0) } ?? keywordOther
                }
                if token.kind == .typeKeyword { codes[index] = keywordType }
            default: codes[index] = otherToken
            }
        }
        return (codes, ids)
    }
}
