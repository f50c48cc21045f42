import Foundation

/// Element types that occur in HPCTransEval buffers.
public enum BufferType: String, Sendable, Equatable, Codable, CaseIterable {
    case float32, int32, bool

    /// Bytes per element in the harness's buffers (bool as one byte, like TVM's int8 storage).
    public var size: Int {
        switch self {
        case .float32, .int32: return 4
        case .bool: return 1
        }
    }

    /// The C element type of a kernel parameter of this type.
    public var cType: String {
        switch self {
        case .float32: return "float"
        case .int32: return "int32_t"
        case .bool: return "int8_t"
        }
    }
}

/// One buffer of the TIR `main` signature: name, shape and element type, with its position in workload order.
public struct TIRBuffer: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public var dtype: BufferType

    enum CodingKeys: String, CodingKey { case name, shape, dtype }

    public init(name: String, shape: [Int], dtype: BufferType) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
    }

    /// Elements in the buffer (1 for a scalar shape `()`).
    public var count: Int { shape.reduce(1) { $0 * $1 } }
}

/// Why a signature could not be read; becomes a reject with code `hpctrans.signature`.
public struct SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Parses the `@T.prim_func def main(...)` parameter list of a TVMScript module: the authority on buffers.
public enum TIRSignature {
    /// Buffers in TIR (workload) order: inputs first, then outputs.
    public static func parse(_ ir: String) throws -> [TIRBuffer] {
        guard let start = ir.range(of: "def main(") else { throw SignatureError("the TIR has no 'def main(' function") }
        // The parameter list ends at the parenthesis that closes "main(", found by depth since shapes nest.
        var depth = 1
        var end = start.upperBound
        var inString = false
        while end < ir.endIndex {
            let character = ir[end]
            if character == "\"" { inString.toggle() }
            if !inString {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1; if depth == 0 { break } }
            }
            end = ir.index(after: end)
        }
        guard depth == 0 else { throw SignatureError("the parameter list of main is not closed") }
        let text = ir[start.upperBound..<end]
        var buffers: [TIRBuffer] = []
        var scanner = Substring(text)
        while let colon = scanner.range(of: ": T.Buffer(") {
            let name = scanner[..<colon.lowerBound].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" })
                .last.map(String.init) ?? ""
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw SignatureError("cannot read a buffer name before ': T.Buffer('")
            }
            var rest = scanner[colon.upperBound...]
            guard rest.first == "(" , let close = rest.firstIndex(of: ")") else {
                throw SignatureError("buffer \(name) has no shape tuple")
            }
            let dims = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            var shape: [Int] = []
            for dim in dims {
                guard let value = Int(dim), value >= 0 else {
                    throw SignatureError("buffer \(name) has a non-constant dimension '\(dim)'")
                }
                shape.append(value)
            }
            rest = rest[rest.index(after: close)...]
            guard let open = rest.firstIndex(of: "\""), rest[..<open].allSatisfy({ $0 == "," || $0 == " " }) else {
                throw SignatureError("buffer \(name) has no dtype")
            }
            let afterOpen = rest.index(after: open)
            guard let closeQuote = rest[afterOpen...].firstIndex(of: "\"") else { throw SignatureError("buffer \(name) has no dtype") }
            let dtypeText = String(rest[afterOpen..<closeQuote])
            guard let dtype = BufferType(rawValue: dtypeText) else {
                throw SignatureError("buffer \(name) has dtype \(dtypeText) (float32, int32 and bool are supported)")
            }
            buffers.append(TIRBuffer(name: name, shape: shape, dtype: dtype))
            scanner = rest[rest.index(after: closeQuote)...]
        }
        guard !buffers.isEmpty else { throw SignatureError("main has no T.Buffer parameters") }
        return buffers
    }
}

