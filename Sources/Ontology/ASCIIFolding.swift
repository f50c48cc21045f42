/// Text made ASCII for an entry, with the replacements the ASCII check suggests: entries pipe writes from data it
/// did not write (a dataset's description, a creator's name) must pass the check they would otherwise fail.
public enum ASCIIFolding {
    /// `text` with every character outside ASCII replaced (accents dropped, dashes and quotes made plain); a
    /// character with no known replacement becomes `?`.
    public static func fold(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                out += ASCIICheck.replacement(for: scalar) ?? "?"
            }
        }
        return out
    }

    /// Whether folding changes `text`.
    public static func needsFolding(_ text: String) -> Bool { !text.unicodeScalars.allSatisfy(\.isASCII) }
}
