import CodeLexers

/// One paradigm signal at a byte offset.
struct Signal: Sendable, Equatable {
    var offset: Int
    /// nil for a kernel marker CUDA and HIP share.
    var paradigm: Paradigm?
    var name: String

    func record(into evidence: inout ParadigmEvidence) {
        if let paradigm { evidence.add(paradigm, name) } else { evidence.addSharedKernelSignal(name) }
    }
}

/// The paradigm signals of the reference (HPCorpus's, plus the documented additional ones), read from
/// lexer tokens rather than lines: words in comments and string literals are never tokens of code, so
/// they never count.
///
/// | paradigm | signals (signal names as recorded) |
/// |---|---|
/// | openmp | `#pragma omp` / `!$omp` directives; `include omp.h`; `use omp_lib`; `omp_*()` runtime calls |
/// | mpi | `include mpi.h`, `include mpif.h`; `use mpi`, `use mpi_f08`; `MPI_*()` calls (any case in Fortran) |
/// | cuda | `include cuda.h`/`cuda_runtime.h`/`cuda_runtime_api.h`; `cuda*()` calls; `__global__` and `<<<>>>` launches (unless the file is HIP); `use cudafor`; `attributes(global)`; `!$cuf`; file extension `.cu`/`.cuh` |
/// | opencl | `include cl.h`/`opencl.h`/`cl.hpp`/`cl2.hpp`/`opencl.hpp`; `cl*()` API calls; `__kernel` in OpenCL C; file extension `.cl` |
/// | openacc | `#pragma acc` / `!$acc`; `include openacc.h`; `use openacc`; `acc_*()` runtime calls |
/// | sycl | `include sycl.hpp`; `using namespace sycl`; `sycl::` |
/// | tbb | `include tbb/*`; `using namespace tbb`; `tbb::` |
/// | cilk | `include cilk/*`; `cilk_spawn`, `cilk_sync`, `cilk_for`, `cilk_scope` (no `(` needed) |
/// | kokkos | `include Kokkos_*`; `Kokkos::`; `KOKKOS_LAMBDA`, `KOKKOS_INLINE_FUNCTION`, ... |
/// | hip | `include hip/*`; `hip*()` calls (`hipMalloc`, `hipLaunchKernelGGL`, ...); `use hipfort`; `__global__` and `<<<>>>` in HIP files |
/// | pthreads | `include pthread.h`; `pthread_*()` calls |
struct ParadigmSignals {
    let language: Language
    let lexer: Lexer
    let bytes: [UInt8]
    let tokens: [Token]

    static let ompRuntime: [[UInt8]] = [
        "omp_get_", "omp_set_", "omp_in_", "omp_init_", "omp_destroy_", "omp_test_", "omp_unset_", "omp_target_",
        "omp_alloc", "omp_aligned_", "omp_calloc", "omp_realloc", "omp_free", "omp_is_initial_device", "omp_pause_",
        "omp_fulfill_event", "omp_display_", "omp_capture_affinity", "omp_control_tool",
    ].map { Array($0.utf8) }
    static let accRuntime: [[UInt8]] = [
        "acc_get_", "acc_set_", "acc_init", "acc_shutdown", "acc_malloc", "acc_free", "acc_copyin", "acc_copyout",
        "acc_create", "acc_delete", "acc_update_", "acc_is_present", "acc_wait", "acc_async_", "acc_on_device",
        "acc_map_data", "acc_unmap_data", "acc_deviceptr", "acc_hostptr", "acc_memcpy_", "acc_present_or_",
        "acc_attach", "acc_detach",
    ].map { Array($0.utf8) }
    /// OpenCL API names are `cl` + one of these verbs (`clCreateContext`, `clEnqueueNDRangeKernel`).
    static let openCLVerbs: [[UInt8]] = [
        "Get", "Create", "Release", "Retain", "Enqueue", "Build", "Set", "Finish", "Flush", "WaitForEvents", "Compile",
        "Link", "Unload", "SVM",
    ].map { Array($0.utf8) }
    static let cilkKeywords: [String: String] = [
        "cilk_spawn": "cilk_spawn", "cilk_sync": "cilk_sync", "cilk_for": "cilk_for", "cilk_scope": "cilk_scope",
        "_Cilk_spawn": "cilk_spawn", "_Cilk_sync": "cilk_sync", "_Cilk_for": "cilk_for",
    ]
    static let kokkosMacros: Set<String> = [
        "KOKKOS_LAMBDA", "KOKKOS_CLASS_LAMBDA", "KOKKOS_INLINE_FUNCTION", "KOKKOS_FUNCTION",
        "KOKKOS_FORCEINLINE_FUNCTION",
    ]
    static let namespaces: [String: Paradigm] = ["sycl": .sycl, "tbb": .tbb, "Kokkos": .kokkos, "cilk": .cilk]

    /// Every signal, in source order.
    func scan() -> [Signal] {
        var significant: [Int] = []
        significant.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where !token.isTrivia && token.end <= bytes.count && token.start >= 0 {
            significant.append(index)
        }
        var out: [Signal] = []
        let fortran = language == .fortran
        for position in significant.indices {
            let token = tokens[significant[position]]
            switch token.kind {
            case .directive:
                directive(token, into: &out)
            case .identifier, .keyword, .typeKeyword:
                if fortran {
                    fortranWord(at: position, significant, into: &out)
                } else {
                    cWord(at: position, significant, into: &out)
                }
            case .punctuator where !fortran:
                if equals(token, "<<<") {
                    out.append(Signal(offset: token.start, paradigm: nil, name: "<<<>>>"))
                } else if equals(token, "<<"), let next = nextToken(after: position, significant), next.start == token.end,
                    equals(next, "<")
                {
                    // C++ lexing of a launch written in a non-CUDA file (HIP's `<<<`).
                    out.append(Signal(offset: token.start, paradigm: nil, name: "<<<>>>"))
                }
            default:
                continue
            }
        }
        return out
    }

    // MARK: directives

    /// Directive lines are read from their first words: `#pragma omp`, `#include <x>`, `!$acc`. Those words
    /// come straight from the bytes of the lexer's directive token; only a line with a comment or an
    /// unusual shape among them is handed to the lexer's directive parser.
    private func directive(_ token: Token, into out: inout [Signal]) {
        if let signal = quickDirective(token) {
            if let (paradigm, name) = signal { out.append(Signal(offset: token.start, paradigm: paradigm, name: name)) }
            return
        }
        guard let info = lexer.directiveInfo(of: token, in: bytes) else { return }
        let isPreprocessorLine = bytes[token.start] == UInt8(ascii: "#") || bytes[token.start] == UInt8(ascii: "%")
        switch info.family {
        case .openMP:
            out.append(Signal(offset: token.start, paradigm: .openmp, name: isPreprocessorLine ? "#pragma omp" : "!$omp"))
        case .openACC:
            out.append(Signal(offset: token.start, paradigm: .openacc, name: isPreprocessorLine ? "#pragma acc" : "!$acc"))
        case .other:
            if info.name == "cuf" { out.append(Signal(offset: token.start, paradigm: .cuda, name: "!$cuf")) }
        case .preprocessor:
            if ["include", "include_next", "import"].contains(info.name), let header = info.words.first,
                let signal = Self.header(header)
            {
                out.append(Signal(offset: token.start, paradigm: signal.0, name: signal.1))
            }
        }
    }

    /// The signal of a directive read from its first words: `.some(nil)` for a directive without one,
    /// nil when the line needs the full directive parser.
    private func quickDirective(_ token: Token) -> (Paradigm, String)?? {
        let end = token.end
        var index = token.start
        guard index + 1 < end else { return nil }
        let first = bytes[index]
        if first == UInt8(ascii: "#") {
            index += 1
            guard let (name, after) = word(from: index, end) else { return nil }
            switch name {
            case "pragma":
                guard let (sentinel, _) = word(from: after, end) else { return nil }
                switch sentinel {
                case "omp": return .some((.openmp, "#pragma omp"))
                case "acc": return .some((.openacc, "#pragma acc"))
                default: return .some(nil)
                }
            case "include", "include_next", "import":
                guard let header = headerName(from: after, end) else { return nil }
                return .some(Self.header(header))
            default:
                return .some(nil)
            }
        }
        guard language == .fortran, "!cC*".utf8.contains(first), bytes[index + 1] == UInt8(ascii: "$") else { return nil }
        var sentinelEnd = index + 2
        while sentinelEnd < end, Self.isLetter(bytes[sentinelEnd]) { sentinelEnd += 1 }
        let sentinel = String(decoding: bytes[(index + 2)..<sentinelEnd], as: UTF8.self)
            .lowercased()
        switch sentinel {
        case "omp": return .some((.openmp, "!$omp"))
        case "acc": return .some((.openacc, "!$acc"))
        case "cuf": return .some((.cuda, "!$cuf"))
        case "": return nil
        default: return .some(nil)
        }
    }

    /// The next word of a directive line after blanks and `\` line continuations; nil at a comment or
    /// anything else that is not a word.
    private func word(from start: Int, _ end: Int) -> (String, Int)? {
        var index = skipBlanks(from: start, end)
        let wordStart = index
        while index < end, Self.isLetter(bytes[index]) || bytes[index] == UInt8(ascii: "_")
            || (index > wordStart && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9"))
        {
            index += 1
        }
        guard index > wordStart else { return nil }
        return (String(decoding: bytes[wordStart..<index], as: UTF8.self), index)
    }

    /// `<x.h>` or `"x.h"` after `#include`, delimiters included; nil for a macro or a comment.
    private func headerName(from start: Int, _ end: Int) -> String? {
        let open = skipBlanks(from: start, end)
        guard open < end else { return nil }
        let close: UInt8
        switch bytes[open] {
        case UInt8(ascii: "<"): close = UInt8(ascii: ">")
        case UInt8(ascii: "\""): close = UInt8(ascii: "\"")
        default: return nil
        }
        var index = open + 1
        while index < end, bytes[index] != close, bytes[index] != 0x0A { index += 1 }
        guard index < end, bytes[index] == close else { return nil }
        return String(decoding: bytes[open...index], as: UTF8.self)
    }

    private func skipBlanks(from start: Int, _ end: Int) -> Int {
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                index += 1
            } else if byte == UInt8(ascii: "\\"), index + 1 < end, bytes[index + 1] == 0x0A {
                index += 2
            } else if byte == UInt8(ascii: "\\"), index + 2 < end, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                index += 3
            } else {
                break
            }
        }
        return index
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// The paradigm of an included header (`<mpi.h>`, `"CL/cl.h"`, `'mpif.h'`), by its path.
    static func header(_ written: String) -> (Paradigm, String)? {
        var path = Substring(written)
        while let first = path.first, "<\"' ".contains(first) { path = path.dropFirst() }
        while let last = path.last, ">\"' ".contains(last) { path = path.dropLast() }
        let lower = path.lowercased()
        let base = lower.split(separator: "/").last.map(String.init) ?? lower
        switch base {
        case "omp.h", "omp_lib.h": return (.openmp, "include \(base)")
        case "mpi.h", "mpif.h": return (.mpi, "include \(base)")
        case "cuda.h", "cuda_runtime.h", "cuda_runtime_api.h": return (.cuda, "include \(base)")
        case "cl.h", "opencl.h", "cl.hpp", "cl2.hpp", "opencl.hpp": return (.opencl, "include \(base)")
        case "openacc.h": return (.openacc, "include openacc.h")
        case "sycl.hpp": return (.sycl, "include sycl.hpp")
        case "pthread.h": return (.pthreads, "include pthread.h")
        case "tbb.h": return (.tbb, "include tbb/*")
        default: break
        }
        if lower.hasPrefix("tbb/") || lower.hasPrefix("oneapi/tbb") { return (.tbb, "include tbb/*") }
        if lower.hasPrefix("cilk/") { return (.cilk, "include cilk/*") }
        if lower.hasPrefix("hip/") { return (.hip, "include hip/*") }
        if base.hasPrefix("kokkos_") { return (.kokkos, "include Kokkos_*") }
        return nil
    }

    // MARK: C-family words

    private func cWord(at position: Int, _ significant: [Int], into out: inout [Signal]) {
        let token = tokens[significant[position]]
        guard let first = firstByte(token) else { return }
        let next = self.nextToken(after: position, significant)
        func add(_ paradigm: Paradigm?, _ name: String) { out.append(Signal(offset: token.start, paradigm: paradigm, name: name)) }
        switch first {
        case UInt8(ascii: "_"):
            if equals(token, "__global__") { add(nil, "__global__") }
            if language == .opencl, equals(token, "__kernel") { add(.opencl, "__kernel") }
            if token.length > 6, hasPrefix(token, "_Cilk_"), let name = Self.cilkKeywords[text(token)] { add(.cilk, name) }
        case UInt8(ascii: "k"):
            if language == .opencl, equals(token, "kernel") { add(.opencl, "__kernel") }
        case UInt8(ascii: "K"):
            if token.length > 7, hasPrefix(token, "KOKKOS_"), Self.kokkosMacros.contains(text(token)) { add(.kokkos, text(token)) }
        case UInt8(ascii: "u"):
            if equals(token, "using"), let namespace = usingNamespace(after: position, significant) {
                add(namespace.0, "using namespace \(namespace.1)")
            }
        default:
            break
        }
        if let next, next.kind == .punctuator, equals(next, "::") {
            let word = text(token)
            if let paradigm = Self.namespaces[word], paradigm != .cilk { add(paradigm, "\(word)::") }
            return
        }
        // Most identifiers starting with `c` are not Cilk's: test the prefix before making a String to look up.
        if first == UInt8(ascii: "c"), token.length > 4, hasPrefix(token, "cilk_"), Self.cilkKeywords[text(token)] != nil {
            add(.cilk, text(token))
            return
        }
        guard let next, next.kind == .punctuator, equals(next, "(") else { return }
        if let call = cCall(token) { add(call.0, call.1) }
    }

    /// The runtime-API family of a called C-family name.
    private func cCall(_ token: Token) -> (Paradigm, String)? {
        guard let first = firstByte(token) else { return nil }
        switch first {
        case UInt8(ascii: "o"):
            if hasAnyPrefix(token, Self.ompRuntime) { return (.openmp, "omp_*()") }
        case UInt8(ascii: "M"):
            if token.length > 4, hasPrefix(token, "MPI_"), isUpper(bytes[token.start + 4]) { return (.mpi, "MPI_*()") }
        case UInt8(ascii: "c"):
            if token.length > 4, hasPrefix(token, "cuda"), isUpper(bytes[token.start + 4]) { return (.cuda, "cuda*()") }
            if token.length > 3, hasPrefix(token, "cl"), Self.openCLVerbs.contains(where: { hasPrefix(token, $0, at: 2) }) {
                return (.opencl, "cl*()")
            }
        case UInt8(ascii: "h"):
            if token.length > 3, hasPrefix(token, "hip"), isUpper(bytes[token.start + 3]) { return (.hip, "hip*()") }
        case UInt8(ascii: "p"):
            if token.length > 8, hasPrefix(token, "pthread_") { return (.pthreads, "pthread_*()") }
        case UInt8(ascii: "a"):
            if hasAnyPrefix(token, Self.accRuntime) { return (.openacc, "acc_*()") }
        default:
            break
        }
        return nil
    }

    /// `using namespace a::b;`: the paradigm of the first component that names one.
    private func usingNamespace(after position: Int, _ significant: [Int]) -> (Paradigm, String)? {
        guard let keyword = nextToken(after: position, significant), equals(keyword, "namespace") else { return nil }
        var index = position + 2
        while index < significant.count {
            let part = tokens[significant[index]]
            if part.kind == .identifier || part.kind == .keyword {
                let word = text(part)
                if let paradigm = Self.namespaces[word] { return (paradigm, word) }
            } else if !(part.kind == .punctuator && equals(part, "::")) {
                return nil
            }
            index += 1
        }
        return nil
    }

    // MARK: Fortran words

    private func fortranWord(at position: Int, _ significant: [Int], into out: inout [Signal]) {
        let token = tokens[significant[position]]
        guard let first = firstByte(token) else { return }
        func add(_ paradigm: Paradigm, _ name: String) { out.append(Signal(offset: token.start, paradigm: paradigm, name: name)) }
        let next = self.nextToken(after: position, significant)
        switch first | 0x20 {
        case UInt8(ascii: "u"):
            if equalsIgnoringCase(token, "use"), startsStatement(position, significant),
                let module = fortranUseModule(after: position, significant)
            {
                switch module {
                case "omp_lib", "omp_lib_kinds": add(.openmp, "use omp_lib")
                case "mpi", "mpi_f08": add(.mpi, "use \(module)")
                case "openacc": add(.openacc, "use openacc")
                case "cudafor": add(.cuda, "use cudafor")
                default: if module.hasPrefix("hipfort") { add(.hip, "use hipfort") }
                }
                return
            }
        case UInt8(ascii: "i"):
            if equalsIgnoringCase(token, "include"), let next, next.kind == .string,
                let signal = Self.header(text(next))
            {
                add(signal.0, signal.1)
                return
            }
        case UInt8(ascii: "a"):
            if equalsIgnoringCase(token, "attributes"), let open = next, equals(open, "("),
                let kind = self.nextToken(after: position + 1, significant),
                equalsIgnoringCase(kind, "global") || equalsIgnoringCase(kind, "device")
            {
                add(.cuda, "attributes(\(text(kind).lowercased()))")
                return
            }
        default:
            break
        }
        let called = (next.map { $0.kind == .punctuator && equals($0, "(") } ?? false)
            || (position > 0 && equalsIgnoringCase(tokens[significant[position - 1]], "call"))
        guard called, token.kind == .identifier || token.kind == .keyword else { return }
        // Calls and array references look the same and are most words of numeric Fortran: compare bytes,
        // ignoring case, rather than making a lower-cased copy of each.
        if token.length > 4, hasPrefixIgnoringCase(token, Self.mpiPrefix) {
            add(.mpi, "MPI_*()")
        } else if Self.ompRuntime.contains(where: { hasPrefixIgnoringCase(token, $0) }) {
            add(.openmp, "omp_*()")
        } else if Self.accRuntime.contains(where: { hasPrefixIgnoringCase(token, $0) }) {
            add(.openacc, "acc_*()")
        }
    }

    private static let mpiPrefix = Array("mpi_".utf8)

    /// `use [, intrinsic ::] name`: the module name, lower-cased.
    private func fortranUseModule(after position: Int, _ significant: [Int]) -> String? {
        var index = position + 1
        while index < significant.count {
            let part = tokens[significant[index]]
            guard part.line == tokens[significant[position]].line || part.kind == .identifier else { return nil }
            if part.kind == .punctuator && (equals(part, ",") || equals(part, "::")) {
                index += 1
                continue
            }
            let word = text(part).lowercased()
            if word == "intrinsic" || word == "non_intrinsic" {
                index += 1
                continue
            }
            return part.kind == .identifier || part.kind == .keyword ? word : nil
        }
        return nil
    }

    /// Whether a Fortran token begins a statement: first on its line, after `;`, or after `!$ `.
    private func startsStatement(_ position: Int, _ significant: [Int]) -> Bool {
        guard position > 0 else { return true }
        let token = tokens[significant[position]]
        let previous = tokens[significant[position - 1]]
        return previous.line < token.line || (previous.kind == .punctuator && equals(previous, ";"))
            || previous.kind == .directiveIntroducer || previous.kind == .label
    }

    // MARK: byte helpers

    private func nextToken(after position: Int, _ significant: [Int]) -> Token? {
        position + 1 < significant.count ? tokens[significant[position + 1]] : nil
    }

    private func firstByte(_ token: Token) -> UInt8? { token.length > 0 ? bytes[token.start] : nil }

    private func text(_ token: Token) -> String { token.text(in: bytes) }

    private func equals(_ token: Token, _ literal: StaticString) -> Bool {
        guard token.length == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<expected.count where bytes[token.start + offset] != expected[offset] { return false }
            return true
        }
    }

    private func equalsIgnoringCase(_ token: Token, _ literal: StaticString) -> Bool {
        guard token.length == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<expected.count where Self.lower(bytes[token.start + offset]) != expected[offset] { return false }
            return true
        }
    }

    private func hasPrefix(_ token: Token, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { hasPrefix(token, $0) }
    }

    /// Whether the token's bytes from `offset` on start with `prefix` (an array, or a literal's UTF-8).
    private func hasPrefix<Prefix: RandomAccessCollection<UInt8>>(_ token: Token, _ prefix: Prefix, at offset: Int = 0)
        -> Bool where Prefix.Index == Int
    {
        guard token.length >= offset + prefix.count else { return false }
        for index in prefix.indices where bytes[token.start + offset + index - prefix.startIndex] != prefix[index] {
            return false
        }
        return true
    }

    /// Whether the token starts with `prefix`, a lower-case ASCII text, in any case.
    private func hasPrefixIgnoringCase(_ token: Token, _ prefix: [UInt8]) -> Bool {
        guard token.length >= prefix.count else { return false }
        for index in prefix.indices where Self.lower(bytes[token.start + index]) != prefix[index] { return false }
        return true
    }

    private func hasAnyPrefix(_ token: Token, _ prefixes: [[UInt8]]) -> Bool {
        prefixes.contains { hasPrefix(token, $0) }
    }

    private func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
}
