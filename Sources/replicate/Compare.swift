import ArgumentParser
import Foundation
import Harness
import Papers

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the verdicts and means of two results: stores or report data folders.",
        discussion: """
            A and B are each a results store (.sqlite), a report data folder (Reports/<paper>/data) \
            or a Reports folder (every <paper>/data and <paper>/<tier>/data in it). Both are judged by the current claims \
            files; per claim it prints each side's verdict and means and marks a changed verdict \
            (← VERDICT CHANGED) or a changed mean (← mean changed). A paper run on one side only is \
            named and skipped. Exits 1 with --fail-on-change when any verdict changed.
            """)

    @Argument(help: "A: a store, a report data folder or a Reports folder.")
    var a: String
    @Argument(help: "B: likewise.")
    var b: String
    @Option(help: "Only this paper.")
    var paper: String?
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Flag(help: "Exit 1 when any verdict differs between A and B.")
    var failOnChange = false

    func run() throws {
        try failing {
            let targets = try paper.map { [try registry.target($0)] } ?? registry.targets
            let tier = try TargetRegistry.tier(self.tier, of: targets.count == 1 ? targets[0] : nil)
            var changes = 0, compared = 0
            try Self.withStore(a) { sa in
                try Self.withStore(b) { sb in
                    for t in targets where t.tiers.contains(tier) {
                        let ea = try Evaluation.evaluate(t, tier: tier, store: sa)
                        let eb = try Evaluation.evaluate(t, tier: tier, store: sb)
                        if ea.seedList.isEmpty && eb.seedList.isEmpty { continue }
                        if ea.seedList.isEmpty || eb.seedList.isEmpty {
                            let missing = [ea.seedList.isEmpty ? "A" : nil, eb.seedList.isEmpty ? "B" : nil].compactMap { $0 }
                            print("\(t.key) tier=\(tier.rawValue): not run in \(missing.joined(separator: " and ")); skipped")
                            continue
                        }
                        let r = ClaimComparison.report(ea, eb, names: (a, b))
                        print(r.text)
                        changes += r.verdictChanges
                        compared += 1
                    }
                }
            }
            print("\(compared) papers compared; \(changes) verdicts changed")
            if failOnChange && changes > 0 { throw ExitCode(1) }
        }
    }

    /// A store opened read-only, or the runs of report data loaded into a throwaway one.
    static func withStore(_ path: String, _ body: (ResultsStore) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let store = try ResultsStore(path: path, readOnly: true)
            defer { try? store.close() }
            return try body(store)
        }
        let folders = ReportData.folders(at: URL(fileURLWithPath: path))
        guard !folders.isEmpty else {
            throw HarnessError.usage("\(path): no report data here (\(ReportData.runsFile) in it, or in its <paper>/data and <paper>/<tier>/data folders)")
        }
        try ReportData.withStore(try folders.flatMap { try ReportData.read($0) }, body)
    }
}
