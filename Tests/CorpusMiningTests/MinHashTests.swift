import XCTest
import StageKit
import StageKitTestSupport

@testable import CorpusMining

final class MinHashTests: XCTestCase {
    func testFastHashIsStableAndSpreads() {
        XCTAssertEqual(FastHash.hash(Array("omp".utf8)), FastHash.hash(Array("omp".utf8)))
        XCTAssertNotEqual(FastHash.hash(Array("omp".utf8)), FastHash.hash(Array("omq".utf8)))
        XCTAssertNotEqual(FastHash.hash(Array("omp".utf8), seed: 1), FastHash.hash(Array("omp".utf8), seed: 2))
        XCTAssertNotEqual(FastHash.hash([]), FastHash.hash([0]))
        XCTAssertNotEqual(FastHash.hash(Array("abcdefgh".utf8)), FastHash.hash(Array("abcdefgh\0".utf8)))
        var seen = Set<UInt64>()
        for value in 0..<10_000 { seen.insert(FastHash.hash(Array("token\(value)".utf8))) }
        XCTAssertEqual(seen.count, 10_000)
        // Each output bit is set about half the time.
        var ones = [Int](repeating: 0, count: 64)
        for value in seen { for bit in 0..<64 where value >> UInt64(bit) & 1 == 1 { ones[bit] += 1 } }
        for count in ones { XCTAssertEqual(Double(count) / 10_000, 0.5, accuracy: 0.03) }
    }

    func testHashAndSignatureValuesArePinned() throws {
        // Band keys are stored in the side stream and decide which files are removed: a change of the hash,
        // the permutation constants or the band hashing must be deliberate, not silent.
        XCTAssertEqual(FastHash.hash(Array("MPI_Init".utf8)), 0xE948_9FB3_46C7_D169)
        XCTAssertEqual(FastHash.hash(Array("a much longer token over eight bytes".utf8), seed: 42), 0x43D7_7493_9E87_DBE9)
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF, "SplitMix64's published first output for seed 0")
        let hasher = MinHasher()
        let code = "#pragma omp parallel for reduction(+:sum) private(i)\nfor (i = 0; i < n; i++) sum += a[i];\n"
        let signature = try XCTUnwrap(hasher.signature(Array(code.utf8)))
        XCTAssertEqual(Array(signature.prefix(4)), [0x1F1B_7099, 0x6CBA_4B93, 0x3031_04A6, 0x026C_AAF3])
        XCTAssertEqual(hasher.bandKeys(signature).first, 0x4A1D_7544_8693_D878)
    }

    func testTokensAreWordRuns() {
        let hasher = MinHasher(ngram: 2, bands: 2, rows: 2)
        let tokens = hasher.tokenHashes(Array("a_1+b\tc émoji_x".utf8))
        XCTAssertEqual(tokens.count, 4)  // a_1, b, c, moji_x (the non-ASCII é separates)
        XCTAssertEqual(hasher.shingleHashes(Array("a b c".utf8)).count, 2)
        XCTAssertEqual(hasher.shingleHashes(Array("a".utf8)).count, 1, "a short document is one shingle")
        XCTAssertEqual(hasher.shingleHashes(Array("+ - *".utf8)).count, 0)
        XCTAssertNil(hasher.signature(Array(" ;; ".utf8)))
    }

    func testSignaturesAreDeterministicAndWhitespaceBlind() {
        let hasher = MinHasher()
        let text = (0..<300).map { "w\($0 % 97)" }.joined(separator: " ")
        let spaced = text.replacingOccurrences(of: " ", with: "\n\t  ")
        XCTAssertEqual(hasher.signature(Array(text.utf8)), hasher.signature(Array(spaced.utf8)))
        XCTAssertEqual(hasher.signature(Array(text.utf8))?.count, 250)
        XCTAssertEqual(MinHasher(seed: 42).signature(Array(text.utf8)), MinHasher(seed: 42).signature(Array(text.utf8)))
        XCTAssertNotEqual(MinHasher(seed: 1).signature(Array(text.utf8)), MinHasher(seed: 2).signature(Array(text.utf8)))
    }

    func testEstimateTracksTrueJaccard() {
        let hasher = MinHasher(ngram: 1, bands: 32, rows: 8)
        // Unigram sets with known overlap: |A ∩ B| = shared, |A ∪ B| = shared + 2 × own.
        for (shared, own) in [(800, 100), (500, 250), (300, 350), (100, 450)] {
            let common = (0..<shared).map { "s\($0)" }
            let a = (common + (0..<own).map { "a\($0)" }).joined(separator: " ")
            let b = (common + (0..<own).map { "b\($0)" }).joined(separator: " ")
            let truth = Double(shared) / Double(shared + 2 * own)
            guard let sa = hasher.signature(Array(a.utf8)), let sb = hasher.signature(Array(b.utf8)) else {
                return XCTFail("no signature")
            }
            // 256 components: standard error sqrt(J(1-J)/256) ≤ 0.032; allow four of them.
            XCTAssertEqual(MinHasher.estimatedJaccard(sa, sb), truth, accuracy: 0.125, "J = \(truth)")
        }
    }

    func testCandidateProbabilityMatchesTheReference() {
        // BigCode 25 × 10: P(0.7) ≈ 0.51, P(0.8) ≈ 0.94; datatrove 14 × 8: P(0.7) ≈ 0.565, P(0.8) ≈ 0.924.
        XCTAssertEqual(MinHasher.candidateProbability(similarity: 0.7, bands: 25, rows: 10), 0.51, accuracy: 0.01)
        XCTAssertEqual(MinHasher.candidateProbability(similarity: 0.8, bands: 25, rows: 10), 0.94, accuracy: 0.01)
        XCTAssertEqual(MinHasher.candidateProbability(similarity: 0.7, bands: 14, rows: 8), 0.565, accuracy: 0.01)
        XCTAssertEqual(MinHasher.candidateProbability(similarity: 0.8, bands: 14, rows: 8), 0.924, accuracy: 0.01)
    }

    func testBandKeysDifferPerBandAndRoundTripAsHex() {
        let hasher = MinHasher(ngram: 1, bands: 3, rows: 2)
        let keys = hasher.bandKeys([7, 7, 7, 7, 7, 7])
        XCTAssertEqual(Set(keys).count, 3, "equal rows in different bands must not share a bucket")
        XCTAssertEqual(CorpusReducer.bandKeys(CorpusReducer.bandHex(keys)), keys)
        XCTAssertEqual(CorpusReducer.bandHex([1]), "0000000000000001")
        XCTAssertEqual(CorpusReducer.bandKeys("zz"), [])
    }

    func testUnionFindKeepsTheSmallestIndexAsRoot() {
        var sets = UnionFind()
        for _ in 0..<6 { sets.add() }
        sets.union(4, 5)
        sets.union(5, 2)
        sets.union(3, 1)
        XCTAssertEqual(sets.find(4), 2)
        XCTAssertEqual(sets.find(3), 1)
        XCTAssertEqual(sets.setSize(5), 3)
        sets.union(4, 3)
        XCTAssertEqual(sets.find(5), 1)
        XCTAssertEqual(sets.setSize(2), 5)
        XCTAssertEqual(sets.find(0), 0)
    }

    func testLSHClustersDocumentsSharingABand() {
        var index = LSHIndex()
        index.insert(bandKeys: [1, 2, 3])
        index.insert(bandKeys: [4, 5, 6])
        index.insert(bandKeys: [7, 5, 8])
        index.insert(bandKeys: [9, 10, 3])
        index.insert(bandKeys: [])
        XCTAssertEqual(index.root(of: 2), 1)
        XCTAssertEqual(index.root(of: 3), 0)
        XCTAssertEqual(index.clusterSize(of: 1), 2)
        XCTAssertEqual(index.root(of: 4), 4)
        XCTAssertEqual(index.clusterSize(of: 4), 1)
    }
}
