import Foundation

/// `a` or `an` before a word or number, by its sound (`an eighth`, `an 80-page`, `a 100`).
enum Article {
    static func indefinite(before text: String) -> String { startsWithVowelSound(text) ? "an" : "a" }

    static func startsWithVowelSound(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let first = lower.first else { return false }
        if first.isNumber {
            if first == "8" { return true }
            let digits = lower.prefix { $0.isNumber || $0 == "," }.filter(\.isNumber)
            // 11 and 18 (and 11,000 or 18,000) are said with a vowel.
            return (lower.hasPrefix("11") || lower.hasPrefix("18")) && digits.count % 3 == 2
        }
        if lower.hasPrefix("one") || lower.hasPrefix("uni") || lower.hasPrefix("eu") { return false }
        return "aeiou".contains(first)
    }

    /// Changes a trailing `a ` / `an ` of `text` to agree with what follows.
    static func agree(_ text: inout String, with next: String) {
        for (article, other) in [("a ", "an "), ("an ", "a "), ("A ", "An "), ("An ", "A ")] where text.hasSuffix(article) {
            let start = text.index(text.endIndex, offsetBy: -article.count)
            if start != text.startIndex, let before = text[..<start].last, before.isLetter { return }
            let wantsAn = startsWithVowelSound(next)
            let isAn = article.lowercased() == "an "
            if wantsAn != isAn { text.replaceSubrange(start..., with: other) }
            return
        }
    }
}

/// Writes a new value of a quantity the way the original was written: digits with the same separators and
/// decimals, number words, `twice`/`three times`, `a third`/`two-thirds`, `a dozen`/`two dozen`, `3rd`/`third`.
enum ValueWriter {
    static func write(_ value: PyValue, like quantity: Quantity) -> String {
        let number = value.doubleValue ?? 0
        let integer = Int64(number.rounded())
        let capitalized = quantity.text.first?.isUppercase ?? false
        let text: String
        switch quantity.style {
        case .digits(let separators, let decimals, let leadingZero):
            text = digits(number, decimals: decimals, separators: separators, leadingZero: leadingZero)
        case .fractionDigits:
            let (p, q) = fraction(of: number)
            text = "\(p)/\(q)"
        case .fractionWords(let article, let joiner):
            let (p, q) = fraction(of: number)
            text = fractionWords(p, q, article: article, joiner: joiner)
        case .numberWords:
            text = NumberWords.words(integer)
        case .dozen:
            text = integer == 12 ? "a dozen" : NumberWords.words(integer / 12) + " dozen"
        case .multiplierWords(let verb):
            if verb {
                let stems: [Int64: String] = [2: "double", 3: "triple", 4: "quadruple"]
                let stem = stems[integer] ?? "\(NumberWords.words(integer))-fold"
                let original = quantity.text.lowercased()
                text = original.hasSuffix("d") ? stem + "d" : (original.hasSuffix("s") ? stem + "s" : stem)
            } else {
                text = integer == 2 ? "twice" : (integer == 3 && quantity.text.lowercased() == "thrice" ? "thrice" : NumberWords.words(integer) + " times")
            }
        case .ordinalDigits:
            text = NumberWords.ordinalDigits(integer)
        case .ordinalWords:
            text = NumberWords.ordinalWord(integer)
        }
        guard capitalized, let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// `number` with `decimals` places, thousands separators when the original had them.
    static func digits(_ number: Double, decimals: Int, separators: Bool, leadingZero: Bool) -> String {
        var text = String(format: "%.\(decimals)f", number)
        if separators {
            let negative = text.hasPrefix("-")
            if negative { text.removeFirst() }
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            var whole = parts[0]
            var grouped = ""
            while whole.count > 3 {
                grouped = "," + whole.suffix(3) + grouped
                whole = String(whole.dropLast(3))
            }
            text = (negative ? "-" : "") + whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
        }
        if !leadingZero, text.hasPrefix("0.") { text.removeFirst() }
        return text
    }

    /// The simplest p/q (q up to 100) equal to a fraction value the sampler drew.
    static func fraction(of value: Double) -> (Int64, Int64) {
        for q in Int64(1)...100 {
            let p = (value * Double(q)).rounded()
            if Double(Int64(p)) / Double(q) == value { return (Int64(p), q) }
        }
        return (Int64((value * 100).rounded()), 100)
    }

    private static func fractionWords(_ p: Int64, _ q: Int64, article: String, joiner: String) -> String {
        let plural = p > 1
        let denominator = NumberWords.denominatorWord(q, plural: plural)
        switch joiner {
        case "-": return NumberWords.words(p) + "-" + denominator
        case " ":
            guard p == 1 else { return NumberWords.words(p) + " " + denominator }
            let head = article.isEmpty || article == "a" || article == "an" ? Article.indefinite(before: denominator) : article
            return head + " " + denominator
        default:
            if p == 1 && q == 2 { return "half" }
            return (p == 1 ? Article.indefinite(before: denominator) : NumberWords.words(p)) + " " + denominator
        }
    }
}
