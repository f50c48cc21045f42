import StageKit

/// A Keras model's architecture as `model.to_json()` writes it (Keras 2 and 3; Sequential and Functional), or
/// as the `config.json` inside a `.keras` zip: its layers in order, each with the names of the layers it reads.
public struct KerasModel: Sendable, Equatable {
    /// One layer: its class, name, `config` as written, and the layers feeding it.
    public struct Layer: Sendable, Equatable {
        public var className: String
        public var name: String
        public var config: JSONValue
        public var inbound: [String]

        public init(className: String, name: String, config: JSONValue, inbound: [String]) {
            self.className = className
            self.name = name
            self.config = config
            self.inbound = inbound
        }
    }

    public var layers: [Layer]

    public init(layers: [Layer]) { self.layers = layers }

    /// Reads model JSON bytes.
    public init(json bytes: [UInt8], name: String) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the Keras model is not valid JSON (\(error))")
        }
        try self.init(value: value, name: name)
    }

    /// Reads the `config.json` of a `.keras` zip held in memory.
    public init(kerasArchive bytes: [UInt8], name: String) throws {
        let archive = try ZipArchive(bytes: bytes, name: name)
        guard let config = try archive.content(of: "config.json") else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the .keras archive has no config.json")
        }
        try self.init(json: config, name: name + "!config.json")
    }

    /// Reads a parsed model description.
    public init(value: JSONValue, name: String) throws {
        guard let className = value["class_name"]?.stringValue, let config = value["config"],
            let rawLayers = config["layers"]?.arrayValue
        else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): not a Keras model description (no class_name and config.layers)")
        }
        let sequential = className == "Sequential"
        var layers: [Layer] = []
        for (index, raw) in rawLayers.enumerated() {
            guard let layerClass = raw["class_name"]?.stringValue, let layerConfig = raw["config"] else {
                throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): layer \(index) has no class_name or config")
            }
            let layerName = raw["name"]?.stringValue ?? layerConfig["name"]?.stringValue ?? "layer_\(index)"
            let inbound: [String]
            if sequential {
                inbound = layers.last.map { [$0.name] } ?? []
            } else {
                inbound = Self.inboundNames(raw["inbound_nodes"])
            }
            layers.append(Layer(className: layerClass, name: layerName, config: layerConfig, inbound: inbound))
        }
        // A Keras 2 Sequential model without an InputLayer carries the input shape on its first layer.
        if sequential, let first = layers.first, first.className != "InputLayer",
            let shape = first.config["batch_input_shape"] ?? first.config["batch_shape"] {
            let input = Layer(className: "InputLayer", name: first.name + "_input",
                              config: .object(["batch_input_shape": shape]), inbound: [])
            layers[0].inbound = [input.name]
            layers.insert(input, at: 0)
        }
        guard !layers.isEmpty else { throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the Keras model has no layers") }
        self.layers = layers
    }

    // Keras 2: [[["name", 0, 0, {}], ...]]; Keras 3: [{"args": [{"config": {"keras_history": ["name", 0, 0]}}]}]
    // (args may hold a list of tensors, for Add).
    private static func inboundNames(_ nodes: JSONValue?) -> [String] {
        var names: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .array(let items):
                if let first = items.first?.stringValue, items.count >= 3, items[1].integerValue != nil {
                    names.append(first)
                } else {
                    items.forEach(collect)
                }
            case .object(let members):
                if let history = members["config"]?["keras_history"]?.arrayValue, let first = history.first?.stringValue {
                    names.append(first)
                } else {
                    for key in members.keys.sorted() where key == "args" { members[key].map(collect) }
                }
            default: break
            }
        }
        nodes.map(collect)
        return names
    }
}
