import StageKit
import Readers
import JSONSchema
import Storage
import Foundation

/// A file input of a stage after globs, folders and lists are expanded.
public struct ResolvedFile: Sendable, Equatable {
    /// The path as the user wrote it, relative to the pipeline file: stable across machines.
    public var locator: String
    /// Where to read it.
    public var absolutePath: String
    public var repo: String?
}

/// Expands a stage's `inputs:` into files, in a deterministic order, with located errors.
public struct InputResolver {
    public let pipelineDirectory: String
    /// Lists (`{list: FILE}`) may not be nested deeper than this, so a list naming itself terminates.
    static let maxListDepth = 4

    public init(pipelineFile: String) {
        let directory = (pipelineFile as NSString).deletingLastPathComponent
        pipelineDirectory = directory.isEmpty ? "." : directory
    }

    /// The files of every non-stage input; an input that matches nothing is an error.
    public func files(for stage: StageSpec, document: YAMLDocument?) throws -> [ResolvedFile] {
        var files: [ResolvedFile] = []
        var errors: [PipeError] = []
        for (index, input) in stage.inputs.enumerated() {
            let location = document?.location(of: stage.pointer + "/inputs/\(index)")
                ?? SourceLocation(file: stage.file)
            do {
                let found = try resolve(input, base: pipelineDirectory, prefix: "", depth: 0)
                if found.isEmpty, !isStage(input) {
                    errors.append(PipeError("pipeline.input_empty", "input \(describe(input)) matches no file", at: location))
                }
                files += found
            } catch var error as PipeError {
                if error.location == nil { error.location = location }
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw PipeErrors(errors) }
        var seen: Set<String> = []
        return files.filter { seen.insert($0.locator).inserted }.sorted {
            $0.locator.utf8.lexicographicallyPrecedes($1.locator.utf8)
        }
    }

    private func isStage(_ input: InputSpec) -> Bool {
        if case .stage = input { return true }
        return false
    }

    private func describe(_ input: InputSpec) -> String {
        switch input {
        case .glob(let glob): return "'\(glob)'"
        case .path(let path, _): return "'\(path)'"
        case .list(let path): return "list '\(path)'"
        case .stage(let name, let records): return "stage \(name)/\(records)"
        }
    }

    private func resolve(_ input: InputSpec, base: String, prefix: String, depth: Int) throws -> [ResolvedFile] {
        switch input {
        case .stage:
            return []
        case .glob(let pattern):
            return try expand(pattern, base: base, prefix: prefix, repo: nil)
        case .path(let path, let repo):
            return try expand(path, base: base, prefix: prefix, repo: repo)
        case .list(let listPath):
            guard depth < Self.maxListDepth else {
                throw PipeError("pipeline.list_depth", "input lists nested deeper than \(Self.maxListDepth)")
            }
            let absolute = join(base, listPath)
            let bytes = try FileSystem.read(absolute, limit: 64 << 20)
            let listDirectory = (listPath as NSString).deletingLastPathComponent
            let listBase = (absolute as NSString).deletingLastPathComponent
            var files: [ResolvedFile] = []
            for (number, rawLine) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let found = try expand(line, base: listBase, prefix: join(prefix, listDirectory), repo: nil)
                if found.isEmpty {
                    throw PipeError("pipeline.input_empty", "'\(line)' matches no file",
                                    at: SourceLocation(file: absolute, line: number + 1, column: 1))
                }
                files += found
            }
            return files
        }
    }

    private func join(_ base: String, _ path: String) -> String {
        if path.hasPrefix("/") || base.isEmpty { return path }
        return base + "/" + path
    }

    /// Globs and folders: a folder stands for every regular file below it, sorted.
    private func expand(_ pattern: String, base: String, prefix: String, repo: String?) throws -> [ResolvedFile] {
        let absolutePattern = join(base, pattern)
        var matches: [String] = []
        var result = glob_t()
        defer { globfree(&result) }
        if glob(absolutePattern, 0, nil, &result) == 0 {
            for index in 0..<Int(result.gl_pathc) {
                if let pointer = result.gl_pathv[index] { matches.append(String(cString: pointer)) }
            }
        }
        var files: [ResolvedFile] = []
        for match in matches {
            let relative = String(match.dropFirst(absolutePattern.count - pattern.count))
            let locator = pattern.hasPrefix("/") ? match : join(prefix, relative)
            let status = FileSystem.exists(match)
            if status.isDirectory {
                let folderRepo = repo ?? (match as NSString).lastPathComponent
                for file in walk(match) {
                    files.append(ResolvedFile(locator: locator + "/" + file, absolutePath: match + "/" + file, repo: folderRepo))
                }
            } else if status.exists {
                files.append(ResolvedFile(locator: locator, absolutePath: match, repo: repo))
            }
        }
        return files
    }

    private func walk(_ folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let name = enumerator.nextObject() as? String {
            if FileSystem.exists(folder + "/" + name).isDirectory { continue }
            files.append(name)
        }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
