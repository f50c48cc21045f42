/// Names each quantity from the words around it, InfinityMATH style: a prefix for its kind and the first words
/// after it that say what it counts (`num_clips_april`, `dollars_hour`, `percent_discount`), else the words before it.
enum VariableNamer {
    private static let qualifiers: Set<String> = ["in", "on", "per", "each", "every", "for", "a", "an", "at", "by"]

    static func prefix(_ kind: QuantityKind) -> String {
        switch kind {
        case .integer, .decimal, .numberWord: return "num"
        case .money: return "dollars"
        case .percent: return "percent"
        case .fraction: return "fraction"
        case .multiplier: return "times"
        case .ordinal: return "every_nth"
        }
    }

    static func name(_ quantities: [Quantity], in scalars: [Unicode.Scalar]) -> [Quantity] {
        let tokens = QuestionTokenizer.tokens(scalars)
        var taken: Set<String> = []
        var named = quantities
        for index in named.indices {
            let span = named[index].span
            // The words of the clause after the quantity, and before it.
            var after: [String] = []
            var position = tokens.firstIndex { $0.span.lowerBound >= span.upperBound } ?? tokens.count
            while position < tokens.count, !tokens[position].endsClause, after.count < 8 {
                if let word = tokens[position].word { after.append(word) } else if tokens[position].number != nil { break }
                position += 1
            }
            var before: [String] = []
            position = (tokens.lastIndex { $0.span.upperBound <= span.lowerBound } ?? -1)
            while position >= 0, !tokens[position].endsClause, before.count < 6 {
                if let word = tokens[position].word { before.insert(word, at: 0) }
                position -= 1
            }
            var parts = Array(ContextWords.content(after).prefix(1))
            if !parts.isEmpty, let head = after.firstIndex(where: { ContextWords.content([$0]).first == parts[0] }) {
                // A qualifier such as "in April" or "an hour" right after the head word.
                let rest = after[(head + 1)...]
                if let preposition = rest.first, qualifiers.contains(preposition), let qualifier = ContextWords.content(Array(rest.dropFirst().prefix(1))).first {
                    parts.append(qualifier)
                }
            }
            if parts.isEmpty { parts = Array(ContextWords.content(before).suffix(2)) }
            let base = ([prefix(named[index].kind)] + parts).joined(separator: "_")
            named[index].name = ContextWords.unique(base, taken: &taken)
        }
        return named
    }
}
