import Foundation

/// Arithmetic a solution wrote without a calculator annotation, such as `20/4 = $5` or `3/5 x 100 = 60`: the
/// steps GSM8K's authors did in their heads. Without them the last annotation is often not the answer.
enum ImplicitEquations {
    private static let expressionScalars = Set("0123456789.,+-*/×÷()$ −x".unicodeScalars)
    /// How far back from `=` a left side may reach: written-out arithmetic is short, and the search is quadratic in it.
    private static let maxLeftSide = 160

    /// Each `left = right` of plain numbers outside the annotations, with its range in the line.
    static func find(in scalars: [Unicode.Scalar], outside annotations: [Range<Int>])
        -> [(range: Range<Int>, left: String, right: String, implicit: Bool)] {
        var found: [(range: Range<Int>, left: String, right: String, implicit: Bool)] = []
        func inAnnotation(_ position: Int) -> Bool { annotations.contains { $0.contains(position) } }
        for equals in scalars.indices where scalars[equals] == "=" && !inAnnotation(equals) {
            // The right side: a number, not the start of an annotation.
            var position = equals + 1
            while position < scalars.count, scalars[position] == " " || scalars[position] == "$" { position += 1 }
            if position + 1 < scalars.count, scalars[position] == "<", scalars[position + 1] == "<" { continue }
            let rightStart = position
            if position < scalars.count, scalars[position] == "-" { position += 1 }
            while position < scalars.count, isDigit(scalars[position]) || scalars[position] == "." || scalars[position] == "," {
                position += 1
            }
            var rightEnd = position
            while rightEnd > rightStart, [".", ","].contains(scalars[rightEnd - 1]) { rightEnd -= 1 }
            guard rightEnd > rightStart, (rightStart..<rightEnd).contains(where: { isDigit(scalars[$0]) }),
                  !annotations.contains(where: { $0.overlaps(rightStart..<rightEnd) }) else { continue }
            let right = String(String.UnicodeScalarView(scalars[rightStart..<rightEnd]))
            if let (start, text) = leftSide(of: equals, in: scalars, outside: annotations) {
                found.append((start..<rightEnd, text, right, true))
            }
        }
        return found
    }

    /// The arithmetic before the `=` at `equals`: the longest run of plain arithmetic that parses and has an
    /// operator, else the clause with its unit words taken out.
    static func leftSide(of equals: Int, in scalars: [Unicode.Scalar], outside annotations: [Range<Int>]) -> (Int, String)? {
        func inAnnotation(_ position: Int) -> Bool { annotations.contains { $0.contains(position) } }
        var leftStart = equals
        while leftStart > 0, equals - leftStart < maxLeftSide, expressionScalars.contains(scalars[leftStart - 1]), !inAnnotation(leftStart - 1) {
            if scalars[leftStart - 1] == "x", leftStart >= 2, scalars[leftStart - 2].properties.isAlphabetic { break }
            leftStart -= 1
        }
        var candidate = leftStart
        while candidate < equals {
            let text = String(String.UnicodeScalarView(scalars[candidate..<equals])).replacingOccurrences(of: "$", with: "")
            if let expression = Arithmetic.parse(text), case .binary = expression {
                return (candidate, text.trimmingCharacters(in: .whitespaces))
            }
            candidate += 1
        }
        return withoutUnits(scalars, before: equals, outside: annotations)
    }

    /// `42 minutes + 10 minutes`, `$5400/week * 4 weeks`: the arithmetic of the clause before `=` with the unit
    /// words (and `/unit`) taken out, when what is left parses and has an operator.
    private static func withoutUnits(_ scalars: [Unicode.Scalar], before equals: Int, outside annotations: [Range<Int>])
        -> (Int, String)? {
        var start = equals
        while start > 0, equals - start < maxLeftSide, !annotations.contains(where: { $0.contains(start - 1) }) {
            let scalar = scalars[start - 1]
            if ".;:!?".unicodeScalars.contains(scalar) && !(start >= 2 && isDigit(scalars[start - 2]) && start < scalars.count && isDigit(scalars[start])) { break }
            if scalar == ",", start < scalars.count, scalars[start] == " " { break }
            start -= 1
        }
        var pieces: [(position: Int, text: String)] = []
        var index = start
        while index < equals {
            let scalar = scalars[index]
            if isDigit(scalar) || (scalar == "." && index + 1 < equals && isDigit(scalars[index + 1])) {
                var end = index
                while end < equals, isDigit(scalars[end]) || scalars[end] == "." || (scalars[end] == "," && end + 1 < equals && isDigit(scalars[end + 1])) {
                    end += 1
                }
                pieces.append((index, String(String.UnicodeScalarView(scalars[index..<end]))))
                index = end
            } else if scalar == "/", index + 1 < equals, scalars[(index + 1)...].first(where: { $0 != " " })?.properties.isAlphabetic == true {
                // A rate's unit (`$600/weekday`): not a division.
                index += 1
                while index < equals, scalars[index] == " " || scalars[index].properties.isAlphabetic { index += 1 }
            } else if "+-*/×÷()−–".unicodeScalars.contains(scalar) || (scalar == "x" && index + 1 < equals && scalars[index + 1] == " "
                                                                        && index > 0 && scalars[index - 1] == " ") {
                pieces.append((index, scalar == "–" ? "-" : String(scalar)))
                index += 1
            } else {
                index += 1
            }
        }
        for first in pieces.indices where pieces[first].text.first.map({ $0.isNumber || $0 == "(" }) == true {
            let text = pieces[first...].map(\.text).joined(separator: " ")
            if let expression = Arithmetic.parse(text), case .binary = expression { return (pieces[first].position, text) }
        }
        return nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}
