/// Element paths to keep when parsing with ``XMLReader/parse(bytes:limits:name:keeping:)``, compiled once into a trie.
///
/// A path is slash-separated element names (qualified, `prefix:local`, as in ``XMLElement/name``) below the root, the
/// form ``XMLElement/path(_:)`` takes: `"a/b"` keeps every `b` under every `a` under the root, with its whole subtree.
/// `""` (or `"/"`) keeps the whole document.
public struct XMLPathSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// One trie node: the names of the children that continue a path, or `keepsAll` when a path ends here.
    struct Node: Sendable, Equatable {
        var edges: [Edge] = []
        var keepsAll = false
    }

    /// A child name as UTF-8 bytes, so the parser can compare it with libxml2's names without making a String.
    struct Edge: Sendable, Equatable {
        var name: [UInt8]
        var node: Int
    }

    /// The paths as given, for messages and equality.
    public let paths: [String]
    /// Node 0 stands for the root element; the parser walks edges by element name from there.
    let nodes: [Node]

    /// Compiles `paths`; duplicates and paths below an already kept path are harmless.
    public init(_ paths: [String]) {
        self.paths = paths
        var nodes = [Node()]
        for path in paths {
            var current = 0
            for component in path.split(separator: "/", omittingEmptySubsequences: true) {
                let name = Array(component.utf8)
                if let edge = nodes[current].edges.first(where: { $0.name == name }) {
                    current = edge.node
                } else {
                    nodes.append(Node())
                    nodes[current].edges.append(Edge(name: name, node: nodes.count - 1))
                    current = nodes.count - 1
                }
            }
            nodes[current].keepsAll = true
        }
        self.nodes = nodes
    }

    /// Compiles the listed paths.
    public init(arrayLiteral paths: String...) {
        self.init(paths)
    }
}
