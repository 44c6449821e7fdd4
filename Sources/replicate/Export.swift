import ArgumentParser
import Foundation
import Harness
import Papers

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a paper's runs, measurements and series as CSV (long format) or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "Paper key.")
    var paper: String
    @Option(help: "csv or json.")
    var format: Format = .csv
    @Option(help: "Only this tier.")
    var tier: String?
    @Option(help: "Output file (default: standard output).")
    var out: String?
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let target = try registry.target(paper)
            let tier = try self.tier.map { try TargetRegistry.tier($0, of: target) }
            let db = try ResultsStore(path: store.db, readOnly: true)
            let runs = try db.runs(paper: target.key, tier: tier)
            let text = format == .csv ? ResultsExport.csv(runs) : ResultsExport.json(runs)
            if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
        }
    }
}
