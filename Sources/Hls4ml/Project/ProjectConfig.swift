import Readers
import StageKit

/// The parts of `hls4ml_config.yml` a record needs: the `HLSConfig` as written (the record's `hls_config`),
/// and the top-level settings that say how the project was built.
public struct ProjectConfig: Sendable, Equatable, Codable {
    /// `HLSConfig`, kept as the YAML gave it.
    public var hlsConfig: JSONValue
    public var projectName: String?
    public var backend: String?
    public var part: String?
    public var clockPeriod: Double?
    public var ioType: String?

    enum CodingKeys: String, CodingKey {
        case hlsConfig = "hls_config", projectName = "project_name", backend, part, clockPeriod = "clock_period", ioType = "io_type"
    }

    /// Parses the YAML text. hls4ml writes the model as a `!keras_model` tagged scalar; the tag only names a
    /// file, so the scalar is read as the plain string it carries.
    public init(text: String, name: String) throws {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(text: text, path: name)
        } catch let error as PipeError {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): not readable YAML: \(error.message)")
        }
        guard case .object(let top) = document.value else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the hls4ml configuration is not a mapping")
        }
        guard let hls = top["HLSConfig"], case .object = hls else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): the hls4ml configuration has no HLSConfig mapping")
        }
        hlsConfig = hls
        projectName = top["ProjectName"]?.stringValue
        backend = top["Backend"]?.stringValue
        part = top["Part"]?.stringValue
        clockPeriod = top["ClockPeriod"]?.doubleValue ?? top["ClockPeriod"]?.stringValue.flatMap(Double.init)
        ioType = top["IOType"]?.stringValue
    }

    public init(hlsConfig: JSONValue, projectName: String? = nil, backend: String? = nil, part: String? = nil,
                clockPeriod: Double? = nil, ioType: String? = nil) {
        self.hlsConfig = hlsConfig
        self.projectName = projectName
        self.backend = backend
        self.part = part
        self.clockPeriod = clockPeriod
        self.ioType = ioType
    }
}
