import StageKit

/// The numeric inputs of a record, computed from `model_config` and `hls_config` only (never from a report,
/// as the benchmark requires), so surrogates read numbers instead of nested descriptions.
public struct Hls4mlFeatures: Sendable, Equatable, Codable {
    /// Entries of `model_config` (nested activations included).
    public var layers: Int
    public var denseLayers: Int
    public var conv1dLayers: Int
    public var conv2dLayers: Int
    public var parameters: Int
    public var trainableParameters: Int
    /// Elements of one input sample, and of one output.
    public var inputSize: Int
    public var outputSize: Int
    /// Multiplications of one inference: Dense n_in × n_out, Conv kernel × channels × filters × output positions.
    public var multiplications: Int
    /// `hls_config.Model.ReuseFactor`.
    public var reuseFactor: Double?
    /// The mean of `model_config[i].reuse_factor` over Dense and Conv layers (the valid values hls4ml used).
    public var meanReuseFactor: Double?
    /// The widest weight precision (bits) among the layers, else the model's default precision width.
    public var weightBits: Double?
    /// 1 for the Resource strategy, 0 for Latency (case-insensitive).
    public var resourceStrategy: Int
    /// 1 for io_stream, 0 for io_parallel.
    public var ioStream: Int

    enum CodingKeys: String, CodingKey {
        case layers, denseLayers = "dense_layers", conv1dLayers = "conv1d_layers", conv2dLayers = "conv2d_layers"
        case parameters, trainableParameters = "trainable_parameters", inputSize = "input_size", outputSize = "output_size"
        case multiplications, reuseFactor = "reuse_factor", meanReuseFactor = "mean_reuse_factor", weightBits = "weight_bits"
        case resourceStrategy = "resource_strategy", ioStream = "io_stream"
    }

    /// The features of a record's `model_config` array and `hls_config` object; `ioType` is the project's
    /// (`io_parallel` when unknown).
    public init(modelConfig: JSONValue, hlsConfig: JSONValue, ioType: String?) {
        let layers = modelConfig.arrayValue ?? []
        self.layers = layers.count
        var dense = 0, conv1d = 0, conv2d = 0, parameters = 0, trainable = 0, multiplications = 0
        var reuse: [Double] = []
        for layer in layers {
            let name = layer["class_name"]?.stringValue ?? ""
            parameters += Int(layer["parameters"]?.integerValue ?? 0)
            trainable += Int(layer["trainable_parameters"]?.integerValue ?? 0)
            let input = Self.size(layer["input_shape"]), output = Self.size(layer["output_shape"])
            if name.hasSuffix("Dense") {
                dense += 1
                multiplications += input * output
            } else if name.hasSuffix("Conv1D") || name.hasSuffix("Conv2D") {
                if name.hasSuffix("1D") { conv1d += 1 } else { conv2d += 1 }
                let kernel = (layer["kernel_size"]?.arrayValue ?? []).compactMap(\.integerValue).reduce(1, *)
                let channels = layer["channels"]?.integerValue ?? 0, filters = layer["filters"]?.integerValue ?? 0
                let positions = filters > 0 ? Int64(output) / filters : 0
                multiplications += Int(kernel * channels * filters * positions)
            } else {
                continue
            }
            if let rf = layer["reuse_factor"]?.doubleValue { reuse.append(rf) }
        }
        denseLayers = dense
        conv1dLayers = conv1d
        conv2dLayers = conv2d
        self.parameters = parameters
        trainableParameters = trainable
        self.multiplications = multiplications
        inputSize = layers.first.map { Self.size($0["input_shape"]) } ?? 0
        outputSize = layers.last.map { Self.size($0["output_shape"]) } ?? 0
        let model = hlsConfig["Model"]
        reuseFactor = model?["ReuseFactor"]?.doubleValue
        meanReuseFactor = reuse.isEmpty ? nil : reuse.reduce(0, +) / Double(reuse.count)
        var widths: [Double] = []
        if case .object(let named)? = hlsConfig["LayerName"] {
            for key in named.keys.sorted() {
                if let width = Precision.width(named[key]?["Precision"]?["weight"]) { widths.append(width) }
            }
        }
        weightBits = widths.max() ?? Precision.width(model?["Precision"]?["weight"]) ?? Precision.width(model?["Precision"])
        let strategy = (model?["Strategy"]?.stringValue ?? "latency").lowercased()
        resourceStrategy = strategy == "resource" ? 1 : 0
        ioStream = (hlsConfig["io_type"]?.stringValue ?? ioType ?? "io_parallel") == "io_stream" ? 1 : 0
    }

    // Elements of one sample: the product of a flat shape's sizes; for a nested shape, of its first shape.
    private static func size(_ shape: JSONValue?) -> Int {
        guard let dimensions = shape?.arrayValue else { return 0 }
        if let first = dimensions.first, first.arrayValue != nil { return size(first) }
        return dimensions.compactMap(\.integerValue).map(Int.init).reduce(1, *)
    }
}

/// Widths of hls4ml precision strings (`fixed<16,6>`, `ap_fixed<2, 1>`, `fixed<16,2,TRN,WRAP,0>`,
/// `{"default": ...}`); `auto` and anything else have none.
public enum Precision {
    public static func width(_ value: JSONValue?) -> Double? {
        if let text = value?.stringValue {
            guard let open = text.firstIndex(of: "<") else { return nil }
            let digits = text[text.index(after: open)...].prefix { $0.isNumber || $0 == " " }.filter { $0 != " " }
            return Double(String(digits))
        }
        return value?["default"].flatMap { width($0) }
    }
}

/// The numeric outputs of a record, in stated units, null where the report is missing (`{}` is not zero).
///
/// BRAM is counted in 18 Kb blocks in both numbers: the HLS report counts `BRAM_18K` already, while Vivado's
/// "Block RAM Tile" row (wa-hls4ml's `resource_report.bram`) counts 36 Kb tiles, so it is doubled here.
public struct Hls4mlTargets: Sendable, Equatable, Codable {
    public var bram18k: Double?
    public var dsp: Double?
    public var ff: Double?
    public var lut: Double?
    public var uram: Double?
    public var hlsBram18k: Double?
    public var hlsDsp: Double?
    public var hlsFf: Double?
    public var hlsLut: Double?
    public var hlsUram: Double?
    /// Clock cycles.
    public var cyclesMin: Double?
    public var cyclesMax: Double?
    public var intervalMin: Double?
    public var intervalMax: Double?
    /// Nanoseconds.
    public var targetClockNs: Double?
    public var estimatedClockNs: Double?

    enum CodingKeys: String, CodingKey {
        case bram18k = "bram_18k", dsp, ff, lut, uram
        case hlsBram18k = "hls_bram_18k", hlsDsp = "hls_dsp", hlsFf = "hls_ff", hlsLut = "hls_lut", hlsUram = "hls_uram"
        case cyclesMin = "cycles_min", cyclesMax = "cycles_max", intervalMin = "interval_min", intervalMax = "interval_max"
        case targetClockNs = "target_clock_ns", estimatedClockNs = "estimated_clock_ns"
    }

    /// The targets of a record's report objects (absent ones are nil).
    public init(resource: JSONValue?, hlsResource: JSONValue?, latency: JSONValue?) {
        func number(_ object: JSONValue?, _ key: String) -> Double? {
            guard let value = object?[key] else { return nil }
            if let text = value.stringValue { return Double(text.trimmingSpaces) }
            return value.doubleValue
        }
        bram18k = number(resource, "bram").map { $0 * 2 }
        dsp = number(resource, "dsp")
        ff = number(resource, "ff")
        lut = number(resource, "lut")
        uram = number(resource, "uram")
        hlsBram18k = number(hlsResource, "bram")
        hlsDsp = number(hlsResource, "dsp")
        hlsFf = number(hlsResource, "ff")
        hlsLut = number(hlsResource, "lut")
        hlsUram = number(hlsResource, "uram")
        cyclesMin = number(latency, "cycles_min")
        cyclesMax = number(latency, "cycles_max")
        intervalMin = number(latency, "interval_min")
        intervalMax = number(latency, "interval_max")
        targetClockNs = number(latency, "target_clock")
        estimatedClockNs = number(latency, "estimated_clock")
    }
}

/// The fields pipe adds to a wa-hls4ml record: `id`, `model`, `features`, `targets`.
public enum RecordAdditions {
    /// A network's identity: 16 hex digits of SHA-256 of its `model_config` without the `reuse_factor` of each
    /// layer (precision is not in `model_config`), so every reuse and precision variant of one network shares it.
    public static func modelIdentity(_ modelConfig: JSONValue) -> String {
        let stripped: [JSONValue] = (modelConfig.arrayValue ?? []).map { layer in
            guard case .object(var members) = layer else { return layer }
            members["reuse_factor"] = nil
            members["name"] = nil
            return .object(members)
        }
        return String(StableHash.sha256Hex(JSONWriter.compact(.array(stripped))).prefix(16))
    }

    /// A record's id: 16 hex digits of SHA-256 of its canonical JSON without the added fields.
    public static func recordID(_ record: JSONValue) -> String {
        guard case .object(var members) = record else { return String(StableHash.sha256Hex(JSONWriter.compact(record)).prefix(16)) }
        for key in ["id", "model", "features", "targets"] { members[key] = nil }
        return String(StableHash.sha256Hex(JSONWriter.compact(.object(members))).prefix(16))
    }

    /// `record` with the four added fields; `ioType` as for `Hls4mlFeatures`.
    public static func adding(to record: JSONValue, ioType: String?) throws -> JSONValue {
        guard case .object(var members) = record else { return record }
        let modelConfig = members["model_config"] ?? .array([])
        let hlsConfig = members["hls_config"] ?? .object([:])
        members["id"] = .string(recordID(record))
        members["model"] = .string(modelIdentity(modelConfig))
        members["features"] = try CanonicalJSON.value(of: Hls4mlFeatures(modelConfig: modelConfig, hlsConfig: hlsConfig, ioType: ioType))
        members["targets"] = try CanonicalJSON.value(of: Hls4mlTargets(resource: members["resource_report"],
                                                                       hlsResource: members["hls_resource_report"],
                                                                       latency: members["latency_report"]))
        return .object(members)
    }
}
