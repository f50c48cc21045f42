import CodeLexers

/// Names known to be types in a C-family file: struct/union/enum/class tags, typedef and alias names,
/// template type parameters, and identifiers seen in unambiguous type positions.
struct KnownTypes {
    private var table = ByteKeyTable.Builder(capacity: 64)
    /// Object-like macros the file defines (other than as types); nil when there are none.
    private var macros: ByteKeyTable.Builder?

    mutating func add(_ base: UnsafePointer<UInt8>, _ token: Token) {
        guard token.length > 0 else { return }
        table.insert(base + token.start, token.length, value: 1)
    }

    func contains(_ base: UnsafePointer<UInt8>, _ token: Token) -> Bool {
        token.length > 0 && table.lookup(base + token.start, token.length) != nil
    }

    mutating func addMacro(_ base: UnsafePointer<UInt8>, _ token: Token) {
        guard token.length > 0 else { return }
        if macros == nil { macros = ByteKeyTable.Builder(capacity: 64) }
        macros?.insert(base + token.start, token.length, value: 1)
    }

    func isMacro(_ base: UnsafePointer<UInt8>, _ token: Token) -> Bool {
        token.length > 0 && macros?.lookup(base + token.start, token.length) != nil
    }

    /// Finds declared type names before classification, so that a cast or `sizeof` before the declaration's own
    /// position still sees them.
    mutating func collect(_ tokens: [Token], codes: [UInt8], base: UnsafePointer<UInt8>) {
        var i = 0
        let count = tokens.count
        func code(_ j: Int) -> UInt8 { j < count ? codes[j] : 0 }
        while i < count {
            switch codes[i] {
            case TokenCode.keywordStruct, TokenCode.keywordUnion, TokenCode.keywordEnum, TokenCode.keywordClass,
                 TokenCode.keywordTypename:
                var j = i + 1
                if code(j) == TokenCode.keywordClass || code(j) == TokenCode.keywordStruct { j += 1 }
                if code(j) == TokenCode.identifier { add(base, tokens[j]) }
            case TokenCode.keywordUsing:
                if code(i + 1) == TokenCode.identifier && code(i + 2) == TokenCode.assign { add(base, tokens[i + 1]) }
            case TokenCode.keywordTypedef:
                // The names of a typedef: identifiers right before `,` or `;` at its own level, and `(*name)`.
                var j = i + 1
                var braces = 0
                var parens = 0
                var last = -1
                while j < count && j - i < 100_000 {
                    let c = codes[j]
                    if c == TokenCode.leftBrace { braces += 1 }
                    else if c == TokenCode.rightBrace { braces -= 1; if braces < 0 { break } }
                    else if c == TokenCode.leftParen {
                        if braces == 0 && code(j + 1) == TokenCode.star && code(j + 2) == TokenCode.identifier
                            && code(j + 3) == TokenCode.rightParen {
                            add(base, tokens[j + 2])
                        }
                        parens += 1
                    } else if c == TokenCode.rightParen { parens -= 1 }
                    else if c == TokenCode.identifier && braces == 0 && parens == 0 { last = j }
                    else if braces == 0 && parens <= 0 && (c == TokenCode.comma || c == TokenCode.semicolon) {
                        if last >= 0 { add(base, tokens[last]) }
                        last = -1
                        if c == TokenCode.semicolon { break }
                    }
                    j += 1
                }
                i = max(i, j - 1)
            default:
                break
            }
            i += 1
        }
    }
}

/// Classifies the significant tokens of C, C++, CUDA or OpenCL C code the way tree-sitter's grammar and
/// Tokompiler's context rules would, from token context alone: a bracket-structured state machine that tracks
/// declarations, parameter lists, record bodies, calls, templates and casts.
struct CFamilyClassifier {
    enum FrameKind: UInt8 {
        case file, block, record, enumBody, initList, params, templateParams, templateArgs, call, paren, control,
             forControl, subscriptExpression, arraySize, attribute, lambdaCapture, declParen
    }

    enum Phase: UInt8 {
        /// At the start of a statement, member, parameter or enumerator.
        case start
        /// After declaration specifiers: the next name is a declarator.
        case specifiers
        /// After a declarator name.
        case declarator
        /// After `=` in a declaration.
        case initializer
        /// In an expression.
        case expression
        /// After a function declarator's parameter list.
        case functionTail
        /// In a constructor's member initializer list.
        case memberInit
        /// After `class X :` before the body.
        case classHead
        /// After `case` or `default` before its colon.
        case caseLabel
    }

    enum Hint: UInt8 {
        case none, params, call, control, forControl, typeParen, attribute, member, tag, typeName, label, namespaceName,
             recordBody, enumBody, namespaceBody, initList, lambda, lambdaBody, templateParams, templateArgs,
             typeParameterName, labelColon, accessColon, aliasName, arraySize
    }

    struct Frame {
        var kind: FrameKind
        var phase: Phase
        var typedef = false
        var sawType = false
        /// The type is a name or deduced (`T`, `struct s`, `auto`), not built in: a variable of it may be callable
        /// (a function pointer type, a lambda), so calls of the variable keep it a `func`.
        var namedType = false
        /// Where the frame's first token is (for casts).
        var first = 0
        /// A parenthesis after `sizeof`-like keywords may hold a type.
        var typeContext = false
        /// The role of the name in a parenthesized declarator.
        var declaratorRole: Role = .variableDecl
        /// Closing the frame ends a statement in the parent (function bodies, compound statements).
        var endsStatement = false
        /// A lambda's parameter list or body.
        var lambda = false
        /// A parameter list of names only, as an old-style (K&R) definition has: there a lone name is a parameter,
        /// in any other list a type.
        var identifierList = false
    }

    let base: UnsafePointer<UInt8>
    let tokens: [Token]
    let codes: [UInt8]
    let cPlusPlus: Bool
    private(set) var roles: [Role]
    private var frames: [Frame]
    private var hint: Hint = .none
    private var tagCode: UInt8 = 0
    /// Tokens up to this index are parts of an operator function's name (`operator()`).
    private var operatorNameEnd = -1
    private var operatorOpenHint: Hint = .none
    private var externBrace = -1

    /// `root` is `.file` for a whole file, `.block` for a macro body, `.paren` for an expression (`#if`, a pragma).
    init(tokens: [Token], codes: [UInt8], base: UnsafePointer<UInt8>, cPlusPlus: Bool, root: FrameKind) {
        self.base = base
        self.tokens = tokens
        self.codes = codes
        self.cPlusPlus = cPlusPlus
        roles = [Role](repeating: .fixed, count: tokens.count)
        frames = [Frame(kind: root, phase: root == .paren ? .expression : .start)]
        frames.reserveCapacity(32)
    }

    @inline(__always)
    private func code(_ i: Int) -> UInt8 { i >= 0 && i < codes.count ? codes[i] : 0 }

    @inline(__always)
    private func bytesEqual(_ i: Int, _ text: StaticString) -> Bool {
        guard i >= 0 && i < tokens.count else { return false }
        let token = tokens[i]
        guard token.length == text.utf8CodeUnitCount else { return false }
        let expected = text.utf8Start
        for k in 0..<token.length where base[token.start + k] != expected[k] { return false }
        return true
    }

    private var top: Frame {
        get { frames[frames.count - 1] }
        set { frames[frames.count - 1] = newValue }
    }

    private mutating func push(_ kind: FrameKind, phase: Phase, at index: Int) {
        var frame = Frame(kind: kind, phase: phase)
        frame.first = index + 1
        frames.append(frame)
    }

    private func isOperandEnd(_ i: Int) -> Bool {
        switch code(i) {
        case TokenCode.identifier, TokenCode.literal, TokenCode.rightParen, TokenCode.rightBracket,
             TokenCode.keywordValue:
            return true
        default:
            return false
        }
    }

    private func isStatementFrame(_ kind: FrameKind) -> Bool {
        kind == .file || kind == .block || kind == .record
    }

    mutating func run(knownTypes: inout KnownTypes) {
        for i in tokens.indices { step(i, &knownTypes) }
    }

    // MARK: One token

    private mutating func step(_ i: Int, _ known: inout KnownTypes) {
        let c = codes[i]
        let h = hint
        hint = .none
        if i <= operatorNameEnd {
            roles[i] = tokens[i].kind == .identifier ? .type : (tokens[i].kind == .string ? .string : .fixed)
            if i == operatorNameEnd { hint = operatorOpenHint }
            return
        }
        if c == TokenCode.identifier {
            identifier(i, h, &known)
        } else if c == TokenCode.literal {
            switch tokens[i].kind {
            case .number: roles[i] = .number
            case .character: roles[i] = .character
            default: roles[i] = .string
            }
            if top.phase == .start { top.phase = .expression }
            if i + 1 == externBrace { hint = .namespaceBody }
        } else if TokenCode.isKeyword(c) {
            roles[i] = .fixed
            keyword(i, c, h, &known)
        } else if c == TokenCode.otherToken {
            roles[i] = tokens[i].kind == .headerName ? .header : .raw
        } else {
            roles[i] = .fixed
            punctuator(i, c, h)
        }
    }

    // MARK: Punctuators

    private mutating func punctuator(_ i: Int, _ c: UInt8, _ h: Hint) {
        switch c {
        case TokenCode.leftParen: openParen(i, h)
        case TokenCode.rightParen: closeParen(i)
        case TokenCode.leftBrace: openBrace(i, h)
        case TokenCode.rightBrace: closeBrace()
        case TokenCode.leftBracket:
            if h == .arraySize {
                push(.arraySize, phase: .expression, at: i)
            } else if top.kind == .attribute {
                push(.attribute, phase: .expression, at: i)
            } else if !isOperandEnd(i - 1) && code(i + 1) == TokenCode.leftBracket {
                push(.attribute, phase: .expression, at: i)
            } else if cPlusPlus && !isOperandEnd(i - 1) && top.phase != .specifiers && top.phase != .declarator {
                push(.lambdaCapture, phase: .expression, at: i)
            } else {
                if top.phase == .start { top.phase = .expression }
                push(.subscriptExpression, phase: .expression, at: i)
            }
        case TokenCode.rightBracket:
            if let index = frames.lastIndex(where: { Self.isBracketFrame($0.kind) }), index > 0, !frames[(index + 1)...].contains(where: { isBraceFrame($0.kind) }) {
                let popped = frames[index]
                frames.removeSubrange(index...)
                if popped.kind == .lambdaCapture { hint = .lambda }
                if popped.kind == .arraySize && code(i + 1) == TokenCode.leftBracket { hint = .arraySize }
            }
        case TokenCode.semicolon:
            if top.kind == .forControl {
                top.phase = .expression
                return
            }
            while frames.count > 1 && !isBraceFrame(top.kind) && top.kind != .forControl { frames.removeLast() }
            if top.kind == .forControl {
                top.phase = .expression
            } else {
                top.phase = .start
                top.typedef = false
                top.sawType = false
                top.namedType = false
            }
        case TokenCode.comma:
            switch top.kind {
            case .params, .templateParams, .enumBody:
                top.phase = .start
                top.sawType = false
                top.namedType = false
            case .file, .block, .record, .forControl:
                switch top.phase {
                case .declarator, .initializer, .specifiers, .functionTail: top.phase = .specifiers
                default: break
                }
            default:
                break
            }
        case TokenCode.assign:
            switch top.phase {
            case .declarator, .functionTail, .specifiers: top.phase = .initializer
            case .start: top.phase = .expression
            default: break
            }
        case TokenCode.colon:
            if h == .labelColon || h == .accessColon {
                top.phase = .start
            } else if top.phase == .caseLabel {
                top.phase = .start
            } else if top.phase == .functionTail && cPlusPlus {
                top.phase = .memberInit
            } else if top.kind == .record && top.phase == .declarator {
                top.phase = .initializer
            } else if top.kind == .forControl {
                top.phase = .expression
            }
        case TokenCode.less:
            if h == .templateParams {
                push(.templateParams, phase: .start, at: i)
            } else if h == .templateArgs {
                push(.templateArgs, phase: .expression, at: i)
            } else if top.phase == .start {
                top.phase = .expression
            }
        case TokenCode.greater:
            closeTemplate(i, levels: 1)
        case TokenCode.shiftRight:
            closeTemplate(i, levels: 2)
        case TokenCode.dot, TokenCode.arrow, TokenCode.memberPointer:
            if c == TokenCode.arrow && top.phase == .functionTail {
                hint = .typeName
            } else {
                hint = .member
            }
        case TokenCode.scope:
            // The name after `::` is read in the same context as a name in the qualifier's place.
            hint = h == .typeName ? .typeName : .none
        case TokenCode.launchOpen:
            push(.call, phase: .expression, at: i)
        case TokenCode.launchClose:
            if let index = frames.lastIndex(where: { $0.kind == .call }), index > 0,
               !frames[(index + 1)...].contains(where: { isBraceFrame($0.kind) }) {
                frames.removeSubrange(index...)
            }
        case TokenCode.star, TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.caret:
            if top.phase == .start { top.phase = .expression }
        case TokenCode.tilde:
            if top.phase == .start && !(top.kind == .record || top.kind == .file) { top.phase = .expression }
        case TokenCode.ellipsis:
            break
        default:
            if top.phase == .start { top.phase = .expression }
        }
    }

    private static func isBracketFrame(_ kind: FrameKind) -> Bool {
        switch kind {
        case .subscriptExpression, .arraySize, .lambdaCapture, .attribute: return true
        default: return false
        }
    }

    private static func isParenFrame(_ kind: FrameKind) -> Bool {
        switch kind {
        case .params, .call, .control, .forControl, .paren, .attribute, .declParen: return true
        default: return false
        }
    }

    private func isBraceFrame(_ kind: FrameKind) -> Bool {
        switch kind {
        case .file, .block, .record, .enumBody, .initList: return true
        default: return false
        }
    }

    private mutating func closeTemplate(_ i: Int, levels: Int) {
        var remaining = levels
        var closed = false
        while remaining > 0 && frames.count > 1 && (top.kind == .templateArgs || top.kind == .templateParams) {
            let popped = frames.removeLast()
            remaining -= 1
            closed = true
            if popped.kind == .templateParams { top.phase = .start }
        }
        if closed {
            let next = code(i + 1)
            if next == TokenCode.leftParen {
                hint = .call
            }
        } else if top.phase == .start {
            top.phase = .expression
        }
    }

    private mutating func openParen(_ i: Int, _ h: Hint) {
        switch h {
        case .params, .lambda:
            push(.params, phase: .start, at: i)
            top.lambda = h == .lambda
            top.identifierList = h == .params && isIdentifierList(i)
        case .call:
            push(.call, phase: .expression, at: i)
        case .control:
            push(.control, phase: .expression, at: i)
        case .forControl:
            push(.forControl, phase: .start, at: i)
        case .typeParen:
            push(.paren, phase: .expression, at: i)
            top.typeContext = true
        case .attribute:
            push(.attribute, phase: .expression, at: i)
        default:
            if top.kind == .attribute {
                push(.attribute, phase: .expression, at: i)
            } else if top.phase == .specifiers {
                // A parenthesized declarator: `(*fp)(int)`, `(*a)[3]`, `(name)`.
                let role = parenthesizedDeclaratorRole(i)
                push(.declParen, phase: .specifiers, at: i)
                top.sawType = true
                top.declaratorRole = role
            } else {
                if top.phase == .start && (isStatementFrame(top.kind) || top.kind == .forControl) {
                    top.phase = .expression
                }
                push(.paren, phase: .expression, at: i)
            }
        }
    }

    /// The role of the name inside a parenthesized declarator, from what follows its closing parenthesis.
    private func parenthesizedDeclaratorRole(_ open: Int) -> Role {
        let statement = top
        if statement.typedef { return .typeDecl }
        if statement.kind == .declParen { return statement.declaratorRole }
        var depth = 0
        var j = open
        while j < codes.count && j - open < 4096 {
            let c = codes[j]
            if c == TokenCode.leftParen { depth += 1 }
            if c == TokenCode.rightParen {
                depth -= 1
                if depth == 0 { break }
            }
            j += 1
        }
        let after = code(j + 1)
        if statement.kind == .record {
            return .fieldDecl
        }
        if after == TokenCode.leftParen { return .functionDecl }
        if after == TokenCode.leftBracket { return .arrayDecl }
        if statement.kind == .params || statement.kind == .templateParams { return .argumentDecl }
        return statement.namedType ? .variableDecl : .objectDecl
    }

    private mutating func closeParen(_ i: Int) {
        guard let index = frames.lastIndex(where: { Self.isParenFrame($0.kind) }), index > 0, !frames[(index + 1)...].contains(where: { isBraceFrame($0.kind) }) else { return }
        let popped = frames[index]
        frames.removeSubrange(index...)
        let next = code(i + 1)
        switch popped.kind {
        case .params:
            if popped.lambda {
                hint = .lambdaBody
            } else if top.kind == .params || top.kind == .templateParams {
                top.phase = .declarator
            } else if top.phase == .declarator || top.phase == .specifiers || top.phase == .start {
                top.phase = .functionTail
            }
        case .declParen:
            top.phase = .declarator
            if next == TokenCode.leftParen { hint = .params }
            if next == TokenCode.leftBracket { hint = .arraySize }
        case .control, .forControl:
            top.phase = .start
            top.typedef = false
            top.sawType = false
            top.namedType = false
        default:
            break
        }
    }

    private mutating func openBrace(_ i: Int, _ h: Hint) {
        switch h {
        case .recordBody:
            push(.record, phase: .start, at: i)
            return
        case .enumBody:
            push(.enumBody, phase: .start, at: i)
            return
        case .namespaceBody:
            push(.file, phase: .start, at: i)
            top.endsStatement = true
            return
        case .initList:
            push(.initList, phase: .expression, at: i)
            return
        case .lambda, .lambdaBody:
            push(.block, phase: .start, at: i)
            top.lambda = true
            return
        default:
            break
        }
        switch top.phase {
        case .functionTail:
            push(.block, phase: .start, at: i)
            top.endsStatement = true
        case .memberInit:
            if code(i - 1) == TokenCode.identifier || code(i - 1) == TokenCode.greater {
                push(.initList, phase: .expression, at: i)
            } else {
                push(.block, phase: .start, at: i)
                top.endsStatement = true
            }
        case .classHead:
            push(.record, phase: .start, at: i)
        case .initializer, .declarator, .expression, .caseLabel:
            if top.kind == .initList || top.phase != .expression || !isStatementFrame(top.kind)
                || code(i - 1) != TokenCode.rightParen {
                push(.initList, phase: .expression, at: i)
            } else {
                push(.block, phase: .start, at: i)
                top.endsStatement = true
            }
        case .start, .specifiers:
            if top.kind == .initList {
                push(.initList, phase: .expression, at: i)
            } else {
                push(.block, phase: .start, at: i)
                top.endsStatement = true
            }
        }
    }

    private mutating func closeBrace() {
        guard let index = frames.lastIndex(where: { isBraceFrame($0.kind) }), index > 0 else {
            // A stray `}` at the root: drop anything open and start over.
            frames.removeSubrange(1...)
            top.phase = .start
            return
        }
        let popped = frames[index]
        frames.removeSubrange(index...)
        switch popped.kind {
        case .record, .enumBody:
            top.phase = .specifiers
            top.sawType = true
            top.namedType = true
        case .block, .file:
            if popped.lambda { break }
            if popped.endsStatement {
                top.phase = .start
                top.typedef = false
                top.sawType = false
                top.namedType = false
            }
        default:
            break
        }
    }

    // MARK: Keywords

    private mutating func keyword(_ i: Int, _ c: UInt8, _ h: Hint, _ known: inout KnownTypes) {
        switch c {
        case TokenCode.keywordType, TokenCode.keywordSpecifier:
            let declarationPhase = top.phase == .start || top.phase == .specifiers
            if declarationPhase {
                if top.kind == .paren || top.kind == .templateArgs || top.kind == .attribute {
                    // A cast or a type argument: no declarator follows.
                } else {
                    top.phase = .specifiers
                }
            } else if top.phase == .expression && isStatementFrame(top.kind)
                        && (code(i - 1) == TokenCode.rightParen || code(i - 1) == TokenCode.rightBrace
                            || code(i - 1) == TokenCode.identifier) {
                // A macro invocation without a semicolon before a declaration.
                top.phase = .specifiers
                top.sawType = false
                top.namedType = false
                top.typedef = false
            }
            if c == TokenCode.keywordType && top.phase == .specifiers { top.sawType = true }
            if c == TokenCode.keywordType && cPlusPlus && bytesEqual(i, "auto") { top.namedType = true }
            if c == TokenCode.keywordSpecifier && (h == .attribute || h == .call) { hint = h }
        case TokenCode.keywordStruct, TokenCode.keywordUnion, TokenCode.keywordEnum, TokenCode.keywordClass:
            if (c == TokenCode.keywordClass) && top.kind == .templateParams && h != .tag {
                hint = .typeParameterName
                return
            }
            if c == TokenCode.keywordEnum
                && (code(i + 1) == TokenCode.keywordClass || code(i + 1) == TokenCode.keywordStruct) {
                hint = .tag
                tagCode = c
                return
            }
            if h != .tag { tagCode = c }
            if top.phase == .start || top.phase == .expression && top.kind == .file { top.phase = .specifiers }
            if top.phase == .specifiers { top.sawType = true }
            top.namedType = true
            if code(i + 1) == TokenCode.leftBrace {
                hint = tagCode == TokenCode.keywordEnum ? .enumBody : .recordBody
            } else if code(i + 1) == TokenCode.colon && tagCode != TokenCode.keywordEnum {
                top.phase = .classHead
            } else {
                hint = .tag
            }
        case TokenCode.keywordTypedef:
            top.phase = .specifiers
            top.typedef = true
        case TokenCode.keywordTemplate:
            if code(i + 1) == TokenCode.less { hint = .templateParams }
            if h == .member { hint = .member }
        case TokenCode.keywordTypename:
            if top.kind == .templateParams {
                hint = .typeParameterName
            } else {
                hint = .typeName
                if top.phase == .start { top.phase = .specifiers }
                if top.phase == .specifiers { top.sawType = true }
                top.namedType = true
            }
        case TokenCode.keywordOperator:
            operatorName(i)
        case TokenCode.keywordNew:
            hint = .typeName
            if top.phase == .start { top.phase = .expression }
        case TokenCode.keywordSizeof:
            hint = .typeParen
            if bytesEqual(i, "decltype") || bytesEqual(i, "typeof") || bytesEqual(i, "__typeof__") {
                if top.phase == .start || top.phase == .specifiers {
                    top.phase = .specifiers
                    top.sawType = true
                    top.namedType = true
                }
            } else if top.phase == .start && !(top.kind == .file && bytesEqual(i, "static_assert")) {
                top.phase = .expression
            }
        case TokenCode.keywordReturn, TokenCode.keywordDelete:
            if top.phase == .start || top.phase == .functionTail && c == TokenCode.keywordDelete {
                top.phase = c == TokenCode.keywordDelete && top.phase == .functionTail ? .initializer : .expression
            }
        case TokenCode.keywordControl:
            hint = .control
        case TokenCode.keywordFor:
            hint = .forControl
        case TokenCode.keywordStatement:
            top.phase = .start
            top.typedef = false
            top.sawType = false
            top.namedType = false
        case TokenCode.keywordCase:
            top.phase = .caseLabel
        case TokenCode.keywordDefault:
            if code(i + 1) == TokenCode.colon { top.phase = .caseLabel }
        case TokenCode.keywordGoto:
            hint = .label
        case TokenCode.keywordUsing:
            if code(i + 1) == TokenCode.identifier && code(i + 2) == TokenCode.assign { hint = .aliasName }
            top.phase = .expression
        case TokenCode.keywordNamespace:
            hint = .namespaceName
            if code(i + 1) == TokenCode.leftBrace { hint = .namespaceBody }
        case TokenCode.keywordExtern:
            if code(i + 1) == TokenCode.literal && code(i + 2) == TokenCode.leftBrace {
                externBrace = i + 2
            } else if top.phase == .start || top.phase == .specifiers {
                top.phase = .specifiers
            }
        case TokenCode.keywordAccess:
            if code(i + 1) == TokenCode.colon { hint = .accessColon }
        case TokenCode.keywordAttribute:
            hint = .attribute
        case TokenCode.keywordValue:
            if top.phase == .start { top.phase = .expression }
        case TokenCode.keywordCast:
            hint = .templateArgs
            if top.phase == .start { top.phase = .expression }
        default:
            break
        }
    }

    /// `operator` and the tokens of the operator's name (`()`, `[]`, `new[]`, `+=`, `""_w`, a conversion type).
    private mutating func operatorName(_ i: Int) {
        var end = i
        let next = code(i + 1)
        if next == TokenCode.leftParen && code(i + 2) == TokenCode.rightParen {
            end = i + 2
        } else if next == TokenCode.leftBracket && code(i + 2) == TokenCode.rightBracket {
            end = i + 2
        } else if next == TokenCode.keywordNew || next == TokenCode.keywordDelete {
            end = i + 1
            if code(i + 2) == TokenCode.leftBracket && code(i + 3) == TokenCode.rightBracket { end = i + 3 }
        } else if next == TokenCode.literal {
            end = code(i + 2) == TokenCode.identifier ? i + 2 : i + 1
        } else if next != TokenCode.leftParen && next != TokenCode.none {
            // One operator token, or a conversion type (`operator double`, `operator T*`).
            end = i + 1
            while code(end + 1) == TokenCode.star || code(end + 1) == TokenCode.ampersand { end += 1 }
        }
        operatorNameEnd = end
        let declaration = top.phase == .specifiers || top.phase == .start
        operatorOpenHint = declaration ? .params : .call
        if declaration { top.phase = .declarator }
        if end == i { hint = operatorOpenHint }
    }

    // MARK: Identifiers

    private mutating func identifier(_ i: Int, _ h: Hint, _ known: inout KnownTypes) {
        let next = code(i + 1)
        if bytesEqual(i, "NULL") || bytesEqual(i, "TRUE") || bytesEqual(i, "FALSE") {
            roles[i] = .fixedIdentifier
            if top.phase == .start { top.phase = .expression }
            return
        }
        if h == .member {
            if code(i - 2) == TokenCode.identifier && isCudaBuiltin(i - 2)
                && (bytesEqual(i, "x") || bytesEqual(i, "y") || bytesEqual(i, "z")) {
                roles[i] = .member
            } else {
                roles[i] = next == TokenCode.leftParen ? .fieldCall : .field
            }
            setTemplateOrCallHint(i, next, type: false)
            return
        }
        if next == TokenCode.scope {
            roles[i] = bytesEqual(i, "std") ? .fixedIdentifier : .type
            if h == .typeName { hint = .typeName }
            return
        }
        switch h {
        case .tag:
            let declares = next == TokenCode.leftBrace || next == TokenCode.colon || next == TokenCode.semicolon
            roles[i] = declares ? .typeDecl : .type
            known.add(base, tokens[i])
            if next == TokenCode.leftBrace {
                hint = tagCode == TokenCode.keywordEnum ? .enumBody : .recordBody
            } else if next == TokenCode.colon && tagCode != TokenCode.keywordEnum {
                top.phase = .classHead
            } else if next == TokenCode.less && cPlusPlus && templateCloseFollower(i + 1) != nil {
                hint = .templateArgs
            }
            return
        case .typeParameterName, .aliasName:
            roles[i] = .typeDecl
            known.add(base, tokens[i])
            return
        case .typeName:
            roles[i] = .type
            known.add(base, tokens[i])
            top.namedType = true
            setTemplateOrCallHint(i, next, type: true)
            return
        case .label:
            roles[i] = .variable
            return
        case .namespaceName:
            roles[i] = bytesEqual(i, "std") ? .fixedIdentifier : .typeDecl
            if next == TokenCode.leftBrace { hint = .namespaceBody }
            return
        default:
            break
        }

        switch top.kind {
        case .templateArgs:
            if next == TokenCode.leftParen {
                roles[i] = .function
                hint = .call
            } else if Self.endsTemplateTypeArgument(next) {
                roles[i] = .type
                setTemplateOrCallHint(i, next, type: true)
            } else {
                roles[i] = .variable
            }
            return
        case .attribute:
            roles[i] = .word
            return
        case .enumBody where top.phase == .start:
            roles[i] = .variableDecl
            top.phase = .declarator
            return
        default:
            break
        }

        switch top.phase {
        case .start:
            if next == TokenCode.colon && (top.kind == .block || top.kind == .file) {
                roles[i] = .variableDecl
                hint = .labelColon
                return
            }
            if top.kind == .initList || top.kind == .call || top.kind == .paren || top.kind == .subscriptExpression
                || top.kind == .control || top.kind == .arraySize || top.kind == .lambdaCapture {
                top.phase = .expression
                expression(i, next, known)
                return
            }
            if typeAtStart(i, known) {
                roles[i] = .type
                known.add(base, tokens[i])
                top.phase = .specifiers
                top.sawType = true
                top.namedType = true
                setTemplateOrCallHint(i, next, type: true)
                return
            }
            if (top.kind == .params || top.kind == .templateParams)
                && (next == TokenCode.comma || next == TokenCode.rightParen || next == TokenCode.greater) {
                // A lone name is an unnamed parameter's type (`void h(double *, T);`), except in an old-style
                // definition's list of names.
                let lone = top.kind == .params && !top.identifierList
                roles[i] = lone || known.contains(base, tokens[i]) ? .type : .argumentDecl
                top.phase = .declarator
                return
            }
            if (top.kind == .file || top.kind == .record) && next == TokenCode.leftParen {
                if known.contains(base, tokens[i]) && (top.kind == .record || code(i - 1) == TokenCode.scope) {
                    roles[i] = .type
                    hint = .params
                    top.phase = .declarator
                } else if code(matchingClose(i + 1) + 1) == TokenCode.leftBrace {
                    roles[i] = .functionDecl
                    hint = .params
                    top.phase = .declarator
                } else {
                    roles[i] = .function
                    hint = .call
                    top.phase = .expression
                }
                return
            }
            if code(i - 1) == TokenCode.tilde && next == TokenCode.leftParen {
                roles[i] = .type
                hint = top.kind == .record || top.kind == .file ? .params : .call
                if hint == .params { top.phase = .declarator }
                return
            }
            top.phase = .expression
            expression(i, next, known)
        case .specifiers:
            if !top.sawType && typeAtStart(i, known) {
                roles[i] = .type
                known.add(base, tokens[i])
                top.sawType = true
                top.namedType = true
                setTemplateOrCallHint(i, next, type: true)
                return
            }
            declarator(i, next, &known)
        case .declarator:
            roles[i] = .variable
            if next == TokenCode.leftParen { hint = .call }
        case .functionTail:
            roles[i] = bytesEqual(i, "override") || bytesEqual(i, "final") ? .word : .variable
            if next == TokenCode.leftParen { hint = .call }
        case .memberInit:
            if next == TokenCode.leftParen || next == TokenCode.leftBrace {
                roles[i] = known.contains(base, tokens[i]) ? .type : .field
                hint = next == TokenCode.leftParen ? .call : .initList
            } else if next == TokenCode.less {
                roles[i] = .type
                setTemplateOrCallHint(i, next, type: true)
            } else {
                roles[i] = .variable
            }
        case .classHead:
            roles[i] = .type
            setTemplateOrCallHint(i, next, type: true)
        case .expression, .initializer, .caseLabel:
            expression(i, next, known)
        }
    }

    private func isCudaBuiltin(_ i: Int) -> Bool {
        bytesEqual(i, "threadIdx") || bytesEqual(i, "blockIdx") || bytesEqual(i, "blockDim") || bytesEqual(i, "gridDim")
    }

    private mutating func setTemplateOrCallHint(_ i: Int, _ next: UInt8, type: Bool) {
        if next == TokenCode.leftParen {
            hint = .call
        } else if next == TokenCode.less && cPlusPlus && templateCloseFollower(i + 1) != nil {
            hint = .templateArgs
        }
    }

    /// The identifier at `i` in an expression.
    private mutating func expression(_ i: Int, _ next: UInt8, _ known: KnownTypes) {
        // Most names in expressions are plain variables: ask the type table only where the answer matters.
        let interesting = next == TokenCode.leftParen || next == TokenCode.less || next == TokenCode.rightParen
            || next == TokenCode.star || next == TokenCode.ampersand || top.typeContext
        let isType = interesting && known.contains(base, tokens[i])
        if next == TokenCode.leftParen {
            roles[i] = isType ? .type : .function
            hint = .call
            return
        }
        if next == TokenCode.launchOpen {
            roles[i] = .function
            return
        }
        if cPlusPlus && next == TokenCode.less, let after = templateCloseFollower(i + 1) {
            roles[i] = (after == TokenCode.leftParen || after == TokenCode.launchOpen) && !isType ? .function : .type
            hint = .templateArgs
            return
        }
        if top.kind == .paren && top.first == i {
            if next == TokenCode.rightParen {
                let after = code(i + 2)
                if isType && (after == TokenCode.identifier || after == TokenCode.literal || after == TokenCode.leftParen
                              || after == TokenCode.keywordValue || after == TokenCode.keywordSizeof || top.typeContext) {
                    roles[i] = .type
                    return
                }
                if !top.typeContext && startsCastOperand(i + 2) {
                    // `(T) x`: a parenthesized name followed by an operand is a cast whatever the file declares, since
                    // no expression can stand there.
                    roles[i] = .type
                    return
                }
                if after == TokenCode.leftParen {
                    // `(T)(z)`: a cast or a call through a parenthesized callee; the whole file decides.
                    roles[i] = .castOrCallee
                    return
                }
                if after == TokenCode.star || after == TokenCode.ampersand || bytesEqual(i + 2, "-") || bytesEqual(i + 2, "+") {
                    // `(T) -x`: a cast or a binary operator's left operand; the whole file decides.
                    roles[i] = .castOrVariable
                    return
                }
            } else if next == TokenCode.star || next == TokenCode.ampersand {
                var j = i + 1
                while code(j) == TokenCode.star || code(j) == TokenCode.ampersand || code(j) == TokenCode.keywordSpecifier {
                    j += 1
                }
                if code(j) == TokenCode.rightParen {
                    roles[i] = .type
                    return
                }
            }
        }
        if top.typeContext && isType {
            roles[i] = .type
            return
        }
        if next == TokenCode.rightParen && code(i + 2) == TokenCode.leftParen
            && (code(i - 1) == TokenCode.star || code(i - 1) == TokenCode.leftParen) {
            // `(*fp)(x)`, `(f)(x)`: the callee of a call through a parenthesized expression.
            roles[i] = .function
            return
        }
        roles[i] = .variable
    }

    /// Whether the token at `j` can only start the operand of a cast after `(name)`: a name, a literal, `this`,
    /// `sizeof`, `!` or `~` (not `*`, `&`, `+`, `-` or `(`, which could continue an expression).
    private func startsCastOperand(_ j: Int) -> Bool {
        switch code(j) {
        case TokenCode.identifier, TokenCode.literal, TokenCode.keywordValue, TokenCode.keywordSizeof, TokenCode.tilde:
            return true
        case TokenCode.otherPunctuator:
            return bytesEqual(j, "!")
        default:
            return false
        }
    }

    private static func endsTemplateTypeArgument(_ code: UInt8) -> Bool {
        switch code {
        case TokenCode.greater, TokenCode.shiftRight, TokenCode.comma, TokenCode.less, TokenCode.star,
             TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.leftBracket, TokenCode.ellipsis:
            return true
        default:
            return false
        }
    }

    private static func isPointerDeclaratorPart(_ code: UInt8) -> Bool {
        switch code {
        case TokenCode.star, TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.caret, TokenCode.keywordSpecifier:
            return true
        default:
            return false
        }
    }

    private static func followsDeclarator(_ code: UInt8) -> Bool {
        switch code {
        case TokenCode.semicolon, TokenCode.comma, TokenCode.assign, TokenCode.leftBracket, TokenCode.rightParen,
             TokenCode.leftParen, TokenCode.colon, TokenCode.leftBrace:
            return true
        default:
            return false
        }
    }

    /// Whether the identifier at `i`, where a declaration may start, is a type name.
    private func typeAtStart(_ i: Int, _ known: KnownTypes) -> Bool {
        let next = code(i + 1)
        switch next {
        case TokenCode.identifier:
            return true
        case TokenCode.keywordSpecifier:
            return true
        case TokenCode.star, TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.caret:
            var j = i + 1
            while Self.isPointerDeclaratorPart(code(j)) { j += 1 }
            switch code(j) {
            case TokenCode.identifier:
                return Self.followsDeclarator(code(j + 1)) || top.kind == .params && parameterName(from: j) != nil
            case TokenCode.keywordOperator:
                return true
            case TokenCode.rightParen:
                return top.kind == .params || top.kind == .templateParams || known.contains(base, tokens[i])
            case TokenCode.comma:
                return top.kind == .params || top.kind == .templateParams
            case TokenCode.leftParen:
                return true
            default:
                return false
            }
        case TokenCode.less:
            guard cPlusPlus, let after = templateCloseFollower(i + 1) else { return false }
            switch after {
            case TokenCode.identifier, TokenCode.star, TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.scope,
                 TokenCode.keywordSpecifier:
                return true
            default:
                return false
            }
        case TokenCode.comma, TokenCode.rightParen:
            return (top.kind == .params || top.kind == .templateParams) && known.contains(base, tokens[i])
        case TokenCode.leftParen:
            return known.contains(base, tokens[i]) && code(i + 2) == TokenCode.star
        default:
            return false
        }
    }

    /// The name at `i` after declaration specifiers.
    private mutating func declarator(_ i: Int, _ next: UInt8, _ known: inout KnownTypes) {
        let frame = top
        var role: Role
        if frame.typedef {
            role = .typeDecl
            known.add(base, tokens[i])
        } else if frame.kind == .declParen {
            role = frame.declaratorRole
            if role == .typeDecl { known.add(base, tokens[i]) }
        } else if (frame.kind == .record || code(i - 1) == TokenCode.tilde) && next == TokenCode.leftParen
                    && known.contains(base, tokens[i]) {
            // A constructor or destructor: the class's own name, read as the type (tree-sitter gives the name
            // the type's category through the text-keyed map).
            role = .type
        } else if frame.kind == .record {
            role = .fieldDecl
        } else if frame.kind == .params && (next == TokenCode.identifier || Self.isPointerDeclaratorPart(next))
                    && followsPointer(i), let name = parameterName(from: i + 1),
                  !known.isMacro(base, tokens[name]) || known.isMacro(base, tokens[i]) {
            // The parameter is the last name of its declaration; a name between `*` and it is a qualifier macro
            // (`double * RESTRICT p`), read as the macro it is. Where the file defines the last name as a macro
            // and not this one, the last is the macro (`char **argv UNUSED`).
            roles[i] = .variable
            return
        } else if frame.kind == .params && !frame.sawType && !frame.identifierList
                    && (next == TokenCode.comma || next == TokenCode.rightParen) && onlyQualifiersBefore(i) {
            // `const T` alone: an unnamed parameter's type, as a lone name is.
            role = .type
        } else if frame.kind == .params || frame.kind == .templateParams {
            role = next == TokenCode.leftBracket ? .arrayDecl : next == TokenCode.leftParen ? .functionDecl : .argumentDecl
        } else if next == TokenCode.leftParen {
            if frame.kind == .file || looksLikeParameterList(i + 1, known) {
                role = .functionDecl
            } else {
                role = frame.namedType ? .variableDecl : .objectDecl
                hint = .call
            }
        } else if next == TokenCode.leftBracket {
            role = .arrayDecl
        } else {
            role = frame.namedType ? .variableDecl : .objectDecl
        }
        roles[i] = role
        if next == TokenCode.leftParen && hint != .call { hint = .params }
        if next == TokenCode.leftBracket { hint = .arraySize }
        if next == TokenCode.less && cPlusPlus && templateCloseFollower(i + 1) != nil { hint = .templateArgs }
        top.phase = .declarator
    }

    /// Whether the parenthesis at `open` starts parameter declarations rather than constructor arguments.
    private func looksLikeParameterList(_ open: Int, _ known: KnownTypes) -> Bool {
        let first = code(open + 1)
        switch first {
        case TokenCode.rightParen, TokenCode.keywordType, TokenCode.keywordSpecifier, TokenCode.keywordStruct,
             TokenCode.keywordUnion, TokenCode.keywordEnum, TokenCode.keywordClass, TokenCode.keywordTypename,
             TokenCode.ellipsis:
            return true
        case TokenCode.identifier:
            switch code(open + 2) {
            case TokenCode.identifier, TokenCode.star, TokenCode.ampersand, TokenCode.comma, TokenCode.rightParen:
                return known.contains(base, tokens[open + 1])
            default:
                return false
            }
        default:
            return false
        }
    }

    /// When `j` starts the rest of a parameter declarator that ends in its name (pointer parts and names, the last a
    /// name before `,`, `)`, `[` or `=`), the index of that name.
    private func parameterName(from j: Int) -> Int? {
        var k = j
        while k - j < 16 && (code(k) == TokenCode.identifier || Self.isPointerDeclaratorPart(code(k))) { k += 1 }
        guard k > j && code(k - 1) == TokenCode.identifier else { return nil }
        switch code(k) {
        case TokenCode.comma, TokenCode.rightParen, TokenCode.leftBracket, TokenCode.assign: return k - 1
        default: return nil
        }
    }

    /// Whether the name at `i` comes after a `*` or `&` of its declarator, past qualifiers and qualifier macros.
    private func followsPointer(_ i: Int) -> Bool {
        var j = i - 1
        while j >= top.first && (code(j) == TokenCode.keywordSpecifier
                                 || code(j) == TokenCode.identifier && roles[j] == .variable) {
            j -= 1
        }
        switch code(j) {
        case TokenCode.star, TokenCode.ampersand, TokenCode.doubleAmpersand, TokenCode.caret: return true
        default: return false
        }
    }

    /// Whether the parameter declaration holding `i` has only `const` and `volatile` (or their macro spellings) before
    /// it: `register x` and `auto x` name an implicit-int parameter instead.
    private func onlyQualifiersBefore(_ i: Int) -> Bool {
        var j = i - 1
        while j >= top.first && code(j) == TokenCode.keywordSpecifier {
            if bytesEqual(j, "register") || bytesEqual(j, "auto") { return false }
            j -= 1
        }
        return j < top.first || code(j) == TokenCode.comma
    }

    /// Whether the parameter list opened at `open` is an old-style definition's list of names: C only, every
    /// parameter one name, and a body or a declaration of the parameters after it.
    private func isIdentifierList(_ open: Int) -> Bool {
        guard !cPlusPlus, code(open + 1) == TokenCode.identifier else { return false }
        var j = open + 1
        while true {
            guard code(j) == TokenCode.identifier else { return false }
            j += 1
            if code(j) == TokenCode.rightParen { break }
            guard code(j) == TokenCode.comma else { return false }
            j += 1
        }
        switch code(j + 1) {
        case TokenCode.leftBrace, TokenCode.keywordType, TokenCode.keywordSpecifier, TokenCode.keywordStruct,
             TokenCode.keywordUnion, TokenCode.keywordEnum:
            return true
        case TokenCode.identifier:
            let after = code(j + 2)
            return after == TokenCode.identifier || after == TokenCode.star
        default:
            return false
        }
    }

    /// Index of the parenthesis closing the one at `open` (or the last token).
    private func matchingClose(_ open: Int) -> Int {
        var depth = 0
        var j = open
        while j < codes.count {
            if codes[j] == TokenCode.leftParen { depth += 1 }
            if codes[j] == TokenCode.rightParen {
                depth -= 1
                if depth == 0 { return j }
            }
            if codes[j] == TokenCode.leftBrace || codes[j] == TokenCode.semicolon { return j - 1 }
            j += 1
        }
        return codes.count - 1
    }

    /// When the `<` at `open` plausibly opens a template argument list, the code of the token after its `>`.
    private func templateCloseFollower(_ open: Int) -> UInt8? {
        var depth = 0
        var parens = 0
        var j = open
        while j < codes.count && j - open < 64 {
            let c = codes[j]
            switch c {
            case TokenCode.less:
                depth += 1
            case TokenCode.greater:
                depth -= 1
                if depth == 0 { return code(j + 1) }
            case TokenCode.shiftRight:
                depth -= 2
                if depth == 0 { return code(j + 1) }
                if depth < 0 { return nil }
            case TokenCode.leftParen:
                parens += 1
            case TokenCode.rightParen:
                parens -= 1
                if parens < 0 { return nil }
            case TokenCode.identifier, TokenCode.literal, TokenCode.scope, TokenCode.comma, TokenCode.star,
                 TokenCode.ampersand, TokenCode.leftBracket, TokenCode.rightBracket, TokenCode.ellipsis,
                 TokenCode.keywordType, TokenCode.keywordSpecifier, TokenCode.keywordTypename, TokenCode.keywordValue,
                 TokenCode.keywordSizeof, TokenCode.keywordStruct, TokenCode.keywordClass, TokenCode.keywordUnion,
                 TokenCode.keywordEnum:
                break
            default:
                return nil
            }
            j += 1
        }
        return nil
    }
}
