/// What a file of an hls4ml project is, and which project it belongs to, from its locator alone (so map can
/// route it before reading it).
public struct ProjectFile: Sendable, Equatable {
    /// The piece a file gives.
    public enum Piece: String, Sendable, Equatable, Codable {
        case config, model, kerasArchive = "keras", csynth, synth, tcl, app
    }

    public var piece: Piece
    /// The locator up to the project folder: everything before the file (or before `<name>_prj/`).
    public var project: String
    /// For an HLS report, its solution folder; for an app file, nothing.
    public var solution: String?

    public init(piece: Piece, project: String, solution: String? = nil) {
        self.piece = piece
        self.project = project
        self.solution = solution
    }

    /// The role of the file at `locator` (`path` or `archive!entry`), or nil for files a record does not use
    /// (firmware, test benches, sub-function HLS reports).
    public static func classify(_ locator: String) -> ProjectFile? {
        let (folder, name) = split(locator)
        guard let folder else { return nil }
        switch name {
        case "hls4ml_config.yml", "hls4ml_config.yaml": return ProjectFile(piece: .config, project: folder)
        case "project.tcl", "build_prj.tcl": return ProjectFile(piece: .tcl, project: folder)
        case "vivado_synth.rpt": return ProjectFile(piece: .synth, project: folder)
        case "vivado_hls.app", "hls.app":
            let (parent, prj) = split(folder)
            guard let parent, prj.hasSuffix("_prj") else { return nil }
            return ProjectFile(piece: .app, project: parent)
        default: break
        }
        if name.hasSuffix("_csynth.xml") {
            // <project>/<top>_prj/<solution>/syn/report/<top>[_axi]_csynth.xml
            let (report, reportName) = split(folder)
            guard reportName == "report", let report else { return nil }
            let (syn, synName) = split(report)
            guard synName == "syn", let syn else { return nil }
            let (prjPath, solution) = split(syn)
            guard let prjPath else { return nil }
            let (project, prj) = split(prjPath)
            guard let project, prj.hasSuffix("_prj") else { return nil }
            let top = String(prj.dropLast(4))
            guard name == top + "_csynth.xml" || name == top + "_axi_csynth.xml" else { return nil }
            return ProjectFile(piece: .csynth, project: project, solution: solution)
        }
        // Model files sit at the project's top, never inside the HLS project or the firmware.
        let inside = locator.contains("_prj/") || locator.contains("/firmware/") || locator.contains("/tb_data/")
        if name.hasSuffix(".keras") && !inside { return ProjectFile(piece: .kerasArchive, project: folder) }
        if name.hasSuffix(".json") && !inside { return ProjectFile(piece: .model, project: folder) }
        return nil
    }

    // (everything before the last `/` or `!`, the rest); nil folder for a bare name.
    static func split(_ locator: String) -> (String?, String) {
        guard let cut = locator.lastIndex(where: { $0 == "/" || $0 == "!" }) else { return (nil, locator) }
        return (String(locator[..<cut]), String(locator[locator.index(after: cut)...]))
    }
}
