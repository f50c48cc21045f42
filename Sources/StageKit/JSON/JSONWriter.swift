/// Writes JSON the one way pipe writes it: keys sorted by code point, numbers in shortest
/// round-trip form, non-ASCII text as UTF-8, so the same value always gives the same bytes.
public enum JSONWriter {
    /// The compact form used for JSON Lines records.
    public static func compact(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, indent: nil, level: 0)
        return out
    }

    /// Appends the compact form to `out`.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        write(value, into: &out, indent: nil, level: 0)
    }

    /// The compact form as a string.
    public static func compactString(_ value: JSONValue) -> String {
        String(decoding: compact(value), as: UTF8.self)
    }

    /// An indented form for people (command output, metadata files), ending without a newline.
    public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
        var out: [UInt8] = []
        write(value, into: &out, indent: indent, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Keys in code-point order, the order Python's `sort_keys` and most tools agree on.
    public static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { RecordKey.compareBytes($0, $1) < 0 }
    }

    /// The members in key order, each with its value, so writing needs no lookup per key.
    public static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        members.sorted { RecordKey.compareBytes($0.key, $1.key) < 0 }
    }

    /// The shortest text that reads back as the same `Double`; non-finite values become `null`.
    public static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return "\(value)"
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, level: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .number(let number): out.append(contentsOf: numberText(number).utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            if elements.isEmpty {
                out.append(UInt8(ascii: "]"))
                return
            }
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent, level: level + 1)
                write(element, into: &out, indent: indent, level: level + 1)
            }
            newline(into: &out, indent: indent, level: level)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if members.isEmpty {
                out.append(UInt8(ascii: "}"))
                return
            }
            for (position, member) in sortedMembers(members).enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, indent: indent, level: level + 1)
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                write(member.value, into: &out, indent: indent, level: level + 1)
            }
            newline(into: &out, indent: indent, level: level)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into out: inout [UInt8], indent: Int?, level: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, quotes included.
    public static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        escapeUTF8(of: text, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The escape sequence of a byte that cannot stand in a JSON string as it is.
    @inline(__always)
    static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        default:
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }
}
