import StageKit
import CodeLexers

/// What mining one input item gives.
public enum MineOutcome: Sendable {
    /// Neither a source file nor a top-level license file: not a candidate, so not a reject either.
    case ignored
    /// A top-level license file whose text matched the license table: a `licenses` side record.
    case license(JSONValue)
    /// A source file that is not kept, with why.
    case rejected(RejectClass, code: String, reason: String, offset: Int64?)
    /// A kept source file with its derived records.
    case mined(MinedFile)
}

/// The records one kept source file gives, each in pipe's canonical compact JSON.
public struct MinedFile: Sendable {
    public var fileID: String
    public var file: [UInt8]
    public var signature: [UInt8]
    public var functions: [MinedRecord]
    public var loops: [MinedRecord]
}

/// A function or loop record with its id.
public struct MinedRecord: Sendable {
    public var id: String
    public var bytes: [UInt8]
}

/// Turns one item's bytes into records: the map phase of `corpus.mine` without the runner around it.
public struct FileMiner: Sendable {
    public let parameters: CorpusMineParameters
    public let hasher: MinHasher

    public init(parameters: CorpusMineParameters) {
        self.parameters = parameters
        self.hasher = parameters.minHasher
    }

    /// Whether an item is worth reading at all: a source file or a top-level license file.
    public func wants(locator: String, repo: String?) -> Bool {
        let place = ItemPath.split(locator: locator, repo: repo)
        if case .notSource = LanguageMap.classify(path: place.path) {
            return LicenseDetector.isLicenseFile(pathInRepo: place.path)
        }
        return true
    }

    public func mine(locator: String, repo: String?, content: [UInt8]) -> MineOutcome {
        let place = ItemPath.split(locator: locator, repo: repo)
        if LicenseDetector.isLicenseFile(pathInRepo: place.path) {
            guard let spdx = LicenseDetector.matchLicenseText(content) else { return .ignored }
            return .license(.object([
                "id": .string(StableHash.sha256Hex(place.repo + "\u{0}" + place.path)),
                "repo": .string(place.repo), "path": .string(place.path), "license": .string(spdx),
            ]))
        }
        if case .notSource = LanguageMap.classify(path: place.path) { return .ignored }
        if let offset = UTF8Check.firstInvalidOffset(content) {
            return .rejected(.error, code: "corpus.invalid_utf8", reason: "invalid UTF-8 at byte \(offset)",
                             offset: Int64(offset))
        }
        if let nul = content.firstIndex(of: 0) {
            return .rejected(.error, code: "corpus.binary", reason: "a NUL byte at offset \(nul): not source text",
                             offset: Int64(nul))
        }
        guard let language = LanguageMap.language(path: place.path, content: content) else { return .ignored }
        let statistics = FileStatistics.measure(content)
        let generated = GeneratedFileMarker.isGenerated(content)
        let vendored = parameters.filters.isVendored(pathInRepo: place.path)
        let failures = parameters.filters.failures(statistics: statistics, generated: generated, vendored: vendored)
        if let first = failures.first {
            return .rejected(.dropped, code: first.code, reason: failures.map(\.reason).joined(separator: "; "),
                             offset: nil)
        }
        let form: FortranForm? = language == .fortran ? LanguageMap.fortranForm(path: place.path, content: content) : nil
        let analysis = SourceAnalyzer(language: language, fortranForm: form ?? .free).analyze(content, path: place.path)

        var idInput = Array(place.repo.utf8)
        idInput.append(0)
        idInput += place.path.utf8
        idInput.append(0)
        idInput += content
        let fileID = StableHash.sha256Hex(idInput)
        // Members in key order (see CanonicalObjectWriter).
        var file = CanonicalObjectWriter(capacity: content.count + content.count / 16 + 1024)
        file.number("alnum_fraction", statistics.alnumFraction)
        file.integer("bytes", statistics.bytes)
        file.text("content", content, 0..<content.count)
        let contentSHA256 = StableHash.sha256Hex(content)
        file.string("content_sha256", contentSHA256)
        file.optionalString("fortran_form", form?.rawValue)
        file.bool("generated", generated)
        file.string("id", fileID)
        file.string("language", language.rawValue)
        file.optionalString("license", LicenseDetector.spdxTag(in: content))
        file.integer("lines", statistics.lines)
        file.integer("max_line_length", statistics.maxLineLength)
        file.number("mean_line_length", statistics.meanLineLength)
        file.string("near_dup_cluster", fileID)
        file.integer("near_dup_cluster_size", 1)
        file.value("paradigm_evidence", .object(analysis.evidence.counts.mapValues { .integer(Int64($0)) }))
        file.value("paradigms", .array(analysis.evidence.paradigms.map { .string($0.rawValue) }))
        file.string("path", place.path)
        file.string("repo", place.repo)
        file.bool("vendored", vendored)
        file.integer("whitespace_tokens", statistics.whitespaceTokens)

        // Without near dedup the signature would never be read: skip the most expensive step of map.
        let bands = parameters.nearDedup ? (hasher.signature(content).map { hasher.bandKeys($0) } ?? []) : []
        var signature = CanonicalObjectWriter(capacity: 128 + bands.count * 16)
        signature.string("bands", CorpusReducer.bandHex(bands))
        signature.string("exact", ExactDedup.key(content, contentSHA256: contentSHA256))
        signature.string("id", fileID)

        var functions: [MinedRecord] = []
        for function in analysis.functions where function.endLine - function.startLine + 1 >= parameters.minFunctionLines {
            let id = StableHash.sha256Hex("\(fileID):\(function.start)")
            var record = CanonicalObjectWriter(capacity: function.end - function.start + 512)
            record.text("code", content, function.start..<function.end)
            record.integer("end_line", function.endLine)
            record.string("file_id", fileID)
            record.string("id", id)
            record.string("language", language.rawValue)
            record.string("name", function.name)
            record.value("paradigms", .array(function.paradigms.map { .string($0.rawValue) }))
            record.string("path", place.path)
            record.string("repo", place.repo)
            record.integer("start_line", function.startLine)
            functions.append(MinedRecord(id: id, bytes: record.finish()))
        }
        var loops: [MinedRecord] = []
        for loop in analysis.ompLoops {
            let id = StableHash.sha256Hex("\(fileID):\(loop.start)")
            var record = CanonicalObjectWriter(capacity: loop.end - loop.start + 1024)
            record.value("clauses", (ParsedDirective.parse(loop.directiveText, language: language)
                ?? ParsedDirective(sentinel: "omp", constructs: [], clauses: [])).clausesJSON)
            record.text("code", content, loop.start..<loop.end)
            record.string("file_id", fileID)
            record.string("hash", StableHash.sha256Hex(String(decoding: content[loop.start..<loop.end], as: UTF8.self)))
            record.string("id", id)
            record.string("language", language.rawValue)
            record.string("path", place.path)
            record.text("pragma", content, loop.directiveStart..<loop.directiveEnd)
            record.optionalString("pragma_normalized", OpenMPDirective.normalize(loop.directiveText, language: language))
            record.string("repo", place.repo)
            loops.append(MinedRecord(id: id, bytes: record.finish()))
        }
        return .mined(MinedFile(fileID: fileID, file: file.finish(), signature: signature.finish(),
                                functions: functions, loops: loops))
    }
}
