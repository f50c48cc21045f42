import StageKit

/// `hls4ml.records`: wa-hls4ml records from hls4ml project folders and `.tar.gz` project archives.
///
/// A project's files may reach different tasks, so map parses each file it recognises into a piece on the hidden
/// `pieces` stream, keyed by the project (its locator up to the project folder, so two projects with one folder
/// name in two archives never mix); reduce joins each project's pieces into a record, or rejects the project
/// naming every missing or unusable piece. See Docs/hls4ml.md.
public struct Hls4mlRecordsStage: ReducingStage {
    public static let kind = "hls4ml.records"
    public static let summary = "wa-hls4ml records (model, hls config, HLS and synthesis resources, latency) from hls4ml projects"
    public static let parametersSchema = "hls4ml.records.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .filesAndArchives }

    /// The parameters (`Schemas/Hls4ml/hls4ml.records.params.schema.json`); defaults here only.
    public struct Parameters: Sendable, Equatable, Decodable {
        /// Written as `hls4ml_version`: the project files do not state which hls4ml wrote them.
        public var hls4mlVersion = "unknown"
        /// Whether a project without `vivado_synth.rpt` is a reject (else its `resource_report` is `{}`).
        public var requireSynthesis = true
        public var maxFileBytes = 64 << 20

        enum CodingKeys: String, CodingKey {
            case hls4mlVersion = "hls4ml_version", requireSynthesis = "require_synthesis", maxFileBytes = "max_file_bytes"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            hls4mlVersion = try container.decodeIfPresent(String.self, forKey: .hls4mlVersion) ?? hls4mlVersion
            requireSynthesis = try container.decodeIfPresent(Bool.self, forKey: .requireSynthesis) ?? requireSynthesis
            maxFileBytes = try container.decodeIfPresent(Int.self, forKey: .maxFileBytes) ?? maxFileBytes
        }
    }

    /// The stream names.
    public enum Streams {
        public static let main = "main"
        public static let pieces = "pieces"
    }

    let parameters: Parameters

    public init(parameters: Parameters, setup: StageSetup) throws {
        guard parameters.maxFileBytes > 0 else {
            throw PipeError("params.range", "'max_file_bytes' must be positive", field: "/max_file_bytes")
        }
        self.parameters = parameters
    }

    public var streams: [StreamSpec] {
        [StreamSpec(name: Streams.main, schema: "hls4ml-record"),
         StreamSpec(name: Streams.pieces, schema: "hls4ml-piece", hidden: true)]
    }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard let file = ProjectFile.classify(item.locator) else { return }
        let bytes: [UInt8]
        do {
            bytes = try item.content(limit: parameters.maxFileBytes)
        } catch let error as PipeError {
            try output.reject(.error, code: error.code, reason: error.message)
            var piece = ProjectPiece(project: file.project, piece: file.piece, locator: item.locator, solution: file.solution)
            piece.error = error.message
            try output.emit(piece, stream: Streams.pieces)
            return
        }
        let (piece, problem) = ProjectPiece.parse(file, bytes: bytes, locator: item.locator)
        // A JSON file that is not a Keras model is simply not a piece (projects hold other JSON files).
        if piece.piece == .model, file.piece == .model, problem != nil { return }
        if let problem { try output.reject(.error, code: problem.code, reason: problem.reason) }
        try output.emit(piece, stream: Streams.pieces)
    }

    /// Joins each project's pieces (they arrive together, sorted by project) and emits the records in id order.
    public func reduce(_ context: some ReduceContext) throws {
        var built: [(id: String, project: String, bytes: [UInt8])] = []
        var group: [ProjectPiece] = []
        func finish() throws {
            defer { group.removeAll() }
            guard let first = group.first else { return }
            do {
                let record = try Self.join(group, parameters: parameters)
                built.append((record["id"]?.stringValue ?? "", first.project, CanonicalJSON.bytes(record)))
            } catch let problem as Hls4mlProblem {
                try context.reject(Reject(.error, code: problem.code, reason: problem.reason, locator: first.project))
            }
        }
        try context.forEachRecord(stream: Streams.pieces) { _, bytes in
            let piece = try ParameterDecoder.decode(ProjectPiece.self, from: try JSONParser.parse(bytes))
            if let current = group.first, current.project != piece.project { try finish() }
            group.append(piece)
        }
        try finish()
        // Ids are content-derived, so they sort only once every record is built.
        built.sort { ($0.id, $0.project) < ($1.id, $1.project) }
        var previous: (id: String, project: String)?
        for record in built {
            if let first = previous, first.id == record.id {
                try context.reject(Reject(.dropped, code: "hls4ml.duplicate",
                                          reason: "project \(record.project) gives the same record as \(first.project)",
                                          locator: record.project))
                continue
            }
            previous = (record.id, record.project)
            try context.emit(stream: Streams.main, key: RecordKey(id: record.id, locator: record.project, line: 0), bytes: record.bytes)
        }
    }

    /// The record of one project's pieces; folders with no project file (only loose JSON) are not projects.
    static func join(_ pieces: [ProjectPiece], parameters: Parameters) throws -> JSONValue {
        guard let project = pieces.first?.project else { throw Hls4mlProblem(Hls4mlProblem.incomplete, "no pieces") }
        var joined = ProjectPieces(project: project)
        let solution = pieces.first { $0.piece == .app }?.solution
        var csynthSolution: String?
        for piece in pieces {
            if let error = piece.error {
                joined.unusable[piece.piece == .kerasArchive ? "model" : piece.piece.rawValue] = error
                continue
            }
            guard let data = piece.data else { continue }
            switch piece.piece {
            case .config where joined.config == nil:
                joined.config = try ParameterDecoder.decode(ProjectConfig.self, from: data)
            case .model, .kerasArchive:
                if joined.model == nil { joined.model = try KerasModel(value: data, name: piece.locator) }
            case .csynth:
                // The app file's first solution wins; otherwise the first solution by locator.
                if joined.csynth == nil || (solution != nil && piece.solution == solution && csynthSolution != solution) {
                    joined.csynth = try ParameterDecoder.decode(CSynthReport.self, from: data)
                    csynthSolution = piece.solution
                }
            case .synth where joined.synth == nil:
                joined.synth = try ParameterDecoder.decode(VivadoSynthReport.self, from: data)
            case .tcl:
                // project.tcl (hls4ml 0.8 and later) states the settings; build_prj.tcl only fills what it leaves open.
                let settings = try ParameterDecoder.decode(TclSettings.self, from: data)
                joined.tcl = piece.locator.hasSuffix("project.tcl") ? settings.merged(with: joined.tcl) : joined.tcl.merged(with: settings)
            default: break
            }
        }
        guard joined.config != nil || joined.csynth != nil || joined.synth != nil || joined.tcl != TclSettings()
            || joined.unusable.keys.contains(where: { $0 != "model" })
        else {
            throw Hls4mlProblem(Hls4mlProblem.incomplete, "\(project) holds a model file but no hls4ml project (no hls4ml_config.yml, tcl or reports)")
        }
        return try joined.record(hls4mlVersion: parameters.hls4mlVersion, requireSynthesis: parameters.requireSynthesis)
    }
}
