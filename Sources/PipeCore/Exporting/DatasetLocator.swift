/// Finds the workspace shards behind a dataset name: its stage's latest complete run and stream.
public struct DatasetLocator {
    let workspace: Workspace
    let catalog: Catalog
    let pipelines: PipelineSet
    let registry: StageRegistry

    public init(workspace: Workspace, catalog: Catalog, pipelines: PipelineSet, registry: StageRegistry) {
        self.workspace = workspace
        self.catalog = catalog
        self.pipelines = pipelines
        self.registry = registry
    }

    /// The shard paths (in part order) and the schema name of a dataset, or of a `stage/stream`.
    public func shards(ofDataset name: String) throws -> (paths: [String], schema: String) {
        let stageName: String
        let streamName: String
        if let dataset = pipelines.datasets[name] {
            stageName = dataset.from
            streamName = dataset.records
        } else {
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            stageName = parts[0]
            streamName = parts.count > 1 ? parts[1] : "main"
        }
        guard let spec = pipelines.stages[stageName], let kind = registry.kinds[spec.kind] else {
            throw PipeError("inspect.unknown", "'\(name)' is not a file, an export folder, a dataset or a stage")
        }
        guard let run = try catalog.latestCompleteRun(stage: stageName) else {
            throw PipeError("inspect.not_built", "stage '\(stageName)' has no complete run: run `pipe build \(stageName)`")
        }
        let stage = try kind.init(parameters: spec.params, setup: StageSetup(
            pipelineDirectory: InputResolver(pipelineFile: spec.file).pipelineDirectory, schemas: .bundled))
        let schema = stage.streams.first { $0.name == streamName }?.schema ?? ""
        let directory = workspace.runDirectory(stage: stageName, runID: run.runID)
        let paths = StreamPart.parts(of: streamName, in: try catalog.artifacts(runID: run.runID)).map {
            directory + "/" + $0.records
        }
        return (paths, schema)
    }
}
