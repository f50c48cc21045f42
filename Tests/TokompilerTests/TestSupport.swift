import CodeLexers
import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// Helpers shared by the Tokompiler tests.
enum Support {
    /// The repository root, from this file's path.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func lexerLanguage(_ language: TokenizerLanguage) -> CodeLexers.Language {
        CodeLexers.Language(rawValue: language.rawValue) ?? .c
    }

    /// The significant tokens of source code as a compiler sees them: no comments, whitespace or continuation
    /// marks, directive lines split into their words; Fortran case folded outside literals, directive sentinels
    /// written `!$omp` whatever the form, and only the first sentinel of a continued directive kept.
    static func significantTokens(_ bytes: [UInt8], language: TokenizerLanguage, fixed: Bool) -> [String] {
        let lexer = Lexer(lexerLanguage(language), fortranForm: fixed ? .fixed : .free)
        let fortran = language == .fortran
        var out: [String] = []
        func normalized(_ token: Token) -> String {
            let text = token.text(in: bytes)
            guard fortran else { return text }
            switch token.kind {
            case .string, .character: return text
            case .directiveIntroducer:
                var lower = Array(text.lowercased().utf8)
                if lower.count >= 2 && (lower[0] == UInt8(ascii: "c") || lower[0] == UInt8(ascii: "*")) && lower[1] == UInt8(ascii: "$") {
                    lower[0] = UInt8(ascii: "!")
                }
                return String(decoding: lower, as: UTF8.self)
            default: return text.lowercased()
            }
        }
        for token in lexer.tokenize(bytes) {
            switch token.kind {
            case .whitespace, .newline, .comment, .continuation:
                continue
            case .directive:
                var sawIntroducer = false
                for word in lexer.directiveBody(of: token, in: bytes) {
                    switch word.kind {
                    case .whitespace, .newline, .comment, .continuation: continue
                    case .directiveIntroducer:
                        if sawIntroducer { continue }
                        sawIntroducer = true
                        out.append(normalized(word))
                    default:
                        out.append(normalized(word))
                    }
                }
            default:
                out.append(normalized(token))
            }
        }
        return out
    }

    /// Tokenizes and restores; returns the first difference between the token sequences, or nil.
    static func roundTripDifference(_ bytes: [UInt8], language: TokenizerLanguage, fixed: Bool,
                                    options: TokenizerOptions = TokenizerOptions()) throws -> String? {
        let document = Tokenizer(options: options).tokenize(SourceInput(bytes: bytes, language: language, fortranFixedForm: fixed))
        let restored = try Restorer(language: language, fortranFixedForm: fixed).restore(document)
        let before = significantTokens(bytes, language: language, fixed: fixed)
        let after = significantTokens(Array(restored.utf8), language: language, fixed: fixed)
        if before == after { return nil }
        let index = (0..<min(before.count, after.count)).first { before[$0] != after[$0] } ?? min(before.count, after.count)
        let context = { (list: [String]) in list[max(0, index - 6)..<min(list.count, index + 6)].joined(separator: " ") }
        return "token \(index) of \(before.count)/\(after.count): original …\(context(before))… restored …\(context(after))…"
    }

    /// Source files under a folder with the language and form pipe gives them.
    static func sourceFiles(under folder: URL) -> [(url: URL, language: TokenizerLanguage, fixed: Bool)] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var result: [(URL, TokenizerLanguage, Bool)] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let bytes = Array(data)
            guard let language = TokenizeFiles.language(path: url.path, bytes: bytes),
                  String(validating: bytes, as: UTF8.self) != nil else { continue }
            let fixed = language == .fortran && TokenizeFiles.fortranFixedForm(path: url.path, bytes: bytes)
            result.append((url, language, fixed))
        }
        return result.sorted { $0.0.path < $1.0.path }
    }
}
