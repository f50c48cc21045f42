import StageKit
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

    /// Hashes `count` bytes at `offset` of a buffer.
    @inline(__always)
    public static func hash(_ buffer: UnsafeRawBufferPointer, offset: Int, count: Int, seed: UInt64 = 0) -> UInt64 {
        var h = seed ^ p0 ^ (UInt64(truncatingIfNeeded: count) &* p1)
        var position = offset
        var remaining = count
        while remaining >= 8 {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            h = mum(h ^ word ^ p2, p3 ^ (h >> 29))
            position += 8
            remaining -= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while remaining > 0 {
            tail |= UInt64(buffer[position]) << shift
            shift += 8
            position += 1
            remaining -= 1
        }
        h = mum(h ^ tail ^ p1, p2 ^ UInt64(truncatingIfNeeded: count))
        return mum(h ^ p3, p0) ^ h
    }

    /// Hashes a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, offset: 0, count: $0.count, seed: seed) }
    }

    /// Combines a running hash with one more 64-bit value, order-sensitively.
    @inline(__always)
    public static func combine(_ h: UInt64, _ value: UInt64) -> UInt64 {
        mum(h ^ value ^ p0, p1 ^ (h >> 32 | h << 32))
    }
}
