import StageKit
/// One entry of a stage's `inputs:` list.
public enum InputSpec: Sendable, Equatable {
    /// A path or glob relative to the pipeline file.
    case glob(String)
    /// A path with the repository it belongs to.
    case path(String, repo: String?)
    /// A file listing one input per line.
    case list(String)
    /// A record stream of an upstream stage.
    case stage(name: String, records: String)
}

/// A stage as declared in a pipeline file.
public struct StageSpec: Sendable {
    public var name: String
    public var kind: String
    public var inputs: [InputSpec]
    public var tasks: Int
    public var params: JSONValue
    /// The pipeline (by its `pipeline:` name) and file that declare the stage.
    public var pipeline: String
    public var file: String
    /// JSON pointer of the stage in its file, for diagnostics.
    public var pointer: String

    /// The stages this one reads from.
    public var upstream: [String] {
        inputs.compactMap { if case .stage(let name, _) = $0 { return name } else { return nil } }
    }
}

/// How a dataset's records are split: the grouping field and the fraction per split, in order.
public struct SplitSpec: Sendable, Equatable {
    public var key: String
    public var fractions: [(name: String, fraction: Double)]

    public static func == (lhs: SplitSpec, rhs: SplitSpec) -> Bool {
        lhs.key == rhs.key && lhs.fractions.map(\.name) == rhs.fractions.map(\.name)
            && lhs.fractions.map(\.fraction) == rhs.fractions.map(\.fraction)
    }
}

/// A dataset as declared in a pipeline file: which stream of which stage, split how, under what license.
public struct DatasetSpec: Sendable {
    public var name: String
    public var from: String
    public var records: String
    public var split: SplitSpec
    public var license: String
    public var description: String
    public var creator: String?
    public var url: String?
    public var version: String?
    public var citation: String?
    public var pipeline: String
    public var file: String
}

/// One pipeline file.
public struct PipelineFile: Sendable {
    public var name: String
    public var path: String
    public var stages: [StageSpec]
    public var datasets: [DatasetSpec]
}
