/// Finds the quantities of a question: digits (with separators, decimals, `$`, `%`, `p/q`, ordinal suffixes),
/// number words, `twice`/`double`, `half`/`a third`/`two-thirds`, `a dozen`, and ordinals after `every`.
/// Names come afterwards (`VariableNamer`).
enum QuantityScanner {
    /// Units written right after the digits (`22kg`, `80cm`): the number is still a quantity.
    private static let unitSuffixes: Set<String> = [
        "kg", "g", "mg", "lb", "lbs", "oz", "cm", "mm", "m", "km", "ft", "in", "mi", "ml", "l", "min", "mins", "h", "hr", "hrs",
        "s", "sec", "mph", "k", "gb", "mb",
    ]
    private static let moneyWords: Set<String> = ["dollars", "dollar", "bucks", "cents", "cent"]
    private static let determiners: Set<String> = [
        "the", "that", "what", "his", "her", "their", "its", "my", "your", "our", "this", "these", "those", "as", "a", "an",
    ]
    private static let fractionFollowers: Set<String> = determiners.union(["of", "more", "less", "fewer", "off"])

    static func scan(_ scalars: [Unicode.Scalar]) -> [Quantity] {
        let tokens = QuestionTokenizer.tokens(scalars)
        var quantities: [Quantity] = []
        var index = 0
        func text(_ span: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[span])) }
        func word(_ at: Int) -> String? { at >= 0 && at < tokens.count ? tokens[at].word : nil }
        func isSentenceStart(_ at: Int) -> Bool {
            guard at > 0 else { return true }
            if case .punctuation(let scalar) = tokens[at - 1].kind { return ".?!".unicodeScalars.contains(scalar) }
            return false
        }
        func add(_ kind: QuantityKind, _ value: PyValue, _ span: Range<Int>, _ style: SurfaceStyle,
                 fraction: (Int64, Int64)? = nil, mayVary: Bool = true) {
            let fixedValue = value == .int(0) || value == .int(1)
            quantities.append(Quantity(name: "", value: value, kind: kind, span: span, text: text(span), style: style,
                                       fraction: fraction, mayVary: mayVary && !fixedValue))
        }
        while index < tokens.count {
            let token = tokens[index]
            if let number = token.number {
                index += 1
                if number.gluedToWord { continue }
                // A clock time (3:30) or a number glued to letters that are not an ordinal suffix (3D, 10am).
                let isClock = (index < tokens.count && tokens[index].kind == .punctuation(":")
                               && tokens[index].span.lowerBound == token.span.upperBound
                               && index + 1 < tokens.count && tokens[index + 1].number != nil)
                    || (index >= 2 && tokens[index - 2].kind == .punctuation(":")
                        && tokens[index - 2].span.upperBound == token.span.lowerBound)
                let ordinalSuffix = ["st", "nd", "rd", "th"].contains(number.suffix) && number.decimals == 0
                    && number.fraction == nil
                if !number.suffix.isEmpty && !ordinalSuffix {
                    if ["am", "pm"].contains(number.suffix) {
                        add(.integer, number.value, number.digitsSpan, digitsStyle(number), mayVary: false)
                    } else if unitSuffixes.contains(number.suffix) {
                        add(number.decimals > 0 ? .decimal : .integer, number.value, number.digitsSpan, digitsStyle(number))
                    }
                    continue
                }
                if ordinalSuffix {
                    add(.ordinal, number.value, token.span, .ordinalDigits)
                    continue
                }
                if let fraction = number.fraction {
                    add(.fraction, number.value, number.digitsSpan, .fractionDigits, fraction: fraction)
                    continue
                }
                // `2 and a half`: one quantity, kept as written.
                if word(index) == "and", word(index + 1) == "a", word(index + 2) == "half", let whole = number.value.doubleValue {
                    add(.decimal, .float(whole + 0.5), token.span.lowerBound..<tokens[index + 2].span.upperBound,
                        digitsStyle(number), mayVary: false)
                    index += 3
                    continue
                }
                let isPercent = number.percentSign || word(index) == "percent"
                let isMoney = number.dollarSign || moneyWords.contains(word(index) ?? "")
                let isYear = number.decimals == 0 && !number.separators && number.text.count == 4
                    && (1800...2100).contains(Int(number.text) ?? 0)
                    && ["in", "since", "of", "by", "until", "year", "from", "to", "between", "and"].contains(word(index - 2) ?? "")
                let kind: QuantityKind = isPercent ? .percent : (isMoney ? .money : (number.decimals > 0 ? .decimal : .integer))
                add(kind, number.value, number.digitsSpan, digitsStyle(number), mayVary: !isClock && !isYear)
                continue
            }
            guard let lower = token.word else {
                index += 1
                continue
            }
            let capitalized = text(token.span).first?.isUppercase ?? false
            let next = word(index + 1)
            // Multipliers.
            if lower == "twice" || lower == "thrice" {
                add(.multiplier, .int(lower == "twice" ? 2 : 3), token.span, .multiplierWords(verb: false))
                index += 1
                continue
            }
            let verbs: [String: Int64] = ["double": 2, "triple": 3, "quadruple": 4, "doubled": 2, "tripled": 3,
                                          "quadrupled": 4, "doubles": 2, "triples": 3, "quadruples": 4]
            if let factor = verbs[lower], !lower.hasSuffix("e") || determiners.contains(next ?? "") || next == "in" {
                add(.multiplier, .int(factor), token.span, .multiplierWords(verb: true))
                index += 1
                continue
            }
            // `a dozen`.
            if (lower == "a" || lower == "one") && next == "dozen" {
                add(.numberWord, .int(12), token.span.lowerBound..<tokens[index + 1].span.upperBound, .dozen(capitalized: capitalized))
                index += 2
                continue
            }
            // Fractions in words: `half`, `a third of`, `one-third`, `two-thirds`, `three quarters`.
            if lower == "half", !(word(index - 1) == "a" && word(index - 2) == "and") {
                add(.fraction, .float(0.5), token.span, .fractionWords(article: "", joiner: ""), fraction: (1, 2))
                index += 1
                continue
            }
            if let (p, q) = compoundFraction(lower) {
                add(.fraction, .float(Double(p) / Double(q)), token.span, .fractionWords(article: "", joiner: "-"), fraction: (p, q))
                index += 1
                continue
            }
            if ["a", "one"].contains(lower), let next, next != "half", let q = NumberWords.denominators[next], !next.hasSuffix("s"),
               q > 2, word(index + 2).map({ fractionFollowers.contains($0) }) ?? true {
                add(.fraction, .float(1 / Double(q)), token.span.lowerBound..<tokens[index + 1].span.upperBound,
                    .fractionWords(article: lower, joiner: " "), fraction: (1, q))
                index += 2
                continue
            }
            if let p = NumberWords.units[lower], (2...9).contains(p), let next, next.hasSuffix("s"), let q = NumberWords.denominators[next],
               p < q, next != "halves" {
                add(.fraction, .float(Double(p) / Double(q)), token.span.lowerBound..<tokens[index + 1].span.upperBound,
                    .fractionWords(article: "", joiner: " "), fraction: (p, q))
                index += 2
                continue
            }
            // Ordinals that count: `every third day`.
            if let n = NumberWords.ordinals[lower], ["every", "each"].contains(word(index - 1) ?? "") {
                add(.ordinal, .int(n), token.span, .ordinalWords)
                index += 1
                continue
            }
            // Number words, with scales: `twenty-five`, `two hundred`, `a hundred`.
            if var value = NumberWords.value(of: lower) ?? ((lower == "a" && next.map { NumberWords.scales[$0] != nil } == true) ? 1 : nil) {
                if lower == "one", next == "of" || next == "another" || ["the", "each", "every", "which", "this", "that", "no", "any"].contains(word(index - 1) ?? "") {
                    index += 1
                    continue
                }
                var end = index + 1
                if let scaleWord = word(end), let scale = NumberWords.scales[scaleWord] {
                    value *= scale
                    end += 1
                    if let restWord = word(end), let rest = NumberWords.value(of: restWord), rest < scale {
                        value += rest
                        end += 1
                    }
                }
                let span = token.span.lowerBound..<tokens[end - 1].span.upperBound
                if word(end) == "and", word(end + 1) == "a", word(end + 2) == "half" {
                    add(.numberWord, .float(Double(value) + 0.5), token.span.lowerBound..<tokens[end + 2].span.upperBound,
                        .numberWords(capitalized: capitalized), mayVary: false)
                    index = end + 3
                    continue
                }
                let kind: QuantityKind = word(end) == "percent" ? .percent : .numberWord
                let multiword = end - index > 1
                add(kind, .int(value), span, .numberWords(capitalized: capitalized && isSentenceStart(index)), mayVary: !multiword || value % 100 == 0)
                index = end
                continue
            }
            index += 1
        }
        return quantities
    }

    /// `one-third`, `two-thirds`, `three-quarters`, `one-half`.
    private static func compoundFraction(_ word: String) -> (Int64, Int64)? {
        let parts = word.split(separator: "-").map(String.init)
        guard parts.count == 2, let p = NumberWords.units[parts[0]], (1...9).contains(p),
              let q = NumberWords.denominators[parts[1]], p < q else { return nil }
        return (p, q)
    }

    private static func digitsStyle(_ number: NumberToken) -> SurfaceStyle {
        .digits(separators: number.separators, decimals: number.decimals, leadingZero: number.leadingZero)
    }
}
