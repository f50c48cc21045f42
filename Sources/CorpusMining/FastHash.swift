/// A fast, well-mixed, non-cryptographic 64-bit hash for MinHash shingles and LSH band keys.
///
/// Built from 64×64→128-bit multiply-and-fold steps (the "mum" mix of the wyhash family), eight bytes
/// per step, so a short code token costs a handful of cycles. Stable across platforms: input words
/// are read little-endian.
public enum FastHash {
    static let p0: UInt64 = 0xA076_1D64_78BD_642F
    static let p1: UInt64 = 0xE703_7ED1_A0B4_28DB
    static let p2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    static let p3: UInt64 = 0x5899_65CC_7537_4CC3

    /// Multiplies to 128 bits and folds the halves together.
    @inline(__always)
    public static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    // The hash of bytes reads raw memory, so it lives in ByteScanning.swift.

    /// Combines a running hash with one more 64-bit value, order-sensitively.
    @inline(__always)
    public static func combine(_ h: UInt64, _ value: UInt64) -> UInt64 {
        mum(h ^ value ^ p0, p1 ^ (h >> 32 | h << 32))
    }
}
