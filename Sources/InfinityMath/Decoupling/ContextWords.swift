import Foundation

/// Turns the words around a number into parts of a Python identifier (`clips`, `april`).
enum ContextWords {
    /// Words that say nothing about what a number counts.
    static let stopwords: Set<String> = [
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "and", "or", "but", "is", "are", "was", "were", "be",
        "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "might",
        "must", "shall", "different", "new", "old", "extra", "additional", "whole", "entire", "several", "few", "equal", "separate", "certain", "exactly", "only", "another", "it", "its", "he", "she", "they", "them", "his", "her", "their", "him", "we", "our", "you", "your",
        "i", "my", "me", "this", "that", "these", "those", "there", "here", "as", "than", "then", "so", "if", "when", "how",
        "what", "which", "who", "whom", "whose", "many", "much", "more", "less", "fewer", "most", "least", "each", "every",
        "per", "all", "some", "any", "no", "not", "only", "just", "also", "very", "too", "again", "about", "into", "from",
        "by", "up", "down", "out", "over", "under", "after", "before", "while", "during", "until", "since", "between",
        "through", "both", "either", "neither", "such", "own", "same", "other", "another", "now", "still", "yet", "times",
        "percent", "dollars", "dollar", "cents", "cent", "bucks", "dozen", "dozens", "half", "twice", "thrice", "double",
        "triple", "s", "t", "it's", "he's", "she's", "they're", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "hundred", "thousand", "total", "altogether", "amount", "number", "respectively", "instead",
        "are", "am", "pm", "got", "get", "gets",
    ]

    /// Words that name what a number refers to, in order: lowercased ASCII, apostrophes and hyphens dropped.
    static func content(_ words: [String]) -> [String] {
        words.compactMap { word in
            let cleaned = word.replacingOccurrences(of: "'s", with: "").replacingOccurrences(of: "’s", with: "")
            let ascii = String(cleaned.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map(Character.init))
            guard ascii.count > 1, !stopwords.contains(ascii), !stopwords.contains(word) else { return nil }
            return String(ascii.prefix(14))
        }
    }

    /// Python's keywords and the names the programs use for themselves; no variable may take one.
    static let reserved: Set<String> = PyParser.keywordNames.union([
        "math", "round", "abs", "min", "max", "sum", "int", "float", "range", "len", "solution", "answer", "print",
        "list", "dict", "set", "str", "type", "id", "input", "open", "pow", "divmod", "bool", "object",
    ])

    /// `base`, or `base_2`, `base_3`, ... whichever is free; records the choice in `taken`.
    static func unique(_ base: String, taken: inout Set<String>) -> String {
        var name = base.isEmpty ? "value" : base
        if let first = name.unicodeScalars.first, first.properties.numericType != nil { name = "n_" + name }
        if reserved.contains(name) { name += "_value" }
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

extension PyParser {
    /// Python's keywords.
    static var keywordNames: Set<String> { keywords }
}
