import StageKit
import Foundation

/// Quantile pools over records ranked best first: pool j holds ranks [round(j·w·n), round((j+1)·w·n)),
/// rounding half away from zero, so that 4 pools of width 0.1 over 200 records hold 20 each.
///
/// Ranks order records by quality, highest first, and records of equal quality by their key (id, then
/// locator and line), the order the reduce phase reads them in; so the cut never depends on scheduling.
/// Records past the last pool belong to no pool.
public struct QuantilePools: Sendable, Equatable {
    public let records: Int
    /// Start rank of every pool, then the end rank of the last one.
    public let boundaries: [Int]

    public init(records: Int, pools: Int, width: Double) throws {
        guard records >= 0, pools >= 1, width > 0, width <= 1 else {
            throw PipeError("filter.pools", "need at least one pool of a width in (0, 1]")
        }
        // A small slack lets 10 pools of width 0.1 cover all records despite 0.1·10 rounding above 1.
        guard Double(pools) * width <= 1 + 1e-9 else {
            throw PipeError("filter.pools", "\(pools) pools of width \(width) cover more than all records")
        }
        self.records = records
        boundaries = (0...pools).map { j in
            min(Int((Double(j) * width * Double(records)).rounded(.toNearestOrAwayFromZero)), records)
        }
    }

    /// How many pools there are.
    public var count: Int { boundaries.count - 1 }

    /// Records in each pool.
    public var sizes: [Int64] { (0..<count).map { Int64(boundaries[$0 + 1] - boundaries[$0]) } }

    /// The pool holding a rank, or nil past the last pool.
    public func pool(ofRank rank: Int) -> Int? {
        guard rank >= 0, rank < boundaries[count] else { return nil }
        // Few pools: a linear scan is as fast as a search and needs no care with empty pools.
        for j in 0..<count where rank < boundaries[j + 1] { return j }
        return nil
    }
}

/// Places records in quantile pools in a second pass over them, in key order, knowing only every
/// record's quality sorted from the first pass: one `Double` per record, not the records.
///
/// A record's rank is the number of records of higher quality plus the number of records of equal quality
/// that came before it in key order. Only groups of equal quality that straddle a pool boundary need that
/// count; there are at most as many such groups as boundaries.
public struct PoolAssigner: Sendable {
    public let pools: QuantilePools
    private let sorted: [Double]
    private var seenOfTie: [Double: Int] = [:]

    /// Takes `qualities` (in any order), leaving the caller's array empty, and sorts them in place,
    /// highest first: the memory of one `Double` per record is never held twice.
    public init(qualities: inout [Double], pools: QuantilePools) {
        self.pools = pools
        var values: [Double] = []
        swap(&values, &qualities)
        values.sort(by: >)
        sorted = values
    }

    /// The sorted qualities, highest first.
    public var sortedQualities: [Double] { sorted }

    /// The pool of the next record in key order, or nil when it falls past the last pool.
    public mutating func pool(of quality: Double) -> Int? {
        let above = firstIndex { $0 <= quality }
        let notBelow = firstIndex { $0 < quality }
        let first = pools.pool(ofRank: above)
        guard notBelow - above > 1, pools.pool(ofRank: notBelow - 1) != first else { return first }
        let seen = seenOfTie[quality, default: 0]
        seenOfTie[quality] = seen + 1
        return pools.pool(ofRank: above + seen)
    }

    /// The first index of `sorted` (descending) where `predicate` holds; it holds from there on.
    private func firstIndex(where predicate: (Double) -> Bool) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(sorted[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Highest and lowest quality in each pool (nil for an empty pool).
    public var qualityBounds: [QualityBounds?] {
        (0..<pools.count).map { j in
            let start = pools.boundaries[j]
            let end = pools.boundaries[j + 1]
            return end > start ? QualityBounds(highest: sorted[start], lowest: sorted[end - 1]) : nil
        }
    }
}

/// The highest and lowest quality found in one pool.
public struct QualityBounds: Sendable, Equatable {
    public var highest: Double
    public var lowest: Double
}
