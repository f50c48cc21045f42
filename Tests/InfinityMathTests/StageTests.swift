import Foundation
@testable import InfinityMath
import StageKit
import StageKitTestSupport
import XCTest

/// `math.synthesize` through an in-memory context: its records satisfy their schemas, every problem's instances
/// carry its source_id, and bad lines become rejects.
final class StageTests: XCTestCase {
    private func map(_ lines: [String], params: JSONValue = .object([:])) throws -> (InMemoryMapContext, MathSynthesizeStage) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-math-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("gsm8k.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let stage = try StageTesting.make(MathSynthesizeStage.self, params: params)
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map([InputItem(locator: "Data/gsm8k.jsonl", source: .file(path: file.path))], with: stage)
        return (context, stage)
    }

    func testRecordsMatchTheirSchemasAndShareTheSourceID() throws {
        let good = #"{"question": "Maya reads 15 pages every day. How many pages does she read in 6 days?", "answer": "She reads 15 * 6 = <<15*6=90>>90 pages.\n#### 90"}"#
        let (context, stage) = try map([good, "not json", #"{"question": "q"}"#, #"{"question": "q", "answer": "no steps\n#### 3"}"#])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([MathSynthesizeStage.self]))
        let programs = context.values("programs")
        let instances = context.values("instances")
        XCTAssertEqual(programs.count, 1)
        XCTAssertEqual(instances.count, 10)
        let id = try XCTUnwrap(programs.first?["source_id"]?.stringValue)
        XCTAssertEqual(programs.first?["source"]?.stringValue, "gsm8k")
        XCTAssertEqual(programs.first?["instances"]?.integerValue, 10)
        for instance in instances {
            XCTAssertEqual(instance["source_id"]?.stringValue, id)
            XCTAssertEqual(instance["program_id"]?.stringValue, id)
        }
        XCTAssertEqual(context.rejects.map(\.code), ["record.json", "math.record", "math.no_annotations"])
        XCTAssertEqual(context.rejects.map(\.rejectClass), [.error, .error, .dropped])
        XCTAssertEqual(context.rejects.map(\.line), [2, 3, 4])
    }

    func testParametersDecideTheInstancesAndTheSource() throws {
        let good = #"{"question": "Maya reads 15 pages every day. How many pages does she read in 6 days?", "answer": "She reads 15 * 6 = <<15*6=90>>90 pages.\n#### 90"}"#
        let (few, _) = try map([good], params: ["instances": 3, "seed": 5, "source": "mine"])
        XCTAssertEqual(few.values("instances").count, 3)
        XCTAssertEqual(few.values("programs").first?["source"]?.stringValue, "mine")
        let (again, _) = try map([good], params: ["instances": 3, "seed": 5, "source": "mine"])
        XCTAssertEqual(few.records, again.records, "same inputs and seed, same bytes")
        XCTAssertThrowsError(try StageTesting.make(MathSynthesizeStage.self, params: ["instances": -1]))
    }

    func testVariantsGoToTheProgramsStream() throws {
        let good = #"{"question": "Maya reads 15 pages every day. How many pages does she read in 6 days?", "answer": "She reads 15 * 6 = <<15*6=90>>90 pages.\n#### 90"}"#
        let (context, stage) = try map([good], params: ["instances": 2, "variants": true])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([MathSynthesizeStage.self]))
        let programs = context.values("programs")
        // Two variables: 2^2 - 1 = 3 variants besides the program.
        XCTAssertEqual(programs.count, 4)
        let variants = programs.filter { !($0["substituted"]?.arrayValue ?? []).isEmpty }
        XCTAssertEqual(variants.compactMap { $0["id"]?.stringValue.map { String($0.suffix(3)) } }.sorted(), ["-v1", "-v2", "-v3"])
        let both = try XCTUnwrap(variants.first { $0["substituted"]?.arrayValue?.count == 2 })
        XCTAssertEqual(both["generic_question"]?.stringValue, "Maya reads 15 pages every day. How many pages does she read in 6 days?")
        XCTAssertEqual(both["variables"]?.arrayValue?.count, 0)
        XCTAssertTrue(both["program"]?.stringValue?.contains("def solution():") ?? false)
    }

    func testABackEndIsAskedOnlyForProblemsWithoutAnnotationsAndOnlyOverHTTP() throws {
        let annotated = #"{"question": "Maya reads 15 pages every day. How many pages does she read in 6 days?", "answer": "She reads 15 * 6 = <<15*6=90>>90 pages.\n#### 90"}"#
        let bare = "{\"question\": \"A box holds 12 pens. How many pens are in 4 boxes?\", \"answer\": \"#### 48\"}"
        // An annotated problem never reaches the (unusable) model; a bare one is an error reject naming the URL.
        let (context, _) = try map([annotated, bare], params: ["backend": ["url": "file:///etc/passwd", "model": "m"]])
        XCTAssertEqual(context.values("programs").count, 1)
        XCTAssertEqual(context.rejects.map(\.code), ["math.backend"])
        XCTAssertEqual(context.rejects.map(\.rejectClass), [.error])
        XCTAssertTrue(context.rejects.first?.reason.contains("file:///etc/passwd") ?? false)
        let defaults = try StageTesting.make(MathSynthesizeStage.self, params: ["backend": ["url": "http://h/v1", "model": "m"]])
        XCTAssertEqual(defaults.parameters.backend?.keyEnv, "OPENAI_API_KEY")
    }
}

/// Lines that bring their own program (InfinityMATH style) are verified the same way.
final class ProvidedProgramTests: XCTestCase {
    private let source = """
        def solution(market_cost=400, savings=20):
            \"\"\"Wallpaper costs {market_cost} at the market; DIY saves {savings}%.\"\"\"
            # The DIY cost is the market cost less the saving.
            diy_cost = market_cost * (1 - savings / 100)
            return diy_cost
        """

    func testAProvidedProgramIsVerifiedAndInstantiated() throws {
        let record: JSONValue = [
            "question": "A hand-painted wallpaper costs $400 at the market. A DIY will save 20% after considering the materials cost. How much does the DIY cost?",
            "generic_question": "A hand-painted wallpaper costs ${market_cost} at the market. A DIY will save {savings}% after considering the materials cost. How much does the DIY cost?",
            "program": .string(source), "ori_answer": 320,
        ]
        let program = try DerivedProgram(provided: record)
        XCTAssertEqual(program.answer, .float(320))
        XCTAssertEqual(program.decoupled.quantities.map(\.name), ["market_cost", "savings"])
        XCTAssertEqual(program.decoupled.quantities.map(\.kind), [.money, .percent])
        XCTAssertEqual(program.usedVariables, ["market_cost", "savings"])
        XCTAssertEqual(try program.variants(), [])
        let instances = try InstanceSampler(program: program).sample(count: 5, seed: 0)
        XCTAssertEqual(instances.count, 5)
        for instance in instances {
            let cost = try XCTUnwrap(instance.values["market_cost"]?.doubleValue)
            let saving = try XCTUnwrap(instance.values["savings"]?.doubleValue)
            XCTAssertEqual(instance.answer.doubleValue ?? 0, cost * (1 - saving / 100), accuracy: 1e-9)
            XCTAssertTrue(instance.question.contains("$\(Int(cost)) at the market"), instance.question)
        }
    }

    func testAProvidedProgramThatMissesTheGoldAnswerIsDropped() {
        let record: JSONValue = ["question": "It costs $400 and saves 20%.", "program": .string(source), "gold_answer": "321"]
        XCTAssertThrowsError(try DerivedProgram(provided: record)) { error in
            XCTAssertEqual((error as? MathReject)?.code, "math.answer_mismatch")
        }
        XCTAssertThrowsError(try DerivedProgram(provided: ["question": "q", "program": "import os\n", "answer": 1])) { error in
            XCTAssertEqual((error as? MathReject)?.code, "math.program")
        }
    }
}
