import JSONSchema
import StageKit

/// The stage kinds a build of pipe knows, and every schema it embeds: the engine's own (pipeline files,
/// rejects, manifests) and each kind's.
public struct KindCatalog: Sendable {
    public let registry: StageRegistry
    public let schemas: SchemaLibrary

    public init(_ kinds: [any Stage.Type]) {
        registry = StageRegistry(kinds)
        schemas = SchemaLibrary(files: Self.engineSchemas + registry.schemaFiles)
    }

    /// The schemas the engine owns (`Schemas/Engine/`).
    public static var engineSchemas: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
}
