/// Disjoint sets over document indices whose root is always the smallest index of its set, so the
/// root is the member to keep when documents are numbered in id order.
public struct UnionFind: Sendable {
    var parent: [Int32] = []
    var size: [Int32] = []

    public init() {}

    /// Adds a singleton set and returns its index.
    @discardableResult
    public mutating func add() -> Int32 {
        let index = Int32(parent.count)
        parent.append(index)
        size.append(1)
        return index
    }

    public var count: Int { parent.count }

    public mutating func find(_ element: Int32) -> Int32 {
        var node = element
        while parent[Int(node)] != node {
            // Path halving keeps trees shallow without recursion.
            let grandparent = parent[Int(parent[Int(node)])]
            parent[Int(node)] = grandparent
            node = grandparent
        }
        return node
    }

    /// Merges two sets; the smaller root index becomes the root.
    public mutating func union(_ a: Int32, _ b: Int32) {
        let rootA = find(a)
        let rootB = find(b)
        guard rootA != rootB else { return }
        let (keep, merge) = rootA < rootB ? (rootA, rootB) : (rootB, rootA)
        parent[Int(merge)] = keep
        size[Int(keep)] += size[Int(merge)]
    }

    /// The size of the set holding `element`.
    public mutating func setSize(_ element: Int32) -> Int { Int(size[Int(find(element))]) }
}

/// The LSH index: one bucket map over all bands (band keys already include the band index), each
/// bucket holding the first document that fell in it; later documents are unioned with it.
///
/// Memory: one dictionary entry (8-byte key, 4-byte value, about 1.33× for the load factor) per
/// distinct band key, so at most about bands × 16 bytes per document (400 bytes for 25 bands), plus 8
/// bytes of union-find per document.
public struct LSHIndex: Sendable {
    var buckets: [UInt64: Int32] = [:]
    public private(set) var clusters = UnionFind()

    public init() {}

    /// Adds the next document (numbered in insertion order) with its band keys; an empty key list adds
    /// a document that can match nothing.
    @discardableResult
    public mutating func insert(bandKeys: [UInt64]) -> Int32 {
        let document = clusters.add()
        for key in bandKeys {
            if let first = buckets[key] {
                clusters.union(first, document)
            } else {
                buckets[key] = document
            }
        }
        return document
    }

    /// The smallest document number of the cluster.
    public mutating func root(of document: Int32) -> Int32 { clusters.find(document) }

    /// The number of documents in the cluster.
    public mutating func clusterSize(of document: Int32) -> Int { clusters.setSize(document) }

    /// Distinct band keys held.
    public var bucketCount: Int { buckets.count }
}
