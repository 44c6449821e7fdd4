import ArgumentParser
import Foundation
import Harness
import Papers

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the verdict table; exit non-zero if a verdict differs from its expectation.",
        discussion: """
            Exits 0 when every gated verdict equals its claim's `expect:` and every mechanics claim \
            passes; otherwise lists each difference (a verdict that changed in either direction, a \
            mechanics claim that failed, a gated claim without data) and exits 1.
            """)

    @OptionGroup var paper: StoredPaper

    func run() throws {
        try failing {
            let e = try paper.evaluate()
            print(e.table)
            let differences = e.differences
            if !differences.isEmpty {
                for d in differences { print("differs: \(d)") }
                say("error: \(e.target.key) \(e.tier.rawValue): \(differences.count) verdicts differ from the claims file's expectations "
                    + "(\(differences.joined(separator: "; "))); fix the regression, or update 'expect:' with the evidence")
                throw ExitCode(e.verifyExitCode)
            }
        }
    }
}

/// A paper's claims judged from the store in one tier: what `verify` and `power` read.
struct StoredPaper: ParsableArguments {
    @Argument(help: "Paper key.")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @OptionGroup var store: StoreOptions

    func evaluate() throws -> Evaluation {
        let target = try registry.target(paper)
        let tier = try TargetRegistry.tier(self.tier, of: target)
        return try Evaluation.evaluate(target, tier: tier, store: ResultsStore(path: store.db, readOnly: true))
    }
}
