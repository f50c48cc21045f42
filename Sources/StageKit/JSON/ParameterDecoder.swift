import Foundation

/// Decodes a stage's `params:` (or any configuration value) into its typed `Decodable` form.
///
/// Every problem is a `PipeError` whose `field` is the JSON pointer of the offending value, so the engine
/// can print `file:line:col` of the pipeline file. Unlike `JSONDecoder` it also refuses keys the type never
/// asked for: a misspelt optional parameter would otherwise be ignored and its default used silently.
public enum ParameterDecoder {
    /// Decodes `value` as `type`; throws `params.type`, `params.missing`, `params.invalid` or
    /// `params.unknown` errors with the field's pointer.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let ledger = KeyLedger()
        let decoded: T
        do {
            decoded = try T(from: ValueDecoder(value: value, codingPath: [], ledger: ledger))
        } catch let error as DecodingError {
            throw pipeError(error)
        }
        if let unknown = ledger.firstUnknown(in: value) { throw unknown }
        return decoded
    }

    /// The keys `type` asks for at each object of `value` (pointer → keys), for checking a schema's
    /// documented keys against the type.
    public static func requestedKeys<T: Decodable>(_ type: T.Type, decoding value: JSONValue) throws -> [String: Set<String>] {
        let ledger = KeyLedger()
        do {
            _ = try T(from: ValueDecoder(value: value, codingPath: [], ledger: ledger))
        } catch let error as DecodingError {
            throw pipeError(error)
        }
        return ledger.requested
    }

    /// A JSON pointer for a coding path: `/minhash/bands`.
    public static func pointer(_ path: [any CodingKey]) -> String {
        path.map { "/" + ($0.intValue.map(String.init) ?? escape($0.stringValue)) }.joined()
    }

    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func name(_ path: [any CodingKey]) -> String {
        let text = pointer(path)
        return text.isEmpty ? "the parameters" : "'\(String(text.dropFirst()))'"
    }

    static func pipeError(_ error: DecodingError) -> PipeError {
        switch error {
        case .typeMismatch(let type, let context):
            return PipeError("params.type", "\(name(context.codingPath)) must be \(typeName(type)); \(context.debugDescription)",
                             field: pointer(context.codingPath))
        case .valueNotFound(let type, let context):
            return PipeError("params.type", "\(name(context.codingPath)) must be \(typeName(type)), not null",
                             field: pointer(context.codingPath))
        case .keyNotFound(let key, let context):
            let path = context.codingPath + [key]
            return PipeError("params.missing", "missing required parameter \(name(path))", field: pointer(context.codingPath))
        case .dataCorrupted(let context):
            return PipeError("params.invalid", "\(name(context.codingPath)): \(context.debugDescription)",
                             field: pointer(context.codingPath))
        @unknown default:
            return PipeError("params.invalid", "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "a boolean"
        case is String.Type: return "a string"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt32.Type, is UInt.Type: return "an integer"
        default:
            let text = "\(type)"
            if text.hasPrefix("Array<") { return "a list" }
            if text.hasPrefix("Dictionary<") { return "a mapping" }
            return "a mapping"
        }
    }
}

/// Which keys the decoded type asked for, at each object it opened as a keyed container.
private final class KeyLedger {
    /// Pointer of an object → keys asked for there.
    var requested: [String: Set<String>] = [:]
    /// Objects whose every key counts as known (decoded as a dictionary or a raw `JSONValue`).
    var open: Set<String> = []

    func ask(_ key: String, at pointer: String) { requested[pointer, default: []].insert(key) }
    func opened(_ pointer: String) { if requested[pointer] == nil { requested[pointer] = [] } }

    /// The first key, in document order of pointers, that is present but was never asked for.
    func firstUnknown(in value: JSONValue) -> PipeError? {
        func walk(_ value: JSONValue, _ pointer: String) -> PipeError? {
            switch value {
            case .object(let members):
                if let asked = requested[pointer], !open.contains(pointer) {
                    for key in members.keys.sorted() where !asked.contains(key) {
                        let known = asked.sorted().joined(separator: ", ")
                        return PipeError("params.unknown", "unknown parameter '\(key)' (known here: \(known.isEmpty ? "none" : known))",
                                         field: pointer + "/" + ParameterDecoder.escape(key))
                    }
                }
                for key in members.keys.sorted() {
                    if let member = members[key], let error = walk(member, pointer + "/" + ParameterDecoder.escape(key)) {
                        return error
                    }
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    if let error = walk(element, pointer + "/\(index)") { return error }
                }
            default:
                break
            }
            return nil
        }
        return walk(value, "")
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) {
        stringValue = String(index)
        intValue = index
    }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

/// Reads scalars out of `JSONValue`s with the conversions configuration needs (an integral number is an integer).
private enum Conversions {
    static func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "found \(value.typeName)"))
    }

    static func bool(_ value: JSONValue, _ path: [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, path) }
        return flag
    }

    static func string(_ value: JSONValue, _ path: [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, path) }
        return text
    }

    static func double(_ value: JSONValue, _ path: [any CodingKey]) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch(Double.self, value, path) }
        return number
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
        guard let number = value.integerValue else {
            if let whole = value.doubleValue, whole.isFinite, whole.rounded() == whole {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(whole) is out of range"))
            }
            throw mismatch(type, value, path)
        }
        guard let exact = T(exactly: number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(number) is out of range"))
        }
        return exact
    }
}

private struct ValueDecoder: Decoder, JSONValueSource {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let ledger: KeyLedger
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var jsonValue: JSONValue {
        // Taken whole: every key below counts as known.
        markOpen(value, ParameterDecoder.pointer(codingPath))
        return value
    }

    private func markOpen(_ value: JSONValue, _ pointer: String) {
        switch value {
        case .object(let members):
            ledger.open.insert(pointer)
            ledger.opened(pointer)
            for (key, member) in members { markOpen(member, pointer + "/" + ParameterDecoder.escape(key)) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { markOpen(element, pointer + "/\(index)") }
        default:
            break
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: codingPath, debugDescription: "found \(value.typeName)"))
        }
        ledger.opened(ParameterDecoder.pointer(codingPath))
        return KeyedDecodingContainer(KeyedValueContainer<Key>(members: members, codingPath: codingPath, ledger: ledger))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw DecodingError.typeMismatch([JSONValue].self, .init(codingPath: codingPath, debugDescription: "found \(value.typeName)"))
        }
        return UnkeyedValueContainer(elements: elements, codingPath: codingPath, ledger: ledger)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, ledger: ledger)
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    let ledger: KeyLedger

    var allKeys: [Key] {
        // A type that lists the keys (a dictionary) knows them all.
        ledger.open.insert(ParameterDecoder.pointer(codingPath))
        return members.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    private func member(_ key: Key) throws -> JSONValue {
        ledger.ask(key.stringValue, at: ParameterDecoder.pointer(codingPath))
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    func contains(_ key: Key) -> Bool {
        ledger.ask(key.stringValue, at: ParameterDecoder.pointer(codingPath))
        return members[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Conversions.bool(member(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try Conversions.string(member(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Conversions.double(member(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try Conversions.double(member(key), codingPath + [key])) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Conversions.integer(type, member(key), codingPath + [key]) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try member(key)
        if case .null = value, !(T.self is JSONValue.Type) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath + [key], ledger: ledger))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], ledger: ledger).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], ledger: ledger).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: .object(members), codingPath: codingPath, ledger: ledger)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: try member(key), codingPath: codingPath + [key], ledger: ledger)
    }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let ledger: KeyLedger
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], ledger: KeyLedger) {
        self.elements = elements
        self.codingPath = codingPath
        self.ledger = ledger
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next<T>(_ type: T.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [IndexKey(currentIndex)]
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "the list has no more elements"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, p) = try next(type); return try Conversions.bool(v, p) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, p) = try next(type); return try Conversions.string(v, p) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, p) = try next(type); return try Conversions.double(v, p) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, p) = try next(type); return try Conversions.integer(type, v, p) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, p) = try next(type); return try Conversions.integer(type, v, p) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try T(from: ValueDecoder(value: value, codingPath: path, ledger: ledger))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: JSONValue].self)
        return try ValueDecoder(value: value, codingPath: path, ledger: ledger).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([JSONValue].self)
        return try ValueDecoder(value: value, codingPath: path, ledger: ledger).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(JSONValue.self)
        return ValueDecoder(value: value, codingPath: path, ledger: ledger)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let ledger: KeyLedger

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try Conversions.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Conversions.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Conversions.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Conversions.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Conversions.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Conversions.integer(type, value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: codingPath, ledger: ledger))
    }
}
