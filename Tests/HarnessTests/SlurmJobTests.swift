import Foundation
import Testing
@testable import Harness

private func job(_ dir: String = "/shared/runs/icll", binary: String = "/opt/replicate/replicate",
                 partition: String? = nil, account: String? = nil) throws -> SlurmJob {
    try SlurmJob(paper: "icll", tier: .smoke, seeds: "3", shards: 3, partition: partition, account: account,
                 time: "02:00:00", cpusPerTask: 2, directory: dir, binary: binary, workingDirectory: "/shared/repo")
}

private func lines(_ script: String, _ prefix: String) -> [String] {
    script.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
}

@Test func arrayScriptRunsOneShardPerTaskIntoItsOwnStore() throws {
    let s = try job().arrayScript
    #expect(s.hasPrefix("#!/bin/bash\n"))
    let sbatch = lines(s, "#SBATCH")
    for option in ["--array=1-3", "--requeue", "--open-mode=append", "--cpus-per-task=2", "--time=02:00:00",
                   "--job-name=replicate-icll-smoke", "--output=/shared/runs/icll/logs/%x-%A_%a.out", "--chdir=/shared/repo"] {
        #expect(sbatch.contains("#SBATCH \(option)"), "missing #SBATCH \(option)")
    }
    // Defaults: no partition or account line, so the cluster's own defaults apply.
    #expect(!s.contains("--partition") && !s.contains("--account"))
    #expect(lines(s, "exec ") == ["exec /opt/replicate/replicate run icll --tier smoke --seeds 3 --shard \"${SLURM_ARRAY_TASK_ID}/3\" "
                                  + "--threads 2 --db /shared/runs/icll/shard-${SLURM_ARRAY_TASK_ID}.sqlite"])
    // No --seeds: the tasks and the merge job use the seeds the paper's claims file registers.
    let registered = try SlurmJob(paper: "icll", tier: .smoke, seeds: nil, shards: 3, time: "02:00:00", cpusPerTask: 2,
                                  directory: "/d", binary: "/b", workingDirectory: "/")
    #expect(lines(registered.arrayScript, "exec ") == ["exec /b run icll --tier smoke --shard \"${SLURM_ARRAY_TASK_ID}/3\" --threads 2 --db /d/shard-${SLURM_ARRAY_TASK_ID}.sqlite"])
    #expect(lines(registered.mergeScript, "/b slurm ") == ["/b slurm icll --tier smoke --shards 3 --cpus-per-task 2 --dir /d --collect ${1:+--array-job \"$1\"}"])
    let withBoth = try job(partition: "gpu-short", account: "lab42").arrayScript
    #expect(lines(withBoth, "#SBATCH --partition=") == ["#SBATCH --partition=gpu-short"])
    #expect(lines(withBoth, "#SBATCH --account=") == ["#SBATCH --account=lab42"])
}

@Test func mergeScriptCollectsThenReportsAndVerifies() throws {
    let j = try job(partition: "p", account: "a")
    let s = j.mergeScript
    #expect(lines(s, "#SBATCH --output=") == ["#SBATCH --output=/shared/runs/icll/logs/%x-%j.out"])
    #expect(lines(s, "#SBATCH --job-name=") == ["#SBATCH --job-name=replicate-icll-smoke-merge"])
    #expect(lines(s, "#SBATCH --partition=") == ["#SBATCH --partition=p"] && lines(s, "#SBATCH --account=") == ["#SBATCH --account=a"])
    #expect(lines(s, "#SBATCH --array").isEmpty && lines(s, "#SBATCH --requeue").isEmpty)
    #expect(lines(s, "/opt/replicate/replicate ") == [
        "/opt/replicate/replicate slurm icll --tier smoke --seeds 3 --shards 3 --cpus-per-task 2 --dir /shared/runs/icll --collect ${1:+--array-job \"$1\"}",
        "/opt/replicate/replicate report icll --tier smoke --db /shared/runs/icll/merged.sqlite --out /shared/runs/icll/Reports",
        "/opt/replicate/replicate verify icll --tier smoke --db /shared/runs/icll/merged.sqlite",
    ])
    #expect(j.mergeResubmission(arrayJobID: "41") == "sbatch --dependency=afterany:41 /shared/runs/icll/merge.sbatch 41")
    #expect(j.taskLog(jobID: "41", index: 2) == "/shared/runs/icll/logs/replicate-icll-smoke-41_2.out")
}

@Test func slurmJobRefusesRelativePathsAndShellCharacters() throws {
    #expect { try job("runs/icll") } throws: { "\($0)" == "--dir must be an absolute path, got 'runs/icll'" }
    #expect { try job(binary: ".build/release/replicate") } throws: { "\($0)".hasPrefix("the replicate binary must be an absolute path") }
    #expect { try job("/shared/my runs") } throws: { "\($0)".hasPrefix("--dir '/shared/my runs' has a space or shell character") }
    #expect { try job(partition: "a;rm") } throws: { "\($0)".hasPrefix("--partition 'a;rm' has a space") }
    #expect(throws: HarnessError.self) {
        try SlurmJob(paper: "icll", tier: .smoke, seeds: "3", shards: 0, time: "1:00", cpusPerTask: 1, directory: "/d", binary: "/b", workingDirectory: "/")
    }
}

/// Run a generated script with bash outside Slurm, with a stub binary that records its arguments.
private func runScript(_ text: String, in dir: URL, env: [String: String], args: [String] = []) throws -> [String] {
    let record = dir.appendingPathComponent("calls.txt")
    let script = dir.appendingPathComponent("job.sh")
    try text.write(to: script, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [script.path] + args
    p.environment = env.merging(["PATH": "/usr/bin:/bin", "CALLS": record.path]) { a, _ in a }
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
}

@Test func generatedScriptsRunUnderBashWithSlurmsVariables() throws {
    let dir = tempDir()
    let stub = dir.appendingPathComponent("replicate")
    try "#!/bin/sh\necho \"$*\" >> \"$CALLS\"\n".write(to: stub, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
    let j = try job(dir.path, binary: stub.path)
    let task = try runScript(j.arrayScript, in: dir, env: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_RESTART_COUNT": "1"])
    #expect(task == ["run icll --tier smoke --seeds 3 --shard 2/3 --threads 2 --db \(dir.path)/shard-2.sqlite"])
    try FileManager.default.removeItem(at: dir.appendingPathComponent("calls.txt"))
    let merge = try runScript(j.mergeScript, in: dir, env: [:], args: ["41"])
    #expect(merge.first == "slurm icll --tier smoke --seeds 3 --shards 3 --cpus-per-task 2 --dir \(dir.path) --collect --array-job 41")
    #expect(merge.count == 3)
}

@Test func shardMergeNamesShortShardsAndTheirMissingRuns() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    let plan = try RunPlan.runs(target, tier: .default, seeds: [1, 2], threads: 1)
    let stores = (1...3).map { dir.appendingPathComponent("shard-\($0).sqlite").path }
    func runShard(_ i: Int, _ t: FakeTarget) throws {
        var o = quietOptions(seeds: 2)
        o.shard = (i, 3)
        let s = try ResultsStore(path: stores[i - 1])
        _ = try Runner(target: t, store: s, options: o).run()
        try s.close()
    }
    // Shard 1 completes; shard 3's base run crashes (so its tuned run never starts); shard 2 never runs.
    var crashing = target
    crashing.crashBaseAfter = 1
    try runShard(1, target)
    try runShard(3, crashing)
    let merged = try ResultsStore(path: dir.appendingPathComponent("merged.sqlite").path)
    let gaps = try ShardMerge.merge(plan: plan, stores: stores, into: merged)
    #expect(gaps.map(\.shard) == [2, 3])
    #expect(gaps[0].problem == "no store: the task never ran")
    #expect(gaps[0].missing == RunPlan.shard(plan, index: 2, count: 3))
    #expect(gaps[1].problem == nil && gaps[1].missing.map(\.arm) == ["base", "tuned"] && gaps[1].planned == 2)
    #expect("\(gaps[1])" == "shard 3/3 (\(stores[2])) lacks 2 of its 2 runs: base seed 2, tuned seed 2")
    #expect(try merged.allRuns().count == RunPlan.shard(plan, index: 1, count: 3).count)

    // Requeued: shard 3 resumes from its checkpoint, shard 2 runs; merging again completes the plan
    // with the numbers of a single unsharded run.
    try runShard(3, target)
    try runShard(2, target)
    #expect(try ShardMerge.merge(plan: plan, stores: stores, into: merged).isEmpty)
    let plain = try ResultsStore(path: tempDir().appendingPathComponent("plain.sqlite").path)
    _ = try Runner(target: target, store: plain, options: quietOptions(seeds: 2)).run()
    #expect(try merged.allRuns().map(\.measurements) == plain.allRuns().map(\.measurements))
    #expect(try merged.allRuns().map(\.series) == plain.allRuns().map(\.series))
}
