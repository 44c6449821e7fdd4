import ArgumentParser
import Harness
import Papers

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registered papers and their tiers.")

    @Flag(help: "Print only the paper keys, one per line (for scripts).")
    var keys = false

    func run() throws {
        for t in registry.targets {
            print(keys ? t.key : "\(t.key)  tiers: \(t.tiers.map(\.rawValue).joined(separator: ", "))  — \(t.citation)")
        }
        if registry.targets.isEmpty && !keys { print("(no papers registered)") }
    }
}
