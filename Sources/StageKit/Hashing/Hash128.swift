/// 128 bits of a SHA-256, as a set or dictionary key: collisions among a corpus' records are out of reach,
/// and it costs 16 bytes where the hex text would cost more than 64.
public struct Hash128: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The first 32 hex digits of a hex digest; nil when they are not hex.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count >= 32, let high = UInt64(String(decoding: utf8[0..<16], as: UTF8.self), radix: 16),
            let low = UInt64(String(decoding: utf8[16..<32], as: UTF8.self), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The key of a record: its id and the item it came from, since two inputs may hold the same record.
    public init(id: String, locator: String) {
        let hash = StableHash.hash128(id + "\u{0}" + locator)
        self.init(high: hash.high, low: hash.low)
    }
}
