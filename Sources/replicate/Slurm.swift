import ArgumentParser
import Corpora
import Foundation
import Harness

struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a paper's run matrix to Slurm: a job array of shards, then a job that merges, reports and verifies.",
        discussion: """
            Writes array.sbatch and merge.sbatch into --dir (which, like this binary, must be on a \
            filesystem the compute nodes share) and submits them. Array task i runs shard i of N into \
            <dir>/shard-i.sqlite; the merge job waits for every task (afterany), merges into \
            <dir>/merged.sqlite, writes <dir>/Reports and verifies. A shard that is short (a failed or \
            cancelled task) makes the merge job fail, naming the shard and its missing runs. A requeued \
            task (preemption, or scontrol requeue) skips the runs its store holds and resumes the others \
            from their checkpoints. Logs: <dir>/logs/<job name>-<job id>_<task>.out.
            """)

    @OptionGroup var matrix: MatrixOptions
    @Option(help: "Array tasks: shard i of N each.")
    var shards: Int = 3
    @Option(help: "Partition (default: the cluster's default partition).")
    var partition: String?
    @Option(help: "Wall-time limit of each array task.")
    var time: String = "04:00:00"
    @Option(help: "CPUs per array task, also the runs' thread count (results are bit-identical only for the same count).")
    var cpusPerTask: Int = 2
    @Option(help: "Account to charge (default: your default account).")
    var account: String?
    @Option(help: "Folder for the scripts, logs, shard stores, merged store and report (default: .replicate/slurm/<paper>-<tier>).")
    var dir: String?
    @Flag(help: "Print the scripts and the sbatch commands; write and submit nothing.")
    var dryRun = false
    @Flag(help: "What the merge job runs: check each shard store against the plan and merge them into <dir>/merged.sqlite.")
    var collect = false
    @Option(help: "With --collect: the array's job id, to name the logs of short shards.")
    var arrayJob: String?

    func run() throws {
        try failing {
            let (target, tier, seedList) = try matrix.resolve()
            let seeds = matrix.seeds
            let folder = URL(fileURLWithPath: dir ?? ".replicate/slurm/\(target.key)-\(tier.rawValue)").standardizedFileURL.path
            let job = try SlurmJob(paper: target.key, tier: tier, seeds: seeds, shards: shards, partition: partition,
                                   account: account, time: time, cpusPerTask: cpusPerTask, directory: folder,
                                   binary: Self.executablePath(),
                                   workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path)
            if collect {
                try Self.collect(job, plan: RunPlan.runs(target, tier: tier, seeds: seedList, threads: cpusPerTask), arrayJob: arrayJob)
            } else if dryRun {
                print("# \(job.arrayScriptPath)\n\(job.arrayScript)\n# \(job.mergeScriptPath)\n\(job.mergeScript)")
                print("# submit: sbatch --parsable \(job.arrayScriptPath)")
                print("#         \(job.mergeResubmission(arrayJobID: "<array job id>"))")
            } else {
                try Self.submit(job)
            }
        }
    }

    /// The running binary, absolute (the jobs must not depend on the submitting shell's PATH or folder).
    static func executablePath() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    static func submit(_ job: SlurmJob) throws {
        guard let sbatch = findOnPath("sbatch") else {
            throw HarnessError.usage("sbatch is not on PATH: submit from a Slurm login node, or print the scripts with --dry-run")
        }
        // The jobs run here (--chdir) and read Datasets/ from the repository above it.
        do { _ = try DatasetStore.standard() } catch {
            throw HarnessError.usage("\(error); submit from the repository (the jobs run in the folder you submit from)")
        }
        let fm = FileManager.default
        try fm.createDirectory(atPath: job.logDirectory, withIntermediateDirectories: true)
        try job.arrayScript.write(toFile: job.arrayScriptPath, atomically: true, encoding: .utf8)
        try job.mergeScript.write(toFile: job.mergeScriptPath, atomically: true, encoding: .utf8)
        let array = try sbatchID(sbatch, ["--parsable", job.arrayScriptPath])
        let merge: String
        do {
            merge = try sbatchID(sbatch, ["--parsable", "--dependency=afterany:\(array)", job.mergeScriptPath, array])
        } catch {
            // An array without its merge job would leave shard stores nobody gathers.
            _ = try? runTool(findOnPath("scancel") ?? "scancel", [array])
            throw HarnessError.usage("\(error); cancelled array job \(array)")
        }
        print("submitted array job \(array) (\(job.shards) tasks) and merge job \(merge)")
        say("logs: \(job.logDirectory)/; merged store: \(job.mergedStore); report: \(job.reportFolder)/\(job.paper)/README.md")
    }

    /// The merge job's first step. Exits 1 after merging what there is if any shard is short.
    static func collect(_ job: SlurmJob, plan: [PlannedRun], arrayJob: String?) throws {
        let stores = (1...job.shards).map { job.shardStore(String($0)) }
        let out = try ResultsStore(path: job.mergedStore)
        let gaps = try ShardMerge.merge(plan: plan, stores: stores, into: out, log: say)
        try out.close()
        guard !gaps.isEmpty else {
            say("\(job.paper) \(job.tier.rawValue): all \(job.shards) shards complete (\(plan.count) runs) in \(job.mergedStore)")
            return
        }
        for g in gaps {
            say("error: \(g)" + (arrayJob.map { "; log: \(job.taskLog(jobID: $0, index: g.shard))" } ?? ""))
        }
        let id = arrayJob ?? "<array job id>"
        say("error: \(gaps.count) of \(job.shards) shards short; requeue them (scontrol requeue \(id)_<task>), then merge again: "
            + job.mergeResubmission(arrayJobID: id))
        throw ExitCode(1)
    }

    static func findOnPath(_ tool: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Run a tool; its standard output, or a usage error carrying its standard error.
    static func runTool(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let msg = String(decoding: e, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw HarnessError.usage("\((path as NSString).lastPathComponent) \(args.joined(separator: " ")) failed: \(msg)")
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// `sbatch --parsable` prints "<id>" or "<id>;<cluster>".
    static func sbatchID(_ sbatch: String, _ args: [String]) throws -> String {
        let out = try runTool(sbatch, args).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = out.split(separator: ";").first, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw HarnessError.usage("sbatch printed no job id: '\(out)'")
        }
        return String(id)
    }
}
