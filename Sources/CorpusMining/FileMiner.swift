import CodeLexers
import PipeCore

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

/// The records one kept source file gives.
public struct MinedFile: Sendable {
    public var fileID: String
    public var file: JSONValue
    public var signature: JSONValue
    public var functions: [JSONValue]
    public var loops: [JSONValue]
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
        let file: JSONValue = .object([
            "id": .string(fileID),
            "content_sha256": .string(StableHash.sha256Hex(content)),
            "repo": .string(place.repo),
            "path": .string(place.path),
            "language": .string(language.rawValue),
            "fortran_form": form.map { .string($0.rawValue) } ?? .null,
            "paradigms": .array(analysis.evidence.paradigms.map { .string($0.rawValue) }),
            "paradigm_evidence": .object(analysis.evidence.counts.mapValues { .integer(Int64($0)) }),
            "license": LicenseDetector.spdxTag(in: content).map { .string($0) } ?? .null,
            "bytes": .integer(Int64(statistics.bytes)),
            "lines": .integer(Int64(statistics.lines)),
            "whitespace_tokens": .integer(Int64(statistics.whitespaceTokens)),
            "max_line_length": .integer(Int64(statistics.maxLineLength)),
            "mean_line_length": .number(statistics.meanLineLength),
            "alnum_fraction": .number(statistics.alnumFraction),
            "generated": .bool(generated),
            "vendored": .bool(vendored),
            "content": .string(String(decoding: content, as: UTF8.self)),
            "near_dup_cluster": .string(fileID),
            "near_dup_cluster_size": .integer(1),
        ])
        // Without near dedup the signature would never be read: skip the most expensive step of map.
        let bands = parameters.nearDedup ? (hasher.signature(content).map { hasher.bandKeys($0) } ?? []) : []
        let signature: JSONValue = .object([
            "id": .string(fileID), "exact": .string(ExactDedup.key(content)),
            "bands": .string(CorpusReducer.bandHex(bands)),
        ])
        let common: [String: JSONValue] = [
            "file_id": .string(fileID), "repo": .string(place.repo), "path": .string(place.path),
            "language": .string(language.rawValue),
        ]
        var functions: [JSONValue] = []
        for function in analysis.functions where function.endLine - function.startLine + 1 >= parameters.minFunctionLines {
            var record = common
            record["id"] = .string(StableHash.sha256Hex("\(fileID):\(function.start)"))
            record["name"] = .string(function.name)
            record["start_line"] = .integer(Int64(function.startLine))
            record["end_line"] = .integer(Int64(function.endLine))
            record["code"] = .string(String(decoding: content[function.start..<function.end], as: UTF8.self))
            record["paradigms"] = .array(function.paradigms.map { .string($0.rawValue) })
            functions.append(.object(record))
        }
        var loops: [JSONValue] = []
        for loop in analysis.ompLoops {
            let code = String(decoding: content[loop.start..<loop.end], as: UTF8.self)
            var record = common
            record["id"] = .string(StableHash.sha256Hex("\(fileID):\(loop.start)"))
            record["code"] = .string(code)
            record["pragma"] = .string(String(decoding: content[loop.directiveStart..<loop.directiveEnd], as: UTF8.self))
            record["pragma_normalized"] = OpenMPDirective.normalize(loop.directiveText, language: language)
                .map { .string($0) } ?? .null
            record["clauses"] = (ParsedDirective.parse(loop.directiveText, language: language)
                ?? ParsedDirective(sentinel: "omp", constructs: [], clauses: [])).clausesJSON
            record["hash"] = .string(StableHash.sha256Hex(code))
            loops.append(.object(record))
        }
        return .mined(MinedFile(fileID: fileID, file: file, signature: signature, functions: functions, loops: loops))
    }
}
