import StageKit

/// The parameters of an `hpctrans.records` stage (`Schemas/HPCTrans/hpctrans.records.params.schema.json`); the
/// defaults are the initial values below, and only there.
public struct HPCTransParameters: Sendable, Equatable, Decodable {
    /// Seed of the random inputs the reference C runs on.
    public var seed: UInt64 = 42
    /// OMP_NUM_THREADS of each run.
    public var threads = 1
    /// Wall-clock and CPU limit of each compile and run; generous so that load never rejects a good record.
    public var timeoutSeconds = 120.0
    /// Address-space limit of each run, in MiB.
    public var memoryMB = 2048
    /// Whether clang parses the CUDA code.
    public var checkCUDA = true
    /// Records of one input item checked at once.
    public var concurrency = 2
    /// The category of every record; nil means the input file's name (upstream: the category is the file name)
    /// or, for a generation spec, the entry's category.
    public var category: String?

    enum CodingKeys: String, CodingKey {
        case seed, threads, timeoutSeconds = "timeout_seconds", memoryMB = "memory_mb", checkCUDA = "check_cuda"
        case concurrency, category
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? threads
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? timeoutSeconds
        memoryMB = try container.decodeIfPresent(Int.self, forKey: .memoryMB) ?? memoryMB
        checkCUDA = try container.decodeIfPresent(Bool.self, forKey: .checkCUDA) ?? checkCUDA
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? concurrency
        category = try container.decodeIfPresent(String.self, forKey: .category)
        guard (1...64).contains(threads) else { throw PipeError("params.range", "'threads' must be 1 to 64", field: "/threads") }
        guard timeoutSeconds >= 1, timeoutSeconds <= 3600 else {
            throw PipeError("params.range", "'timeout_seconds' must be 1 to 3600", field: "/timeout_seconds")
        }
        guard (64...65536).contains(memoryMB) else { throw PipeError("params.range", "'memory_mb' must be 64 to 65536", field: "/memory_mb") }
        guard (1...16).contains(concurrency) else { throw PipeError("params.range", "'concurrency' must be 1 to 16", field: "/concurrency") }
    }
}
