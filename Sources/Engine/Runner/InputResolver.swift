import StageKit
import Readers
import Foundation

/// A file input of a stage after globs, folders and lists are expanded.
public struct ResolvedFile: Sendable, Equatable {
    /// The path as the user wrote it, relative to the pipeline file: stable across machines.
    public var locator: String
    /// Where to read it.
    public var absolutePath: String
    public var repo: String?
    /// Why the file is not read, when it is not: it becomes a reject of the task that owns its locator.
    public var skipped: Skip?
    /// Whether it was found by walking a folder input rather than named by the input itself.
    public var inFolder: Bool

    public init(locator: String, absolutePath: String, repo: String?, skipped: Skip? = nil, inFolder: Bool = false) {
        self.locator = locator
        self.absolutePath = absolutePath
        self.repo = repo
        self.skipped = skipped
        self.inFolder = inFolder
    }

    /// The reject that stands for a file that is not read.
    public var reject: Reject? { skipped?.reject(locator: locator, named: !inFolder) }

    /// Why an input found while walking is not read.
    public enum Skip: Sendable, Equatable {
        /// A symbolic link inside a folder input: never followed, so walking cannot leave the input's tree.
        case link(target: String)
        /// Not a regular file (a FIFO, socket or device): never opened, so it cannot block the build.
        case notRegular(FileKind)
        /// A name that is not UTF-8.
        case name

        /// The reject that stands for the file.
        public func reject(locator: String, named: Bool) -> Reject {
            switch self {
            case .link(let target):
                return Reject(.dropped, code: "input.link",
                              reason: "a symbolic link (to \(target)); links inside an input folder are not followed", locator: locator)
            case .notRegular(let kind):
                // Named by the user it is a mistake; found while walking a folder it is left out on purpose.
                return Reject(named ? .error : .dropped, code: "input.not_regular",
                              reason: "\(kind.phrase), not a regular file: not read", locator: locator)
            case .name:
                return Reject(.error, code: "input.name_encoding",
                              reason: "the file name is not UTF-8 (invalid bytes shown as %XX); not read", locator: locator)
            }
        }

        /// What goes into the run key instead of a content hash.
        var fingerprint: String {
            switch self {
            case .link(let target): return "link:" + target
            case .notRegular(let kind): return "special:" + kind.phrase
            case .name: return "name"
            }
        }
    }
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
        // One item per locator; a skipped entry never hides a file that is read.
        var seen: Set<String> = []
        let read = files.filter { $0.skipped == nil && seen.insert($0.locator).inserted }
        let skipped = files.filter { $0.skipped != nil && seen.insert($0.locator).inserted }
        return (read + skipped).sorted {
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

    /// Globs and folders: a folder stands for every file below it, sorted; what is not a regular file becomes a
    /// skipped entry (a reject), and links are followed only when the input names them itself.
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
        let literal = !pattern.contains { "*?[".contains($0) }
        var files: [ResolvedFile] = []
        for match in matches {
            let relative = String(match.dropFirst(absolutePattern.count - pattern.count))
            let locator = pattern.hasPrefix("/") ? match : join(prefix, relative)
            var kind = FileKind.of(match)
            if kind == .symbolicLink {
                // A path the user wrote out is theirs to point anywhere; a link a wildcard happened to match is not.
                guard literal else {
                    files.append(ResolvedFile(locator: locator, absolutePath: match, repo: repo,
                                              skipped: .link(target: Self.linkTarget(match))))
                    continue
                }
                kind = FileKind.following(match)
            }
            switch kind {
            case .directory:
                let folderRepo = repo ?? (match as NSString).lastPathComponent
                for entry in Self.walk(match) {
                    files.append(ResolvedFile(locator: locator + "/" + entry.name, absolutePath: match + "/" + entry.name,
                                              repo: folderRepo, skipped: entry.skipped, inFolder: true))
                }
            case .regular:
                files.append(ResolvedFile(locator: locator, absolutePath: match, repo: repo))
            case .missing:
                continue
            default:
                files.append(ResolvedFile(locator: locator, absolutePath: match, repo: repo, skipped: .notRegular(kind)))
            }
        }
        return files
    }

    /// Every entry below `folder` that is not a folder, by relative path in byte order; folders are entered only
    /// when they are real folders, never through a link.
    static func walk(_ folder: String) -> [(name: String, skipped: ResolvedFile.Skip?)] {
        var found: [(name: String, skipped: ResolvedFile.Skip?)] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? folder : folder + "/" + relative
            guard let stream = opendir(directory) else { continue }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    found.append((join(relative, percentEscaped(bytes)), .name))
                    continue
                }
                let path = join(relative, name)
                switch FileKind.of(folder + "/" + path) {
                case .directory: pending.append(path)
                case .regular: found.append((path, nil))
                case .symbolicLink: found.append((path, .link(target: linkTarget(folder + "/" + path))))
                case .missing: continue
                case let kind: found.append((path, .notRegular(kind)))
                }
            }
        }
        return found.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    private static func join(_ base: String, _ name: String) -> String { base.isEmpty ? name : base + "/" + name }

    /// The bytes of a name that is not UTF-8, with every byte outside ASCII letters, digits and `._-` as `%XX`.
    static func percentEscaped(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            let plain = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
            if plain {
                out.append(byte)
            } else {
                out += [0x25, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }
}
