/// Entry points for turning untrusted XML into an ``XMLElement`` tree with entities, DTD loading and network access refused.
///
/// The pointer work lives in `LibXML2Parser.swift` (libxml2) and `FileInput.swift` (POSIX); everything here is safe Swift.
public enum XMLReader {
    /// Parses `bytes` as one XML document and returns its root element.
    ///
    /// - Parameter name: how the document is named in errors, e.g. a path or `"<stdin>"`.
    /// - Throws: ``XMLReadError``; see ``XMLReadError/Code`` for the reasons.
    public static func parse(bytes: [UInt8], limits: XMLLimits = .default, name: String) throws -> XMLElement {
        try checkInput(bytes, limits: limits, name: name)
        return try LibXML2Parser.parse(bytes: bytes, limits: limits, name: name)
    }

    /// Parses `bytes` like ``parse(bytes:limits:name:)`` but builds only the elements at `paths`, with their subtrees.
    ///
    /// libxml2 streams the document through SAX callbacks and never builds its own tree; every element is still read,
    /// so the same refusals (DTDs, entities), caps and well-formedness errors apply to the whole document. The root is
    /// always returned; elements on the way to a kept path keep their name, attributes and text, and only the children
    /// that lead to or are kept elements. So `root.path(p)` for a kept `p` (or below one) equals the full parse's.
    public static func parse(bytes: [UInt8], limits: XMLLimits = .default, name: String, keeping paths: XMLPathSet) throws -> XMLElement {
        try checkInput(bytes, limits: limits, name: name)
        return try LibXML2Parser.parse(bytes: bytes, limits: limits, name: name, keeping: paths)
    }

    /// Reads the regular file at `path` like ``parse(path:limits:)`` and parses it like ``parse(bytes:limits:name:keeping:)``.
    public static func parse(path: String, limits: XMLLimits = .default, keeping paths: XMLPathSet) throws -> XMLElement {
        let bytes = try FileInput.readRegularFile(path: path, maxBytes: limits.effectiveMaxInputBytes)
        return try parse(bytes: bytes, limits: limits, name: path, keeping: paths)
    }

    // The checks made before libxml2 sees anything, shared by both parse modes.
    private static func checkInput(_ bytes: [UInt8], limits: XMLLimits, name: String) throws {
        guard bytes.count <= limits.effectiveMaxInputBytes else {
            throw XMLReadError(
                code: .tooLarge,
                message: "input is \(bytes.count) bytes, more than the \(limits.effectiveMaxInputBytes)-byte cap",
                document: name
            )
        }
        guard !bytes.isEmpty else {
            throw XMLReadError(code: .malformed, message: "document is empty", document: name, line: 1, column: 1)
        }
    }

    /// Reads the regular file at `path` (refusing FIFOs, devices, sockets and directories without blocking) and parses it.
    ///
    /// Symlinks are followed; the size cap is checked before and while reading, so a growing file cannot exceed it.
    public static func parse(path: String, limits: XMLLimits = .default) throws -> XMLElement {
        let bytes = try FileInput.readRegularFile(path: path, maxBytes: limits.effectiveMaxInputBytes)
        return try parse(bytes: bytes, limits: limits, name: path)
    }

    /// How many external-resource loads libxml2 asked for and this module refused, process-wide, since launch.
    ///
    /// Parsing refuses entity declarations before libxml2 would fetch anything, so a parse normally leaves this unchanged.
    public static var refusedExternalLoads: Int {
        LibXML2Parser.refusedExternalLoads
    }

    /// Asks libxml2 to load `url` exactly as it would load an external entity and reports whether the guard refused it.
    ///
    /// Exists so callers and tests can check end to end that the process-wide loader is installed; nothing is opened.
    public static func externalLoadIsRefused(url: String) -> Bool {
        LibXML2Parser.externalLoadIsRefused(url: url)
    }
}
