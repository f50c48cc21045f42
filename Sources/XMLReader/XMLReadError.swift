/// Why a document was not turned into a tree; `code` is stable and meant for logs, tests and error mapping.
public struct XMLReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable reasons; the raw values never change once published.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// `xml.malformed`: not well-formed XML (syntax error, bad encoding, no root element, empty input).
        case malformed = "xml.malformed"
        /// `xml.entity`: the document declares an entity (internal or external, general or parameter) or
        /// references one that is not predefined; refused as a class to rule out XXE and entity expansion bombs.
        case entity = "xml.entity"
        /// `xml.dtd`: the DOCTYPE points at an external DTD (`SYSTEM` or `PUBLIC` identifier); it is never fetched.
        case dtd = "xml.dtd"
        /// `xml.too_large`: input bytes, total character data, a single text node or a name exceed a size cap.
        case tooLarge = "xml.too_large"
        /// `xml.too_deep`: elements nest deeper than ``XMLLimits/maxDepth``.
        case tooDeep = "xml.too_deep"
        /// `xml.too_many_nodes`: more elements plus attributes than ``XMLLimits/maxNodes``.
        case tooManyNodes = "xml.too_many_nodes"
        /// `xml.not_regular`: ``XMLReader/parse(path:limits:)`` was given a directory, FIFO, device or socket.
        case notRegular = "xml.not_regular"
        /// `xml.io`: the file could not be opened or read (missing, permission denied, read error).
        case io = "xml.io"
        /// `xml.internal`: libxml2 could not set up a parser, in practice only when memory runs out.
        case `internal` = "xml.internal"
    }

    /// The stable reason.
    public var code: Code
    /// Human-readable detail, from libxml2 when it reported the problem.
    public var message: String
    /// The locator the caller named the document by (a path for files).
    public var document: String
    /// 1-based line of the problem when known.
    public var line: Int?
    /// 1-based column of the problem when known.
    public var column: Int?

    /// Creates an error; public so callers can build expected values.
    public init(code: Code, message: String, document: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.document = document
        self.line = line
        self.column = column
    }

    /// `document:line:column: code: message`, the shape compilers use so editors can jump to the spot.
    public var description: String {
        var location = document
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(code.rawValue): \(message)"
    }
}
