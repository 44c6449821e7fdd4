import Foundation
import Testing
@testable import LMCore

/// The test path runs on the machine's own OpenBLAS settings: these machines set
/// `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` on purpose (older OpenBLAS builds compute wrong
/// results or crash on their processors), so nothing between the caller and a test may change them.
struct BLASEnvironmentTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func blasVariables(_ environment: [String: String]) -> String {
        environment.filter { $0.key.hasPrefix("OPENBLAS_") }.map { "\($0.key)=\($0.value)" }.sorted()
            .joined(separator: " ")
    }

    /// `make test` hands over the OPENBLAS_* variables it was given; the test process must see
    /// exactly those (printed, so a CI log shows what the tests ran with).
    @Test func testProcessSeesTheCallersBLASVariables() {
        let seen = Self.blasVariables(ProcessInfo.processInfo.environment)
        print("OPENBLAS_* in the test process: \(seen.isEmpty ? "(none set)" : seen); kernel \(BLAS.coreName)")
        guard let caller = ProcessInfo.processInfo.environment["REPLICATE_CALLER_BLAS_ENV"] else { return }
        #expect(seen == caller, "make test was given [\(caller)] but the tests run with [\(seen)]")
    }

    /// No file on the test path sets, exports or unsets an OPENBLAS_* variable.
    @Test func testPathSetsNoBLASVariable() throws {
        let fm = FileManager.default
        var files = [".ci/run"]
        for folder in ["Tests", "Sources"] {
            let root = Self.repo.appendingPathComponent(folder)
            for case let url as URL in fm.enumerator(at: root, includingPropertiesForKeys: nil)!
            where ["swift", "sh", "py"].contains(url.pathExtension) {
                files.append(String(url.path.dropFirst(Self.repo.path.count + 1)))
            }
        }
        let forbidden = try Regex(#"(setenv|unsetenv|putenv)\s*\(\s*"OPENBLAS_|(export|unset)\s+OPENBLAS_|^\s*OPENBLAS_[A-Z0-9_]*="#)
        for file in files where file != "Tests/LMCoreTests/BLASEnvironmentTests.swift" {
            let text = try String(contentsOf: Self.repo.appendingPathComponent(file), encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(forbidden) {
                Issue.record("\(file):\(i + 1) changes an OPENBLAS_* variable on the test path: \(line)")
            }
        }
        // The Makefile's test recipes: no OPENBLAS_* assignment anywhere in the Makefile.
        let makefile = try String(contentsOf: Self.repo.appendingPathComponent("Makefile"), encoding: .utf8)
        for (i, line) in makefile.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            let assigns = line.contains(try Regex(#"(^|\s)(export\s+|unexport\s+)?OPENBLAS_[A-Z0-9_]*\s*(:|\?|\+)?="#))
            // The main jobs' kernel choice is passed inline through MAIN_ENV, never assigned.
            if assigns && !line.hasPrefix("MAIN_ENV") {
                Issue.record("Makefile:\(i + 1) assigns an OPENBLAS_* variable: \(line)")
            }
        }
    }
}
