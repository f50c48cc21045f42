import StageKit

/// The parameters of a `corpus.mine` stage (`Schemas/CorpusMining/corpus.mine.params.schema.json`); the
/// defaults are the initial values below, and only there.
public struct CorpusMineParameters: Sendable, Equatable, Decodable {
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

    enum CodingKeys: String, CodingKey {
        case minWhitespaceTokens = "min_whitespace_tokens", maxWhitespaceTokens = "max_whitespace_tokens"
        case maxLineLength = "max_line_length", maxMeanLineLength = "max_mean_line_length"
        case minAlnumFraction = "min_alnum_fraction", keepGenerated = "keep_generated", keepVendored = "keep_vendored"
        case vendoredFolders = "vendored_folders", maxFileBytes = "max_file_bytes", minFunctionLines = "min_function_lines"
        case exactDedup = "exact_dedup", nearDedup = "near_dedup", keepNearDuplicates = "keep_near_duplicates", minhash
    }

    enum MinHashKeys: String, CodingKey {
        case ngram, permutations, bands, rows, seed
    }

    /// Reads the parameters over the defaults; cross-field rules are checked here, each naming its field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var filters = FileFilters()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        filters.minWhitespaceTokens = try value(.minWhitespaceTokens, filters.minWhitespaceTokens)
        filters.maxWhitespaceTokens = try value(.maxWhitespaceTokens, filters.maxWhitespaceTokens)
        filters.maxLineLength = try value(.maxLineLength, filters.maxLineLength)
        filters.maxMeanLineLength = try value(.maxMeanLineLength, filters.maxMeanLineLength)
        filters.minAlnumFraction = try value(.minAlnumFraction, filters.minAlnumFraction)
        filters.keepGenerated = try value(.keepGenerated, filters.keepGenerated)
        filters.keepVendored = try value(.keepVendored, filters.keepVendored)
        if let folders = try container.decodeIfPresent([String].self, forKey: .vendoredFolders) {
            filters.vendoredFolders = Set(folders.map { $0.lowercased() })
        }
        self.filters = filters
        maxFileBytes = try value(.maxFileBytes, maxFileBytes)
        minFunctionLines = try value(.minFunctionLines, minFunctionLines)
        exactDedup = try value(.exactDedup, exactDedup)
        nearDedup = try value(.nearDedup, nearDedup)
        keepNearDuplicates = try value(.keepNearDuplicates, keepNearDuplicates)
        if container.contains(.minhash) {
            let minhash = try container.nestedContainer(keyedBy: MinHashKeys.self, forKey: .minhash)
            ngram = try minhash.decodeIfPresent(Int.self, forKey: .ngram) ?? ngram
            permutations = try minhash.decodeIfPresent(Int.self, forKey: .permutations) ?? permutations
            bands = try minhash.decodeIfPresent(Int.self, forKey: .bands) ?? bands
            rows = try minhash.decodeIfPresent(Int.self, forKey: .rows) ?? rows
            seed = try minhash.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        }
        guard filters.minWhitespaceTokens <= filters.maxWhitespaceTokens else {
            throw PipeError("params.range",
                            "min_whitespace_tokens (\(filters.minWhitespaceTokens)) is larger than max_whitespace_tokens (\(filters.maxWhitespaceTokens))",
                            field: "/min_whitespace_tokens")
        }
        guard bands * rows <= permutations else {
            throw PipeError("params.minhash",
                            "minhash bands × rows (\(bands) × \(rows) = \(bands * rows)) exceeds permutations (\(permutations))",
                            field: "/minhash")
        }
    }

    /// The MinHash configuration these parameters describe.
    public var minHasher: MinHasher { MinHasher(ngram: ngram, bands: bands, rows: rows, seed: seed) }
}
