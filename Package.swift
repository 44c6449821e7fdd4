// swift-tools-version:6.0
// The replication suite: one shared LM core, one harness, one target per paper.
// Layers (imports point down): replicate CLI -> Replications/<Paper> -> Harness, Corpora -> LMCore -> COpenBLAS.
// Harness and Corpora know no paper; LMCore knows neither of them.
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

/// The papers: each is a module in Replications/<name> (a target, its claims file as a resource, its
/// README and findings log beside the code) with tests in Tests/<name>Tests. Adding a paper: one name
/// here and one line in Sources/Papers/Papers.swift (docs/adding-a-paper.md).
let papers = ["Rewarm", "StabilityGap", "MeCo", "InContextPretraining", "ICLL", "TaskDiversity"]

/// A paper's module: everything in its folder is code except the files named here.
func paperTarget(_ name: String, path: String) -> Target {
    .target(name: name, dependencies: ["LMCore", "Corpora", "Harness"], path: path,
            exclude: ["README.md", "FINDINGS.md", "tools"].filter {
                FileManager.default.fileExists(atPath: "\(Context.packageDirectory)/\(path)/\($0)")
            },
            resources: [.copy("claims.yaml")], swiftSettings: fast)
}

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
        .target(name: "Papers", dependencies: ["Harness"] + papers.map { .target(name: $0) }),
        .executableTarget(name: "replicate", dependencies: [
            "Harness", "Corpora", "Papers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LMCoreTests", dependencies: ["LMCore"], exclude: ["Fixtures"]),
        .testTarget(name: "CorporaTests", dependencies: ["Corpora", "LMCore"], exclude: ["Samples"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "LMCore"], exclude: ["Fixtures"]),
        .testTarget(name: "PapersTests", dependencies: ["Papers", "PaperTemplate", "Harness"]),
    ],
    swiftLanguageModes: [.v5]
)

for paper in papers {
    package.targets.append(paperTarget(paper, path: "Replications/\(paper)"))
    package.targets.append(.testTarget(name: "\(paper)Tests", dependencies: [.target(name: paper), "Harness", "Corpora", "LMCore"]))
}
// The folder `docs/adding-a-paper.md` starts from; compiled and smoke-run by PapersTests so it never rots.
package.targets.append(paperTarget("PaperTemplate", path: "Templates/Paper"))

// The Swift half of `make bench` (Benchmarks/bench.sh runs it beside the PyTorch reference).
package.targets.append(.executableTarget(name: "lmbench", dependencies: ["LMCore"], path: "Benchmarks/LMBench", swiftSettings: fast))
