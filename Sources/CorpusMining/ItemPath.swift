/// The repository and the path inside it of an input item.
public struct ItemPath: Sendable, Equatable {
    public var repo: String
    public var path: String

    public init(repo: String, path: String) {
        self.repo = repo
        self.path = path
    }

    static let archiveSuffixes = [".tar.gz!", ".tgz!", ".tar.zst!", ".tar!", ".zip!"]

    /// Splits a locator: `archive!repo/dir/file` gives the entry path without its top-level folder;
    /// a plain file gives the path after the repository's folder (`../Data/corpus/repo/src/x.c` →
    /// `src/x.c`). The repository is the item's when it has one, else the archive entry's top-level
    /// folder or the file's parent folder.
    public static func split(locator: String, repo: String?) -> ItemPath {
        if let bang = archiveSeparator(in: locator) {
            var entry = String(locator[locator.index(after: bang)...])
            while entry.hasPrefix("./") { entry.removeFirst(2) }
            let components = entry.split(separator: "/", omittingEmptySubsequences: true)
            let top = components.count > 1 ? String(components[0]) : nil
            let name = repo ?? top ?? archiveName(String(locator[..<bang]))
            if let top, top == name {
                return ItemPath(repo: name, path: components.dropFirst().joined(separator: "/"))
            }
            return ItemPath(repo: name, path: components.joined(separator: "/"))
        }
        let meaningful = locator.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            .filter { $0 != "." && $0 != ".." }
        let name = repo ?? (meaningful.count > 1 ? meaningful[meaningful.count - 2] : "unknown")
        if let index = meaningful.firstIndex(of: name), index + 1 < meaningful.count {
            return ItemPath(repo: name, path: meaningful[(index + 1)...].joined(separator: "/"))
        }
        return ItemPath(repo: name, path: meaningful.last ?? locator)
    }

    /// The `!` after an archive name (`x.tar.gz!entry`); nil for a plain file.
    static func archiveSeparator(in locator: String) -> String.Index? {
        let lower = locator.lowercased()
        var best: String.Index?
        for suffix in archiveSuffixes {
            guard let range = lower.range(of: suffix) else { continue }
            let offset = lower.utf8.distance(from: lower.startIndex, to: range.upperBound) - 1
            let index = locator.utf8.index(locator.startIndex, offsetBy: offset)
            if best.map({ index < $0 }) ?? true { best = index }
        }
        return best
    }

    /// An archive's file name without its archive extensions: the repository when entries have no folder.
    static func archiveName(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".tar.gz", ".tgz", ".tar.zst", ".tar", ".zip"] where name.lowercased().hasSuffix(suffix) {
            name.removeLast(suffix.count)
            break
        }
        return name.isEmpty ? "unknown" : name
    }
}
