/// Text written into HTML or SVG that pipe generates (reports, charts, the registry page).
public enum MarkupText {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references. The numeric form for `'` is the one
    /// both HTML and XML accept, so one function serves pages and charts, in content and in attribute values alike:
    /// a name taken from an input can never open a tag or end an attribute.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
