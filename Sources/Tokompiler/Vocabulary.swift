import StageKit
import CodeLexers

/// What a vocabulary token is; a token may belong to several groups (`exit` is a Fortran keyword and a C function).
public struct VocabularyGroups: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: UInt32
    /// Creates groups from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `[PAD]` `[SOS]` `[EOS]` `[UNK]` `[MSK]` `[SEP]` `[CLS]`.
    public static let special = VocabularyGroups(rawValue: 1 << 0)
    /// The integers 0 to 1000, used only as placeholder ids.
    public static let number = VocabularyGroups(rawValue: 1 << 1)
    /// Operators and punctuation.
    public static let `operator` = VocabularyGroups(rawValue: 1 << 2)
    /// Keywords, built-in types, OpenMP and OpenACC words.
    public static let keyword = VocabularyGroups(rawValue: 1 << 3)
    /// `#name` directive tokens and Fortran directive sentinels.
    public static let preprocessor = VocabularyGroups(rawValue: 1 << 4)
    /// Placeholder heads (`var`, `arr`, ...).
    public static let head = VocabularyGroups(rawValue: 1 << 5)
    /// `[NL]`, `[ID2]`, `[ID3]`.
    public static let marker = VocabularyGroups(rawValue: 1 << 6)
    /// Pragma, attribute and Fortran specifier words, kept in those places.
    public static let word = VocabularyGroups(rawValue: 1 << 7)
    /// Members kept after a kept CUDA built-in (`threadIdx.x`).
    public static let member = VocabularyGroups(rawValue: 1 << 8)
    /// Library functions of C-family code.
    public static let cFunction = VocabularyGroups(rawValue: 1 << 9)
    /// Library constants, types, objects and namespaces of C-family code.
    public static let cName = VocabularyGroups(rawValue: 1 << 10)
    /// Fortran intrinsic and library procedures.
    public static let fortranFunction = VocabularyGroups(rawValue: 1 << 11)
    /// Fortran library modules, constants and kinds.
    public static let fortranName = VocabularyGroups(rawValue: 1 << 12)
    /// Standard and HPC header names (`<stdio.h>`).
    public static let header = VocabularyGroups(rawValue: 1 << 13)
    /// Tokens of the original vocabulary that pipe never emits on their own.
    public static let legacy = VocabularyGroups(rawValue: 1 << 14)

    static let names: [(String, VocabularyGroups)] = [
        ("special", .special), ("number", .number), ("operator", .operator), ("keyword", .keyword),
        ("preprocessor", .preprocessor), ("head", .head), ("marker", .marker), ("word", .word), ("member", .member),
        ("c-function", .cFunction), ("c-name", .cName), ("fortran-function", .fortranFunction),
        ("fortran-name", .fortranName), ("header", .header), ("legacy", .legacy),
    ]
}

/// The versioned Tokompiler vocabulary: ids 1-1184 are the original Tokompiler's, later ids pipe's additions.
public final class Vocabulary: Sendable {
    /// The version from the file's first line (`# pipe Tokompiler vocabulary, version N`).
    public let version: Int
    /// Token text by id; index 0 is unused (ids start at 1, as in the original).
    public let tokens: [String]
    /// Groups by id.
    public let groups: [VocabularyGroups]
    /// SHA-256 of the vocabulary text, for metadata.
    public let sha256: String

    /// Case-sensitive lookup of every token.
    let exact: ByteKeyTable
    /// Fortran keywords, operators and sentinels, case-insensitive.
    let fortranFixed: ByteKeyTable
    /// Fortran library procedures and names, case-insensitive.
    let fortranLibrary: ByteKeyTable
    /// Fortran specifier words, case-insensitive.
    let fortranWords: ByteKeyTable
    /// Token bytes by id, for writing the text form without going through `String`.
    let tokenBytes: [UInt8]
    let tokenOffsets: [Int32]
    /// Vocabulary id of each placeholder id 0...1000.
    let numberIDs: [Int32]
    /// C-family token codes by vocabulary id (C and OpenCL; C++ and CUDA), so that one lookup of a keyword or
    /// operator gives both its id and what the classifier needs to know about it.
    let cCodes: [UInt8]
    let cPlusPlusCodes: [UInt8]

    /// Ids of the special and structural tokens.
    public let unknownID: Int
    /// `[NL]`: ends a line that the language needs.
    public let newlineID: Int
    /// `[ID2]` and `[ID3]`: a placeholder id of two or three base-1000 digits follows.
    public let extendedID2: Int
    /// See `extendedID2`.
    public let extendedID3: Int
    /// Vocabulary ids of the category heads, in `Category` order.
    let headIDs: [Int32]

    /// The largest id.
    public var maxID: Int { tokens.count - 1 }

    /// The vocabulary compiled into the binary (`Data/tokompiler/vocab.txt`).
    public static let standard: Vocabulary = {
        do {
            return try Vocabulary(text: VocabularyText.standard + "\n")
        } catch {
            // The embedded text is checked by the tests; a failure here is a build defect, not an input condition.
            preconditionFailure("the embedded Tokompiler vocabulary is invalid: \(error)")
        }
    }()

    /// Parses a vocabulary file: comment lines start with `#`, data lines are `id TAB token TAB groups`.
    public init(text: String) throws {
        var version: Int?
        var tokens = [""]
        var groups = [VocabularyGroups()]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if version == nil, let range = line.range(of: "version ") {
                    version = Int(line[range.upperBound...].prefix { $0.isNumber })
                }
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let id = Int(fields[0]), !fields[1].isEmpty else {
                throw PipeError("tokompiler.vocabulary", "line \(lineNumber): expected 'id<TAB>token<TAB>groups'")
            }
            guard id == tokens.count else {
                throw PipeError("tokompiler.vocabulary", "line \(lineNumber): id \(id) where \(tokens.count) was expected")
            }
            var set = VocabularyGroups()
            for name in fields[2].split(separator: ",") {
                guard let group = VocabularyGroups.names.first(where: { $0.0 == name })?.1 else {
                    throw PipeError("tokompiler.vocabulary", "line \(lineNumber): unknown group '\(name)'")
                }
                set.insert(group)
            }
            tokens.append(String(fields[1]))
            groups.append(set)
        }
        guard let version else { throw PipeError("tokompiler.vocabulary", "the first comment line must give the version") }
        self.version = version
        self.tokens = tokens
        self.groups = groups
        sha256 = StableHash.sha256Hex(text)

        var exact = ByteKeyTable.Builder(capacity: tokens.count)
        var fortranFixed = ByteKeyTable.Builder(capacity: 1024, foldsCase: true)
        var fortranLibrary = ByteKeyTable.Builder(capacity: 1024, foldsCase: true)
        var fortranWords = ByteKeyTable.Builder(capacity: 256, foldsCase: true)
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for id in tokens.indices {
            let utf8 = Array(tokens[id].utf8)
            bytes += utf8
            offsets.append(Int32(bytes.count))
            guard id > 0 else { continue }
            if exact.insert(utf8, value: Int32(id)) != Int32(id) {
                throw PipeError("tokompiler.vocabulary", "token '\(tokens[id])' appears twice")
            }
            let set = groups[id]
            let isLower = !utf8.contains { $0 &- 0x41 < 26 }
            let isUpper = !utf8.contains { $0 &- 0x61 < 26 }
            // Fortran is case-insensitive: the lowercase spelling of a keyword wins, and for library names that
            // differ only in case (MPI_Offset, MPI_OFFSET) the constant spelling, which Fortran code uses.
            if !set.isDisjoint(with: [.keyword, .operator, .preprocessor]) {
                fortranFixed.insert(utf8, value: Int32(id), replace: isLower)
            }
            if !set.isDisjoint(with: [.fortranFunction, .fortranName]) {
                fortranLibrary.insert(utf8, value: Int32(id), replace: isUpper)
            }
            if set.contains(.word) { fortranWords.insert(utf8, value: Int32(id), replace: isLower) }
        }
        let frozen = ByteKeyTable(exact)
        self.exact = frozen
        self.fortranFixed = ByteKeyTable(fortranFixed)
        self.fortranLibrary = ByteKeyTable(fortranLibrary)
        self.fortranWords = ByteKeyTable(fortranWords)
        // Sixteen spare bytes let the writer copy any short token with two eight-byte moves.
        tokenBytes = bytes + [UInt8](repeating: 0, count: 16)
        tokenOffsets = offsets

        func required(_ token: String) throws -> Int {
            guard let id = frozen.lookup(token) else {
                throw PipeError("tokompiler.vocabulary", "the vocabulary lacks the required token '\(token)'")
            }
            return Int(id)
        }
        var numbers: [Int32] = []
        for n in 0...1000 { numbers.append(Int32(try required(String(n)))) }
        numberIDs = numbers
        unknownID = try required("[UNK]")
        newlineID = try required("[NL]")
        extendedID2 = try required("[ID2]")
        extendedID3 = try required("[ID3]")
        headIDs = try Category.allCases.map { Int32(try required($0.head)) }
        cCodes = TokenCode.codesByID(tokens: tokens, groups: groups, cPlusPlus: false)
        cPlusPlusCodes = TokenCode.codesByID(tokens: tokens, groups: groups, cPlusPlus: true)
    }

    /// The id of a token, or nil when it is not in the vocabulary.
    public func id(of token: String) -> Int? { exact.lookup(token).map(Int.init) }

    /// The token of an id, or nil for an id outside 1...maxID.
    public func token(for id: Int) -> String? { id >= 1 && id < tokens.count ? tokens[id] : nil }

    /// Ids of whitespace-separated tokens; a token outside the vocabulary is `[UNK]`.
    public func encode(_ text: String) -> [Int] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .map { id(of: String($0)) ?? unknownID }
    }

    /// Token text of ids joined by single spaces; an id outside the vocabulary is written `[UNK]`.
    public func decode(_ ids: [Int]) -> String {
        ids.map { token(for: $0) ?? "[UNK]" }.joined(separator: " ")
    }
}
