import Foundation

/// A paper's run matrix as Slurm jobs: one job array whose task i runs shard i of N into its own
/// store, and one merge job that waits for every task (`afterany`, so that it also runs when a
/// task failed and can name what is missing), merges, writes the report and verifies.
///
/// Pure: options in, script text out; `replicate slurm` writes and submits the scripts.
public struct SlurmJob: Sendable, Equatable {
    public var paper: String
    public var tier: Tier
    /// As `replicate run --seeds` takes it: a count or a list; nil: the paper's registered seeds.
    public var seeds: String?
    public var shards: Int
    /// Nil: the cluster's default partition (account).
    public var partition: String?
    public var account: String?
    /// Wall-time limit of each array task, in Slurm's format (e.g. 04:00:00).
    public var time: String
    /// Also the runs' thread count, which is part of their fingerprints (the merge job plans with it).
    public var cpusPerTask: Int
    /// Absolute folder of the scripts, logs, shard stores, merged store and report.
    public var directory: String
    /// Absolute path of the `replicate` binary the jobs run (on a filesystem the nodes share).
    public var binary: String
    /// Where the jobs run (`--chdir`): the repository, whose Datasets/ the runs read.
    public var workingDirectory: String

    public init(paper: String, tier: Tier, seeds: String?, shards: Int, partition: String? = nil, account: String? = nil,
                time: String, cpusPerTask: Int, directory: String, binary: String, workingDirectory: String) throws {
        self.paper = paper; self.tier = tier; self.seeds = seeds; self.shards = shards
        self.partition = partition; self.account = account; self.time = time
        self.cpusPerTask = cpusPerTask; self.directory = directory; self.binary = binary
        self.workingDirectory = workingDirectory
        guard shards >= 1 else { throw HarnessError.usage("--shards must be at least 1") }
        guard cpusPerTask >= 1 else { throw HarnessError.usage("--cpus-per-task must be at least 1") }
        for (name, path) in [("--dir", directory), ("the replicate binary", binary), ("the working folder", workingDirectory)] where !path.hasPrefix("/") {
            throw HarnessError.usage("\(name) must be an absolute path, got '\(path)'")
        }
        // Every value lands in an #SBATCH line or a shell word unquoted: keep them to plain words.
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-:,+@=%"))
        for (name, value) in [("paper", paper), ("--seeds", seeds ?? ""), ("--partition", partition ?? ""), ("--account", account ?? ""),
                              ("--time", time), ("--dir", directory), ("the replicate binary", binary),
                              ("the working folder", workingDirectory)]
        where value.unicodeScalars.contains(where: { !plain.contains($0) }) {
            throw HarnessError.usage("\(name) '\(value)' has a space or shell character; use letters, digits and / . _ - : , + @ = %")
        }
    }

    public var jobName: String { "replicate-\(paper)-\(tier.rawValue)" }
    public var mergeJobName: String { jobName + "-merge" }
    public var arrayScriptPath: String { directory + "/array.sbatch" }
    public var mergeScriptPath: String { directory + "/merge.sbatch" }
    public var logDirectory: String { directory + "/logs" }
    /// Shard `index`'s store (`$SLURM_ARRAY_TASK_ID` in the array script).
    public func shardStore(_ index: String) -> String { "\(directory)/shard-\(index).sqlite" }
    public var mergedStore: String { directory + "/merged.sqlite" }
    public var reportFolder: String { directory + "/Reports" }
    /// Log of array task `index` of array job `jobID`, as Slurm names it from `%x-%A_%a`.
    public func taskLog(jobID: String, index: Int) -> String { "\(logDirectory)/\(jobName)-\(jobID)_\(index).out" }

    /// `--seeds …` as given, or nothing (the registered seeds).
    private var seedsArgument: String { seeds.map { " --seeds \($0)" } ?? "" }
    private var seedsText: String { seeds.map { "seeds \($0)" } ?? "registered seeds" }

    private func header(name: String, output: String, time: String, cpus: Int) -> [String] {
        ["#!/bin/bash",
         "#SBATCH --job-name=\(name)",
         "#SBATCH --output=\(output)",
         "#SBATCH --chdir=\(workingDirectory)",
         "#SBATCH --open-mode=append",
         "#SBATCH --nodes=1",
         "#SBATCH --ntasks=1",
         "#SBATCH --cpus-per-task=\(cpus)",
         "#SBATCH --time=\(time)"]
            + (partition.map { ["#SBATCH --partition=\($0)"] } ?? [])
            + (account.map { ["#SBATCH --account=\($0)"] } ?? [])
    }

    /// The array: task i runs shard i/N into `shard-i.sqlite`. `--requeue` lets Slurm put a
    /// preempted task back in the queue; the rerun skips the runs its store already holds and
    /// resumes the others from their checkpoints in the store's work folder. Logs are appended,
    /// so a requeued task's log keeps every attempt.
    public var arrayScript: String {
        (header(name: jobName, output: "\(logDirectory)/%x-%A_%a.out", time: time, cpus: cpusPerTask) + [
            "#SBATCH --array=1-\(shards)",
            "#SBATCH --requeue",
            "# \(paper), tier \(tier.rawValue), \(seedsText): array task i runs shard i of \(shards).",
            "set -euo pipefail",
            "echo \"shard ${SLURM_ARRAY_TASK_ID}/\(shards) on $(hostname), attempt $((${SLURM_RESTART_COUNT:-0} + 1)), $(date -u +%FT%TZ)\"",
            "exec \(binary) run \(paper) --tier \(tier.rawValue)\(seedsArgument) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" "
                + "--threads \(cpusPerTask) --db \(shardStore("${SLURM_ARRAY_TASK_ID}"))",
        ]).joined(separator: "\n") + "\n"
    }

    /// The merge job, submitted with `--dependency=afterany:<array job>` and that job's id as
    /// its argument: checks each shard store against its part of the plan and merges them
    /// (failing, with the missing runs named, if a shard is short), then reports and verifies.
    public var mergeScript: String {
        let db = "--tier \(tier.rawValue) --db \(mergedStore)"
        return (header(name: mergeJobName, output: "\(logDirectory)/%x-%j.out", time: "01:00:00", cpus: 1) + [
            "# \(paper), tier \(tier.rawValue), \(seedsText): merge the \(shards) shard stores, report, verify.",
            "set -euo pipefail",
            "\(binary) slurm \(paper) --tier \(tier.rawValue)\(seedsArgument) --shards \(shards) --cpus-per-task \(cpusPerTask) --dir \(directory) "
                + "--collect ${1:+--array-job \"$1\"}",
            "\(binary) report \(paper) \(db) --out \(reportFolder)",
            "\(binary) verify \(paper) \(db)",
        ]).joined(separator: "\n") + "\n"
    }

    /// How to submit the merge job again once a failed shard has been requeued and has finished.
    public func mergeResubmission(arrayJobID: String) -> String {
        "sbatch --dependency=afterany:\(arrayJobID) \(mergeScriptPath) \(arrayJobID)"
    }
}
