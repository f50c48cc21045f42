import StageKit

/// Turns a Keras model and its hls4ml configuration into `model_config`: shapes inferred layer by layer
/// (channels last), parameter counts, the closest valid reuse factor for Dense and Conv layers, and an extra
/// `Activation` entry for a layer's nested activation.
public enum LayerDescriber {
    /// The `model_config` entries of `model`; throws `hls4ml.unsupported_layer` for a class pipe cannot size.
    public static func describe(_ model: KerasModel, hlsConfig: JSONValue) throws -> [LayerDescription] {
        var shapes: [String: [Int]] = [:]
        var out: [LayerDescription] = []
        let modelRF = Int(hlsConfig["Model"]?["ReuseFactor"]?.integerValue ?? 1)
        for layer in model.layers {
            let requested = Int(hlsConfig["LayerName"]?[layer.name]?["ReuseFactor"]?.integerValue ?? Int64(modelRF))
            let dtype = Self.dtype(layer.config)
            let inputs = try layer.inbound.map { name -> [Int] in
                guard let shape = shapes[name] else {
                    throw Hls4mlProblem(Hls4mlProblem.configMalformed, "layer \(layer.name) reads \(name), which comes later or does not exist")
                }
                return shape
            }
            let input = inputs.first ?? []
            // Shapes are inferred channels-last (hls4ml's layout); a channels-first layer would get wrong shapes.
            if layer.config["data_format"]?.stringValue == "channels_first" {
                throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "layer \(layer.name) is channels_first; pipe infers channels_last shapes")
            }
            var entry: LayerDescription
            var output = input
            switch layer.className {
            case "InputLayer":
                guard let shape = (layer.config["batch_input_shape"] ?? layer.config["batch_shape"])?.arrayValue else {
                    throw Hls4mlProblem(Hls4mlProblem.configMalformed, "input layer \(layer.name) has no batch shape")
                }
                output = try shape.dropFirst().map { value -> Int in
                    guard let size = value.integerValue, size > 0 else {
                        throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "input layer \(layer.name) has a dimension of unknown size")
                    }
                    return Int(size)
                }
                entry = LayerDescription(className: layer.className, inputShape: .nested([batched(output)]),
                                         outputShape: .nested([batched(output)]), dtype: dtype, reuseFactor: requested,
                                         inboundLayers: layer.inbound)
            case "Dense", "QDense":
                guard let units = layer.config["units"]?.integerValue, units > 0, let last = input.last else {
                    throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "dense layer \(layer.name) has no units or no input")
                }
                let bias = layer.config["use_bias"]?.boolValue ?? true
                output = Array(input.dropLast()) + [Int(units)]
                let count = last * Int(units) + (bias ? Int(units) : 0)
                let nIn = input.reduce(1, *), nOut = output.reduce(1, *)
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(output)),
                                         parameters: count, trainableParameters: count, dtype: dtype,
                                         reuseFactor: ReuseFactor.closest(nIn: nIn, nOut: nOut, requested: requested),
                                         inboundLayers: layer.inbound)
                entry.neurons = Int(units)
                entry.useBias = bias
            case "Conv1D", "QConv1D", "Conv2D", "QConv2D":
                let rank = layer.className.hasSuffix("1D") ? 1 : 2
                guard input.count == rank + 1, let filters = layer.config["filters"]?.integerValue, filters > 0,
                    let kernel = Self.ints(layer.config["kernel_size"], rank: rank)
                else {
                    throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "convolution \(layer.name) has no filters or kernel, or an input of another rank")
                }
                let strides = Self.ints(layer.config["strides"], rank: rank) ?? Array(repeating: 1, count: rank)
                let padding = layer.config["padding"]?.stringValue ?? "valid"
                let channels = input[rank]
                var spatial: [Int] = []
                for axis in 0..<rank {
                    spatial.append(try Self.window(input[axis], size: kernel[axis], stride: strides[axis], padding: padding, layer: layer.name))
                }
                output = spatial + [Int(filters)]
                let bias = layer.config["use_bias"]?.boolValue ?? true
                let count = kernel.reduce(1, *) * channels * Int(filters) + (bias ? Int(filters) : 0)
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(output)),
                                         parameters: count, trainableParameters: count, dtype: dtype,
                                         reuseFactor: ReuseFactor.closest(nIn: channels * kernel.reduce(1, *), nOut: Int(filters),
                                                                          requested: requested),
                                         inboundLayers: layer.inbound)
                entry.channels = channels
                entry.filters = Int(filters)
                entry.kernelSize = kernel
                entry.strides = strides
                entry.padding = padding
                entry.useBias = bias
            case "Activation", "QActivation", "ReLU", "Softmax", "LeakyReLU":
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(input)),
                                         dtype: dtype, reuseFactor: requested, inboundLayers: layer.inbound)
                entry.activation = Self.activationName(layer.config["activation"]) ?? layer.className.lowercased()
            case "Flatten":
                output = [input.reduce(1, *)]
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(output)),
                                         dtype: dtype, reuseFactor: requested, inboundLayers: layer.inbound)
            case "Dropout":
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(input)),
                                         dtype: dtype, reuseFactor: requested, inboundLayers: layer.inbound)
                entry.dropoutRate = layer.config["rate"]?.doubleValue ?? 0
            case "BatchNormalization", "QBatchNormalization":
                guard let channels = input.last else {
                    throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "batch normalization \(layer.name) has no input")
                }
                let center = layer.config["center"]?.boolValue ?? true, scale = layer.config["scale"]?.boolValue ?? true
                let trainable = channels * ((center ? 1 : 0) + (scale ? 1 : 0))
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(input)),
                                         parameters: trainable + 2 * channels, trainableParameters: trainable, dtype: dtype,
                                         reuseFactor: requested, inboundLayers: layer.inbound)
            case "MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D":
                let rank = layer.className.hasSuffix("1D") ? 1 : 2
                guard input.count == rank + 1, let pool = Self.ints(layer.config["pool_size"], rank: rank) else {
                    throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "pooling layer \(layer.name) has no pool size or an input of another rank")
                }
                let strides = Self.ints(layer.config["strides"], rank: rank) ?? pool
                let padding = layer.config["padding"]?.stringValue ?? "valid"
                var spatial: [Int] = []
                for axis in 0..<rank {
                    spatial.append(try Self.window(input[axis], size: pool[axis], stride: strides[axis], padding: padding, layer: layer.name))
                }
                output = spatial + [input[rank]]
                entry = LayerDescription(className: layer.className, inputShape: .flat(batched(input)), outputShape: .flat(batched(output)),
                                         dtype: dtype, reuseFactor: requested, inboundLayers: layer.inbound)
            case "Add", "Multiply", "Average", "Subtract", "Maximum", "Minimum":
                guard inputs.count >= 2, inputs.allSatisfy({ $0 == input }) else {
                    throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "merge layer \(layer.name) needs two or more inputs of one shape")
                }
                entry = LayerDescription(className: layer.className, inputShape: .nested(inputs.map(batched)), outputShape: .flat(batched(input)),
                                         dtype: dtype, reuseFactor: requested, inboundLayers: layer.inbound)
            default:
                throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "layer \(layer.name) is a \(layer.className), which pipe cannot describe")
            }
            out.append(entry)
            shapes[layer.name] = output
            // A nested activation is its own entry in wa-hls4ml's model_config.
            if ["Dense", "QDense", "Conv1D", "QConv1D", "Conv2D", "QConv2D"].contains(layer.className),
                let activation = Self.activationName(layer.config["activation"]), activation != "linear" {
                var extra = LayerDescription(className: "Activation", inputShape: .flat(batched(output)), outputShape: .flat(batched(output)),
                                             dtype: dtype, reuseFactor: requested, inboundLayers: [layer.name])
                extra.activation = activation
                out.append(extra)
            }
        }
        return out
    }

    private static func batched(_ shape: [Int]) -> [Int?] { [nil] + shape.map { Optional($0) } }

    // Keras 2 writes "float32"; Keras 3 a DTypePolicy object whose config names it.
    private static func dtype(_ config: JSONValue) -> String {
        if let text = config["dtype"]?.stringValue { return text }
        return config["dtype"]?["config"]?["name"]?.stringValue ?? "float32"
    }

    // A string activation as it is; a QKeras quantizer object by its class name and config, as QKeras prints it.
    private static func activationName(_ value: JSONValue?) -> String? {
        if let text = value?.stringValue { return text }
        return value?["class_name"]?.stringValue
    }

    private static func ints(_ value: JSONValue?, rank: Int) -> [Int]? {
        if let single = value?.integerValue, single > 0 { return Array(repeating: Int(single), count: rank) }
        guard let items = value?.arrayValue, items.count == rank else { return nil }
        let numbers = items.compactMap { $0.integerValue }.filter { $0 > 0 }.map { Int($0) }
        return numbers.count == rank ? numbers : nil
    }

    private static func window(_ size: Int, size window: Int, stride: Int, padding: String, layer: String) throws -> Int {
        let result = padding == "same" ? (size + stride - 1) / stride : (size - window) / stride + 1
        guard result > 0, size >= (padding == "same" ? 1 : window) else {
            throw Hls4mlProblem(Hls4mlProblem.unsupportedLayer, "layer \(layer): a window of \(window) does not fit an axis of \(size)")
        }
        return result
    }
}
