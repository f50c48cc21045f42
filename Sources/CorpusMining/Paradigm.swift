/// An HPC programming model the miner labels files and functions with.
public enum Paradigm: String, Sendable, CaseIterable, Comparable {
    case openmp, mpi, cuda, opencl, openacc, sycl, tbb, cilk, kokkos, hip, pthreads

    public static func < (lhs: Paradigm, rhs: Paradigm) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Signal counts found in code, keyed `paradigm:signal` (for example `openmp:#pragma omp`), so that
/// every label can be traced to the signals behind it.
public struct ParadigmEvidence: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]
    /// Kernel markers CUDA and HIP share (`__global__`, `<<<>>>`), credited when the set is finished.
    var sharedKernelSignals: [String: Int] = [:]

    public init() {}

    /// Counts occurrences of a signal of a paradigm.
    public mutating func add(_ paradigm: Paradigm, _ signal: String, count: Int = 1) {
        counts[paradigm.rawValue + ":" + signal, default: 0] += count
    }

    /// Counts a signal CUDA and HIP share.
    mutating func addSharedKernelSignal(_ signal: String) { sharedKernelSignals[signal, default: 0] += 1 }

    /// Credits shared kernel signals to HIP when the code shows HIP and no CUDA-only signal, else to CUDA.
    public mutating func finish() {
        let hasHIP = counts.keys.contains { $0.hasPrefix("hip:") }
        let hasCUDA = counts.keys.contains { $0.hasPrefix("cuda:") }
        finish(sharedOwner: hasHIP && !hasCUDA ? .hip : .cuda)
    }

    /// Credits shared kernel signals to a paradigm decided elsewhere (a function follows its file).
    public mutating func finish(sharedOwner: Paradigm) {
        for (signal, count) in sharedKernelSignals { add(sharedOwner, signal, count: count) }
        sharedKernelSignals = [:]
    }

    /// The paradigms with at least one signal, sorted.
    public var paradigms: [Paradigm] {
        Set(counts.keys.compactMap { key in
            key.split(separator: ":", maxSplits: 1).first.flatMap { Paradigm(rawValue: String($0)) }
        }).sorted()
    }
}
