// swift-tools-version:6.0
// The replication suite: one shared LM core, one harness, one target per paper.
// Layers (imports point down): replicate CLI -> Harness -> Replications/<Paper> -> Corpora, LMCore -> COpenBLAS.
import Foundation
import PackageDescription

/// Numeric code is compiled with full optimisation even in test builds (`make test` uses -c release),
/// for the AVX2 vector unit where the building machine has one (the suite runs where it is built):
/// the SIMD8 elementwise loops then take one instruction instead of two. No FMA contraction
/// happens, so the numbers are the same bits as without it.
let cpuFlags: [String] = {
    #if arch(x86_64) && os(Linux)
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    if info.contains(" avx2 ") { return ["-target-cpu", "haswell"] }
    #endif
    return []
}()
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"] + cpuFlags, .when(configuration: .release))]

let package = Package(
    name: "Replicate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "replicate", targets: ["replicate"]),
        .library(name: "LMCore", targets: ["LMCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "LMCore", dependencies: ["COpenBLAS"], swiftSettings: fast),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Corpora", dependencies: ["LMCore", "CZlib"], swiftSettings: fast),
        .target(name: "Harness", dependencies: [
            "LMCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "TaskDiversity", dependencies: ["LMCore", "Harness"],
                path: "Replications/TaskDiversity", exclude: ["README.md", "FINDINGS.md"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .target(name: "Rewarm", dependencies: ["LMCore", "Corpora", "Harness"],
                path: "Replications/Rewarm", exclude: ["README.md", "FINDINGS.md"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .target(name: "StabilityGap", dependencies: ["LMCore", "Corpora", "Harness"],
                path: "Replications/StabilityGap", exclude: ["README.md", "FINDINGS.md"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .target(name: "MeCo", dependencies: ["LMCore", "Corpora", "Harness"],
                path: "Replications/MeCo", exclude: ["README.md", "FINDINGS.md"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .target(name: "InContextPretraining", dependencies: ["LMCore", "Corpora", "Harness"],
                path: "Replications/InContextPretraining", exclude: ["README.md", "FINDINGS.md", "tools"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .target(name: "ICLL", dependencies: ["LMCore", "Corpora", "Harness"],
                path: "Replications/ICLL", exclude: ["README.md", "FINDINGS.md"],
                resources: [.copy("claims.yaml")], swiftSettings: fast),
        .executableTarget(name: "replicate", dependencies: [
            "Harness", "Corpora", "TaskDiversity", "Rewarm", "StabilityGap", "MeCo", "InContextPretraining", "ICLL",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LMCoreTests", dependencies: ["LMCore"], exclude: ["Fixtures"]),
        .testTarget(name: "CorporaTests", dependencies: ["Corpora"], exclude: ["Samples"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness"], exclude: ["Fixtures"]),
        .testTarget(name: "TaskDiversityTests", dependencies: ["TaskDiversity", "Harness"]),
        .testTarget(name: "RewarmTests", dependencies: ["Rewarm", "Harness", "Corpora", "LMCore"]),
        .testTarget(name: "StabilityGapTests", dependencies: ["StabilityGap", "Harness", "Corpora", "LMCore"]),
        .testTarget(name: "MeCoTests", dependencies: ["MeCo", "Corpora", "LMCore", "Harness"]),
        .testTarget(name: "InContextPretrainingTests", dependencies: ["InContextPretraining", "Corpora", "Harness", "LMCore"]),
        .testTarget(name: "ICLLTests", dependencies: ["ICLL", "Corpora", "Harness", "LMCore"]),
    ],
    swiftLanguageModes: [.v5]
)

// The Swift half of `make bench` (Benchmarks/bench.sh runs it beside the PyTorch reference).
package.targets.append(.executableTarget(name: "lmbench", dependencies: ["LMCore"], path: "Benchmarks/LMBench", swiftSettings: fast))
