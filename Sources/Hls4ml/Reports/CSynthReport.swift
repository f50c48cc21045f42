import XMLReader

/// The numbers of an HLS `<top>_csynth.xml` report, as hls4ml's `parse_vivado_report` reads them
/// (`CSynthesisReport`): strings exactly as written in the report.
public struct CSynthReport: Sendable, Equatable, Codable {
    public var targetClockPeriod: String
    public var estimatedClockPeriod: String
    public var bestLatency: String
    public var worstLatency: String
    public var intervalMin: String
    public var intervalMax: String
    /// `./AreaEstimates/Resources/*` by tag, with `DSP48E` (Vivado HLS) renamed `DSP` as hls4ml does.
    public var resources: [String: String]
    /// `./AreaEstimates/AvailableResources/*` by tag, renamed the same way.
    public var available: [String: String]
    /// The tool version in `./ReportVersion/Version` (e.g. `2020.1`), when the report has one.
    public var toolVersion: String?
    /// The part named in `./UserAssignments/Part`, when present.
    public var part: String?

    enum CodingKeys: String, CodingKey {
        case targetClockPeriod = "target_clock_period", estimatedClockPeriod = "estimated_clock_period"
        case bestLatency = "best_latency", worstLatency = "worst_latency"
        case intervalMin = "interval_min", intervalMax = "interval_max"
        case resources, available, toolVersion = "tool_version", part
    }

    /// Parses report bytes through the kit's XML reader, which refuses DTDs and entities before anything they
    /// name is loaded; `name` is how the report is named in problems.
    public init(bytes: [UInt8], name: String) throws {
        let root: XMLElement
        do {
            root = try XMLReader.parse(bytes: bytes, name: name, keeping: Self.keptPaths)
        } catch let error as XMLReadError {
            switch error.code {
            case .entity, .dtd:
                throw Hls4mlProblem(Hls4mlProblem.xmlRefused,
                                    "\(name): the HLS report declares a DTD or an entity, which pipe never loads (\(error.code.rawValue): \(error.message))")
            default:
                let place = error.line.map { " at line \($0)" } ?? ""
                throw Hls4mlProblem(Hls4mlProblem.reportMalformed,
                                    "\(name): the HLS report is not well-formed XML\(place), truncated or damaged (\(error.code.rawValue): \(error.message))")
            }
        }
        guard root.name == "profile" else {
            throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): root element is <\(root.name)>, not <profile>")
        }
        func value(_ path: String) throws -> String {
            guard let text = root.textAt(path) else {
                throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): the HLS report has no \(path)")
            }
            return text
        }
        targetClockPeriod = try value("UserAssignments/TargetClockPeriod")
        estimatedClockPeriod = try value("PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod")
        bestLatency = try value("PerformanceEstimates/SummaryOfOverallLatency/Best-caseLatency")
        worstLatency = try value("PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency")
        intervalMin = try value("PerformanceEstimates/SummaryOfOverallLatency/Interval-min")
        intervalMax = try value("PerformanceEstimates/SummaryOfOverallLatency/Interval-max")
        guard let area = root.path("AreaEstimates/Resources") else {
            throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): the HLS report has no AreaEstimates/Resources")
        }
        resources = Self.tagged(area)
        available = root.path("AreaEstimates/AvailableResources").map(Self.tagged) ?? [:]
        toolVersion = root.textAt("ReportVersion/Version")
        part = root.textAt("UserAssignments/Part")
    }

    // Every element read below, and nothing else: a report has hundreds of elements (per-module latency and
    // resource tables) that the record never looks at, and building them was most of the parse time.
    private static let keptPaths: XMLPathSet = [
        "UserAssignments/TargetClockPeriod",
        "UserAssignments/Part",
        "PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod",
        "PerformanceEstimates/SummaryOfOverallLatency/Best-caseLatency",
        "PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency",
        "PerformanceEstimates/SummaryOfOverallLatency/Interval-min",
        "PerformanceEstimates/SummaryOfOverallLatency/Interval-max",
        "AreaEstimates/Resources",
        "AreaEstimates/AvailableResources",
        "ReportVersion/Version",
    ]

    // hls4ml keeps the last of repeated tags (a dict assignment per child); so do we.
    private static func tagged(_ element: XMLElement) -> [String: String] {
        var values: [String: String] = [:]
        for child in element.children {
            values[child.name == "DSP48E" ? "DSP" : child.name] = child.trimmedText
        }
        return values
    }
}
