import Foundation

/// Writes `Reports/<paper>/README.md` (+ figures) and the index `Reports/README.md`.
/// Pure functions of the store and the targets: no timestamps, sorted everything, so
/// regenerating from the same database gives byte-identical files.
public enum ReportWriter {
    /// Write one paper's report folder; returns its evaluation.
    @discardableResult
    public static func write(_ target: any ReplicationTarget, tier: Tier, store: ResultsStore, to reports: URL) throws -> Evaluation {
        let e = try Evaluation.evaluate(target, tier: tier, store: store)
        let dir = reports.appendingPathComponent(target.key)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard !e.seedList.isEmpty else {
            try notRun(e).write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            return e
        }
        // A figure with no points would stop gnuplot ("all points y value undefined").
        let figures = target.figures(for: e.results).filter { $0.series.contains { !$0.points.isEmpty } }
        for f in figures { try Gnuplot.draw(f, in: dir) }
        try markdown(e, figures: figures).write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        return e
    }

    /// Write `Reports/README.md`: one row per registered paper with its verdict counts.
    public static func writeIndex(_ registry: TargetRegistry, tier: Tier, store: ResultsStore, to reports: URL) throws {
        var md = "# Replication reports\n\nTier `\(tier.rawValue)`. Counts are over gated claims; report-only claims are counted apart. "
        md += "Each report is regenerated from the results store by `replicate report all --tier \(tier.rawValue)`.\n\n"
        md += "| paper | seeds | PASS | FAIL | INCONCLUSIVE | NO DATA | report only | report |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        for t in registry.targets {
            guard t.tiers.contains(tier) else { continue }
            let e = try Evaluation.evaluate(t, tier: tier, store: store)
            let gated = e.claims.filter(\.gated)
            func count(_ v: Verdict) -> Int { gated.filter { $0.verdict == v }.count }
            let seeds = e.seedList.isEmpty ? "not run" : "\(e.seedList.count)"
            md += "| \(cell(t.key)) | \(seeds) | \(count(.pass)) | \(count(.fail)) | \(count(.inconclusive)) | \(count(.noData)) | "
            md += "\(e.claims.count - gated.count) | [\(t.key)](\(t.key)/README.md) |\n"
        }
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try md.write(to: reports.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    }

    /// The report of a paper with no runs of the tier in the store: what it is and how to run it.
    static func notRun(_ e: Evaluation) -> String {
        let t = e.target, tier = e.tier.rawValue
        var md = "# \(t.key)\n\n\(t.citation)\n\n\(t.summary.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"
        md += "## Not run\n\nThe results store holds no runs of tier `\(tier)` for this paper, so its "
        md += "\(e.claims.count) claims in this tier have no data. Run it with\n\n"
        md += "```sh\nmake replicate PAPER=\(t.key) TIER=\(tier)\n```\n"
        return md
    }

    static func markdown(_ e: Evaluation, figures: [Figure]) -> String {
        let t = e.target
        var md = "# \(t.key)\n\n\(t.citation)\n\n\(t.summary.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"

        // 2. Claims
        let seeds = e.seedList.map(String.init).joined(separator: ", ")
        md += "## Claims (tier `\(e.tier.rawValue)`, seeds \(seeds.isEmpty ? "none" : seeds))\n\n"
        md += "Registered seeds for this tier: \(e.registeredSeeds.count) (seeds \(seedListText(e.registeredSeeds)))"
        md += e.seedAnalysis.map { "; \($0)" } ?? ""
        md += ".\n\n"
        if let w = e.seedWarning { md += "**Not the registered seeds:** \(w).\n\n" }
        md += "Ours = mean over seeds ± half-width of the 95% confidence interval (t-distribution; inside an `any` "
        md += "of k branches each branch at 95/k% two-sided error, on a log scale the geometric mean ×/÷ the factor). "
        md += "PASS: the whole interval lies inside the band; FAIL: wholly outside; INCONCLUSIVE: it straddles an edge, "
        md += "with n80 (the smallest n with an 80% chance of deciding) and where it heads. "
        md += "With n=1 the point value decides. *Fragile*: the mean passes but some seed does not. "
        md += "Expected: the verdict `replicate verify` expects (mechanics claims must PASS); **changed** marks a verdict that differs. "
        md += "Report-only claims are shown but never gate.\n\n"
        md += "| check | claim | the paper's number | ours | band | verdict | expected | expected transfer |\n"
        md += "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        for c in e.claims {
            let cl = c.claim
            var claimText = (cl.claimRef.map { "\($0): " } ?? "") + cl.statement
            if let d = cl.margin {
                claimText += cl.kind == .equivalence
                    ? "<br>*equivalence test:* passes if every signed difference's interval lies inside [−\(formatNumber(d)), \(formatNumber(d))]"
                    : "<br>*non-inferiority test:* passes if every signed difference's interval lies below \(formatNumber(d))"
            } else if cl.check.conditions.count > 1 { claimText += "<br>*passes if* " + structure(cl.check, top: true) }
            if let note = cl.note { claimText += "<br>*note:* " + note }
            let paper = cl.paperNumber + (cl.source.map { " (\($0))" } ?? "")
            let ours = c.conditions.map { "`\($0.condition.metric)` \($0.oursText) → \($0.verdict.rawValue)" }
            let bands = c.conditions.map { "`\($0.condition.metric)` \($0.condition.band.text)" }
            var verdict = c.verdict == .pass || c.verdict == .fail ? "**\(c.label)**" : c.label
            var expected = "–"
            if let x = c.expected {
                expected = cl.mechanics ? "PASS (mechanics)" : x.rawValue + (x == .pass ? "" : cl.expectReason.map { ": \($0)" } ?? "")
                if x != c.verdict { verdict += " **changed**" }
            }
            md += "| \(cell(cl.id)) | \(cell(claimText)) | \(cell(paper)) | \(ours.map(cell).joined(separator: "<br>")) | "
            md += "\(bands.map(cell).joined(separator: "<br>")) | \(verdict) | \(cell(expected)) | \(cl.transfer.rawValue) |\n"
        }
        if e.claims.isEmpty { md += "| – | no claims in this tier | | | | | | |\n" }

        // 3. Figures
        if !figures.isEmpty {
            md += "\n## Figures\n\n"
            for f in figures {
                md += "### \(f.title)\n\n![\(f.title)](\(f.name).png)\n\n"
                if !f.caption.isEmpty { md += "\(f.caption)\n\n" }
                md += "[SVG](\(f.name).svg) · [data](\(f.name).dat) · [gnuplot script](\(f.name).gp)\n\n"
            }
        }

        // 4. Run matrix, environment, reproduce
        md += "\n## Run matrix\n\n| arm | seeds | status | wall time (sum) |\n| --- | --- | --- | --- |\n"
        for (arm, runs) in e.matrix {
            let have = runs.map(\.seed)
            let status = e.seedList.isEmpty ? "not run" : "\(have.count)/\(e.seedList.count) complete"
            let wall = runs.map(\.wallSeconds).reduce(0, +)
            md += "| \(cell(arm)) | \(have.map(String.init).joined(separator: ", ")) | \(status) | \(runs.isEmpty ? "–" : duration(wall)) |\n"
        }
        let all = e.matrix.flatMap(\.runs)
        md += "\n## Environment\n\n| CPU | BLAS core | threads | Swift | OS | code version | runs |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        var envs: [String: Int] = [:]
        for r in all {
            let v = r.environment
            envs["| \(cell(v.cpu)) | \(cell(v.blasCore)) | \(v.threads) | \(cell(v.swift)) | \(cell(v.os)) | \(cell(r.codeVersion)) |", default: 0] += 1
        }
        for (row, n) in envs.sorted(by: { $0.key < $1.key }) { md += "\(row) \(n) |\n" }
        if envs.isEmpty { md += "| – | – | – | – | – | – | 0 |\n" }
        // The registered seeds need no argument; any other set is named.
        let seedArg = e.onRegisteredSeeds || e.seedList.isEmpty ? ""
            : e.seedList == Array(1...max(1, e.seedList.count)) ? "\(e.seedList.count)" : seeds.replacingOccurrences(of: " ", with: "")
        md += "\n## Reproduce\n\n```sh\nmake replicate PAPER=\(t.key) TIER=\(e.tier.rawValue)\(seedArg.isEmpty ? "" : " SEEDS=\(seedArg)")\n```\n\n"
        md += "which runs `replicate run \(t.key) --tier \(e.tier.rawValue)\(seedArg.isEmpty ? "" : " --seeds \(seedArg)")`, "
        md += "then `replicate report \(t.key) --tier \(e.tier.rawValue)` and `replicate verify \(t.key) --tier \(e.tier.rawValue)`.\n"
        return md
    }

    /// "(a and b) or (c and d)" for a compound check.
    static func structure(_ c: Check, top: Bool = false) -> String {
        switch c {
        case let .condition(x): return "`\(x.metric)`"
        case let .all(cs): let s = cs.map { structure($0) }.joined(separator: " and "); return top ? s : "(\(s))"
        case let .any(cs): let s = cs.map { structure($0) }.joined(separator: " or "); return top ? s : "(\(s))"
        }
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func duration(_ s: Double) -> String {
        s < 60 ? String(format: "%.1f s", s) : s < 3600 ? String(format: "%.1f min", s / 60) : String(format: "%.2f h", s / 3600)
    }
}
