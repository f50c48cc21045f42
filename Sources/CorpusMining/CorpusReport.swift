import StageKit
import CodeLexers

/// The HPCorpus-style summary of a mined corpus: files, lines and tokens per language; files and
/// repositories per paradigm; OpenMP directive kinds (every directive in kept files, `end` directives
/// aside) and the schedules of OpenMP loops.
public struct CorpusReport: Sendable {
    /// Counts of one language.
    public struct LanguageRow: Sendable, Equatable {
        public var files = 0
        public var lines = 0
        public var tokens = 0
        public var bytes = 0
    }

    public private(set) var languages: [String: LanguageRow] = [:]
    public private(set) var paradigmFiles: [String: Int] = [:]
    public private(set) var paradigmRepositories: [String: Set<String>] = [:]
    public private(set) var repositories: Set<String> = []
    public private(set) var directiveKinds: [String: Int] = [:]
    public private(set) var loopsPerLanguage: [String: Int] = [:]
    public private(set) var schedules: [String: [String: Int]] = [:]
    public private(set) var functions = 0

    public init() {}

    /// Adds one `files` record.
    public mutating func addFile(_ record: JSONValue) {
        guard let language = record["language"]?.stringValue, let repo = record["repo"]?.stringValue else { return }
        repositories.insert(repo)
        var row = languages[language] ?? LanguageRow()
        row.files += 1
        row.lines += Int(record["lines"]?.integerValue ?? 0)
        row.tokens += Int(record["whitespace_tokens"]?.integerValue ?? 0)
        row.bytes += Int(record["bytes"]?.integerValue ?? 0)
        languages[language] = row
        for paradigm in record["paradigms"]?.arrayValue ?? [] {
            guard let name = paradigm.stringValue else { continue }
            paradigmFiles[name, default: 0] += 1
            paradigmRepositories[name, default: []].insert(repo)
        }
        if let content = record["content"]?.stringValue, let lexed = Language(rawValue: language) {
            let form = record["fortran_form"]?.stringValue.flatMap(FortranForm.init(rawValue:)) ?? .free
            for kind in SourceAnalyzer(language: lexed, fortranForm: form).openMPDirectiveKinds(Array(content.utf8)) {
                directiveKinds[kind, default: 0] += 1
            }
        }
    }

    /// Adds one `omp_loops` record.
    public mutating func addLoop(_ record: JSONValue) {
        guard let language = record["language"]?.stringValue else { return }
        loopsPerLanguage[language, default: 0] += 1
        if let kind = record["clauses"]?["schedule"]?["kind"]?.stringValue {
            schedules[language, default: [:]][kind.lowercased(), default: 0] += 1
        }
    }

    /// Adds one `functions` record.
    public mutating func addFunction(_ record: JSONValue) { functions += 1 }

    var totalFiles: Int { languages.values.reduce(0) { $0 + $1.files } }
    var totalLoops: Int { loopsPerLanguage.values.reduce(0, +) }

    /// The report as JSON (every paradigm present, zeros included).
    public var json: JSONValue {
        var languageObject: [String: JSONValue] = [:]
        for (name, row) in languages {
            languageObject[name] = .object([
                "files": .integer(Int64(row.files)), "lines": .integer(Int64(row.lines)),
                "tokens": .integer(Int64(row.tokens)), "bytes": .integer(Int64(row.bytes)),
            ])
        }
        var paradigmObject: [String: JSONValue] = [:]
        for paradigm in Paradigm.allCases {
            paradigmObject[paradigm.rawValue] = .object([
                "files": .integer(Int64(paradigmFiles[paradigm.rawValue] ?? 0)),
                "repositories": .integer(Int64(paradigmRepositories[paradigm.rawValue]?.count ?? 0)),
            ])
        }
        var loops: [String: JSONValue] = [:]
        for (language, count) in loopsPerLanguage {
            loops[language] = .object([
                "loops": .integer(Int64(count)),
                "schedule": .object((schedules[language] ?? [:]).mapValues { .integer(Int64($0)) }),
            ])
        }
        return .object([
            "totals": .object([
                "files": .integer(Int64(totalFiles)), "repositories": .integer(Int64(repositories.count)),
                "lines": .integer(Int64(languages.values.reduce(0) { $0 + $1.lines })),
                "tokens": .integer(Int64(languages.values.reduce(0) { $0 + $1.tokens })),
                "functions": .integer(Int64(functions)), "omp_loops": .integer(Int64(totalLoops)),
            ]),
            "languages": .object(languageObject),
            "paradigms": .object(paradigmObject),
            "openmp_directives": .object(directiveKinds.mapValues { .integer(Int64($0)) }),
            "omp_loops": .object(loops),
        ])
    }

    /// The tables as plain text.
    public var text: String {
        var out = "\(totalFiles) files in \(repositories.count) repositories, \(functions) functions, \(totalLoops) OpenMP loops\n\n"
        out += Self.table(header: ["language", "files", "lines", "tokens"], rows: languages.keys.sorted().map { name in
            let row = languages[name] ?? LanguageRow()
            return [name, "\(row.files)", "\(row.lines)", "\(row.tokens)"]
        })
        out += "\n"
        out += Self.table(header: ["paradigm", "files", "repositories"], rows: Paradigm.allCases.map { paradigm in
            [paradigm.rawValue, "\(paradigmFiles[paradigm.rawValue] ?? 0)", "\(paradigmRepositories[paradigm.rawValue]?.count ?? 0)"]
        })
        out += "\n"
        out += Self.table(header: ["OpenMP directive", "count"], rows: Self.byCount(directiveKinds).map { [$0.key, "\($0.value)"] })
        return out
    }

    /// Entries by descending count, ties by name, so the output never depends on hashing.
    static func byCount(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) }
        return out
    }

    /// Three horizontal bar charts (files per language, files and repositories per paradigm, OpenMP
    /// directive kinds) in one SVG with fixed geometry and no timestamps, so equal reports give equal bytes.
    public var svg: String {
        let languageBars = languages.keys.sorted().map { ($0, [languages[$0]?.files ?? 0]) }
        let paradigmBars = Paradigm.allCases.map {
            ($0.rawValue, [paradigmFiles[$0.rawValue] ?? 0, paradigmRepositories[$0.rawValue]?.count ?? 0])
        }
        let directiveBars = Self.byCount(directiveKinds).prefix(15).map { ($0.key, [$0.value]) }
        let panels: [(String, [String], [(String, [Int])])] = [
            ("Files per language", ["files"], languageBars),
            ("Files and repositories per paradigm", ["files", "repositories"], paradigmBars),
            ("OpenMP directive kinds", ["directives"], Array(directiveBars)),
        ]
        let colors = ["#4e79a7", "#f28e2b"]
        let width = 720
        let labelWidth = 230
        let barArea = width - labelWidth - 70
        var y = 20
        var body = ""
        for (title, series, bars) in panels {
            body += "<text x=\"10\" y=\"\(y + 14)\" font-size=\"15\" font-weight=\"bold\">\(MarkupText.escaped(title))</text>\n"
            for (index, name) in series.enumerated() where series.count > 1 {
                let x = 420 + index * 130
                body += "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"12\" height=\"12\" fill=\"\(colors[index % colors.count])\"/>"
                body += "<text x=\"\(x + 16)\" y=\"\(y + 14)\" font-size=\"12\">\(MarkupText.escaped(name))</text>\n"
            }
            y += 26
            let maximum = max(1, bars.flatMap(\.1).max() ?? 1)
            if bars.isEmpty {
                body += "<text x=\"10\" y=\"\(y + 12)\" font-size=\"12\" fill=\"#666\">none</text>\n"
                y += 20
            }
            for (label, values) in bars {
                body += "<text x=\"\(4 + labelWidth)\" y=\"\(y + 12)\" font-size=\"12\" text-anchor=\"end\">\(MarkupText.escaped(label))</text>\n"
                for (index, value) in values.enumerated() {
                    let length = value * barArea / maximum
                    let barY = y + index * 8
                    let height = values.count > 1 ? 7 : 14
                    body += "<rect x=\"\(10 + labelWidth)\" y=\"\(barY)\" width=\"\(length)\" height=\"\(height)\" fill=\"\(colors[index % colors.count])\"/>"
                    body += "<text x=\"\(14 + labelWidth + length)\" y=\"\(barY + height - 1)\" font-size=\"\(values.count > 1 ? 9 : 12)\">\(value)</text>\n"
                }
                y += 18
            }
            y += 16
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(y)\" viewBox=\"0 0 \(width) \(y)\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }

}
