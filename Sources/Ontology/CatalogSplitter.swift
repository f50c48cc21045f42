/// Cuts a catalogue (a YAML block list at column 0, as upstream writes it) into its entries' texts, so each entry
/// is parsed on its own: memory follows the largest entry rather than the catalogue, YAML's per-document caps
/// apply per entry, and an entry that does not parse leaves the others checked.
enum CatalogSplitter {
    /// One entry's text and the line of the file it starts on.
    struct Chunk {
        var firstLine: Int
        var text: String
    }

    /// The entries of `text`; nil when it is not a plain block list (flow style, document markers, a mapping),
    /// which is then read as one document.
    static func entries(in text: String) -> [Chunk]? {
        var chunks: [Chunk] = []
        var current: [Substring] = []
        var start = 1
        for (index, line) in EntryFile.lines(of: text).enumerated() {
            if line.hasPrefix("- ") || line == "-" || line == "-\r" {
                if chunks.isEmpty, current.allSatisfy(isQuiet) {
                    // Comments before the first entry stay with it, so their characters are checked too.
                } else if !current.isEmpty {
                    chunks.append(Chunk(firstLine: start, text: current.joined(separator: "\n")))
                    current = []
                    start = index + 1
                }
                current.append(line)
            } else if line.isEmpty || line.first == " " || line.first == "#" || line == "\r" {
                current.append(line)
            } else {
                return nil
            }
        }
        guard current.contains(where: { !isQuiet($0) }) else { return chunks.isEmpty ? nil : chunks }
        chunks.append(Chunk(firstLine: start, text: current.joined(separator: "\n")))
        return chunks
    }

    /// A blank line or a comment.
    private static func isQuiet(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\r" } || line.drop { $0 == " " }.first == "#"
    }
}
