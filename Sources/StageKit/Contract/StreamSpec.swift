/// One named record stream a stage writes (`main`, or `files`, `functions`, ...).
public struct StreamSpec: Sendable, Equatable {
    public var name: String
    /// The schema every record of the stream satisfies: a schema name or a path.
    public var schema: String
    /// The field that holds each record's id.
    public var idField: String
    /// Side streams are read only by the stage's reduce phase and never exported.
    public var hidden: Bool
    /// The schema itself, for streams whose schema is made from their inputs' (records passed through
    /// with added fields); when nil, `schema` names an embedded schema or a schema file.
    public var document: JSONValue?
    /// The record of another stream each record belongs to: when the reduce phase drops that record,
    /// the runner drops this one with it.
    public var reference: StreamReference?

    public init(name: String, schema: String, idField: String = "id", hidden: Bool = false, document: JSONValue? = nil,
                reference: StreamReference? = nil) {
        self.name = name
        self.schema = schema
        self.idField = idField
        self.hidden = hidden
        self.document = document
        self.reference = reference
    }
}

/// A declared foreign key: `field` of a record holds the id of a record of `stream` that came from the
/// same input item (a function's `file_id` names its file).
public struct StreamReference: Sendable, Equatable {
    public var stream: String
    public var field: String

    public init(stream: String, field: String) {
        self.stream = stream
        self.field = field
    }
}

/// What a stage needs to know about its surroundings when it is set up.
public struct StageSetup: Sendable {
    /// The folder of the pipeline file: relative paths in parameters are resolved against it.
    public var pipelineDirectory: String
    /// Finds schemas by name or path: the embedded schemas of every kind plus files the parameters name.
    public var schemas: any SchemaCatalog
    /// The upstream record streams this stage reads (`{stage, records}` inputs), in input order.
    public var inputs: [StreamSpec]
    /// A folder of the workspace the stage may keep a cache in across runs (a model's replies, so that a rerun is
    /// reproducible); nil when the stage is set up outside a build (`pipe validate`, tests).
    public var cacheDirectory: String?

    public init(pipelineDirectory: String, schemas: any SchemaCatalog, inputs: [StreamSpec] = [],
                cacheDirectory: String? = nil) {
        self.pipelineDirectory = pipelineDirectory
        self.schemas = schemas
        self.inputs = inputs
        self.cacheDirectory = cacheDirectory
    }

    /// `path` resolved against the pipeline file's folder unless it is absolute.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : pipelineDirectory + "/" + path
    }
}

/// The one place schemas are found: by embedded name (`demo-record`, `demo-record.schema.json`) or by path
/// relative to a pipeline file. The engine implements it with pipe's JSON Schema validator.
public protocol SchemaCatalog: Sendable {
    /// The schema named `nameOrPath`: its name, its document, and the file it came from (nil when embedded).
    func resolve(_ nameOrPath: String, relativeTo directory: String) throws -> ResolvedSchema
    /// A validator for the schema named `nameOrPath`.
    func validator(for nameOrPath: String, relativeTo directory: String) throws -> any RecordValidator
}

/// A schema found by a `SchemaCatalog`.
public struct ResolvedSchema: Sendable {
    /// The name it was asked for.
    public var name: String
    public var document: JSONValue
    /// The file it was read from; nil for an embedded schema.
    public var path: String?

    public init(name: String, document: JSONValue, path: String?) {
        self.name = name
        self.document = document
        self.path = path
    }
}

/// Checks values against one compiled schema.
public protocol RecordValidator: Sendable {
    /// The name the schema was asked for.
    var name: String { get }
    /// The file it was read from; nil for an embedded schema.
    var path: String? { get }
    /// Whether `value` satisfies the schema (fast: no messages).
    func isValid(_ value: JSONValue) -> Bool
    /// Up to `limit` problems, each `instance path: message`.
    func problems(in value: JSONValue, limit: Int) -> [String]
}
