/// Which external functions a kernel may call: the C maths library, the OpenMP runtime and plain memory
/// functions. Anything else (`socket`, `fork`, `fopen`, `system`, `syscall`) names a forbidden call before the
/// program runs. The sandbox stays the guard: inline assembly calls nothing by name.
public enum SymbolPolicy {
    static let math: Set<String> = {
        let names = ["sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
                     "exp", "exp2", "exp10", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "fabs", "floor",
                     "ceil", "round", "trunc", "rint", "nearbyint", "lround", "lrint", "llround", "llrint", "fmod", "fmin",
                     "fmax", "fdim", "erf", "erfc", "tgamma", "lgamma", "hypot", "copysign", "fma", "ldexp", "frexp", "modf",
                     "remainder", "sincos", "significand", "nextafter", "logb", "ilogb", "scalbn"]
        var all = Set<String>()
        for name in names { all.formUnion([name, name + "f", name + "l", "__" + name + "_finite", "__" + name + "f_finite"]) }
        return all
    }()

    static let memory: Set<String> = ["memcpy", "memset", "memmove", "memcmp", "malloc", "calloc", "realloc", "free",
                                      "aligned_alloc", "posix_memalign", "__stack_chk_fail", "abort", "__assert_fail",
                                      "_GLOBAL_OFFSET_TABLE_", "__isnan", "__isnanf", "__isinf", "__isinff", "__finitef",
                                      "__finite", "__fpclassifyf", "__fpclassify", "__signbitf", "__signbit"]

    /// Whether `symbol` may be called by a kernel.
    public static func allows(_ symbol: String) -> Bool {
        math.contains(symbol) || memory.contains(symbol) || symbol.hasPrefix("GOMP_") || symbol.hasPrefix("omp_")
    }

    /// The undefined symbols that are not allowed, sorted.
    public static func forbidden(_ symbols: [String]) -> [String] {
        Array(Set(symbols.filter { !allows($0) })).sorted()
    }
}
