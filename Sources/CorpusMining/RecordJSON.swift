import PipeCore

/// Pipe's canonical compact JSON (byte for byte what `JSONWriter.compact` writes: keys in code-point
/// order, the same escapes, numbers through `JSONWriter.numberText`), with strings copied in runs of
/// bytes that need no escape: file contents and code dominate the corpus records, and the per-byte
/// writer spent more time on them than the lexers did.
public enum RecordJSON {
    public static func compact(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimate(value))
        write(value, into: &out)
        return out
    }

    static func estimate(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text): return text.utf8.count + 16
        case .array(let elements): return elements.reduce(2) { $0 + estimate($1) + 1 }
        case .object(let members): return members.reduce(2) { $0 + $1.key.utf8.count + 4 + estimate($1.value) }
        default: return 24
        }
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .number(let number): out.append(contentsOf: JSONWriter.numberText(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (position, member) in JSONWriter.sortedMembers(members).enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        var text = text
        out.append(UInt8(ascii: "\""))
        text.withUTF8 { JSONWriter.escape($0, into: &out) }
        out.append(UInt8(ascii: "\""))
    }
}

/// Writes one record in pipe's canonical compact JSON member by member, for records built by the miner
/// for every file, function and loop: no dictionary to fill and sort, and contents and code escaped
/// straight from the file's bytes instead of through a `String` copy.
///
/// Members must come in code-point order of their keys, the order `RecordJSON.compact` sorts them into;
/// debug builds check it.
struct RecordObjectWriter {
    private(set) var bytes: [UInt8] = []
    private var previousKey: StaticString?

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: StaticString) {
        assert(previousKey.map { Array("\($0)".utf8).lexicographicallyPrecedes(Array("\(name)".utf8)) } ?? true,
               "record keys out of order: \(name) after \(previousKey.map { "\($0)" } ?? "")")
        if previousKey != nil { bytes.append(UInt8(ascii: ",")) }
        previousKey = name
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        RecordJSON.writeString(value, into: &bytes)
    }

    /// A string member whose value is the UTF-8 text `utf8[range]`, which must be valid UTF-8.
    mutating func text(_ name: StaticString, _ utf8: [UInt8], _ range: Range<Int>) {
        key(name)
        guard Self.isWhole(utf8, range) else {
            // Not cut at character boundaries: write what `String(decoding:)` makes of it, as before.
            RecordJSON.writeString(String(decoding: utf8[range], as: UTF8.self), into: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        utf8.withUnsafeBufferPointer { whole in
            JSONWriter.escape(UnsafeBufferPointer(rebasing: whole[range]), into: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func number(_ name: StaticString, _ value: Double) {
        key(name)
        bytes.append(contentsOf: JSONWriter.numberText(value).utf8)
    }

    mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A string member, or `null` when there is no value.
    mutating func optionalString(_ name: StaticString, _ value: String?) {
        guard let value else {
            key(name)
            bytes.append(contentsOf: "null".utf8)
            return
        }
        string(name, value)
    }

    /// A member whose value is an array or object, written canonically.
    mutating func value(_ name: StaticString, _ value: JSONValue) {
        key(name)
        RecordJSON.write(value, into: &bytes)
    }

    /// Closes the object and hands its bytes over.
    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// Whether a range neither starts nor ends inside a multi-byte UTF-8 sequence.
    private static func isWhole(_ utf8: [UInt8], _ range: Range<Int>) -> Bool {
        let isContinuation = { (index: Int) in index < utf8.count && utf8[index] & 0xC0 == 0x80 }
        return !isContinuation(range.lowerBound) && !isContinuation(range.upperBound)
    }
}
