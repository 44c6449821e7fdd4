import ArgumentParser
import Foundation
import Harness

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a paper's matrix (arms × seeds) and store each finished run.",
        discussion: """
            Finished runs (same fingerprint) are skipped unless --force. An interrupted run resumes \
            from the checkpoints in its working directory (<db folder>/work/…). --shard i/N runs a \
            deterministic subset: dependency groups of one seed dealt round-robin.
            """)

    @Argument(help: "Paper key (see `replicate list`).")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Option(help: "Seed count n (seeds 1…n) or a list like 1,2,5 (default: the seeds the paper's claims file registers for the tier).")
    var seeds: String?
    @Option(help: "Run only shard i of N, e.g. 2/3.")
    var shard: String?
    @Flag(help: "Recompute finished runs (and discard their checkpoints).")
    var force = false
    @Option(help: "BLAS threads.")
    var threads: Int = 2
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let target = try registry.target(paper)
            let tier = try TargetRegistry.tier(self.tier, of: target)
            let options = RunOptions(tier: tier, seeds: try RunPlan.seeds(target, tier: tier, override: seeds),
                                     shard: try shard.map(RunPlan.parseShard), force: force,
                                     threads: threads, codeVersion: currentCodeVersion())
            let db = try ResultsStore(path: store.db)
            let summary = try Runner(target: target, store: db, options: options).run()
            try db.close()
            say("\(paper) \(tier.rawValue): \(summary.ran.count) ran, \(summary.skipped.count) already complete, \(summary.failed.count) failed")
            if !summary.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
