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

    public static let defaultCC = "/usr/bin/gcc"
    public static let defaultClang = "/opt/swift/usr/bin/clang"

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
