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
        func value(_ path: [String]) throws -> String {
            guard let text = root.path(components: path)?.trimmedText else {
                throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): the HLS report has no \(path.joined(separator: "/"))")
            }
            return text
        }
        targetClockPeriod = try value(Self.targetClockPeriodPath)
        estimatedClockPeriod = try value(Self.estimatedClockPeriodPath)
        bestLatency = try value(Self.bestLatencyPath)
        worstLatency = try value(Self.worstLatencyPath)
        intervalMin = try value(Self.intervalMinPath)
        intervalMax = try value(Self.intervalMaxPath)
        guard let area = root.path(components: Self.resourcesPath) else {
            throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): the HLS report has no AreaEstimates/Resources")
        }
        resources = Self.tagged(area)
        available = root.path(components: Self.availablePath).map(Self.tagged) ?? [:]
        toolVersion = root.path(components: Self.versionPath)?.trimmedText
        part = root.path(components: Self.partPath)?.trimmedText
    }

    // The paths split once, not per report; each is also in keptPaths.
    private static let targetClockPeriodPath = ["UserAssignments", "TargetClockPeriod"]
    private static let partPath = ["UserAssignments", "Part"]
    private static let estimatedClockPeriodPath = ["PerformanceEstimates", "SummaryOfTimingAnalysis", "EstimatedClockPeriod"]
    private static let bestLatencyPath = ["PerformanceEstimates", "SummaryOfOverallLatency", "Best-caseLatency"]
    private static let worstLatencyPath = ["PerformanceEstimates", "SummaryOfOverallLatency", "Worst-caseLatency"]
    private static let intervalMinPath = ["PerformanceEstimates", "SummaryOfOverallLatency", "Interval-min"]
    private static let intervalMaxPath = ["PerformanceEstimates", "SummaryOfOverallLatency", "Interval-max"]
    private static let resourcesPath = ["AreaEstimates", "Resources"]
    private static let availablePath = ["AreaEstimates", "AvailableResources"]
    private static let versionPath = ["ReportVersion", "Version"]
    // Every element read above, and nothing else: a report has hundreds of elements (per-module latency and
    // resource tables) that the record never looks at, and building them was most of the parse time.
    private static let keptPaths = XMLPathSet([
        targetClockPeriodPath, partPath, estimatedClockPeriodPath, bestLatencyPath, worstLatencyPath, intervalMinPath,
        intervalMaxPath, resourcesPath, availablePath, versionPath,
    ].map { $0.joined(separator: "/") })

    // hls4ml keeps the last of repeated tags (a dict assignment per child); so do we.
    private static func tagged(_ element: XMLElement) -> [String: String] {
        var values: [String: String] = [:]
        for child in element.children {
            values[child.name == "DSP48E" ? "DSP" : child.name] = child.trimmedText
        }
        return values
    }
}
