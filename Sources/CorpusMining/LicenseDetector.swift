/// Finds a file's license: an SPDX tag in its header, or the repository's license file.
public enum LicenseDetector {
    /// Only the header is searched: a tag further down is more likely quoted text than the file's own.
    public static let headerLines = 64

    static let tag = Array("SPDX-License-Identifier:".utf8)

    /// The SPDX expression of an `SPDX-License-Identifier:` tag in the first `headerLines` lines, with
    /// comment closers and surrounding blanks removed; nil when there is no well-formed tag.
    public static func spdxTag(in content: [UInt8]) -> String? {
        var line = 0
        var index = 0
        let count = content.count
        while index < count, line < headerLines {
            if content[index] == UInt8(ascii: "\n") {
                line += 1
            } else if content[index] == UInt8(ascii: "S"), index + tag.count <= count,
                content[index..<(index + tag.count)].elementsEqual(tag)
            {
                var end = index + tag.count
                while end < count, content[end] != UInt8(ascii: "\n"), content[end] != UInt8(ascii: "\r") { end += 1 }
                return cleanExpression(String(decoding: content[(index + tag.count)..<end], as: UTF8.self))
            }
            index += 1
        }
        return nil
    }

    /// An SPDX license expression is ids, `WITH`, `AND`, `OR` and parentheses; anything else ends it.
    static func cleanExpression(_ raw: String) -> String? {
        var text = Substring(raw)
        for closer in ["*/", "-->", "\"", "'"] {
            if let range = text.range(of: closer) { text = text[..<range.lowerBound] }
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+():")
        var kept: [Substring] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard word.allSatisfy({ allowed.contains($0) }) else { break }
            kept.append(word)
        }
        let expression = kept.joined(separator: " ")
        guard !expression.isEmpty, expression.count <= 200 else { return nil }
        return expression
    }

    /// Whether a repository path names a top-level license file (`LICENSE`, `COPYING.txt`, ...).
    public static func isLicenseFile(pathInRepo path: String) -> Bool {
        guard !path.contains("/") else { return false }
        var name = path.lowercased()
        for suffix in [".txt", ".md", ".rst"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return ["license", "licence", "copying", "copying.lesser", "copying.lib", "license-mit", "license.mit"]
            .contains(name)
    }

    /// One row of the license table: an SPDX id and the phrases (normalized) that must all appear.
    public struct KnownLicense: Sendable {
        public var spdx: String
        public var phrases: [String]
    }

    /// The documented table, checked in order: the first row whose phrases all appear wins. Lesser GPL
    /// comes before GPL because its text names the GPL; BSD-3-Clause before BSD-2-Clause because its text
    /// contains every BSD-2-Clause phrase. The GPL family uses the SPDX ids without `-only`/`-or-later`
    /// because the license text alone does not say which was meant (the per-file notice does).
    public static let table: [KnownLicense] = [
        KnownLicense(spdx: "LGPL-3.0", phrases: ["gnu lesser general public license", "version 3"]),
        KnownLicense(spdx: "LGPL-2.1", phrases: ["gnu lesser general public license", "version 2.1"]),
        KnownLicense(spdx: "LGPL-2.0", phrases: ["gnu library general public license", "version 2"]),
        KnownLicense(spdx: "GPL-3.0", phrases: ["gnu general public license", "version 3"]),
        KnownLicense(spdx: "GPL-2.0", phrases: ["gnu general public license", "version 2"]),
        KnownLicense(spdx: "Apache-2.0", phrases: ["apache license", "version 2.0"]),
        KnownLicense(spdx: "MPL-2.0", phrases: ["mozilla public license", "2.0"]),
        KnownLicense(spdx: "BSL-1.0", phrases: ["boost software license", "version 1.0"]),
        KnownLicense(spdx: "MIT", phrases: [
            "permission is hereby granted free of charge to any person obtaining a copy",
            "the above copyright notice and this permission notice shall be included",
        ]),
        KnownLicense(spdx: "BSD-3-Clause", phrases: [
            "redistribution and use in source and binary forms with or without modification are permitted",
            "may be used to endorse or promote products derived from this software",
        ]),
        KnownLicense(spdx: "BSD-2-Clause", phrases: [
            "redistribution and use in source and binary forms with or without modification are permitted",
            "redistributions of source code must retain the above copyright notice",
        ]),
    ]

    /// The SPDX id of a license file's text, or nil when no table row matches. BSD texts with an
    /// advertising clause (4-clause) are not in the table and give nil.
    public static func matchLicenseText(_ content: [UInt8]) -> String? {
        let text = normalize(content.prefix(64 << 10))
        if text.contains("all advertising materials mentioning") { return nil }
        for license in table where license.phrases.allSatisfy({ text.contains($0) }) { return license.spdx }
        return nil
    }

    /// Lower-case words separated by single spaces: punctuation, comment markers and line breaks
    /// differ between copies of the same license.
    static func normalize(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            let keep = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) || lower == UInt8(ascii: ".")
                || lower >= 0x80
            if keep {
                if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(lower)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
