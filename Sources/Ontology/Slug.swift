/// Ids made from names: lower-case ASCII letters and digits, other runs of characters turned into one `-`.
public enum Slug {
    /// `"GSM8K+ and MATH+"` → `gsm8k-and-math`; `"wa-hls4ml"` stays as it is.
    public static func make(_ name: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                pendingDash = true
            }
        }
        return slug
    }
}
