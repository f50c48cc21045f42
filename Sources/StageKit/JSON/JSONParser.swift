// StageKit's designated file for JSON over raw memory (with Bytes/UnsafeBytes.swift, the module's only pointer
// code): the parser reads a borrowed buffer. The pointer entry points stay public for callers that hold one
// (shard readers hand out lines that way); everything else calls the overloads over bytes and strings.
/// Why a JSON text could not be read, with the byte offset, line and column of the fault.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Byte offset of the fault from the start of the text.
    public var offset: Int
    /// 1-based line of the fault.
    public var line: Int
    /// 1-based column (in bytes) of the fault.
    public var column: Int

    public var description: String { "\(line):\(column): \(message)" }
}

/// Limits that keep an untrusted JSON text from exhausting the stack or memory.
public struct JSONLimits: Sendable {
    public var maxDepth: Int
    public var maxBytes: Int

    public init(maxDepth: Int = 256, maxBytes: Int = 256 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    public static let `default` = JSONLimits()
}

/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Written for speed on JSON Lines: it works on a borrowed buffer, builds strings without escapes
/// straight from the bytes, and rejects invalid UTF-8, duplicate-free or not, with a located error.
public enum JSONParser {
    /// Parses one JSON text; whitespace may surround it, nothing else may follow.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws
        -> JSONValue
    {
        if let result = try bytes.withContiguousStorageIfAvailable({ buffer throws in
            try parse(buffer: UnsafeRawBufferPointer(buffer), limits: limits)
        }) {
            return result
        }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { buffer throws in try parse(buffer: buffer, limits: limits) }
    }

    /// Parses one JSON text held in a string.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer throws in
            try parse(buffer: UnsafeRawBufferPointer(buffer), limits: limits)
        }
    }

    /// Parses one JSON text from raw memory.
    public static func parse(buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws
        -> JSONValue
    {
        var reader = Reader(bytes: buffer, limits: limits)
        if buffer.count > limits.maxBytes {
            throw reader.error("document of \(buffer.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < buffer.count { throw reader.error("unexpected data after the JSON value") }
        return value
    }
}

extension JSONParser {
    /// The value of one top-level member of a JSON object, without building the rest of the object.
    ///
    /// Exports need one field (the split's grouping key) of every record; skipping the other members
    /// byte-wise is several times cheaper than parsing them. Returns nil when the text is an object
    /// without that member; throws when the text is not a well-formed object up to that member.
    public static func member(_ name: String, in buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws
        -> JSONValue?
    {
        var reader = Reader(bytes: buffer, limits: limits)
        reader.skipWhitespace()
        guard reader.index < buffer.count, buffer[reader.index] == UInt8(ascii: "{") else {
            throw reader.error("expected a JSON object")
        }
        reader.index += 1
        // Called once per record by exports: compare against the name's own UTF-8 rather than a copy of it.
        var name = name
        return try name.withUTF8 { wanted in try member(wanted, reader: &reader) }
    }

    /// `member(_:in:)` for a byte array.
    public static func member(_ name: String, in bytes: [UInt8], limits: JSONLimits = .default) throws -> JSONValue? {
        try bytes.withUnsafeBytes { try member(name, in: $0, limits: limits) }
    }

    private static func member(_ wanted: UnsafeBufferPointer<UInt8>, reader: inout Reader) throws -> JSONValue? {
        let buffer = reader.bytes
        while true {
            reader.skipWhitespace()
            guard reader.index < buffer.count else { throw reader.error("unexpected end of input in object") }
            if buffer[reader.index] == UInt8(ascii: "}") { return nil }
            guard buffer[reader.index] == UInt8(ascii: "\"") else { throw reader.error("expected a string key in object") }
            let keyStart = reader.index + 1
            try reader.skipString()
            var matches = reader.index - 1 - keyStart == wanted.count
            if matches {
                for offset in 0..<wanted.count where buffer[keyStart + offset] != wanted[offset] {
                    matches = false
                    break
                }
            }
            reader.skipWhitespace()
            guard reader.index < buffer.count, buffer[reader.index] == UInt8(ascii: ":") else {
                throw reader.error("expected ':' after key")
            }
            reader.index += 1
            reader.skipWhitespace()
            if matches { return try reader.parseValue(depth: 1) }
            try reader.skipValue()
            reader.skipWhitespace()
            guard reader.index < buffer.count else { throw reader.error("unexpected end of input in object") }
            if buffer[reader.index] == UInt8(ascii: ",") {
                reader.index += 1
            } else if buffer[reader.index] != UInt8(ascii: "}") {
                throw reader.error("expected ',' or '}' in object")
            }
        }
    }
}

private struct Reader {
    let bytes: UnsafeRawBufferPointer
    let limits: JSONLimits
    var index = 0

    init(bytes: UnsafeRawBufferPointer, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    func error(_ message: String, at position: Int? = nil) -> JSONParseError {
        let offset = min(position ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(message: message, offset: offset, line: line, column: offset - lineStart + 1)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character \(describe(bytes[index])), expected a value")
        }
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    mutating func expectWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input in literal") }
        let start = word.utf8Start
        for i in 0..<count where bytes[index + i] != start[i] {
            throw error("invalid literal, expected '\(word)'")
        }
        index += count
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        if depth > limits.maxDepth { throw error("nesting deeper than \(limits.maxDepth) levels") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in object")
            }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after key") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if members.updateValue(value, forKey: key) != nil {
                throw error("duplicate key \"\(key)\" in object", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            throw error("expected ',' or '}' in object")
        }
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        if depth > limits.maxDepth { throw error("nesting deeper than \(limits.maxDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw error("expected ',' or ']' in array")
        }
    }

    mutating func parseString() throws -> String {
        index += 1
        let start = index
        var ascii = true
        // Fast path: no escapes, so the bytes are the string once validated as UTF-8; pure ASCII
        // needs no validation at all, which matters because most record text is ASCII.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start)
                }
                return text
            }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in string") }
            index += 1
        }
        var scratch = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start)
                }
                index += 1
                return text
            }
            if byte < 0x20 { throw error("unescaped control character in string") }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired high surrogate in \\u escape") }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired low surrogate in \\u escape")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                scratch.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw error("invalid escape '\\\(describe(escape))' in string", at: index - 1)
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Moves past a string (escapes included) without decoding it.
    mutating func skipString() throws {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        throw error("unterminated string")
    }

    /// Moves past any value, checking only its bracket structure: enough to find the next member.
    mutating func skipValue() throws {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        var depth = 0
        repeat {
            guard index < bytes.count else { throw error("unexpected end of input in value") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limits.maxDepth { throw error("nesting deeper than \(limits.maxDepth) levels") }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { throw error("unbalanced bracket") }
            case UInt8(ascii: ","):
                if depth == 0 { return }
            default:
                break
            }
            index += 1
        } while depth > 0 || (index < bytes.count && bytes[index] != UInt8(ascii: ",") && bytes[index] != UInt8(ascii: "}"))
    }

    mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in number") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected digits after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected digits in exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        return .number(value)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
