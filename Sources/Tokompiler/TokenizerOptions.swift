/// How placeholder ids are chosen.
public enum IDMode: Sendable, Hashable {
    /// 0, 1, 2, ... per category, in order of first occurrence.
    case sequential
    /// Distinct ids drawn uniformly from 0...1000 per category (as the original draws them), by a generator
    /// seeded from the seed and the SHA-256 of the input, so that the same input and seed give the same ids.
    case random(seed: UInt64)
}

/// Where placeholder numbering starts again.
public enum IDScope: String, Sendable, Hashable, CaseIterable, Decodable {
    /// One numbering (and one map) per file, as the original.
    case file
    /// One numbering and one map per function definition, plus one for the code outside functions.
    case function
}

/// The switches of the tokenizer.
public struct TokenizerOptions: Sendable, Hashable {
    /// Whether library functions, constants and types (`printf`, `MPI_Send`, `threadIdx`) become placeholders as
    /// in the original; by default they are kept as themselves, since they carry the HPC meaning of the code.
    public var anonymizeLibraryCalls: Bool
    /// Sequential or seeded random ids.
    public var ids: IDMode
    /// Per file or per function numbering.
    public var scope: IDScope

    /// Creates options; the defaults keep library names, number sequentially, per file.
    public init(anonymizeLibraryCalls: Bool = false, ids: IDMode = .sequential, scope: IDScope = .file) {
        self.anonymizeLibraryCalls = anonymizeLibraryCalls
        self.ids = ids
        self.scope = scope
    }
}

/// One source file to tokenize.
public struct SourceInput: Sendable {
    /// The UTF-8 bytes of the file.
    public var bytes: [UInt8]
    /// Its language.
    public var language: TokenizerLanguage
    /// The Fortran source form (ignored for other languages).
    public var fortranFixedForm: Bool

    /// Creates an input.
    public init(bytes: [UInt8], language: TokenizerLanguage, fortranFixedForm: Bool = false) {
        self.bytes = bytes
        self.language = language
        self.fortranFixedForm = fortranFixedForm
    }
}

/// The languages the tokenizer reads (the names corpus.mine records use).
public enum TokenizerLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    /// C.
    case c
    /// C++.
    case cpp
    /// CUDA C++.
    case cuda
    /// OpenCL C (lexed as C with its qualifiers and vector types).
    case opencl
    /// Fortran, free or fixed form.
    case fortran

    /// Whether the language is lexed by the C-family lexer.
    var isCFamily: Bool { self != .fortran }
    /// Whether C++ syntax (templates, `::`, classes) is expected.
    var isCPlusPlus: Bool { self == .cpp || self == .cuda }
}
