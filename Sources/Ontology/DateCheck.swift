import StageKit

/// `date`, `last_updated` and `valid_date`: real calendar dates written `YYYY-MM-DD`, or "unknown"; quoted,
/// because PyYAML (upstream's reader) turns an unquoted date into a date object, which its structure check
/// then finds of the wrong type.
enum DateCheck {
    static let fields = ["date", "last_updated", "valid_date"]

    static func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        var dates: [String: CalendarDate] = [:]
        for field in fields {
            let pointer = "/" + field
            guard let text = entry[field]?.stringValue, !text.allSatisfy(\.isWhitespace), text != "unknown",
                  !EmptyValueCheck.placeholders.contains(text) else { continue }
            guard let date = CalendarDate(text) else {
                findings.add("ontology.date", .error, field: pointer,
                             "'\(field)' is \"\(text)\", not a date written YYYY-MM-DD (or \"unknown\")")
                continue
            }
            dates[field] = date
            if let first = findings.file.openingCharacter(of: findings.base + pointer), first != "\"", first != "'" {
                findings.add("ontology.unquoted_date", .warning, field: pointer,
                             "'\(field)' is an unquoted date: PyYAML reads it as a date, not a string; write \"\(text)\"")
            }
        }
        if let date = dates["date"], let updated = dates["last_updated"], updated < date {
            findings.add("ontology.date_order", .warning, field: "/last_updated",
                         "'last_updated' (\(updated)) is before 'date' (\(date))")
        }
    }
}

/// A proleptic Gregorian calendar date read from `YYYY-MM-DD`.
struct CalendarDate: Comparable, CustomStringConvertible {
    let year: Int
    let month: Int
    let day: Int

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    var description: String {
        String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }
}
