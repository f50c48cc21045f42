import Foundation
import JSONSchema
import Readers
import StageKit

/// Sets up configured stages from their specs, giving each the streams of the stages it reads.
public struct StageFactory {
    let pipelines: PipelineSet
    let registry: StageRegistry
    let schemas: SchemaLibrary
    /// The workspace's cache folder, when stages are set up for a build (each stage gets a subfolder).
    let cacheRoot: String?

    public init(pipelines: PipelineSet, registry: StageRegistry, schemas: SchemaLibrary, cacheRoot: String? = nil) {
        self.pipelines = pipelines
        self.registry = registry
        self.schemas = schemas
        self.cacheRoot = cacheRoot
    }

    /// The stage `spec` declares, set up with its parameters; a bad parameter is located in its file
    /// (at the field when the error names one).
    public func make(_ spec: StageSpec, document: YAMLDocument?) throws -> any Stage {
        var made: [String: Result<any Stage, PipeError>] = [:]
        return try make(spec, document: document, depth: 0, made: &made).get()
    }

    /// Every stage of the pipelines set up, and the located errors of those that could not be: a stage whose
    /// upstream failed is not reported again.
    func makeAll(documents: [String: YAMLDocument], skipping misconfigured: Set<String> = [])
        -> (stages: [String: any Stage], errors: [PipeError])
    {
        var made: [String: Result<any Stage, PipeError>] = [:]
        for name in misconfigured { made[name] = .failure(PipeError(Self.upstreamFailed, "stage '\(name)' is misconfigured")) }
        var stages: [String: any Stage] = [:]
        var errors: [PipeError] = []
        for name in pipelines.stages.keys.sorted() {
            guard let spec = pipelines.stages[name] else { continue }
            switch make(spec, document: documents[spec.file], depth: 0, made: &made) {
            case .success(let stage): stages[name] = stage
            case .failure(let error) where error.code != Self.upstreamFailed: errors.append(error)
            case .failure: break
            }
        }
        return (stages, errors)
    }

    static let upstreamFailed = "pipeline.upstream_failed"

    private func make(_ spec: StageSpec, document: YAMLDocument?, depth: Int,
                      made: inout [String: Result<any Stage, PipeError>]) -> Result<any Stage, PipeError> {
        if let result = made[spec.name] { return result }
        guard let kind = registry.kinds[spec.kind] else {
            return .failure(PipeError("pipeline.unknown_kind", "unknown stage kind '\(spec.kind)'",
                                      at: document?.location(of: spec.pointer + "/kind") ?? SourceLocation(file: spec.file)))
        }
        guard depth < 64 else { return .failure(PipeError("pipeline.cycle", "stages read from each other in a cycle")) }
        var inputs: [StreamSpec] = []
        for case .stage(let name, let records) in spec.inputs {
            guard let upstream = pipelines.stages[name] else { continue }
            let upstreamDocument = upstream.file == spec.file ? document : (try? YAMLDocument(contentsOf: upstream.file))
            guard case .success(let stage) = make(upstream, document: upstreamDocument, depth: depth + 1, made: &made) else {
                let failure = PipeError(Self.upstreamFailed, "stage '\(name)', which '\(spec.name)' reads, is misconfigured")
                made[spec.name] = .failure(failure)
                return .failure(failure)
            }
            if let stream = stage.streams.first(where: { $0.name == records }) { inputs.append(stream) }
        }
        let directory = (spec.file as NSString).deletingLastPathComponent
        let setup = StageSetup(pipelineDirectory: directory.isEmpty ? "." : directory, schemas: schemas, inputs: inputs,
                               cacheDirectory: cacheRoot.map { $0 + "/" + spec.name })
        let result: Result<any Stage, PipeError>
        do {
            result = .success(try kind.make(parameters: spec.params, setup: setup))
        } catch var error as PipeError {
            if error.location == nil {
                let pointer = spec.pointer + "/params" + (error.field ?? "")
                error.location = document?.location(of: pointer, key: error.code == "params.unknown")
                    ?? SourceLocation(file: spec.file)
                error.message = "stage '\(spec.name)' (\(spec.kind)): " + error.message
            }
            result = .failure(error)
        } catch {
            result = .failure(PipeError("pipeline.params", "stage '\(spec.name)' (\(spec.kind)): \(error)",
                                        at: document?.location(of: spec.pointer + "/params") ?? SourceLocation(file: spec.file)))
        }
        made[spec.name] = result
        return result
    }
}
