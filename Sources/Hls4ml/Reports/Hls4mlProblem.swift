/// Why a project file or a whole project gave no record: a reject in the making, with a stable code.
public struct Hls4mlProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reject code (`hls4ml.xml_refused`, `hls4ml.report_malformed`, `hls4ml.incomplete`, ...); README lists them.
    public var code: String
    /// A sentence for people, naming the file or piece at fault.
    public var reason: String

    public init(_ code: String, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(reason) [\(code)]" }

    /// An XML report that declares a DTD or an entity: refused before libxml2 could read anything it names.
    static let xmlRefused = "hls4ml.xml_refused"
    /// A report that is not well-formed (often truncated) or lacks a value the record needs.
    static let reportMalformed = "hls4ml.report_malformed"
    /// A configuration or model file that cannot be read as one.
    static let configMalformed = "hls4ml.config_malformed"
    /// A Keras layer pipe cannot describe (its shapes or parameters are unknown to it).
    static let unsupportedLayer = "hls4ml.unsupported_layer"
    /// A project folder that lacks a piece a record needs.
    static let incomplete = "hls4ml.incomplete"
}
