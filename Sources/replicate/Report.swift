import ArgumentParser
import Foundation
import Harness
import Papers

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write Reports/<paper>/README.md (claims, figures, run matrix, data/) and the index from the store.",
        discussion: """
            Each report folder also gets data/runs.csv, measurements.csv and series.csv: the runs the \
            report judged (Reports/DATA.md). With --from-data the report is rebuilt from those files \
            instead of the store, byte for byte the same; a paper without a data folder for the tier \
            is skipped and keeps its report. Reporting some papers keeps the other papers' rows of \
            the index, and `all` keeps the report of a paper the store has no runs of when its \
            committed data has some.
            """)

    @Argument(help: "Paper key, or 'all'.")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Option(help: "Reports folder.")
    var out: String = "Reports"
    @Flag(help: "Read the runs from <out>/<paper>/data/*.csv instead of the store (nothing is run).")
    var fromData = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        try failing {
            let targets = paper == "all" ? registry.targets : [try registry.target(paper)]
            let tier = try TargetRegistry.tier(self.tier, of: targets.count == 1 ? targets[0] : nil)
            let folder = URL(fileURLWithPath: out)
            guard fromData else {
                return try write(targets.filter { $0.tiers.contains(tier) }, tier: tier,
                                 store: ResultsStore(path: store.db, readOnly: true), folder: folder)
            }
            var runs: [RunResult] = [], found: [any ReplicationTarget] = []
            for t in targets where t.tiers.contains(tier) {
                let dir = ReportWriter.folder(folder, paper: t.key, tier: tier).appendingPathComponent("data")
                guard FileManager.default.fileExists(atPath: dir.appendingPathComponent(ReportData.runsFile).path) else {
                    say("skipped \(t.key): no \(relative(dir))/\(ReportData.runsFile); its report is left as it is")
                    continue
                }
                let all = try ReportData.read(dir)
                let mine = all.filter { $0.paper == t.key && $0.tier == tier }
                // Data of another tier is not this tier's "not run".
                guard !mine.isEmpty || all.isEmpty else {
                    say("skipped \(t.key): its data holds no runs of tier \(tier.rawValue); its report is left as it is")
                    continue
                }
                runs += mine
                found.append(t)
            }
            try ReportData.withStore(runs) { try write(found, tier: tier, store: $0, folder: folder) }
        }
    }

    /// Committed data beyond this size is worth a look (Reports/DATA.md: a few MB per paper).
    static let dataWarningBytes = 5_000_000

    /// `out`/… as the user named it, for messages.
    func relative(_ url: URL) -> String {
        let base = URL(fileURLWithPath: out).standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? out + path.dropFirst(base.count) : path
    }

    /// Report `targets` from `store` and update their rows of the index.
    func write(_ targets: [any ReplicationTarget], tier: Tier, store: ResultsStore, folder: URL) throws {
        // One paper's failure (e.g. gnuplot) does not stop the others or the index.
        var failed = 0, reported: Set<String> = []
        for t in targets {
            // A store without this paper (a partial local one) must not blank its committed report.
            if !fromData, paper == "all", try store.runs(paper: t.key, tier: tier).isEmpty,
               let committed = try? ReportData.read(ReportWriter.folder(folder, paper: t.key, tier: tier).appendingPathComponent("data")),
               committed.contains(where: { $0.tier == tier }) {
                say("kept \(relative(ReportWriter.folder(folder, paper: t.key, tier: tier)))/README.md: the store has no runs of it, its committed data has")
                continue
            }
            reported.insert(t.key)
            do {
                let e = try ReportWriter.write(t, tier: tier, store: store, to: folder)
                let dir = relative(ReportWriter.folder(folder, paper: t.key, tier: tier))
                say("wrote \(dir)/README.md" + (e.seedList.isEmpty ? " (not run)" : ""))
                let data = ReportWriter.folder(folder, paper: t.key, tier: tier).appendingPathComponent("data")
                let bytes = [ReportData.runsFile, ReportData.measurementsFile, ReportData.seriesFile].compactMap {
                    (try? FileManager.default.attributesOfItem(atPath: data.appendingPathComponent($0).path))?[.size] as? Int
                }.reduce(0, +)
                if bytes > Self.dataWarningBytes {
                    say("warning: \(dir)/data holds \(bytes / 1_000_000) MB; Reports/DATA.md asks for a few MB (log series at a stride)")
                }
            } catch {
                failed += 1
                say("error: \(t.key): " + userMessage(error))
            }
        }
        try ReportWriter.writeIndex(registry, tier: tier, store: store, to: folder,
                                    fresh: reported)
        say("wrote \(out)/README.md")
        if failed > 0 { throw ExitCode(1) }
    }
}
