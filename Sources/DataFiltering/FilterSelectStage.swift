import StageKit
import Foundation

/// The parameters of a `filter.select` stage (`Schemas/DataFiltering/filter.select.params.schema.json`); the
/// defaults are the initial values below, and only there.
public struct FilterSelectParameters: Sendable, Equatable, Decodable {
    public var qualityField: String
    public var poolWidth = 0.1
    public var pools = 4
    public var budgetSamples: Int64
    /// A parameters file, relative to the pipeline file.
    public var params: String?
    /// Observations to fit the model from.
    public var fit: FitSource?

    /// `fit:` as a file name, or as the file with its fit settings; settings not given keep `FitOptions`' defaults.
    public struct FitSource: Sendable, Equatable, Decodable {
        /// The observations file, relative to the pipeline file.
        public var observations: String
        public var options = FitOptions()

        enum CodingKeys: String, CodingKey {
            case observations, objective, d, a
            case aCandidates = "a_candidates"
        }

        public init(observations: String) { self.observations = observations }

        public init(from decoder: any Decoder) throws {
            if let file = try? decoder.singleValueContainer().decode(String.self) {
                self.init(observations: file)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(observations: try container.decode(String.self, forKey: .observations))
            options.objective = try container.decodeIfPresent(Objective.self, forKey: .objective) ?? options.objective
            options.d = try container.decodeIfPresent(Double.self, forKey: .d) ?? options.d
            if let a = try container.decodeIfPresent(Double.self, forKey: .a) { options.aCandidates = [a] }
            options.aCandidates = try container.decodeIfPresent([Double].self, forKey: .aCandidates) ?? options.aCandidates
        }
    }

    enum CodingKeys: String, CodingKey {
        case qualityField = "quality_field", poolWidth = "pool_width", pools, budgetSamples = "budget_samples", params, fit
    }

    public init(qualityField: String, budgetSamples: Int64) {
        self.qualityField = qualityField
        self.budgetSamples = budgetSamples
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(qualityField: try container.decode(String.self, forKey: .qualityField),
                  budgetSamples: try container.decode(Int64.self, forKey: .budgetSamples))
        poolWidth = try container.decodeIfPresent(Double.self, forKey: .poolWidth) ?? poolWidth
        pools = try container.decodeIfPresent(Int.self, forKey: .pools) ?? pools
        params = try container.decodeIfPresent(String.self, forKey: .params)
        fit = try container.decodeIfPresent(FitSource.self, forKey: .fit)
        guard !qualityField.isEmpty else {
            throw PipeError("params.quality_field", "'quality_field' must name a numeric field or builtin_code_quality",
                            field: "/quality_field")
        }
        guard poolWidth > 0, poolWidth <= 1, pools >= 1, pools <= FilterParameters.maxPools else {
            throw PipeError("params.pools", "'pools' must be 1 to \(FilterParameters.maxPools) and 'pool_width' in (0, 1]",
                            field: "/pools")
        }
        guard Double(pools) * poolWidth <= 1 + 1e-9 else {
            throw PipeError("params.pools", "\(pools) pools of width \(poolWidth) cover more than all records", field: "/pools")
        }
        guard budgetSamples >= 1, budgetSamples <= Planner.maxSamples else {
            throw PipeError("params.budget_samples", "'budget_samples' must be an integer from 1 to \(Planner.maxSamples)",
                            field: "/budget_samples")
        }
        guard (params == nil) != (fit == nil) else {
            throw PipeError("params.params", "give either 'params' (a parameters file) or 'fit' (an observations file)")
        }
    }
}

/// `filter.select`: cuts an upstream record stream into quality pools and keeps the union of pools with
/// the lowest predicted error for a training budget (Goyal et al.'s scaling laws for data filtering).
///
/// Map checks that every record has a quality and passes it on. Reduce reads the stream twice: once for the
/// qualities, which it keeps as one `Double` per record (8 bytes each; the records stay on disk), to cut
/// the pools and plan; once more to write the chosen records, unchanged but for `pool` (the pool's name)
/// and `planned_epochs` (budget / records in the chosen union). Records outside the chosen union are
/// counted in `selection.json`, not rejected. `plan.json`, `plan.svg`, `selection.json` and, when the
/// model is fitted, `fit.json` are artifacts of the run.
public struct FilterSelectStage: ReducingStage {
    public static let kind = "filter.select"
    public static let summary = "keep the quality pools that minimize predicted error for a training budget"
    public static let parametersSchema = "filter.select.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .records }

    /// Where the model comes from: a parameters file, or observations fitted in the reduce phase.
    enum ModelSource: Sendable {
        case parameters(FilterParameters)
        case fit([PoolObservations], FitOptions)
    }

    let qualityField: String
    let scorer: QualityScorer
    let poolWidth: Double
    let poolCount: Int
    let budget: Int64
    let model: ModelSource
    let output: StreamSpec
    /// The parameters or observations file: its content is part of the run key.
    public let parameterFiles: [String]

    /// Field names the stage adds to every kept record.
    public static let addedFields = ["pool", "planned_epochs"]

    public init(parameters: FilterSelectParameters, setup: StageSetup) throws {
        qualityField = parameters.qualityField
        scorer = QualityScorer(qualityField: parameters.qualityField)
        poolWidth = parameters.poolWidth
        poolCount = parameters.pools
        budget = parameters.budgetSamples
        model = try Self.modelSource(parameters, setup: setup)
        parameterFiles = [parameters.params ?? parameters.fit?.observations].compactMap { $0.map(setup.resolve) }
        guard setup.inputs.count == 1, let input = setup.inputs.first else {
            throw PipeError("params.inputs",
                            "filter.select reads exactly one upstream record stream: inputs: [{stage: NAME, records: STREAM}]")
        }
        let upstream = try input.document ?? setup.schemas.resolve(input.schema, relativeTo: setup.pipelineDirectory).document
        output = StreamSpec(name: "main", schema: DerivedSchema.name(for: input), idField: input.idField,
                            document: DerivedSchema.derive(from: upstream, name: input.schema))
    }

    static func modelSource(_ parameters: FilterSelectParameters, setup: StageSetup) throws -> ModelSource {
        let pools = parameters.pools
        if let path = parameters.params {
            let model = try FilterParameters.load(path: setup.resolve(path), schemas: setup.schemas)
            guard model.pools.count >= pools else {
                throw PipeError("params.params", "\(path) has \(model.pools.count) pools; the stage cuts \(pools)",
                                at: SourceLocation(file: setup.resolve(path)))
            }
            return .parameters(try FilterParameters(objective: model.objective, a: model.a, d: model.d,
                                                    pools: Array(model.pools.prefix(pools))))
        }
        guard let fit = parameters.fit else {
            throw PipeError("params.params", "give either 'params' (a parameters file) or 'fit' (an observations file)")
        }
        let options = fit.options
        let observations = try ObservationsFile.load(path: setup.resolve(fit.observations))
        guard observations.count >= pools else {
            throw PipeError("params.fit", "\(fit.observations) has observations of \(observations.count) pools; the stage cuts \(pools)",
                            at: SourceLocation(file: setup.resolve(fit.observations)))
        }
        let used = Array(observations.prefix(pools))
        try Fitter.check(used, options: options)
        return .fit(used, options)
    }

    public var streams: [StreamSpec] { [output] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .record(let record) = item.source else {
            try output.reject(.error, code: "filter.not_a_record",
                              reason: "filter.select reads upstream records ({stage, records} inputs), not files")
            return
        }
        guard case .object(let members) = record else {
            try output.reject(.error, code: "record.not_object", reason: "a record must be a JSON object")
            return
        }
        if let taken = Self.addedFields.first(where: { members[$0] != nil }) {
            try output.reject(.error, code: "filter.field_conflict",
                              reason: "record already has a '\(taken)' field, which filter.select adds")
            return
        }
        do {
            _ = try scorer.score(record)
        } catch {
            try output.reject(.error, code: error.code, reason: error.reason)
            return
        }
        try output.emit(record)
    }

    public func reduce(_ context: some ReduceContext) throws {
        // Pass 1: one quality per record. Map kept only scorable records, so a failure here means the
        // shards changed under us; such a record is rejected and skipped again in pass 2.
        var qualities: [Double] = []
        try context.forEachRecord(stream: "main") { key, bytes in
            switch quality(of: bytes) {
            case .success(let value): qualities.append(value)
            case .failure(let failure):
                try context.reject(Reject(.error, code: failure.code, reason: failure.reason, locator: key.locator,
                                          line: key.line))
            }
        }
        let pools = try QuantilePools(records: qualities.count, pools: poolCount, width: poolWidth)
        if let empty = pools.sizes.firstIndex(of: 0) {
            throw PipeError("filter.too_few_records",
                            "\(qualities.count) records leave pool \(empty + 1) of \(poolCount) (width \(poolWidth)) empty; use fewer or wider pools or more records")
        }
        var assigner = PoolAssigner(qualities: &qualities, pools: pools)
        let (model, fit) = try fittedModel(sizes: pools.sizes)
        let plan = try Planner.plan(model, budgets: [budget])
        guard let budgetPlan = plan.budgets.first else { return }
        let chosen = budgetPlan.best
        let chosenIndices = Set(chosen.pools.compactMap { name in model.pools.firstIndex { $0.name == name } })

        // Pass 2: the chosen records, in key order as read.
        var kept: Int64 = 0
        var outside: Int64 = 0
        try context.forEachRecord(stream: "main") { key, bytes in
            guard case .success(let value) = quality(of: bytes) else { return }
            guard let pool = assigner.pool(of: value), chosenIndices.contains(pool) else {
                outside += 1
                return
            }
            guard case .object(var members) = try JSONParser.parse(bytes) else { return }
            members["pool"] = .string(model.pools[pool].name)
            members["planned_epochs"] = .number(chosen.epochs)
            try context.emit(stream: "main", key: key, bytes: JSONWriter.compact(.object(members)))
            kept += 1
        }

        let selection = selectionDocument(model: model, pools: pools, assigner: assigner, plan: budgetPlan,
                                          kept: kept, notChosen: outside, fitted: fit != nil)
        try context.writeArtifact(named: "plan.json", text: JSONWriter.pretty(plan.json) + "\n")
        try context.writeArtifact(named: "plan.svg", text: PlanPlot.svg(plan))
        try context.writeArtifact(named: "selection.json", text: JSONWriter.pretty(selection) + "\n")
        if let fit { try context.writeArtifact(named: "fit.json", text: JSONWriter.pretty(fit.json) + "\n") }
    }

    private func quality(of bytes: [UInt8]) -> Result<Double, QualityFailure> {
        let record: JSONValue
        do {
            record = try JSONParser.parse(bytes)
        } catch {
            return .failure(QualityFailure(code: "record.json", reason: "stored record is not valid JSON"))
        }
        do {
            return .success(try scorer.score(record))
        } catch {
            return .failure(error)
        }
    }

    /// The model with the quantile pools' sizes: the parameters file's pools by rank, or a fit.
    private func fittedModel(sizes: [Int64]) throws -> (FilterParameters, FitResult?) {
        switch model {
        case .parameters(let parameters):
            return (try parameters.resized(sizes), nil)
        case .fit(let observations, let options):
            let fit = try Fitter.fit(observations, options: options)
            return (try fit.parameters.resized(sizes), fit)
        }
    }

    private func selectionDocument(model: FilterParameters, pools: QuantilePools, assigner: PoolAssigner,
                                   plan: BudgetPlan, kept: Int64, notChosen: Int64, fitted: Bool) -> JSONValue {
        let chosen = plan.best
        let bounds = assigner.qualityBounds
        let poolEntries: [JSONValue] = model.pools.enumerated().map { index, pool in
            var entry: [String: JSONValue] = [
                "name": .string(pool.name), "rank": .integer(Int64(index + 1)), "records": .integer(pool.size),
                "chosen": .bool(chosen.pools.contains(pool.name)),
            ]
            if index < bounds.count, let bound = bounds[index] {
                entry["quality_highest"] = .number(bound.highest)
                entry["quality_lowest"] = .number(bound.lowest)
            }
            return .object(entry)
        }
        return [
            "quality_field": .string(qualityField), "pool_width": .number(poolWidth), "model": .string(fitted ? "fit" : "params"),
            "budget_samples": .integer(budget),
            "chosen": ["k": .integer(Int64(chosen.k)), "pools": .array(chosen.pools.map { .string($0) }),
                       "records": .integer(chosen.size), "planned_epochs": .number(chosen.epochs),
                       "predicted_error": .number(chosen.predictedError)],
            "records": ["total": .integer(Int64(pools.records)), "kept": .integer(kept), "not_chosen": .integer(notChosen),
                        "outside_pools": .integer(Int64(pools.records - pools.boundaries[pools.count]))],
            "pools": .array(poolEntries),
        ]
    }
}

/// The schema of the selected records: the input stream's schema with `pool` and `planned_epochs` added.
enum DerivedSchema {
    static func name(for input: StreamSpec) -> String { input.schema + "+filter.select" }

    static func derive(from upstream: JSONValue, name: String) -> JSONValue {
        var members: [String: JSONValue]
        switch upstream {
        case .object(let object): members = object
        // `true` accepts anything; `false` accepts nothing, and adding fields cannot change that.
        case .bool(true): members = ["type": "object"]
        default: return upstream
        }
        var properties = members["properties"]?.objectValue ?? [:]
        properties["pool"] = [
            "type": "string", "minLength": 1,
            "description": "The quality pool the record belongs to (a pool name of the filter model, best quality first).",
        ]
        properties["planned_epochs"] = [
            "type": "number", "minimum": 0,
            "description": "Passes over the selected subset that the training budget pays for: budget samples / selected records.",
        ]
        members["properties"] = .object(properties)
        var required = members["required"]?.arrayValue ?? []
        for field in FilterSelectStage.addedFields where !required.contains(.string(field)) { required.append(.string(field)) }
        members["required"] = .array(required)
        if let id = members["$id"]?.stringValue {
            // A sibling of the upstream id, so relative references in the document still resolve.
            let stem = id.hasSuffix(".schema.json") ? String(id.dropLast(".schema.json".count)) : id
            members["$id"] = .string(stem + ".filter-select.schema.json")
        }
        let title = members["title"]?.stringValue ?? name
        members["title"] = .string(title + ", selected by filter.select")
        let description = members["description"]?.stringValue.map { $0 + " " } ?? ""
        members["description"] = .string(description + "Kept by filter.select, with the record's quality pool and planned epochs added.")
        return .object(members)
    }
}
