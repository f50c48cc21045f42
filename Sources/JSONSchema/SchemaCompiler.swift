import StageKit
/// Turns a schema document into a `SchemaProgram`, checking every keyword value on the way.
///
/// Each schema location is compiled once; `$ref` targets are queued rather than compiled recursively,
/// so a long chain of references cannot exhaust the stack at compile time.
struct SchemaCompiler {
    private let index: SchemaIndex
    private var nodes: [SchemaNode?] = []
    private var nodeIDs: [SchemaLocation: Int] = [:]
    private var pending: [(id: Int, location: SchemaLocation, value: JSONValue)] = []
    /// Where each node came from, to name it when reporting a reference cycle.
    private var origins: [SchemaLocation] = []

    /// Keywords of JSON Schema 2020-12 whose effect this validator does not implement. Ignoring them
    /// as unknown keywords would accept instances the schema author meant to reject, so they are refused.
    static let unsupportedKeywords: Set<String> = [
        "$dynamicRef", "$recursiveRef", "unevaluatedProperties", "unevaluatedItems",
    ]

    /// Nested schema objects allowed at compile time, as deep as the JSON parser lets a document be; a
    /// schema built in code could otherwise nest deep enough to exhaust the stack.
    static let maxNesting = 256

    init(index: SchemaIndex) {
        self.index = index
    }

    /// Compiles the document at `documentIndex` and everything it references.
    static func compile(index: SchemaIndex, documentIndex: Int) throws(SchemaError) -> (SchemaProgram, Int) {
        var compiler = SchemaCompiler(index: index)
        let rootLocation = SchemaLocation(document: documentIndex, tokens: [])
        let root = try compiler.node(at: rootLocation, value: index.documents[documentIndex].root, depth: 0)
        while let next = compiler.pending.popLast() {
            let node = try compiler.build(next.value, location: next.location, depth: 0)
            compiler.nodes[next.id] = node
        }
        var finished: [SchemaNode] = []
        finished.reserveCapacity(compiler.nodes.count)
        for node in compiler.nodes {
            // Every reserved slot is filled by the loop above; a gap would be a compiler bug, not bad input.
            guard let node else {
                throw SchemaError(message: "internal error: unresolved schema node", schemaPath: "")
            }
            finished.append(node)
        }
        try compiler.rejectReferenceCycles(finished)
        return (SchemaProgram(nodes: finished), root)
    }

    private func path(_ location: SchemaLocation, _ extra: String...) -> String {
        SchemaIndex.describe(index.documents[location.document].name, location.tokens + extra)
    }

    /// Compiles the schema at `location` now, unless it was compiled or queued before.
    private mutating func node(at location: SchemaLocation, value: JSONValue, depth: Int) throws(SchemaError) -> Int {
        if let existing = nodeIDs[location] { return existing }
        let id = reserve(location)
        nodes[id] = try build(value, location: location, depth: depth)
        return id
    }

    private mutating func reserve(_ location: SchemaLocation) -> Int {
        let id = nodes.count
        nodes.append(nil)
        origins.append(location)
        nodeIDs[location] = id
        return id
    }

    private mutating func subschema(_ value: JSONValue, _ location: SchemaLocation, _ tokens: String..., depth: Int)
        throws(SchemaError) -> Int
    {
        var childLocation = location
        childLocation.tokens.append(contentsOf: tokens)
        return try node(at: childLocation, value: value, depth: depth + 1)
    }

    private mutating func build(_ value: JSONValue, location: SchemaLocation, depth: Int) throws(SchemaError)
        -> SchemaNode
    {
        if depth > Self.maxNesting {
            throw SchemaError(message: "schema nested more than \(Self.maxNesting) levels deep", schemaPath: path(location))
        }
        switch value {
        case .bool(let flag):
            return SchemaNode(constant: flag)
        case .object(let members):
            return try buildObject(members, location: location, depth: depth)
        default:
            throw SchemaError(
                message: "a schema must be an object or a boolean, found \(value.typeName)", schemaPath: path(location))
        }
    }

    private mutating func buildObject(_ members: [String: JSONValue], location: SchemaLocation, depth: Int)
        throws(SchemaError) -> SchemaNode
    {
        for keyword in members.keys.sorted() where Self.unsupportedKeywords.contains(keyword) {
            throw SchemaError(message: "keyword \(keyword) is not supported", schemaPath: path(location, keyword))
        }
        var leading: [SchemaKeyword] = []
        var object: [SchemaKeyword] = []
        var array: [SchemaKeyword] = []
        var string: [SchemaKeyword] = []
        var number: [SchemaKeyword] = []
        var applicators: [SchemaKeyword] = []

        if let value = members["type"] { leading.append(.type(try typeSet(value, location))) }
        if let value = members["enum"] {
            guard case .array(let values) = value else {
                throw SchemaError(message: "enum must be an array", schemaPath: path(location, "enum"))
            }
            // A linear scan beats hashing for the short lists enums usually are.
            leading.append(
                values.count > 8
                    ? .enumerationSet(Set(values.map(ExactJSON.init)), count: values.count) : .enumeration(values))
        }
        if let value = members["const"] { leading.append(.constant(value)) }

        // Object keywords.
        var properties: [(name: String, node: Int)] = []
        var patterns: [(regex: ECMARegex, node: Int)] = []
        if let value = members["properties"] {
            let entries = try schemaMap(value, "properties", location)
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                properties.append((name, try subschema(entry, location, "properties", name, depth: depth)))
            }
        }
        if let value = members["patternProperties"] {
            let entries = try schemaMap(value, "patternProperties", location)
            for source in entries.keys.sorted() {
                guard let entry = entries[source] else { continue }
                let regex = try compileRegex(source, path(location, "patternProperties", source))
                patterns.append((regex, try subschema(entry, location, "patternProperties", source, depth: depth)))
            }
        }
        let additional = try members["additionalProperties"].map { (value) throws(SchemaError) in
            try subschema(value, location, "additionalProperties", depth: depth)
        }
        let propertyNames = try members["propertyNames"].map { (value) throws(SchemaError) in
            try subschema(value, location, "propertyNames", depth: depth)
        }
        if !properties.isEmpty || !patterns.isEmpty || additional != nil || propertyNames != nil {
            object.append(
                .members(
                    MemberRules(
                        properties: properties, patterns: patterns, additional: additional,
                        additionalIsFalse: members["additionalProperties"] == .bool(false),
                        propertyNames: propertyNames)))
        }
        if let value = members["required"] {
            let names = try stringArray(value, "required", location)
            if !names.isEmpty { object.append(.required(names)) }
        }
        if let value = members["dependentRequired"] {
            guard case .object(let entries) = value else {
                throw SchemaError(message: "dependentRequired must be an object", schemaPath: path(location, "dependentRequired"))
            }
            var dependencies: [(name: String, required: [String])] = []
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                dependencies.append((name, try stringArray(entry, "dependentRequired", location, name)))
            }
            if !dependencies.isEmpty { object.append(.dependentRequired(dependencies)) }
        }
        if let value = members["dependentSchemas"] {
            let entries = try schemaMap(value, "dependentSchemas", location)
            var dependencies: [(name: String, node: Int)] = []
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                dependencies.append((name, try subschema(entry, location, "dependentSchemas", name, depth: depth)))
            }
            if !dependencies.isEmpty { object.append(.dependentSchemas(dependencies)) }
        }
        if let value = members["minProperties"] {
            object.append(.minProperties(try count(value, "minProperties", location)))
        }
        if let value = members["maxProperties"] {
            object.append(.maxProperties(try count(value, "maxProperties", location)))
        }

        // Array keywords.
        var prefixCount = 0
        if let value = members["prefixItems"] {
            let elements = try schemaArray(value, "prefixItems", location)
            var nodes: [Int] = []
            for (position, element) in elements.enumerated() {
                nodes.append(try subschema(element, location, "prefixItems", String(position), depth: depth))
            }
            prefixCount = nodes.count
            array.append(.prefixItems(nodes))
        }
        if let value = members["items"] {
            if case .array = value {
                throw SchemaError(
                    message: "items must be a schema in draft 2020-12; use prefixItems for tuples",
                    schemaPath: path(location, "items"))
            }
            array.append(.items(node: try subschema(value, location, "items", depth: depth), from: prefixCount))
        }
        if let value = members["contains"] {
            let node = try subschema(value, location, "contains", depth: depth)
            let minimum = try members["minContains"].map { (value) throws(SchemaError) in
                try count(value, "minContains", location)
            } ?? 1
            let maximum = try members["maxContains"].map { (value) throws(SchemaError) in
                try count(value, "maxContains", location)
            }
            array.append(.contains(node: node, minimum: minimum, maximum: maximum))
        } else {
            // Without contains these two have no effect, but a malformed value is still a schema error.
            if let value = members["minContains"] { _ = try count(value, "minContains", location) }
            if let value = members["maxContains"] { _ = try count(value, "maxContains", location) }
        }
        if let value = members["minItems"] { array.append(.minItems(try count(value, "minItems", location))) }
        if let value = members["maxItems"] { array.append(.maxItems(try count(value, "maxItems", location))) }
        if let value = members["uniqueItems"] {
            guard case .bool(let unique) = value else {
                throw SchemaError(message: "uniqueItems must be a boolean", schemaPath: path(location, "uniqueItems"))
            }
            if unique { array.append(.uniqueItems) }
        }

        // String keywords.
        if let value = members["minLength"] { string.append(.minLength(try count(value, "minLength", location))) }
        if let value = members["maxLength"] { string.append(.maxLength(try count(value, "maxLength", location))) }
        if let value = members["pattern"] {
            guard case .string(let source) = value else {
                throw SchemaError(message: "pattern must be a string", schemaPath: path(location, "pattern"))
            }
            string.append(.pattern(try compileRegex(source, path(location, "pattern"))))
        }

        // Number keywords.
        if let value = members["minimum"] { number.append(.minimum(try numberValue(value, "minimum", location))) }
        if let value = members["maximum"] { number.append(.maximum(try numberValue(value, "maximum", location))) }
        if let value = members["exclusiveMinimum"] {
            number.append(.exclusiveMinimum(try numberValue(value, "exclusiveMinimum", location)))
        }
        if let value = members["exclusiveMaximum"] {
            number.append(.exclusiveMaximum(try numberValue(value, "exclusiveMaximum", location)))
        }
        if let value = members["multipleOf"] {
            let divisor = try numberValue(value, "multipleOf", location)
            guard divisor.compare(to: .integer(0)) == 1 else {
                throw SchemaError(message: "multipleOf must be greater than 0", schemaPath: path(location, "multipleOf"))
            }
            if case .double(let double) = divisor, !double.isFinite {
                throw SchemaError(message: "multipleOf must be finite", schemaPath: path(location, "multipleOf"))
            }
            number.append(.multipleOf(divisor))
        }

        // Applicators evaluated in place.
        if let value = members["$ref"] {
            guard case .string(let reference) = value else {
                throw SchemaError(message: "$ref must be a string", schemaPath: path(location, "$ref"))
            }
            applicators.append(.reference(try resolve(reference, from: location)))
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            guard let value = members[keyword] else { continue }
            let elements = try schemaArray(value, keyword, location)
            if elements.isEmpty {
                throw SchemaError(message: "\(keyword) must not be empty", schemaPath: path(location, keyword))
            }
            var nodes: [Int] = []
            for (position, element) in elements.enumerated() {
                nodes.append(try subschema(element, location, keyword, String(position), depth: depth))
            }
            switch keyword {
            case "allOf": applicators.append(.allOf(nodes))
            case "anyOf": applicators.append(.anyOf(nodes))
            default: applicators.append(.oneOf(nodes))
            }
        }
        if let value = members["not"] { applicators.append(.not(try subschema(value, location, "not", depth: depth))) }
        // then and else are compiled even without if, so that their errors are reported, but only used with it.
        let thenNode = try members["then"].map { (value) throws(SchemaError) in
            try subschema(value, location, "then", depth: depth)
        }
        let elseNode = try members["else"].map { (value) throws(SchemaError) in
            try subschema(value, location, "else", depth: depth)
        }
        if let value = members["if"] {
            let condition = try subschema(value, location, "if", depth: depth)
            if thenNode != nil || elseNode != nil {
                applicators.append(.conditional(condition: condition, then: thenNode, else: elseNode))
            }
        }

        // Definitions are compiled even when unused so that a broken one is reported with its schema.
        for keyword in ["$defs", "definitions"] {
            guard let value = members[keyword] else { continue }
            // definitions is not a 2020-12 keyword; it is only compiled when it has the old meaning.
            if keyword == "definitions", value.objectValue == nil { continue }
            let entries = try schemaMap(value, keyword, location)
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                _ = try subschema(entry, location, keyword, name, depth: depth)
            }
        }

        return SchemaNode(
            leading: leading, object: object, array: array, string: string, number: number, applicators: applicators)
    }

    // MARK: - References

    private mutating func resolve(_ reference: String, from location: SchemaLocation) throws(SchemaError) -> Int {
        let errorPath = path(location, "$ref")
        let referenceURI = SchemaURI(parsing: reference)
        let target = index.base(at: location).resolving(referenceURI)
        guard let fragment = percentDecoded(target.fragment ?? "") else {
            throw SchemaError(message: "$ref \"\(reference)\" has a malformed percent-encoding", schemaPath: errorPath)
        }
        let resourceURI = target.withoutFragment.description
        var resource = index.location(of: resourceURI)
        if resource == nil, !referenceURI.isAbsolute, let file = target.lastPathSegment,
            let document = index.document(named: file)
        {
            // A relative reference such as "manifest.schema.json#/$defs/file" names a bundled file whatever
            // the base of the referring schema is.
            resource = SchemaLocation(document: document, tokens: [])
        }
        guard let resource else {
            throw SchemaError(
                message: "unresolvable $ref \"\(reference)\" (resolved to \(resourceURI))", schemaPath: errorPath)
        }
        guard let pointer = JSONPointer.tokens(fragment) else {
            throw SchemaError(
                message: "$ref \"\(reference)\" uses a plain-name fragment ($anchor), which is not supported",
                schemaPath: errorPath)
        }
        var targetLocation = resource
        targetLocation.tokens.append(contentsOf: pointer)
        if let existing = nodeIDs[targetLocation] { return existing }
        guard let value = JSONPointer.resolve(targetLocation.tokens, in: index.documents[resource.document].root)
        else {
            throw SchemaError(
                message: "$ref \"\(reference)\" points to nothing (\(SchemaIndex.describe(index.documents[resource.document].name, targetLocation.tokens)))",
                schemaPath: errorPath)
        }
        let id = reserve(targetLocation)
        pending.append((id, targetLocation, value))
        return id
    }

    /// Refuses schemas in which a node reaches itself again without moving into the instance, such as
    /// `{"$ref": "#"}` or `{"anyOf": [{"$ref": "#"}]}`: evaluating them would never end.
    private func rejectReferenceCycles(_ nodes: [SchemaNode]) throws(SchemaError) {
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 on the stack, 2 done
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: Int, edges: [Int], next: Int)] = [(start, Self.inPlaceEdges(nodes[start]), 0)]
            state[start] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next == stack[top].edges.count {
                    state[stack[top].node] = 2
                    stack.removeLast()
                    continue
                }
                let target = stack[top].edges[stack[top].next]
                stack[top].next += 1
                if state[target] == 1 {
                    throw SchemaError(
                        message: "$ref cycle: this schema applies to the same value again without end",
                        schemaPath: path(origins[target]))
                }
                if state[target] == 0 {
                    state[target] = 1
                    stack.append((target, Self.inPlaceEdges(nodes[target]), 0))
                }
            }
        }
    }

    private static func inPlaceEdges(_ node: SchemaNode) -> [Int] {
        var edges: [Int] = []
        for keyword in node.applicators {
            switch keyword {
            case .reference(let target): edges.append(target)
            case .allOf(let targets), .anyOf(let targets), .oneOf(let targets): edges.append(contentsOf: targets)
            case .not(let target): edges.append(target)
            case .conditional(let condition, let thenNode, let elseNode):
                edges.append(condition)
                if let thenNode { edges.append(thenNode) }
                if let elseNode { edges.append(elseNode) }
            default: break
            }
        }
        for case .dependentSchemas(let dependencies) in node.object {
            edges.append(contentsOf: dependencies.map(\.node))
        }
        return edges
    }

    // MARK: - Keyword values

    private func typeSet(_ value: JSONValue, _ location: SchemaLocation) throws(SchemaError) -> SchemaTypeSet {
        func single(_ name: String) throws(SchemaError) -> SchemaTypeSet {
            guard let match = SchemaTypeSet.names.first(where: { $0.0 == name }) else {
                throw SchemaError(message: "unknown type \"\(name)\"", schemaPath: path(location, "type"))
            }
            return match.1
        }
        switch value {
        case .string(let name):
            return try single(name)
        case .array(let elements) where !elements.isEmpty:
            var set: SchemaTypeSet = []
            for element in elements {
                guard case .string(let name) = element else {
                    throw SchemaError(message: "type must list type names", schemaPath: path(location, "type"))
                }
                set.formUnion(try single(name))
            }
            return set
        default:
            throw SchemaError(
                message: "type must be a type name or a non-empty array of them", schemaPath: path(location, "type"))
        }
    }

    private func schemaMap(_ value: JSONValue, _ keyword: String, _ location: SchemaLocation) throws(SchemaError)
        -> [String: JSONValue]
    {
        guard case .object(let entries) = value else {
            throw SchemaError(message: "\(keyword) must be an object of schemas", schemaPath: path(location, keyword))
        }
        return entries
    }

    private func schemaArray(_ value: JSONValue, _ keyword: String, _ location: SchemaLocation) throws(SchemaError)
        -> [JSONValue]
    {
        guard case .array(let elements) = value else {
            throw SchemaError(message: "\(keyword) must be an array of schemas", schemaPath: path(location, keyword))
        }
        return elements
    }

    private func stringArray(_ value: JSONValue, _ keyword: String, _ location: SchemaLocation, _ extra: String...)
        throws(SchemaError) -> [String]
    {
        var tokens = [keyword]
        tokens.append(contentsOf: extra)
        let errorPath = SchemaIndex.describe(index.documents[location.document].name, location.tokens + tokens)
        guard case .array(let elements) = value else {
            throw SchemaError(message: "\(keyword) must be an array of strings", schemaPath: errorPath)
        }
        var names: [String] = []
        var seen: Set<String> = []
        for element in elements {
            guard case .string(let name) = element else {
                throw SchemaError(message: "\(keyword) must be an array of strings", schemaPath: errorPath)
            }
            // Duplicates are tolerated but checked once.
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    private func count(_ value: JSONValue, _ keyword: String, _ location: SchemaLocation) throws(SchemaError) -> Int {
        guard let integer = value.integerValue, integer >= 0 else {
            throw SchemaError(message: "\(keyword) must be a non-negative integer", schemaPath: path(location, keyword))
        }
        return integer > Int64(Int.max) ? Int.max : Int(integer)
    }

    private func numberValue(_ value: JSONValue, _ keyword: String, _ location: SchemaLocation) throws(SchemaError)
        -> SchemaNumber
    {
        guard let number = SchemaNumber(value) else {
            throw SchemaError(message: "\(keyword) must be a number", schemaPath: path(location, keyword))
        }
        return number
    }

    private func compileRegex(_ source: String, _ errorPath: String) throws(SchemaError) -> ECMARegex {
        do {
            return try ECMARegex(source)
        } catch {
            throw SchemaError(message: "invalid pattern \"\(source)\": \(error.message)", schemaPath: errorPath)
        }
    }
}
