import Foundation

/// Writes `Reports/<paper>/README.md` (+ figures and `data/`) and the index `Reports/README.md`.
/// Pure functions of the store and the targets: no timestamps, sorted everything, so
/// regenerating from the same database gives byte-identical files.
public enum ReportWriter {
    /// Write one paper's report folder (README, figures, `data/`); returns its evaluation.
    @discardableResult
    public static func write(_ target: any ReplicationTarget, tier: Tier, store: ResultsStore, to reports: URL) throws -> Evaluation {
        let e = try Evaluation.evaluate(target, tier: tier, store: store)
        let dir = folder(reports, paper: target.key, tier: tier)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The judged runs as data, so the report can be rebuilt (and compared) without the store.
        try ReportData.write(e.matrix.flatMap(\.runs), to: dir.appendingPathComponent("data"))
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

    static let indexHeader = "| paper | seeds | PASS | FAIL | INCONCLUSIVE | NO DATA | report only | report |"

    /// Where a tier's report lives under `reports`: the default tier's at `<paper>/`, any other
    /// tier's beside it at `<paper>/<tier>/`, so the default reports keep their paths.
    public static func folder(_ reports: URL, paper: String, tier: Tier) -> URL {
        reports.appendingPathComponent(relativeFolder(paper: paper, tier: tier))
    }

    static func relativeFolder(paper: String, tier: Tier) -> String {
        tier == .default ? paper : "\(paper)/\(tier.rawValue)"
    }

    /// From a tier's report folder up to `Reports/`.
    static func up(_ tier: Tier) -> String { tier == .default ? "../" : "../../" }

    /// Write this tier's section of `Reports/README.md`: one row per registered paper with its
    /// verdict counts. The other tiers' sections are kept as they are. The rows of `fresh` (every
    /// paper when nil) come from `store`; any other paper keeps its row of the section already
    /// there (same columns), else gets one from its committed data folder, else from `store`:
    /// reporting one paper never drops or blanks another's row.
    public static func writeIndex(_ registry: TargetRegistry, tier: Tier, store: ResultsStore, to reports: URL,
                                  fresh: Set<String>? = nil) throws {
        let existing = (try? String(contentsOf: reports.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        var sections = indexSections(existing)
        let kept = fresh == nil ? [:] : existingIndexRows(sections[tier] ?? "")
        var md = "## Tier `\(tier.rawValue)`\n\n" + indexHeader + "\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        for t in registry.targets {
            guard t.tiers.contains(tier) else { continue }
            if let fresh, !fresh.contains(t.key) {
                if let row = kept[t.key] { md += row + "\n"; continue }
                let data = folder(reports, paper: t.key, tier: tier).appendingPathComponent("data")
                if let runs = try? ReportData.read(data).filter({ $0.paper == t.key && $0.tier == tier }), !runs.isEmpty {
                    md += try ReportData.withStore(runs) { try indexRow(Evaluation.evaluate(t, tier: tier, store: $0)) } + "\n"
                    continue
                }
            }
            md += try indexRow(Evaluation.evaluate(t, tier: tier, store: store)) + "\n"
        }
        sections[tier] = md
        var out = "# Replication reports\n\nOne section per tier. Counts are over gated claims; report-only claims are counted apart. "
        out += "A tier's reports are regenerated from the results store by `replicate report all --tier <tier>`, or from their "
        out += "committed data by `replicate report all --tier <tier> --from-data` ([DATA.md](DATA.md)). The default tier's report "
        out += "of a paper is `<paper>/README.md`; another tier's is `<paper>/<tier>/README.md`.\n"
        // Default first: it is the one `make replicate` runs.
        for t in [Tier.default, .extended, .smoke] { if let section = sections[t] { out += "\n" + section } }
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try out.write(to: reports.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    }

    static func indexRow(_ e: Evaluation) -> String {
        let t = e.target
        let gated = e.claims.filter(\.gated)
        func count(_ v: Verdict) -> Int { gated.filter { $0.verdict == v }.count }
        let seeds = e.seedList.isEmpty ? "not run" : "\(e.seedList.count)"
        let link = relativeFolder(paper: t.key, tier: e.tier) + "/README.md"
        return "| \(cell(t.key)) | \(seeds) | \(count(.pass)) | \(count(.fail)) | \(count(.inconclusive)) | \(count(.noData)) | "
            + "\(e.claims.count - gated.count) | [\(link.replacingOccurrences(of: "/README.md", with: ""))](\(link)) |"
    }

    /// The index's sections by tier, each from its "## Tier" heading to the next (an index of
    /// another layout has none, so every row is rebuilt).
    static func indexSections(_ text: String) -> [Tier: String] {
        var sections: [Tier: String] = [:], current: Tier?, body = ""
        func close() { if let c = current { sections[c] = body.trimmingCharacters(in: .newlines) + "\n" } }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## Tier `") {
                close()
                current = Tier(rawValue: String(line.dropFirst("## Tier `".count).prefix { $0 != "`" }))
                body = ""
            }
            if current != nil { body += line + "\n" }
        }
        close()
        return sections
    }

    /// Paper key → row of an index section, if the section has this code's columns.
    static func existingIndexRows(_ section: String) -> [String: String] {
        guard section.contains(indexHeader + "\n") else { return [:] }
        var rows: [String: String] = [:]
        for line in section.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        where line.hasPrefix("| ") && line != indexHeader && !line.hasPrefix("| ---") {
            let key = line.dropFirst(2).prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
            if !key.isEmpty { rows[key] = line }
        }
        return rows
    }

    /// The report of a paper with no runs of the tier in the store: what it is and how to run it.
    static func notRun(_ e: Evaluation) -> String {
        let t = e.target, tier = e.tier.rawValue
        var md = "# \(t.title)\n\n`\(t.key)` · \(t.citation)\n\n\(t.summary.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"
        md += "## Not run\n\nThe results store holds no runs of tier `\(tier)` for this paper, so its "
        md += "\(e.claims.count) claims in this tier have no verdict yet. Run it with\n\n"
        md += "```sh\nmake replicate PAPER=\(t.key) TIER=\(tier)\n```\n"
        if !e.claims.isEmpty {
            md += "\n| ID | claim | the paper | band | not run: why |\n| --- | --- | --- | --- | --- |\n"
            for c in e.claims {
                let cl = c.claim
                let bands = c.conditions.map { "`\($0.condition.metric)` " + $0.condition.band.text }.joined(separator: "<br>")
                md += ReportFormat.row([cl.id, truncatedStatement(cl.statement), cl.paperNumber, bands,
                                        "no runs of tier `\(tier)` in the results this report was made from"],
                                       budgets: [24, ReportFormat.maxStatementLength + 2, 70, 90, 80]) + "\n"
            }
        }
        return md
    }

    /// The headline box: verdict counts, seeds, one sentence on what replicates and what does
    /// not, and every verdict that differs from its expectation.
    static func headline(_ e: Evaluation) -> String {
        let gated = e.claims.filter(\.gated)
        func ids(_ v: Verdict) -> [String] { gated.filter { $0.verdict == v }.map(\.claim.id) }
        let counts = [Verdict.pass, .fail, .inconclusive, .noData].map { "\(ids($0).count) \($0.rawValue)" }.joined(separator: " · ")
        let registered = e.onRegisteredSeeds ? "the registered \(e.registeredSeeds.count)"
            : "registered: \(e.registeredSeeds.count)"
        var lines = ["**Tier `\(e.tier.rawValue)`, n = \(e.seedList.count) seed\(e.seedList.count == 1 ? "" : "s")** (\(seedListText(e.seedList)); \(registered)). "
                     + "Gated claims: \(counts); \(e.claims.count - gated.count) report only."]
        let groups: [(String, Verdict)] = [("Replicates", .pass), ("does not replicate", .fail), ("undecided", .inconclusive), ("no data", .noData)]
        let parts = groups.compactMap { name, v in ids(v).isEmpty ? nil : "\(name) (\(v.rawValue)): \(ids(v).joined(separator: ", "))" }
        var sentence = parts.joined(separator: "; ")
        if let first = sentence.first { sentence = first.uppercased() + sentence.dropFirst() + "." } else { sentence = "No gated claims in this tier." }
        lines.append(sentence)
        let differences = e.differences
        lines.append(differences.isEmpty ? "Expected vs measured: every gated verdict is as expected."
                     : "Expected vs measured: **\(differences.count) changed**: " + differences.joined(separator: "; ") + ".")
        if let w = e.seedWarning { lines.append("**Not the registered seeds:** \(w).") }
        return lines.map { "> " + $0 }.joined(separator: "\n>\n") + "\n\n"
    }

    static func markdown(_ e: Evaluation, figures: [Figure]) -> String {
        let t = e.target
        var md = "# \(t.title)\n\n" + headline(e)
        md += "`\(t.key)` · \(t.citation)\n\n\(t.summary.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"

        // Claims: one compact row each.
        let seeds = e.seedList.map(String.init).joined(separator: ", ")
        md += "## Claims (tier `\(e.tier.rawValue)`, seeds \(seeds.isEmpty ? "none" : seeds))\n\n"
        md += "Registered seeds for this tier: \(e.registeredSeeds.count) (seeds \(seedListText(e.registeredSeeds)))"
        md += e.seedAnalysis.map { "; \($0)" } ?? ""
        md += ".\n\n"
        md += "Ours = mean over seeds ± half-width of the 95% confidence interval (t-distribution), the interval to two significant "
        md += "digits and the mean to the same place; inside an `any` of k branches each branch at 95/k% two-sided error; on a log scale "
        md += "the geometric mean ×/÷ the factor. PASS: the whole interval lies inside the band; FAIL: wholly outside; "
        md += "INCONCLUSIVE: it straddles an edge (n80 and where it heads are in the details). With n=1 the point value decides. "
        md += "*Fragile*: the mean passes but some seed does not. Expected: the verdict `replicate verify` expects (mechanics claims "
        md += "must PASS); **changed** marks a verdict that differs. Report-only claims are shown but never gate. "
        md += "Long cells are cut with …; the [details](#claim-details) hold everything.\n\n"
        md += "| ID | claim | the paper | ours | band | verdict | expected |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        for c in e.claims {
            let cl = c.claim
            let statement = truncatedStatement((cl.claimRef.map { "\($0): " } ?? "") + cl.statement)
            let paper = cl.paperNumber + (cl.source.map { " (\($0))" } ?? "")
            let named = c.conditions.count > 1
            let ours = c.conditions.map { (named ? "`\($0.condition.metric)` " : "") + ReportFormat.ours($0) }.joined(separator: "<br>")
            let bands = c.conditions.map { (named ? "`\($0.condition.metric)` " : "") + $0.condition.band.text }.joined(separator: "<br>")
            var verdict = c.verdict == .pass || c.verdict == .fail ? "**\(c.label)**" : c.label
            if let x = c.expected, x != c.verdict { verdict += " **changed**" }
            md += ReportFormat.row([cl.id, statement, paper, ours, bands, verdict, expectedText(c, reason: false)],
                                   budgets: [24, ReportFormat.maxStatementLength + 2, 70, 150, 90, 90, 40]) + "\n"
        }
        if e.claims.isEmpty { md += "| – | no claims in this tier | | | | | |\n" }
        md += otherTiers(e)

        md += deviations(e)
        md += details(e)

        // Figures, each with the verdicts of the claims it names.
        if !figures.isEmpty {
            md += "\n## Figures\n\n"
            let ids = e.claims.map(\.claim.id)
            for f in figures {
                md += "### \(f.title)\n\n![\(f.title)](\(f.name).png)\n\n"
                if !f.caption.isEmpty { md += "\(f.caption)\n\n" }
                let named = Set(Figure.claimIDs(in: f.caption, among: ids) + f.claims)
                let listed = e.claims.filter { named.contains($0.claim.id) }
                if !listed.isEmpty {
                    md += "Claims: " + listed.map { "\($0.claim.id) \($0.verdict.rawValue)" + ($0.gated ? "" : " (report only)") }
                        .joined(separator: ", ") + "\n\n"
                }
                md += "[SVG](\(f.name).svg) · [data](\(f.name).dat) · [gnuplot script](\(f.name).gp)\n\n"
            }
        }

        // Run matrix, environment, reproduce
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
        md += "then `replicate report \(t.key) --tier \(e.tier.rawValue)` and `replicate verify \(t.key) --tier \(e.tier.rawValue)`.\n\n"
        md += "The judged runs are committed as data: [runs](data/runs.csv), [measurements](data/measurements.csv) and "
        md += "[series](data/series.csv) ([format](\(up(e.tier))DATA.md)); `replicate report \(t.key) --tier \(e.tier.rawValue) --from-data` "
        md += "rebuilds this report from them without running anything.\n"
        return md
    }

    /// The claims this tier does not judge, each with the tiers that do and a link to their reports,
    /// so every claim of the paper is findable from any of its reports. The smoke tier is the
    /// test suite's (`make test`), so it has no committed report to link.
    static func otherTiers(_ e: Evaluation) -> String {
        guard !e.otherTierClaims.isEmpty else { return "" }
        var byTiers: [[Tier]: [String]] = [:]
        for c in e.otherTierClaims { byTiers[c.tiers.sorted(), default: []].append(c.id) }
        let parts = byTiers.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { tiers, ids in
            let links = tiers.map { t in
                t == .smoke ? "`smoke`, run by `make test`"
                    : "[`\(t.rawValue)`](\(up(e.tier) + relativeFolder(paper: e.target.key, tier: t))/README.md)"
            }
            return ids.joined(separator: ", ") + " (" + links.joined(separator: ", ") + ")"
        }
        return "\nJudged in other tiers, not in this one: " + parts.joined(separator: "; ") + ".\n"
    }

    /// The statement as the table shows it: at most `ReportFormat.maxStatementLength` characters.
    static func truncatedStatement(_ s: String) -> String {
        ReportFormat.truncated(s.replacingOccurrences(of: "\n", with: " "), ReportFormat.maxStatementLength)
    }

    static func expectedText(_ c: ClaimResult, reason: Bool) -> String {
        guard let x = c.expected else { return "–" }
        if c.claim.mechanics { return "PASS (mechanics)" }
        return x.rawValue + (reason && x != .pass ? c.claim.expectReason.map { ": \($0)" } ?? "" : "")
    }

    /// Departures from the paper the target and its claims file record: the target's own list,
    /// then claims that are not expected to transfer, are only reported, or are expected not to PASS.
    static func deviations(_ e: Evaluation) -> String {
        var md = "\n## Deviations from the paper\n\n"
        md += "What the miniature keeps and changes is summarised at the top. Registered here: the target's own list, "
        md += "then every claim the claims file marks as not transferring (`transfer: does-not-transfer`), report only, or expected not to PASS.\n\n"
        var items = e.target.deviations.map { "- " + $0 }
        for c in e.claims {
            var why: [String] = []
            if c.claim.transfer == .doesNotTransfer { why.append("does not transfer") }
            if let r = c.controlReason { why.append("report only: \(r)") } else if !c.gated { why.append("report only") }
            if let x = c.expected, x != .pass { why.append("expected \(x.rawValue)") }
            guard !why.isEmpty else { continue }
            let reason = (c.expected.map { $0 != .pass } ?? false ? c.claim.expectReason : nil) ?? c.claim.note
            var item = "- **\(c.claim.id)** (\(why.joined(separator: "; "))): \(truncatedStatement(c.claim.statement))"
            if let reason { item += " *Why:* " + ReportFormat.truncated(reason.replacingOccurrences(of: "\n", with: " "), 300) }
            items.append(item)
        }
        md += items.isEmpty ? "None registered: every claim in this tier gates and is expected to PASS.\n" : items.joined(separator: "\n") + "\n"
        return md
    }

    /// Per claim: its definition, band rationale, per-seed values, the way more seeds would take
    /// an undecided verdict, and the expectation; a link to the paper's findings log when it exists.
    static func details(_ e: Evaluation) -> String {
        var md = "\n## Claim details\n\n"
        if let log = findingsLink(e.target, tier: e.tier) { md += "The paper's findings log: [\(log)](\(log)).\n\n" }
        for c in e.claims {
            let cl = c.claim
            md += "### \(cl.id)\n\n"
            md += "- **Claim**\(cl.claimRef.map { " (\($0))" } ?? ""): \(cl.statement)\n"
            var passes: String
            if let d = cl.margin {
                passes = cl.kind == .equivalence
                    ? "*equivalence test:* every signed difference's interval lies inside [−\(formatNumber(d)), \(formatNumber(d))]"
                    : "*non-inferiority test:* every signed difference's interval lies below \(formatNumber(d))"
            } else {
                passes = cl.check.conditions.count > 1 ? structure(cl.check, top: true) : "the interval lies inside the band"
            }
            let bands = c.conditions.map { r -> String in
                var s = "`\(r.condition.metric)` \(r.condition.band.text)"
                if r.condition.scale == .log { s += " (log scale)" }
                if let d = r.condition.direction { s += " (\(d.rawValue) is better)" }
                return s
            }
            md += "- **Passes if:** \(passes); " + bands.joined(separator: "; ") + "\n"
            md += "- **The paper:** \(cl.paperNumber)\(cl.source.map { " (\($0))" } ?? "")\n"
            md += "- **Band rationale:** \(cl.note.map { $0.replacingOccurrences(of: "\n", with: " ") } ?? "none recorded")\n"
            var kind = ["transfer \(cl.transfer.rawValue)"]
            if cl.mechanics { kind.append("mechanics") }
            if let r = c.controlReason { kind.append("report only: \(r)") } else if !c.gated { kind.append("report only") }
            if let control = cl.control { kind.append("positive control \(control)") }
            md += "- **Kind:** " + kind.joined(separator: "; ") + "\n"
            md += "- **Ours:** " + c.conditions.map { "`\($0.condition.metric)` \(ReportFormat.oursWithNotes($0)) → \($0.verdict.rawValue)" }.joined(separator: "; ") + "\n"
            let metrics = c.conditions.map(\.condition.metric).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let perSeed = metrics.map { m in
                "`\(m)` " + e.seedList.map { s in "\(s): " + (e.results.metrics[s]?[m].map { formatNumber($0) } ?? "–") }.joined(separator: " · ")
            }
            md += "- **Per seed:** " + (e.seedList.isEmpty ? "no runs" : perSeed.joined(separator: "; ")) + "\n"
            md += "- **Verdict:** \(c.label)\n"
            if c.verdict == .inconclusive {
                let more = c.heading.map { h -> String in
                    if case .onTheEdge = h { return h.text }
                    return h.text + " (n80: the smallest n with an 80% chance of that verdict)"
                }
                md += "- **More seeds:** " + (more ?? "no spread to go on (fewer than 2 seeds)") + "\n"
            }
            if c.expected != nil {
                md += "- **Expected:** \(expectedText(c, reason: true))" + (c.expected != c.verdict ? " — **changed**" : "") + "\n"
            }
            md += "\n"
        }
        return md
    }

    /// `../../Replications/<Module>/FINDINGS.md` (from a default-tier report) when the target's
    /// source folder (found from its claims file) holds one.
    static func findingsLink(_ t: any ReplicationTarget, tier: Tier) -> String? {
        let claims = t.claimsURL.pathComponents.contains("Replications") ? t.claimsURL : ClaimsSource.sourceURL(for: t.claimsURL)
        guard let folder = claims?.deletingLastPathComponent(), folder.deletingLastPathComponent().lastPathComponent == "Replications",
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("FINDINGS.md").path) else { return nil }
        return up(tier) + "../Replications/\(folder.lastPathComponent)/FINDINGS.md"
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
