/// The repository and the path inside it of an input item.
public struct ItemPath: Sendable, Equatable {
    public var repo: String
    public var path: String

    public init(repo: String, path: String) {
        self.repo = repo
        self.path = path
    }

    static let archiveSuffixes = [".tar.gz", ".tgz", ".tar.zst", ".tar", ".zip"].map { Array($0.utf8) }

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
    ///
    /// The first `!` that follows an archive extension (ASCII case ignored), found on the bytes: this runs
    /// for every entry of every archive.
    static func archiveSeparator(in locator: String) -> String.Index? {
        let utf8 = locator.utf8
        var index = utf8.startIndex
        var offset = 0
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "!") && endsWithArchiveSuffix(utf8, before: offset) { return index }
            utf8.formIndex(after: &index)
            offset += 1
        }
        return nil
    }

    private static func endsWithArchiveSuffix(_ utf8: String.UTF8View, before end: Int) -> Bool {
        suffixLoop: for suffix in archiveSuffixes where suffix.count <= end {
            var position = utf8.index(utf8.startIndex, offsetBy: end - suffix.count)
            for expected in suffix {
                let byte = utf8[position]
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                if lower != expected { continue suffixLoop }
                utf8.formIndex(after: &position)
            }
            return true
        }
        return false
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
