internal import CLibXML2
internal import Synchronization

// All libxml2 pointer handling for XMLReader lives in this file.
//
// Security model (libxml2 2.9.14, Debian 12):
// - Parser options are XML_PARSE_NONET only: no NOENT (entities stay unsubstituted), no DTDLOAD/DTDATTR/DTDVALID
//   (external DTDs are never read), no HUGE (libxml2 keeps its own depth, name and text-node limits).
// - SAX hooks refuse the first entity declaration of any kind and any DOCTYPE with an external identifier, stopping
//   the parser on the spot, so billion-laughs and XXE documents are rejected before anything is expanded or fetched.
// - Depth, node and text caps are enforced in the SAX hooks, before libxml2 allocates the corresponding tree nodes.
// - A process-wide external entity loader refuses every resource as a last line of defence; see `libxml2Ready`.
//
// Errors: 2.9.14 has no xmlCtxtSetErrorHandler, but it honours a per-context structured handler in
// `ctxt->sax->serror` for everything raised through a parser context, and that is what routes errors to the
// right parse when several threads parse at once. Errors raised without a context (encoding converters,
// buffer allocation) go to the thread-local structured handler, which is swapped in for the duration of each
// parse and then restored. libxml2 built with threads keeps that handler per thread, so no lock is needed and
// nothing reaches the generic handler that would print to stderr.

/// Number of external loads refused by the guard since launch.
private let refusalCounter = Atomic<Int>(0)

// libxml2's entity loader is one global, so it is installed once, never removed, and refuses everything.
private func refuseExternalEntity(
    _ url: UnsafePointer<CChar>?,
    _ id: UnsafePointer<CChar>?,
    _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    refusalCounter.add(1, ordering: .relaxed)
    return nil
}

// Swift runs this initializer exactly once, thread-safely, before the first parse touches libxml2.
private let libxml2Ready: Bool = {
    xmlInitParser()
    xmlSetExternalEntityLoader(refuseExternalEntity)
    return true
}()

/// A failure before it is tied to a document name.
private struct Problem: Error {
    var code: XMLReadError.Code
    var message: String
    var line: Int? = nil
    var column: Int? = nil
}

/// Per-parse bookkeeping reached from libxml2 callbacks through `ctxt->_private`; only the parsing thread touches it.
private final class ParseState {
    let maxDepth: Int
    let maxNodes: Int
    let maxTextBytes: Int
    var depth = 0
    var nodes = 0
    var textBytes = 0
    /// The first reason this module stopped the parser; it outranks whatever libxml2 says afterwards.
    var refusal: Problem?
    var firstFatal: Problem?
    var firstError: Problem?
    /// Set for ``XMLReader/parse(bytes:limits:name:keeping:)``: the SAX hooks build kept elements here instead of libxml2's tree.
    let builder: KeptTreeBuilder?

    init(limits: XMLLimits, keeping paths: XMLPathSet?) {
        builder = paths.map(KeptTreeBuilder.init(paths:))
        maxDepth = limits.effectiveMaxDepth
        maxNodes = limits.effectiveMaxNodes
        maxTextBytes = limits.effectiveMaxTextBytes
    }

    func record(_ error: xmlErrorPtr?) {
        guard let error = error?.pointee else { return }
        let fatal = error.level == XML_ERR_FATAL
        guard fatal || error.level == XML_ERR_ERROR else { return }
        // Namespace errors (an undeclared prefix, a relative namespace URI) leave the structure intact; they are
        // tolerated so one odd attribute cannot sink a whole report.
        if !fatal && Int(error.domain) == Int(XML_FROM_NAMESPACE.rawValue) { return }
        if fatal ? firstFatal != nil : firstError != nil { return }
        let message = trimmed(error.message.map { String(cString: $0) } ?? "unknown libxml2 error")
        let problem = Problem(
            code: classify(code: Int(error.code), message: message),
            message: message,
            line: positive(error.line),
            column: positive(error.int2)
        )
        if fatal { firstFatal = problem } else { firstError = problem }
    }

    /// The failure to report, if any, in order of how specific it is.
    func verdict(wellFormed: Bool) -> Problem? {
        if let refusal { return refusal }
        if let firstFatal { return firstFatal }
        // Some of libxml2's resource stops (e.g. xmlSAX2ErrMemory) are ERROR level and end the parse without
        // clearing wellFormed, leaving a truncated tree; so any error that got this far fails the parse.
        if let firstError { return firstError }
        if !wellFormed { return Problem(code: .malformed, message: "document is not well-formed") }
        return nil
    }
}

// libxml2 error codes that mean "an entity was involved"; everything else not listed in classify() is syntax.
private let entityErrorCodes: Set<Int> = Set([
    XML_ERR_UNDECLARED_ENTITY, XML_ERR_UNPARSED_ENTITY, XML_ERR_ENTITY_IS_EXTERNAL, XML_ERR_ENTITY_IS_PARAMETER,
    XML_ERR_EXT_ENTITY_STANDALONE, XML_ERR_ENTITY_PE_INTERNAL, XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY,
    XML_ERR_ENTITY_PROCESSING, XML_ERR_ENTITY_NOT_STARTED, XML_ERR_ENTITY_NOT_FINISHED,
].map { Int($0.rawValue) })

private func classify(code: Int, message: String) -> XMLReadError.Code {
    if entityErrorCodes.contains(code) { return .entity }
    switch code {
    case Int(XML_ERR_NAME_TOO_LONG.rawValue), Int(XML_ERR_NO_MEMORY.rawValue):
        // Without XML_PARSE_HUGE these come from libxml2's size limits (e.g. "huge text node").
        return .tooLarge
    case Int(XML_ERR_INTERNAL_ERROR.rawValue) where message.hasPrefix("Excessive depth"):
        return .tooDeep
    default:
        return .malformed
    }
}

private func positive(_ value: Int32) -> Int? { value > 0 ? Int(value) : nil }

private func trimmed(_ message: String) -> String {
    var text = Substring(message)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
}

private func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

// MARK: - Callbacks

/// The parser context and its ParseState, from the `ctx` argument libxml2 passes to SAX and error callbacks.
private func session(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, ParseState)? {
    guard let ctx else { return nil }
    let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ctxt.pointee._private else { return nil }
    return (ctxt, Unmanaged<ParseState>.fromOpaque(raw).takeUnretainedValue())
}

private func refuse(
    _ ctxt: xmlParserCtxtPtr,
    _ state: ParseState,
    _ code: XMLReadError.Code,
    _ message: String
) {
    if state.refusal == nil {
        let raw = UnsafeMutableRawPointer(ctxt)
        state.refusal = Problem(
            code: code,
            message: message,
            line: positive(xmlSAX2GetLineNumber(raw)),
            column: positive(xmlSAX2GetColumnNumber(raw))
        )
    }
    xmlStopParser(ctxt)
}

private func contextError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    session(userData)?.1.record(error)
}

private func threadError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData else { return }
    Unmanaged<ParseState>.fromOpaque(userData).takeUnretainedValue().record(error)
}

private func discardError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {}

private func acceptText(_ ctx: UnsafeMutableRawPointer?, _ length: Int32) -> Bool {
    guard let (ctxt, state) = session(ctx) else { return false }
    state.textBytes += Int(length)
    guard state.textBytes <= state.maxTextBytes else {
        refuse(ctxt, state, .tooLarge, "character data exceeds the \(state.maxTextBytes)-byte cap")
        return false
    }
    return true
}

/// Counts an element and its attributes against the caps, stopping the parser when one is exceeded.
private func admitElement(_ ctxt: xmlParserCtxtPtr, _ state: ParseState, attributes: Int32) -> Bool {
    state.depth += 1
    state.nodes += 1 + Int(max(attributes, 0))
    if state.depth > state.maxDepth {
        refuse(ctxt, state, .tooDeep, "elements nest deeper than \(state.maxDepth) levels")
        return false
    }
    if state.nodes > state.maxNodes {
        refuse(ctxt, state, .tooManyNodes, "more than \(state.maxNodes) elements and attributes")
        return false
    }
    return true
}

private func saxCharacters(_ ctx: UnsafeMutableRawPointer?, _ chars: UnsafePointer<xmlChar>?, _ length: Int32) {
    if acceptText(ctx, length) { xmlSAX2Characters(ctx, chars, length) }
}

/// Replaces the handlers that matter for safety in the context's private copy of the default SAX2 table.
private func installHandlers(_ sax: UnsafeMutablePointer<xmlSAXHandler>) {
    sax.pointee.serror = contextError

    sax.pointee.startElementNs = { ctx, localname, prefix, uri, nsCount, namespaces, attrCount, defaulted, attrs in
        guard let (ctxt, state) = session(ctx), admitElement(ctxt, state, attributes: attrCount) else { return }
        xmlSAX2StartElementNs(ctx, localname, prefix, uri, nsCount, namespaces, attrCount, defaulted, attrs)
    }
    sax.pointee.endElementNs = { ctx, localname, prefix, uri in
        session(ctx)?.1.depth -= 1
        xmlSAX2EndElementNs(ctx, localname, prefix, uri)
    }
    // One function for both keeps libxml2 treating all whitespace as ordinary character data.
    sax.pointee.characters = saxCharacters
    sax.pointee.ignorableWhitespace = saxCharacters
    sax.pointee.cdataBlock = { ctx, value, length in
        if acceptText(ctx, length) { xmlSAX2CDataBlock(ctx, value, length) }
    }

    sax.pointee.entityDecl = { ctx, name, _, _, _, _ in
        guard let (ctxt, state) = session(ctx) else { return }
        refuse(ctxt, state, .entity, "entity declarations are not allowed (found '\(string(name))')")
    }
    sax.pointee.unparsedEntityDecl = { ctx, name, _, _, _ in
        guard let (ctxt, state) = session(ctx) else { return }
        refuse(ctxt, state, .entity, "entity declarations are not allowed (found '\(string(name))')")
    }
    sax.pointee.reference = { ctx, name in
        guard let (ctxt, state) = session(ctx) else { return }
        refuse(ctxt, state, .entity, "entity references are not allowed (found '&\(string(name));')")
    }
    sax.pointee.internalSubset = { ctx, name, externalID, systemID in
        guard let (ctxt, state) = session(ctx) else { return }
        if externalID != nil || systemID != nil {
            let target = string(systemID ?? externalID)
            refuse(ctxt, state, .dtd, "external DTD '\(target)' is not allowed")
        } else {
            xmlSAX2InternalSubset(ctx, name, externalID, systemID)
        }
    }
    // Never read an external subset, whatever the options say.
    sax.pointee.externalSubset = { _, _, _, _ in }
    sax.pointee.resolveEntity = { ctx, _, systemID in
        refusalCounter.add(1, ordering: .relaxed)
        if let (ctxt, state) = session(ctx) {
            refuse(ctxt, state, .entity, "external resource '\(string(systemID))' is not allowed")
        }
        return nil
    }
    // Reports carry no data in comments or processing instructions, so libxml2 need not allocate nodes for them.
    sax.pointee.comment = nil
    sax.pointee.processingInstruction = nil
}

// MARK: - Kept paths

/// Builds ``XMLElement`` values straight from SAX events, only for the kept paths and the elements leading to them;
/// libxml2 allocates no element, attribute or text nodes in this mode, and skipped subtrees cost no allocation here.
private final class KeptTreeBuilder {
    private struct Frame {
        var element: XMLElement
        /// Character data as libxml2 delivers it (UTF-8), turned into a String once when the element ends.
        var text: [UInt8] = []
        /// The trie node this element matched; nil inside a kept subtree, where every descendant is built.
        var node: Int?
    }

    private let nodes: [XMLPathSet.Node]
    private var stack: [Frame] = []
    /// Nesting inside a skipped subtree; while positive, elements and text are only counted (by the caps), not built.
    private var skipped = 0
    /// The finished root element, once its end tag has been seen.
    private(set) var root: XMLElement?

    init(paths: XMLPathSet) {
        nodes = paths.nodes
        stack.reserveCapacity(16)
    }

    /// Starts an element; returns a problem when an attribute value holds an entity reference.
    func start(
        local: UnsafePointer<xmlChar>,
        prefix: UnsafePointer<xmlChar>?,
        attributeCount: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) -> Problem? {
        if skipped > 0 {
            skipped += 1
            return nil
        }
        var matched: Int?
        if let top = stack.last {
            if let parent = top.node {
                guard let next = child(of: parent, prefix: prefix, local: local) else {
                    skipped = 1
                    return nil
                }
                matched = nodes[next].keepsAll ? nil : next
            }
        } else {
            matched = nodes[0].keepsAll ? nil : 0
        }
        var element = XMLElement(name: qualifiedName(prefix: prefix, local: local))
        if attributeCount > 0, let attributes {
            for index in 0..<attributeCount {
                // libxml2 passes five pointers per attribute: local name, prefix, URI, value start, value end.
                let entry = attributes + index * 5
                guard let name = entry[0], let start = entry[3], let end = entry[4] else { continue }
                guard let value = attributeValue(start, end) else {
                    return Problem(code: .entity, message: "entity references are not allowed in attributes")
                }
                element.attributes[qualifiedName(prefix: entry[1], local: name)] = value
            }
        }
        stack.append(Frame(element: element, node: matched))
        return nil
    }

    func end() {
        if skipped > 0 {
            skipped -= 1
            return
        }
        guard var frame = stack.popLast() else { return }
        if !frame.text.isEmpty {
            frame.element.text = String(decoding: frame.text, as: UTF8.self)
        }
        if stack.isEmpty {
            root = frame.element
        } else {
            stack[stack.count - 1].element.children.append(frame.element)
        }
    }

    func characters(_ chars: UnsafePointer<xmlChar>, _ length: Int) {
        guard skipped == 0, !stack.isEmpty, length > 0 else { return }
        stack[stack.count - 1].text.append(contentsOf: UnsafeBufferPointer(start: chars, count: length))
    }

    /// The trie node reached from `parent` by this element's qualified name, compared byte for byte.
    private func child(of parent: Int, prefix: UnsafePointer<xmlChar>?, local: UnsafePointer<xmlChar>) -> Int? {
        for edge in nodes[parent].edges where nameEquals(edge.name, prefix: prefix, local: local) {
            return edge.node
        }
        return nil
    }

    private func nameEquals(_ name: [UInt8], prefix: UnsafePointer<xmlChar>?, local: UnsafePointer<xmlChar>) -> Bool {
        var index = 0
        if var cursor = prefix {
            while cursor.pointee != 0 {
                guard index < name.count, name[index] == cursor.pointee else { return false }
                index += 1
                cursor += 1
            }
            guard index < name.count, name[index] == UInt8(ascii: ":") else { return false }
            index += 1
        }
        var cursor = local
        while cursor.pointee != 0 {
            guard index < name.count, name[index] == cursor.pointee else { return false }
            index += 1
            cursor += 1
        }
        return index == name.count
    }

    // Matches the tree mode, where an element or attribute with a prefix is named `prefix:local` even when the prefix is undeclared.
    private func qualifiedName(prefix: UnsafePointer<xmlChar>?, local: UnsafePointer<xmlChar>) -> String {
        let name = String(cString: local)
        guard let prefix else { return name }
        return String(cString: prefix) + ":" + name
    }

    /// The attribute value libxml2 passed, decoded as the tree mode's text nodes would be; nil for an entity reference.
    private func attributeValue(_ start: UnsafePointer<xmlChar>, _ end: UnsafePointer<xmlChar>) -> String? {
        let bytes = UnsafeBufferPointer(start: start, count: max(end - start, 0))
        let ampersand = UInt8(ascii: "&")
        guard bytes.contains(ampersand) else { return String(decoding: bytes, as: UTF8.self) }
        // Without entity substitution libxml2 hands a literal '&' (from &amp; or &#38;) over as "&#38;"
        // (xmlParseAttValueComplex) and decodes every other reference itself, so any other '&' starts an entity reference.
        let escaped = Array("&#38;".utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == ampersand {
                guard index + escaped.count <= bytes.count,
                      bytes[index..<(index + escaped.count)].elementsEqual(escaped)
                else { return nil }
                decoded.append(ampersand)
                index += escaped.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

/// Runs `body` with the parse's context, state and builder; the kept mode's hooks run once per SAX event, so the state
/// is borrowed (the parse holds it alive for the whole xmlParseDocument call) instead of retained and released each time.
private func withKeptSession(
    _ ctx: UnsafeMutableRawPointer?,
    _ body: (xmlParserCtxtPtr, ParseState, KeptTreeBuilder) -> Void
) {
    guard let ctx else { return }
    let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ctxt.pointee._private else { return }
    Unmanaged<ParseState>.fromOpaque(raw)._withUnsafeGuaranteedRef { state in
        guard let builder = state.builder else { return }
        body(ctxt, state, builder)
    }
}

private func keptCharacters(_ ctx: UnsafeMutableRawPointer?, _ chars: UnsafePointer<xmlChar>?, _ length: Int32) {
    withKeptSession(ctx) { ctxt, state, builder in
        // The text cap counts all character data, kept or skipped, exactly as acceptText does in the tree mode.
        state.textBytes += Int(length)
        guard state.textBytes <= state.maxTextBytes else {
            refuse(ctxt, state, .tooLarge, "character data exceeds the \(state.maxTextBytes)-byte cap")
            return
        }
        if let chars { builder.characters(chars, Int(length)) }
    }
}

/// The safety handlers of the tree mode, with element and text events going to the ParseState's KeptTreeBuilder.
///
/// startDocument stays libxml2's, so the document node exists and the internal-subset handlers behave exactly as in
/// the tree mode; only the element, attribute and text nodes are never created.
private func installKeptHandlers(_ sax: UnsafeMutablePointer<xmlSAXHandler>) {
    installHandlers(sax)
    sax.pointee.startElementNs = { ctx, localname, prefix, _, _, _, attrCount, defaulted, attrs in
        withKeptSession(ctx) { ctxt, state, builder in
            guard admitElement(ctxt, state, attributes: attrCount), let localname else { return }
            // Defaulted attributes come from an internal-subset ATTLIST; the tree mode drops them (no XML_COMPLETE_ATTRS).
            let specified = Int(max(attrCount, 0)) - Int(max(defaulted, 0))
            if let problem = builder.start(local: localname, prefix: prefix, attributeCount: specified, attributes: attrs) {
                refuse(ctxt, state, problem.code, problem.message)
            }
        }
    }
    sax.pointee.endElementNs = { ctx, _, _, _ in
        withKeptSession(ctx) { _, state, builder in
            state.depth -= 1
            builder.end()
        }
    }
    sax.pointee.characters = keptCharacters
    sax.pointee.ignorableWhitespace = keptCharacters
    sax.pointee.cdataBlock = keptCharacters
}

// MARK: - Parser

enum LibXML2Parser {
    static var refusedExternalLoads: Int {
        refusalCounter.load(ordering: .relaxed)
    }

    static func externalLoadIsRefused(url: String) -> Bool {
        _ = libxml2Ready
        let before = refusalCounter.load(ordering: .relaxed)
        let loaded: Bool = withThreadErrorHandler(context: nil, handler: discardError) {
            guard let input = xmlLoadExternalEntity(url, nil, nil) else { return false }
            xmlFreeInputStream(input)
            return true
        }
        return !loaded && refusalCounter.load(ordering: .relaxed) > before
    }

    static func parse(bytes: [UInt8], limits: XMLLimits, name: String, keeping paths: XMLPathSet? = nil) throws -> XMLElement {
        _ = libxml2Ready
        let state = ParseState(limits: limits, keeping: paths)
        let outcome: Result<XMLElement, Problem> = withExtendedLifetime(state) {
            let statePointer = Unmanaged.passUnretained(state).toOpaque()
            return withThreadErrorHandler(context: statePointer, handler: threadError) {
                bytes.withUnsafeBufferPointer { buffer in
                    run(buffer, state: state, statePointer: statePointer)
                }
            }
        }
        switch outcome {
        case .success(let root):
            return root
        case .failure(let problem):
            throw XMLReadError(
                code: problem.code,
                message: problem.message,
                document: name,
                line: problem.line,
                column: problem.column
            )
        }
    }

    /// Runs `body` with this thread's structured error handler replaced, restoring the previous one afterwards.
    private static func withThreadErrorHandler<T>(
        context: UnsafeMutableRawPointer?,
        handler: xmlStructuredErrorFunc,
        _ body: () -> T
    ) -> T {
        let savedHandler = __xmlStructuredError()?.pointee ?? nil
        let savedContext = __xmlStructuredErrorContext()?.pointee ?? nil
        xmlSetStructuredErrorFunc(context, handler)
        defer { xmlSetStructuredErrorFunc(savedContext, savedHandler) }
        return body()
    }

    private static func run(
        _ buffer: UnsafeBufferPointer<UInt8>,
        state: ParseState,
        statePointer: UnsafeMutableRawPointer
    ) -> Result<XMLElement, Problem> {
        guard let base = buffer.baseAddress, let length = Int32(exactly: buffer.count) else {
            return .failure(Problem(code: .tooLarge, message: "input does not fit libxml2's buffer length"))
        }
        let created = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            xmlCreateMemoryParserCtxt($0, length)
        }
        guard let ctxt = created else {
            return .failure(Problem(code: .internal, message: "libxml2 could not create a parser context"))
        }
        defer { xmlFreeParserCtxt(ctxt) }
        guard let sax = ctxt.pointee.sax else {
            return .failure(Problem(code: .internal, message: "libxml2 parser context has no SAX handler"))
        }

        if state.builder == nil { installHandlers(sax) } else { installKeptHandlers(sax) }
        // Options reset replaceEntities, loadsubset and validate to off, whatever process-wide defaults say.
        _ = xmlCtxtUseOptions(ctxt, Int32(bitPattern: XML_PARSE_NONET.rawValue))
        ctxt.pointee.userData = UnsafeMutableRawPointer(ctxt)
        ctxt.pointee._private = statePointer

        _ = xmlParseDocument(ctxt)

        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil
        defer { if let doc { xmlFreeDoc(doc) } }

        if let problem = state.verdict(wellFormed: ctxt.pointee.wellFormed != 0) {
            return .failure(problem)
        }
        if let builder = state.builder {
            guard let root = builder.root else {
                return .failure(Problem(code: .malformed, message: "document has no root element"))
            }
            return .success(root)
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else {
            return .failure(Problem(code: .malformed, message: "document has no root element"))
        }
        return buildTree(root: root, maxDepth: state.maxDepth, maxNodes: state.maxNodes)
    }

    /// Copies libxml2's tree into values with an explicit stack, so document depth never becomes Swift stack depth.
    private static func buildTree(root: xmlNodePtr, maxDepth: Int, maxNodes: Int) -> Result<XMLElement, Problem> {
        struct Frame {
            var element: XMLElement
            var nextChild: xmlNodePtr?
        }
        var nodes = 0

        func frame(for node: xmlNodePtr) -> Result<Frame, Problem> {
            var element = XMLElement(name: qualifiedName(node.pointee.name, node.pointee.ns))
            nodes += 1
            var attribute = node.pointee.properties
            while let current = attribute {
                nodes += 1
                switch attributeValue(current) {
                case .success(let value):
                    element.attributes[qualifiedName(current.pointee.name, current.pointee.ns)] = value
                case .failure(var problem):
                    problem.line = lineOf(node)
                    return .failure(problem)
                }
                attribute = current.pointee.next
            }
            guard nodes <= maxNodes else {
                return .failure(Problem(
                    code: .tooManyNodes,
                    message: "more than \(maxNodes) elements and attributes",
                    line: lineOf(node)
                ))
            }
            return .success(Frame(element: element, nextChild: node.pointee.children))
        }

        var stack: [Frame] = []
        switch frame(for: root) {
        case .success(let first): stack.append(first)
        case .failure(let problem): return .failure(problem)
        }

        while let top = stack.indices.last {
            guard let child = stack[top].nextChild else {
                let finished = stack.removeLast().element
                guard let parent = stack.indices.last else { return .success(finished) }
                stack[parent].element.children.append(finished)
                continue
            }
            stack[top].nextChild = child.pointee.next
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                guard stack.count < maxDepth else {
                    return .failure(Problem(
                        code: .tooDeep,
                        message: "elements nest deeper than \(maxDepth) levels",
                        line: lineOf(child)
                    ))
                }
                switch frame(for: child) {
                case .success(let next): stack.append(next)
                case .failure(let problem): return .failure(problem)
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content {
                    stack[top].element.text += String(cString: content)
                }
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_ENTITY_DECL:
                return .failure(Problem(
                    code: .entity,
                    message: "entity references are not allowed",
                    line: lineOf(child)
                ))
            default:
                continue
            }
        }
        return .failure(Problem(code: .internal, message: "tree conversion ended without a root"))
    }

    private static func attributeValue(_ attribute: xmlAttrPtr) -> Result<String, Problem> {
        var value = ""
        var part = attribute.pointee.children
        while let node = part {
            switch node.pointee.type {
            case XML_TEXT_NODE:
                if let content = node.pointee.content { value += String(cString: content) }
            case XML_ENTITY_REF_NODE:
                return .failure(Problem(code: .entity, message: "entity references are not allowed in attributes"))
            default:
                break
            }
            part = node.pointee.next
        }
        return .success(value)
    }

    private static func qualifiedName(_ local: UnsafePointer<xmlChar>?, _ ns: xmlNsPtr?) -> String {
        let name = string(local)
        guard let prefix = ns?.pointee.prefix else { return name }
        return string(prefix) + ":" + name
    }

    private static func lineOf(_ node: xmlNodePtr) -> Int? {
        let line = xmlGetLineNo(node)
        return line > 0 ? Int(line) : nil
    }
}
