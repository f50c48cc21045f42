import StageKit
import Readers
import JSONSchema
import Foundation

/// All pipeline files of a project, checked together: stage names are unique across files and every
/// upstream reference resolves.
public struct PipelineSet: Sendable {
    public var files: [PipelineFile]
    public var stages: [String: StageSpec]
    public var datasets: [String: DatasetSpec]

    /// The stage named `name`.
    public func stage(_ name: String) -> StageSpec? { stages[name] }

    /// Stage names in build order: every stage after the stages it reads from, ties by name.
    public func buildOrder(for targets: [String]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ name: String) {
            guard !visited.contains(name), let spec = stages[name] else { return }
            visited.insert(name)
            for upstream in spec.upstream.sorted() { visit(upstream) }
            order.append(name)
        }
        for target in targets.sorted() { visit(target) }
        return order
    }

    /// Loads and checks pipeline files; every problem found is reported, each with `path:line:col`.
    public static func load(paths: [String], registry: StageRegistry, schemas: SchemaLibrary) throws -> PipelineSet {
        var errors: [PipeError] = []
        var files: [PipelineFile] = []
        var documents: [String: YAMLDocument] = [:]
        var misconfigured: Set<String> = []
        for path in paths {
            do {
                let document = try YAMLDocument(contentsOf: path)
                documents[path] = document
                let (file, fileErrors, refused) = PipelineFileParser(document: document, registry: registry, schemas: schemas)
                    .parse()
                errors += fileErrors
                misconfigured.formUnion(refused)
                if let file { files.append(file) }
            } catch let error as PipeError {
                errors.append(error)
            }
        }
        var stages: [String: StageSpec] = [:]
        var datasets: [String: DatasetSpec] = [:]
        for file in files {
            for stage in file.stages {
                if let first = stages[stage.name] {
                    let location = documents[file.path]?.location(of: stage.pointer, key: true)
                    errors.append(PipeError(
                        "pipeline.duplicate_stage",
                        "stage name '\(stage.name)' is already used in \(first.file); names are unique across all pipeline files",
                        at: location))
                } else {
                    stages[stage.name] = stage
                }
            }
            for dataset in file.datasets {
                if datasets[dataset.name] != nil {
                    errors.append(PipeError(
                        "pipeline.duplicate_dataset", "dataset name '\(dataset.name)' is declared twice",
                        at: documents[file.path]?.location(of: "/datasets/" + dataset.name, key: true)))
                }
                datasets[dataset.name] = dataset
            }
        }
        // Every stage is set up now, so a bad parameter is found before any work, located at its field.
        let partial = PipelineSet(files: files, stages: stages, datasets: datasets)
        let (made, setupErrors) = StageFactory(pipelines: partial, registry: registry, schemas: schemas)
            .makeAll(documents: documents, skipping: misconfigured)
        errors += setupErrors
        for stage in stages.values.sorted(by: { $0.name < $1.name }) {
            let document = documents[stage.file]
            for (index, input) in stage.inputs.enumerated() {
                guard case .stage(let name, let stream) = input else { continue }
                let location = document?.location(of: stage.pointer + "/inputs/\(index)")
                guard let upstream = stages[name] else {
                    errors.append(PipeError("pipeline.unknown_upstream", "stage '\(stage.name)' reads from unknown stage '\(name)'", at: location))
                    continue
                }
                guard let parsed = made[upstream.name] else { continue }
                guard let spec = parsed.streams.first(where: { $0.name == stream && !$0.hidden }) else {
                    errors.append(PipeError(
                        "pipeline.unknown_stream",
                        "stage '\(name)' has no record stream '\(stream)' (it has: \(parsed.streams.filter { !$0.hidden }.map { $0.name }.joined(separator: ", ")))",
                        at: location))
                    continue
                }
                if case .schemas(let accepted)? = registry.kinds[stage.kind]?.accepts.records,
                    !accepted.contains(spec.schema)
                {
                    errors.append(PipeError(
                        "pipeline.input_kind",
                        "stage '\(stage.name)' (\(stage.kind)) reads records of \(accepted.joined(separator: ", ")); stream '\(name)/\(stream)' holds \(spec.schema) records",
                        at: location))
                }
            }
        }
        for dataset in datasets.values.sorted(by: { $0.name < $1.name }) where stages[dataset.from] == nil {
            errors.append(PipeError(
                "pipeline.unknown_upstream", "dataset '\(dataset.name)' is built from unknown stage '\(dataset.from)'",
                at: documents[dataset.file]?.location(of: "/datasets/\(dataset.name)/from")))
        }
        if let cycle = Self.findCycle(stages) {
            errors.append(PipeError("pipeline.cycle", "stages read from each other in a cycle: \(cycle.joined(separator: " -> "))",
                                    at: stages[cycle[0]].flatMap { documents[$0.file]?.location(of: $0.pointer, key: true) }))
        }
        if !errors.isEmpty { throw PipeErrors(errors) }
        return PipelineSet(files: files, stages: stages, datasets: datasets)
    }

    private static func findCycle(_ stages: [String: StageSpec]) -> [String]? {
        var state: [String: Int] = [:]
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == 2 { return nil }
            if state[name] == 1 {
                let start = path.firstIndex(of: name) ?? 0
                return Array(path[start...]) + [name]
            }
            state[name] = 1
            path.append(name)
            for upstream in stages[name]?.upstream ?? [] where stages[upstream] != nil {
                if let cycle = visit(upstream) { return cycle }
            }
            path.removeLast()
            state[name] = 2
            return nil
        }
        for name in stages.keys.sorted() {
            if let cycle = visit(name) { return cycle }
        }
        return nil
    }

    /// The pipeline files to use: the one given, else every `*.yaml`/`*.yml` in `./Pipelines/`.
    public static func defaultPaths(explicit: [String], directory: String = "Pipelines") throws -> [String] {
        if !explicit.isEmpty { return explicit }
        let names = FileSystem.list(directory).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        if names.isEmpty {
            throw PipeError("pipeline.none", "no pipeline files: give --pipeline FILE or add YAML files to ./\(directory)/")
        }
        return names.map { directory + "/" + $0 }
    }
}

/// Turns one parsed pipeline document into typed specs, collecting located errors.
struct PipelineFileParser {
    let document: YAMLDocument
    let registry: StageRegistry
    let schemas: SchemaLibrary
    var errors: [PipeError] = []
    /// Stages whose parameters the schema refused.
    var misconfigured: Set<String> = []

    init(document: YAMLDocument, registry: StageRegistry, schemas: SchemaLibrary) {
        self.document = document
        self.registry = registry
        self.schemas = schemas
    }

    mutating func fail(_ code: String, _ message: String, pointer: String, key: Bool = false) {
        errors.append(PipeError(code, message, at: document.location(of: pointer, key: key)))
    }

    consuming func parse() -> (PipelineFile?, [PipeError], Set<String>) {
        let root = document.value
        guard case .object(let members) = root else {
            fail("pipeline.shape", "a pipeline file is a mapping with 'pipeline', 'stages' and 'datasets'", pointer: "")
            return (nil, errors, [])
        }
        checkKeys(members, allowed: ["pipeline", "stages", "datasets"], pointer: "", what: "pipeline file")
        if let schema = schemas.schema(named: "pipeline") {
            for issue in schema.validate(root, maxIssues: 50) where !issue.message.contains("additional") {
                fail("pipeline.schema", issue.message, pointer: issue.instancePath)
            }
        }
        let name = members["pipeline"]?.stringValue ?? ""
        if name.isEmpty { fail("pipeline.name", "missing 'pipeline: NAME'", pointer: "") }
        var stages: [StageSpec] = []
        if case .object(let stageMembers)? = members["stages"] {
            for stageName in stageMembers.keys.sorted() {
                if let stage = parseStage(stageName, stageMembers[stageName] ?? .null, pipeline: name) {
                    stages.append(stage)
                }
            }
        } else {
            fail("pipeline.stages", "missing 'stages:' mapping", pointer: "")
        }
        var datasets: [DatasetSpec] = []
        if case .object(let datasetMembers)? = members["datasets"] {
            for datasetName in datasetMembers.keys.sorted() {
                if let dataset = parseDataset(datasetName, datasetMembers[datasetName] ?? .null, pipeline: name) {
                    datasets.append(dataset)
                }
            }
        }
        return (PipelineFile(name: name, path: document.path, stages: stages, datasets: datasets), errors, misconfigured)
    }

    mutating func checkKeys(_ members: [String: JSONValue], allowed: Set<String>, pointer: String, what: String) {
        for key in members.keys.sorted() where !allowed.contains(key) {
            fail("pipeline.unknown_key",
                 "unknown key '\(key)' in \(what) (expected one of: \(allowed.sorted().joined(separator: ", ")))",
                 pointer: pointer + "/" + key, key: true)
        }
    }

    mutating func parseStage(_ name: String, _ value: JSONValue, pipeline: String) -> StageSpec? {
        let pointer = "/stages/" + name
        guard case .object(let members) = value else {
            fail("pipeline.shape", "stage '\(name)' must be a mapping", pointer: pointer)
            return nil
        }
        checkKeys(members, allowed: ["kind", "inputs", "tasks", "params"], pointer: pointer, what: "stage '\(name)'")
        guard let kind = members["kind"]?.stringValue else {
            fail("pipeline.kind", "stage '\(name)' has no 'kind'", pointer: pointer, key: true)
            return nil
        }
        guard let stageType = registry.kinds[kind] else {
            fail("pipeline.unknown_kind", "unknown stage kind '\(kind)' (known: \(registry.names.joined(separator: ", ")))",
                 pointer: pointer + "/kind")
            return nil
        }
        var tasks = 8
        if let value = members["tasks"] {
            if let count = value.integerValue, count >= 1, count <= 100_000 {
                tasks = Int(count)
            } else {
                fail("pipeline.tasks", "'tasks' must be an integer from 1 to 100000", pointer: pointer + "/tasks")
            }
        }
        var inputs: [InputSpec] = []
        if case .array(let entries)? = members["inputs"] {
            for (index, entry) in entries.enumerated() {
                let inputPointer = pointer + "/inputs/\(index)"
                guard let input = parseInput(entry, pointer: inputPointer) else { continue }
                inputs.append(input)
                let accepts = stageType.accepts
                if case .stage = input {
                    if accepts.records == nil {
                        fail("pipeline.input_kind",
                             "stage '\(name)' (\(kind)) reads \(accepts.description), not upstream records", pointer: inputPointer)
                    }
                } else if !accepts.files {
                    fail("pipeline.input_kind",
                         "stage '\(name)' (\(kind)) reads \(accepts.description), not files: use {stage: NAME, records: STREAM}",
                         pointer: inputPointer)
                }
            }
        } else if members["inputs"] != nil {
            fail("pipeline.inputs", "'inputs' must be a list", pointer: pointer + "/inputs")
        }
        let params = members["params"] ?? .object([:])
        if case .object = params {
            if let schema = schemas.schema(named: stageType.parametersSchema) {
                let issues = schema.validate(params, maxIssues: 20)
                for issue in issues {
                    let at = pointer + "/params" + issue.instancePath
                    if let member = issue.member {
                        fail("params.unknown", "stage '\(name)' (\(kind)): unknown parameter '\(member)'",
                             pointer: at + "/" + member, key: true)
                    } else {
                        let field = issue.instancePath.isEmpty ? "" : "parameter '\(issue.instancePath.dropFirst())': "
                        fail("pipeline.params", "stage '\(name)' (\(kind)): \(field)\(issue.message)", pointer: at)
                    }
                }
                // The typed parameters are decoded only from parameters the schema accepts, so one mistake is
                // reported once.
                if !issues.isEmpty { misconfigured.insert(name) }
            }
        } else {
            fail("pipeline.params", "'params' must be a mapping", pointer: pointer + "/params")
        }
        return StageSpec(name: name, kind: kind, inputs: inputs, tasks: tasks, params: params, pipeline: pipeline,
                         file: document.path, pointer: pointer)
    }

    mutating func parseInput(_ entry: JSONValue, pointer: String) -> InputSpec? {
        switch entry {
        case .string(let glob): return .glob(glob)
        case .object(let members):
            if let stage = members["stage"] {
                checkKeys(members, allowed: ["stage", "records"], pointer: pointer, what: "input")
                guard let name = stage.stringValue else {
                    fail("pipeline.inputs", "'stage' must be a stage name", pointer: pointer + "/stage")
                    return nil
                }
                return .stage(name: name, records: members["records"]?.stringValue ?? "main")
            }
            if let list = members["list"] {
                checkKeys(members, allowed: ["list"], pointer: pointer, what: "input")
                guard let path = list.stringValue else {
                    fail("pipeline.inputs", "'list' must be a file path", pointer: pointer + "/list")
                    return nil
                }
                return .list(path)
            }
            if let path = members["path"] {
                checkKeys(members, allowed: ["path", "repo"], pointer: pointer, what: "input")
                guard let text = path.stringValue else {
                    fail("pipeline.inputs", "'path' must be a string", pointer: pointer + "/path")
                    return nil
                }
                return .path(text, repo: members["repo"]?.stringValue)
            }
            fail("pipeline.inputs", "an input object needs 'path', 'list' or 'stage'", pointer: pointer)
            return nil
        default:
            fail("pipeline.inputs", "an input is a path, a glob, {path, repo}, {list: FILE} or {stage, records}",
                 pointer: pointer)
            return nil
        }
    }

    mutating func parseDataset(_ name: String, _ value: JSONValue, pipeline: String) -> DatasetSpec? {
        let pointer = "/datasets/" + name
        guard case .object(let members) = value else {
            fail("pipeline.shape", "dataset '\(name)' must be a mapping", pointer: pointer)
            return nil
        }
        checkKeys(members, allowed: ["from", "records", "split", "license", "description", "creator", "url", "version",
                                     "citation"], pointer: pointer, what: "dataset '\(name)'")
        guard let from = members["from"]?.stringValue else {
            fail("pipeline.dataset", "dataset '\(name)' needs 'from: STAGE'", pointer: pointer, key: true)
            return nil
        }
        guard let license = members["license"]?.stringValue else {
            fail("pipeline.dataset", "dataset '\(name)' needs a 'license' (SPDX id)", pointer: pointer, key: true)
            return nil
        }
        var split = SplitSpec(key: "id", fractions: [("train", 1.0)])
        if case .object(let splitMembers)? = members["split"] {
            var fractions: [(String, Double)] = []
            for splitName in ["train", "validation", "test"] {
                if let fraction = splitMembers[splitName]?.doubleValue { fractions.append((splitName, fraction)) }
            }
            checkKeys(splitMembers, allowed: ["key", "train", "validation", "test"], pointer: pointer + "/split",
                      what: "split")
            let total = fractions.reduce(0) { $0 + $1.1 }
            if abs(total - 1) > 1e-9 || fractions.contains(where: { $0.1 < 0 }) {
                fail("pipeline.split", "split fractions must be non-negative and add up to 1 (they add up to \(total))",
                     pointer: pointer + "/split")
            }
            split = SplitSpec(key: splitMembers["key"]?.stringValue ?? "id", fractions: fractions)
        }
        return DatasetSpec(
            name: name, from: from, records: members["records"]?.stringValue ?? "main", split: split, license: license,
            description: members["description"]?.stringValue ?? "", creator: members["creator"]?.stringValue,
            url: members["url"]?.stringValue, version: members["version"]?.stringValue,
            citation: members["citation"]?.stringValue, pipeline: pipeline, file: document.path)
    }
}
