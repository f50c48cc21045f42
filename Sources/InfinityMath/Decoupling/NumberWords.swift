/// Number words in both directions: reading `twenty-five` and writing 25.
enum NumberWords {
    static let units: [String: Int64] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    static let tens: [String: Int64] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    static let scales: [String: Int64] = ["hundred": 100, "thousand": 1000, "million": 1_000_000]

    /// Ordinal words and the number each stands for.
    static let ordinals: [String: Int64] = [
        "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
        "eleventh": 11, "twelfth": 12,
    ]

    /// Denominator words of fractions (`thirds`, `quarter`), singular and plural.
    static let denominators: [String: Int64] = [
        "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
        "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
        "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
    ]

    /// The value of a single word or hyphenated compound (`seven`, `twenty-five`), when it is one.
    static func value(of word: String) -> Int64? {
        let lower = word.lowercased()
        if let unit = units[lower] { return unit }
        if let ten = tens[lower] { return ten }
        let parts = lower.split(separator: "-")
        if parts.count == 2, let ten = tens[String(parts[0])], let unit = units[String(parts[1])], unit > 0, unit < 10 {
            return ten + unit
        }
        return nil
    }

    /// `n` in words (`25` → `twenty-five`, `300` → `three hundred`), for 0 through 999,999.
    static func words(_ n: Int64) -> String {
        if n < 0 { return "minus " + words(-n) }
        if n >= 1000 {
            let rest = n % 1000
            return words(n / 1000) + " thousand" + (rest == 0 ? "" : " " + words(rest))
        }
        if n >= 100 {
            let rest = n % 100
            return words(n / 100) + " hundred" + (rest == 0 ? "" : " " + words(rest))
        }
        if n < 20 { return units.first { $0.value == n }?.key ?? String(n) }
        let ten = tens.first { $0.value == n / 10 * 10 }?.key ?? String(n)
        let unit = n % 10
        return unit == 0 ? ten : ten + "-" + (units.first { $0.value == unit }?.key ?? "")
    }

    /// The ordinal word of `n` for 2 through 12, else digits with a suffix.
    static func ordinalWord(_ n: Int64) -> String {
        ordinals.first { $0.value == n }?.key ?? ordinalDigits(n)
    }

    /// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
    static func ordinalDigits(_ n: Int64) -> String {
        let lastTwo = n % 100
        let suffix: String
        if (11...13).contains(lastTwo) {
            suffix = "th"
        } else {
            switch n % 10 {
            case 1: suffix = "st"
            case 2: suffix = "nd"
            case 3: suffix = "rd"
            default: suffix = "th"
            }
        }
        return "\(n)\(suffix)"
    }

    /// The denominator word of `q`, singular or plural (`third`, `thirds`, `half`).
    static func denominatorWord(_ q: Int64, plural: Bool) -> String {
        switch q {
        case 2: return plural ? "halves" : "half"
        case 4: return plural ? "quarters" : "quarter"
        default:
            let word = ordinals.first { $0.value == q }?.key ?? "\(q)th"
            return plural ? word + "s" : word
        }
    }
}
