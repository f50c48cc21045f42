import StageKit

/// Draws a new value for one quantity, keeping its kind (an integer stays an integer, a percentage stays in
/// 1...100, a fraction stays a proper fraction), its sign, its roundness (500 gives multiples of 10 or 100) and a
/// magnitude band around the original (half to twice).
struct ValueDrawer {
    let quantity: Quantity

    /// Whether a quantity can take other values at all.
    static func canVary(_ quantity: Quantity) -> Bool {
        // Past 10^12 a value is not a count or a price of a word problem, and its digits no longer fit the drawing.
        guard quantity.mayVary, let number = quantity.value.doubleValue, number != 0, number.magnitude < 1e12 else { return false }
        if quantity.kind == .fraction { return number > 0 && number < 1 }
        return number.isFinite
    }

    func draw(_ random: inout SplitMix64) -> PyValue {
        let original = quantity.number
        switch quantity.kind {
        case .fraction:
            let unit = quantity.fraction?.numerator == 1
            let choices = Self.fractions.filter { unit ? $0.0 == 1 : true }
            let (p, q) = choices[Int(random.next() % UInt64(choices.count))]
            return .float(Double(p) / Double(q))
        case .multiplier:
            let top: Int64 = if case .multiplierWords(true) = quantity.style { 4 } else { 5 }
            return .int(2 + Int64(random.next() % UInt64(top - 1)))
        case .ordinal:
            return .int(2 + Int64(random.next() % 9))
        case .percent:
            let cap: Int64? = original <= 100 ? Int64(100) : nil
            return scaled(original, decimals: decimals, cap: cap, &random)
        case .numberWord:
            if case .dozen = quantity.style {
                // Whole dozens, up to twice as many as the original.
                let dozens = max(Int64(original / 12), 1)
                return .int(12 * (1 + Int64(random.next() % UInt64(2 * dozens))))
            }
            return scaled(original, decimals: 0, cap: 999_999, &random)
        case .integer, .decimal, .money:
            return scaled(original, decimals: decimals, cap: nil, &random)
        }
    }

    private var decimals: Int {
        if case .digits(_, let decimals, _) = quantity.style { return decimals }
        return quantity.value.isIntegral ? 0 : 2
    }

    /// Proper fractions with small denominators, in lowest terms.
    static let fractions: [(Int64, Int64)] = {
        var list: [(Int64, Int64)] = []
        for q in Int64(2)...10 {
            for p in Int64(1)..<q where gcd(p, q) == 1 { list.append((p, q)) }
        }
        return list
    }()

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

    /// A value in [original/2, original*2] with the original's decimals and roundness, as an int when it has
    /// no decimals.
    private func scaled(_ original: Double, decimals: Int, cap: Int64?, _ random: inout SplitMix64) -> PyValue {
        var scale: Int64 = 1
        for _ in 0..<min(decimals, 6) { scale *= 10 }
        let units = Int64((original.magnitude * Double(scale)).rounded())
        var low = max(Int64((Double(units) * 0.5).rounded(.up)), units >= 2 * scale ? 2 * scale : 1)
        var high = max(Int64((Double(units) * 2).rounded(.down)), low + 2)
        if let cap { high = min(high, cap * scale) }
        if low > high { low = max(1, high - 2) }
        // Roundness: the largest power of ten dividing the original that still leaves a few choices.
        var step: Int64 = 1
        while units % (step * 10) == 0, (high - low) / (step * 10) >= 4 { step *= 10 }
        for candidate in [Int64(5), 2, 25] where step == 1 && units % candidate == 0 && (high - low) / candidate >= 4 && units >= candidate * 2 {
            step = candidate
            break
        }
        let first = (low + step - 1) / step
        let last = high / step
        let count = max(last - first + 1, 1)
        var drawn = (first + Int64(random.next() % UInt64(count))) * step
        // 2.5 should not become 4.0: a decimal keeps a non-zero last digit when it had one.
        for _ in 0..<8 where decimals > 0 && units % 10 != 0 && drawn % 10 == 0 {
            drawn = (first + Int64(random.next() % UInt64(count))) * step
        }
        let signed = original < 0 ? -drawn : drawn
        if decimals == 0, case .int = quantity.value { return .int(signed) }
        return .float(Double(signed) / Double(scale))
    }
}
