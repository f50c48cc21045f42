/// hls4ml's reuse-factor validity rule for Dense and Conv layers, and the closest valid value to a request
/// (the value wa-hls4ml records in `model_config[i].reuse_factor`).
public enum ReuseFactor {
    /// Whether `rf` is valid for a layer with `nIn` inputs and `nOut` outputs: the multiplier count divides
    /// evenly among the outputs (or rf covers every input), rf is a multiple of nIn when at least nIn, and rf
    /// divides the weight count.
    public static func isValid(nIn: Int, nOut: Int, rf: Int) -> Bool {
        guard nIn > 0, nOut > 0, rf > 0 else { return false }
        let weights = nIn * nOut
        let multFactor = min(nIn, rf)
        let multiplierLimit = (weights + multFactor - 1) / multFactor
        var valid = multiplierLimit % nOut == 0 || rf >= nIn
        valid = valid && (rf % nIn == 0 || rf < nIn)
        valid = valid && weights % rf == 0
        return valid
    }

    /// The valid reuse factor nearest to `requested` (ties go to the smaller one, as hls4ml's bisection does);
    /// `requested` itself when the layer has no weights to share.
    public static func closest(nIn: Int, nOut: Int, requested: Int) -> Int {
        guard nIn > 0, nOut > 0 else { return requested }
        let weights = nIn * nOut
        // Every valid rf divides the weight count, so only divisors need checking.
        var below: Int?
        var above: Int?
        var divisor = 1
        var divisors: [Int] = []
        while divisor * divisor <= weights {
            if weights % divisor == 0 {
                divisors.append(divisor)
                if divisor != weights / divisor { divisors.append(weights / divisor) }
            }
            divisor += 1
        }
        for rf in divisors where isValid(nIn: nIn, nOut: nOut, rf: rf) {
            if rf == requested { return rf }
            if rf < requested { below = max(below ?? rf, rf) } else { above = min(above ?? rf, rf) }
        }
        switch (below, above) {
        case let (low?, high?): return high - requested < requested - low ? high : low
        case let (low?, nil): return low
        case let (nil, high?): return high
        default: return requested
        }
    }
}
