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
