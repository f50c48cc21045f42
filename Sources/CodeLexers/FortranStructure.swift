/// Finds subprograms and `do` loops in Fortran tokens, statement by statement.
///
/// Statements are the significant tokens of one line plus its continuation lines, or up to a `;`. Words are
/// compared case-insensitively whatever kind the lexer gave them, since Fortran does not reserve keywords.
struct FortranStructureFinder {
    private let context: StructureContext
    private let sig: [Int]
    private let n: Int

    private struct Item {
        var first: Int
        var last: Int
        var isDirective: Bool
    }

    private enum UnitKind {
        case program, module, submodule, blockData, interface, typeDefinition
        /// A subroutine, function or module procedure; `function` is nil for an interface body.
        case subprogram(function: Int?)
    }

    private struct Unit {
        var kind: UnitKind
        var firstItem: Int
    }

    private struct OpenLoop {
        var kind: LoopKind
        var first: Int
        var terminalLabel: String?
        var name: String?
        var directive: DirectiveSpan?
        var depth: Int
        var function: Int?
        var unitDepth: Int
    }

    private var items: [Item] = []
    private var functions: [FunctionSpan] = []
    private var loops: [LoopSpan] = []
    private var units: [Unit] = []
    private var openLoops: [OpenLoop] = []
    private var directiveByToken: [Int: DirectiveSpan] = [:]

    /// The words the finder tells apart, matched on the token's bytes without building strings.
    private enum Word: String, CaseIterable {
        /// A token that is not a word, or a position outside the statement.
        case notAWord = ""
        /// Any word not listed here.
        case other = " "
        case `do`, end, enddo, `while`, concurrent, block, data, blockdata, program, module, submodule, interface
        case abstract, type, `is`, `class`, procedure, function, subroutine, double, attributes
        case pure, elemental, recursive, impure, nonRecursive = "non_recursive", simple
        case integer, real, complex, logical, character, doubleprecision, doublecomplex, byte
        case endsubroutine, endfunction, endprocedure, endprogram, endmodule, endsubmodule, endblockdata
        case endinterface, endtype

        /// The words a table lookup can find (not the two placeholders).
        static let spelled: [Word] = allCases.filter { $0 != .notAWord && $0 != .other }
        /// The spelled words as a case-insensitive byte table; a word's value is its index in `spelled`.
        static let table: ByteKeyTable = {
            var builder = ByteKeyTable.Builder(capacity: spelled.count, foldsCase: true)
            for (index, word) in spelled.enumerated() { builder.insert(Array(word.rawValue.utf8), value: Int32(index)) }
            return ByteKeyTable(builder)
        }()

        /// A subprogram prefix (`pure`, `module`, ...).
        var isPrefix: Bool {
            switch self {
            case .pure, .elemental, .recursive, .impure, .nonRecursive, .module, .simple: return true
            default: return false
            }
        }

        /// An intrinsic type name as one word (`doubleprecision`, not `double`).
        var isTypeName: Bool {
            switch self {
            case .integer, .real, .complex, .logical, .character, .doubleprecision, .doublecomplex, .byte: return true
            default: return false
            }
        }

        /// What an `end` statement spelled as one word closes (`endsubroutine` closes a `subroutine`).
        var mergedEnd: Word? {
            switch self {
            case .endsubroutine: return .subroutine
            case .endfunction: return .function
            case .endprocedure: return .procedure
            case .endprogram: return .program
            case .endmodule: return .module
            case .endsubmodule: return .submodule
            case .endblockdata: return .blockdata
            case .endinterface: return .interface
            case .endtype: return .type
            default: return nil
            }
        }

        /// Whether `end` followed by this word closes a program unit or subprogram (a bare `end` does too).
        var endsUnit: Bool {
            switch self {
            case .notAWord, .subroutine, .function, .procedure, .program, .module, .submodule, .blockdata: return true
            default: return false
            }
        }
    }

    init(context: StructureContext) {
        self.context = context
        self.sig = context.significant
        self.n = sig.count
    }

    private func token(_ s: Int) -> Token { context.tokens[sig[s]] }

    /// The word at `s` compared case-insensitively, `.notAWord` past `last` or for a token that is not a word.
    private func word(_ s: Int, last: Int) -> Word {
        guard s <= last, s < n else { return .notAWord }
        let t = token(s)
        guard t.kind == .identifier || t.kind == .keyword || t.kind == .typeKeyword else { return .notAWord }
        guard let base = context.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .other }
        if let index = Word.table.lookup(base + t.start, t.length) { return Word.spelled[Int(index)] }
        // Unicode lowercasing can turn non-ASCII letters into ASCII ones (the Kelvin sign into `k`).
        let isASCII = !UnsafeRawBufferPointer(rebasing: context.bytes[t.start..<t.end]).contains { $0 >= 0x80 }
        return isASCII ? .other : Word(rawValue: context.text(sig[s]).lowercased()) ?? .other
    }

    /// Whether the token at `s` is the punctuator `text`.
    private func isPunctuator(_ s: Int, _ text: StaticString, last: Int) -> Bool {
        guard s <= last, s < n else { return false }
        let t = token(s)
        guard t.kind == .punctuator, t.length == text.utf8CodeUnitCount else { return false }
        let pointer = text.utf8Start
        for i in 0..<t.length where context.bytes[t.start + i] != pointer[i] { return false }
        return true
    }

    private func isName(_ s: Int, last: Int) -> Bool {
        guard s <= last, s < n else { return false }
        let kind = token(s).kind
        return kind == .identifier || kind == .keyword
    }

    mutating func run() -> SourceStructure {
        var directives: [DirectiveSpan] = []
        for index in context.directives {
            if let directive = context.parallelDirective(index) {
                directives.append(directive)
                directiveByToken[index] = directive
            }
        }
        buildItems()
        // The run of directives before a statement: its nearest loop construct, else its nearest directive that
        // applies to a following statement; a stand-alone or `end` directive starts the run afresh.
        var pendingLoopConstruct: DirectiveSpan?
        var pendingOther: DirectiveSpan?
        for k in items.indices {
            let item = items[k]
            if item.isDirective {
                if let directive = directiveByToken[sig[item.first]] {
                    if !directive.info.appliesToFollowingStatement {
                        pendingLoopConstruct = nil
                        pendingOther = nil
                    } else if directive.info.isLoopConstruct {
                        pendingLoopConstruct = directive
                    } else {
                        pendingOther = directive
                    }
                }
                continue
            }
            handleStatement(k, pending: pendingLoopConstruct ?? pendingOther)
            pendingLoopConstruct = nil
            pendingOther = nil
        }
        // Whatever is still open ran to the end of the input.
        let lastItem = items.count - 1
        while let loop = openLoops.popLast() { close(loop, at: lastItem, complete: false) }
        while let unit = units.popLast() { closeUnit(unit, at: lastItem, complete: false) }
        loops.sort { $0.span.start < $1.span.start }
        return SourceStructure(functions: functions, loops: loops, directives: directives)
    }

    // MARK: - Statements

    private mutating func buildItems() {
        var current: Item?
        for s in 0..<n {
            let t = token(s)
            if t.kind == .directive {
                if let statement = current { items.append(statement) }
                current = nil
                items.append(Item(first: s, last: s, isDirective: true))
                continue
            }
            if var statement = current {
                if sameStatement(statement.last, s) {
                    statement.last = s
                    current = statement
                } else {
                    items.append(statement)
                    current = Item(first: s, last: s, isDirective: false)
                }
            } else {
                current = Item(first: s, last: s, isDirective: false)
            }
            if t.kind == .punctuator && t.length == 1 && context.bytes[t.start] == 0x3B { // ;
                if let statement = current { items.append(statement) }
                current = nil
            }
        }
        if let statement = current { items.append(statement) }
    }

    /// Whether `b` continues the statement whose last token is `a`: same line, or a continuation mark between.
    private func sameStatement(_ a: Int, _ b: Int) -> Bool {
        if token(b).line <= context.endLine(sig[a]) { return true }
        var index = sig[a] + 1
        while index < sig[b] {
            if context.tokens[index].kind == .continuation { return true }
            index += 1
        }
        return false
    }

    /// Handles one statement; a `do` takes the pending directive, any statement ends its wait.
    @discardableResult
    private mutating func handleStatement(_ k: Int, pending: DirectiveSpan?) -> Bool {
        let item = items[k]
        let last = item.last
        var h = item.first
        var label: String?
        if token(h).kind == .label {
            label = context.text(sig[h])
            h += 1
        }
        var constructName: String?
        if isName(h, last: last) && isPunctuator(h + 1, ":", last: last) {
            constructName = context.text(sig[h])
            h += 2
        }
        guard h <= last else { return false }
        let w0 = word(h, last: last)
        let w1 = word(h + 1, last: last)
        // `end = 1`, `do = 2`: assignments to variables named like keywords are not statements of that kind.
        if isPunctuator(h + 1, "=", last: last) { return false }

        var closedByLabel = false
        if let label {
            while let top = openLoops.last, top.terminalLabel == label {
                openLoops.removeLast()
                close(top, at: k, complete: true)
                closedByLabel = true
            }
        }

        if w0 == .do {
            var i = h + 1
            var terminal: String?
            if i <= last && token(i).kind == .number {
                terminal = context.text(sig[i])
                i += 1
                if isPunctuator(i, ",", last: last) { i += 1 }
            }
            let next = word(i, last: last)
            let kind: LoopKind = next == .while ? .fortranDoWhile : next == .concurrent ? .fortranDoConcurrent : .fortranDo
            openLoops.append(OpenLoop(kind: kind, first: k, terminalLabel: terminal, name: constructName,
                                      directive: pending, depth: openLoops.count, function: currentFunction(),
                                      unitDepth: units.count))
            return true
        }
        if (w0 == .end && w1 == .do) || w0 == .enddo {
            if !closedByLabel, let top = openLoops.popLast() { close(top, at: k, complete: true) }
            return false
        }
        if w0 == .end || w0.mergedEnd != nil {
            let target = w0 == .end ? (w1 == .block ? (word(h + 2, last: last) == .data ? .blockdata : .block) : w1)
                : w0.mergedEnd ?? .notAWord
            if target.endsUnit {
                popUnit(at: k) { kind in
                    if case .interface = kind { return false }
                    if case .typeDefinition = kind { return false }
                    return true
                }
            } else if target == .interface {
                popUnit(at: k) { kind in
                    if case .interface = kind { return true }
                    return false
                }
            } else if target == .type {
                popUnit(at: k) { kind in
                    if case .typeDefinition = kind { return true }
                    return false
                }
            }
            return false
        }
        if let (kind, nameIndex) = subprogramStart(h, last: last) {
            if let top = units.last, case .interface = top.kind {
                units.append(Unit(kind: .subprogram(function: nil), firstItem: k))
                return false
            }
            let start = token(item.first)
            let header = token(last)
            functions.append(FunctionSpan(
                name: context.text(sig[nameIndex]), kind: kind,
                span: SourceSpan(start: start.start, end: header.end, startLine: start.line, startColumn: start.column,
                                 endLine: context.endLine(sig[last])),
                bodyStart: header.end, parent: currentFunction(), isComplete: false))
            units.append(Unit(kind: .subprogram(function: functions.count - 1), firstItem: k))
            return false
        }
        switch w0 {
        case .program where isName(h + 1, last: last):
            units.append(Unit(kind: .program, firstItem: k))
        case .module where isName(h + 1, last: last) && h + 1 == last:
            units.append(Unit(kind: .module, firstItem: k))
        case .submodule:
            units.append(Unit(kind: .submodule, firstItem: k))
        case .blockdata:
            units.append(Unit(kind: .blockData, firstItem: k))
        case .block where w1 == .data:
            units.append(Unit(kind: .blockData, firstItem: k))
        case .interface:
            units.append(Unit(kind: .interface, firstItem: k))
        case .abstract where w1 == .interface:
            units.append(Unit(kind: .interface, firstItem: k))
        case .type where !isPunctuator(h + 1, "(", last: last) && w1 != .is && h + 1 <= last:
            units.append(Unit(kind: .typeDefinition, firstItem: k))
        default:
            break
        }
        return false
    }

    /// `[prefixes] [type-spec] function|subroutine name` (prefixes include CUDA Fortran's `attributes(...)`), or
    /// `module procedure name` (a separate module procedure).
    private func subprogramStart(_ h: Int, last: Int) -> (FunctionKind, Int)? {
        if word(h, last: last) == .module && word(h + 1, last: last) == .procedure {
            return isName(h + 2, last: last) && h + 2 == last ? (.procedure, h + 2) : nil
        }
        var i = h
        while i <= last {
            let w = word(i, last: last)
            if w.isPrefix {
                i += 1
                continue
            }
            if w == .double {
                i += 2
                continue
            }
            // CUDA Fortran: `attributes(global) subroutine kernel(...)`.
            if w == .attributes && isPunctuator(i + 1, "(", last: last) {
                i = skipGroup(i + 1, last: last)
                continue
            }
            if w.isTypeName || w == .type || w == .class {
                i += 1
                if isPunctuator(i, "*", last: last) { i += 1 }
                if isPunctuator(i, "(", last: last) {
                    i = skipGroup(i, last: last)
                } else if w != .type && w != .class && i <= last && token(i).kind == .number
                            && isPunctuator(i - 1, "*", last: last) {
                    i += 1
                }
                continue
            }
            break
        }
        let w = word(i, last: last)
        guard w == .function || w == .subroutine, isName(i + 1, last: last) else { return nil }
        return (w == .function ? .function : .subroutine, i + 1)
    }

    /// Index after the `)` closing the group that opens at `open`, within the statement.
    private func skipGroup(_ open: Int, last: Int) -> Int {
        var depth = 0
        var i = open
        while i <= last {
            if token(i).kind == .punctuator {
                if isPunctuator(i, "(", last: last) || isPunctuator(i, "(/", last: last) { depth += 1 }
                if isPunctuator(i, ")", last: last) || isPunctuator(i, "/)", last: last) {
                    depth -= 1
                    if depth == 0 { return i + 1 }
                }
            }
            i += 1
        }
        return last + 1
    }

    private func currentFunction() -> Int? {
        for unit in units.reversed() {
            if case let .subprogram(function) = unit.kind, let function { return function }
        }
        return nil
    }

    // MARK: - Closing

    private mutating func popUnit(at k: Int, where matches: (UnitKind) -> Bool) {
        // Looking only a few levels down keeps runs of unmatched `end` statements linear.
        let floor = max(0, units.count - 16)
        guard let index = units[floor...].lastIndex(where: { matches($0.kind) }) else { return }
        while units.count > index + 1, let inner = units.popLast() { closeUnit(inner, at: k - 1, complete: false) }
        if let unit = units.popLast() { closeUnit(unit, at: k, complete: true) }
    }

    private mutating func closeUnit(_ unit: Unit, at k: Int, complete: Bool) {
        // Loops opened inside the unit cannot outlive it.
        while let loop = openLoops.last, loop.unitDepth > units.count {
            openLoops.removeLast()
            close(loop, at: max(loop.first, k - 1), complete: false)
        }
        guard case let .subprogram(function) = unit.kind, let function, k >= 0, k < items.count else { return }
        let lastToken = sig[items[k].last]
        var span = functions[function].span
        span.end = max(span.end, context.tokens[lastToken].end)
        span.endLine = max(span.endLine, context.endLine(lastToken))
        functions[function].span = span
        functions[function].isComplete = complete
    }

    private mutating func close(_ loop: OpenLoop, at k: Int, complete: Bool) {
        guard k >= 0, k < items.count else { return }
        let lastIndex = max(items[loop.first].first, items[k].last)
        var endDirective: DirectiveSpan?
        if let opening = loop.directive, k + 1 < items.count, items[k + 1].isDirective,
           let candidate = directiveByToken[sig[items[k + 1].first]], candidate.info.isEnd,
           candidate.info.family == opening.info.family {
            endDirective = candidate
        }
        loops.append(LoopSpan(
            kind: loop.kind, span: context.span(from: sig[items[loop.first].first], to: sig[lastIndex]),
            label: loop.name ?? loop.terminalLabel, depth: loop.depth, function: loop.function,
            directive: loop.directive, endDirective: endDirective, isComplete: complete))
    }
}
