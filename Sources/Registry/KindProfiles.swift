import StageKit

/// What pipe states about the datasets of one stage kind (`Schemas/Registry/registry-kinds.json`); a field the
/// file leaves out is "unknown" in the entry.
public struct KindProfile: Sendable, Equatable, Decodable {
    public var domain: [String]?
    public var mlMotif: [String]?
    public var taskTypes: [String]?
    public var aiCapabilityMeasured: [String]?
    public var mlTask: [String]?
    public var keywords: [String]?
    public var evaluation: Evaluation?

    enum CodingKeys: String, CodingKey {
        case domain
        case mlMotif = "ml_motif"
        case taskTypes = "task_types"
        case aiCapabilityMeasured = "ai_capability_measured"
        case mlTask = "ml_task"
        case keywords, evaluation
    }

    public init(domain: [String]? = nil, mlMotif: [String]? = nil, taskTypes: [String]? = nil,
                aiCapabilityMeasured: [String]? = nil, mlTask: [String]? = nil, keywords: [String]? = nil,
                evaluation: Evaluation? = nil) {
        self.domain = domain
        self.mlMotif = mlMotif
        self.taskTypes = taskTypes
        self.aiCapabilityMeasured = aiCapabilityMeasured
        self.mlTask = mlTask
        self.keywords = keywords
        self.evaluation = evaluation
    }

    /// The pipe command that scores a model's outputs against datasets of the kind, and the metrics it reports.
    public struct Evaluation: Sendable, Equatable, Decodable {
        /// The command as a user types it (`pipe eval math`).
        public var command: String
        /// Its top-level subcommand (`eval`): the evaluation is claimed only when this build of pipe has it.
        public var subcommand: String
        public var metrics: [String]

        enum CodingKeys: String, CodingKey {
            case command, subcommand, metrics
        }

        public init(command: String, subcommand: String, metrics: [String]) {
            self.command = command
            self.subcommand = subcommand
            self.metrics = metrics
        }
    }
}

/// The profiles of every kind pipe states something about.
public struct KindProfiles: Sendable, Equatable, Decodable {
    public var title: String?
    public var description: String?
    public var kinds: [String: KindProfile]

    enum CodingKeys: String, CodingKey {
        case title, description, kinds
    }

    public init(kinds: [String: KindProfile]) {
        self.kinds = kinds
    }

    /// The profiles pipe embeds; throws `internal` if the embedded file is broken (a build defect, not an input).
    public static func embedded() throws -> KindProfiles {
        guard let file = EmbeddedSchemas.files.first(where: { $0.name == "registry-kinds.json" }) else {
            throw PipeError("internal", "registry-kinds.json is not embedded")
        }
        do {
            return try ParameterDecoder.decode(KindProfiles.self, from: try JSONParser.parse(Array(file.text.utf8)))
        } catch let error as PipeError {
            throw PipeError("internal", "registry-kinds.json does not decode: \(error.message)")
        }
    }
}
