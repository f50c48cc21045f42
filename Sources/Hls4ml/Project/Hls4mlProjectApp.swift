import XMLReader

/// The HLS project file (`<name>_prj/vivado_hls.app` or `hls.app`): hls4ml reads the first solution it names.
public enum Hls4mlProjectApp {
    /// The `name` of the first `solutions/solution`, or nil when there is none; throws `Hls4mlProblem` for XML that
    /// is refused (DTD, entities) or not well-formed.
    public static func firstSolution(_ bytes: [UInt8], name: String) throws -> String? {
        do {
            return try XMLReader.parse(bytes: bytes, name: name, keeping: solutionPath).path(components: ["solutions", "solution"])?.attributes["name"]
        } catch let error as XMLReadError {
            let code = [.entity, .dtd].contains(error.code) ? Hls4mlProblem.xmlRefused : Hls4mlProblem.reportMalformed
            throw Hls4mlProblem(code, "\(name): the HLS project file cannot be read (\(error.code.rawValue): \(error.message))")
        }
    }

    // Only the solution list is read; the rest of the file (source lists, settings) need not be built.
    private static let solutionPath: XMLPathSet = ["solutions/solution"]
}
