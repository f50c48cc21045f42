import Foundation
import StageKit
import XCTest

/// `pipe registry` on a project built by the test: the demo and ontology pipelines built and exported, then the
/// registry built, listed, shown and exported, each export checked by pipe's own validator and made twice.
final class RegistryEndToEndTests: XCTestCase {
    /// A scratch project with the demo and ontology pipelines built and exported, and its registry built.
    func builtProject(demoURL: String? = nil) throws -> (Scratch, PipeProcess.Result) {
        let scratch = try Scratch()
        try scratch.copyDemo(tasks: 2)
        if let demoURL {
            let path = scratch.url("Pipelines/demo.yaml")
            let text = try String(contentsOf: path, encoding: .utf8)
                .replacingOccurrences(of: "    version: \"1.0.0\"", with: "    version: \"1.0.0\"\n    url: \"\(demoURL)\"")
            try Data(text.utf8).write(to: path)
        }
        let ontology = try String(contentsOf: PipeProcess.repositoryRoot.appendingPathComponent("Pipelines/ontology.yaml"), encoding: .utf8)
        try scratch.write(ontology, to: "Pipelines/ontology.yaml")
        for arguments in [["build", "all", "--quiet"], ["export", "all", "--quiet"]] {
            let result = try PipeProcess.run(arguments, in: scratch.root)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        }
        return (scratch, try PipeProcess.run(["registry", "build"], in: scratch.root))
    }

    func testBuildListShowAndValidate() throws {
        let (scratch, build) = try builtProject()
        XCTAssertEqual(build.status, 0, build.stderr)
        let exports = scratch.root.resolvingSymlinksInPath().appendingPathComponent("pipe-work/exports").path
        XCTAssertTrue(build.stderr.contains("\(exports): warning: 2 datasets have no public URL (their dataset specs give no http(s) url): their entries name their export folders, which only this machine can open: demo, ontology [registry.no_public_url]\n"), build.stderr)
        XCTAssertEqual(build.stderr.components(separatedBy: "[registry.no_public_url]").count, 2, "one warning for both")
        XCTAssertTrue(build.stderr.contains("demo: registered, overall 1.833 ("), build.stderr)
        XCTAssertTrue(build.stderr.contains("registry: 2 entries in pipe-work/catalog.sqlite (table registry)\n"), build.stderr)

        let list = try PipeProcess.run(["registry", "list"], in: scratch.root)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, """
            name      dataset   overall
            demo      demo      1.833
            ontology  ontology  1.667

            """)
        let json = try JSONParser.parse(Array(try PipeProcess.run(["registry", "list", "--format", "json"], in: scratch.root).stdout.utf8))
        XCTAssertEqual(json.arrayValue?.map { $0["stage"] }, ["demo-import", "ontology-entries"])

        let show = try PipeProcess.run(["registry", "show", "demo"], in: scratch.root)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.hasPrefix("# registry entry 'demo': dataset demo, stage demo-import, run "), show.stdout)
        XCTAssertTrue(show.stdout.contains("\nname: \"demo\"\nurl: \"file://\(exports)/demo\"\n"), show.stdout)
        XCTAssertTrue(show.stdout.contains("\nlicensing: \"CC-BY-4.0\"\n"))
        try scratch.write(show.stdout, to: "demo-entry.yaml")
        let validated = try PipeProcess.run(["validate", "demo-entry.yaml", "--schema", "ontology-entry"], in: scratch.root)
        XCTAssertEqual(validated.status, 0, validated.stderr)
        XCTAssertFalse(validated.stderr.contains("error:"), validated.stderr)

        let shown = try JSONParser.parse(Array(try PipeProcess.run(["registry", "show", "demo", "--format", "json"], in: scratch.root).stdout.utf8))
        XCTAssertEqual(shown["overall"], 1.833)
        XCTAssertEqual(shown["entry"]?["ratings"]?["dataset"]?["checklist"]?["splits"], "yes")
        XCTAssertEqual(shown["entry"]?["contact"]?["name"], "The pipe developers")

        let unknown = try PipeProcess.run(["registry", "show", "nope"], in: scratch.root)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "error: no registry entry named 'nope' (entries: demo, ontology) [registry.unknown_entry]\n")

        let again = try PipeProcess.run(["registry", "build", "--quiet"], in: scratch.root)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try PipeProcess.run(["registry", "show", "demo"], in: scratch.root).stdout, show.stdout, "a rebuild makes the same entry")
    }

    func testExportsAreValidCompleteAndByteIdentical() throws {
        let (scratch, build) = try builtProject()
        XCTAssertEqual(build.status, 0, build.stderr)
        func export(_ format: String, _ out: String) throws {
            let result = try PipeProcess.run(["registry", "export", "--format", format, "--out", out], in: scratch.root)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        try export("mlcommons-yaml", "registry.yaml")
        try export("mlcommons-yaml", "registry-again.yaml")
        let yaml = try Data(contentsOf: scratch.url("registry.yaml"))
        XCTAssertEqual(try Data(contentsOf: scratch.url("registry-again.yaml")), yaml)
        XCTAssertTrue(String(decoding: yaml, as: UTF8.self).hasPrefix("- date: \"2026-01-01\"\n  version: \"1.0.0\"\n"))
        let validated = try PipeProcess.run(["validate", "--catalog", "registry.yaml", "--format", "json"], in: scratch.root)
        XCTAssertEqual(validated.status, 0, validated.stderr)
        let report = try JSONParser.parse(Array(validated.stdout.utf8))
        XCTAssertEqual(report["valid"], true)
        XCTAssertEqual(report["entries"]?.arrayValue?.map { $0["name"] }, ["demo", "ontology"])
        XCTAssertEqual(report["entries"]?.arrayValue?.map { $0["ratings"]?["overall"] }, [1.833, 1.667])

        try export("html", "registry.html")
        try export("html", "registry-again.html")
        let html = try String(contentsOf: scratch.url("registry.html"), encoding: .utf8)
        XCTAssertEqual(try String(contentsOf: scratch.url("registry-again.html"), encoding: .utf8), html)
        for name in ["demo", "ontology"] {
            XCTAssertTrue(html.contains("<tr class=\"entry\" id=\"entry-\(name)\" data-name=\"\(name)\""), name)
        }
        XCTAssertEqual(html.components(separatedBy: "<tr class=\"entry\"").count - 1, 2)
        for control in ["filter-domain", "filter-motif", "filter-min"] { XCTAssertTrue(html.contains("id=\"\(control)\""), control) }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2, "a radar chart per entry")

        try export("croissant", "croissant")
        let copies = try scratch.files(under: "croissant")
        XCTAssertEqual(copies.keys.sorted(), ["/demo.croissant.json", "/ontology.croissant.json"])
        XCTAssertEqual(copies["/demo.croissant.json"], try Data(contentsOf: scratch.url("pipe-work/exports/demo/croissant.json")))
    }

    func testAPublicURLFromTheDatasetSpecIsTheEntrysURL() throws {
        let (scratch, build) = try builtProject(demoURL: "https://example.org/pipe-demo")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertFalse(build.stderr.contains("dataset 'demo' has no public URL"), build.stderr)
        // Only the ontology dataset is left local, so the warning names it and its folder alone.
        XCTAssertTrue(build.stderr.contains("/ontology: warning: dataset 'ontology' has no public URL (its dataset spec gives no http(s) url): its entry names the export folder, file://"), build.stderr)
        let shown = try JSONParser.parse(Array(try PipeProcess.run(["registry", "show", "demo", "--format", "json"], in: scratch.root).stdout.utf8))
        XCTAssertEqual(shown["entry"]?["url"], "https://example.org/pipe-demo")
        XCTAssertEqual(shown["entry"]?["datasets"]?["links"]?.arrayValue?.first?["url"], "https://example.org/pipe-demo")
        XCTAssertEqual(shown["entry"]?["ratings"]?["dataset"]?["checklist"]?["findable"], "partial")
        XCTAssertEqual(shown["entry"]?["ratings"]?["dataset"]?["checklist"]?["accessible"], "unknown")
    }

    func testAnEmptyWorkspaceHasAnEmptyRegistry() throws {
        let scratch = try Scratch()
        try scratch.copyDemo(tasks: 2)
        let build = try PipeProcess.run(["registry", "build"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(try PipeProcess.run(["registry", "list"], in: scratch.root).stdout, "name  dataset  overall\n")
        let show = try PipeProcess.run(["registry", "show", "demo"], in: scratch.root)
        XCTAssertEqual(show.stderr, "error: no registry entry named 'demo' (the registry is empty: run pipe registry build) [registry.unknown_entry]\n")
    }
}
