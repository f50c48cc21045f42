import PipeCore

/// The checked parameters of a `corpus.mine` stage (see `Schemas/corpus.mine.params.schema.json`).
public struct CorpusMineParameters: Sendable, Equatable {
    public var filters = FileFilters()
    public var maxFileBytes = 32 << 20
    public var minFunctionLines = 1
    public var exactDedup = true
    public var nearDedup = true
    public var keepNearDuplicates = false
    public var ngram = 5
    public var permutations = 256
    public var bands = 25
    public var rows = 10
    public var seed: UInt64 = 42

    public init() {}

    /// Reads parameters already checked against the schema; cross-field rules are checked here.
    public init(_ json: JSONValue) throws {
        func int(_ key: String, _ fallback: Int) -> Int { json[key]?.integerValue.map { Int($0) } ?? fallback }
        func double(_ key: String, _ fallback: Double) -> Double { json[key]?.doubleValue ?? fallback }
        func bool(_ key: String, _ fallback: Bool) -> Bool { json[key]?.boolValue ?? fallback }
        filters.minWhitespaceTokens = int("min_whitespace_tokens", filters.minWhitespaceTokens)
        filters.maxWhitespaceTokens = int("max_whitespace_tokens", filters.maxWhitespaceTokens)
        filters.maxLineLength = int("max_line_length", filters.maxLineLength)
        filters.maxMeanLineLength = double("max_mean_line_length", filters.maxMeanLineLength)
        filters.minAlnumFraction = double("min_alnum_fraction", filters.minAlnumFraction)
        filters.keepGenerated = bool("keep_generated", false)
        filters.keepVendored = bool("keep_vendored", false)
        if let folders = json["vendored_folders"]?.arrayValue {
            filters.vendoredFolders = Set(folders.compactMap { $0.stringValue?.lowercased() })
        }
        maxFileBytes = int("max_file_bytes", maxFileBytes)
        minFunctionLines = int("min_function_lines", minFunctionLines)
        exactDedup = bool("exact_dedup", true)
        nearDedup = bool("near_dedup", true)
        keepNearDuplicates = bool("keep_near_duplicates", false)
        let minhash = json["minhash"] ?? .object([:])
        ngram = minhash["ngram"]?.integerValue.map { Int($0) } ?? ngram
        permutations = minhash["permutations"]?.integerValue.map { Int($0) } ?? permutations
        bands = minhash["bands"]?.integerValue.map { Int($0) } ?? bands
        rows = minhash["rows"]?.integerValue.map { Int($0) } ?? rows
        seed = minhash["seed"]?.integerValue.map { UInt64(clamping: $0) } ?? seed
        guard filters.minWhitespaceTokens <= filters.maxWhitespaceTokens else {
            throw PipeError("params.range",
                            "min_whitespace_tokens (\(filters.minWhitespaceTokens)) is larger than max_whitespace_tokens (\(filters.maxWhitespaceTokens))")
        }
        guard bands * rows <= permutations else {
            throw PipeError("params.minhash",
                            "minhash bands × rows (\(bands) × \(rows) = \(bands * rows)) exceeds permutations (\(permutations))")
        }
    }

    /// The MinHash configuration these parameters describe.
    public var minHasher: MinHasher { MinHasher(ngram: ngram, bands: bands, rows: rows, seed: seed) }
}
