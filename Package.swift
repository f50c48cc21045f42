// swift-tools-version:6.1
import PackageDescription

// Modules by job (see Docs/architecture.md). Dependencies point one way: pipe → PipeCLI → domain modules →
// StageKit (+ building blocks); the engine modules implement the contract and are linked by PipeCLI only.
let embedSchemas: [Target.PluginUsage] = [.plugin(name: "EmbedSchemas")]

let package = Package(
    name: "pipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipe", targets: ["pipe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // The executable and its command tree.
        .executableTarget(name: "pipe", dependencies: ["PipeCLI"]),
        .target(
            name: "PipeCLI",
            dependencies: [
                "StageKit", "Readers", "JSONSchema", "Storage", "Engine", "Exporting",
                "RecordsImport", "CorpusMining", "DataFiltering", "Tokompiler", "Ontology", "InfinityMath", "Registry",
                "Hls4ml", "HPCTrans",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The contract every stage kind is written against, and the building blocks kinds may use.
        .target(name: "StageKit", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Readers", dependencies: ["StageKit", "CZlib", "CZstd", .product(name: "Yams", package: "Yams")]),
        .target(name: "JSONSchema", dependencies: ["StageKit", "Readers"]),
        .target(name: "CodeLexers"),
        .target(name: "XMLReader", dependencies: ["CLibXML2"]),
        .target(name: "Sandbox", dependencies: ["CSandbox"]),

        // Stage kinds: one module each (or one per family of kinds), each with its schemas in Schemas/<Module>/.
        .target(name: "RecordsImport", dependencies: ["StageKit", "Readers"], plugins: embedSchemas),
        .target(name: "CorpusMining", dependencies: ["StageKit", "CodeLexers"], plugins: embedSchemas),
        .target(name: "DataFiltering", dependencies: ["StageKit", "Readers"], plugins: embedSchemas),
        .target(name: "Tokompiler", dependencies: ["StageKit", "CodeLexers"], plugins: embedSchemas),
        .target(name: "Ontology", dependencies: ["StageKit", "Readers", "JSONSchema"], plugins: embedSchemas),
        .target(name: "InfinityMath", dependencies: ["StageKit", "Readers"], plugins: embedSchemas),
        .target(name: "Hls4ml", dependencies: ["StageKit", "Readers", "XMLReader", "CZlib"], plugins: embedSchemas),
        .target(name: "HPCTrans", dependencies: ["StageKit", "Readers", "Sandbox"], plugins: embedSchemas),

        // The engine: storage, runner and catalog, exports.
        .target(
            name: "Storage",
            dependencies: ["StageKit", "Readers", "CLibArchive", .product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(
            name: "Engine",
            dependencies: [
                "StageKit", "Readers", "JSONSchema", "Storage", "CPipeBuildInfo",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            plugins: embedSchemas
        ),
        .target(name: "Exporting", dependencies: ["StageKit", "Readers", "JSONSchema", "Storage", "Engine"]),
        // The registry: entries for exported datasets, made from the catalog and the exports (so it needs Engine,
        // which the Ontology kind may not import), kept in the catalog, exported as YAML, Croissant and HTML.
        .target(name: "Registry", dependencies: ["StageKit", "Engine", "Ontology"], plugins: embedSchemas),

        // System libraries and C shims.
        // libxml2 with network access, DTD loading and entity expansion off (XMLReader).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // gzip and zstd decoders of our own: libarchive's drop the last 64 KiB they decoded when the input
        // ends early, so a truncated archive or shard lost the entries or records just before the damage.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // fork/exec with limits, namespaces, Landlock and the uid drop, for running untrusted code (Sandbox).
        .target(name: "CSandbox"),
        // Carries the git commit written by the Makefile into `pipe --version`.
        .target(name: "CPipeBuildInfo"),

        // Build tools.
        .executableTarget(name: "embed-schemas"),
        .plugin(name: "EmbedSchemas", capability: .buildTool(), dependencies: ["embed-schemas"]),
        .executableTarget(name: "pipe-conformance", dependencies: ["StageKit", "JSONSchema", "InfinityMath", "Hls4ml"]),

        // Tests: one target per module, a test-support target, and end-to-end CLI tests.
        .target(name: "StageKitTestSupport", dependencies: ["StageKit", "JSONSchema"], path: "Tests/StageKitTestSupport"),
        .testTarget(name: "StageKitTests", dependencies: ["StageKit", "StageKitTestSupport"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "StageKit", "Engine", "Exporting"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Readers", "StageKit", "Engine"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Exporting", "Storage", "Readers", "JSONSchema", "StageKit", "RecordsImport", "StageKitTestSupport"],
            exclude: ["Schemas"], plugins: embedSchemas),
        .testTarget(name: "ExportingTests", dependencies: ["Exporting", "Engine", "JSONSchema", "StageKit"], exclude: ["Golden"]),
        .testTarget(name: "PipeCLITests", dependencies: ["PipeCLI", "Engine", "JSONSchema", "StageKit", "Storage", "Readers", "StageKitTestSupport"]),
        .testTarget(name: "CodeLexersTests", dependencies: ["CodeLexers"]),
        .testTarget(name: "XMLReaderTests", dependencies: ["XMLReader"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox"]),
        .testTarget(name: "ReadersTests", dependencies: ["Readers", "StageKit"]),
        .testTarget(name: "CorpusMiningTests", dependencies: ["CorpusMining", "CodeLexers", "StageKit", "JSONSchema", "StageKitTestSupport"]),
        .testTarget(name: "DataFilteringTests", dependencies: ["DataFiltering", "RecordsImport", "StageKit", "Readers", "JSONSchema", "StageKitTestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Engine", "Ontology", "StageKit"]),
        .testTarget(name: "OntologyTests", dependencies: ["Ontology", "Readers", "StageKit", "JSONSchema", "StageKitTestSupport"]),
        .testTarget(name: "TokompilerTests", dependencies: ["Tokompiler", "CodeLexers", "StageKit", "JSONSchema", "StageKitTestSupport"]),
        .testTarget(name: "InfinityMathTests", dependencies: ["InfinityMath", "StageKit", "JSONSchema", "StageKitTestSupport"]),
        .testTarget(name: "Hls4mlTests", dependencies: ["Hls4ml", "StageKit", "Readers", "Storage", "XMLReader", "JSONSchema", "StageKitTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "HPCTransTests", dependencies: ["HPCTrans", "Sandbox", "StageKit", "Readers", "JSONSchema", "StageKitTestSupport"],
                    exclude: ["Golden"]),
    ]
)
