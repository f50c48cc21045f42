/// Suggestions for values that are almost right: a misspelt key, taxonomy value or rubric criterion.
enum DidYouMean {
    /// The known value closest to `value` when it is close enough to be a slip: equal ignoring case and
    /// punctuation, or within an edit distance of about a third of its length.
    /// With `prefixes`, for names such as keys, a long shared start counts too (`licence` → `licensing`).
    static func suggestion(for value: String, among known: [String], prefixes: Bool = false) -> String? {
        let folded = fold(value)
        if let same = known.first(where: { fold($0) == folded }) { return same }
        if prefixes {
            let shared = known.map { ($0, zip(fold($0), folded).prefix { $0 == $1 }.count) }
                .filter { candidate, count in count >= max(4, (min(folded.count, fold(candidate).count) * 3 + 4) / 5) }
                .max { $0.1 < $1.1 }
            if let (candidate, _) = shared { return candidate }
        }
        var best: (String, Int)?
        for candidate in known {
            let distance = editDistance(folded, fold(candidate))
            if best == nil || distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        return distance <= max(2, min(folded.count, fold(candidate).count) / 3) ? candidate : nil
    }

    /// " (did you mean 'x'?)" or "".
    static func phrase(for value: String, among known: [String], prefixes: Bool = false) -> String {
        suggestion(for: value, among: known, prefixes: prefixes).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Lower-case letters and digits only: `Biology and medicine` and `biology & Medicine` fold alike but for "and".
    static func fold(_ text: String) -> [Character] {
        Array(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
