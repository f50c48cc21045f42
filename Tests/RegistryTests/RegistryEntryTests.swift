import Engine
import Foundation
import Ontology
import StageKit
import XCTest
@testable import Registry

/// Entries made from an export's evidence: filled where pipe has evidence, "unknown" elsewhere, rated from it, and
/// accepted by the ontology validator.
final class RegistryEntryTests: XCTestCase {
    static let validator: OntologyValidator = {
        do { return try OntologyValidator() } catch { fatalError("the embedded schema or rubric is broken: \(error)") }
    }()

    /// A manifest as `pipe export` writes one, with `extra` members added.
    static func manifest(_ extra: [String: JSONValue] = [:]) throws -> ExportManifest {
        var object: [String: JSONValue] = [
            "name": "demo", "description": "Short synthetic records. Written for tests.", "license": "CC-BY-4.0",
            "version": "1.0.0", "schema": "demo-record", "id_field": "id", "compression": "gzip",
            "files": [["path": "data/train-00000-of-00001.jsonl.gz", "sha256": "ab", "bytes": 10, "split": "train", "records": 8],
                      ["path": "data/test-00000-of-00001.jsonl.gz", "sha256": "cd", "bytes": 5, "split": "test", "records": 2]],
            "artifacts": [], "splits": ["train": 8, "test": 2], "records": 10,
            "provenance": ["pipeline": "demo", "pipeline_file": "Pipelines/demo.yaml", "stage": "demo-import",
                           "kind": "records.import", "params": ["schema": "demo-record"],
                           "inputs": [["locator": "Data/demo/a.jsonl", "sha256": "ef"]], "upstream": [:], "run_id": "r1"],
            "pipe_version": "0.1.0", "creator": ["name": "The pipe developers", "type": "organization"],
            "date_published": "2026-01-01",
        ]
        for (key, value) in extra { object[key] = value }
        return try JSONDecoder().decode(ExportManifest.self, from: Data(JSONWriter.compact(.object(object))))
    }

    static func evidence(_ manifest: ExportManifest, profile: KindProfile? = nil,
                         evaluation: KindProfile.Evaluation? = nil) -> DatasetEvidence {
        DatasetEvidence(
            row: DatasetRow(name: manifest.name, stage: "demo-import", stream: "main", runID: "r1",
                            exportDirectory: "/work/p/pipe-work/exports/demo", records: manifest.records, manifestSHA256: "00"),
            exportDirectory: "/work/p/pipe-work/exports/demo", manifest: manifest, manifestSHA256: "00",
            croissantCiteAs: "@misc{demo,\n  title = {demo},\n  version = {1.0.0}\n}", hasCroissant: true, hasCard: true,
            hasSchema: true, damagedFiles: [], spec: nil, profile: profile, evaluation: evaluation)
    }

    /// The entry as YAML, checked by the validator.
    func check(_ entry: OntologyEntry) throws -> EntryReport {
        let text = EntryYAMLWriter(rubric: Self.validator.rubric).mapping(entry)
        let report = Self.validator.checkEntryFile(try EntryFile(text: text, path: "entry.yaml"))
        return try XCTUnwrap(report.entries.first)
    }

    func testAnUnpublishedDatasetGetsItsExportFolderAsAFileURLAndStaysValid() throws {
        let (entry, local) = EntryComposer(rubric: Self.validator.rubric).entry(Self.evidence(try Self.manifest()))
        XCTAssertTrue(local)
        XCTAssertEqual(entry.url, "file:///work/p/pipe-work/exports/demo")
        XCTAssertEqual(entry.datasets.links.map(\.url), [entry.url])
        XCTAssertEqual(entry.focus, "Short synthetic records")
        XCTAssertEqual(entry.date, "2026-01-01")
        XCTAssertEqual(entry.domain, ["unknown"])
        XCTAssertEqual(entry.metrics, ["unknown"])
        XCTAssertEqual(entry.contact, Contact(name: "The pipe developers", email: "unknown"))
        XCTAssertEqual(entry.cite, ["@misc{demo,\n  title = {demo},\n  version = {1.0.0}\n}\n"])
        XCTAssertTrue(entry.summary.contains("10 records in 2 data file(s) (train 8, test 2)"), entry.summary)
        let report = try check(entry)
        XCTAssertTrue(report.valid, "\(report.diagnostics)")
        XCTAssertEqual(Set(report.warnings.map(\.code)), ["ontology.url_local", "ontology.link_unknown", "ontology.checklist_incomplete"])
        XCTAssertEqual(report.ratings.declared.map(\.rating), [4, 3.5, 3, 0, 0, 0.5])
        XCTAssertEqual(report.ratings.overall, 1.833)
    }

    func testEveryCriterionIsAnsweredFromEvidence() throws {
        let ratings = EntryComposer(rubric: Self.validator.rubric).entry(Self.evidence(try Self.manifest())).entry.ratings
        XCTAssertEqual(ratings.software?.checklist?["code_available"], "unknown")
        XCTAssertEqual(ratings.specification?.checklist?["task_clear"], "partial")
        XCTAssertEqual(ratings.dataset?.checklist?["findable"], "no")
        XCTAssertEqual(ratings.dataset?.checklist?["splits"], "yes")
        XCTAssertEqual(ratings.metrics?.checklist, ["defined": 0, "goal_capture": 0])
        XCTAssertEqual(ratings.documentation?.checklist?["motivation"], "unknown")
        XCTAssertTrue(ratings.dataset?.reason.contains("- splits: yes: splits train 8, test 2,") == true)
        XCTAssertTrue(ratings.software?.reason.hasPrefix("Rated from the evidence pipe has; code_available unknown (no points), so 4 is a lower bound.\n") == true)
    }

    func testAPublishedDatasetWithACitationAndAnEvaluationCommand() throws {
        let manifest = try Self.manifest([
            "url": "https://example.org/demo",
            "citation": "@article{smith2025, title={Synthetic {HPC} records}, author={Smith, A.}, year={2025}, doi={10.1234/demo.5}}",
            "splits": ["train": 10],
        ])
        let evaluation = KindProfile.Evaluation(command: "pipe eval demo", subcommand: "eval", metrics: ["accuracy"])
        let profile = KindProfile(domain: ["Mathematics"], mlMotif: ["Reasoning & Generalization"], keywords: ["math"], evaluation: evaluation)
        let (entry, local) = EntryComposer(rubric: Self.validator.rubric).entry(Self.evidence(manifest, profile: profile, evaluation: evaluation))
        XCTAssertFalse(local)
        XCTAssertEqual(entry.url, "https://example.org/demo")
        XCTAssertEqual(entry.doi, "10.1234/demo.5")
        XCTAssertEqual(entry.cite.first?.hasPrefix("@article{smith2025,"), true)
        XCTAssertEqual(entry.domain, ["Mathematics"])
        XCTAssertEqual(entry.keywords, ["pipe", "records.import", "math"])
        XCTAssertEqual(entry.metrics, ["accuracy"])
        XCTAssertEqual(entry.fair.benchmarkReady, "Yes")
        XCTAssertEqual(entry.ratings.dataset?.checklist?["findable"], "partial")
        XCTAssertEqual(entry.ratings.dataset?.checklist?["accessible"], "unknown")
        XCTAssertEqual(entry.ratings.dataset?.checklist?["splits"], "no", "one split only")
        XCTAssertEqual(entry.ratings.metrics?.checklist?["defined"], 3)
        XCTAssertEqual(entry.ratings.documentation?.checklist?["paper"], "yes")
        XCTAssertTrue(entry.ratings.documentation?.reason.contains("cites @article{smith2025}: \"Synthetic HPC records\"") == true)
        let report = try check(entry)
        XCTAssertTrue(report.valid, "\(report.diagnostics)")
        XCTAssertFalse(report.warnings.contains { $0.code == "ontology.url_local" })
    }

    func testTextFromOutsideIsMadeASCII() throws {
        let manifest = try Self.manifest(["description": "Donn\u{E9}es \u{201C}r\u{E9}elles\u{201D} \u{2014} na\u{EF}ve.",
                                          "creator": ["name": "Universit\u{E4}t M\u{FC}nchen", "type": "organization"]])
        let entry = EntryComposer(rubric: Self.validator.rubric).entry(Self.evidence(manifest)).entry
        XCTAssertEqual(entry.focus, "Donnees \"reelles\" -- naive")
        XCTAssertEqual(entry.contact.name, "Universitaet Muenchen")
        let report = try check(entry)
        XCTAssertFalse(report.diagnostics.contains { $0.code == "ontology.non_ascii" }, "\(report.diagnostics)")
    }

    func testEmbeddedKindProfilesDecode() throws {
        let profiles = try KindProfiles.embedded()
        XCTAssertEqual(profiles.kinds["corpus.mine"]?.mlMotif, ["Classification"])
        XCTAssertEqual(profiles.kinds["tokompiler.tokenize"]?.mlMotif, ["Generative"])
        XCTAssertNil(profiles.kinds["records.import"], "a kind that carries any records states nothing")
        for (kind, profile) in profiles.kinds {
            for domain in profile.domain ?? [] { XCTAssertTrue(Self.validator.taxonomy.domains.contains(domain), "\(kind): \(domain)") }
            for motif in profile.mlMotif ?? [] { XCTAssertTrue(Self.validator.taxonomy.motifs.contains(motif), "\(kind): \(motif)") }
        }
    }
}
