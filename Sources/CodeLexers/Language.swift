/// A source language the lexers understand.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    /// C (C89 to C23, with common GNU extensions).
    case c
    /// C++ (to C++23).
    case cpp
    /// CUDA C++: C++ plus CUDA qualifiers and `<<<`/`>>>` launch chevrons.
    case cuda
    /// OpenCL C: C plus the OpenCL address-space and access qualifiers and vector types.
    case opencl
    /// Fortran (free or fixed form, see `FortranForm`).
    case fortran

    /// Whether the language is lexed by the C-family lexer.
    public var isCFamily: Bool { self != .fortran }

    /// The language of a file extension (without the dot) under the mining rules: `C`/`H` are C++, other
    /// extensions match case-insensitively; `h` is ambiguous and gives nil (see `detect(path:content:)`).
    public static func forExtension(_ ext: some StringProtocol) -> Language? {
        if ext == "C" || ext == "H" { return .cpp }
        switch ext.lowercased() {
        case "c": return .c
        case "cc", "cpp", "cxx", "hpp", "hh", "hxx": return .cpp
        case "cu", "cuh": return .cuda
        case "cl": return .opencl
        case "f", "for", "f77", "f90", "f95", "f03", "f08": return .fortran
        default: return nil
        }
    }

    /// The language of a file by its path, resolving `.h` by content; nil when the extension is not a source extension.
    public static func detect(path: String, content: [UInt8]) -> Language? {
        let ext = pathExtension(path)
        if ext.lowercased() == "h" && ext != "H" {
            return headerLooksLikeCPlusPlus(content) ? .cpp : .c
        }
        return forExtension(ext)
    }

    /// `headerLooksLikeCPlusPlus(_:)` for a byte array.
    public static func headerLooksLikeCPlusPlus(_ content: [UInt8]) -> Bool {
        content.withUnsafeBytes { headerLooksLikeCPlusPlus($0) }
    }

    /// Whether a header reads as C++ rather than C: `::`, C++-only keywords, `template <`, `class Name {`, access
    /// specifiers, or extension-less standard headers, outside `#if ... __cplusplus` groups (which C headers use
    /// for their `extern "C"` guards) and comments.
    public static func headerLooksLikeCPlusPlus(_ content: UnsafeRawBufferPointer) -> Bool {
        let lexer = Lexer(.cpp, whitespace: false)
        var significant: [Token] = []
        // Depth of nested conditional groups, and the depth at which a `__cplusplus` group started (0 = none).
        var depth = 0
        var guardDepth = 0
        for token in lexer.tokenize(content) {
            switch token.kind {
            case .directive:
                let info = lexer.directiveInfo(of: token, in: content)
                switch info?.name ?? "" {
                case "if", "ifdef", "ifndef":
                    depth += 1
                    if guardDepth == 0, token.text(in: content).contains("__cplusplus") { guardDepth = depth }
                case "endif":
                    if guardDepth == depth { guardDepth = 0 }
                    depth = max(0, depth - 1)
                case "include", "import":
                    if guardDepth == 0, let header = info?.words.last, header.hasPrefix("<"), header.hasSuffix(">"),
                       !header.contains(".") {
                        return true
                    }
                default:
                    break
                }
            case .comment, .continuation, .whitespace, .newline:
                break
            default:
                if guardDepth == 0 { significant.append(token) }
            }
        }
        func text(_ index: Int) -> String {
            index < significant.count ? significant[index].text(in: content) : ""
        }
        for (index, token) in significant.enumerated() {
            if token.kind == .punctuator && token.length == 2 && text(index) == "::" { return true }
            guard token.kind == .keyword else { continue }
            let word = text(index)
            if strongCPlusPlusKeywords.contains(word) { return true }
            switch word {
            case "template":
                if text(index + 1) == "<" { return true }
            case "class":
                let after = text(index + 2)
                if significant.count > index + 1 && significant[index + 1].kind == .identifier
                    && (after == "{" || after == ":" || after == "final") {
                    return true
                }
            case "public", "private", "protected":
                if text(index + 1) == ":" { return true }
            default:
                break
            }
        }
        return false
    }

    // Keywords whose presence outside comments and `__cplusplus` guards settles a header as C++. Left out: words
    // C code uses as names (`class`, `new`, `this`, `delete`, `operator`, `template`, which count only in C++
    // shapes) and the C23 keywords `constexpr` and `nullptr`.
    private static let strongCPlusPlusKeywords: Set<String> = [
        "namespace", "typename", "virtual", "static_cast", "dynamic_cast", "reinterpret_cast", "const_cast",
        "explicit", "noexcept", "decltype",
    ]

    private static func pathExtension(_ path: String) -> Substring {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...]
    }
}

/// The source form of a Fortran file.
public enum FortranForm: String, Sendable, Hashable, CaseIterable, Codable {
    /// Free form (Fortran 90 and later): `!` comments, `&` continuations.
    case free
    /// Fixed form (FORTRAN 77 layout): comment character in column 1, labels in columns 1-5, continuation in column 6.
    case fixed

    /// The conventional form of a Fortran file extension (without the dot, any case), or nil when it is not Fortran.
    public static func forExtension(_ ext: some StringProtocol) -> FortranForm? {
        switch ext.lowercased() {
        case "f", "for", "f77", "ftn", "fpp": return .fixed
        case "f90", "f95", "f03", "f08", "f18": return .free
        default: return nil
        }
    }

    /// The form the content itself shows, or nil when it shows neither clearly (one form needs three times the
    /// evidence of the other).
    ///
    /// Fixed-form evidence: a column-1 `*`; a column-1 `c`/`C` followed by a blank or punctuation (a comment line
    /// or `c$omp` sentinel that free form would read as code); a column-6 continuation after a line that does not
    /// end with `&`. Free-form evidence: a line starting in column 1 with a letter other than `c`, `C`, `d`, `D`;
    /// a code line ending with `&` whose next line is not a column-6 continuation.
    public static func guess(content: UnsafeRawBufferPointer) -> FortranForm? {
        let (fixed, free) = evidence(content)
        if fixed > 0 && free == 0 { return .fixed }
        if free > 0 && fixed == 0 { return .free }
        if fixed >= 3 * free && fixed > 0 { return .fixed }
        if free >= 3 * fixed && free > 0 { return .free }
        return nil
    }

    /// The form of a file: the extension's convention unless the content clearly shows the other form (at least
    /// two evidence lines for it and none against it); the content's guess, else free, when the extension says nothing.
    public static func detect(pathExtension: some StringProtocol, content: UnsafeRawBufferPointer) -> FortranForm {
        let (fixed, free) = evidence(content)
        if fixed >= 2 && free == 0 { return .fixed }
        if free >= 2 && fixed == 0 { return .free }
        return forExtension(pathExtension) ?? guess(content: content) ?? .free
    }

    /// `detect(pathExtension:content:)` for a byte array.
    public static func detect(pathExtension: some StringProtocol, content: [UInt8]) -> FortranForm {
        content.withUnsafeBytes { detect(pathExtension: pathExtension, content: $0) }
    }

    // Counts evidence lines over the first 5000 lines (enough to decide, bounded on huge inputs).
    private static func evidence(_ content: UnsafeRawBufferPointer) -> (fixed: Int, free: Int) {
        var fixed = 0
        var free = 0
        var previousEndsWithAmpersand = false
        var ampersandAwaitingNextLine = false
        var lineStart = 0
        var linesSeen = 0
        let count = content.count
        while lineStart < count && linesSeen < 5000 {
            var lineEnd = lineStart
            while lineEnd < count && content[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && content[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            linesSeen += 1
            defer { lineStart = lineEnd + 1 }
            guard let last = lastNonBlank(content, from: lineStart, to: contentEnd) else { continue }
            let first = content[lineStart]
            let second: UInt8 = contentEnd - lineStart > 1 ? content[lineStart + 1] : 0x20
            let isColumnSixContinuation = contentEnd - lineStart >= 6
                && (0..<5).allSatisfy { content[lineStart + $0] == 0x20 }
                && ![0x20, 0x09, UInt8(ascii: "0")].contains(content[lineStart + 5])
            if ampersandAwaitingNextLine && !isColumnSixContinuation { free += 1 }
            ampersandAwaitingNextLine = false
            let isCommentLetter = first == UInt8(ascii: "c") || first == UInt8(ascii: "C")
            let isCommentLine = first == UInt8(ascii: "!") || first == UInt8(ascii: "*")
                || (isCommentLetter && !isLetterOrDigit(second))
            if first == UInt8(ascii: "*") {
                fixed += 1
            } else if isCommentLetter && !isLetterOrDigit(second) {
                fixed += 1
            } else if isLetter(first) && !isCommentLetter && first != UInt8(ascii: "d") && first != UInt8(ascii: "D") {
                free += 1
            } else if isColumnSixContinuation && !previousEndsWithAmpersand {
                fixed += 1
            }
            if !isCommentLine {
                previousEndsWithAmpersand = content[last] == UInt8(ascii: "&")
                ampersandAwaitingNextLine = previousEndsWithAmpersand
            }
        }
        return (fixed, free)
    }

    private static func lastNonBlank(_ content: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = end
        while index > start {
            index -= 1
            let byte = content[index]
            if byte != 0x20 && byte != 0x09 { return index }
        }
        return nil
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
}
