import Foundation

/// Small file-system helpers with errors that name the path.
public enum FileSystem {
    /// Creates a folder and its parents; succeeds when it exists.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PipeError("io.mkdir", "cannot create folder \(path): \(error.localizedDescription)")
        }
    }

    /// Removes a file or folder tree; succeeds when it does not exist.
    public static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw PipeError("io.remove", "cannot remove \(path): \(error.localizedDescription)")
        }
    }

    /// Whether a path exists, and whether it is a folder.
    public static func exists(_ path: String) -> (exists: Bool, isDirectory: Bool) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return (exists, isDirectory.boolValue)
    }

    /// The names in a folder, sorted byte-wise so listings are deterministic.
    public static func list(_ path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Writes text atomically (temporary name, fsync, rename).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// Reads a whole small file.
    public static func read(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipeError("io.read", "cannot open \(path)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        if data.count > limit { throw PipeError("io.too_large", "\(path) is larger than \(limit) bytes") }
        return [UInt8](data)
    }
}
