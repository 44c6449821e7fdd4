import Foundation
import Testing
@testable import Harness

/// `--jobs N`: independent runs side by side in child processes, dependencies respected, a failed
/// run's dependants not started, and every number the one a sequential run computes.
struct ConcurrentRunsTests {
    /// A child that appends "start <label>" and "end <label>" to a log (exit 3 for `failing`).
    static func scriptedChild(log: URL, failing: String? = nil) -> @Sendable (PlannedRun) -> ChildCommand {
        { r in
            let label = "\(r.seed)/\(r.arm)"
            let status = label == failing ? 3 : 0
            return ChildCommand(executable: URL(fileURLWithPath: "/bin/sh"), arguments: [
                "-c", "echo start \(label) >> '\(log.path)'; sleep 0.2; echo end \(label) >> '\(log.path)'; exit \(status)"])
        }
    }

    static func plan(seeds: [Int]) throws -> [PlannedRun] {
        try RunPlan.runs(makeTarget(in: tempDir()), tier: .default, seeds: seeds, threads: 1)
    }

    @Test func dependantsStartOnlyAfterTheirDependencyEnds() throws {
        let log = tempDir().appendingPathComponent("log.txt")
        let plan = try Self.plan(seeds: [1, 2])
        let summary = try ConcurrentRuns(plan: plan, toExecute: Set(plan.map(\.fingerprint)), jobs: 3,
                                         command: Self.scriptedChild(log: log), verbose: false).run()
        #expect(summary.ran.count == 6 && summary.failed.isEmpty)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        for seed in [1, 2] {
            let baseEnd = try #require(lines.firstIndex(of: "end \(seed)/base"))
            let tunedStart = try #require(lines.firstIndex(of: "start \(seed)/tuned"))
            #expect(baseEnd < tunedStart)
        }
        // Three jobs: the first three runs started before any ended.
        #expect(lines.prefix(3).allSatisfy { $0.hasPrefix("start") })
    }

    @Test func aFailedRunsDependantsAreNotStarted() throws {
        let log = tempDir().appendingPathComponent("log.txt")
        let plan = try Self.plan(seeds: [1, 2])
        let summary = try ConcurrentRuns(plan: plan, toExecute: Set(plan.map(\.fingerprint)), jobs: 2,
                                         command: Self.scriptedChild(log: log, failing: "1/base"), verbose: false).run()
        #expect(summary.ran.count == 4)
        #expect(summary.failed.count == 2)
        #expect(summary.failed.contains { $0.contains("fake/tuned tier=default seed=1 not started") })
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(!text.contains("1/tuned"))
    }

    /// The real CLI: `--jobs 2` stores exactly the numbers of `--jobs 1` (timings aside).
    @Test func jobsStoreTheNumbersOfASequentialRun() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = repo.appendingPathComponent(".build/release/replicate")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the CLI first: swift build -c release")
        let dir = tempDir()
        func run(jobs: Int) throws -> [String] {
            let db = dir.appendingPathComponent("jobs\(jobs).sqlite").path
            let p = Process()
            p.executableURL = binary
            p.arguments = ["run", "icll", "--tier", "smoke", "--seeds", "2", "--jobs", "\(jobs)", "--threads", "1", "--db", db]
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            let store = try ResultsStore(path: db)
            return try store.runs(paper: "icll", tier: .smoke).sorted { $0.fingerprint < $1.fingerprint }.map { r in
                let m = r.measurements.filter { !$0.key.contains("per_second") && !$0.key.contains("seconds") }
                    .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.bitPattern)" }
                let s = r.series.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.map { "\($0.step)=\($0.value.bitPattern)" })" }
                return ([r.fingerprint] + m + s).joined(separator: " ")
            }
        }
        let sequential = try run(jobs: 1), concurrent = try run(jobs: 2)
        #expect(sequential.count == 6)
        #expect(sequential == concurrent)
    }
}
