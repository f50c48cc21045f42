import StageKit
import Readers
import Engine
import ArgumentParser
import Foundation
import Tokompiler

/// `pipe tokenize`: Tokompiler-style tokens of source files; `--decode` turns ids back into tokens, `--restore`
/// turns a record back into code.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print Tokompiler-style tokens of source files, decode ids, or restore code from a record.",
        discussion: """
            By default each FILE is a C, C++, CUDA, OpenCL or Fortran source (language from the extension, or \
            --language) and its tokens are printed on one line. --json prints the full record (tokens, ids, map). \
            With --decode each FILE holds token ids (whitespace- or comma-separated, a JSON array, or a record with \
            'ids'); with --restore each FILE holds records (JSON or JSONL, plain, .gz or .zst, as written by --json \
            or the tokompiler.tokenize stage) and the code is printed. '-' reads standard input.
            """)

    @Argument(help: "Source files; with --decode, id lists; with --restore, records.")
    var files: [String]

    @Flag(help: "Turn token ids back into token text.")
    var decode = false

    @Flag(help: "Turn records (tokens and map) back into compilable code.")
    var restore = false

    @Flag(help: "Anonymize library functions, constants and types as the original Tokompiler does.")
    var anonymizeLibraryCalls = false

    @Flag(help: "Draw placeholder ids at random from 0-1000 (reproducibly, with --seed).")
    var randomIds = false

    @Option(help: "The seed of --random-ids.")
    var seed: UInt64?

    @Option(help: "Restart placeholder numbering per 'file' (default) or per 'function'.")
    var idsPer: IDScopeArgument = .file

    @Option(help: "The language of every FILE (c, cpp, cuda, opencl, fortran) instead of the extension's.")
    var language: LanguageArgument?

    @Option(help: "Fortran source form (free or fixed) instead of the one detected.")
    var fortranForm: FortranFormArgument?

    @Flag(help: "Print one JSON record per file (tokens, ids, map, UNK counts) instead of the token text.")
    var json = false

    @Flag(help: "Print a JSON summary over all files: tokens and UNK tokens by language and by kind.")
    var stats = false

    // For benchmarks: reading files, detecting languages and writing output are left out of the time.
    @Flag(help: ArgumentHelp("Print to stderr the bytes tokenized and the CPU seconds spent tokenizing them.", visibility: .hidden))
    var time = false

    @Option(name: .long, help: "How errors are written to stderr: text or json.")
    var logFormat: LogFormatArgument = .text

    func validate() throws {
        if decode && restore { throw ValidationError("give --decode or --restore, not both") }
        if randomIds != (seed != nil) { throw ValidationError("--random-ids and --seed go together") }
        if (decode || restore) && (json || stats) { throw ValidationError("--json and --stats apply to source files") }
        if json && stats { throw ValidationError("give --json or --stats, not both") }
    }

    func run() throws {
        try Diagnostics.run(logFormat) {
            if decode {
                try decodeFiles()
            } else if restore {
                try restoreFiles()
            } else {
                try tokenizeFiles()
            }
        }
    }

    private func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipeError("io.read", "cannot read \(path)", at: SourceLocation(file: path))
        }
        return Array(data)
    }

    private func tokenizeFiles() throws {
        var options = TokenizerOptions(anonymizeLibraryCalls: anonymizeLibraryCalls, scope: idsPer.scope)
        if let seed { options.ids = .random(seed: seed) }
        let tokenizer = Tokenizer(options: options)
        var failures: [PipeError] = []
        var summary = Summary()
        var tokenizeNanoseconds: UInt64 = 0
        var tokenizedBytes = 0
        for path in files {
            let bytes = try read(path)
            guard String(validating: bytes, as: UTF8.self) != nil else {
                failures.append(PipeError("tokompiler.invalid_utf8", "\(path) is not valid UTF-8", at: SourceLocation(file: path)))
                continue
            }
            guard let language = language?.language ?? TokenizeFiles.language(path: path, bytes: bytes) else {
                failures.append(PipeError("tokompiler.language",
                                          "cannot tell the language of \(path) from its extension; give --language",
                                          at: SourceLocation(file: path)))
                continue
            }
            let fixed = language == .fortran
                && (fortranForm.map { $0 == .fixed } ?? TokenizeFiles.fortranFixedForm(path: path, bytes: bytes))
            let started = Self.threadCPUNanoseconds()
            let document = tokenizer.tokenize(SourceInput(bytes: bytes, language: language, fortranFixedForm: fixed))
            tokenizeNanoseconds += Self.threadCPUNanoseconds() &- started
            tokenizedBytes += bytes.count
            if stats {
                summary.add(document, language: language, bytes: bytes.count)
            } else if json {
                let record = TokenRecord(sourceID: StableHash.sha256Hex(bytes), repo: nil, path: path, language: language,
                                         fortranFixedForm: language == .fortran ? fixed : nil, document: document,
                                         options: options, vocabularyVersion: tokenizer.vocabulary.version)
                FileHandleOutput.standardOutput(String(decoding: record.json(), as: UTF8.self) + "\n")
            } else {
                FileHandleOutput.standardOutput(document.text + "\n")
            }
        }
        if stats { FileHandleOutput.standardOutput(JSONWriter.pretty(summary.json) + "\n") }
        if time {
            FileHandleOutput.standardError("tokenize-time bytes=\(tokenizedBytes) seconds=\(Double(tokenizeNanoseconds) / 1e9)\n")
        }
        if !failures.isEmpty { throw PipeErrors(failures) }
    }

    /// CPU time of this thread: per-core throughput is bytes per CPU second, which other load on the machine
    /// does not distort the way it distorts wall time.
    private static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    private func decodeFiles() throws {
        let vocabulary = Vocabulary.standard
        for path in files {
            let text = String(decoding: try read(path), as: UTF8.self)
            var ids: [Int]
            if let record = try? JSONParser.parse(text), case .object = record, let list = record["ids"]?.arrayValue {
                ids = list.compactMap { $0.integerValue.map(Int.init) }
            } else {
                ids = try IDText.parse(text)
            }
            if let bad = ids.first(where: { vocabulary.token(for: $0) == nil }) {
                throw PipeError("tokompiler.decode", "\(path): \(bad) is not an id of vocabulary version \(vocabulary.version) (1...\(vocabulary.maxID))",
                                at: SourceLocation(file: path))
            }
            FileHandleOutput.standardOutput(vocabulary.decode(ids) + "\n")
        }
    }

    private func restoreFiles() throws {
        for path in files {
            var records: [JSONValue] = []
            if path == "-" {
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                    records.append(try JSONParser.parse(String(line)))
                }
            } else {
                let reader = try ShardReader(path: path)
                try reader.forEachLine { line, _, _ in records.append(try JSONParser.parse(buffer: line)) }
            }
            for (index, record) in records.enumerated() {
                let fields: RecordTokens
                do {
                    fields = try RecordTokens(record: record)
                } catch let error as PipeError {
                    throw PipeError(error.code, error.message, at: SourceLocation(file: path, line: index + 1))
                }
                let restorer = Restorer(language: fields.language, fortranFixedForm: fields.fortranFixedForm)
                FileHandleOutput.standardOutput(try restorer.restore(tokens: fields.tokens, map: fields.map,
                                                                     scopes: fields.scopes))
            }
        }
    }
}

/// Token and UNK counts over many files, for `--stats`.
private struct Summary {
    var files: [String: Int] = [:]
    var bytes: [String: Int] = [:]
    var tokens: [String: Int] = [:]
    var unknownByKind: [String: [String: Int]] = [:]
    var unknownTokens: [String: Int] = [:]

    mutating func add(_ document: TokenizedDocument, language: TokenizerLanguage, bytes count: Int) {
        let name = language.rawValue
        files[name, default: 0] += 1
        bytes[name, default: 0] += count
        tokens[name, default: 0] += document.tokenCount
        for (kind, value) in document.unknownByKind { unknownByKind[name, default: [:]][kind.rawValue, default: 0] += value }
        for (token, value) in document.unknown { unknownTokens[token, default: 0] += value }
    }

    var json: JSONValue {
        func object(_ table: [String: Int]) -> JSONValue { .object(table.mapValues { .integer(Int64($0)) }) }
        return .object([
            "files": object(files),
            "bytes": object(bytes),
            "tokens": object(tokens),
            "unknown_by_kind": .object(unknownByKind.mapValues { object($0) }),
            "unknown_tokens": object(unknownTokens),
        ])
    }
}

/// `--ids-per` values.
enum IDScopeArgument: String, ExpressibleByArgument, CaseIterable {
    case file, function
    var scope: IDScope { self == .file ? .file : .function }
}

/// `--language` values.
enum LanguageArgument: String, ExpressibleByArgument, CaseIterable {
    case c, cpp, cuda, opencl, fortran
    var language: TokenizerLanguage { TokenizerLanguage(rawValue: rawValue) ?? .c }
}

/// `--fortran-form` values.
enum FortranFormArgument: String, ExpressibleByArgument, CaseIterable {
    case free, fixed
}
