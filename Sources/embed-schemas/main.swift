import Foundation

// The tool behind the EmbedSchemas build plugin: writes a Swift file holding each given JSON file's name and
// text, as `EmbeddedSchemas.files`. Usage: embed-schemas OUTPUT.swift FILE...

/// The number of `#` that delimits a raw string holding `text`: one more than any run after a quote.
func delimiter(for text: String) -> String {
    var longest = 0
    var run = -1
    for character in text {
        if character == "\"" {
            run = 0
        } else if character == "#", run >= 0 {
            run += 1
            longest = max(longest, run)
        } else {
            run = -1
        }
    }
    return String(repeating: "#", count: longest + 1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: embed-schemas OUTPUT.swift FILE...\n".utf8))
    exit(64)
}
var seen: Set<String> = []
var out = "// Generated at build time by the EmbedSchemas plugin; not committed.\n\n"
out += "/// The JSON Schemas this module owns (its `Schemas/` folders), by file name.\n"
out += "enum EmbeddedSchemas {\n"
out += "    static let files: [(name: String, text: String)] = [\n"
for path in arguments.dropFirst(2) {
    let name = (path as NSString).lastPathComponent
    guard seen.insert(name).inserted else {
        FileHandle.standardError.write(Data("embed-schemas: error: two schemas named \(name)\n".utf8))
        exit(1)
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("embed-schemas: error: cannot read \(path) as UTF-8\n".utf8))
        exit(1)
    }
    let hashes = delimiter(for: text)
    out += "        (name: \"\(name)\", text: \(hashes)\"\"\"\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\"\"\"\(hashes)),\n"
}
out += "    ]\n}\n"
do {
    let target = arguments[1]
    // Unchanged output keeps its timestamp, so the module is not rebuilt.
    if FileManager.default.contents(atPath: target) != Data(out.utf8) {
        try Data(out.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
    }
} catch {
    FileHandle.standardError.write(Data("embed-schemas: error: \(error)\n".utf8))
    exit(1)
}
