/// The project settings hls4ml writes into its tcl scripts: `project.tcl` (hls4ml 0.8 and later: `set part
/// "..."`, `set clock_period 5`, `set project_name "..."`, `set backend "..."`) or, in older projects,
/// `build_prj.tcl` (`set_part {...}`, `create_clock -period 5`, `open_project myproject_prj`).
public struct TclSettings: Sendable, Equatable, Codable {
    public var part: String?
    public var clockPeriod: String?
    public var projectName: String?
    public var backend: String?

    enum CodingKeys: String, CodingKey {
        case part, clockPeriod = "clock_period", projectName = "project_name", backend
    }

    public init(part: String? = nil, clockPeriod: String? = nil, projectName: String? = nil, backend: String? = nil) {
        self.part = part
        self.clockPeriod = clockPeriod
        self.projectName = projectName
        self.backend = backend
    }

    /// Reads the settings a tcl file states; later statements win, as they would in tcl.
    public init(text: String) {
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let words = Self.words(rawLine)
            guard let command = words.first else { continue }
            switch command {
            case "set" where words.count >= 3:
                switch words[1] {
                case "part": part = words[2]
                case "clock_period": clockPeriod = words[2]
                case "project_name": projectName = words[2]
                case "backend": backend = words[2]
                default: break
                }
            case "set_part" where words.count >= 2:
                part = words[1]
            case "create_clock":
                if let index = words.firstIndex(of: "-period"), index + 1 < words.count { clockPeriod = words[index + 1] }
            case "open_project" where words.count >= 2 && projectName == nil:
                let name = words[words.count - 1]
                if name.hasSuffix("_prj") { projectName = String(name.dropLast(4)) }
            default: break
            }
        }
    }

    /// Fills what `self` leaves open from `other`.
    public func merged(with other: TclSettings) -> TclSettings {
        TclSettings(part: part ?? other.part, clockPeriod: clockPeriod ?? other.clockPeriod,
                    projectName: projectName ?? other.projectName, backend: backend ?? other.backend)
    }

    // Words of one command line: quotes and braces group (and are removed); a comment line gives none.
    private static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var closing: Character?
        var started = false
        for character in line {
            if let end = closing {
                if character == end { closing = nil } else { current.append(character) }
                continue
            }
            switch character {
            case "#" where words.isEmpty && !started:
                return []
            case "\"": closing = "\""; started = true
            case "{": closing = "}"; started = true
            case " ", "\t", ";":
                if started { words.append(current); current = ""; started = false }
            default:
                current.append(character); started = true
            }
        }
        if started { words.append(current) }
        return words
    }
}
