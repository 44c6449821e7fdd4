import Foundation
import Testing

/// The repository this test file belongs to.
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Tests/cli/store-and-arguments.sh against the `replicate` binary built beside this test bundle
/// (`swift test` builds every product): bad inputs, Ctrl-C, kill-and-resume of a smoke arm at
/// step 200, a store copied as its .sqlite file alone, "not run" reports, claims from the source.
@Test func commandLineStoreAndArguments() throws {
    let built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let bin = [built, repoRoot.appendingPathComponent(".build/release")]
        .map { $0.appendingPathComponent("replicate") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    guard let bin else {
        Issue.record("no replicate binary beside \(built.path) or in .build/release; run swift build -c release")
        return
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["bash", repoRoot.appendingPathComponent("Tests/cli/store-and-arguments.sh").path, bin.path, repoRoot.path]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(text)")
    #expect(text.hasSuffix("replicate CLI: all checks passed\n"), "\(text)")
}
