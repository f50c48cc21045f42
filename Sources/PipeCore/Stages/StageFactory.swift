import Foundation

/// Sets up configured stages from their specs, giving each the streams of the stages it reads.
public struct StageFactory {
    let pipelines: PipelineSet
    let registry: StageRegistry
    let schemas: SchemaRegistry

    public init(pipelines: PipelineSet, registry: StageRegistry, schemas: SchemaRegistry = .bundled) {
        self.pipelines = pipelines
        self.registry = registry
        self.schemas = schemas
    }

    /// The stage `spec` declares, set up with its parameters; a bad parameter is located in its file.
    public func make(_ spec: StageSpec) throws -> any Stage {
        try make(spec, depth: 0)
    }

    private func make(_ spec: StageSpec, depth: Int) throws -> any Stage {
        guard let kind = registry.kinds[spec.kind] else {
            throw PipeError("pipeline.unknown_kind", "unknown stage kind '\(spec.kind)'", at: SourceLocation(file: spec.file))
        }
        guard depth < 64 else { throw PipeError("pipeline.cycle", "stages read from each other in a cycle") }
        var inputs: [StreamSpec] = []
        for case .stage(let name, let records) in spec.inputs {
            guard let upstream = pipelines.stages[name] else { continue }
            let stage = try make(upstream, depth: depth + 1)
            if let stream = stage.streams.first(where: { $0.name == records }) { inputs.append(stream) }
        }
        let directory = (spec.file as NSString).deletingLastPathComponent
        let setup = StageSetup(pipelineDirectory: directory.isEmpty ? "." : directory, schemas: schemas, inputs: inputs)
        return try kind.init(parameters: spec.params, setup: setup)
    }
}
