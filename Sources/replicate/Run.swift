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

    @OptionGroup var matrix: MatrixOptions
    @Option(help: "Run only shard i of N, e.g. 2/3.")
    var shard: String?
    @Flag(help: "Recompute finished runs (and discard their checkpoints).")
    var force = false
    @Option(help: "BLAS threads.")
    var threads: Int = 2
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let target = try registry.target(matrix.paper)
            let tier = try TargetRegistry.tier(matrix.tier, of: target)
            let options = RunOptions(tier: tier, seeds: try RunPlan.parseSeeds(matrix.seeds),
                                     shard: try shard.map(RunPlan.parseShard), force: force,
                                     threads: threads, codeVersion: currentCodeVersion())
            let db = try ResultsStore(path: store.db)
            let summary = try Runner(target: target, store: db, options: options).run()
            try db.close()
            say("\(matrix.paper) \(tier.rawValue): \(summary.ran.count) ran, \(summary.skipped.count) already complete, \(summary.failed.count) failed")
            if !summary.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
