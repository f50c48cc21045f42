import Foundation

/// Names for numbers a solution uses that the question does not give: units (60 minutes in an hour, 7 days in a
/// week, 12 in a dozen), 100 for percentages, and small counts.
enum ConstantNames {
    private static let known: [(value: Double, keywords: [String], name: String)] = [
        (60, ["second"], "seconds_per_minute"), (60, ["minute", "hour", "min"], "minutes_per_hour"),
        (24, ["hour", "day"], "hours_per_day"), (7, ["week", "day"], "days_per_week"),
        (12, ["dozen"], "items_per_dozen"), (12, ["inch", "foot", "feet"], "inches_per_foot"),
        (12, ["month", "year"], "months_per_year"), (52, ["week", "year"], "weeks_per_year"),
        (365, ["day", "year"], "days_per_year"), (30, ["day", "month"], "days_per_month"),
        (4, ["week", "month"], "weeks_per_month"), (100, ["cent"], "cents_per_dollar"),
        (100, ["percent", "%"], "percent_base"), (0.01, ["percent", "%"], "one_percent"), (3, ["yard"], "feet_per_yard"),
        (16, ["ounce", "pound"], "ounces_per_pound"), (5, ["weekday", "monday", "work"], "weekdays_per_week"),
        (2, ["weekend", "saturday"], "weekend_days"), (2, ["pair"], "items_per_pair"), (10, ["dime"], "cents_per_dime"),
        (25, ["quarter"], "cents_per_quarter"), (5, ["nickel"], "cents_per_nickel"), (1000, ["gram", "kilo", "kg"], "grams_per_kilogram"),
        (1000, ["meter", "kilometer", "km"], "meters_per_kilometer"), (1000, ["ml", "liter", "litre"], "milliliters_per_liter"),
        (3, ["third", "triple"], "three"), (2, ["half", "double", "twice"], "two"), (4, ["quarter"], "four"),
        (4, ["leg", "wheel", "tire"], "legs_or_wheels_each"), (2, ["leg", "arm", "eye", "ear", "hand", "shoe", "sock", "wing"], "two_each"),
        (10, ["decade"], "years_per_decade"), (100, ["century"], "years_per_century"), (8, ["gallon", "pint"], "pints_per_gallon"),
        (4, ["gallon", "quart"], "quarts_per_gallon"), (31, ["january", "march", "may", "july", "august", "october", "december", "month"], "days_in_long_month"),
        (28, ["february"], "days_in_february"), (30, ["april", "june", "september", "november"], "days_in_month"),
        (1000, ["thousand"], "one_thousand"), (1_000_000, ["million"], "one_million"), (3600, ["second", "hour"], "seconds_per_hour"),
        (1440, ["minute", "day"], "minutes_per_day"), (168, ["hour", "week"], "hours_per_week"), (36, ["inch", "yard"], "inches_per_yard"),
    ]

    /// Values any solution may use without the question giving them (the unit table's and small counts).
    static func isPlausible(_ value: Double) -> Bool {
        if value >= 0, value <= 12, value == value.rounded() { return true }
        if [0.5, 0.25, 0.75, 0.1, 0.01, 0.2, 0.05, 1.5].contains(value) { return true }
        return known.contains { $0.value == value }
    }

    /// A name for `value` in `context` (the question and the solution line, lowercased).
    static func name(for value: Double, context: String) -> String {
        for entry in known where entry.value == value && entry.keywords.contains(where: { context.contains($0) }) {
            return entry.name
        }
        if value == value.rounded(), value >= 0, value < 1_000_000 {
            let words = NumberWords.words(Int64(value)).replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
            return "const_" + words
        }
        let fractions: [Double: String] = [0.5: "one_half", 0.25: "one_quarter", 0.75: "three_quarters", 0.1: "one_tenth",
                                           0.01: "one_hundredth", 0.2: "one_fifth", 0.05: "one_twentieth", 1.5: "one_and_a_half"]
        if let name = fractions[value] { return "const_" + name }
        let digits = PyValue.float(value).repr.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "minus_")
        return "const_" + digits
    }
}
