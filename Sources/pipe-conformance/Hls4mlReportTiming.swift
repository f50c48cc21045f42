import Foundation
import Hls4ml
import StageKit

/// Reads an hls4ml project folder's reports the way hls4ml's `parse_vivado_report` finds them (project.tcl's
/// project name, the first solution of `<name>_prj/vivado_hls.app`, `<name>_csynth.xml`, `vivado_synth.rpt`) with
/// pipe's parsers, `repeats` times, and prints hls4ml's dictionary shape plus the time:
/// `{"CSynthesisReport": {...}, "VivadoSynthReport": {...}, "repeats": N, "seconds": S}`. scripts/conformance
/// compares the dictionaries with hls4ml's own; scripts/bench-hls4ml compares the times.
func runHls4mlReport(directory: String, repeats: Int) -> Int32 {
    func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }
    var result: JSONValue = .null
    let start = Date()
    for _ in 0..<repeats {
        guard let tclBytes = read(directory + "/project.tcl") else { fail("no project.tcl in \(directory)", code: 1) }
        let tcl = TclSettings(text: String(decoding: tclBytes, as: UTF8.self))
        let name = tcl.projectName ?? "myproject"
        let top = name + ((tcl.backend ?? "").lowercased().contains("accelerator") ? "_axi" : "")
        let prj = directory + "/" + name + "_prj"
        var solution = "solution1"
        for app in ["vivado_hls.app", "hls.app"] {
            guard let bytes = read(prj + "/" + app), let found = try? Hls4mlProjectApp.firstSolution(bytes, name: app) else { continue }
            solution = found
            break
        }
        var members: [String: JSONValue] = [:]
        if let xml = read("\(prj)/\(solution)/syn/report/\(top)_csynth.xml") {
            do {
                let report = try CSynthReport(bytes: xml, name: "csynth.xml")
                var csynth: [String: JSONValue] = [
                    "TargetClockPeriod": .string(report.targetClockPeriod), "EstimatedClockPeriod": .string(report.estimatedClockPeriod),
                    "BestLatency": .string(report.bestLatency), "WorstLatency": .string(report.worstLatency),
                    "IntervalMin": .string(report.intervalMin), "IntervalMax": .string(report.intervalMax),
                ]
                for (tag, value) in report.resources { csynth[tag] = .string(value) }
                for (tag, value) in report.available { csynth["Available" + tag] = .string(value) }
                members["CSynthesisReport"] = .object(csynth)
            } catch {
                fail("\(error)", code: 1)
            }
        }
        if let rpt = read(directory + "/vivado_synth.rpt") {
            do {
                let report = try VivadoSynthReport(bytes: rpt, name: "vivado_synth.rpt")
                members["VivadoSynthReport"] = .object(report.values.mapValues { .string($0) })
            } catch {
                fail("\(error)", code: 1)
            }
        }
        result = .object(members)
    }
    let seconds = Date().timeIntervalSince(start)
    guard case .object(var members) = result else { return 1 }
    members["repeats"] = .integer(Int64(repeats))
    members["seconds"] = .number(seconds)
    print(JSONWriter.compactString(.object(members)))
    return 0
}
