/// Writes one record in pipe's canonical compact JSON member by member, for records written by the million
/// (mined files, functions, loops; token records): no dictionary to fill and sort, and contents and code
/// escaped straight from the file's bytes instead of through a `String` copy.
///
/// Members must come in code-point order of their keys, the order `JSONWriter` sorts them into; debug builds
/// check it. It writes byte for byte what `JSONWriter.compact` writes for the same object.
public struct CanonicalObjectWriter {
    public private(set) var bytes: [UInt8] = []
    private var previousKey: StaticString?

    public init(capacity: Int) {
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

    public mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        JSONWriter.writeString(value, into: &bytes)
    }

    /// A string member whose value is the UTF-8 text `utf8[range]`, which must be valid UTF-8.
    public mutating func text(_ name: StaticString, _ utf8: [UInt8], _ range: Range<Int>) {
        key(name)
        guard Self.isWhole(utf8, range) else {
            // Not cut at character boundaries: write what `String(decoding:)` makes of it, as before.
            JSONWriter.writeString(String(decoding: utf8[range], as: UTF8.self), into: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        JSONWriter.escape(utf8, range, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func integer(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func number(_ name: StaticString, _ value: Double) {
        key(name)
        bytes.append(contentsOf: JSONWriter.numberText(value).utf8)
    }

    public mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A string member, or `null` when there is no value.
    public mutating func optionalString(_ name: StaticString, _ value: String?) {
        guard let value else {
            key(name)
            bytes.append(contentsOf: "null".utf8)
            return
        }
        string(name, value)
    }

    /// A member whose value is an array or object, written canonically.
    public mutating func value(_ name: StaticString, _ value: JSONValue) {
        key(name)
        JSONWriter.append(value, to: &bytes)
    }

    /// A member whose value is a list of integers, written without building JSON values.
    public mutating func integers(_ name: StaticString, _ values: [Int32]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendDecimal(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func appendDecimal(_ value: Int32, to out: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // Digits come out lowest first: gather them in a fixed-size local (no allocation), then append them
        // highest first. Ten digits hold any Int32 magnitude.
        var digits = InlineArray<10, UInt8>(repeating: 0)
        var count = 0
        repeat {
            digits[count] = UInt8(48 + magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0 && count < 10
        for index in stride(from: count - 1, through: 0, by: -1) { out.append(digits[index]) }
    }

    /// Closes the object and hands its bytes over.
    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// Whether a range neither starts nor ends inside a multi-byte UTF-8 sequence.
    private static func isWhole(_ utf8: [UInt8], _ range: Range<Int>) -> Bool {
        let isContinuation = { (index: Int) in index < utf8.count && utf8[index] & 0xC0 == 0x80 }
        return !isContinuation(range.lowerBound) && !isContinuation(range.upperBound)
    }
}
