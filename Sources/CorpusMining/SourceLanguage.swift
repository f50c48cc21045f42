import CodeLexers

/// What a file name alone says about whether and how the miner reads it.
public enum ExtensionClass: Sendable, Equatable {
    /// The extension fixes the language.
    case language(Language)
    /// `.h`: C or C++, decided by the content.
    case cOrCppHeader
    /// Not a source file the miner reads.
    case notSource
}

/// The extension map of the corpus.mine issue, on top of the lexers' `Language`.
public enum LanguageMap {
    /// The extension of the last path component, without the dot; nil when there is none.
    public static func fileExtension(of path: String) -> Substring? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return name[name.index(after: dot)...]
    }

    /// Classifies a path by its extension: `.C` and `.H` are C++, other extensions match case-insensitively.
    public static func classify(path: String) -> ExtensionClass {
        guard let ext = fileExtension(of: path), !ext.isEmpty else { return .notSource }
        if let language = Language.forExtension(ext) { return .language(language) }
        return ext.lowercased() == "h" ? .cOrCppHeader : .notSource
    }

    /// The language of a source file: the extension, or for `.h` the content's C++ evidence.
    public static func language(path: String, content: [UInt8]) -> Language? {
        switch classify(path: path) {
        case .language(let language): return language
        case .cOrCppHeader: return Language.headerLooksLikeCPlusPlus(content) ? .cpp : .c
        case .notSource: return nil
        }
    }

    /// The Fortran source form: the extension's convention unless the content clearly shows the other.
    public static func fortranForm(path: String, content: [UInt8]) -> FortranForm {
        FortranForm.detect(pathExtension: fileExtension(of: path) ?? "", content: content)
    }
}
