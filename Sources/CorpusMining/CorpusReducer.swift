import StageKit

/// The stream names of `corpus.mine`.
public enum CorpusStreams {
    public static let files = "files"
    public static let functions = "functions"
    public static let ompLoops = "omp_loops"
    /// Hidden: one MinHash/exact-key record per file record, read by reduce only.
    public static let signatures = "signatures"
    /// Hidden: the SPDX id of each matched top-level license file.
    public static let licenses = "licenses"
}

/// The reduce phase of `corpus.mine`: global exact and near deduplication, repository licenses, and
/// dropping the functions and loops of removed files.
///
/// Memory per file record, with records themselves streamed: 4 bytes of exact-duplicate state, 4 of
/// LSH numbering, its 16-byte exact key in a hash map while the signatures are read (about 40 with
/// overhead), the LSH index (about bands × 16 bytes, see `LSHIndex`) and 8 bytes of union-find; plus
/// the id and locator of each kept file that others point to, and 16 bytes (about 40 with overhead)
/// per removed file until its functions and loops are filtered.
public struct CorpusReducer: Sendable {
    public let parameters: CorpusMineParameters

    public init(parameters: CorpusMineParameters) { self.parameters = parameters }

    /// What happens to one file record.
    enum Fate {
        case keep
        case exactDuplicate(of: Int32)
        case nearDuplicate(of: Int32)
    }

    public func reduce(_ context: some ReduceContext) throws {
        let licenses = try repositoryLicenses(context)

        // Pass 1: signatures in file-id order, so the first member met is the smallest id: the one kept.
        var exactFirst: [Hash128: Int32] = [:]
        var exactOf: [Int32] = []
        var lshNumber: [Int32] = []
        var lshDocument: [Int32] = []
        var lsh = LSHIndex()
        var document: Int32 = 0
        try context.forEachRecord(stream: CorpusStreams.signatures) { _, bytes in
            let record = try JSONParser.parse(bytes)
            defer { document += 1 }
            if parameters.exactDedup, let exact = record["exact"]?.stringValue.flatMap({ Hash128(hex: $0) }) {
                if let first = exactFirst[exact] {
                    exactOf.append(first)
                    lshNumber.append(-1)
                    return
                }
                exactFirst[exact] = document
            }
            exactOf.append(-1)
            if parameters.nearDedup {
                lshNumber.append(lsh.insert(bandKeys: Self.bandKeys(record["bands"]?.stringValue ?? "")))
                lshDocument.append(document)
            } else {
                lshNumber.append(-1)
            }
        }
        exactFirst = [:]

        var fates: [Fate] = []
        fates.reserveCapacity(exactOf.count)
        var referenced = Set<Int32>()
        for index in exactOf.indices {
            if exactOf[index] >= 0 {
                fates.append(.exactDuplicate(of: exactOf[index]))
                referenced.insert(exactOf[index])
                continue
            }
            let number = lshNumber[index]
            let root = number >= 0 ? lshDocument[Int(lsh.root(of: number))] : Int32(index)
            if root != Int32(index) {
                referenced.insert(root)
                fates.append(parameters.keepNearDuplicates ? .keep : .nearDuplicate(of: root))
            } else {
                fates.append(.keep)
            }
        }
        exactOf = []

        // Pass 2, over the signatures again (their keys are the file records' keys, in the same order):
        // the names of kept files that duplicates point to, and the removed files, dropped now so that the
        // file pass and the runner's pass over functions and loops (which go with their file) can run at once.
        var keptNames: [Int32: (id: String, locator: String)] = [:]
        // Every removed file points to a kept one, and kept near duplicates name their cluster's first file.
        if !referenced.isEmpty {
            document = 0
            try context.forEachRecord(stream: CorpusStreams.signatures) { key, _ in
                let index = document
                document += 1
                guard Int(index) < fates.count else {
                    throw PipeError("corpus.reduce", "the signatures changed between two reads")
                }
                if referenced.contains(index) { keptNames[index] = (key.id, key.locator) }
                if case .keep = fates[Int(index)] { return }
                context.drop(stream: CorpusStreams.files, key: key)
            }
        }

        // Passes 3 to 5: file records patched or dropped; functions and loops that point to a removed
        // file go with it (their streams declare the `file_id` reference).
        let licenseNull = Array(#""license":null"#.utf8)
        let method = "MinHash LSH over word \(parameters.ngram)-grams, \(parameters.bands) bands × \(parameters.rows) rows"
        var fileRecords: Int32 = 0
        let filePass = {
            try context.forEachRecord(stream: CorpusStreams.files) { key, bytes in
                let index = fileRecords
                fileRecords += 1
                guard Int(index) < fates.count else {
                    throw PipeError("corpus.reduce", "file record \(key.id) has no signature record")
                }
                let removal: (code: String, kind: String, kept: Int32)?
                switch fates[Int(index)] {
                case .exactDuplicate(let kept):
                    removal = ("corpus.exact_duplicate", "exact duplicate (up to line endings and trailing blanks)", kept)
                case .nearDuplicate(let kept):
                    removal = ("corpus.near_duplicate", "near duplicate (\(method))", kept)
                case .keep:
                    removal = nil
                }
                if let removal {
                    try context.reject(Reject(
                        .dropped, code: removal.code,
                        reason: "\(removal.kind) of kept file \(Self.describe(keptNames[removal.kept]))",
                        locator: key.locator))
                    return
                }
                var out = bytes
                let number = lshNumber[Int(index)]
                if number >= 0 {
                    let size = lsh.clusterSize(of: number)
                    if size > 1 {
                        let root = lshDocument[Int(lsh.root(of: number))]
                        let clusterID = keptNames[root]?.id ?? key.id
                        let old = Array(#""near_dup_cluster":"\#(key.id)","near_dup_cluster_size":1"#.utf8)
                        let new = Array(#""near_dup_cluster":"\#(clusterID)","near_dup_cluster_size":\#(size)"#.utf8)
                        guard let patched = RecordBytes.replacingLast(old, with: new, in: out) else {
                            throw PipeError("corpus.reduce", "file record \(key.id) has no near_dup_cluster member to set")
                        }
                        out = patched
                    }
                }
                if !licenses.isEmpty, let repo = RecordBytes.stringMember("repo", in: out), let license = licenses[repo],
                    let patched = RecordBytes.replacingLast(licenseNull, with: Array(#""license":"#.utf8) + RecordBytes.literal(license),
                                                            in: out)
                {
                    out = patched
                }
                try context.emit(stream: CorpusStreams.files, key: key, bytes: out)
            }
        }
        let pointerPasses = [CorpusStreams.functions, CorpusStreams.ompLoops].map { stream in
            { try context.passThrough(stream: stream) }
        }
        try context.concurrently([filePass] + pointerPasses)
        guard Int(fileRecords) == fates.count else {
            throw PipeError("corpus.reduce", "\(fates.count) signature records but \(fileRecords) file records")
        }
        try context.writeArtifact(named: "dedup.json", text: JSONWriter.pretty(
            dedupSummary(fates: fates, lsh: &lsh, lshDocument: lshDocument)) + "\n")
    }

    /// What deduplication did, for the run's `dedup.json` artifact: counts, the sizes of near-duplicate
    /// clusters (as the reference recommends logging), and the size of the LSH index.
    func dedupSummary(fates: [Fate], lsh: inout LSHIndex, lshDocument: [Int32]) -> JSONValue {
        var exact = 0
        var near = 0
        for fate in fates {
            switch fate {
            case .exactDuplicate: exact += 1
            case .nearDuplicate: near += 1
            case .keep: break
            }
        }
        var sizes: [Int: Int] = [:]
        for number in lshDocument.indices where lsh.root(of: Int32(number)) == Int32(number) {
            let size = lsh.clusterSize(of: Int32(number))
            if size > 1 { sizes[size, default: 0] += 1 }
        }
        return .object([
            "files": .integer(Int64(fates.count)),
            "exact_duplicates": .integer(Int64(exact)),
            "near_duplicates": .integer(Int64(near)),
            "near_duplicate_clusters": .object(Dictionary(uniqueKeysWithValues: sizes.map { (String($0.key), JSONValue.integer(Int64($0.value))) })),
            "minhash": .object([
                "ngram": .integer(Int64(parameters.ngram)), "bands": .integer(Int64(parameters.bands)),
                "rows": .integer(Int64(parameters.rows)), "seed": .integer(Int64(clamping: parameters.seed)),
                "exact_dedup": .bool(parameters.exactDedup), "near_dedup": .bool(parameters.nearDedup),
            ]),
            "lsh_index": .object([
                "documents": .integer(Int64(lshDocument.count)),
                "band_buckets": .integer(Int64(lsh.bucketCount)),
            ]),
        ])
    }

    /// Repository → SPDX id from the side stream of matched license files; when a repository has
    /// several, the one with the smallest path wins.
    func repositoryLicenses(_ context: some ReduceContext) throws -> [String: String] {
        var best: [String: (path: String, spdx: String)] = [:]
        try context.forEachRecord(stream: CorpusStreams.licenses) { _, bytes in
            let record = try JSONParser.parse(bytes)
            guard let repo = record["repo"]?.stringValue, let path = record["path"]?.stringValue,
                let spdx = record["license"]?.stringValue
            else { return }
            if let current = best[repo], !path.utf8.lexicographicallyPrecedes(current.path.utf8) { return }
            best[repo] = (path, spdx)
        }
        return best.mapValues { $0.spdx }
    }

    static func describe(_ kept: (id: String, locator: String)?) -> String {
        guard let kept else { return "(unknown)" }
        return "\(kept.id) at \(kept.locator)"
    }

    /// Band keys from their hex form (16 digits each); malformed digits end the list.
    static func bandKeys(_ hex: String) -> [UInt64] {
        let utf8 = Array(hex.utf8)
        var keys: [UInt64] = []
        keys.reserveCapacity(utf8.count / 16)
        var start = 0
        while start + 16 <= utf8.count {
            guard let value = UInt64(String(decoding: utf8[start..<(start + 16)], as: UTF8.self), radix: 16) else { break }
            keys.append(value)
            start += 16
        }
        return keys
    }

    /// Band keys as 16 hex digits each.
    static func bandHex(_ keys: [UInt64]) -> String {
        var out = ""
        out.reserveCapacity(keys.count * 16)
        for key in keys {
            let text = String(key, radix: 16)
            out += String(repeating: "0", count: 16 - text.count) + text
        }
        return out
    }
}
