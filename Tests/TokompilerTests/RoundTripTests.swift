import Foundation
import XCTest
import StageKitTestSupport
@testable import Tokompiler

/// restore(tokenize(x)) is token for token x for every source file in Data/, in every id mode.
final class RoundTripTests: XCTestCase {
    private func checkAll(options: TokenizerOptions) throws {
        let files = Support.sourceFiles(under: Support.root.appendingPathComponent("Data"))
        XCTAssertGreaterThan(files.count, 20, "Data/ should hold the seed corpus and the samples")
        var languages = Set<TokenizerLanguage>()
        for (url, language, fixed) in files {
            let bytes = Array(try Data(contentsOf: url))
            languages.insert(language)
            if let difference = try Support.roundTripDifference(bytes, language: language, fixed: fixed, options: options) {
                XCTFail("\(url.path): \(difference)")
            }
        }
        XCTAssertEqual(languages, Set(TokenizerLanguage.allCases))
    }

    func testSequentialIDsPerFile() throws { try checkAll(options: TokenizerOptions()) }
    func testLibraryCallsAnonymized() throws { try checkAll(options: TokenizerOptions(anonymizeLibraryCalls: true)) }
    func testRandomIDsPerFunction() throws {
        try checkAll(options: TokenizerOptions(ids: .random(seed: 7), scope: .function))
    }

    func testRestoredCCompilesTheSameWhenACompilerIsThere() throws {
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { throw XCTSkip("no C compiler") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokompiler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("typedef struct { int nx, ny; } grid_info;\n".utf8).write(to: folder.appendingPathComponent("grid.h"))
        for name in ["stencil.c", "worked_example.c"] {
            let source = GoldenTests.samples.appendingPathComponent(name)
            let document = Tokenizer().tokenize(SourceInput(bytes: Array(try Data(contentsOf: source)), language: .c))
            let restored = folder.appendingPathComponent("restored-" + name)
            try Data(try Restorer(language: .c).restore(document).utf8).write(to: restored)
            let original = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: source, to: original)
            func status(_ file: URL) throws -> Int32 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: compiler)
                process.arguments = ["-fsyntax-only", "-fopenmp", "-w", "-I", folder.path, file.path]
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                return process.terminationStatus
            }
            XCTAssertEqual(try status(restored), try status(original), name)
        }
    }
}
