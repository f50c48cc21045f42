// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pipe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pipe", targets: ["pipe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .executableTarget(name: "pipe", dependencies: ["PipeCLI"]),
        .target(
            name: "PipeCLI",
            dependencies: [
                "PipeCore",
                "CorpusMining",
                "DataFiltering",
                "Tokompiler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "CodeLexers"),
        .target(name: "CorpusMining", dependencies: ["PipeCore", "CodeLexers"]),
        .target(name: "DataFiltering", dependencies: ["PipeCore"]),
        .target(name: "Tokompiler", dependencies: ["PipeCore", "CodeLexers"]),
        .target(
            name: "PipeCore",
            dependencies: [
                "CLibArchive",
                "CZlib",
                "CZstd",
                "CPipeBuildInfo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CLibArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // gzip and zstd decoders of our own for archives: libarchive's drop the last 64 KiB they decoded
        // when the input ends early, so a truncated archive lost the entries just before the damage.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // Carries the git commit written by the Makefile into `pipe --version`.
        .target(name: "CPipeBuildInfo"),
        .executableTarget(name: "pipe-conformance", dependencies: ["PipeCore"]),
        .testTarget(name: "PipeCoreTests", dependencies: ["PipeCore"], exclude: ["Golden"]),
        .testTarget(name: "PipeCLITests", dependencies: ["PipeCore"]),
        .testTarget(name: "CodeLexersTests", dependencies: ["CodeLexers"]),
        .testTarget(name: "CorpusMiningTests", dependencies: ["CorpusMining", "CodeLexers", "PipeCore"]),
        .testTarget(name: "DataFilteringTests", dependencies: ["DataFiltering", "PipeCore"]),
        .testTarget(name: "TokompilerTests", dependencies: ["Tokompiler", "CodeLexers", "PipeCore"]),
    ]
)
