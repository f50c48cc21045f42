/// One element of a parsed document, held as a plain value so results can be shared across threads and compared in tests.
public struct XMLElement: Sendable, Equatable {
    /// Qualified name as written in the document (`prefix:local` when the element is prefixed).
    public var name: String
    /// Attribute values keyed by qualified name; namespace declarations (`xmlns`, `xmlns:p`) are not attributes and are left out.
    public var attributes: [String: String]
    /// Child elements in document order; comments and processing instructions are dropped because reports never carry data in them.
    public var children: [XMLElement]
    /// Character data and CDATA directly inside this element (not its descendants), concatenated in document order with whitespace kept.
    public var text: String

    /// Creates an element; mostly useful for building expected values in tests.
    public init(
        name: String,
        attributes: [String: String] = [:],
        children: [XMLElement] = [],
        text: String = ""
    ) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// `text` without leading or trailing XML whitespace (space, tab, CR, LF), the form report values are compared in.
    public var trimmedText: String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isXMLWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isXMLWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The first child element called `name`, if any.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// All child elements called `name`, in document order.
    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The first element, in document order, reached by following the slash-separated child names in `path` from this element.
    ///
    /// Every branch is searched, so `"a/b"` finds a `b` under the second `a` when the first `a` has none.
    /// Empty components are ignored, so `""` and `"/"` return this element.
    public func path(_ path: String) -> XMLElement? {
        firstMatch(Self.components(of: path)[...])
    }

    /// ``path(_:)`` with the names already split (no empty names), for lookups repeated on many documents.
    public func path(components names: [String]) -> XMLElement? {
        firstMatch(names[...])
    }

    /// Every element, in document order, reached by following the slash-separated child names in `path` from this element.
    public func elements(atPath path: String) -> [XMLElement] {
        var level = [self]
        for name in Self.components(of: path) {
            level = level.flatMap { $0.children(named: name) }
        }
        return level
    }

    /// The trimmed text of the element at `path`, or nil when there is no such element.
    public func textAt(_ path: String) -> String? {
        self.path(path)?.trimmedText
    }

    // Recursion depth is the number of path components, which comes from the caller's code, not from the document.
    private func firstMatch(_ names: ArraySlice<String>) -> XMLElement? {
        guard let name = names.first else { return self }
        let rest = names.dropFirst()
        for child in children where child.name == name {
            if let found = child.firstMatch(rest) { return found }
        }
        return nil
    }

    private static func components(of path: String) -> [String] {
        // An ASCII path splits the same by bytes as by Characters, without grapheme breaking; lookups run per report field.
        if path.utf8.allSatisfy({ $0 < 0x80 }) {
            return path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
        }
        return path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}

private func isXMLWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
}
