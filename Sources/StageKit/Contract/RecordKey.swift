/// The order of records in shards and exports: by id, ties broken by where the record came from.
///
/// Comparing UTF-8 bytes (not Swift's Unicode ordering) keeps the order the same in every tool that
/// sorts byte-wise, such as `sort` with `LC_ALL=C`, SQLite and DuckDB.
public struct RecordKey: Sendable, Equatable, Comparable {
    public var id: String
    public var locator: String
    public var line: Int

    public init(id: String, locator: String, line: Int) {
        self.id = id
        self.locator = locator
        self.line = line
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        let byID = compareBytes(lhs.id, rhs.id)
        if byID != 0 { return byID < 0 }
        let byLocator = compareBytes(lhs.locator, rhs.locator)
        if byLocator != 0 { return byLocator < 0 }
        return lhs.line < rhs.line
    }

    /// Appends the keys-file line (without its newline): the bytes `JSONWriter.compact(json)` gives, written
    /// without building the value.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        JSONWriter.writeString(id, into: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.writeString(locator, into: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: String(line).utf8)
        out.append(UInt8(ascii: "]"))
    }

    /// Reads a keys-file line. The common shape, `["id","locator",line]` with no escape, is read directly;
    /// anything else goes through the JSON parser.
    public init(keyLine bytes: [UInt8]) throws {
        if let key = Self.plainKey(bytes) {
            self = key
        } else {
            try self.init(json: try JSONParser.parse(bytes))
        }
    }

    private static func plainKey(_ bytes: [UInt8]) -> RecordKey? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        let count = bytes.count
        guard count >= 9, bytes[0] == UInt8(ascii: "["), bytes[1] == quote, bytes[count - 1] == UInt8(ascii: "]"),
            !bytes.contains(UInt8(ascii: "\\"))
        else { return nil }
        guard let idEnd = bytes[2...].firstIndex(of: quote), idEnd + 2 < count, bytes[idEnd + 1] == comma,
            bytes[idEnd + 2] == quote, let locatorEnd = bytes[(idEnd + 3)...].firstIndex(of: quote),
            locatorEnd + 1 < count, bytes[locatorEnd + 1] == comma
        else { return nil }
        // The line number: an optional minus and 1 to 18 digits, so it cannot overflow.
        var index = locatorEnd + 2
        var negative = false
        if index < count - 1 && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        var line = 0
        while index < count - 1, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            line = line * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index == count - 1, index > digitsStart, index - digitsStart <= 18,
            index - digitsStart == 1 || bytes[digitsStart] != UInt8(ascii: "0")
        else { return nil }
        // Control characters must be escaped in JSON: a line holding one raw is the parser's to refuse.
        guard !bytes[2..<locatorEnd].contains(where: { $0 < 0x20 }) else { return nil }
        return RecordKey(id: String(decoding: bytes[2..<idEnd], as: UTF8.self),
                         locator: String(decoding: bytes[(idEnd + 3)..<locatorEnd], as: UTF8.self),
                         line: negative ? -line : line)
    }

    /// The line of a keys file: `["id","locator",line]`.
    public var json: JSONValue { .array([.string(id), .string(locator), .integer(Int64(line))]) }

    /// Reads a keys-file line.
    public init(json: JSONValue) throws {
        guard case .array(let parts) = json, parts.count == 3, let id = parts[0].stringValue,
            let locator = parts[1].stringValue, let line = parts[2].integerValue
        else { throw PipeError("shard.keys", "malformed keys line") }
        self.init(id: id, locator: locator, line: Int(line))
    }

    /// The text form of a record's id field: strings as they are, integers in decimal.
    public static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: return nil
        }
    }
}
