/// A language the miner records, with the names used in `files.language`.
public enum SourceLanguage: String, Sendable, CaseIterable, Comparable {
    case c
    case cpp
    case cuda
    case fortran
    case opencl

    public static func < (lhs: SourceLanguage, rhs: SourceLanguage) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether the language is lexed as C-family source (C, C++, CUDA, OpenCL C).
    public var isCFamily: Bool { self != .fortran }
}

/// What a file name alone says about its language.
public enum ExtensionClass: Sendable, Equatable {
    /// The extension fixes the language.
    case language(SourceLanguage)
    /// `.h`: C or C++, decided by the content.
    case cOrCppHeader
    /// Not a source file the miner reads.
    case notSource
}

/// The extension map of the corpus.mine issue.
public enum LanguageMap {
    /// `.C` and `.H` are C++ before anything is lower-cased, as in BigCode's case-sensitive map.
    static let caseSensitive: [String: SourceLanguage] = ["C": .cpp, "H": .cpp]

    static let caseInsensitive: [String: SourceLanguage] = [
        "c": .c,
        "cc": .cpp, "cpp": .cpp, "cxx": .cpp, "hpp": .cpp, "hh": .cpp, "hxx": .cpp,
        "cu": .cuda, "cuh": .cuda,
        "cl": .opencl,
        "f": .fortran, "for": .fortran, "f77": .fortran, "f90": .fortran, "f95": .fortran, "f03": .fortran,
        "f08": .fortran,
    ]

    /// The extension of the last path component, without the dot; nil when there is none.
    public static func fileExtension(of path: String) -> Substring? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return name[name.index(after: dot)...]
    }

    /// Classifies a path by its extension.
    public static func classify(path: String) -> ExtensionClass {
        guard let ext = fileExtension(of: path), !ext.isEmpty else { return .notSource }
        if let language = caseSensitive[String(ext)] { return .language(language) }
        let lower = ext.lowercased()
        if lower == "h" { return .cOrCppHeader }
        if let language = caseInsensitive[lower] { return .language(language) }
        return .notSource
    }

    /// The language of a source file: the extension, or for `.h` the content's C++ evidence.
    public static func language(path: String, content: [UInt8]) -> SourceLanguage? {
        switch classify(path: path) {
        case .language(let language): return language
        case .cOrCppHeader: return HeaderLanguage.looksLikeCpp(content) ? .cpp : .c
        case .notSource: return nil
        }
    }
}
