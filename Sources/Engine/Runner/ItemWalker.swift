import StageKit
import Storage
/// Enumerates a stage's input items in one fixed order: resolved files by locator (an archive's
/// entries in archive order when the stage reads archives), then upstream records by id.
struct ItemWalker {
    let plan: StageRunner.Plan
    var limits = ArchiveLimits.default

    init(plan: StageRunner.Plan) { self.plan = plan }

    /// Whether every item is a plain file known before reading (no archive entries, no upstream records).
    var itemsKnownUpFront: Bool {
        plan.upstream.isEmpty
            && !(type(of: plan.stage).accepts.archiveEntries
                && plan.files.contains { $0.skipped == nil && ArchiveReader.isArchive($0.locator) })
    }

    /// Calls `body` with each item and the bytes it holds in memory; `wants(locator)` says whether
    /// any pending task owns it (others are skipped unread where possible). A damaged or over-cap
    /// archive becomes one reject, handed to `damaged` with the locator whose owner reports it (nil: task 0).
    func walk(
        wants: (String) -> Bool, _ body: (InputItem, Int) throws -> Void,
        damaged: (String?, Reject) throws -> Void
    ) throws {
        let readsArchives = type(of: plan.stage).accepts.archiveEntries
        for file in plan.files {
            if let reject = file.reject {
                if wants(file.locator) { try damaged(file.locator, reject) }
            } else if readsArchives && ArchiveReader.isArchive(file.locator) {
                try Self.walkArchive(file, limits: limits, wants: wants, body, damaged: damaged)
            } else if wants(file.locator) {
                try body(InputItem(locator: file.locator, repo: file.repo, source: .file(path: file.absolutePath)), 0)
            }
        }
        for upstream in plan.upstream {
            try upstream.forEachItem { item in
                if wants(item.locator) { try body(item, 0) }
            }
        }
    }

    /// The items of one archive, and at most one reject for damage or a cap on the whole archive.
    static func walkArchive(
        _ file: ResolvedFile, limits: ArchiveLimits, wants: (String) -> Bool, _ body: (InputItem, Int) throws -> Void,
        damaged: (String?, Reject) throws -> Void
    ) throws {
        var lastGood: String?
        do {
            try ArchiveReader.forEachEntry(path: file.absolutePath, limits: limits, wants: { wants(file.locator + "!" + $0) }) {
                event in
                switch event {
                case .entry(let path, let content):
                    let locator = file.locator + "!" + path
                    lastGood = locator
                    try body(InputItem(locator: locator, repo: file.repo ?? repository(entry: path, archive: file.locator),
                                       source: .bytes(content)), content.count)
                case .refused(let path, let code, let reason):
                    let locator = file.locator + "!" + path
                    lastGood = locator
                    try damaged(locator, Reject(.error, code: code, reason: reason, locator: locator))
                }
            }
        } catch let stop as ArchiveStop {
            let failing = stop.entry.map { file.locator + "!" + $0 }
            let reject = Reject(.error, code: stop.code, reason: stop.reason, locator: failing ?? file.locator,
                                offset: stop.offset)
            // Reported by the owner of the failing entry, else of the last good one, else (nil) by task 0.
            try damaged(failing ?? lastGood, reject)
        }
    }

    /// The repository of an archive entry: its top-level folder, else the archive's name.
    static func repository(entry: String, archive: String) -> String {
        let parts = entry.split(separator: "/")
        if parts.count > 1, let first = parts.first { return String(first) }
        var name = Substring(archive.split(separator: "/").last ?? Substring(archive))
        if let suffix = ArchiveReader.archiveSuffix(of: String(name)) { name = name.dropLast(suffix.count) }
        return String(name)
    }
}
