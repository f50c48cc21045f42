/// Caps applied while parsing, so a hostile or corrupt document fails fast instead of exhausting memory or time.
public struct XMLLimits: Sendable, Equatable {
    /// libxml2's own nesting ceiling while `XML_PARSE_HUGE` is off (it is always off here), so deeper caps cannot take effect.
    public static let libxml2MaxDepth = 256

    /// Largest accepted input in bytes; also bounded by libxml2's `int` buffer length.
    public var maxInputBytes: Int
    /// Deepest accepted element nesting (the root is depth 1); values above ``libxml2MaxDepth`` act as ``libxml2MaxDepth``.
    public var maxDepth: Int
    /// Most elements plus attributes accepted in one document.
    public var maxNodes: Int
    /// Most bytes of character data and CDATA accepted in one document, summed over all elements.
    public var maxTextBytes: Int

    /// Creates limits; the argument defaults are the single source of the default caps.
    public init(
        maxInputBytes: Int = 64 * 1024 * 1024,
        maxDepth: Int = XMLLimits.libxml2MaxDepth,
        maxNodes: Int = 4_000_000,
        maxTextBytes: Int = 64 * 1024 * 1024
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxTextBytes = maxTextBytes
    }

    /// The caps used when a caller does not choose: generous for multi-megabyte csynth reports, tight enough to stop abuse.
    public static let `default` = XMLLimits()

    // The parser works with these, so a caller cannot ask for more than libxml2 can give or for negative caps.
    var effectiveMaxInputBytes: Int { min(max(maxInputBytes, 0), Int(Int32.max)) }
    var effectiveMaxDepth: Int { min(max(maxDepth, 1), Self.libxml2MaxDepth) }
    var effectiveMaxNodes: Int { max(maxNodes, 1) }
    var effectiveMaxTextBytes: Int { max(maxTextBytes, 0) }
}
