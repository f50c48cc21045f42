import Foundation
import Hls4ml
import StageKit
import StageKitTestSupport
import Storage
import XCTest

/// Paths and helpers shared by the hls4ml tests.
enum Fixtures {
    /// The repository root (tests run from anywhere).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let data = root + "/Data/hls4ml"
    static let golden = root + "/Tests/Hls4mlTests/Golden"

    /// Every item of `Data/hls4ml` as the runner would hand it over: files by path, and the entries of archives
    /// as bytes, with locators relative to the repository root.
    static func dataItems() throws -> [InputItem] {
        var items: [InputItem] = []
        let base = URL(fileURLWithPath: data)
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = walker?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { paths.append(url.path) }
        }
        for path in paths.sorted() {
            let locator = "Data/hls4ml/" + String(path.dropFirst(data.count + 1))
            if path.hasSuffix(".tar.gz") {
                try ArchiveReader.forEachEntry(path: path, wants: { _ in true }) { event in
                    if case .entry(let entry, let content) = event {
                        items.append(InputItem(locator: locator + "!" + entry, source: .bytes(content)))
                    }
                }
            } else {
                items.append(InputItem(locator: locator, source: .file(path: path)))
            }
        }
        return items
    }

    /// Runs map over `items` and reduce over what it emitted; returns both contexts.
    static func build(_ items: [InputItem], params: JSONValue = ["hls4ml_version": "1.1.0"]) throws
        -> (map: InMemoryMapContext, reduce: InMemoryReduceContext, stage: Hls4mlRecordsStage) {
        let stage = try StageTesting.make(Hls4mlRecordsStage.self, params: params)
        let mapped = InMemoryMapContext(streams: stage.streams)
        try mapped.map(items, with: stage)
        var records: [String: [(key: RecordKey, bytes: [UInt8])]] = [:]
        for record in mapped.records {
            // The runner keys a record by the item it came from; a piece names its item.
            let locator = record.value["locator"]?.stringValue ?? ""
            records[record.stream, default: []].append((RecordKey(id: record.id ?? "", locator: locator, line: 0), record.bytes))
        }
        let reduce = InMemoryReduceContext(streams: stage.streams, records: records)
        try stage.reduce(reduce)
        try reduce.finish()
        return (mapped, reduce, stage)
    }

    /// Writes `files` (relative path → text) under a new temporary folder and returns its items, with locators
    /// `p/<relative path>`.
    static func project(_ files: [String: String]) throws -> [InputItem] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-hls4ml-\(UUID().uuidString)")
        var items: [InputItem] = []
        for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            items.append(InputItem(locator: "p/" + relative, source: .file(path: url.path)))
        }
        return items
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: data + "/" + relative, encoding: .utf8)
    }
}
