import StageKit
/// The JSON types a `type` keyword admits, as bits, so that the check is one mask test.
struct SchemaTypeSet: OptionSet, Sendable {
    let rawValue: UInt8

    static let null = SchemaTypeSet(rawValue: 1 << 0)
    static let boolean = SchemaTypeSet(rawValue: 1 << 1)
    static let integer = SchemaTypeSet(rawValue: 1 << 2)
    static let number = SchemaTypeSet(rawValue: 1 << 3)
    static let string = SchemaTypeSet(rawValue: 1 << 4)
    static let array = SchemaTypeSet(rawValue: 1 << 5)
    static let object = SchemaTypeSet(rawValue: 1 << 6)

    static let names: [(String, SchemaTypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .integer: return !isDisjoint(with: [.integer, .number])
        case .number(let double):
            if contains(.number) { return true }
            return contains(.integer) && double.isFinite && double.rounded() == double
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }

    var listing: String {
        let spelled = Self.names.filter { contains($0.1) }.map { "\"\($0.0)\"" }
        return spelled.count == 1 ? spelled[0] : "one of " + spelled.joined(separator: ", ")
    }
}

/// How the members of an object are checked by `properties`, `patternProperties`,
/// `additionalProperties` and `propertyNames`, which all walk the same members and are done in one pass.
/// A class, so that handing it to the evaluator costs one reference count rather than one per field.
final class MemberRules: Sendable {
    /// `properties`, sorted by name so that issues come out in a stable order.
    let properties: [(name: String, node: Int)]
    let propertyNodes: [String: Int]
    let patterns: [(regex: ECMARegex, node: Int)]
    let additional: Int?
    /// Set when `additionalProperties` is `false`, to report the property by name rather than as a false schema.
    let additionalIsFalse: Bool
    let propertyNames: Int?
    /// True when only `properties` is present: then the schema's names are looked up in the instance
    /// instead of walking every member of the instance.
    let onlyNamedProperties: Bool

    init(
        properties: [(name: String, node: Int)], patterns: [(regex: ECMARegex, node: Int)], additional: Int?,
        additionalIsFalse: Bool, propertyNames: Int?
    ) {
        self.properties = properties
        var nodes: [String: Int] = [:]
        for property in properties { nodes[property.name] = property.node }
        propertyNodes = nodes
        self.patterns = patterns
        self.additional = additional
        self.additionalIsFalse = additionalIsFalse
        self.propertyNames = propertyNames
        onlyNamedProperties = patterns.isEmpty && additional == nil && propertyNames == nil
    }

    /// The subschema `properties` gives for `key`, if any.
    @inline(__always) func node(for key: String) -> Int? {
        if properties.count > smallObjectLimit { return propertyNodes[key] }
        for property in properties where property.name == key { return property.node }
        return nil
    }
}

/// Up to this many names, comparing strings one by one beats hashing them (Swift hashes with SipHash).
let smallObjectLimit = 12

/// The member `name` of an instance object, found without hashing when the object is small.
@inline(__always) func member(_ members: [String: JSONValue], _ name: String) -> JSONValue? {
    if members.count > smallObjectLimit { return members[name] }
    var index = members.startIndex
    while index != members.endIndex {
        if members.keys[index] == name { return members.values[index] }
        members.formIndex(after: &index)
    }
    return nil
}

/// One compiled keyword (or group of keywords evaluated together) of a schema object.
indirect enum SchemaKeyword: Sendable {
    case type(SchemaTypeSet)
    case enumeration([JSONValue])
    case enumerationSet(Set<ExactJSON>, count: Int)
    case constant(JSONValue)

    case members(MemberRules)
    case required([String])
    case dependentRequired([(name: String, required: [String])])
    case dependentSchemas([(name: String, node: Int)])
    case minProperties(Int)
    case maxProperties(Int)

    case prefixItems([Int])
    case items(node: Int, from: Int)
    case contains(node: Int, minimum: Int, maximum: Int?)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems

    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)

    case minimum(SchemaNumber)
    case maximum(SchemaNumber)
    case exclusiveMinimum(SchemaNumber)
    case exclusiveMaximum(SchemaNumber)
    case multipleOf(SchemaNumber)

    case reference(Int)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(condition: Int, then: Int?, else: Int?)
}

/// A compiled schema object or boolean schema. Keywords are grouped by the instance type they apply to,
/// so that evaluating a string never looks at object or array keywords.
final class SchemaNode: Sendable {
    /// Non-nil for the boolean schemas `true` and `false`.
    let constant: Bool?
    /// `type`, `enum`, `const`: checked first because they explain a failure best.
    let leading: [SchemaKeyword]
    let object: [SchemaKeyword]
    let array: [SchemaKeyword]
    let string: [SchemaKeyword]
    let number: [SchemaKeyword]
    /// `$ref` and the in-place applicators, evaluated last.
    let applicators: [SchemaKeyword]

    init(constant: Bool) {
        self.constant = constant
        leading = []
        object = []
        array = []
        string = []
        number = []
        applicators = []
    }

    init(
        leading: [SchemaKeyword], object: [SchemaKeyword], array: [SchemaKeyword], string: [SchemaKeyword],
        number: [SchemaKeyword], applicators: [SchemaKeyword]
    ) {
        constant = leading.isEmpty && object.isEmpty && array.isEmpty && string.isEmpty && number.isEmpty
            && applicators.isEmpty ? true : nil
        self.leading = leading
        self.object = object
        self.array = array
        self.string = string
        self.number = number
        self.applicators = applicators
    }
}

/// Every node reachable from one root schema, with `$ref`s already resolved to node indices.
/// Immutable once built, hence safe to share between threads without locks.
final class SchemaProgram: Sendable {
    let nodes: [SchemaNode]

    init(nodes: [SchemaNode]) { self.nodes = nodes }
}

/// JSON Schema equality for `enum`, `const` and `uniqueItems`.
///
/// `JSONValue`'s own `==` compares strings as Swift does, by canonical equivalence, so "é" and "e"
/// followed by a combining accent are equal there; JSON Schema compares code points, so they are not here.
/// Numbers still compare by value (`1 == 1.0`).
func schemaEquals(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.string(var a), .string(var b)):
        // Canonically different strings never have the same code points, so Swift's fast == settles
        // most comparisons; only equal ones need their bytes compared.
        guard a == b else { return false }
        return a.withUTF8 { first in b.withUTF8 { second in first.elementsEqual(second) } }
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { schemaEquals($0, $1) }
    case (.object(let a), .object(let b)):
        guard a.count == b.count else { return false }
        for (key, value) in a {
            guard let other = b[key], schemaEquals(value, other) else { return false }
        }
        return true
    default:
        return lhs == rhs
    }
}

/// A `JSONValue` hashed as usual but compared with `schemaEquals`. Values equal under `schemaEquals` are
/// equal under `==`, so the inherited hash stays consistent.
struct ExactJSON: Hashable, Sendable {
    let value: JSONValue

    static func == (lhs: ExactJSON, rhs: ExactJSON) -> Bool { schemaEquals(lhs.value, rhs.value) }
    func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
}
