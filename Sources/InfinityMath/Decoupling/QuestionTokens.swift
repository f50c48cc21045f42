/// The question cut into words, numbers and punctuation, with Unicode scalar offsets.
struct QuestionToken: Equatable {
    enum Kind: Equatable {
        /// Letters, with inner hyphens and apostrophes (`twenty-five`, `Natalia's`); `lower` is lowercased.
        case word(lower: String)
        case number(NumberToken)
        case punctuation(Unicode.Scalar)
    }

    var kind: Kind
    var span: Range<Int>

    var word: String? {
        if case .word(let lower) = kind { return lower }
        return nil
    }

    var number: NumberToken? {
        if case .number(let token) = kind { return token }
        return nil
    }

    /// Punctuation that ends a clause for naming purposes.
    var endsClause: Bool {
        if case .punctuation(let scalar) = kind { return ".,;:?!()".unicodeScalars.contains(scalar) }
        return false
    }
}

/// A number written with digits and what is attached to it.
struct NumberToken: Equatable {
    var value: PyValue
    /// The digits as written (`1,200`, `.50`, `3/4`).
    var text: String
    var separators: Bool
    var decimals: Int
    var leadingZero: Bool
    /// `$` right before it.
    var dollarSign: Bool
    /// `%` right after it.
    var percentSign: Bool
    var fraction: (numerator: Int64, denominator: Int64)?
    /// Letters glued to its end (`rd` of `3rd`, `am`, `D` of `3D`).
    var suffix: String
    /// Glued to letters before it (`A1`, `COVID-19`): not a quantity.
    var gluedToWord: Bool
    /// The span of the digits only.
    var digitsSpan: Range<Int>

    static func == (lhs: NumberToken, rhs: NumberToken) -> Bool {
        lhs.value == rhs.value && lhs.text == rhs.text && lhs.digitsSpan == rhs.digitsSpan && lhs.suffix == rhs.suffix
    }
}

/// Cuts a question into `QuestionToken`s.
enum QuestionTokenizer {
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }

    static func tokens(_ scalars: [Unicode.Scalar]) -> [QuestionToken] {
        var tokens: [QuestionToken] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) || (scalar == "." && index + 1 < scalars.count && isDigit(scalars[index + 1])
                                   && (index == 0 || !isDigit(scalars[index - 1]))) {
                let (token, end) = number(scalars, from: index)
                tokens.append(QuestionToken(kind: .number(token), span: index..<end))
                index = end
            } else if isLetter(scalar) {
                var end = index + 1
                while end < scalars.count {
                    if isLetter(scalars[end]) {
                        end += 1
                    } else if (scalars[end] == "-" || scalars[end] == "'" || scalars[end] == "’"), end + 1 < scalars.count,
                              isLetter(scalars[end + 1]) {
                        end += 2
                    } else {
                        break
                    }
                }
                let word = String(String.UnicodeScalarView(scalars[index..<end])).lowercased()
                tokens.append(QuestionToken(kind: .word(lower: word), span: index..<end))
                index = end
            } else {
                if !scalar.properties.isWhitespace {
                    tokens.append(QuestionToken(kind: .punctuation(scalar), span: index..<(index + 1)))
                }
                index += 1
            }
        }
        return tokens
    }

    private static func number(_ scalars: [Unicode.Scalar], from start: Int) -> (NumberToken, Int) {
        var index = start
        var separators = false
        func digitRun() {
            while index < scalars.count, isDigit(scalars[index]) { index += 1 }
        }
        digitRun()
        let leadingDigits = index - start
        // Thousands separators: groups of exactly three digits after a first group of one to three.
        if leadingDigits > 0, leadingDigits <= 3 {
            var probe = index
            var groups = 0
            while probe + 3 < scalars.count, scalars[probe] == ",",
                  (1...3).allSatisfy({ isDigit(scalars[probe + $0]) }),
                  probe + 4 >= scalars.count || !isDigit(scalars[probe + 4]) {
                probe += 4
                groups += 1
            }
            if groups > 0 {
                index = probe
                separators = true
            }
        }
        var decimals = 0
        if index + 1 < scalars.count, scalars[index] == ".", isDigit(scalars[index + 1]) {
            index += 1
            let fractionStart = index
            digitRun()
            decimals = index - fractionStart
        }
        let digitsEnd = index
        let text = String(String.UnicodeScalarView(scalars[start..<digitsEnd]))
        let plain = text.replacingOccurrences(of: ",", with: "")
        var value: PyValue = decimals > 0 ? .float(Double(plain) ?? 0) : .int(Int64(plain) ?? 0)
        if decimals == 0, Int64(plain) == nil { value = .float(Double(plain) ?? 0) }
        var token = NumberToken(
            value: value, text: text, separators: separators, decimals: decimals, leadingZero: !text.hasPrefix("."),
            dollarSign: start > 0 && scalars[start - 1] == "$", percentSign: false, fraction: nil, suffix: "",
            gluedToWord: start > 0 && (isLetter(scalars[start - 1])
                || (scalars[start - 1] == "-" && start > 1 && isLetter(scalars[start - 2]))
                || (scalars[start - 1] == "/" && start > 1 && isDigit(scalars[start - 2]))),
            digitsSpan: start..<digitsEnd)
        // A fraction `p/q` of plain integers (not a date such as 3/4/2020).
        if decimals == 0, !separators, !token.gluedToWord, index + 1 < scalars.count, scalars[index] == "/", isDigit(scalars[index + 1]) {
            var end = index + 1
            while end < scalars.count, isDigit(scalars[end]) { end += 1 }
            let isDate = end < scalars.count && scalars[end] == "/"
            if !isDate, let p = Int64(plain), let q = Int64(String(String.UnicodeScalarView(scalars[(index + 1)..<end]))), q > 0 {
                token.fraction = (p, q)
                token.value = .float(Double(p) / Double(q))
                token.text = String(String.UnicodeScalarView(scalars[start..<end]))
                token.digitsSpan = start..<end
                index = end
            }
        }
        if index < scalars.count, scalars[index] == "%" {
            token.percentSign = true
            index += 1
        } else {
            var end = index
            while end < scalars.count, isLetter(scalars[end]) { end += 1 }
            token.suffix = String(String.UnicodeScalarView(scalars[index..<end])).lowercased()
            index = end
        }
        return (token, index)
    }
}
