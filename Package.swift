// swift-tools-version: 6.1
// MemFlux: one in-memory, multi-model, transactional engine. Each module
// imports only the layers below it: MemFluxCore (bytes, JSON, errors,
// configuration) < MemFluxPersistence (log and snapshot files) <
// MemFluxStorage (the MVCC keyspace) < MemFluxSQL (the SQL engine) < MemFlux
// (the embedded Database and its commands) < MemFluxServer (RESP over TCP) < memflux-server (the executable);
// beside the server, MemFluxCABI (libmemflux.so, the C ABI of memflux.h, which CMemFlux carries).
import PackageDescription

// Release builds optimize across module boundaries so the command layer can
// inline and specialize the storage calls on its hot path.
let optimize: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "MemFlux",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MemFlux", targets: ["MemFlux"]),
        .library(name: "memflux", type: .dynamic, targets: ["MemFluxCABI"]),
        .executable(name: "memflux-server", targets: ["memflux-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "MemFluxCore",
            dependencies: [.product(name: "Collections", package: "swift-collections")],
            swiftSettings: optimize),
        .target(
            name: "MemFluxPersistence",
            dependencies: ["MemFluxCore"],
            swiftSettings: optimize),
        // A prefetch hint for the storage scans (C: Swift cannot spell one).
        .target(name: "CPrefetch"),
        .target(
            name: "MemFluxStorage",
            dependencies: ["CPrefetch", "MemFluxCore", "MemFluxPersistence", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: optimize),
        .target(
            name: "MemFluxSQL",
            dependencies: ["CPrefetch", "MemFluxCore", "MemFluxStorage", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: optimize),
        .target(
            name: "MemFlux",
            dependencies: [
                "MemFluxCore", "MemFluxPersistence", "MemFluxStorage", "MemFluxSQL", .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: optimize),
        .target(name: "CMemFlux"),
        .target(
            name: "MemFluxCABI",
            dependencies: ["CMemFlux", "MemFlux", "MemFluxCore", "MemFluxSQL"],
            swiftSettings: optimize),
        .target(
            name: "MemFluxServer",
            dependencies: [
                "MemFlux", "MemFluxCore", "MemFluxPersistence",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimize),
        .executableTarget(
            name: "memflux-server",
            dependencies: [
                "MemFlux", "MemFluxCore", "MemFluxServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimize),
        .executableTarget(
            name: "memflux-bench",
            dependencies: ["MemFlux", "MemFluxCore", "MemFluxSQL", "MemFluxStorage", .product(name: "Collections", package: "swift-collections")],
            path: "bench/micro",
            swiftSettings: optimize),
        .testTarget(
            name: "MemFluxCoreTests",
            dependencies: ["MemFluxCore", .product(name: "Collections", package: "swift-collections")]),
        .testTarget(name: "MemFluxPersistenceTests", dependencies: ["MemFluxPersistence"]),
        .testTarget(name: "MemFluxStorageTests", dependencies: ["MemFluxCore", "MemFluxPersistence", "MemFluxStorage"]),
        .testTarget(name: "MemFluxSQLTests", dependencies: ["MemFluxCore", "MemFluxStorage", "MemFluxSQL"]),
        .testTarget(name: "MemFluxTests", dependencies: ["MemFlux", "MemFluxCore", "MemFluxPersistence", "MemFluxStorage"]),
        .testTarget(
            name: "MemFluxServerTests",
            dependencies: ["MemFlux", "MemFluxCore", "MemFluxServer", .product(name: "NIOCore", package: "swift-nio")]),
    ]
)

// libFuzzer targets (fuzz/README.md), only in the manifest when MEMFLUX_FUZZ=1,
// so a normal build or test never sees them; fuzz/run.sh builds them with
// --sanitize=fuzzer --sanitize=address into .build-fuzz. Each is one file
// defining LLVMFuzzerTestOneInput (libFuzzer supplies main).
if Context.environment["MEMFLUX_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("resp-decoder", ["MemFluxCore", .product(name: "NIOCore", package: "swift-nio")]),
        ("inline-splitter", ["MemFluxCore"]),
        ("json-parser", ["MemFluxCore"]),
        ("json-path", ["MemFluxCore"]),
        ("sql-parser", ["MemFluxCore", "MemFluxSQL"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(
            name: "fuzz-\(name)",
            dependencies: dependencies,
            path: "fuzz/targets/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
