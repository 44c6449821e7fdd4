import ArgumentParser
import Foundation
import Harness

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a paper's matrix (arms × seeds) and store each finished run.",
        discussion: """
            Finished runs (same fingerprint) are skipped unless --force. An interrupted run resumes \
            from the checkpoints in its working directory (<db>.work/…, e.g. .replicate/results.sqlite.work/). \
            Ctrl-C stops a run; the same command resumes it. --shard i/N runs a \
            deterministic subset: dependency groups of one seed dealt round-robin.
            """)

    @OptionGroup var matrix: MatrixOptions
    @Option(help: "Run only shard i of N, e.g. 2/3.")
    var shard: String?
    @Flag(help: "Recompute finished runs (and discard their checkpoints).")
    var force = false
    @Option(help: "Runs executed side by side (independent runs of the tier, dependencies respected), each in its own process.")
    var jobs: Int = 1
    @Option(help: """
        Worker threads of each run's sgemm, attention and elementwise loops (1 to 4 per core; OpenBLAS \
        itself runs single-threaded). Part of each run's fingerprint: other counts change the last digits. \
        Default: the cores divided by --jobs.
        """)
    var threads: Int?
    @Option(help: .hidden)
    var only: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let (target, tier, seedList) = try matrix.resolve()
            let paper = target.key
            guard jobs >= 1 else { throw HarnessError.usage("--jobs must be at least 1") }
            let threads = self.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
            var options = RunOptions(tier: tier, seeds: seedList,
                                     shard: try shard.map(RunPlan.parseShard), force: force,
                                     threads: try RunPlan.checkThreads(threads), codeVersion: currentCodeVersion(),
                                     jobs: jobs, only: only)
            if jobs > 1 {
                let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
                let (paper, tierName, force, db) = (paper, tier.rawValue, force, store.db)
                options.childCommand = { r in
                    ChildCommand(executable: executable, arguments: ["run", paper, "--tier", tierName, "--seeds", "\(r.seed)",
                                                                     "--threads", "\(threads)", "--db", db, "--only", r.fingerprint]
                                 + (force ? ["--force"] : []))
                }
                if jobs * threads > ProcessInfo.processInfo.activeProcessorCount {
                    say("warning: \(jobs) jobs × \(threads) threads exceed the \(ProcessInfo.processInfo.activeProcessorCount) cores; runs will slow each other down")
                }
            }
            _ = try target.loadClaims()   // a broken claims file stops here, before any training
            var opened: ResultsStore?
            // A child of --jobs stops quietly: its parent says how to resume.
            resumableOnInterrupt(quiet: only != nil) { ChildProcesses.terminateAll(); try? opened?.close() }
            let db = try ResultsStore(path: store.db)
            opened = db
            let summary = try Runner(target: target, store: db, options: options).run()
            try db.close()
            if only != nil { if !summary.failed.isEmpty { throw ExitCode(1) }; return }
            say("\(paper) \(tier.rawValue): \(summary.ran.count) ran, \(summary.skipped.count) already complete, \(summary.failed.count) failed")
            if !summary.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
