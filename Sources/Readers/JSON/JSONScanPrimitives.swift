// Byte-level helpers for JSONElementFramer. They work eight bytes at a time
// (SWAR) because strings and whitespace are most of a JSON input, and a call to
// memchr per short string costs more than it saves.

let swarLow: UInt64 = 0x0101_0101_0101_0101
let swarHigh: UInt64 = 0x8080_8080_8080_8080

/// Index of the first `"` or `\` in `p[from..<to]`, or `to` if there is none.
@inline(__always)
func findQuoteOrBackslash(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
    var i = from
    let raw = UnsafeRawPointer(p)
    while i &+ 16 <= to {
        // Two words per round: most string bodies are 8-40 bytes long.
        let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let q = x ^ 0x2222_2222_2222_2222
        let b = x ^ 0x5C5C_5C5C_5C5C_5C5C
        // The lowest flagged byte is exact; borrows only create false flags above a true one.
        let m = (((q &- swarLow) & ~q) | ((b &- swarLow) & ~b)) & swarHigh
        if m != 0 { return i &+ (m.trailingZeroBitCount &>> 3) }
        let y = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
        let q2 = y ^ 0x2222_2222_2222_2222
        let b2 = y ^ 0x5C5C_5C5C_5C5C_5C5C
        let m2 = (((q2 &- swarLow) & ~q2) | ((b2 &- swarLow) & ~b2)) & swarHigh
        if m2 != 0 { return i &+ 8 &+ (m2.trailingZeroBitCount &>> 3) }
        i &+= 16
    }
    while i &+ 8 <= to {
        let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let q = x ^ 0x2222_2222_2222_2222
        let b = x ^ 0x5C5C_5C5C_5C5C_5C5C
        let m = (((q &- swarLow) & ~q) | ((b &- swarLow) & ~b)) & swarHigh
        if m != 0 { return i &+ (m.trailingZeroBitCount &>> 3) }
        i &+= 8
    }
    while i < to {
        let c = p[i]
        if c == 0x22 || c == 0x5C { return i }
        i &+= 1
    }
    return to
}

/// Number of `\n` bytes in `p[from..<to]`.
@inline(__always)
func countNewlines(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
    var i = from
    var count = 0
    let raw = UnsafeRawPointer(p)
    while i &+ 8 <= to {
        // Per-byte counters instead of popcount: baseline x86-64 has no POPCNT.
        // 255 words keep each byte lane below overflow.
        var lanes: UInt64 = 0
        let blockEnd = min(to, i &+ 8 &* 255)
        while i &+ 8 <= blockEnd {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let nonzero = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & swarHigh
            lanes &+= (nonzero ^ swarHigh) &>> 7
            i &+= 8
        }
        let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes &>> 8) & 0x00FF_00FF_00FF_00FF)
        count &+= Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) &>> 48)
    }
    while i < to {
        if p[i] == 0x0A { count &+= 1 }
        i &+= 1
    }
    return count
}

/// JSON insignificant whitespace (RFC 8259): space, tab, line feed, carriage return.
@inline(__always)
func isJSONWhitespace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
}

/// Whitespace that may pad a JSON Lines record inside its line.
@inline(__always)
func isLineBlank(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0D
}

/// Whether `c` ends a bare scalar (number or literal): whitespace, control bytes, or a structural byte.
@inline(__always)
func endsBareScalar(_ c: UInt8) -> Bool {
    if c <= 0x20 { return true }
    switch c {
    case 0x22, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D: return true  // " , [ ] { }
    default: return false
    }
}

/// Whether `c` can start a bare scalar: `-`, a digit, or the first letter of true/false/null.
@inline(__always)
func startsBareScalar(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x74 || c == 0x66 || c == 0x6E
}

/// A short, log-safe name for a byte in problem reasons.
func describeByte(_ c: UInt8) -> String {
    if c >= 0x21 && c < 0x7F { return "'" + String(Character(Unicode.Scalar(c))) + "'" }
    let hex = String(c, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
}
