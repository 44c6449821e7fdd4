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
            for t in targets where t.tiers.contains(tier) {
                try ReportWriter.write(t, tier: tier, store: db, to: folder)
                say("wrote \(out)/\(t.key)/README.md")
            }
            try ReportWriter.writeIndex(registry, tier: tier, store: db, to: folder)
            say("wrote \(out)/README.md")
        }
    }
}
