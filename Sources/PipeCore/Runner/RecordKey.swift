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
        if lhs.id != rhs.id { return lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8) }
        if lhs.locator != rhs.locator { return lhs.locator.utf8.lexicographicallyPrecedes(rhs.locator.utf8) }
        return lhs.line < rhs.line
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
