import StageKit

/// Seeded inputs and output comparison, shared by the checks, the generator's verification and the evaluation.
public enum Buffers {
    /// Input buffers (all but the last `outputs`) in TIR order, as little-endian bytes: float32 uniform in
    /// [0, 1) like upstream's `np.random.random`, int32 and bool 0 or 1. Deterministic in `seed`.
    public static func inputs(_ buffers: [TIRBuffer], outputs: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        for buffer in buffers.prefix(buffers.count - outputs) {
            for _ in 0..<buffer.count {
                let draw = generator.next()
                switch buffer.dtype {
                case .float32:
                    // 24 random bits give every float in [0, 1) on the 2^-24 grid, exactly representable.
                    let value = Float(draw >> 40) / Float(1 << 24)
                    append(value.bitPattern, to: &bytes)
                case .int32:
                    append(UInt32(draw >> 63), to: &bytes)
                case .bool:
                    bytes.append(UInt8(draw >> 63))
                }
            }
        }
        return bytes
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Bytes of the output buffers (the last `outputs`).
    public static func outputBytes(_ buffers: [TIRBuffer], outputs: Int) -> Int {
        buffers.suffix(outputs).reduce(0) { $0 + $1.count * $1.dtype.size }
    }

    /// Floats of a float32 byte slice.
    public static func floats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(bytes.count / 4)
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            let bits = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            out.append(Float(bitPattern: bits))
            index += 4
        }
        return out
    }

    /// Encodes floats as the harness reads them.
    public static func bytes(_ values: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 4)
        for value in values { append(value.bitPattern, to: &out) }
        return out
    }

    /// Splits input bytes into float arrays per input buffer (for the Swift references, which take float32 only).
    public static func inputFloats(_ bytes: [UInt8], buffers: [TIRBuffer], outputs: Int) -> [[Float]] {
        var arrays: [[Float]] = []
        var offset = 0
        for buffer in buffers.prefix(buffers.count - outputs) {
            let size = buffer.count * buffer.dtype.size
            arrays.append(floats(bytes[offset..<offset + size]))
            offset += size
        }
        return arrays
    }

    /// Compares output buffers elementwise as `numpy.isclose` does: |a - b| <= atol + rtol * |b|, with `b` the
    /// reference; NaN matches NaN and infinities must agree. Nil when everything matches, else what differs.
    public static func compare(candidate: [UInt8], reference: [UInt8], buffers: [TIRBuffer], outputs: Int,
                               rtol: Double, atol: Double) -> String? {
        guard candidate.count == reference.count else { return "output sizes differ" }
        var offset = 0
        for buffer in buffers.suffix(outputs) {
            let size = buffer.count * buffer.dtype.size
            defer { offset += size }
            let a = candidate[offset..<offset + size]
            let b = reference[offset..<offset + size]
            if buffer.dtype != .float32 {
                if a != b { return "buffer \(buffer.name) differs" }
                continue
            }
            let x = floats(a), y = floats(b)
            var bad = 0
            var worst = 0.0
            var first = -1
            for index in 0..<x.count {
                let got = Double(x[index]), want = Double(y[index])
                if got.isNaN && want.isNaN { continue }
                let error = abs(got - want)
                let ok = got == want || (error.isFinite && error <= atol + rtol * abs(want))
                if !ok {
                    bad += 1
                    if first < 0 { first = index }
                    if error > worst || error.isNaN { worst = error }
                }
            }
            if bad > 0 {
                return "buffer \(buffer.name): \(bad) of \(x.count) elements differ (first at \(first), max abs error \(worst))"
            }
        }
        return nil
    }
}
