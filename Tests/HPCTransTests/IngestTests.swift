import Foundation
import HPCTrans
import Readers
import StageKit
import StageKitTestSupport
import XCTest

/// Reading the upstream layout: op_args forms, file keys, the TIR signature and its mapping onto the C prototype,
/// kernel facts; and a hand-written released-layout file through the stage.
final class IngestTests: XCTestCase {
    func testOpArgsFormsAndFileKeys() throws {
        XCTAssertEqual(OpArgs(json: "None"), OpArgs.none)
        XCTAssertEqual(OpArgs(json: [16, 3, 4, 12]), .integers([16, 3, 4, 12]))
        XCTAssertEqual(OpArgs(json: [["abs", "asinh", "exp"]]), .chains([["abs", "asinh", "exp"]]))
        XCTAssertNil(OpArgs(json: "Nope"))
        XCTAssertNil(OpArgs(json: [1, "a"]))
        let pair = KernelPair(opName: "abs", cCode: "", cudaCode: "", irCode: "", opArgs: .integers([16, 3, 4, 12]),
                              inputShape: [[16, 3, 4, 12]], outputShape: [[16, 3, 4, 12]])
        XCTAssertEqual(pair.fileKey, "abs_[16, 3, 4, 12]_[[16, 3, 4, 12]]")
        var graph = pair
        graph.opName = "topology_expansion"
        graph.opArgs = .chains([["abs", "asinh", "exp", "ceil", "ceil"]])
        graph.inputShape = [[1, 9, 2]]
        XCTAssertEqual(graph.fileKey, "topology_expansion_[['abs', 'asinh', 'exp', 'ceil', 'ceil']]_[[1, 9, 2]]")
        var none = pair
        none.opName = "argsort"
        none.opArgs = .none
        none.inputShape = [[64, 512]]
        XCTAssertEqual(none.fileKey, "argsort_None_[[64, 512]]")
    }

    func testTIRSignatureAndCPrototype() throws {
        let ir = """
            @I.ir_module
            class Module:
                @T.prim_func
                def main(ph_0: T.Buffer((19, 20, 18), "float32"), ph_3: T.Buffer((19,), "float32"), extern: T.Buffer((4, 2), "int32"), T_add: T.Buffer((), "bool")):
                    T.func_attr({"tir.noalias": T.bool(True)})
            """
        let buffers = try TIRSignature.parse(ir)
        XCTAssertEqual(buffers.map(\.name), ["ph_0", "ph_3", "extern", "T_add"])
        XCTAssertEqual(buffers.map(\.shape), [[19, 20, 18], [19], [4, 2], []])
        XCTAssertEqual(buffers.map(\.dtype), [.float32, .float32, .int32, .bool])
        let c = "void default_function_kernel(int8_t* T_add, int32_t* __restrict__ extern_1, float* ph_0) {\n}\n"
        let parameters = try CPrototype.match(c, to: buffers)
        XCTAssertEqual(parameters.map(\.name), ["T_add", "extern_1", "ph_0"])
        XCTAssertEqual(parameters.map(\.buffer), [3, 2, 0])
        XCTAssertEqual(CPrototype.text(of: c), "void default_function_kernel(int8_t* T_add, int32_t* __restrict__ extern_1, float* ph_0)")
        XCTAssertThrowsError(try CPrototype.match("void default_function_kernel(float* nothing) {}", to: buffers))
        XCTAssertThrowsError(try TIRSignature.parse("def main(a: T.Buffer((n, 2), \"float32\")):"))
        XCTAssertThrowsError(try TIRSignature.parse("def main(a: T.Buffer((2,), \"float16\")):"))
    }

    func testKernelFacts() {
        let cuda = """
            extern "C" __global__ void __launch_bounds__(64) default_function_kernel(float* __restrict__ a) {}
            extern "C" __global__ void __launch_bounds__(1024) default_function_kernel_1(float* __restrict__ a) {}
            """
        let facts = KernelFacts(cuda: cuda, c: "void f() {\n  #pragma omp parallel for\n}\n")
        XCTAssertEqual(facts.cudaKernels, 2)
        XCTAssertEqual(facts.launchBounds, [64, 1024])
        XCTAssertTrue(facts.openMP)
        XCTAssertFalse(KernelFacts(cuda: "", c: "// #pragma omp is only mentioned\nvoid f() {}").openMP)
    }

    /// Three released-layout records, one per op_args form (the third with more input shapes than TIR inputs, as
    /// 13 released topology_expansion records have), a reserved-word rename and an int32 output, plus a record
    /// without CUDA code: three records and one reject.
    static let upstreamFile = #"""
        [
          {"op_name": "abs", "op_args": [2, 3], "input_shape": [[2, 3]], "output_shape": [[2, 3]],
           "c_code": "void default_function_kernel(float* compute, float* data) {\n  #pragma omp parallel for\n  for (int32_t i0 = 0; i0 < 2; ++i0) {\n    for (int32_t i1 = 0; i1 < 3; ++i1) {\n      compute[((i0 * 3) + i1)] = fabsf(data[((i0 * 3) + i1)]);\n    }\n  }\n}\n",
           "cuda_code": "extern \"C\" __global__ void __launch_bounds__(6) default_function_kernel(float* __restrict__ compute, float* __restrict__ data) {\n  compute[((int)threadIdx.x)] = fabsf(data[((int)threadIdx.x)]);\n}\n",
           "ir_code": "@I.ir_module\nclass Module:\n    @T.prim_func\n    def main(data: T.Buffer((2, 3), \"float32\"), compute: T.Buffer((2, 3), \"float32\")):\n        T.evaluate(0)\n"},
          {"op_name": "scaled_index", "op_args": "None", "input_shape": [[4]], "output_shape": [[4]],
           "input_name": ["data"], "output_name": ["extern"],
           "c_code": "void default_function_kernel(float* data, int32_t* extern_1) {\n  for (int32_t i = 0; i < 4; ++i) {\n    extern_1[i] = ((int32_t)(data[i] * 1.000000e+01f));\n  }\n}\n",
           "cuda_code": "extern \"C\" __global__ void __launch_bounds__(4) default_function_kernel(float* __restrict__ data, int* __restrict__ extern_1) {\n  extern_1[((int)threadIdx.x)] = ((int)(data[((int)threadIdx.x)] * 1.000000e+01f));\n}\n",
           "ir_code": "@I.ir_module\nclass Module:\n    @T.prim_func\n    def main(data: T.Buffer((4,), \"float32\"), extern: T.Buffer((4,), \"int32\")):\n        T.evaluate(0)\n"},
          {"op_name": "topology_expansion", "op_args": [["abs", "add"]], "input_shape": [[3, 4], [5, 6], [3, 4]], "output_shape": [[3, 4]],
           "c_code": "void default_function_kernel(float* T_add, float* ph_0, float* ph_3) {\n  #pragma omp parallel for\n  for (int32_t i = 0; i < 12; ++i) {\n    T_add[i] = (fabsf(ph_0[i]) + ph_3[i]);\n  }\n}\n",
           "cuda_code": "extern \"C\" __global__ void __launch_bounds__(12) default_function_kernel(float* __restrict__ T_add, float* __restrict__ ph_0, float* __restrict__ ph_3) {\n  T_add[((int)threadIdx.x)] = (fabsf(ph_0[((int)threadIdx.x)]) + ph_3[((int)threadIdx.x)]);\n}\n",
           "ir_code": "@I.ir_module\nclass Module:\n    @T.prim_func\n    def main(ph_0: T.Buffer((3, 4), \"float32\"), ph_3: T.Buffer((3, 4), \"float32\"), T_add: T.Buffer((3, 4), \"float32\")):\n        T.evaluate(0)\n"},
          {"op_name": "cosh", "op_args": [5], "input_shape": [[5]], "output_shape": [[5]],
           "c_code": "void default_function_kernel(float* compute, float* data) {\n  for (int32_t i = 0; i < 5; ++i) { compute[i] = coshf(data[i]); }\n}\n",
           "ir_code": "@I.ir_module\nclass Module:\n    @T.prim_func\n    def main(data: T.Buffer((5,), \"float32\"), compute: T.Buffer((5,), \"float32\")):\n        T.evaluate(0)\n"}
        ]
        """#

    func testUpstreamFileGivesThreeRecordsAndOneReject() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("IndependentOperator.json", Self.upstreamFile)
        let (context, stage) = try mapFiles([("HPCTransEval/IndependentOperator.json", path)])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([HPCTransRecordsStage.self]))
        let records = context.values("records")
        XCTAssertEqual(records.map { $0["op_name"]?.stringValue }, ["abs", "scaled_index", "topology_expansion"])
        XCTAssertEqual(records.map { $0["category"]?.stringValue }, Array(repeating: "IndependentOperator", count: 3))
        XCTAssertEqual(records.map { $0["key"]?.stringValue }, [
            "abs_[2, 3]_[[2, 3]]", "scaled_index_None_[[4]]", "topology_expansion_[['abs', 'add']]_[[3, 4], [5, 6], [3, 4]]",
        ])
        XCTAssertEqual(records.map { $0["op_args"] }, [[2, 3], "None", [["abs", "add"]]])
        XCTAssertEqual(records[1]["c_parameters"], [["name": "data", "c_type": "float", "buffer": 0],
                                                    ["name": "extern_1", "c_type": "int32_t", "buffer": 1]])
        XCTAssertEqual(records[1]["buffers"]?.arrayValue?.last?["dtype"], "int32")
        XCTAssertEqual(records[1]["output_name"], ["extern"])
        XCTAssertEqual(records[0]["input_name"], .null)
        // The TIR (two inputs) is the authority, not input_shape (three shapes).
        XCTAssertEqual(records[2]["buffers"]?.arrayValue?.map { $0["name"]?.stringValue }, ["ph_0", "ph_3", "T_add"])
        XCTAssertEqual(records[2]["outputs"], 1)
        XCTAssertEqual(records.map { $0["openmp"] }, [true, false, true])
        XCTAssertEqual(records.map { $0["cuda_kernels"] }, [1, 1, 1])
        XCTAssertEqual(records[0]["launch_bounds"], [6])
        XCTAssertEqual(records.map { $0["check"]?["cuda_parsed"] }, [true, true, true])
        XCTAssertEqual(context.rejects.map(\.code), ["hpctrans.no_cuda"])
        XCTAssertEqual(context.values("train_pairs").count, 3)
        XCTAssertEqual(context.values("eval_prompts").count, 3)
        let prompt = try XCTUnwrap(context.values("eval_prompts").first)
        XCTAssertEqual(prompt["input_shape"], "[[2, 3]]")
        XCTAssertEqual(prompt["func_prototype"], "void default_function_kernel(float* compute, float* data)")
        XCTAssertTrue(prompt["system"]?.stringValue?.contains("Operator: abs\n") ?? false)
        let pair = try XCTUnwrap(context.values("train_pairs").first)
        XCTAssertTrue(pair["completion"]?.stringValue?.hasPrefix("```cpp\nvoid default_function_kernel(float* compute") ?? false)
    }

    /// Generator output is concatenated objects with no separator; compile errors and bad CUDA carry the message.
    func testConcatenatedObjectsAndCompilerMessages() throws {
        let folder = try TemporaryFolder()
        let abs = try XCTUnwrap(try JSONParser.parse(Self.upstreamFile).arrayValue?.first)
        var broken = abs.objectValue ?? [:]
        broken["c_code"] = .string("void default_function_kernel(float* compute, float* data) {\n  compute[0] = undefined_thing;\n}\n")
        var badCUDA = abs.objectValue ?? [:]
        badCUDA["cuda_code"] = .string("extern \"C\" __global__ void default_function_kernel(float* compute) { compute[0] = nope(1); }\n")
        let text = [abs, .object(broken), .object(badCUDA)].map { JSONWriter.compactString($0) }.joined()
        let path = try folder.write("generation.json", text)
        let (context, _) = try mapFiles([("generate/generation.json", path)])
        XCTAssertEqual(context.values("records").count, 1)
        XCTAssertEqual(context.values("records").first?["category"], "generation")
        XCTAssertEqual(context.rejects.map(\.code), ["hpctrans.c_compile", "hpctrans.cuda_syntax"])
        XCTAssertTrue(context.rejects[0].reason.contains("undefined_thing"), context.rejects[0].reason)
        XCTAssertTrue(context.rejects[1].reason.contains("nope"), context.rejects[1].reason)
    }
}

/// The reduce keeps the first of pairs read twice, with its training pair and prompt.
final class DuplicateTests: XCTestCase {
    func testAPairReadTwiceIsKeptOnce() throws {
        let folder = try TemporaryFolder()
        let first = try folder.write("a/IndependentOperator.json", IngestTests.upstreamFile)
        let second = try folder.write("b/IndependentOperator.json", IngestTests.upstreamFile)
        let (mapped, stage) = try mapFiles([("a/IndependentOperator.json", first), ("b/IndependentOperator.json", second)])
        XCTAssertEqual(mapped.values("records").count, 6)
        let context = InMemoryReduceContext(streams: stage.streams, mapped: mapped)
        try stage.reduce(context)
        try context.finish()
        XCTAssertEqual(context.values("records").count, 3)
        XCTAssertEqual(context.values("train_pairs").count, 3)
        XCTAssertEqual(context.values("eval_prompts").count, 3)
        XCTAssertEqual(context.rejects.map(\.code), Array(repeating: "hpctrans.duplicate", count: 3))
        XCTAssertEqual(Set(context.rejects.map(\.locator)), ["b/IndependentOperator.json"])
    }
}
