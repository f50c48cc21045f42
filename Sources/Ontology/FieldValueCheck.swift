import Foundation
import StageKit

/// Values whose form the template describes in words: `valid` and `expired` answer yes or no, a DOI looks like
/// one, and a contact's email is an address (or "unknown").
enum FieldValueCheck {
    static func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        if let valid = entry["valid"]?.stringValue, !valid.allSatisfy(\.isWhitespace),
           !["yes", "no"].contains(valid.lowercased()) {
            findings.add("ontology.yes_no", .warning, field: "/valid", "'valid' is \"\(valid)\"; the catalogue writes \"yes\" or \"no\"")
        }
        if let expired = entry["expired"]?.stringValue, !expired.allSatisfy(\.isWhitespace),
           !["yes", "no", "unknown", "true", "false"].contains(expired.lowercased()) {
            findings.add("ontology.yes_no", .warning, field: "/expired",
                         "'expired' is \"\(expired)\"; the template says \"yes\" or \"no\" (or \"unknown\")")
        }
        if let doi = entry["doi"]?.stringValue, !doi.allSatisfy(\.isWhitespace), doi != "unknown",
           !EmptyValueCheck.placeholders.contains(doi), !isDOI(doi) {
            let bare = doi.range(of: "doi.org/").map { String(doi[$0.upperBound...]) }
            let hint = bare.flatMap { isDOI($0) ? ": write the DOI itself, \"\($0)\"" : nil } ?? ": a DOI is 10.NNNN/suffix"
            findings.add("ontology.doi", .warning, field: "/doi", "'doi' is \"\(doi)\", not a DOI\(hint)")
        }
        if let email = entry["contact"]?["email"]?.stringValue, !email.allSatisfy(\.isWhitespace), email != "unknown",
           !EmptyValueCheck.placeholders.contains(email), !looksLikeEmail(email) {
            findings.add("ontology.email", .warning, field: "/contact/email",
                         "'contact/email' is \"\(email)\", which is not an email address (names go in 'contact/name')")
        }
    }

    /// `10.` then a registrant code of digits (dots allowed), `/`, and a suffix without spaces.
    static func isDOI(_ text: String) -> Bool {
        guard text.hasPrefix("10."), let slash = text.firstIndex(of: "/") else { return false }
        let registrant = text[text.index(text.startIndex, offsetBy: 3)..<slash]
        let suffix = text[text.index(after: slash)...]
        return registrant.count >= 4 && registrant.allSatisfy { $0.isNumber || $0 == "." }
            && !suffix.isEmpty && !suffix.contains(where: \.isWhitespace)
    }

    /// An address, also written against spam as `name (at) host`.
    static func looksLikeEmail(_ text: String) -> Bool {
        let normalized = text.replacingOccurrences(of: " (at) ", with: "@").replacingOccurrences(of: "(at)", with: "@")
            .replacingOccurrences(of: " [at] ", with: "@")
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !normalized.contains(" ")
    }
}
