import Foundation
import LMCore
import Testing
@testable import Harness

@Test func unknownPaperAndTierNameTheValidOnes() throws {
    let dir = tempDir()
    let registry = TargetRegistry([makeTarget(in: dir)])
    #expect { _ = try registry.target("nope") } throws: { "\($0)" == "unknown paper 'nope'; valid papers: fake" }
    #expect { _ = try TargetRegistry.tier("huge") } throws: { "\($0)" == "unknown tier 'huge'; valid tiers: smoke, default, extended" }
    #expect(try TargetRegistry.tier("smoke", of: registry.target("fake")) == .smoke)
    #expect(try RunPlan.parseSeeds("3") == [1, 2, 3])
    #expect(try RunPlan.parseSeeds("5,2") == [2, 5])
    #expect(throws: HarnessError.self) { try RunPlan.parseShard("4/3") }
}

@Test func shardsPartitionTheRunsAndKeepDependenciesTogether() throws {
    let target = makeTarget(in: tempDir())
    let all = try RunPlan.runs(target, tier: .default, seeds: [1, 2, 3, 4], threads: 1)
    #expect(all.count == 12)
    #expect(all.prefix(3).map(\.arm) == ["base", "tuned", "solo"])
    for n in 1...5 {
        let shards = (1...n).map { RunPlan.shard(all, index: $0, count: n) }
        #expect(shards.map(\.count).reduce(0, +) == all.count)            // disjoint …
        #expect(Set(shards.flatMap { $0 }) == Set(all))                    // … and complete
        for s in shards {
            for r in s { for d in r.dependencies { #expect(s.contains { $0.seed == r.seed && $0.arm == d }) } }
        }
        #expect(shards == (1...n).map { RunPlan.shard(all, index: $0, count: n) })   // deterministic
    }
    // Independent arms are dealt separately: 8 groups (base+tuned, solo) × 4 seeds over 2 shards.
    #expect(RunPlan.shard(all, index: 1, count: 2).count == 8)
}

@Test func fingerprintsAreStable() throws {
    let target = makeTarget(in: tempDir())
    let a = try RunPlan.runs(target, tier: .smoke, seeds: [1], threads: 1)
    let b = try RunPlan.runs(target, tier: .smoke, seeds: [1], threads: 1)
    #expect(a.map(\.fingerprint) == b.map(\.fingerprint))
    #expect(Set(a.map(\.fingerprint)).count == 3)
    #expect(a[0].configJSON == "{\"rate\":0.5,\"steps\":4}")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}

@Test func skipsCompletedRunsAndForceReruns() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let first = try Runner(target: target, store: store, options: quietOptions(seeds: 2)).run()
    #expect(first.ran.count == 6 && first.skipped.isEmpty && first.failed.isEmpty)
    let before = try store.allRuns()
    let again = try Runner(target: target, store: store, options: quietOptions(seeds: 2)).run()
    #expect(again.ran.isEmpty && again.skipped.count == 6)
    #expect(try store.allRuns() == before)
    let forced = try Runner(target: target, store: store, options: quietOptions(seeds: 2, force: true)).run()
    #expect(forced.ran.count == 6)
    // Same seeds, same code: the forced rerun reproduces every number.
    #expect(try store.allRuns().map(\.measurements) == before.map(\.measurements))
    #expect(try store.allRuns().map(\.series) == before.map(\.series))
}

@Test func dependencyWithoutCheckpointIsRerun() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let runner = Runner(target: target, store: store, options: quietOptions(seeds: 1))
    _ = try runner.run()
    // The tuned run is lost and base's checkpoints are gone (e.g. merged from another machine).
    let plan = try RunPlan.runs(target, tier: .default, seeds: [1], threads: 1)
    try FileManager.default.removeItem(at: runner.workDirectory(plan[0]))
    let tuned = plan[1].fingerprint
    let other = try ResultsStore(path: dir.appendingPathComponent("other.sqlite").path)
    for r in try store.allRuns() where r.fingerprint != tuned { try other.save(r) }
    let summary = try Runner(target: target, store: other, options: quietOptions(seeds: 1)).run()
    #expect(Set(summary.ran) == [plan[0].fingerprint, tuned])
}

@Test func interruptedRunResumesFromItsCheckpoint() throws {
    let dir = tempDir()
    var crashing = makeTarget(in: dir)
    crashing.crashBaseAfter = 3
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let first = try Runner(target: crashing, store: store, options: quietOptions(seeds: 1)).run()
    #expect(first.failed.count == 2)   // base crashed, tuned blocked
    #expect(first.failed[1].contains("dependency 'base' failed"))
    #expect(try store.allRuns().map(\.arm) == ["solo"])
    let resumed = try Runner(target: makeTarget(in: dir), store: store, options: quietOptions(seeds: 1)).run()
    #expect(resumed.ran.count == 2 && resumed.failed.isEmpty)
    // A run that never stopped gives the same numbers.
    let clean = try ResultsStore(path: tempDir().appendingPathComponent("c.sqlite").path)
    _ = try Runner(target: makeTarget(in: dir), store: clean, options: quietOptions(seeds: 1)).run()
    #expect(try store.allRuns().map(\.series) == clean.allRuns().map(\.series))
    #expect(try store.allRuns().first { $0.arm == "base" }!.series["loss"]!.map(\.step) == Array(0..<8))
}

@Test func divergingRunIsReportedAndNotStored() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir, diverging: true)
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let s = try Runner(target: target, store: store, options: quietOptions(seeds: 1)).run()
    #expect(s.ran.count == 3)
    #expect(s.failed == ["run fake/boom tier=default seed=1 failed: diverged at step 2: loss is NaN; not stored"])
    #expect(try store.allRuns().map(\.arm).sorted() == ["base", "solo", "tuned"])
    #expect(try store.counts().series == 3 * 8)
}

@Test func seedsAndThreadsAreChecked() throws {
    for bad in ["0", "-1", "0,1", "-5,3", "2,x", ""] {
        #expect(throws: HarnessError.self, "--seeds \(bad)") { _ = try RunPlan.parseSeeds(bad) }
    }
    #expect { _ = try RunPlan.parseSeeds("0,1") } throws: { "\($0)" == "--seeds 0,1: seed 0 is not allowed; seeds are numbered from 1 (e.g. 1,2,5)" }
    #expect(try RunPlan.checkThreads(1) == 1)
    #expect(try RunPlan.checkThreads(RunPlan.maxThreads) == RunPlan.maxThreads)
    for bad in [0, -2, RunPlan.maxThreads + 1, 1000] {
        #expect { _ = try RunPlan.checkThreads(bad) } throws: { "\($0)".hasPrefix("--threads \(bad): give 1…\(RunPlan.maxThreads)") }
    }
}

/// Another thread count is another run: its numbers differ in the last digits, so it never
/// counts as the same finished run, and a verdict reads the runs of one count.
@Test func threadCountIsPartOfTheFingerprint() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    let one = try RunPlan.runs(target, tier: .default, seeds: [1], threads: 1).map(\.fingerprint)
    let two = try RunPlan.runs(target, tier: .default, seeds: [1], threads: 2).map(\.fingerprint)
    #expect(Set(one).isDisjoint(with: two))
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    var options = quietOptions(seeds: 1)
    _ = try Runner(target: target, store: store, options: options).run()
    options.threads = 2
    #expect(try Runner(target: target, store: store, options: options).run().ran.count == 3)
    #expect(Set(try store.allRuns().map(\.environment.threads)) == [1, 2])
    #expect(try Evaluation.evaluate(target, tier: .default, store: store).matrix.allSatisfy { $0.runs.count == 1 })
    // Runs stored under an older identity do not sway which count is read.
    let old = try store.allRuns().filter { $0.environment.threads == 2 }
    for (i, r) in old.enumerated() {
        try store.save(RunResult(fingerprint: "stale\(i)", paper: r.paper, arm: r.arm, tier: r.tier, seed: r.seed,
                                 configJSON: r.configJSON, codeVersion: r.codeVersion, environment: r.environment,
                                 status: r.status, started: r.started, finished: r.finished, wallSeconds: r.wallSeconds,
                                 measurements: r.measurements, series: r.series))
    }
    let arms = target.arms(for: .default)
    #expect(prevailingThreadCount(try store.runs(paper: "fake", tier: .default), arms: arms, paper: "fake", tier: .default) == 1)
}

@Test func emptyShardWarns() throws {
    let dir = tempDir()
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    var options = quietOptions(seeds: 1)
    options.shard = (1000, 1000)
    let s = try Runner(target: makeTarget(in: dir), store: store, options: options).run()
    #expect(s.ran.isEmpty && s.failed.isEmpty)
    #expect(s.warnings == ["warning: shard 1000/1000 of fake default is empty (3 runs in fewer than 1000 dependency groups); use fewer shards"])
    options.shard = (1, 2)
    #expect(try Runner(target: makeTarget(in: dir), store: store, options: options).run().warnings.isEmpty)
}

@Test func workFolderBelongsToTheStore() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    for name in ["a.sqlite", "b.sqlite"] {
        let store = try ResultsStore(path: dir.appendingPathComponent(name).path)
        let runner = Runner(target: target, store: store, options: quietOptions(seeds: 1))
        #expect(runner.workRoot.path == store.path + ".work")
        _ = try runner.run()
        try store.close()
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            == ["a.sqlite", "a.sqlite.work", "b.sqlite", "b.sqlite.work", "claims.yaml"])
}

@Test func failedRecordWriteFailsTheRunInOneLine() throws {
    let dir = tempDir()
    var target = makeTarget(in: dir)
    target.breakRecordsAt = 2
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let runner = Runner(target: target, store: store, options: quietOptions(seeds: 1))
    let s = try runner.run()
    #expect(s.ran.count == 2 && s.failed.count == 1)
    let records = runner.workDirectory(try RunPlan.runs(target, tier: .default, seeds: [1], threads: 1)[2]).appendingPathComponent("records.tsv")
    #expect(s.failed == ["run fake/solo tier=default seed=1 failed: \(records.path): cannot write (No space left on device); free disk space, then rerun the same command (finished work is kept); not stored"])
    #expect(try store.allRuns().map(\.arm).sorted() == ["base", "tuned"])
}

/// A target's version enters its runs' fingerprints, except version 1, which hashes exactly as the
/// identities made before targets had versions (so their stored runs still count).
@Test func versionEntersTheFingerprint() {
    let v1 = runFingerprint(paper: "p", arm: "a", tier: .default, seed: 1, configJSON: "{}", threads: 1)
    let legacy = String(SHA256.hex(Array(["p", "a", "default", "1", "{}", "threads=1"].joined(separator: "\u{1F}").utf8)).prefix(16))
    #expect(v1 == legacy)
    #expect(runFingerprint(paper: "p", arm: "a", tier: .default, seed: 1, configJSON: "{}", threads: 1, version: 2) != v1)
}

/// A run's code version is the commit, "-dirty" when code differs from it, but not when only
/// reports do (an earlier run wrote them).
@Test func codeVersionIgnoresReports() throws {
    let dir = tempDir()
    func sh(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "cd '\(dir.path)' && " + command]
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(command)")
    }
    try sh("git init -q && mkdir Reports && echo a > Reports/r.md && echo x > code.swift && git add . && "
           + "git -c user.name=t -c user.email=t@t commit -qm init")
    let clean = currentCodeVersion(directory: dir.path)
    #expect(clean.count == 12 && !clean.hasSuffix("-dirty"))
    try sh("echo b > Reports/r.md")
    #expect(currentCodeVersion(directory: dir.path) == clean)
    try sh("echo y > code.swift")
    #expect(currentCodeVersion(directory: dir.path) == clean + "-dirty")
}
