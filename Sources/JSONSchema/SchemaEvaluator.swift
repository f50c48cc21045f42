import StageKit
/// Receives the failures of an evaluation. Two kinds exist: one that only needs a yes or no and stops at
/// the first failure, and one that records located issues. The evaluator is generic over the kind, so
/// the yes/no specialization builds no paths and no messages at all.
protocol IssueSink {
    /// Whether evaluation should give up now that something failed.
    var shouldStop: Bool { get }
    /// Whether object members are visited in sorted order, for issues in a stable order.
    static var sortsMembers: Bool { get }
    mutating func report(_ tokens: [String], _ message: () -> String)
    /// A failure that is about one member of the current object (not allowed there), named by its key.
    mutating func report(_ tokens: [String], member: String, _ message: () -> String)
    mutating func enterSchema(_ token: String)
    mutating func enterSchema(_ first: String, _ second: String)
    mutating func leaveSchema(_ count: Int)
    mutating func enterInstance(_ key: String)
    mutating func enterInstance(index: Int)
    mutating func leaveInstance()
}

/// Answers valid or not, as fast as possible.
struct FastSink: IssueSink {
    var shouldStop: Bool { true }
    static var sortsMembers: Bool { false }
    @inline(__always) mutating func report(_ tokens: [String], _ message: () -> String) {}
    @inline(__always) mutating func report(_ tokens: [String], member: String, _ message: () -> String) {}
    @inline(__always) mutating func enterSchema(_ token: String) {}
    @inline(__always) mutating func enterSchema(_ first: String, _ second: String) {}
    @inline(__always) mutating func leaveSchema(_ count: Int) {}
    @inline(__always) mutating func enterInstance(_ key: String) {}
    @inline(__always) mutating func enterInstance(index: Int) {}
    @inline(__always) mutating func leaveInstance() {}
}

/// Records issues with instance and schema paths, up to a limit.
struct CollectingSink: IssueSink {
    var issues: [ValidationIssue] = []
    let limit: Int
    private var schemaTokens: [String] = []
    private var instanceTokens: [String] = []

    init(limit: Int) { self.limit = limit }

    var shouldStop: Bool { issues.count >= limit }
    static var sortsMembers: Bool { true }

    mutating func report(_ tokens: [String], _ message: () -> String) {
        guard issues.count < limit else { return }
        issues.append(
            ValidationIssue(
                instancePath: JSONPointer.join(instanceTokens), schemaPath: JSONPointer.join(schemaTokens + tokens),
                message: message()))
    }

    mutating func report(_ tokens: [String], member: String, _ message: () -> String) {
        guard issues.count < limit else { return }
        var issue = ValidationIssue(
            instancePath: JSONPointer.join(instanceTokens), schemaPath: JSONPointer.join(schemaTokens + tokens),
            message: message())
        issue.member = member
        issues.append(issue)
    }

    mutating func enterSchema(_ token: String) { schemaTokens.append(token) }
    mutating func enterSchema(_ first: String, _ second: String) {
        schemaTokens.append(first)
        schemaTokens.append(second)
    }
    mutating func leaveSchema(_ count: Int) { schemaTokens.removeLast(count) }
    mutating func enterInstance(_ key: String) { instanceTokens.append(key) }
    mutating func enterInstance(index: Int) { instanceTokens.append(String(index)) }
    mutating func leaveInstance() { instanceTokens.removeLast() }
}

/// Evaluates an instance against the nodes of a `SchemaProgram`.
struct SchemaEvaluation<Sink: IssueSink> {
    /// Subschemas evaluated within one another, beyond which evaluation stops with an issue. Reference
    /// cycles that do not move into the instance are refused at compile time, so only very deep
    /// instances meet this limit; it keeps them from exhausting the stack of a worker thread. 768 covers
    /// three nested subschemas for each of the 256 levels the JSON parser allows, and took under 320 KB
    /// of stack in a release build when measured, within the 512 KB of the smallest default thread stacks
    /// (secondary threads on macOS). Debug builds need several times more.
    static var maxDepth: Int { 768 }

    let nodes: [SchemaNode]
    var sink: Sink

    init(nodes: [SchemaNode], sink: Sink) {
        self.nodes = nodes
        self.sink = sink
    }

    mutating func evaluate(_ id: Int, _ instance: JSONValue, depth: Int) -> Bool {
        let node = nodes[id]
        if let constant = node.constant {
            if !constant { sink.report([]) { "no value is allowed here (the schema is false)" } }
            return constant
        }
        if depth >= Self.maxDepth {
            sink.report([]) { "schemas nested more than \(Self.maxDepth) deep; the instance is too deep to validate" }
            return false
        }
        var valid = true
        if !node.leading.isEmpty, !checkAll(node.leading, instance, depth) {
            valid = false
            if sink.shouldStop { return false }
        }
        let typed: [SchemaKeyword]
        switch instance {
        case .object: typed = node.object
        case .array: typed = node.array
        case .string: typed = node.string
        case .integer, .number: typed = node.number
        case .null, .bool: typed = []
        }
        if !typed.isEmpty, !checkAll(typed, instance, depth) {
            valid = false
            if sink.shouldStop { return false }
        }
        if !node.applicators.isEmpty, !checkAll(node.applicators, instance, depth) { valid = false }
        return valid
    }

    /// Checks keywords in order. Elements are passed by index rather than bound by a for-in loop, which
    /// would copy each keyword and its payload's reference counts on every record.
    private mutating func checkAll(_ keywords: [SchemaKeyword], _ instance: JSONValue, _ depth: Int) -> Bool {
        var valid = true
        var position = 0
        while position < keywords.count {
            if !check(keywords[position], instance, depth) {
                valid = false
                if sink.shouldStop { return false }
            }
            position += 1
        }
        return valid
    }

    /// Evaluates without recording anything, for applicators whose subschemas may fail on purpose.
    private func passes(_ id: Int, _ instance: JSONValue, depth: Int) -> Bool {
        var silent = SchemaEvaluation<FastSink>(nodes: nodes, sink: FastSink())
        return silent.evaluate(id, instance, depth: depth + 1)
    }

    /// Evaluates a subschema against a member or element of the instance.
    private mutating func child(
        _ id: Int, _ value: JSONValue, key: String, depth: Int, _ schemaToken: String, _ schemaToken2: String? = nil
    ) -> Bool {
        if let schemaToken2 { sink.enterSchema(schemaToken, schemaToken2) } else { sink.enterSchema(schemaToken) }
        sink.enterInstance(key)
        let passed = evaluate(id, value, depth: depth + 1)
        sink.leaveInstance()
        sink.leaveSchema(schemaToken2 == nil ? 1 : 2)
        return passed
    }

    private mutating func element(
        _ id: Int, _ value: JSONValue, index: Int, depth: Int, _ schemaToken: String, _ schemaToken2: String? = nil
    ) -> Bool {
        if let schemaToken2 { sink.enterSchema(schemaToken, schemaToken2) } else { sink.enterSchema(schemaToken) }
        sink.enterInstance(index: index)
        let passed = evaluate(id, value, depth: depth + 1)
        sink.leaveInstance()
        sink.leaveSchema(schemaToken2 == nil ? 1 : 2)
        return passed
    }

    /// Evaluates a subschema against the instance itself.
    private mutating func inPlace(
        _ id: Int, _ instance: JSONValue, depth: Int, _ schemaToken: String, _ schemaToken2: String? = nil
    ) -> Bool {
        if let schemaToken2 { sink.enterSchema(schemaToken, schemaToken2) } else { sink.enterSchema(schemaToken) }
        let passed = evaluate(id, instance, depth: depth + 1)
        sink.leaveSchema(schemaToken2 == nil ? 1 : 2)
        return passed
    }

    private mutating func check(_ keyword: SchemaKeyword, _ instance: JSONValue, _ depth: Int) -> Bool {
        switch keyword {
        case .type(let types):
            if types.admits(instance) { return true }
            sink.report(["type"]) { "expected type \(types.listing), found \"\(instance.typeName)\"" }
            return false
        case .enumeration(let values):
            if values.contains(where: { schemaEquals($0, instance) }) { return true }
            sink.report(["enum"]) { "\(render(instance)) is not one of \(render(.array(values)))" }
            return false
        case .enumerationSet(let values, let count):
            if values.contains(ExactJSON(value: instance)) { return true }
            sink.report(["enum"]) { "\(render(instance)) is not one of the \(count) allowed values" }
            return false
        case .constant(let expected):
            if schemaEquals(instance, expected) { return true }
            sink.report(["const"]) { "\(render(instance)) is not the required value \(render(expected))" }
            return false
        case .reference(let target):
            return inPlace(target, instance, depth: depth, "$ref")
        case .allOf(let targets):
            var valid = true
            for (position, target) in targets.enumerated()
            where !inPlace(target, instance, depth: depth, "allOf", String(position)) {
                valid = false
                if sink.shouldStop { return false }
            }
            return valid
        case .anyOf(let targets):
            if targets.contains(where: { passes($0, instance, depth: depth) }) { return true }
            sink.report(["anyOf"]) { "\(render(instance)) matches none of the \(targets.count) anyOf schemas" }
            return false
        case .oneOf(let targets):
            var matching: [Int] = []
            for (position, target) in targets.enumerated() where passes(target, instance, depth: depth) {
                matching.append(position)
                if matching.count == 2 { break }
            }
            if matching.count == 1 { return true }
            if matching.isEmpty {
                sink.report(["oneOf"]) { "\(render(instance)) matches none of the \(targets.count) oneOf schemas" }
            } else {
                sink.report(["oneOf"]) {
                    "\(render(instance)) matches oneOf schemas \(matching[0]) and \(matching[1]), but must match exactly one"
                }
            }
            return false
        case .not(let target):
            if !passes(target, instance, depth: depth) { return true }
            sink.report(["not"]) { "\(render(instance)) must not match the schema of \"not\"" }
            return false
        case .conditional(let condition, let thenNode, let elseNode):
            if passes(condition, instance, depth: depth) {
                guard let thenNode else { return true }
                return inPlace(thenNode, instance, depth: depth, "then")
            }
            guard let elseNode else { return true }
            return inPlace(elseNode, instance, depth: depth, "else")
        default:
            switch instance {
            case .object(let members): return checkObject(keyword, members, instance, depth)
            case .array(let elements): return checkArray(keyword, elements, depth)
            case .string(let text): return checkString(keyword, text)
            default:
                guard let number = SchemaNumber(instance) else { return true }
                return checkNumber(keyword, number)
            }
        }
    }

    private mutating func checkObject(
        _ keyword: SchemaKeyword, _ members: [String: JSONValue], _ instance: JSONValue, _ depth: Int
    ) -> Bool {
        switch keyword {
        case .members(let rules):
            return checkMembers(rules, members, depth)
        case .required(let names):
            var valid = true
            for name in names where member(members, name) == nil {
                valid = false
                sink.report(["required"]) { "missing required property \(quoted(name))" }
                if sink.shouldStop { return false }
            }
            return valid
        case .dependentRequired(let dependencies):
            var valid = true
            for dependency in dependencies where member(members, dependency.name) != nil {
                for name in dependency.required where member(members, name) == nil {
                    valid = false
                    sink.report(["dependentRequired", dependency.name]) {
                        "missing property \(quoted(name)), required when \(quoted(dependency.name)) is present"
                    }
                    if sink.shouldStop { return false }
                }
            }
            return valid
        case .dependentSchemas(let dependencies):
            var valid = true
            for dependency in dependencies where member(members, dependency.name) != nil {
                if !inPlace(dependency.node, instance, depth: depth, "dependentSchemas", dependency.name) {
                    valid = false
                    if sink.shouldStop { return false }
                }
            }
            return valid
        case .minProperties(let minimum):
            if members.count >= minimum { return true }
            sink.report(["minProperties"]) { "expected at least \(minimum) properties, found \(members.count)" }
            return false
        case .maxProperties(let maximum):
            if members.count <= maximum { return true }
            sink.report(["maxProperties"]) { "expected at most \(maximum) properties, found \(members.count)" }
            return false
        default:
            return true
        }
    }

    private mutating func checkMembers(_ rules: MemberRules, _ members: [String: JSONValue], _ depth: Int) -> Bool {
        var valid = true
        if rules.onlyNamedProperties {
            for property in rules.properties {
                guard let value = member(members, property.name) else { continue }
                if !child(property.node, value, key: property.name, depth: depth, "properties", property.name) {
                    valid = false
                    if sink.shouldStop { return false }
                }
            }
            return valid
        }
        if Sink.sortsMembers {
            for key in members.keys.sorted() {
                guard let value = members[key] else { continue }
                if !checkMember(rules, key, value, depth) {
                    valid = false
                    if sink.shouldStop { return false }
                }
            }
        } else {
            for (key, value) in members where !checkMember(rules, key, value, depth) {
                valid = false
                if sink.shouldStop { return false }
            }
        }
        return valid
    }

    private mutating func checkMember(_ rules: MemberRules, _ key: String, _ value: JSONValue, _ depth: Int) -> Bool {
        var valid = true
        if let names = rules.propertyNames, !passes(names, .string(key), depth: depth) {
            valid = false
            sink.report(["propertyNames"]) { "property name \(quoted(key)) does not match propertyNames" }
            if sink.shouldStop { return false }
        }
        var matched = false
        if let node = rules.node(for: key) {
            matched = true
            if !child(node, value, key: key, depth: depth, "properties", key) {
                valid = false
                if sink.shouldStop { return false }
            }
        }
        for pattern in rules.patterns where pattern.regex.matches(key) {
            matched = true
            if !child(pattern.node, value, key: key, depth: depth, "patternProperties", pattern.regex.source) {
                valid = false
                if sink.shouldStop { return false }
            }
        }
        if !matched, let additional = rules.additional {
            if rules.additionalIsFalse {
                sink.report(["additionalProperties"], member: key) { "additional property \(quoted(key)) is not allowed" }
                return false
            }
            if !child(additional, value, key: key, depth: depth, "additionalProperties") { return false }
        }
        return valid
    }

    private mutating func checkArray(_ keyword: SchemaKeyword, _ elements: [JSONValue], _ depth: Int) -> Bool {
        switch keyword {
        case .prefixItems(let targets):
            var valid = true
            for (position, target) in zip(targets.indices, targets) where position < elements.count {
                if !element(target, elements[position], index: position, depth: depth, "prefixItems", String(position)) {
                    valid = false
                    if sink.shouldStop { return false }
                }
            }
            return valid
        case .items(let target, let start):
            var valid = true
            var position = start
            while position < elements.count {
                if !element(target, elements[position], index: position, depth: depth, "items") {
                    valid = false
                    if sink.shouldStop { return false }
                }
                position += 1
            }
            return valid
        case .contains(let target, let minimum, let maximum):
            if minimum == 0 && maximum == nil { return true }
            var matches = 0
            for value in elements where passes(target, value, depth: depth) {
                matches += 1
                if maximum == nil && matches >= minimum { return true }
                if let maximum, matches > maximum { break }
            }
            if matches < minimum {
                sink.report(["contains"]) {
                    minimum == 1
                        ? "no item matches the contains schema"
                        : "expected at least \(minimum) items matching contains, found \(matches)"
                }
                return false
            }
            if let maximum, matches > maximum {
                sink.report(["maxContains"]) { "expected at most \(maximum) items matching contains, found more" }
                return false
            }
            return true
        case .minItems(let minimum):
            if elements.count >= minimum { return true }
            sink.report(["minItems"]) { "expected at least \(minimum) items, found \(elements.count)" }
            return false
        case .maxItems(let maximum):
            if elements.count <= maximum { return true }
            sink.report(["maxItems"]) { "expected at most \(maximum) items, found \(elements.count)" }
            return false
        case .uniqueItems:
            guard let (first, second) = firstDuplicate(elements) else { return true }
            sink.report(["uniqueItems"]) { "items \(first) and \(second) are equal, but items must be unique" }
            return false
        default:
            return true
        }
    }

    private func firstDuplicate(_ elements: [JSONValue]) -> (Int, Int)? {
        guard elements.count > 1 else { return nil }
        // Pairwise comparison is cheaper than hashing for the short arrays most records hold.
        if elements.count <= 16 {
            for second in 1..<elements.count {
                for first in 0..<second where schemaEquals(elements[first], elements[second]) { return (first, second) }
            }
            return nil
        }
        var seen: [ExactJSON: Int] = [:]
        seen.reserveCapacity(elements.count)
        for (position, value) in elements.enumerated() {
            if let earlier = seen.updateValue(position, forKey: ExactJSON(value: value)) { return (earlier, position) }
        }
        return nil
    }

    private mutating func checkString(_ keyword: SchemaKeyword, _ text: String) -> Bool {
        switch keyword {
        case .minLength(let minimum):
            // UTF-8 length bounds the code point count from both sides, which often settles it without counting.
            let bytes = text.utf8.count
            if bytes / 4 >= minimum { return true }
            let length = bytes < minimum ? bytes : text.unicodeScalars.count
            if length >= minimum { return true }
            sink.report(["minLength"]) { "expected at least \(minimum) characters, found \(text.unicodeScalars.count)" }
            return false
        case .maxLength(let maximum):
            let bytes = text.utf8.count
            if bytes <= maximum { return true }
            let length = text.unicodeScalars.count
            if length <= maximum { return true }
            sink.report(["maxLength"]) { "expected at most \(maximum) characters, found \(length)" }
            return false
        case .pattern(let regex):
            if regex.matches(text) { return true }
            sink.report(["pattern"]) { "\(render(.string(text))) does not match the pattern \(quoted(regex.source))" }
            return false
        default:
            return true
        }
    }

    private mutating func checkNumber(_ keyword: SchemaKeyword, _ number: SchemaNumber) -> Bool {
        switch keyword {
        case .minimum(let bound):
            if let order = number.compare(to: bound), order >= 0 { return true }
            sink.report(["minimum"]) { "\(number.description) is less than the minimum \(bound.description)" }
            return false
        case .maximum(let bound):
            if let order = number.compare(to: bound), order <= 0 { return true }
            sink.report(["maximum"]) { "\(number.description) is greater than the maximum \(bound.description)" }
            return false
        case .exclusiveMinimum(let bound):
            if number.compare(to: bound) == 1 { return true }
            sink.report(["exclusiveMinimum"]) {
                "\(number.description) is not greater than the exclusive minimum \(bound.description)"
            }
            return false
        case .exclusiveMaximum(let bound):
            if number.compare(to: bound) == -1 { return true }
            sink.report(["exclusiveMaximum"]) {
                "\(number.description) is not less than the exclusive maximum \(bound.description)"
            }
            return false
        case .multipleOf(let divisor):
            if number.isMultiple(of: divisor) { return true }
            sink.report(["multipleOf"]) { "\(number.description) is not a multiple of \(divisor.description)" }
            return false
        default:
            return true
        }
    }
}

/// A value as an issue message shows it: compact JSON, cut short when long.
func render(_ value: JSONValue) -> String {
    let text = JSONWriter.compactString(value)
    guard text.count > 80 else { return text }
    return String(text.prefix(77)) + "..."
}

private func quoted(_ text: String) -> String { render(.string(text)) }
