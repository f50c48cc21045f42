import Foundation
import StageKit

/// A record of the `train_pairs` stream: prompt and completion in the HPCTransData layout.
public struct TrainPairRecord: Codable, Sendable, Equatable {
    public var id: String
    public var recordID: String
    public var opName: String
    public var prompt: String
    public var completion: String

    enum CodingKeys: String, CodingKey { case id, recordID = "record_id", opName = "op_name", prompt, completion }
}

/// A record of the `eval_prompts` stream: the system prompt with the upstream constraints and filled slots,
/// and the user prompt with the CUDA code.
public struct EvalPromptRecord: Codable, Sendable, Equatable {
    public var id: String
    public var recordID: String
    public var key: String
    public var category: String
    public var opName: String
    public var system: String
    public var prompt: String
    public var funcPrototype: String
    public var inputShape: String
    public var outputShape: String

    enum CodingKeys: String, CodingKey {
        case id, recordID = "record_id", key, category, opName = "op_name", system, prompt
        case funcPrototype = "func_prototype", inputShape = "input_shape", outputShape = "output_shape"
    }
}

/// The prompt texts, written for pipe; they carry the constraints of the upstream prompts (see Docs/hpctrans.md).
public enum Prompts {
    /// The HPCTransData training pair of a record: the completion is the reference C in a `cpp` fence, as upstream.
    public static func trainPair(_ record: HPCTransRecord) -> TrainPairRecord {
        let prompt = """
            You are translating a CUDA kernel into C++ code for a CPU. The CPU code must perform exactly the same \
            operation and keep the numerical precision of the original. Use OpenMP to spread the work over threads \
            where that helps, and take care where CUDA and C data types differ. Give the code inside ```cpu``` tags.

            ```cuda
            \(record.cudaCode.trimmingTrailingNewlines)
            ```

            Translate this CUDA kernel into CPU code.
            """
        return TrainPairRecord(id: record.id + "-train", recordID: record.id, opName: record.opName, prompt: prompt,
                               completion: "```cpp\n\(record.cCode.trimmingTrailingNewlines)\n```\n")
    }

    /// The evaluation prompt of a record, with the four upstream slots filled from its key and fields.
    public static func evalPrompt(_ record: HPCTransRecord) -> EvalPromptRecord {
        let opName = Self.opName(fromKey: record.key)
        let inputShape = Self.lastBracketGroup(record.key) ?? PythonText.shapes(record.inputShape)
        let outputShape = PythonText.shapes(record.outputShape)
        let system = """
            You translate CUDA kernels into pure C for a CPU.
            - Compute exactly the same operation as the CUDA code, with the same numerical precision.
            - Parallelise with OpenMP (or another CPU threading library) where it helps.
            - Mind the differences between CUDA and C data types.
            - Write exactly one C function named default_function_kernel; if the CUDA code has several kernels, \
            fuse all of them into that one function.
            - Do not write any #include line; give only the function.
            - Put the answer inside ```cpu``` tags.

            Operator: \(opName)
            Function prototype: \(record.funcPrototype)
            Input shape: \(inputShape)
            Output shape: \(outputShape)
            """
        let prompt = """
            ```cuda
            \(record.cudaCode.trimmingTrailingNewlines)
            ```

            Translate the CUDA code above into ONE single C function.
            """
        return EvalPromptRecord(id: record.id + "-prompt", recordID: record.id, key: record.key, category: record.category,
                                opName: record.opName, system: system, prompt: prompt, funcPrototype: record.funcPrototype,
                                inputShape: inputShape, outputShape: outputShape)
    }

    /// The key's prefix up to the first `_[` or `_None` (upstream's OP_NAME slot).
    static func opName(fromKey key: String) -> String {
        let cuts = ["_[", "_None"].compactMap { key.range(of: $0)?.lowerBound }
        guard let cut = cuts.min() else { return key }
        return String(key[..<cut])
    }

    /// The last top-level bracketed group of the key (upstream's INPUT_SHAPE slot).
    static func lastBracketGroup(_ key: String) -> String? {
        guard key.last == "]" else { return nil }
        var depth = 0
        var index = key.endIndex
        while index > key.startIndex {
            index = key.index(before: index)
            if key[index] == "]" { depth += 1 }
            if key[index] == "[" {
                depth -= 1
                if depth == 0 { return String(key[index...]) }
            }
        }
        return nil
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
