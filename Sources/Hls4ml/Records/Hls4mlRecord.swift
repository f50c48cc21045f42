import Foundation
import StageKit

/// A wa-hls4ml record built from one hls4ml project, in the published schema (report values as strings), before
/// pipe's additions (`RecordAdditions`).
public struct Hls4mlRecord: Sendable, Equatable, Encodable {
    /// `meta_data`: a content-derived UUID, the network's name, and the file the project came from.
    public struct MetaData: Sendable, Equatable, Encodable {
        public var uuid: String
        public var modelName: String
        public var artifactsFile: String

        enum CodingKeys: String, CodingKey { case uuid, modelName = "model_name", artifactsFile = "artifacts_file" }
    }

    public var metaData: MetaData
    public var modelConfig: [LayerDescription]
    public var hlsConfig: JSONValue
    public var resourceReport: [String: String]
    public var hlsResourceReport: [String: String]
    public var latencyReport: [String: String]
    public var targetPart: String
    public var vivadoVersion: String
    public var hls4mlVersion: String

    enum CodingKeys: String, CodingKey {
        case metaData = "meta_data", modelConfig = "model_config", hlsConfig = "hls_config"
        case resourceReport = "resource_report", hlsResourceReport = "hls_resource_report", latencyReport = "latency_report"
        case targetPart = "target_part", vivadoVersion = "vivado_version", hls4mlVersion = "hls4ml_version"
    }

    /// `hls_resource_report` from the HLS report (`BRAM_18K`, `DSP`, `FF`, `LUT`, `URAM` when present).
    static func hlsResources(_ report: CSynthReport) -> [String: String] {
        var out: [String: String] = [:]
        for (key, tag) in [("bram", "BRAM_18K"), ("dsp", "DSP"), ("ff", "FF"), ("lut", "LUT"), ("uram", "URAM")] {
            if let value = report.resources[tag] { out[key] = value }
        }
        return out
    }

    /// `resource_report` from the utilisation report (`bram` is in 36 Kb tiles, as written); `{}` without one.
    static func synthesisResources(_ report: VivadoSynthReport?) -> [String: String] {
        guard let report else { return [:] }
        var out: [String: String] = [:]
        for (key, tag) in [("bram", "BRAM_18K"), ("dsp", "DSP48E"), ("ff", "FF"), ("lut", "LUT"), ("uram", "URAM")] {
            if let value = report.values[tag] { out[key] = value }
        }
        return out
    }

    /// `latency_report` from the HLS report.
    static func latency(_ report: CSynthReport) -> [String: String] {
        ["cycles_min": report.bestLatency, "cycles_max": report.worstLatency, "target_clock": report.targetClockPeriod,
         "estimated_clock": report.estimatedClockPeriod, "interval_min": report.intervalMin, "interval_max": report.intervalMax]
    }
}

/// The parsed files of one project, joined into a record.
public struct ProjectPieces: Sendable {
    /// The project's locator up to its folder (`Data/hls4ml/dense_rf4`, `Data/hls4ml/p.tar.gz!conv_rf8`).
    public var project: String
    public var config: ProjectConfig?
    public var model: KerasModel?
    public var csynth: CSynthReport?
    public var synth: VivadoSynthReport?
    public var tcl = TclSettings()
    /// Pieces whose file was found but could not be read, with why.
    public var unusable: [String: String] = [:]

    public init(project: String) { self.project = project }

    /// The record, or the problem that names every missing or unusable piece.
    public func record(hls4mlVersion: String, requireSynthesis: Bool) throws -> JSONValue {
        var missing: [String] = []
        func need(_ present: Bool, _ piece: String, _ description: String) {
            guard !present else { return }
            if let why = unusable[piece] { missing.append("\(description) unusable (\(why))") } else { missing.append("no \(description)") }
        }
        need(config != nil, "config", "hls4ml_config.yml")
        need(model != nil, "model", "Keras model (model JSON or .keras)")
        need(csynth != nil, "csynth", "HLS report (<prj>/<solution>/syn/report/<top>_csynth.xml)")
        if requireSynthesis || unusable["synth"] != nil { need(synth != nil, "synth", "synthesis report (vivado_synth.rpt)") }
        let part = tcl.part ?? config?.part
        if part == nil && config != nil { missing.append("no target part (project.tcl, build_prj.tcl or Part in hls4ml_config.yml)") }
        guard missing.isEmpty, let config, let model, let csynth, let part else {
            throw Hls4mlProblem(Hls4mlProblem.incomplete, "project \(project) is incomplete: " + missing.joined(separator: "; "))
        }
        let layers = try LayerDescriber.describe(model, hlsConfig: config.hlsConfig)
        let folder = Self.lastComponent(project)
        var record = Hls4mlRecord(
            metaData: .init(uuid: "", modelName: Self.withoutReuseSuffix(folder), artifactsFile: Self.artifactsFile(project)),
            modelConfig: layers, hlsConfig: config.hlsConfig, resourceReport: Hls4mlRecord.synthesisResources(synth),
            hlsResourceReport: Hls4mlRecord.hlsResources(csynth), latencyReport: Hls4mlRecord.latency(csynth), targetPart: part,
            vivadoVersion: csynth.toolVersion ?? "unknown", hls4mlVersion: hls4mlVersion)
        record.metaData.uuid = Self.uuid(StableHash.sha256Hex(try CanonicalJSON.encode(record)))
        return try RecordAdditions.adding(to: try CanonicalJSON.value(of: record), ioType: config.ioType)
    }

    /// A UUID-shaped text of a hash (version 8, "custom", RFC 9562): content-derived, so rebuilding gives the same.
    static func uuid(_ hex: String) -> String {
        var digits = Array(hex.prefix(32))
        digits[12] = "8"
        let variant = Int(String(digits[16]), radix: 16) ?? 0
        digits[16] = Array("89ab")[variant & 3]
        let text = String(digits)
        let cut = [8, 4, 4, 4, 12]
        var parts: [String] = []
        var start = text.startIndex
        for length in cut {
            let end = text.index(start, offsetBy: length)
            parts.append(String(text[start..<end]))
            start = end
        }
        return parts.joined(separator: "-")
    }

    static func lastComponent(_ locator: String) -> String {
        guard let cut = locator.lastIndex(where: { $0 == "/" || $0 == "!" }) else { return locator }
        return String(locator[locator.index(after: cut)...])
    }

    /// `dense_64_32_rf8` → `dense_64_32` (wa-hls4ml strips the reuse suffix of the project folder).
    static func withoutReuseSuffix(_ name: String) -> String {
        guard let range = name.range(of: "_rf", options: .backwards) else { return name }
        let tail = name[range.upperBound...]
        return !tail.isEmpty && tail.allSatisfy(\.isNumber) ? String(name[..<range.lowerBound]) : name
    }

    /// The archive's file name for a project read from one, else the project folder's name.
    static func artifactsFile(_ project: String) -> String {
        if let bang = project.firstIndex(of: "!") { return lastComponent(String(project[..<bang])) }
        return lastComponent(project)
    }
}
