import Foundation
import PackagePlugin

/// Compiles a module's JSON Schemas into it at build time: every `*.json` in `Schemas/<Target>/` at the
/// package root and in the target's own `Schemas/` folder becomes an entry of the generated
/// `EmbeddedSchemas.files`. Nothing generated is committed, and editing one module's schema rebuilds only
/// that module.
@main
struct EmbedSchemas: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folders = [
            context.package.directoryURL.appending(path: "Schemas").appending(path: target.name),
            target.directoryURL.appending(path: "Schemas"),
        ]
        var inputs: [URL] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") {
                inputs.append(folder.appending(path: name))
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchemas.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) schema(s) into \(target.name)",
                executable: try context.tool(named: "embed-schemas").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
