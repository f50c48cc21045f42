import Foundation
import HPCTrans
import StageKit
import StageKitTestSupport
import XCTest

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipe-hpctrans-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// Runs `hpctrans.records` over files through an in-memory context; checks are serial (one lane) so that sandbox
/// runs of one test never compete for the sandbox uid's process budget.
func mapFiles(_ files: [(locator: String, path: String)], params: [String: JSONValue] = [:]) throws
    -> (InMemoryMapContext, HPCTransRecordsStage) {
    var merged: [String: JSONValue] = ["concurrency": 1, "timeout_seconds": 120]
    for (key, value) in params { merged[key] = value }
    let stage = try StageTesting.make(HPCTransRecordsStage.self, params: .object(merged))
    let context = InMemoryMapContext(streams: stage.streams)
    try context.map(files.map { InputItem(locator: $0.locator, source: .file(path: $0.path)) }, with: stage)
    return (context, stage)
}

/// The repository's root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
