import StageKit

/// The `tokompiler-record` written per source file: tokens, ids, maps, UNK counts and how they were made.
public struct TokenRecord: Sendable {
    /// The upstream record's id (a corpus.mine `files` id).
    public var sourceID: String
    /// Repository and path of the source, when known.
    public var repo: String?
    /// See `repo`.
    public var path: String?
    /// The source language.
    public var language: TokenizerLanguage
    /// Fortran source form, else nil.
    public var fortranFixedForm: Bool?
    /// The tokenizer output.
    public var document: TokenizedDocument
    /// The options used.
    public var options: TokenizerOptions
    /// The vocabulary version used.
    public var vocabularyVersion: Int

    /// Creates a record.
    public init(sourceID: String, repo: String?, path: String?, language: TokenizerLanguage, fortranFixedForm: Bool?,
                document: TokenizedDocument, options: TokenizerOptions, vocabularyVersion: Int) {
        self.sourceID = sourceID
        self.repo = repo
        self.path = path
        self.language = language
        self.fortranFixedForm = fortranFixedForm
        self.document = document
        self.options = options
        self.vocabularyVersion = vocabularyVersion
    }

    /// A short text naming the options, part of the record id so that differently made records never share one.
    public static func optionsKey(_ options: TokenizerOptions, vocabularyVersion: Int) -> String {
        var ids = "sequential"
        if case .random(let seed) = options.ids { ids = "random:\(seed)" }
        return "ids=\(ids);per=\(options.scope.rawValue);library=\(options.anonymizeLibraryCalls ? "anonymized" : "kept");vocab=\(vocabularyVersion)"
    }

    /// The record id: SHA-256 of the source id and the options key.
    public var id: String {
        StableHash.sha256Hex(sourceID + "\u{0}" + Self.optionsKey(options, vocabularyVersion: vocabularyVersion))
    }

    private static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.mapValues { .string($0) })
    }

    /// The record in pipe's canonical compact JSON; the id list, the bulk of the record, is written directly.
    public func json() -> [UInt8] {
        var seed: JSONValue = .null
        var mode = "sequential"
        if case .random(let value) = options.ids {
            mode = "random"
            seed = .integer(Int64(bitPattern: value))
        }
        let scopes: JSONValue = .array(document.scopes.map {
            .object(["start": .integer(Int64($0.start)), "end": .integer(Int64($0.end)), "map": Self.stringMap($0.map)])
        })
        var out = CanonicalObjectWriter(capacity: document.text.utf8.count * 2 + document.ids.count * 5 + 512)
        out.optionalString("fortran_form", language == .fortran ? (fortranFixedForm == true ? "fixed" : "free") : nil)
        out.string("id", id)
        out.integers("ids", document.ids)
        out.string("ids_mode", mode)
        out.string("ids_per", options.scope.rawValue)
        out.string("language", language.rawValue)
        out.string("library_calls", options.anonymizeLibraryCalls ? "anonymized" : "kept")
        out.value("map", Self.stringMap(document.map))
        out.optionalString("path", path)
        out.optionalString("repo", repo)
        out.value("scopes", scopes)
        out.value("seed", seed)
        out.string("source_id", sourceID)
        out.integer("token_count", document.tokenCount)
        out.string("tokens", document.text)
        out.value("unk", .object(document.unknown.mapValues { .integer(Int64($0)) }))
        out.integer("vocab_version", vocabularyVersion)
        return out.finish()
    }
}

/// What `--restore` and `--decode` need from a record.
public struct RecordTokens: Sendable {
    /// The token text.
    public var tokens: String
    /// The ids.
    public var ids: [Int]
    /// The file-scope map.
    public var map: [String: String]
    /// Per-function maps.
    public var scopes: [ScopeMap]
    /// Language.
    public var language: TokenizerLanguage
    /// Fortran fixed form.
    public var fortranFixedForm: Bool

    /// Reads the fields of a `tokompiler-record` (or the `pipe tokenize --json` output).
    public init(record: JSONValue) throws {
        guard let tokens = record["tokens"]?.stringValue else {
            throw PipeError("tokompiler.record", "the record has no 'tokens' string")
        }
        guard let languageName = record["language"]?.stringValue, let language = TokenizerLanguage(rawValue: languageName)
        else {
            throw PipeError("tokompiler.record", "the record has no known 'language'")
        }
        self.tokens = tokens
        self.language = language
        ids = (record["ids"]?.arrayValue ?? []).compactMap { $0.integerValue.map(Int.init) }
        fortranFixedForm = record["fortran_form"]?.stringValue == "fixed"
        func strings(_ value: JSONValue?) -> [String: String] {
            (value?.objectValue ?? [:]).compactMapValues { $0.stringValue }
        }
        map = strings(record["map"])
        scopes = (record["scopes"]?.arrayValue ?? []).compactMap { scope in
            guard let start = scope["start"]?.integerValue, let end = scope["end"]?.integerValue else { return nil }
            return ScopeMap(start: Int(start), end: Int(end), map: strings(scope["map"]))
        }
    }
}
