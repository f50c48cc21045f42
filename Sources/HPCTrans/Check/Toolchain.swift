import Foundation
import Sandbox

/// The compilers the checks use, with their identities (path and first `--version` line) for the run key.
public struct Toolchain: Sendable, Equatable {
    /// The C compiler for reference and candidate kernels (gcc: clang has no `omp.h` here).
    public var cc: String
    /// The clang that parses CUDA without a CUDA toolkit.
    public var clang: String
    /// `nm`, which lists the external symbols a candidate kernel calls.
    public var nm: String

    /// gcc: `PIPE_CC`, else `/usr/bin/gcc`, else the first `gcc` or `cc` on PATH.
    public static let defaultCC = locate(environment: "PIPE_CC", preferred: ["/usr/bin/gcc"], names: ["gcc", "cc"])
    /// The Swift toolchain's clang: `PIPE_CLANG`, else `/opt/swift/usr/bin/clang`, else the first `clang` on PATH.
    public static let defaultClang = locate(environment: "PIPE_CLANG", preferred: ["/opt/swift/usr/bin/clang"], names: ["clang"])

    /// The first executable among the variable's value, the preferred paths and the names on PATH; the first
    /// preferred path when none exists (the checks then fail with a clear "cannot start" reason).
    static func locate(environment variable: String, preferred: [String], names: [String]) -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let chosen = environment[variable], !chosen.isEmpty { candidates.append(chosen) }
        candidates += preferred
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") where directory.hasPrefix("/") {
            candidates += names.map { "\(directory)/\($0)" }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? preferred[0]
    }

    public init(cc: String = Toolchain.defaultCC, clang: String = Toolchain.defaultClang, nm: String = "/usr/bin/nm") {
        self.cc = cc
        self.clang = clang
        self.nm = nm
    }

    /// `path: first line of --version` for each compiler; a compiler that cannot be run says so, which
    /// still changes the run key when it later appears.
    public func identities(sandbox: Sandbox = Sandbox()) -> [String] {
        [cc, clang].map { path in
            let request = SandboxRequest(executable: path, arguments: ["--version"],
                                         limits: SandboxLimits(wallSeconds: 60, cpuSeconds: 30))
            guard let result = try? sandbox.run(request), result.termination == .exited(0) else {
                return "\(path): unavailable"
            }
            let first = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return "\(path): \(first)"
        }
    }
}
