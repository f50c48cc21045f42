/// Artifacts written straight into a folder, each atomically: for commands that run a stage's logic
/// outside a pipeline (`pipe tokenize --shards DIR`).
public final class DirectoryArtifacts: ArtifactSink {
    public let directory: String

    /// Creates the folder when it does not exist.
    public init(directory: String) throws {
        self.directory = directory
        try FileSystem.makeDirectory(directory)
    }

    public func createArtifact(named name: String) throws -> any ArtifactOutput {
        try ArtifactName.check(name)
        return AtomicArtifact(file: try AtomicFile(path: directory + "/" + name))
    }
}

/// An artifact backed by an `AtomicFile`.
final class AtomicArtifact: ArtifactOutput {
    let file: AtomicFile

    init(file: AtomicFile) { self.file = file }

    func commit() throws { try file.commit() }
    func abandon() { file.abandon() }
}

/// The rule for artifact names: one plain file name, so an artifact never lands outside its folder.
public enum ArtifactName {
    /// Throws `stage.artifact_name` for an empty name, a hidden name, or one with a path separator.
    public static func check(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.utf8.contains(0) else {
            throw PipeError("stage.artifact_name", "artifact name '\(name)' must be a plain file name")
        }
    }
}
