/// One named record stream a stage writes (`main`, or `files`, `functions`, ...).
public struct StreamSpec: Sendable, Equatable {
    public var name: String
    /// The schema every record of the stream satisfies: a bundled schema name or a path.
    public var schema: String
    /// The field that holds each record's id.
    public var idField: String
    /// Side streams are read only by the stage's reduce phase and never exported.
    public var hidden: Bool
    /// The schema itself, for streams whose schema is made from their inputs' (records passed through
    /// with added fields); when nil, `schema` names a bundled schema or a schema file.
    public var document: JSONValue?

    public init(name: String, schema: String, idField: String = "id", hidden: Bool = false, document: JSONValue? = nil) {
        self.name = name
        self.schema = schema
        self.idField = idField
        self.hidden = hidden
        self.document = document
    }
}

/// What a stage needs to know about its surroundings when it is set up.
public struct StageSetup: Sendable {
    /// The folder of the pipeline file: relative paths in parameters are resolved against it.
    public var pipelineDirectory: String
    /// The bundled schemas plus any the parameters named by path.
    public var schemas: SchemaRegistry
    /// The upstream record streams this stage reads (`{stage, records}` inputs), in input order.
    public var inputs: [StreamSpec]

    public init(pipelineDirectory: String, schemas: SchemaRegistry, inputs: [StreamSpec] = []) {
        self.pipelineDirectory = pipelineDirectory
        self.schemas = schemas
        self.inputs = inputs
    }
}

/// A stage kind: how to turn input items into records (map) and, optionally, what to do once all
/// records are there (reduce).
///
/// Stages never touch the catalog or choose file names: the runner does. `map` is called from many
/// threads at once, for different items; it must not keep mutable state outside its `MapOutput`.
public protocol Stage: Sendable {
    /// The kind name used in pipeline files, e.g. `records.import`.
    static var kind: String { get }
    /// One line for `pipe stages`.
    static var summary: String { get }
    /// The bundled schema that the `params` of a pipeline stage of this kind must satisfy.
    static var parametersSchema: String { get }
    /// Whether `.tar`, `.tar.gz`, `.tgz`, `.tar.zst` and `.zip` inputs are opened and their entries
    /// become the items (as `.bytes`, locator `archive!entry`); otherwise an archive is one file item.
    static var readsArchives: Bool { get }

    /// Sets the stage up from its checked parameters; throws `PipeError` for a bad value.
    init(parameters: JSONValue, setup: StageSetup) throws

    /// The streams this configured stage writes.
    var streams: [StreamSpec] { get }

    /// Files its parameters name (a schema, a parameters file): their content is part of the run
    /// key, so editing one makes the stage stale.
    var parameterFiles: [String] { get }

    /// Turns one input item into records and rejects.
    func map(_ item: InputItem, into output: MapOutput) throws

    /// Whether `reduce` must run after every task is done.
    var hasReduce: Bool { get }

    /// Sees all tasks' records at once; must emit every record that is kept, in key order.
    func reduce(_ context: ReduceContext) throws
}

extension Stage {
    public static var readsArchives: Bool { false }
    public var parameterFiles: [String] { [] }
    public var hasReduce: Bool { false }
    public func reduce(_ context: ReduceContext) throws {}
}

/// Every stage kind pipe knows, by kind name.
public struct StageRegistry: Sendable {
    public private(set) var kinds: [String: any Stage.Type] = [:]

    public init(_ stages: [any Stage.Type]) {
        for stage in stages { kinds[stage.kind] = stage }
    }

    /// The engine's own kinds; domain modules add theirs in PipeCLI.
    public static let core = StageRegistry([RecordsImportStage.self])

    /// A registry with more kinds added.
    public func adding(_ stages: [any Stage.Type]) -> StageRegistry {
        var copy = self
        for stage in stages { copy.kinds[stage.kind] = stage }
        return copy
    }

    /// Kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }
}
