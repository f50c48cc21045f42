import StageKit

/// The parameters of a `math.synthesize` stage (`Schemas/InfinityMath/math.synthesize.params.schema.json`); the
/// defaults are the initial values below, and only there.
public struct MathSynthesizeParameters: Sendable, Equatable, Decodable {
    public var instances = 10
    public var seed: UInt64 = 0
    public var variants = false
    /// The dataset name of the program records; nil means the input file's name.
    public var source: String?
    public var backend: ModelBackend?

    /// An OpenAI-compatible chat-completions endpoint for problems without annotations.
    public struct ModelBackend: Sendable, Equatable, Decodable {
        public var url: String
        public var model: String
        /// The environment variable holding the API key (the key itself is never a parameter: parameters are
        /// published in manifests).
        public var keyEnv = "OPENAI_API_KEY"

        enum CodingKeys: String, CodingKey { case url, model, keyEnv = "key_env" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            model = try container.decode(String.self, forKey: .model)
            keyEnv = try container.decodeIfPresent(String.self, forKey: .keyEnv) ?? keyEnv
        }
    }

    enum CodingKeys: String, CodingKey { case instances, seed, variants, source, backend }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instances = try container.decodeIfPresent(Int.self, forKey: .instances) ?? instances
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        variants = try container.decodeIfPresent(Bool.self, forKey: .variants) ?? variants
        source = try container.decodeIfPresent(String.self, forKey: .source)
        backend = try container.decodeIfPresent(ModelBackend.self, forKey: .backend)
        guard (0...1000).contains(instances) else {
            throw PipeError("params.range", "'instances' must be 0 to 1000", field: "/instances")
        }
    }
}
