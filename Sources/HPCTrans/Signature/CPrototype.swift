import Foundation

/// One parameter of the C `default_function_kernel` prototype, matched to its TIR buffer.
public struct KernelParameter: Sendable, Equatable, Codable {
    /// The name in the C prototype.
    public var name: String
    /// The C element type as written (`float`, `int32_t`, `int8_t`).
    public var cType: String
    /// Index of the matching buffer in TIR order.
    public var buffer: Int

    enum CodingKeys: String, CodingKey { case name, cType = "c_type", buffer }
}

/// Reads the C prototype (the text before the first `{`) and maps its parameters onto the TIR buffers.
public enum CPrototype {
    /// The prototype text, as the upstream prompt's FUNC_PROTOTYPE slot shows it.
    public static func text(of code: String) -> String? {
        guard let brace = code.firstIndex(of: "{") else { return nil }
        let head = code[..<brace].trimmingCharacters(in: .whitespacesAndNewlines)
        return head.contains("default_function_kernel(") ? head : nil
    }

    /// `(type, name)` pairs of the prototype's parameters.
    public static func parameters(of code: String) throws -> [(type: String, name: String)] {
        guard let head = text(of: code), let open = head.range(of: "default_function_kernel("),
              let close = head.lastIndex(of: ")"), close >= open.upperBound
        else { throw SignatureError("the C code has no 'default_function_kernel(...)' prototype before its first '{'") }
        let list = head[open.upperBound..<close]
        var out: [(type: String, name: String)] = []
        for part in list.split(separator: ",") {
            // Qualifiers say nothing about the buffer; only the element type and the name matter.
            let qualifiers: Set<String> = ["__restrict__", "__restrict", "restrict", "const", "volatile", "*"]
            let words = part.replacingOccurrences(of: "*", with: " * ")
                .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)
                .filter { !qualifiers.contains($0) }
            guard let name = words.last, words.count >= 2 else { throw SignatureError("cannot read C parameter '\(part)'") }
            let type = words.dropLast().joined(separator: " ")
            out.append((type, name))
        }
        return out
    }

    /// Maps each C parameter onto a TIR buffer by name; a C name that TVM renamed from a reserved word
    /// (`extern` → `extern_1`) is matched through the rename. C may leave out unused buffers.
    public static func match(_ code: String, to buffers: [TIRBuffer]) throws -> [KernelParameter] {
        var result: [KernelParameter] = []
        var used = Set<Int>()
        for (type, name) in try parameters(of: code) {
            var index = buffers.firstIndex { $0.name == name }
            if index == nil, let underscore = name.lastIndex(of: "_"), Int(name[name.index(after: underscore)...]) != nil {
                let base = String(name[..<underscore])
                index = buffers.firstIndex { $0.name == base }
            }
            guard let found = index else {
                throw SignatureError("C parameter \(name) has no buffer of that name in the TIR signature")
            }
            guard !used.contains(found) else { throw SignatureError("C parameter \(name) names buffer \(buffers[found].name) twice") }
            used.insert(found)
            guard type == buffers[found].dtype.cType || (type == "int" && buffers[found].dtype == .int32)
                || (type == "bool" && buffers[found].dtype == .bool) || (type == "signed char" && buffers[found].dtype == .bool)
            else {
                throw SignatureError("C parameter \(name) is \(type)* but TIR buffer \(buffers[found].name) is \(buffers[found].dtype.rawValue)")
            }
            result.append(KernelParameter(name: name, cType: type, buffer: found))
        }
        return result
    }
}

