import Foundation
import Sandbox

/// A kernel built with its harness: the program's bytes and the external symbols the kernel's own object calls.
public struct BuiltKernel: Sendable {
    public var program: [UInt8]
    public var undefinedSymbols: [String]
}

/// How a compile or a run failed, with a stable code for reports (`compile_error`, `timeout`, ...).
public struct KernelFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code): \(message)" }
}

/// Compiles kernels and runs them on given inputs, always inside the sandbox: the compiler reads untrusted
/// source and the program is untrusted code.
public struct KernelRunner: Sendable {
    public var toolchain: Toolchain
    public var sandbox: Sandbox
    /// Limits of one compile (generous: a loaded machine must not turn a good kernel into a failure).
    public var compileLimits: SandboxLimits
    /// Limits of one run of a built program.
    public var runLimits: SandboxLimits
    /// OMP_NUM_THREADS for runs (each thread counts against the sandbox's process limit).
    public var threads: Int

    public init(toolchain: Toolchain = Toolchain(), sandbox: Sandbox = Sandbox(), timeoutSeconds: Double = 120,
                memoryBytes: Int = 2 << 30, threads: Int = 1) {
        self.toolchain = toolchain
        self.sandbox = sandbox
        let cpu = max(1, Int(timeoutSeconds.rounded(.up)))
        // RLIMIT_NPROC counts every process of the sandbox uid on the machine, other runs' included: the compiler
        // (a handful of processes) gets headroom so that a neighbour's fork bomb cannot fail a good build.
        compileLimits = SandboxLimits(wallSeconds: timeoutSeconds, cpuSeconds: cpu, addressSpaceBytes: max(memoryBytes, 2 << 30),
                                      fileSizeBytes: 256 << 20, processes: 512, openFiles: 256, outputBytes: 64 << 10)
        runLimits = SandboxLimits(wallSeconds: timeoutSeconds, cpuSeconds: cpu, addressSpaceBytes: memoryBytes,
                                  fileSizeBytes: 256 << 20, processes: 64, openFiles: 64, outputBytes: 1 << 20)
        self.threads = max(1, threads)
    }

    /// Builds `code` with a harness for the signature; the compiler's message on failure.
    public func build(code: String, buffers: [TIRBuffer], outputs: Int, parameters: [KernelParameter]) throws -> BuiltKernel {
        let cc = toolchain.cc
        // The kernel is its own translation unit, so it cannot redefine the harness; its undefined symbols
        // are listed before linking so that forbidden calls can be named.
        let script = """
            \(cc) -O2 -fopenmp -std=gnu11 -w -include prelude.h -c kernel.c -o kernel.o || exit 10
            \(toolchain.nm) -u kernel.o > symbols.txt || exit 11
            \(cc) -O2 -std=gnu11 -w -c harness.c -o harness.o || exit 12
            \(cc) -fopenmp kernel.o harness.o -lm -o prog || exit 13
            """
        let request = SandboxRequest(
            executable: "/bin/sh", arguments: ["-c", script],
            files: ["kernel.c": Array(code.utf8), "prelude.h": Array(Harness.kernelPrelude.utf8),
                    "harness.c": Array(Harness.main(buffers: buffers, outputs: outputs, parameters: parameters).utf8)],
            collect: ["prog", "symbols.txt"], limits: compileLimits)
        let result = try runSandboxed(request)
        let stderr = Self.message(result.stderr)
        switch result.termination {
        case .exited(0):
            guard let program = result.collectedFiles["prog"] else { throw KernelFailure("compile_error", "the linker wrote no program") }
            let symbols = String(decoding: result.collectedFiles["symbols.txt"] ?? [], as: UTF8.self).split(separator: "\n")
                .compactMap { $0.split(separator: " ").last.map(String.init) }
            return BuiltKernel(program: program, undefinedSymbols: symbols)
        case .exited(10):
            throw KernelFailure("compile_error", stderr.isEmpty ? "the compiler failed" : stderr)
        case .exited(13):
            throw KernelFailure("link_error", stderr.isEmpty ? "linking failed" : stderr)
        case .exited(let status):
            throw KernelFailure("compile_error", "the build step failed (status \(status)): \(stderr)")
        default:
            throw KernelFailure("compile_error", "the compiler did not finish: \(result.reason)")
        }
    }

    /// Runs a built program on `inputs` (input buffers in TIR order); returns the output bytes.
    public func run(_ kernel: BuiltKernel, inputs: [UInt8], outputBytes: Int) throws -> [UInt8] {
        let result = try runSandboxed(request(kernel, inputs: inputs, arguments: ["run"], collect: ["outputs.bin"]))
        try Self.check(result)
        guard let outputs = result.collectedFiles["outputs.bin"], outputs.count == outputBytes else {
            throw KernelFailure("no_output", "the program wrote no complete outputs.bin")
        }
        return outputs
    }

    /// Times `repeats` calls after `warmups` inside one sandboxed process; the seconds of each call.
    public func time(_ kernel: BuiltKernel, inputs: [UInt8], warmups: Int, repeats: Int) throws -> [Double] {
        let result = try runSandboxed(request(kernel, inputs: inputs, arguments: ["time", String(warmups), String(repeats)], collect: []))
        try Self.check(result)
        let samples = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap { Double($0) }.map { $0 / 1e9 }
        guard samples.count == repeats else { throw KernelFailure("no_output", "the timing run printed \(samples.count) of \(repeats) samples") }
        return samples
    }

    private func request(_ kernel: BuiltKernel, inputs: [UInt8], arguments: [String], collect: [String]) -> SandboxRequest {
        var environment = SandboxRequest.minimalEnvironment
        environment["OMP_NUM_THREADS"] = String(threads)
        return SandboxRequest(executable: "./prog", arguments: arguments, environment: environment,
                              files: ["prog": kernel.program, "inputs.bin": inputs], executableFiles: ["prog"],
                              collect: collect, limits: runLimits)
    }

    /// Runs a request; a run that could not be started (no process slot, a transient spawn failure) is tried
    /// twice more after a pause, since that is the machine's state and says nothing about the kernel.
    func runSandboxed(_ request: SandboxRequest) throws -> SandboxResult {
        var attempt = 0
        while true {
            do {
                return try sandbox.run(request)
            } catch let error as SandboxError {
                guard case .spawnFailed = error, attempt < 2 else { throw error }
                attempt += 1
                usleep(200_000 * UInt32(attempt))
            }
        }
    }

    /// Maps a sandbox outcome to a failure with a stable code, or returns for a clean exit.
    static func check(_ result: SandboxResult) throws {
        switch result.termination {
        case .exited(0): return
        case .timedOut: throw KernelFailure("timeout", result.reason)
        case .cpuLimit: throw KernelFailure("cpu_limit", result.reason)
        case .memoryLimit: throw KernelFailure("memory_limit", result.reason)
        case .fileSizeLimit: throw KernelFailure("file_size_limit", result.reason)
        case .signaled: throw KernelFailure("crashed", result.reason)
        case .exited: throw KernelFailure("exit_status", result.reason + tail(message(result.stderr)))
        }
    }

    private static func tail(_ text: String) -> String { text.isEmpty ? "" : ": " + text }

    /// The first lines of a compiler's or program's stderr, enough to say what went wrong.
    static func message(_ bytes: [UInt8]) -> String {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.prefix(12).joined(separator: "\n")
    }

    /// Parses CUDA with clang (`-x cuda -fsyntax-only -nocudainc -nocudalib`) and the project's prelude.
    public func checkCUDA(_ code: String) throws {
        let request = SandboxRequest(
            executable: toolchain.clang,
            arguments: ["-x", "cuda", "-fsyntax-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_70",
                        "-include", "cuda_prelude.h", "kernel.cu"],
            files: ["kernel.cu": Array(code.utf8), "cuda_prelude.h": Array(Harness.cudaPrelude.utf8)],
            limits: compileLimits)
        let result = try runSandboxed(request)
        guard result.termination == .exited(0) else {
            let text = Self.message(result.stderr)
            throw KernelFailure("cuda_syntax", text.isEmpty ? result.reason : text)
        }
    }
}
