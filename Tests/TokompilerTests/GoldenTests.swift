import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// Golden outputs per language on code written for the project (Data/tokompiler/samples): the token text and the
/// map of each sample, in `<sample>.golden.json`. `TOKOMPILER_UPDATE_GOLDEN=1 swift test --filter GoldenTests`
/// rewrites them after a deliberate change; review the diff.
final class GoldenTests: XCTestCase {
    static let samples = Support.root.appendingPathComponent("Data/tokompiler/samples")

    private func check(_ name: String, language: TokenizerLanguage, fixed: Bool = false,
                       options: TokenizerOptions = TokenizerOptions(), suffix: String = "") throws {
        let url = Self.samples.appendingPathComponent(name)
        let bytes = Array(try Data(contentsOf: url))
        let document = Tokenizer(options: options).tokenize(SourceInput(bytes: bytes, language: language, fortranFixedForm: fixed))
        var members: [String: JSONValue] = [
            "tokens": .string(document.text),
            "map": .object(document.map.mapValues { .string($0) }),
            "unk": .object(document.unknown.mapValues { .integer(Int64($0)) }),
        ]
        if !document.scopes.isEmpty {
            members["scopes"] = .array(document.scopes.map {
                .object(["start": .integer(Int64($0.start)), "end": .integer(Int64($0.end)),
                         "map": .object($0.map.mapValues { .string($0) })])
            })
        }
        let actual = JSONWriter.pretty(.object(members)) + "\n"
        let goldenURL = Self.samples.appendingPathComponent(name + suffix + ".golden.json")
        if ProcessInfo.processInfo.environment["TOKOMPILER_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: goldenURL)
            return
        }
        let expected = try String(contentsOf: goldenURL, encoding: .utf8)
        XCTAssertEqual(actual, expected, "\(name): output differs from \(goldenURL.lastPathComponent)")
        XCTAssertNil(try Support.roundTripDifference(bytes, language: language, fixed: fixed, options: options))
    }

    func testC() throws { try check("stencil.c", language: .c) }
    func testWorkedExample() throws { try check("worked_example.c", language: .c) }
    func testWorkedExampleAsTheOriginal() throws {
        try check("worked_example.c", language: .c, options: TokenizerOptions(anonymizeLibraryCalls: true), suffix: ".anonymized")
    }
    func testCPlusPlus() throws { try check("particles.cpp", language: .cpp) }
    func testCUDA() throws { try check("saxpy.cu", language: .cuda) }
    func testOpenCL() throws { try check("reduce.cl", language: .opencl) }
    func testFortranFreeForm() throws { try check("jacobi.f90", language: .fortran) }
    func testFortranFixedForm() throws { try check("dot.f", language: .fortran, fixed: true) }
    func testPerFunctionIDs() throws {
        try check("stencil.c", language: .c, options: TokenizerOptions(scope: .function), suffix: ".per-function")
    }
}
