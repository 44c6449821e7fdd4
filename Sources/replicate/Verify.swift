import ArgumentParser
import Foundation
import Harness

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the verdict table; exit non-zero if a gated claim FAILs or has no data.")

    @Argument(help: "Paper key.")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let target = try registry.target(paper)
            let tier = try TargetRegistry.tier(self.tier, of: target)
            let db = try ResultsStore(path: store.db, readOnly: true)
            let e = try Evaluation.evaluate(target, tier: tier, store: db)
            print(e.table)
            if !e.gatedFailures.isEmpty || !e.gatedMissing.isEmpty {
                let ids = (e.gatedFailures + e.gatedMissing).map { "\($0.claim.id) \($0.verdict.rawValue)" }
                say("error: \(paper) \(tier.rawValue): gated claims not verified: \(ids.joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}
