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
        // For ASCII text without CR LF pairs every byte is its own Character, so reading bytes gives exactly the
        // Character reading's words, several times faster; anything else takes the Character path.
        let bytes = Array(text.utf8)
        if Self.readsAsBytes(bytes) {
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
                if end > start { apply(Self.words(bytes: bytes[start..<end])) }
                start = end + 1
            }
            return
        }
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            apply(Self.words(rawLine))
        }
    }

    private static func readsAsBytes(_ buffer: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for byte in buffer {
            if byte >= 0x80 || (previous == 0x0D && byte == 0x0A) { return false }
            previous = byte
        }
        return true
    }

    // One command line's effect; later statements win.
    private mutating func apply(_ words: [String]) {
        guard let command = words.first else { return }
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

    /// Fills what `self` leaves open from `other`.
    public func merged(with other: TclSettings) -> TclSettings {
        TclSettings(part: part ?? other.part, clockPeriod: clockPeriod ?? other.clockPeriod,
                    projectName: projectName ?? other.projectName, backend: backend ?? other.backend)
    }

    // `words(_:)` on the bytes of an ASCII line, state for state.
    private static func words(bytes line: ArraySlice<UInt8>) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var closing: UInt8?
        var started = false
        for byte in line {
            if let end = closing {
                if byte == end { closing = nil } else { current.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "#") where words.isEmpty && !started:
                return []
            case UInt8(ascii: "\""): closing = UInt8(ascii: "\""); started = true
            case UInt8(ascii: "{"): closing = UInt8(ascii: "}"); started = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ";"):
                if started {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                    started = false
                }
            default:
                current.append(byte); started = true
            }
        }
        if started { words.append(String(decoding: current, as: UTF8.self)) }
        return words
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
