import Foundation
import Testing
@testable import Harness

/// The repository this test file belongs to.
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The fake claims with one claim whose every text is far too long for a table row.
private let longClaims = fakeClaims + """

  - id: F4-long
    claim: C9
    statement: \(String(repeating: "A very long statement about what the loss does when it is trained. ", count: 8))
    paper_number: "\(String(repeating: "0.25 at 1B tokens, 0.5 at 2B tokens; ", count: 12))"
    source: \(String(repeating: "Table 7 | Figure 3 ", count: 10))
    tiers: [default]
    transfer: uncertain
    expect: FAIL
    expect_reason: the miniature is too small for the effect
    note: \(String(repeating: "Calibrated on seeds 1-3. ", count: 30))
    conditions:
      - metric: gap
        min: 5
      - metric: tuned_final
        max: 0.0001
        direction: lower
      - metric: solo_final
        min: 2
        max: 3
      - metric: gap
        min: 6
        scale: log
"""

/// Runs the fake target (default tier, 3 seeds) into a fresh store.
private func ranStore(_ dir: URL, claims: String = fakeClaims, key: String = "fake") throws -> (FakeTarget, ResultsStore) {
    let home = dir.appendingPathComponent(key)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var target = makeTarget(in: home, claims: claims.replacingOccurrences(of: "paper: fake\n", with: "paper: \(key)\n"))
    target.key = key
    let store = try ResultsStore(path: dir.appendingPathComponent("\(key).sqlite").path)
    _ = try Runner(target: target, store: store, options: quietOptions(seeds: 3)).run()
    return (target, store)
}

private func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

@Test func intervalsShowTheDigitsTheirWidthSupports() {
    #expect(ReportFormat.interval(mean: 0.9198, halfWidth: 0.04344, values: [0.9, 0.92, 0.94]) == "0.92 ± 0.043")
    #expect(ReportFormat.interval(mean: 12.345, halfWidth: 1.234, values: [12]) == "12.3 ± 1.2")
    #expect(ReportFormat.interval(mean: 56789, halfWidth: 1234, values: [56789]) == "56800 ± 1200")
    #expect(ReportFormat.interval(mean: 0.5, halfWidth: 0.0996, values: [0.5]) == "0.5 ± 0.10")     // rounds up a digit
    #expect(ReportFormat.interval(mean: -0.0001, halfWidth: 0.05, values: [0.01]) == "0 ± 0.050")  // never "-0"
    // Rounding noise and exact agreement print as zero width, not "± 3.378e-16".
    #expect(ReportFormat.interval(mean: 1.0, halfWidth: 3.378e-16, values: [1, 1, 1]) == "1 ± 0")
    #expect(ReportFormat.interval(mean: 0, halfWidth: 0, values: [0, 0]) == "0 ± 0")
    #expect(ReportFormat.interval(mean: 2.735e-11, halfWidth: 0, values: [2.735e-11]) == "2.735e-11 ± 0")
    // n = 1: the value alone.
    #expect(ReportFormat.interval(mean: 0.91987, halfWidth: nil, values: [0.91987]) == "0.9199")
    // Log scale: the geometric mean ×/÷ the factor.
    #expect(ReportFormat.logInterval(logMean: log(2.0), logHalfWidth: log(1.0434), logValues: [log(2.0)]) == "2 ×/÷ 1.043")
}

@Test func tensAndHundredsRoundTheMeanToo() {
    // Half-width 1234 → two significant digits are hundreds: 1200; the mean to hundreds.
    #expect(ReportFormat.decimals(forHalfWidth: 1234) == -2)
    #expect(ReportFormat.decimals(forHalfWidth: 12) == 0)
    #expect(ReportFormat.decimals(forHalfWidth: 0.04344) == 3)
    #expect(ReportFormat.decimals(forHalfWidth: 0.0996) == 2)
}

@Test func truncationKeepsMarkdownWhole() {
    let s = String(repeating: "word ", count: 50) + "`code span that is long` <br>tail"
    for limit in [10, 60, 240, 262] {
        let t = ReportFormat.truncated(s, limit)
        #expect(t.count <= limit)
        #expect(t.hasSuffix("…"))
        #expect(t.filter { $0 == "`" }.count % 2 == 0, "\(t)")
        #expect(!t.contains("<b…") && !t.contains("<br…"))
    }
    #expect(ReportFormat.truncated("short", 10) == "short")
    // Budgets that add up to more than a row may hold shrink until the row fits.
    let big = ReportFormat.row(Array(repeating: String(repeating: "x|", count: 400), count: 7), budgets: Array(repeating: 300, count: 7))
    #expect(big.count <= 600 && big.count > 500, "\(big.count)")
    #expect(big.hasPrefix("| x\\|x") && big.hasSuffix("… |"))
}

@Test func citationTitles() {
    #expect(paperTitle(fromCitation: "A. Author. A fake paper. 2024.") == "A fake paper")
    #expect(paperTitle(fromCitation: "T. Gao, A. Wettig, X. V. Lin. Metadata Conditioning Accelerates Pre-training. ICML 2025 (arXiv 2501.01956).")
            == "Metadata Conditioning Accelerates Pre-training")
    #expect(paperTitle(fromCitation: "K. Gupta, T. Lesort. Continual Pre-Training: How to (re)warm your model? ES-FoMo @ ICML 2023.")
            == "Continual Pre-Training: How to (re)warm your model?")
    #expect(paperTitle(fromCitation: "no structure here") == "no structure here")
}

/// Headline first, every table row within the limit, statements cut to 120, details whole.
@Test func headlineFirstAndRowsFit() throws {
    let dir = tempDir()
    let (target, store) = try ranStore(dir, claims: longClaims)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("Replications/Fake"), withIntermediateDirectories: true)
    let reports = dir.appendingPathComponent("Reports")
    let e = try ReportWriter.write(target, tier: .default, store: store, to: reports)
    #expect(e.claims.map(\.verdict) == [.pass, .pass, .fail, .fail])
    let md = try read(reports.appendingPathComponent("fake/README.md"))
    let lines = md.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    #expect(lines[0] == "# A fake paper")
    #expect(lines[1].hasPrefix("> **Tier `default`, n = 3 seeds** (1–3; the registered 3). Gated claims: 2 PASS · 1 FAIL · 0 INCONCLUSIVE · 0 NO DATA; 1 report only."),
            "\(lines[1])")
    #expect(lines[3] == "> Replicates (PASS): F1, F2; does not replicate (FAIL): F4-long.")
    #expect(lines[5] == "> Expected vs measured: every gated verdict is as expected.")
    #expect(md.firstRange(of: "> **Tier")!.lowerBound < md.firstRange(of: "## Claims")!.lowerBound)

    let table = lines.drop { !$0.hasPrefix("| ID |") }.prefix { $0.hasPrefix("|") }
    #expect(table.count == 2 + 4)
    #expect(ReportFormat.maxRowLength == 600 && ReportFormat.maxStatementLength == 120)
    for row in table { #expect(row.count <= 600, "row of \(row.count) characters: \(row)") }
    let long = try #require(table.first { $0.hasPrefix("| F4-long |") })
    #expect(long.contains("…"))
    let statementCell = long.components(separatedBy: " | ")[1]
    #expect(statementCell.count <= 120 && statementCell.hasSuffix("…"))
    #expect(table.contains { $0.hasPrefix("| F1 | C1: Continuing from the base run lowers the loss further. | 0.2 (Fig. 1) | ") })

    // Details keep the whole texts; deviations list the report-only and expected-FAIL claims.
    #expect(md.contains("### F4-long\n"))
    #expect(md.contains(String(repeating: "Calibrated on seeds 1-3. ", count: 29)))
    #expect(md.contains("- **Expected:** FAIL: the miniature is too small for the effect\n"))
    #expect(md.contains("- **F3** (does not transfer; report only): The solo loss is below 1e-9"))
    #expect(md.contains("- **F4-long** (expected FAIL): "))
    #expect(md.contains("- **Per seed:** `gap` 1: "))
    #expect(!md.contains("findings log"))
    // The figure lists the verdicts of the claims its caption names (none here).
    #expect(!md.contains("Claims: "))
}

/// The INCONCLUSIVE heading, a changed verdict in the headline, figure claim lines and the findings link.
@Test func changedVerdictsFigureClaimsAndFindings() throws {
    let dir = tempDir()
    let claims = fakeClaims.replacingOccurrences(of: "    expect: PASS\n    conditions:\n      - metric: gap\n        min: 0.0",
                                                 with: "    expect: FAIL\n    expect_reason: we thought so\n    conditions:\n      - metric: gap\n        min: 0.0")
        + "\n  - id: F5\n    statement: The gap is at least 0.066.\n    paper_number: \"0.0688\"\n    tiers: [default]\n"
        + "    transfer: uncertain\n    expect: INCONCLUSIVE\n    expect_reason: on the edge by construction\n"
        + "    conditions:\n      - metric: gap\n        min: 0.066\n"
    // Source layout: Replications/<Module>/claims.yaml with a findings log beside it.
    let module = dir.appendingPathComponent("Replications/Fake")
    try FileManager.default.createDirectory(at: module, withIntermediateDirectories: true)
    try "# findings\n".write(to: module.appendingPathComponent("FINDINGS.md"), atomically: true, encoding: .utf8)
    var target = makeTarget(in: module, claims: claims)
    target.figureClaims = ["F2"]
    target.figureCaption = "Every arm's loss falls (F1, F3)."
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    _ = try Runner(target: target, store: store, options: quietOptions(seeds: 3)).run()
    let reports = dir.appendingPathComponent("Reports")
    try ReportWriter.write(target, tier: .default, store: store, to: reports)
    let md = try read(reports.appendingPathComponent("fake/README.md"))
    #expect(md.contains("> Expected vs measured: **1 changed**: F1: PASS, expected FAIL."))
    #expect(md.contains("> Replicates (PASS): F1, F2; undecided (INCONCLUSIVE): F5.\n"))
    #expect(md.contains("- **More seeds:** toward "), "no n80 line for the INCONCLUSIVE claim")
    #expect(md.contains("- **F5** (expected INCONCLUSIVE): The gap is at least 0.066. *Why:* on the edge by construction\n"))
    #expect(md.contains("| F1 | C1: "))
    #expect(md.contains("**PASS (3/3 seeds pass)** **changed** | FAIL |"))
    #expect(md.contains("Every arm's loss falls (F1, F3).\n\nClaims: F1 PASS, F2 PASS, F3 FAIL (report only)\n"))
    #expect(md.contains("The paper's findings log: [../../Replications/Fake/FINDINGS.md](../../Replications/Fake/FINDINGS.md)."))
}

/// store → CSV → report equals store → report, byte for byte, for every file of the folder.
@Test func reportFromDataIsByteIdentical() throws {
    let dir = tempDir()
    let (target, store) = try ranStore(dir)
    let a = dir.appendingPathComponent("A"), b = dir.appendingPathComponent("B")
    try ReportWriter.write(target, tier: .default, store: store, to: a)
    let runs = try ReportData.read(a.appendingPathComponent("fake/data"))
    #expect(runs.count == 9)
    #expect(runs == (try store.runs(paper: "fake", tier: .default)).sorted { ($0.seed, $0.arm) < ($1.seed, $1.arm) })
    _ = try ReportData.withStore(runs) { try ReportWriter.write(target, tier: .default, store: $0, to: b) }
    let files = try FileManager.default.subpathsOfDirectory(atPath: a.path).sorted()
    #expect(files.contains("fake/data/runs.csv") && files.contains("fake/data/measurements.csv") && files.contains("fake/data/series.csv"))
    #expect(files.contains("fake/loss.png") && files.contains("fake/loss.svg"))
    #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: b.path).sorted()))
    for f in files where f.contains(".") {
        #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f) differs")
    }
    let csv = try read(a.appendingPathComponent("fake/data/runs.csv")).split(separator: "\n")
    #expect(csv[0] == "paper,tier,seed,arm,fingerprint,status,threads,blas_core,cpu,swift,os,code_version,started,finished,wall_seconds,config")
    #expect(csv[1].hasPrefix("fake,default,1,base,"))
    #expect(csv[1].hasSuffix(",\"{\"\"rate\"\":0.5,\"\"steps\"\":8}\""))
    let m = try read(a.appendingPathComponent("fake/data/measurements.csv")).split(separator: "\n")
    #expect(m[0] == "seed,arm,name,value" && m.count == 10 && m[1].hasPrefix("1,base,final,"))
}

@Test func csvReadsQuotesCommasAndNewlines() throws {
    let rows = try ReportData.parseCSV("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",,x\n", file: "t.csv")
    #expect(rows.map(\.fields) == [["a", "b,c", "say \"hi\""], ["two\nlines", "", "x"]])
    #expect(rows.map(\.line) == [1, 2])
    #expect(throws: HarnessError.self) { try ReportData.parseCSV("\"open\n", file: "t.csv") }
    // What `line` writes reads back, whatever the field holds.
    let odd = ["plain", "a,b", "q\"uote", "cr\rlf\r\nend", "", " spaced ", "new\nline"]
    #expect(try ReportData.parseCSV(ReportData.line(odd) + ReportData.line(["x"]), file: "t.csv").map(\.fields) == [odd, ["x"]])
}

/// Reporting one paper keeps the other papers' rows of the index; without an index they come
/// from their data folders.
@Test func indexKeepsTheOtherPapersRows() throws {
    let dir = tempDir()
    let (fake, store) = try ranStore(dir)
    let (other, otherStore) = try ranStore(dir, key: "other")
    let registry = TargetRegistry([fake, other])
    let reports = dir.appendingPathComponent("Reports")
    try ReportWriter.write(other, tier: .default, store: otherStore, to: reports)
    try ReportWriter.writeIndex(registry, tier: .default, store: otherStore, to: reports, fresh: ["other"])
    let otherRow = "| other | 3 | 2 | 0 | 0 | 0 | 1 | [other](other/README.md) |"
    #expect(try read(reports.appendingPathComponent("README.md")).contains(otherRow))

    // Now report `fake` from a store that holds no runs of `other`.
    try ReportWriter.write(fake, tier: .default, store: store, to: reports)
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports, fresh: ["fake"])
    var index = try read(reports.appendingPathComponent("README.md"))
    #expect(index.contains(otherRow), "\(index)")
    #expect(index.contains("| fake | 3 | 2 | 0 | 0 | 0 | 1 | [fake](fake/README.md) |"))

    // A row kept as committed stays verbatim, even if the data would say otherwise.
    try index.replacingOccurrences(of: otherRow, with: "| other | 3 | 1 | 1 | 0 | 0 | 1 | [other](other/README.md) |")
        .write(to: reports.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports, fresh: ["fake"])
    #expect(try read(reports.appendingPathComponent("README.md")).contains("| other | 3 | 1 | 1 | 0 | 0 | 1 |"))

    // No index: the row is rebuilt from other/data, not "not run" from the store.
    try FileManager.default.removeItem(at: reports.appendingPathComponent("README.md"))
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports, fresh: ["fake"])
    index = try read(reports.appendingPathComponent("README.md"))
    #expect(index.contains(otherRow), "\(index)")
    // A full report (fresh: nil) takes every row from the store.
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports)
    #expect(try read(reports.appendingPathComponent("README.md")).contains("| other | not run |"))
}

/// compare: identical data changes nothing; an edited measurement that flips F1 is a verdict change.
@Test func compareDetectsAVerdictChange() throws {
    let dir = tempDir()
    let (target, store) = try ranStore(dir)
    let reports = dir.appendingPathComponent("Reports")
    try ReportWriter.write(target, tier: .default, store: store, to: reports)
    let data = reports.appendingPathComponent("fake/data")
    let same = try ReportData.withStore(ReportData.read(data)) { b in
        ClaimComparison.report(try Evaluation.evaluate(target, tier: .default, store: store),
                               try Evaluation.evaluate(target, tier: .default, store: b), names: ("store", "data"))
    }
    #expect(same.verdictChanges == 0)
    #expect(!same.text.contains("CHANGED") && !same.text.contains("mean changed"))
    #expect(same.text.hasSuffix("3 claims: 0 verdicts changed, 0 means changed with the same verdict"))

    // The tuned arm's final loss far above the base's: the gap is negative in every seed.
    let file = data.appendingPathComponent(ReportData.measurementsFile)
    let edited = try read(file).split(separator: "\n").map { line -> String in
        line.hasPrefix("1,tuned,final,") || line.hasPrefix("2,tuned,final,") || line.hasPrefix("3,tuned,final,")
            ? line.split(separator: ",").prefix(3).joined(separator: ",") + ",9.5" : String(line)
    }.joined(separator: "\n") + "\n"
    try edited.write(to: file, atomically: true, encoding: .utf8)
    let changed = try ReportData.withStore(ReportData.read(data)) { b in
        ClaimComparison.report(try Evaluation.evaluate(target, tier: .default, store: store),
                               try Evaluation.evaluate(target, tier: .default, store: b), names: ("store", "data"))
    }
    #expect(changed.verdictChanges >= 1)
    let f1 = try #require(changed.text.split(separator: "\n").first { $0.hasPrefix("  F1 ") })
    #expect(f1.contains("A PASS [") && f1.contains("B FAIL [") && f1.hasSuffix("← VERDICT CHANGED"), "\(f1)")
}

@Test func outcomeWordsBesideClaimIDsAreCaught() {
    let ids = ["A3", "A4", "I-1", "B6-LM", "1"]
    #expect(Figure.outcomeProblem(in: "The re-warm raises the loss (A3).", claimIDs: ids) == nil)
    #expect(Figure.outcomeProblem(in: "A3 passes: the re-warm raises the loss.", claimIDs: ids) != nil)
    #expect(Figure.outcomeProblem(in: "Check I-1 holds at every size.", claimIDs: ids) != nil)
    #expect(Figure.outcomeProblem(in: "The ratio is small (A4 FAIL).", claimIDs: ids) != nil)
    #expect(Figure.outcomeProblem(in: "Everything passes (no claim named, 1 point).", claimIDs: ids) == nil)
    #expect(Figure.outcomeProblem(in: "A13 passes", claimIDs: ids) == nil)       // A3 is not A13
    #expect(Figure.claimIDs(in: "checks A3, B6-LM and A3-smoke; I-10", among: ids) == ["A3", "B6-LM"])
}

/// No paper's figure captions (every string in Replications/*/Figures.swift) state the outcome
/// of a claim they name: the report prints the verdicts under each figure instead.
@Test func paperCaptionsStateNoOutcomes() throws {
    let papers = repoRoot.appendingPathComponent("Replications")
    let modules = try FileManager.default.contentsOfDirectory(atPath: papers.path).sorted()
    var scanned = 0
    for m in modules {
        let figures = papers.appendingPathComponent(m).appendingPathComponent("Figures.swift")
        guard let source = try? read(figures),
              let claims = try? read(papers.appendingPathComponent(m).appendingPathComponent("claims.yaml")) else { continue }
        let ids = claims.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("- id:") ? t.dropFirst(5).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) : nil
        }
        #expect(!ids.isEmpty, "\(m): no claim ids found")
        let literal = try Regex(#""(?:[^"\\\n]|\\.)*""#)
        for match in source.matches(of: literal) {
            let text = String(source[match.range])
            #expect(Figure.outcomeProblem(in: text, claimIDs: ids) == nil, "\(m)/Figures.swift: \(text)")
            scanned += 1
        }
    }
    #expect(scanned > 20, "only \(scanned) strings scanned in \(modules)")
}

/// A tier other than the default reports beside the default one (`<paper>/<tier>/`), with its own
/// section of the index; a tier with no runs lists each of its claims with why it has no verdict;
/// each report names the claims judged only in other tiers, with links.
@Test func otherTiersReportBesideTheDefault() throws {
    let dir = tempDir()
    let extendedOnly = """
      - id: F4
        statement: The gap holds at the larger tier.
        paper_number: "0.2"
        tiers: [extended]
        transfer: likely
        expect: PASS
        conditions:
          - {metric: gap, min: 0.0, direction: higher}

    """
    let (fake, store) = try ranStore(dir, claims: fakeClaims + "\n" + extendedOnly)
    let registry = TargetRegistry([fake])
    let reports = dir.appendingPathComponent("Reports")
    try ReportWriter.write(fake, tier: .default, store: store, to: reports)
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports)
    try ReportWriter.write(fake, tier: .extended, store: store, to: reports)
    try ReportWriter.writeIndex(registry, tier: .extended, store: store, to: reports)

    let main = try read(reports.appendingPathComponent("fake/README.md"))
    #expect(main.contains("Judged in other tiers, not in this one: F4 ([`extended`](../fake/extended/README.md))."), "\(main)")
    #expect(main.contains("[format](../DATA.md)"))

    let extended = try read(reports.appendingPathComponent("fake/extended/README.md"))
    #expect(extended.contains("## Not run"))
    #expect(!extended.contains("| F1 |") && extended.contains("| F4 |") && extended.contains("no runs of tier `extended`"), "\(extended)")
    #expect(!FileManager.default.fileExists(atPath: reports.appendingPathComponent("extended").path))

    // Both tiers have their section; re-reporting the default keeps the extended one verbatim.
    let index = try read(reports.appendingPathComponent("README.md"))
    #expect(index.contains("## Tier `default`\n\n" + ReportWriter.indexHeader))
    #expect(index.contains("| fake | 3 | 2 | 0 | 0 | 0 | 1 | [fake](fake/README.md) |"), "\(index)")
    #expect(index.contains("## Tier `extended`\n\n" + ReportWriter.indexHeader))
    #expect(index.contains("| fake | not run | 0 | 0 | 0 | 1 | 0 | [fake/extended](fake/extended/README.md) |"), "\(index)")
    try ReportWriter.writeIndex(registry, tier: .default, store: store, to: reports, fresh: ["fake"])
    #expect(try read(reports.appendingPathComponent("README.md")) == index)
    #expect(index.range(of: "## Tier `default`")!.lowerBound < index.range(of: "## Tier `extended`")!.lowerBound)
}
