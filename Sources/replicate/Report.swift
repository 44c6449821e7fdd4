import ArgumentParser
import Foundation
import Harness

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write Reports/<paper>/README.md (claims, figures, run matrix) and the index from the store.")

    @Argument(help: "Paper key, or 'all'.")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Option(help: "Reports folder.")
    var out: String = "Reports"
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let targets = paper == "all" ? registry.targets : [try registry.target(paper)]
            let tier = try TargetRegistry.tier(self.tier, of: targets.count == 1 ? targets[0] : nil)
            let db = try ResultsStore(path: store.db, readOnly: true)
            let folder = URL(fileURLWithPath: out)
            // One paper's failure (e.g. gnuplot) does not stop the others or the index.
            var failed = 0
            for t in targets where t.tiers.contains(tier) {
                do {
                    let e = try ReportWriter.write(t, tier: tier, store: db, to: folder)
                    say("wrote \(out)/\(t.key)/README.md" + (e.seedList.isEmpty ? " (not run)" : ""))
                } catch {
                    failed += 1
                    say("error: \(t.key): " + userMessage(error))
                }
            }
            try ReportWriter.writeIndex(registry, tier: tier, store: db, to: folder)
            say("wrote \(out)/README.md")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
