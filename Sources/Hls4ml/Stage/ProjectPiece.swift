import StageKit

/// A record of the hidden `pieces` stream: one parsed project file, keyed by its project, so that reduce sees
/// every piece of a project together whichever task read it.
struct ProjectPiece: Codable, Sendable, Equatable {
    /// The project's locator up to its folder; the stream's id, so pieces of one project sort together.
    var project: String
    var piece: ProjectFile.Piece
    var locator: String
    /// The solution folder of an HLS report, or the first solution an app file names.
    var solution: String?
    /// The parsed content, by piece: `ProjectConfig`, the Keras model JSON, `CSynthReport`, `VivadoSynthReport`,
    /// `TclSettings`; null when the file could not be read.
    var data: JSONValue?
    /// Why the file could not be read, when it could not.
    var error: String?

    enum CodingKeys: String, CodingKey { case project = "id", piece, locator, solution, data, error }

    /// Parses one project file's bytes into its piece; a file that cannot be read gives a piece with `error` and
    /// the problem, which map also records as a reject of the file.
    static func parse(_ file: ProjectFile, bytes: [UInt8], locator: String) -> (ProjectPiece, Hls4mlProblem?) {
        var piece = ProjectPiece(project: file.project, piece: file.piece, locator: locator, solution: file.solution)
        do {
            switch file.piece {
            case .config:
                piece.data = try CanonicalJSON.value(of: try ProjectConfig(text: try text(bytes, locator), name: locator))
            case .model:
                piece.data = try CanonicalJSON.value(of: try modelValue(json: bytes, name: locator))
            case .kerasArchive:
                let archive = try ZipArchive(bytes: bytes, name: locator)
                guard let config = try archive.content(of: "config.json") else {
                    throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(locator): the .keras archive has no config.json")
                }
                piece.piece = .model
                piece.data = try modelValue(json: config, name: locator + "!config.json")
            case .csynth:
                piece.data = try CanonicalJSON.value(of: try CSynthReport(bytes: bytes, name: locator))
            case .synth:
                piece.data = try CanonicalJSON.value(of: try VivadoSynthReport(bytes: bytes, name: locator))
            case .tcl:
                piece.data = try CanonicalJSON.value(of: TclSettings(text: try text(bytes, locator)))
            case .app:
                piece.solution = try Hls4mlProjectApp.firstSolution(bytes, name: locator)
            }
            return (piece, nil)
        } catch let problem as Hls4mlProblem {
            piece.error = problem.reason
            return (piece, problem)
        } catch {
            let problem = Hls4mlProblem(Hls4mlProblem.configMalformed, "\(locator): \(error)")
            piece.error = problem.reason
            return (piece, problem)
        }
    }

    private static func text(_ bytes: [UInt8], _ locator: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(locator): not UTF-8 text")
        }
        return text
    }

    // The model JSON, checked to be a Keras model description.
    private static func modelValue(json bytes: [UInt8], name: String) throws -> JSONValue {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the Keras model is not valid JSON (\(error))")
        }
        _ = try KerasModel(value: value, name: name)
        return value
    }
}
