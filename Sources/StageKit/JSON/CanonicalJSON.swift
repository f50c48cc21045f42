/// The one way pipe turns records into JSON: any `Encodable` value is encoded into a `JSONValue` and written
/// by `JSONWriter` (keys sorted by code point, numbers in shortest round-trip form), so the same value
/// always gives the same bytes, whichever stage wrote it.
///
/// Optional properties that are nil are written as `null` rather than left out: a record's keys do not
/// depend on its values, which keeps schemas and columnar readers (pandas, DuckDB) simple.
public enum CanonicalJSON {
    /// The value `record` encodes to.
    public static func value(of record: some Encodable) throws -> JSONValue {
        if let value = record as? JSONValue { return value }
        let root = EncodedNode()
        try record.encode(to: TreeEncoder(node: root, codingPath: []))
        return root.value
    }

    /// The compact canonical bytes of a typed record.
    public static func encode(_ record: some Encodable) throws -> [UInt8] {
        JSONWriter.compact(try value(of: record))
    }

    /// The compact canonical bytes of a value.
    public static func bytes(_ value: JSONValue) -> [UInt8] { JSONWriter.compact(value) }
}

/// A value under construction: containers hand out references to their children, so nested containers
/// can be filled in any order.
private final class EncodedNode {
    enum Content {
        case unset
        case leaf(JSONValue)
        case object([String: EncodedNode])
        case array([EncodedNode])
    }

    var content: Content = .unset

    var value: JSONValue {
        switch content {
        case .unset: return .object([:])
        case .leaf(let value): return value
        case .object(let members): return .object(members.mapValues(\.value))
        case .array(let elements): return .array(elements.map(\.value))
        }
    }

    func member(_ key: String) -> EncodedNode {
        var members: [String: EncodedNode] = [:]
        if case .object(let existing) = content { members = existing }
        if let node = members[key] { return node }
        let node = EncodedNode()
        members[key] = node
        content = .object(members)
        return node
    }

    func append() -> EncodedNode {
        var elements: [EncodedNode] = []
        if case .array(let existing) = content { elements = existing }
        let node = EncodedNode()
        elements.append(node)
        content = .array(elements)
        return node
    }

    func makeObject() { if case .unset = content { content = .object([:]) } }
    func makeArray() { if case .unset = content { content = .array([]) } }
}

/// A coding key made from a string or an index.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Scalars to JSON values, with the checks records need: integers must fit in Int64, numbers must be finite.
private enum Scalars {
    static func integer<T: BinaryInteger>(_ value: T, _ path: [any CodingKey]) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "integer \(value) does not fit in 64 signed bits"))
        }
        return .integer(exact)
    }

    static func number(_ value: Double, _ path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) is not a JSON number"))
        }
        return .number(value)
    }

    /// A Float through its own shortest text, so 0.1 stays 0.1 rather than the Double nearest the Float.
    static func number(_ value: Float, _ path: [any CodingKey]) throws -> JSONValue {
        try number(Double("\(value)") ?? Double(value), path)
    }
}

private struct TreeEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedTreeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleTreeContainer(node: node, codingPath: codingPath)
    }
}

/// Encodes a nested value into `node`, taking `JSONValue`s as they are.
private func encodeValue(_ value: some Encodable, into node: EncodedNode, path: [any CodingKey]) throws {
    if let json = value as? JSONValue {
        node.content = .leaf(json)
        return
    }
    try value.encode(to: TreeEncoder(node: node, codingPath: path))
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.member(key.stringValue).content = .leaf(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try Scalars.number(value, codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try Scalars.number(value, codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(try Scalars.integer(value, codingPath + [key]), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try Scalars.integer(value, codingPath + [key]), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: node.member(key.stringValue), path: codingPath + [key])
    }

    // Nil optionals are written as null (see `CanonicalJSON`): the synthesized code calls these.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }

    private mutating func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        guard let value else { return set(.null, key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = node.member(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.member(key.stringValue)
        child.makeArray()
        return UnkeyedTreeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(node: node.member("super"), codingPath: codingPath + [AnyKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let elements) = node.content { return elements.count }
        return 0
    }

    private var nextPath: [any CodingKey] { codingPath + [AnyKey(intValue: count)] }

    mutating func encodeNil() throws { node.append().content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { node.append().content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { node.append().content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { node.append().content = .leaf(try Scalars.number(value, nextPath)) }
    mutating func encode(_ value: Float) throws { node.append().content = .leaf(try Scalars.number(value, nextPath)) }
    mutating func encode(_ value: Int) throws { node.append().content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.append().content = .leaf(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.append().content = .leaf(try Scalars.integer(value, nextPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try encodeValue(value, into: node.append(), path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let child = node.append()
        child.makeObject()
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let child = node.append()
        child.makeArray()
        return UnkeyedTreeContainer(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return TreeEncoder(node: node.append(), codingPath: path)
    }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .leaf(try Scalars.number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { node.content = .leaf(try Scalars.number(value, codingPath)) }
    mutating func encode(_ value: Int) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.content = .leaf(.integer(value)) }
    mutating func encode(_ value: UInt) throws { node.content = .leaf(try Scalars.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { node.content = .leaf(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { node.content = .leaf(try Scalars.integer(value, codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, into: node, path: codingPath) }
}

extension JSONValue: Codable {
    /// Encodes the value as it is (integers stay integers).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: JSONMemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: JSONMemberKey(stringValue: key)) }
        }
    }

    /// Decodes any JSON value; with `ParameterDecoder` the value is taken as it is, so every key of it counts
    /// as known.
    public init(from decoder: any Decoder) throws {
        if let source = decoder as? JSONValueSource {
            self = source.jsonValue
            return
        }
        if let container = try? decoder.container(keyedBy: JSONMemberKey.self) {
            var members: [String: JSONValue] = [:]
            for key in container.allKeys { members[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
            self = .object(members)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// A decoder that holds a `JSONValue` and can hand it over whole.
protocol JSONValueSource {
    var jsonValue: JSONValue { get }
}

/// The key of an object member, any string.
struct JSONMemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
