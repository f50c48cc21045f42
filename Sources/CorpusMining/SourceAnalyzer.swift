import CodeLexers

/// A function definition found in a file, with the paradigms used inside it.
public struct FunctionInfo: Sendable, Equatable {
    public var name: String
    public var start: Int
    public var end: Int
    public var startLine: Int
    public var endLine: Int
    public var paradigms: [Paradigm]
}

/// A loop with an OpenMP directive attached.
public struct OpenMPLoopInfo: Sendable, Equatable {
    /// The loop's byte range.
    public var start: Int
    public var end: Int
    /// The directive's byte range, as written.
    public var directiveStart: Int
    public var directiveEnd: Int
    /// The directive's text with comments replaced by a blank, for normalization and clause parsing.
    public var directiveText: String
}

/// What the lexers tell about one file: paradigm evidence, functions and OpenMP loops.
public struct SourceAnalysis: Sendable {
    public var evidence: ParadigmEvidence
    public var functions: [FunctionInfo]
    public var ompLoops: [OpenMPLoopInfo]
}

/// Runs the `CodeLexers` lexer and structure finder over a file and reads paradigm signals from its
/// tokens, so that words in comments and string literals never count.
public struct SourceAnalyzer: Sendable {
    public let language: Language
    public let lexer: Lexer

    public init(language: Language, fortranForm: FortranForm = .free) {
        self.language = language
        self.lexer = Lexer(language, fortranForm: fortranForm, whitespace: false)
    }

    public func analyze(_ content: [UInt8], path: String) -> SourceAnalysis {
        let tokens = lexer.tokenize(content)
        let signals = ParadigmSignals(language: language, lexer: lexer, bytes: content, tokens: tokens).scan()
        var evidence = ParadigmEvidence()
        if let ext = LanguageMap.fileExtension(of: path)?.lowercased() {
            if ext == "cu" || ext == "cuh" { evidence.add(.cuda, "file extension .\(ext)") }
            if ext == "cl" { evidence.add(.opencl, "file extension .cl") }
        }
        for signal in signals { signal.record(into: &evidence) }
        let hasHIP = evidence.counts.keys.contains { $0.hasPrefix("hip:") }
        let hasCUDA = evidence.counts.keys.contains { $0.hasPrefix("cuda:") }
        let kernelOwner: Paradigm = hasHIP && !hasCUDA ? .hip : .cuda
        evidence.finish(sharedOwner: kernelOwner)

        let structure = lexer.structure(of: content, tokens: tokens)
        var functions: [FunctionInfo] = []
        // Nested (Fortran internal) procedures stay inside their host's record, as in HPCorpus.
        for function in structure.functions where function.parent == nil && function.isComplete {
            let span = function.span
            guard span.start >= 0, span.end <= content.count, span.start < span.end else { continue }
            var inside = ParadigmEvidence()
            for signal in Self.signals(signals, within: span.start..<span.end) { signal.record(into: &inside) }
            inside.finish(sharedOwner: kernelOwner)
            functions.append(FunctionInfo(name: function.name, start: span.start, end: span.end,
                                          startLine: span.startLine, endLine: span.endLine,
                                          paradigms: inside.paradigms))
        }
        var loops: [OpenMPLoopInfo] = []
        for loop in structure.loops {
            guard let directive = loop.directive, directive.info.family == .openMP, loop.isComplete,
                directive.tokenIndex >= 0, directive.tokenIndex < tokens.count
            else { continue }
            let span = loop.span
            let directiveSpan = directive.span
            guard span.start >= 0, span.end <= content.count, span.start < span.end, directiveSpan.start >= 0,
                directiveSpan.end <= content.count, directiveSpan.start < directiveSpan.end
            else { continue }
            loops.append(OpenMPLoopInfo(
                start: span.start, end: span.end, directiveStart: directiveSpan.start, directiveEnd: directiveSpan.end,
                directiveText: directiveText(directive, tokens[directive.tokenIndex], in: content)))
        }
        return SourceAnalysis(evidence: evidence, functions: functions, ompLoops: loops)
    }

    /// The kinds (construct words, `parallel for`) of every OpenMP directive of a file except `end` ones.
    public func openMPDirectiveKinds(_ content: [UInt8]) -> [String] {
        var kinds: [String] = []
        for token in lexer.tokenize(content) where token.kind == .directive {
            guard let info = lexer.directiveInfo(of: token, in: content), info.family == .openMP, !info.isEnd
            else { continue }
            let words = info.constructWords
            if !words.isEmpty { kinds.append(words.joined(separator: " ")) }
        }
        return kinds
    }

    /// A directive's text as written, with each comment replaced by a blank. Only a line that may hold a
    /// comment (a `/` in C-family code, a `!` other than a sentinel's in Fortran) is lexed again for it.
    func directiveText(_ directive: DirectiveSpan, _ token: Token, in content: [UInt8]) -> String {
        let text = directive.text
        let mayHoldComment: Bool
        if language == .fortran {
            let utf8 = Array(text.utf8)
            mayHoldComment = utf8.indices.contains { utf8[$0] == UInt8(ascii: "!") && ($0 + 1 >= utf8.count || utf8[$0 + 1] != UInt8(ascii: "$")) }
        } else {
            mayHoldComment = text.utf8.contains(UInt8(ascii: "/"))
        }
        guard mayHoldComment else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(token.length)
        for part in lexer.directiveBody(of: token, in: content) {
            guard part.start >= 0, part.end <= content.count, part.start <= part.end else { continue }
            if part.kind == .comment {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(contentsOf: content[part.start..<part.end])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The signals whose token starts inside `range` (signals are in source order).
    static func signals(_ signals: [Signal], within range: Range<Int>) -> ArraySlice<Signal> {
        var low = 0
        var high = signals.count
        while low < high {
            let middle = (low + high) / 2
            if signals[middle].offset < range.lowerBound { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < signals.count, signals[end].offset < range.upperBound { end += 1 }
        return signals[low..<end]
    }
}
