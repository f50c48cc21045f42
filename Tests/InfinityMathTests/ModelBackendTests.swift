import Foundation
@testable import InfinityMath
import StageKit
import StageKitTestSupport
import XCTest

/// The model back end of `math.synthesize` against a local OpenAI-compatible stand-in: a problem without
/// annotations gets the model's program, verified like any other; replies are cached so that a rerun needs no model.
final class ModelBackendTests: XCTestCase {
    private static let question = "A box holds 12 pens. How many pens are in 4 boxes?"
    private static let problem = "{\"question\": \"A box holds 12 pens. How many pens are in 4 boxes?\", \"answer\": \"#### 48\"}"

    /// A python3 server answering every POST with `reply` as the first choice's content; it appends each request's
    /// Authorization header and body to `log`.
    private final class StandIn {
        let process = Process()
        let port: Int
        let log: URL

        init(reply: String, folder: URL) throws {
            log = folder.appendingPathComponent("requests.log")
            let script = """
                import http.server, json, sys
                reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": sys.argv[1]}}]}).encode()
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                        with open(sys.argv[2], "a") as log:
                            log.write(json.dumps({"auth": self.headers.get("Authorization"), "body": json.loads(body)}) + "\\n")
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(reply)))
                        self.end_headers()
                        self.wfile.write(reply)
                    def log_message(self, *args):
                        pass
                server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
                print(server.server_address[1], flush=True)
                server.serve_forever()
                """
            let out = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, reply, log.path]
            process.standardOutput = out
            try process.run()
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                process.terminate()
                throw CocoaError(.fileReadCorruptFile)
            }
            self.port = port
        }

        var requests: [JSONValue] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONParser.parse(Array($0.utf8)) }
        }

        /// Idempotent, so that a `defer` can stop a server the test already stopped.
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-backend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(port: Int, keyEnv: String = "PIPE_TEST_MODEL_KEY") throws -> InMemoryMapContext {
        let file = folder.appendingPathComponent("plain.jsonl")
        try Data((Self.problem + "\n").utf8).write(to: file)
        let params: JSONValue = ["instances": 3, "backend": ["url": .string("http://127.0.0.1:\(port)/v1/chat/completions"),
                                                             "model": "stand-in", "key_env": .string(keyEnv)]]
        let base = StageTesting.setup(MathSynthesizeStage.self, directory: folder.path)
        let setup = StageSetup(pipelineDirectory: base.pipelineDirectory, schemas: base.schemas,
                               cacheDirectory: folder.appendingPathComponent("cache").path)
        let stage = try MathSynthesizeStage.make(parameters: params, setup: setup)
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map([InputItem(locator: "plain.jsonl", source: .file(path: file.path))], with: stage)
        return context
    }

    func testAProblemWithoutAnnotationsGetsTheModelsVerifiedProgramAndTheReplyIsCached() throws {
        let reply = "Here it is:\n```python\ndef solution(pens_per_box=12, boxes=4):\n    total = pens_per_box * boxes\n    return total\n```\n"
        let server = try StandIn(reply: reply, folder: folder)
        defer { server.stop() }
        setenv("PIPE_TEST_MODEL_KEY", "sk-test-123", 1)
        defer { unsetenv("PIPE_TEST_MODEL_KEY") }
        let first = try run(port: server.port)
        XCTAssertEqual(first.rejects.map(\.code), [])
        let program = try XCTUnwrap(first.values("programs").first)
        XCTAssertTrue(program["program"]?.stringValue?.contains("pens_per_box * boxes") ?? false, "\(program)")
        XCTAssertEqual(first.values("instances").count, 3)

        let requests = server.requests
        XCTAssertEqual(requests.count, 1)
        XCTAssertEqual(requests.first?["auth"]?.stringValue, "Bearer sk-test-123")
        XCTAssertEqual(requests.first?["body"]?["model"]?.stringValue, "stand-in")
        XCTAssertEqual(requests.first?["body"]?["messages"]?.arrayValue?.last?["content"]?.stringValue, Self.question)
        let cached = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("cache").path)
        XCTAssertEqual(cached.count, 1)

        // With the model gone, the cache answers and the records are the same bytes.
        server.stop()
        let second = try run(port: server.port)
        XCTAssertEqual(second.records, first.records)
    }

    func testAWrongProgramFromTheModelIsRejectedNotEmitted() throws {
        let server = try StandIn(reply: "def solution(pens_per_box=12, boxes=4):\n    return pens_per_box + boxes\n", folder: folder)
        defer { server.stop() }
        let context = try run(port: server.port)
        XCTAssertEqual(context.values("programs").count, 0)
        XCTAssertEqual(context.rejects.map(\.code), ["math.answer_mismatch"])
        XCTAssertNil(server.requests.first?["auth"]?.stringValue, "no key in the environment, no Authorization header")
    }

    func testAModelThatCannotBeReachedIsAnErrorRejectNamingTheURL() throws {
        // A port nothing listens on: bind one, then close it.
        let server = try StandIn(reply: "", folder: folder)
        let port = server.port
        server.stop()
        let context = try run(port: port)
        XCTAssertEqual(context.rejects.map(\.code), ["math.backend"])
        XCTAssertEqual(context.rejects.first?.rejectClass, .error)
        XCTAssertTrue(context.rejects.first?.reason.contains("127.0.0.1:\(port)") ?? false)
    }

    func testCodeIsTakenFromTheFirstFenceOrTheWholeReply() {
        XCTAssertEqual(ModelBackendClient.code(in: "x\n```python\na = 1\n```\ntail"), "a = 1\n")
        XCTAssertEqual(ModelBackendClient.code(in: "a = 1\n"), "a = 1\n")
    }
}
