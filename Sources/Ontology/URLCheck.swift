import StageKit

/// The main `url` (never "unknown") and every link's URL: absolute http(s) URLs with a host and nothing a URL
/// cannot hold, or a `file://` URL of a dataset not published yet (a warning). URLs inside `cite` are checked with the BibTeX. Nothing is fetched: pipe checks offline.
enum URLCheck {
    static func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        if let url = entry["url"]?.stringValue, !url.allSatisfy(\.isWhitespace) {
            if url.trimmingWhitespace.lowercased() == "unknown" {
                findings.add("ontology.url_unknown", .error, field: "/url",
                             "'url' is \"unknown\": the main URL is the one field that must be known")
            } else if EntryURL.isFileScheme(url) {
                local(url, field: "/url", name: "url", into: &findings)
            } else if let problem = URLSyntax.problem(in: url) {
                findings.add("ontology.url", .error, field: "/url", "'url' \(problem)")
            }
        }
        for group in ["datasets", "results"] {
            guard let links = entry[group]?["links"]?.arrayValue else { continue }
            for (index, link) in links.enumerated() {
                guard let url = link["url"]?.stringValue, !url.allSatisfy(\.isWhitespace) else { continue }
                let pointer = "/\(group)/links/\(index)/url"
                if url.trimmingWhitespace.lowercased() == "unknown" {
                    findings.add("ontology.link_unknown", .warning, field: pointer,
                                 "'\(group)/links/\(index)/url' is \"unknown\": upstream's URL check will fail it")
                } else if EntryURL.isFileScheme(url) {
                    local(url, field: pointer, name: "\(group)/links/\(index)/url", into: &findings)
                } else if let problem = URLSyntax.problem(in: url) {
                    findings.add("ontology.url", .error, field: pointer, "'\(group)/links/\(index)/url' \(problem)")
                }
            }
        }
    }
}

extension URLCheck {
    /// A `file://` URL names a copy on one machine (pipe writes one for a dataset it has not published): a warning
    /// like an "unknown" link, since upstream's URL check fails it too, unless it is malformed.
    static func local(_ url: String, field: String, name: String, into findings: inout EntryFindings) {
        if let problem = EntryURL.fileProblem(in: url) {
            findings.add("ontology.url", .error, field: field, "'\(name)' \(problem)")
        } else {
            findings.add("ontology.url_local", .warning, field: field,
                         "'\(name)' is a file URL: only this machine can open it, and upstream's URL check will fail it (publish the data and give its http(s) URL)")
        }
    }
}

/// What makes a string not an absolute http(s) URL, offline.
enum URLSyntax {
    /// Why `text` is not a usable URL, or nil when it is one.
    static func problem(in text: String) -> String? {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https://"
        } else if lower.hasPrefix("http://") {
            scheme = "http://"
        } else {
            return "is \"\(text)\": not an http(s) URL"
        }
        let rest = text.unicodeScalars.dropFirst(scheme.count)
        if let bad = rest.first(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" || $0 == "\\" || $0 == "`" }) {
            let what = bad == " " ? "a space" : "the character U+\(String(bad.value, radix: 16, uppercase: true))"
            return "\"\(text)\" contains \(what): encode it (%20 for a space)"
        }
        let authority = String(String.UnicodeScalarView(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }))
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        let hostName = host.hasPrefix("[") ? host : String(host.split(separator: ":", maxSplits: 1).first ?? "")
        guard !hostName.isEmpty else { return "is \"\(text)\": no host" }
        if !hostName.hasPrefix("["), !hostName.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }) {
            return "is \"\(text)\": the host \"\(hostName)\" is not a host name"
        }
        if !hostName.hasPrefix("["), !hostName.contains("."), hostName.lowercased() != "localhost" {
            return "is \"\(text)\": the host \"\(hostName)\" has no domain"
        }
        return nil
    }
}
