import StageKit

/// One row of the registry page: an entry, its overall rating and the dataset it describes.
public struct RegistryPageItem: Sendable, Equatable {
    public var entry: OntologyEntry
    public var overall: Double
    public var dataset: String

    public init(entry: OntologyEntry, overall: Double, dataset: String) {
        self.entry = entry
        self.overall = overall
        self.dataset = dataset
    }
}

/// The registry as one static HTML page: a table sortable by any column, filters by domain, motif and minimum
/// overall rating, and a radar chart per entry; the style, script and charts are inline, so the page loads
/// nothing from outside. The same items give the same bytes (rows by rating then name, no date).
public enum RegistryPage {
    public static func html(_ items: [RegistryPageItem], rubric: Rubric, title: String = "pipe registry") throws -> String {
        let ordered = items.sorted { ($0.overall, $1.entry.name) > ($1.overall, $0.entry.name) }
        let domains = Set(items.flatMap(\.entry.domain)).sorted()
        let motifs = Set(items.flatMap(\.entry.mlMotif)).sorted()
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(MarkupText.escaped(title))</title>
            <style>
            \(RegistryPageAssets.style)
            </style>
            </head>
            <body>
            <h1>\(MarkupText.escaped(title))</h1>
            <p class="about">\(items.count) \(items.count == 1 ? "entry" : "entries") in the format of the MLCommons Science \
            benchmark ontology, each rated with its six-category rubric (\(rubric.categories.map { "\($0.code) \($0.key)" }.joined(separator: ", "))) \
            from the evidence pipe has; a criterion it cannot establish counts no points, so such a rating is a lower bound \
            (each chart's reasons are in the entry). Overall is the mean of the six ratings.</p>
            <form id="filters">
            <label for="filter-domain">Domain<select id="filter-domain" name="domain">\(options(domains))</select></label>
            <label for="filter-motif">Motif<select id="filter-motif" name="motif">\(options(motifs))</select></label>
            <label for="filter-min">Minimum rating<input id="filter-min" name="min" type="number" min="0" max="\(RatingsCheck.text(rubric.maximum))" step="0.5" value="0"></label>
            </form>
            <p id="shown">\(items.count) of \(items.count) entries shown</p>
            <table id="registry">
            <thead><tr>\(headers(rubric))</tr></thead>
            <tbody>

            """
        for item in ordered { out += try row(item, rubric: rubric) }
        out += """
            </tbody>
            </table>
            <script>
            \(RegistryPageAssets.script)
            </script>
            </body>
            </html>

            """
        return out
    }

    private static func headers(_ rubric: Rubric) -> String {
        var cells = [header("name", "Name", numeric: false), header("dataset", "Dataset", numeric: false),
                     header("overall", "Overall", numeric: true, sorted: true)]
        for category in rubric.categories {
            cells.append(header(category.key, category.code, numeric: true, title: category.title))
        }
        cells += [header("domains", "Domain", numeric: false), header("motifs", "Motif", numeric: false),
                  header("license", "License", numeric: false), "<th>Ratings</th>"]
        return cells.joined()
    }

    private static func header(_ key: String, _ label: String, numeric: Bool, sorted: Bool = false, title: String? = nil) -> String {
        let tip = title.map { " title=\"\(MarkupText.escaped($0))\"" } ?? ""
        return "<th data-key=\"\(key)\" data-type=\"\(numeric ? "number" : "text")\" aria-sort=\"\(sorted ? "descending" : "none")\"\(tip)>"
            + "<button type=\"button\">\(MarkupText.escaped(label))</button></th>"
    }

    private static func options(_ values: [String]) -> String {
        (["<option value=\"\">all</option>"] + values.map { "<option value=\"\(MarkupText.escaped($0))\">\(MarkupText.escaped($0))</option>" }).joined()
    }

    private static func row(_ item: RegistryPageItem, rubric: Rubric) throws -> String {
        let entry = item.entry
        let sheet = RatingSheet(name: entry.name, ratings: try entry.json()["ratings"], rubric: rubric)
        var attributes: [(String, String)] = [
            ("name", entry.name), ("dataset", item.dataset), ("overall", RatingsCheck.text(item.overall)),
        ]
        for category in rubric.categories {
            attributes.append((category.key, entry.ratings[category.key].map { RatingsCheck.text($0.rating) } ?? ""))
        }
        attributes += [("domains", entry.domain.joined(separator: "|")), ("motifs", entry.mlMotif.joined(separator: "|")),
                       ("license", entry.licensing)]
        let data = attributes.map { " data-\($0.0)=\"\(MarkupText.escaped($0.1))\"" }.joined()
        let link = EntryURL.isWeb(entry.url) || EntryURL.isFileScheme(entry.url)
            ? "<a href=\"\(MarkupText.escaped(entry.url))\">\(MarkupText.escaped(entry.name))</a>" : MarkupText.escaped(entry.name)
        var cells = ["<td>\(link)<span class=\"focus\">\(MarkupText.escaped(entry.focus))</span></td>",
                     "<td>\(MarkupText.escaped(item.dataset))</td>",
                     "<td class=\"number overall\">\(RatingsCheck.text(item.overall))</td>"]
        for category in rubric.categories {
            let value = entry.ratings[category.key].map { RatingsCheck.text($0.rating) } ?? "-"
            cells.append("<td class=\"number\">\(value)</td>")
        }
        cells += ["<td>\(entry.domain.map(MarkupText.escaped).joined(separator: "<br>"))</td>",
                  "<td>\(entry.mlMotif.map(MarkupText.escaped).joined(separator: "<br>"))</td>",
                  "<td>\(MarkupText.escaped(entry.licensing))</td>",
                  "<td><details class=\"chart\"><summary>radar chart</summary>\n"
                      + RadarChart.svg(sheet, maximum: rubric.maximum) + "</details></td>"]
        return "<tr class=\"entry\" id=\"entry-\(MarkupText.escaped(entry.slug))\"\(data)>" + cells.joined() + "</tr>\n"
    }

}
