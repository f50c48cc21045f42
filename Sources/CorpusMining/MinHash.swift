import StageKit

/// MinHash signatures over word n-grams of `[A-Za-z0-9_]+` tokens and their LSH band keys.
///
/// Each shingle (n consecutive tokens) gets a 64-bit FastHash; permutation i maps it to
/// `(a_i · h + b_i) >> 32` (multiply-add-shift, a universal family whose 32-bit output is what BigCode
/// and data-juicer keep), and signature component i is the minimum over the shingles. Only the
/// `bands × rows` components that enter a band are computed.
public struct MinHasher: Sendable {
    public let ngram: Int
    public let bands: Int
    public let rows: Int
    public let seed: UInt64
    let multipliers: [UInt64]
    let increments: [UInt64]

    /// The components computed per document.
    public var hashCount: Int { bands * rows }

    public init(ngram: Int = 5, bands: Int = 25, rows: Int = 10, seed: UInt64 = 42) {
        self.ngram = max(1, ngram)
        self.bands = max(1, bands)
        self.rows = max(1, rows)
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        var multipliers: [UInt64] = []
        var increments: [UInt64] = []
        for _ in 0..<(self.bands * self.rows) {
            multipliers.append(generator.next() | 1)
            increments.append(generator.next())
        }
        self.multipliers = multipliers
        self.increments = increments
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// The hashes of the tokens, in order (a token is a maximal run of ASCII letters, digits, `_`).
    public func tokenHashes(_ content: [UInt8]) -> [UInt64] {
        ByteScanning.runHashes(in: content, seed: seed, reserving: content.count / 6) { Self.isWordByte($0) }
    }

    /// The shingle hashes: one per window of `ngram` tokens; a document with fewer tokens than that is
    /// one shingle of all its tokens (not BigCode's all-max signature, which merges every short
    /// document into one cluster); none when there are no tokens.
    public func shingleHashes(_ content: [UInt8]) -> [UInt64] {
        let tokens = tokenHashes(content)
        guard !tokens.isEmpty else { return [] }
        let width = min(ngram, tokens.count)
        var shingles: [UInt64] = []
        shingles.reserveCapacity(tokens.count - width + 1)
        for start in 0...(tokens.count - width) {
            var h = seed
            for offset in 0..<width { h = FastHash.combine(h, tokens[start + offset]) }
            shingles.append(h)
        }
        return shingles
    }

    /// The signature (bands × rows components), or nil for a document without tokens.
    public func signature(_ content: [UInt8]) -> [UInt32]? {
        let shingles = shingleHashes(content)
        guard !shingles.isEmpty else { return nil }
        return ByteScanning.minimumPermutedHashes(of: shingles, multipliers: multipliers, increments: increments)
    }

    /// One 64-bit key per band: the band's rows hashed together with the band's index, so that equal
    /// rows in different bands never share a bucket.
    public func bandKeys(_ signature: [UInt32]) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(bands)
        for band in 0..<bands {
            var h = FastHash.combine(seed ^ 0x6C73_6862_616E_6473, UInt64(band))
            let start = band * rows
            var index = start
            while index < start + rows {
                let low = UInt64(signature[index])
                let high = index + 1 < start + rows ? UInt64(signature[index + 1]) << 32 : 0
                h = FastHash.combine(h, low | high)
                index += 2
            }
            keys.append(h)
        }
        return keys
    }

    /// The share of equal components: the signature estimate of the Jaccard similarity.
    public static func estimatedJaccard(_ lhs: [UInt32], _ rhs: [UInt32]) -> Double {
        guard lhs.count == rhs.count, !lhs.isEmpty else { return 0 }
        var same = 0
        for index in lhs.indices where lhs[index] == rhs[index] { same += 1 }
        return Double(same) / Double(lhs.count)
    }

    /// P(candidate | Jaccard s) = 1 − (1 − s^r)^b.
    public static func candidateProbability(similarity: Double, bands: Int, rows: Int) -> Double {
        1 - power(1 - power(similarity, rows), bands)
    }

    static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= base }
        return result
    }
}
