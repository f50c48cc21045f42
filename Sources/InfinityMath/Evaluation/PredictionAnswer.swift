import Foundation

/// Reads a model's answer: a JSON number as it is, a string by its last number (`"$1,080."` gives 1080, `"The
/// answer is 72"` gives 72), as GSM8K's and GSM-Symbolic's evaluations read free text.
public enum PredictionAnswer {
    public static func number(_ value: JSONAnswer) -> Double? {
        switch value {
        case .number(let number): return number.isFinite ? number : nil
        case .text(let text): return lastNumber(in: text)
        }
    }

    static func lastNumber(in text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        var found: Double?
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < scalars.count && scalars[at].value >= 48 && scalars[at].value <= 57 }
        while index < scalars.count {
            guard isDigit(index) || (scalars[index] == "." && isDigit(index + 1)) else {
                index += 1
                continue
            }
            let negative = index > 0 && scalars[index - 1] == "-"
            var digits = ""
            while index < scalars.count {
                if isDigit(index) {
                    digits.unicodeScalars.append(scalars[index])
                } else if scalars[index] == ",", isDigit(index + 1), !digits.contains(".") {
                    // A thousands separator: skipped.
                } else if scalars[index] == ".", isDigit(index + 1), !digits.contains(".") {
                    digits += "."
                } else {
                    break
                }
                index += 1
            }
            if let value = Double((negative ? "-" : "") + (digits.hasPrefix(".") ? "0" + digits : digits)) { found = value }
        }
        return found
    }
}

/// An `answer` as a prediction file gives it.
public enum JSONAnswer: Sendable, Equatable {
    case number(Double)
    case text(String)
}
