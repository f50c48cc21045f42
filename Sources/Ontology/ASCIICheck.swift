import Foundation
import Readers
import StageKit

/// ASCII only: upstream's `make check` flags every character outside ASCII, suggesting a replacement for the
/// ones it knows. The whole text is scanned (keys, values and comments alike), so each character is reported
/// where it stands, with the field it belongs to.
enum ASCIICheck {
    /// One character outside ASCII, where it is and which value or key of the document holds it.
    struct Finding {
        var pointer: String
        var line: Int
        var column: Int
        var scalar: Unicode.Scalar
    }

    /// Every character outside ASCII in the file, in text order.
    static func scan(_ file: EntryFile) -> [Finding] {
        var findings: [Finding] = []
        // Most entries are all ASCII: the located values are sorted only when a character needs a field.
        var located: [YAMLLocatedPointer]?
        for (lineIndex, line) in file.lines.enumerated() where !line.utf8.allSatisfy({ $0 < 0x80 }) {
            for (columnIndex, scalar) in line.unicodeScalars.enumerated() where !scalar.isASCII {
                let sorted = located ?? file.document.locatedPointers()
                located = sorted
                let index = EntryFile.locatedIndex(in: sorted, line: lineIndex + 1, column: columnIndex + 1)
                let pointer = index.map { sorted[$0].pointer } ?? ""
                findings.append(Finding(pointer: pointer, line: lineIndex + 1, column: columnIndex + 1, scalar: scalar))
            }
        }
        return findings
    }

    /// The diagnostic for one finding, with the field relative to the entry at `base`.
    static func diagnostic(_ finding: Finding, base: String, file: EntryFile) -> OntologyDiagnostic {
        let field = String(finding.pointer.dropFirst(base.count))
        let code = "U+" + String(finding.scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        let name = finding.scalar.properties.name.map { " " + $0 } ?? ""
        let suggestion = replacement(for: finding.scalar).map { $0.isEmpty ? "remove it" : "write \(quoted($0))" }
            ?? "no specific ASCII replacement is known: rephrase"
        let shown = finding.scalar.properties.generalCategory == .control || finding.scalar.properties.isWhitespace
            ? "" : " '\(Character(finding.scalar))'"
        let place = field.isEmpty ? "" : " in '\(field.dropFirst())'"
        return OntologyDiagnostic("ontology.non_ascii", .error, field: field,
                                  "non-ASCII character\(shown) (\(code)\(name))\(place): \(suggestion)",
                                  at: file.shifted(SourceLocation(file: file.path, line: finding.line, column: finding.column)))
    }

    /// `"-"`, or `'"'` for text holding a double quote.
    static func quoted(_ text: String) -> String { text.contains("\"") ? "'\(text)'" : "\"\(text)\"" }

    /// Replacements for the characters upstream's checker knows (umlauts, dashes, quotes, symbols, Cyrillic
    /// look-alikes) and a few more; other letters lose their accents.
    static let known: [Unicode.Scalar: String] = [
        "\u{E4}": "ae", "\u{F6}": "oe", "\u{FC}": "ue", "\u{C4}": "Ae", "\u{D6}": "Oe", "\u{DC}": "Ue", "\u{DF}": "ss",
        "\u{2013}": "-", "\u{2014}": "--", "\u{2012}": "-", "\u{2010}": "-", "\u{2011}": "-", "\u{2212}": "-",
        "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201B}": "'", "\u{2032}": "'",
        "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{2033}": "\"", "\u{AB}": "\"", "\u{BB}": "\"",
        "\u{2026}": "...", "\u{A9}": "(c)", "\u{AE}": "(R)", "\u{2122}": "(TM)",
        "\u{A0}": " ", "\u{2009}": " ", "\u{202F}": " ", "\u{200B}": "", "\u{FEFF}": "", "\u{AD}": "",
        "\u{D7}": "x", "\u{B1}": "+/-", "\u{B0}": " degrees", "\u{B5}": "u", "\u{3BC}": "u",
        "\u{2264}": "<=", "\u{2265}": ">=", "\u{2260}": "!=", "\u{2248}": "~", "\u{2192}": "->", "\u{2190}": "<-",
        "\u{2022}": "*", "\u{B7}": "*", "\u{F8}": "o", "\u{D8}": "O", "\u{E6}": "ae", "\u{C6}": "AE", "\u{153}": "oe",
        "\u{430}": "a", "\u{435}": "e", "\u{43E}": "o", "\u{440}": "p", "\u{441}": "c", "\u{445}": "x", "\u{443}": "y",
        "\u{410}": "A", "\u{415}": "E", "\u{41E}": "O", "\u{420}": "P", "\u{421}": "C", "\u{425}": "X",
    ]

    /// The ASCII to write instead of `scalar`; "" means drop it; nil when nothing fits.
    static func replacement(for scalar: Unicode.Scalar) -> String? {
        if let text = known[scalar] { return text }
        // Accented letters: the base letter of the canonical decomposition, when it is ASCII.
        let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
        if let base = decomposed.first, base.isASCII, decomposed.dropFirst().allSatisfy({ !$0.isASCII }) {
            return String(Character(base))
        }
        return nil
    }
}

extension String {
    /// The text with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
