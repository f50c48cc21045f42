/// A stage kind: how to turn input items into records (map). Kinds that need every record at once
/// conform to `ReducingStage` as well.
///
/// Stages never touch the catalog or choose file names: the runner does. `map` is called from many
/// threads at once, for different items; it must not keep mutable state outside its context.
public protocol Stage: Sendable {
    /// The typed parameters of a pipeline stage of this kind: decoded from `params:` after the kind's
    /// parameters schema accepted them. Defaults live in this type, and only there.
    associatedtype Parameters: Decodable & Sendable & Equatable

    /// The kind name used in pipeline files, e.g. `records.import`.
    static var kind: String { get }
    /// One line for `pipe stages`.
    static var summary: String { get }
    /// The name of the schema (among `schemaFiles`) that `params` must satisfy.
    static var parametersSchema: String { get }
    /// The JSON Schemas the kind's module owns (its records and parameters), embedded at build time.
    static var schemaFiles: [SchemaFile] { get }
    /// What the kind reads; anything else given as an input is a configuration error at load.
    static var accepts: AcceptedInputs { get }

    /// Sets the stage up from its decoded parameters; throws `PipeError` (with `field` set to the
    /// parameter's JSON pointer where it can) for a value the schema cannot rule out.
    init(parameters: Parameters, setup: StageSetup) throws

    /// The streams this configured stage writes.
    var streams: [StreamSpec] { get }

    /// Files its parameters name (a schema, a parameters file): their content is part of the run
    /// key, so editing one makes the stage stale.
    var parameterFiles: [String] { get }

    /// Identities of tools whose output the stage records (a compiler's path and `--version`): part of the
    /// run key, so a new compiler makes the stage stale.
    var toolIdentities: [String] { get }

    /// Turns one input item into records and rejects.
    func map(_ item: InputItem, into output: some MapContext) throws
}

/// A stage kind with a reduce phase: one step after every map task is done that sees all records.
public protocol ReducingStage: Stage {
    /// Sees every task's records at once; emits what is kept, in key order per stream.
    ///
    /// Streams it neither emits to nor passes through are passed through by the runner after it
    /// returns, less the records that point (by their stream's declared reference) to a dropped record;
    /// hidden side streams are discarded.
    func reduce(_ context: some ReduceContext) throws
}

extension Stage {
    public var parameterFiles: [String] { [] }
    public var toolIdentities: [String] { [] }

    /// Decodes `parameters` into the kind's `Parameters` and sets the stage up; decoding errors carry
    /// the JSON pointer of the offending field.
    public static func make(parameters: JSONValue, setup: StageSetup) throws -> Self {
        let decoded = try ParameterDecoder.decode(Parameters.self, from: parameters)
        return try Self(parameters: decoded, setup: setup)
    }
}

/// A schema document a module embeds: its file name (`corpus-file.schema.json`) and its text.
public struct SchemaFile: Sendable, Equatable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// Builds the list from the `(name, text)` pairs the schema-embedding plugin generates.
    public static func list(_ files: [(name: String, text: String)]) -> [SchemaFile] {
        files.map { SchemaFile(name: $0.name, text: $0.text) }
    }
}

/// What a stage kind reads: files, the entries of archives, upstream records (of given schemas).
public struct AcceptedInputs: Sendable, Equatable {
    /// Plain files (globs, folders, `{path}`, `{list}` inputs).
    public var files: Bool
    /// Whether `.tar`, `.tar.gz`, `.tgz`, `.tar.zst`, `.tar.xz`, `.tar.bz2` and `.zip` inputs are opened
    /// and their entries become the items (as `.bytes`, locator `archive!entry`); otherwise an archive
    /// is one file item.
    public var archiveEntries: Bool
    /// Upstream record streams (`{stage, records}` inputs), if accepted.
    public var records: RecordInputs?

    public init(files: Bool = false, archiveEntries: Bool = false, records: RecordInputs? = nil) {
        self.files = files
        self.archiveEntries = archiveEntries
        self.records = records
    }

    /// Which upstream record streams a kind reads.
    public enum RecordInputs: Sendable, Equatable {
        /// Any stream.
        case any
        /// Streams whose schema has one of these names.
        case schemas([String])
    }

    /// Files only.
    public static let files = AcceptedInputs(files: true)
    /// Files, and the entries of archives.
    public static let filesAndArchives = AcceptedInputs(files: true, archiveEntries: true)
    /// Upstream records of any stream only.
    public static let records = AcceptedInputs(records: .any)

    /// A phrase for error messages: "files, archive entries".
    public var description: String {
        var parts: [String] = []
        if files { parts.append(archiveEntries ? "files and archive entries" : "files") }
        switch records {
        case .any?: parts.append("upstream records ({stage, records})")
        case .schemas(let names)?: parts.append("upstream records of \(names.joined(separator: ", "))")
        case nil: break
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: " and ")
    }
}

/// Every stage kind a build of pipe knows, by kind name.
public struct StageRegistry: Sendable {
    public private(set) var kinds: [String: any Stage.Type] = [:]

    public init(_ stages: [any Stage.Type]) {
        for stage in stages { kinds[stage.kind] = stage }
    }

    /// Kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }

    /// Every schema the kinds embed, each once, by file name.
    public var schemaFiles: [SchemaFile] {
        var seen: [String: SchemaFile] = [:]
        for name in names {
            guard let kind = kinds[name] else { continue }
            for file in kind.schemaFiles where seen[file.name] == nil { seen[file.name] = file }
        }
        return seen.keys.sorted().compactMap { seen[$0] }
    }
}
