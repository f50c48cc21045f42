import StageKit

/// A layer shape as wa-hls4ml writes it: flat (`[null, 32]`) for most layers, nested for `InputLayer` and for
/// the inputs of merge layers such as `Add`.
public enum LayerShape: Sendable, Equatable, Encodable {
    case flat([Int?])
    case nested([[Int?]])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .flat(let shape): try container.encode(shape.map(Self.dimension))
        case .nested(let shapes): try container.encode(shapes.map { $0.map(Self.dimension) })
        }
    }

    // The batch dimension is null; a plain Int? would also be null, but the explicit value keeps the intent clear.
    private static func dimension(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
}

/// One entry of a record's `model_config`: the keys every layer has, and the keys of its class (absent, not
/// null, where they do not apply, as upstream).
public struct LayerDescription: Sendable, Equatable, Encodable {
    public var className: String
    public var inputShape: LayerShape
    public var outputShape: LayerShape
    public var parameters: Int
    public var trainableParameters: Int
    public var dtype: String
    public var reuseFactor: Int
    public var inboundLayers: [String]
    public var neurons: Int?
    public var useBias: Bool?
    public var channels: Int?
    public var filters: Int?
    public var kernelSize: [Int]?
    public var strides: [Int]?
    public var padding: String?
    public var activation: String?
    public var dropoutRate: Double?

    enum CodingKeys: String, CodingKey {
        case className = "class_name", inputShape = "input_shape", outputShape = "output_shape", parameters
        case trainableParameters = "trainable_parameters", dtype, reuseFactor = "reuse_factor"
        case inboundLayers = "inbound_layers", neurons, useBias = "use_bias", channels, filters
        case kernelSize = "kernel_size", strides, padding, activation, dropoutRate = "dropout_rate"
    }

    init(className: String, inputShape: LayerShape, outputShape: LayerShape, parameters: Int = 0,
         trainableParameters: Int = 0, dtype: String, reuseFactor: Int, inboundLayers: [String]) {
        self.className = className
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.parameters = parameters
        self.trainableParameters = trainableParameters
        self.dtype = dtype
        self.reuseFactor = reuseFactor
        self.inboundLayers = inboundLayers
    }

    // Optional keys are left out when nil (the canonical encoder would write null for encodeIfPresent).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(className, forKey: .className)
        try container.encode(inputShape, forKey: .inputShape)
        try container.encode(outputShape, forKey: .outputShape)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(trainableParameters, forKey: .trainableParameters)
        try container.encode(dtype, forKey: .dtype)
        try container.encode(reuseFactor, forKey: .reuseFactor)
        try container.encode(inboundLayers, forKey: .inboundLayers)
        if let neurons { try container.encode(neurons, forKey: .neurons) }
        if let useBias { try container.encode(useBias, forKey: .useBias) }
        if let channels { try container.encode(channels, forKey: .channels) }
        if let filters { try container.encode(filters, forKey: .filters) }
        if let kernelSize { try container.encode(kernelSize, forKey: .kernelSize) }
        if let strides { try container.encode(strides, forKey: .strides) }
        if let padding { try container.encode(padding, forKey: .padding) }
        if let activation { try container.encode(activation, forKey: .activation) }
        if let dropoutRate { try container.encode(dropoutRate, forKey: .dropoutRate) }
    }
}
