import Foundation

/// URLs as entries hold them: the http(s) URLs upstream fetches, and the `file://` URL pipe gives a dataset that
/// is not published yet (a warning, `ontology.url_local`: upstream cannot fetch it).
public enum EntryURL {
    /// Whether `text` is an absolute http(s) URL with a host, as the validator requires of a published entry.
    public static func isWeb(_ text: String) -> Bool { URLSyntax.problem(in: text) == nil }

    /// The `file://` URL of an absolute path, every byte outside the unreserved set and `/` percent-encoded so that
    /// the URL holds only ASCII and no spaces; nil for a relative path.
    public static func file(path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        var out = "file://"
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~/".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Why a `file://` URL is not one pipe writes (an absolute path, percent-encoded), or nil when it is one.
    static func fileProblem(in text: String) -> String? {
        guard text.lowercased().hasPrefix("file:///") else { return "is \"\(text)\": a file URL is file:///absolute/path" }
        let rest = text.unicodeScalars.dropFirst("file://".count)
        if let bad = rest.first(where: { !$0.isASCII || $0.value <= 0x20 || $0.value == 0x7F || "\"<>\\`".unicodeScalars.contains($0) }) {
            let what = bad == " " ? "a space" : "the character U+\(String(bad.value, radix: 16, uppercase: true))"
            return "\"\(text)\" contains \(what): encode it (%20 for a space)"
        }
        return nil
    }

    /// Whether `text` is meant as a file URL (its scheme is `file:`).
    static func isFileScheme(_ text: String) -> Bool { text.lowercased().hasPrefix("file:") }
}
