import CodeLexers

/// Names a Fortran file declares, by lowercase spelling: arrays, scalars, derived types and procedures.
/// Fortran cannot tell `a(i)` an array element from a function call by syntax; declarations can.
struct FortranNames {
    var arrays = ByteKeyTable.Builder(capacity: 64, foldsCase: true)
    var scalars = ByteKeyTable.Builder(capacity: 64, foldsCase: true)
    var types = ByteKeyTable.Builder(capacity: 16, foldsCase: true)
    var functions = ByteKeyTable.Builder(capacity: 16, foldsCase: true)

    static func insert(_ table: inout ByteKeyTable.Builder, _ base: UnsafePointer<UInt8>, _ token: Token) {
        table.insert(base + token.start, token.length, value: 1)
    }
}

/// Codes of the Fortran words that decide how a statement is read, looked up by bytes with case folding (a
/// string switch per statement showed in profiles).
enum FortranWord {
    static let end: Int32 = 1
    static let program: Int32 = 2
    static let block: Int32 = 3
    static let module: Int32 = 4
    static let use: Int32 = 5
    static let call: Int32 = 6
    static let type: Int32 = 7
    static let classWord: Int32 = 8
    static let parameter: Int32 = 9
    static let external: Int32 = 10
    static let intrinsic: Int32 = 11
    static let common: Int32 = 12
    static let namelist: Int32 = 13
    static let interface: Int32 = 14
    static let entry: Int32 = 15
    static let format: Int32 = 16
    static let implicit: Int32 = 17
    static let procedure: Int32 = 18
    static let generic: Int32 = 19
    static let associate: Int32 = 20
    static let attribute: Int32 = 21
    static let shapedAttribute: Int32 = 22
    static let function: Int32 = 23
    static let subroutine: Int32 = 24
    static let prefix: Int32 = 25
    static let submodule: Int32 = 26
    static let blockdata: Int32 = 27
    // The unit an `end` word closes, in the second byte: functions, program units, derived types.
    static let unitFunction: Int32 = 1 << 8
    static let unitProgram: Int32 = 2 << 8
    static let unitType: Int32 = 3 << 8

    static let table: ByteKeyTable = {
        var table = ByteKeyTable.Builder(capacity: 128, foldsCase: true)
        func set(_ words: [String], _ value: Int32) {
            for word in words { table.insert(Array(word.utf8), value: value, replace: true) }
        }
        set(["end"], end)
        set(["endsubroutine", "endfunction", "endprocedure", "endinterface"], end | unitFunction)
        set(["endprogram", "endmodule", "endsubmodule", "endblockdata"], end | unitProgram)
        set(["endtype"], end | unitType)
        set(["program"], program)
        set(["submodule"], submodule)
        set(["blockdata"], blockdata)
        set(["block"], block)
        set(["module"], module)
        set(["use"], use)
        set(["call"], call)
        set(["type"], type)
        set(["class"], classWord)
        set(["parameter"], parameter)
        set(["external"], external)
        set(["intrinsic"], intrinsic)
        set(["common"], common)
        set(["namelist"], namelist)
        set(["interface"], interface)
        set(["entry"], entry)
        set(["format"], format)
        set(["implicit"], implicit)
        set(["procedure"], procedure)
        set(["generic"], generic)
        set(["associate"], associate)
        set(["contiguous", "asynchronous", "volatile", "value", "optional", "save", "protected", "intent", "public",
             "private", "bind"], attribute)
        set(["dimension", "allocatable", "pointer", "target", "codimension"], shapedAttribute)
        set(["function"], function)
        set(["subroutine"], subroutine)
        set(["pure", "elemental", "recursive", "impure", "non_recursive"], prefix)
        return ByteKeyTable(table)
    }()

    /// The code of a keyword token, or 0.
    static func code(_ token: Token, base: UnsafePointer<UInt8>) -> Int32 {
        guard token.kind == .keyword || token.kind == .typeKeyword, token.length > 0 else { return 0 }
        return table.lookup(base + token.start, token.length) ?? 0
    }

    /// The unit an `end` statement's second word names (`end subroutine`): the same unit bits.
    static func unit(of code: Int32) -> Int32 {
        switch code & 0xFF {
        case function, subroutine, procedure, interface: return unitFunction
        case program, module, submodule, blockdata, block: return unitProgram
        case type: return unitType
        default: return 0
        }
    }
}

/// Splits Fortran tokens into statements and directives and classifies each statement from its leading
/// keywords: program-unit headers, declarations (arrays by their dimensions), `call`, derived types, `use`,
/// I/O specifier lists and expressions.
struct FortranDriver {
    let lexer: Lexer
    let bytes: UnsafeRawBufferPointer
    let base: UnsafePointer<UInt8>
    let fixedForm: Bool
    private var names = FortranNames()
    private var inTypeDefinition = false

    init(lexer: Lexer, bytes: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>, fixedForm: Bool) {
        self.lexer = lexer
        self.bytes = bytes
        self.base = base
        self.fixedForm = fixedForm
    }

    enum Item {
        case statement(Range<Int>)
        case newline(Int)
        case directive(Token)
    }

    mutating func run(tokens: [Token], into builder: inout DocumentBuilder) {
        var statementTokens: [Token] = []
        statementTokens.reserveCapacity(tokens.count)
        var items: [Item] = []
        var start = 0
        var pendingEnd = false
        var continued = false
        var lastEnd = 0

        func flush(newline: Bool) {
            if statementTokens.count > start { items.append(.statement(start..<statementTokens.count)) }
            start = statementTokens.count
            if newline { items.append(.newline(lastEnd)) }
            pendingEnd = false
        }

        for token in tokens {
            switch token.kind {
            case .whitespace, .comment:
                continue
            case .newline:
                if continued {
                    continued = false
                } else if statementTokens.count > start {
                    pendingEnd = true
                }
            case .continuation:
                if pendingEnd {
                    // A fixed-form column-6 mark (or a free-form leading `&`): the statement goes on.
                    pendingEnd = false
                } else {
                    continued = true
                }
            case .directive:
                flush(newline: pendingEnd)
                items.append(.directive(token))
                continued = false
            default:
                if pendingEnd || (token.kind == .directiveIntroducer && statementTokens.count > start) {
                    flush(newline: true)
                }
                statementTokens.append(token)
                lastEnd = token.end
                if token.kind == .punctuator && token.length == 1 && base[token.start] == UInt8(ascii: ";") {
                    flush(newline: false)
                }
            }
        }
        flush(newline: true)

        // Pass 1: declarations, so that `a(i)` before or after `real :: a(n)` reads as an array.
        var roles: [Role] = []
        for item in items {
            if case .statement(let range) = item {
                roles.removeAll(keepingCapacity: true)
                roles.append(contentsOf: repeatElement(.fixed, count: range.count))
                classify(statementTokens[range], roles: &roles, collect: true)
            }
        }
        inTypeDefinition = false
        // Pass 2: roles, in source order.
        for item in items {
            switch item {
            case .statement(let range):
                roles.removeAll(keepingCapacity: true)
                roles.append(contentsOf: repeatElement(.fixed, count: range.count))
                let statement = statementTokens[range]
                classify(statement, roles: &roles, collect: false)
                for (offset, token) in statement.enumerated() {
                    if offset == 0 && token.kind == .directiveIntroducer {
                        addSentinel(token, into: &builder)
                    } else {
                        builder.add(roles[offset], start: token.start, end: token.end, unknown: unknownKind(token))
                    }
                }
            case .newline(let offset):
                builder.addNewline(at: offset)
            case .directive(let token):
                directive(token, into: &builder)
            }
        }
    }

    // MARK: Token helpers

    /// Whether a token spells `word` (lowercase ASCII), ignoring case.
    private func spells(_ token: Token, _ word: StaticString) -> Bool {
        guard token.length == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for k in 0..<token.length where ByteKeyTable.fold(base[token.start + k]) != expected[k] { return false }
        return true
    }

    private func isWord(_ token: Token) -> Bool {
        token.kind == .identifier || token.kind == .keyword || token.kind == .typeKeyword
    }

    private func isPunctuator(_ token: Token, _ text: StaticString) -> Bool {
        token.kind == .punctuator && spells(token, text)
    }

    private func lowercase(_ token: Token) -> String {
        String(decoding: (token.start..<token.end).map { ByteKeyTable.fold(base[$0]) }, as: UTF8.self)
    }

    /// Index after the parenthesis group opening at `open` (or the end).
    private func skipGroup(_ tokens: ArraySlice<Token>, _ open: Int) -> Int {
        var depth = 0
        var j = open
        while j < tokens.endIndex {
            let token = tokens[j]
            if token.kind == .punctuator {
                if isPunctuator(token, "(") || isPunctuator(token, "(/") { depth += 1 }
                if isPunctuator(token, ")") || isPunctuator(token, "/)") {
                    depth -= 1
                    if depth <= 0 { return j + 1 }
                }
            }
            j += 1
        }
        return j
    }

    // MARK: Statements

    private mutating func classify(_ s: ArraySlice<Token>, roles: inout [Role], collect: Bool) {
        let o = s.startIndex
        func set(_ j: Int, _ role: Role) { if j >= o && j < s.endIndex { roles[j - o] = role } }
        // Defaults: literals and names.
        for j in s.indices {
            switch s[j].kind {
            case .number, .label: roles[j - o] = .number
            case .string, .character: roles[j - o] = .string
            case .identifier: roles[j - o] = .variable
            case .unknown: roles[j - o] = .raw
            default: roles[j - o] = .fixed
            }
        }
        var k = o
        if k < s.endIndex && s[k].kind == .directiveIntroducer { k += 1 }
        if k < s.endIndex && s[k].kind == .label { k += 1 }
        if k + 1 < s.endIndex && s[k].kind == .identifier && isPunctuator(s[k + 1], ":") {
            set(k, .variableDecl)
            k += 2
        }
        guard k < s.endIndex else { return }
        let first = s[k]
        let word = first.kind == .identifier ? 0 : FortranWord.code(first, base: base)
        let wordCode = word & 0xFF

        if let header = unitHeader(s, from: k) {
            expression(s, from: k, to: header, roles: &roles, keywordOwned: true)
            let name = header + 1
            if name < s.endIndex && s[name].kind == .identifier {
                set(name, .functionDecl)
                if collect { FortranNames.insert(&names.functions, base, s[name]) }
            }
            var j = name + 1
            if j < s.endIndex && isPunctuator(s[j], "(") {
                let close = skipGroup(s, j)
                for a in (j + 1)..<max(j + 1, close - 1) where s[a].kind == .identifier { set(a, .argumentDecl) }
                j = close
            }
            while j < s.endIndex {
                if spells(s[j], "result"), j + 2 < s.endIndex, s[j + 2].kind == .identifier {
                    set(j + 2, .variableDecl)
                    j += 3
                } else if spells(s[j], "bind") {
                    let close = skipGroup(s, j + 1)
                    for a in j..<close where s[a].kind == .identifier { set(a, .word) }
                    j = close
                } else {
                    j += 1
                }
            }
            return
        }

        switch wordCode {
        case FortranWord.end:
            var unit = word & 0xFF00
            var j = k + 1
            if unit == 0, j < s.endIndex, s[j].kind == .keyword {
                var code = FortranWord.code(s[j], base: base) & 0xFF
                j += 1
                if code == FortranWord.block, j < s.endIndex, spells(s[j], "data") {
                    code = FortranWord.blockdata
                    j += 1
                }
                unit = FortranWord.unit(of: code)
            }
            if unit == FortranWord.unitType { inTypeDefinition = false }
            if j < s.endIndex && s[j].kind == .identifier {
                if unit == FortranWord.unitFunction { set(j, .function) }
                else if unit == FortranWord.unitProgram || unit == FortranWord.unitType { set(j, .type) }
            }
        case FortranWord.program, FortranWord.submodule, FortranWord.blockdata:
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier {
                set(j, j == s.endIndex - 1 ? .typeDecl : .type)
            }
        case FortranWord.block:
            if k + 2 < s.endIndex, spells(s[k + 1], "data"), s[k + 2].kind == .identifier { set(k + 2, .typeDecl) }
        case FortranWord.module:
            if k + 1 < s.endIndex, spells(s[k + 1], "procedure") {
                for j in (k + 2)..<s.endIndex where s[j].kind == .identifier { set(j, .functionDecl) }
            } else if k + 1 < s.endIndex, s[k + 1].kind == .identifier {
                set(k + 1, .typeDecl)
            }
        case FortranWord.use:
            var j = k + 1
            var moduleNamed = false
            while j < s.endIndex {
                let token = s[j]
                if token.kind == .identifier && !moduleNamed {
                    set(j, .type)
                    moduleNamed = true
                }
                j += 1
            }
        case FortranWord.call:
            expression(s, from: k + 1, to: s.endIndex, roles: &roles, keywordOwned: false, callee: true)
        case FortranWord.type where k + 1 < s.endIndex && !isPunctuator(s[k + 1], "("):
            if k + 1 < s.endIndex && spells(s[k + 1], "is") {
                for j in (k + 2)..<s.endIndex where s[j].kind == .identifier { set(j, .type) }
                return
            }
            // `type [, attributes ::] name [(parameters)]`: a derived-type definition.
            var nameIndex = -1
            if let colons = s[(k + 1)...].firstIndex(where: { isPunctuator($0, "::") }) {
                nameIndex = s[(colons + 1)...].firstIndex(where: { $0.kind == .identifier }) ?? -1
                for j in (k + 1)..<colons where s[j].kind == .identifier {
                    set(j, j > k + 1 && isPunctuator(s[j - 1], "(") && j > k + 2 && spells(s[j - 2], "extends")
                        ? .type : .word)
                }
            } else {
                nameIndex = s[(k + 1)...].firstIndex(where: { $0.kind == .identifier }) ?? -1
            }
            if nameIndex >= 0 {
                set(nameIndex, .typeDecl)
                if collect { FortranNames.insert(&names.types, base, s[nameIndex]) }
            }
            inTypeDefinition = true
        case FortranWord.classWord where k + 1 < s.endIndex && (spells(s[k + 1], "is") || spells(s[k + 1], "default")):
            for j in (k + 2)..<s.endIndex where s[j].kind == .identifier { set(j, .type) }
        case FortranWord.parameter:
            expression(s, from: k + 1, to: s.endIndex, roles: &roles, keywordOwned: false)
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier && j + 1 < s.endIndex && isPunctuator(s[j + 1], "=")
                && (isPunctuator(s[j - 1], "(") || isPunctuator(s[j - 1], ",")) {
                set(j, .variableDecl)
                if collect { FortranNames.insert(&names.scalars, base, s[j]) }
            }
        case FortranWord.external:
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier {
                set(j, .functionDecl)
                if collect { FortranNames.insert(&names.functions, base, s[j]) }
            }
        case FortranWord.intrinsic:
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier { set(j, .function) }
        case FortranWord.common, FortranWord.namelist:
            entityList(s, from: k + 1, roles: &roles, collect: collect, arrays: wordCode == FortranWord.common,
                       slashNames: true)
        case FortranWord.interface:
            if k + 1 < s.endIndex && s[k + 1].kind == .identifier { set(k + 1, .functionDecl) }
        case FortranWord.entry:
            if k + 1 < s.endIndex && s[k + 1].kind == .identifier { set(k + 1, .functionDecl) }
            for j in (k + 2)..<s.endIndex where s[j].kind == .identifier { set(j, .argumentDecl) }
        case FortranWord.format:
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier { set(j, .raw) }
        case FortranWord.implicit:
            break
        case FortranWord.procedure, FortranWord.generic:
            procedureStatement(s, from: k, roles: &roles, collect: collect)
        case FortranWord.associate:
            expression(s, from: k + 1, to: s.endIndex, roles: &roles, keywordOwned: true)
            for j in (k + 1)..<s.endIndex where s[j].kind == .identifier && j + 1 < s.endIndex && isPunctuator(s[j + 1], "=>") {
                set(j, .variableDecl)
            }
        default:
            if wordCode == FortranWord.attribute || wordCode == FortranWord.shapedAttribute {
                var j = k + 1
                if j < s.endIndex && isPunctuator(s[j], "(") {
                    let close = skipGroup(s, j)
                    expression(s, from: j, to: close, roles: &roles, keywordOwned: true)
                    j = close
                }
                let arrays = wordCode == FortranWord.shapedAttribute
                entityList(s, from: j, roles: &roles, collect: collect, arrays: arrays, slashNames: false,
                           declares: arrays)
            } else if isDeclaration(s, at: k) {
                declaration(s, from: k, roles: &roles, collect: collect)
            } else {
                expression(s, from: k, to: s.endIndex, roles: &roles, keywordOwned: false)
            }
        }
    }

    /// When the statement from `k` is a function or subroutine header, the index of `function`/`subroutine`.
    private func unitHeader(_ s: ArraySlice<Token>, from k: Int) -> Int? {
        var j = k
        while j < s.endIndex {
            let token = s[j]
            if token.kind == .keyword {
                let code = FortranWord.code(token, base: base) & 0xFF
                if code == FortranWord.function || code == FortranWord.subroutine { return j }
                if code == FortranWord.prefix || code == FortranWord.module {
                    j += 1
                    continue
                }
                if (code == FortranWord.type || code == FortranWord.classWord) && j + 1 < s.endIndex
                    && isPunctuator(s[j + 1], "(") {
                    j = skipGroup(s, j + 1)
                    continue
                }
                return nil
            }
            if token.kind == .typeKeyword {
                j += 1
                if j < s.endIndex && isPunctuator(s[j], "(") {
                    j = skipGroup(s, j)
                } else if j < s.endIndex && isPunctuator(s[j], "*") {
                    j += 1
                    if j < s.endIndex && isPunctuator(s[j], "(") { j = skipGroup(s, j) } else { j += 1 }
                }
                continue
            }
            return nil
        }
        return nil
    }

    private func isDeclaration(_ s: ArraySlice<Token>, at k: Int) -> Bool {
        let first = s[k]
        if first.kind == .typeKeyword {
            // `real(8) function` was caught as a header; `real = 1` would lex `real` as a name.
            return true
        }
        guard first.kind == .keyword else { return false }
        if (spells(first, "type") || spells(first, "class")) && k + 1 < s.endIndex && isPunctuator(s[k + 1], "(") {
            return true
        }
        return false
    }

    /// `type-spec [, attributes] [::] entity, entity, ...`
    private mutating func declaration(_ s: ArraySlice<Token>, from k: Int, roles: inout [Role], collect: Bool) {
        let o = s.startIndex
        var j = k
        var typeNamed = false
        // The type specifier.
        while j < s.endIndex && (s[j].kind == .typeKeyword || (!typeNamed && s[j].kind == .keyword)) {
            let isDerived = s[j].kind == .keyword
            typeNamed = true
            j += 1
            if j < s.endIndex && isPunctuator(s[j], "(") {
                let close = skipGroup(s, j)
                if isDerived {
                    for a in (j + 1)..<max(j + 1, close - 1) where s[a].kind == .identifier { roles[a - o] = .type }
                } else {
                    expression(s, from: j, to: close, roles: &roles, keywordOwned: true)
                }
                j = close
            } else if j < s.endIndex && isPunctuator(s[j], "*") {
                j += 1
                if j < s.endIndex && isPunctuator(s[j], "(") {
                    let close = skipGroup(s, j)
                    expression(s, from: j, to: close, roles: &roles, keywordOwned: true)
                    j = close
                } else {
                    j += 1
                }
            }
            if isDerived { break }
        }
        // Attributes.
        var dimensioned = false
        var external = false
        while j < s.endIndex && isPunctuator(s[j], ",") {
            j += 1
            guard j < s.endIndex else { break }
            if spells(s[j], "dimension") || spells(s[j], "codimension") { dimensioned = true }
            if spells(s[j], "external") { external = true }
            j += 1
            if j < s.endIndex && isPunctuator(s[j], "(") {
                let close = skipGroup(s, j)
                expression(s, from: j, to: close, roles: &roles, keywordOwned: true)
                j = close
            }
        }
        if j < s.endIndex && isPunctuator(s[j], "::") { j += 1 }
        entityList(s, from: j, roles: &roles, collect: collect, arrays: true, slashNames: false, declares: true,
                   dimensioned: dimensioned, external: external)
    }

    /// `name [(dims)] [*len] [= init], ...`; `/name/` groups (common, namelist) when `slashNames`.
    private mutating func entityList(_ s: ArraySlice<Token>, from start: Int, roles: inout [Role], collect: Bool,
                                     arrays: Bool, slashNames: Bool, declares: Bool = true, dimensioned: Bool = false,
                                     external: Bool = false) {
        let o = s.startIndex
        var j = start
        var inSlashes = false
        while j < s.endIndex {
            let token = s[j]
            if slashNames && isPunctuator(token, "/") {
                inSlashes.toggle()
                j += 1
                continue
            }
            guard token.kind == .identifier, !inSlashes else {
                if !(token.kind == .punctuator) || isPunctuator(token, ",") {
                    j += 1
                    continue
                }
                // An initializer or anything else: read as an expression up to the next top-level comma.
                var end = j
                var depth = 0
                while end < s.endIndex {
                    if isPunctuator(s[end], "(") || isPunctuator(s[end], "(/") || isPunctuator(s[end], "[") { depth += 1 }
                    if isPunctuator(s[end], ")") || isPunctuator(s[end], "/)") || isPunctuator(s[end], "]") { depth -= 1 }
                    if depth <= 0 && isPunctuator(s[end], ",") { break }
                    end += 1
                }
                expression(s, from: j, to: end, roles: &roles, keywordOwned: false)
                j = max(end, j + 1)
                continue
            }
            let hasShape = j + 1 < s.endIndex && (isPunctuator(s[j + 1], "(") || isPunctuator(s[j + 1], "["))
            var role: Role
            if inTypeDefinition && declares {
                role = .fieldDecl
            } else if external {
                role = .functionDecl
                if collect { FortranNames.insert(&names.functions, base, token) }
            } else if arrays && (hasShape || dimensioned) {
                role = declares ? .arrayDecl : .array
                if collect { FortranNames.insert(&names.arrays, base, token) }
            } else {
                role = declares ? .variableDecl : .variable
                if collect && declares { FortranNames.insert(&names.scalars, base, token) }
            }
            roles[j - o] = role
            j += 1
            if hasShape {
                let close = skipGroup(s, j)
                expression(s, from: j, to: close, roles: &roles, keywordOwned: false)
                j = close
            }
        }
    }

    /// `procedure(iface), attrs :: p => impl` and `generic :: name => a, b`.
    private mutating func procedureStatement(_ s: ArraySlice<Token>, from k: Int, roles: inout [Role], collect: Bool) {
        let o = s.startIndex
        var j = k + 1
        if j < s.endIndex && isPunctuator(s[j], "(") {
            let close = skipGroup(s, j)
            for a in j..<close where s[a].kind == .identifier { roles[a - o] = .function }
            j = close
        }
        var afterArrow = false
        while j < s.endIndex {
            let token = s[j]
            if isPunctuator(token, "=>") { afterArrow = true }
            if isPunctuator(token, ",") && afterArrow { afterArrow = false }
            if token.kind == .identifier {
                if afterArrow {
                    roles[j - o] = .function
                } else if inTypeDefinition {
                    roles[j - o] = .fieldDecl
                } else {
                    roles[j - o] = .functionDecl
                    if collect { FortranNames.insert(&names.functions, base, token) }
                }
            }
            j += 1
        }
    }

    /// Names in an expression: `x%c` components, `a(i)` arrays or calls by declaration, `spec=` words inside a
    /// keyword's parentheses (`open(unit=10)`, `real(kind=8)`).
    private func expression(_ s: ArraySlice<Token>, from start: Int, to end: Int, roles: inout [Role],
                            keywordOwned: Bool, callee: Bool = false) {
        let o = s.startIndex
        var owners: [Bool] = [keywordOwned]
        var firstName = callee
        var j = start
        while j < min(end, s.endIndex) {
            let token = s[j]
            defer { j += 1 }
            switch token.kind {
            case .punctuator:
                if isPunctuator(token, "(") || isPunctuator(token, "(/") || isPunctuator(token, "[") {
                    let previous = j > o ? s[j - 1] : token
                    owners.append(j > o && (previous.kind == .keyword || previous.kind == .typeKeyword))
                } else if isPunctuator(token, ")") || isPunctuator(token, "/)") || isPunctuator(token, "]") {
                    if owners.count > 1 { owners.removeLast() }
                }
            case .identifier:
                let next = j + 1 < s.endIndex ? s[j + 1] : nil
                let opens = next.map { isPunctuator($0, "(") } ?? false
                if j > o && isPunctuator(s[j - 1], "%") {
                    roles[j - o] = opens && firstName ? .fieldCall : .field
                    continue
                }
                if let next, isPunctuator(next, "="), owners.last == true {
                    roles[j - o] = .word
                    continue
                }
                if firstName {
                    firstName = false
                    let followed = next.map { isPunctuator($0, "%") } ?? false
                    roles[j - o] = followed ? .variable : .function
                    continue
                }
                guard opens else {
                    roles[j - o] = .variable
                    continue
                }
                let pointer = base + token.start
                if names.arrays.lookup(pointer, token.length) != nil {
                    roles[j - o] = .array
                } else if names.types.lookup(pointer, token.length) != nil {
                    roles[j - o] = .type
                } else if names.functions.lookup(pointer, token.length) != nil {
                    roles[j - o] = .function
                } else if names.scalars.lookup(pointer, token.length) != nil {
                    roles[j - o] = .variable
                } else {
                    roles[j - o] = .function
                }
            default:
                break
            }
        }
    }

    // MARK: Directives

    /// `!$omp`, `c$omp`, `!$acc`, `!dir$`, `!$`: the lowercase sentinel, with a fixed-form `c`/`*` written `!`.
    private func addSentinel(_ token: Token, into builder: inout DocumentBuilder) {
        var text = (token.start..<token.end).map { ByteKeyTable.fold(base[$0]) }
        if text.count >= 2 && (text[0] == UInt8(ascii: "c") || text[0] == UInt8(ascii: "*")) && text[1] == UInt8(ascii: "$") {
            text[0] = UInt8(ascii: "!")
        }
        if let id = builder.vocabulary.fortranFixed.lookup(text) {
            builder.addFixed(id, start: token.start, end: token.end)
        } else {
            builder.addRaw(start: token.start, end: token.end, kind: .other)
        }
    }

    private mutating func directive(_ token: Token, into builder: inout DocumentBuilder) {
        guard token.length > 0 else { return }
        let first = base[token.start]
        if first == UInt8(ascii: "#") || first == UInt8(ascii: "%") {
            var c = CFamilyDriver(lexer: Lexer(.c, whitespace: false), bytes: bytes, base: base, cPlusPlus: false)
            c.directive(token, into: &builder)
            return
        }
        let body = lexer.directiveBody(of: token, in: bytes).filter {
            switch $0.kind {
            case .whitespace, .newline, .comment, .continuation: return false
            default: return true
            }
        }
        guard let introducer = body.first, introducer.kind == .directiveIntroducer else {
            builder.addRaw(start: token.start, end: token.end, kind: .other)
            builder.addNewline(at: token.end)
            return
        }
        addSentinel(introducer, into: &builder)
        let lower = lowercase(introducer)
        let parallel = lower.hasSuffix("omp") || lower.hasSuffix("acc")
        let words = Array(body.dropFirst().filter { $0.kind != .directiveIntroducer })
        var roles = [Role](repeating: .fixed, count: words.count)
        for (index, word) in words.enumerated() {
            switch word.kind {
            case .number, .label: roles[index] = .number
            case .string, .character: roles[index] = .string
            case .identifier: roles[index] = parallel ? .variable : .word
            case .unknown: roles[index] = .raw
            case .keyword, .typeKeyword: roles[index] = parallel ? .directiveWord : .fixed
            default: roles[index] = .fixed
            }
        }
        if parallel { expression(words[...], from: 0, to: words.count, roles: &roles, keywordOwned: false) }
        for (index, word) in words.enumerated() {
            builder.add(roles[index], start: word.start, end: word.end, unknown: unknownKind(word))
        }
        builder.addNewline(at: token.end)
    }
}
