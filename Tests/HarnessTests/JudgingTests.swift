import Foundation
import Testing
@testable import Harness

// The revised verdict rules: equivalence claims, log scale, α/k for `any`, power and n80,
// expectations and the registered seeds.

private func leaf(_ metric: String = "m", min: Double? = nil, max: Double? = nil, scale: Scale = .linear) -> Check {
    .condition(Condition(metric: metric, band: Band(min: min, max: max), direction: nil, scale: scale))
}

private func claim(_ check: Check, kind: ClaimKind = .effect, margin: Double? = nil) -> Claim {
    Claim(id: "X", claimRef: nil, statement: "s", paperNumber: "1", source: nil, tiers: [.default],
          transfer: .robust, reportOnly: false, check: check, note: nil, kind: kind, margin: margin)
}

private func verdict(_ c: Claim, _ values: [String: [Double]]) -> ClaimResult {
    var perSeed: [Int: [String: Double]] = [:]
    for (metric, vs) in values { for (i, v) in vs.enumerated() { perSeed[i + 1, default: [:]][metric] = v } }
    return ClaimResult.judge(c, tier: .default, perSeed: perSeed)
}

private let header = "paper: fake\nseeds: {smoke: 1, default: 3, extended: 3}\nclaims:\n"

private func parse(_ claimYAML: String) throws -> ClaimsFile {
    try ClaimsFile.parse(header + claimYAML, file: "claims.yaml", metricNames: ["a", "b", "gap", "ratio"])
}

private func problem(_ claimYAML: String) -> String {
    do { _ = try parse(claimYAML); return "parsed" } catch { return "\(error)" }
}

private let equivalence = """
  - id: E1
    statement: Warmup length does not matter.
    paper_number: "curves overlap"
    tiers: [default]
    transfer: robust
    kind: equivalence
    margin: 0.015
    expect: PASS
    conditions:
      - metric: a
      - metric: b
"""

@Suite struct EquivalenceClaims {
    @Test func bandComesFromTheMarginAndEveryPairMustPass() throws {
        let e = try parse(equivalence).claims[0]
        #expect(e.kind == .equivalence && e.margin == 0.015)
        #expect(e.check.conditions.map(\.band) == [Band(min: -0.015, max: 0.015), Band(min: -0.015, max: 0.015)])
        // mean 0.005, sd 0.001: interval 0.005 ± 4.303·0.001/√3 = [0.00252, 0.00748], inside ±0.015.
        let inside = [0.004, 0.005, 0.006]
        // mean 0, sd 0.01: 0 ± 0.0248 reaches past both edges.
        let wide = [-0.01, 0.0, 0.01]
        // mean 0.031: [0.0285, 0.0335], wholly above 0.015.
        let apart = [0.030, 0.031, 0.032]
        #expect(verdict(e, ["a": inside, "b": inside.map { -$0 }]).verdict == .pass)
        #expect(verdict(e, ["a": inside, "b": wide]).verdict == .inconclusive)
        #expect(verdict(e, ["a": inside, "b": apart]).verdict == .fail)
        #expect(verdict(e, ["a": apart.map { -$0 }, "b": inside]).verdict == .fail)
    }

    @Test func nonInferiorityPassesBelowTheMargin() throws {
        let yaml = equivalence.replacingOccurrences(of: "kind: equivalence", with: "kind: non-inferiority")
        let n = try parse(yaml).claims[0]
        #expect(n.check.conditions[0].band == Band(max: 0.015))
        #expect(verdict(n, ["a": [-0.5, -0.4, -0.6], "b": [0.004, 0.005, 0.006]]).verdict == .pass)
        #expect(verdict(n, ["a": [0.02, 0.021, 0.022], "b": [0.004, 0.005, 0.006]]).verdict == .fail)
    }

    @Test func malformedEquivalenceClaimsAreRefused() {
        #expect(problem(equivalence.replacingOccurrences(of: "    margin: 0.015\n", with: "")).contains("needs 'margin'"))
        #expect(problem(equivalence.replacingOccurrences(of: "      - metric: b", with: "      - {metric: b, max: 0.01}"))
            .contains("the band comes from the claim's 'margin'"))
        #expect(problem(equivalence.replacingOccurrences(of: "    conditions:", with: "    combine: any\n    conditions:"))
            .contains("use 'all', not 'any'"))
        #expect(problem(equivalence.replacingOccurrences(of: "      - metric: b", with: "      - {metric: b, scale: log}"))
            .contains("drop 'scale: log'"))
        #expect(problem(equivalence.replacingOccurrences(of: "kind: equivalence", with: "kind: similar")).contains("unknown kind 'similar'"))
    }
}

@Suite struct LogScale {
    @Test func intervalIsTakenOnTheLogarithm() throws {
        // ln values 1, 1.1, 0.9: mean 1, sd 0.1, interval 1 ± 0.2484 = [0.7516, 1.2484].
        let values = [1.0, 1.1, 0.9].map { exp($0) }
        func judge(min: Double? = nil, max: Double? = nil) -> ConditionResult {
            ConditionResult.judge(Condition(metric: "m", band: Band(min: min, max: max), direction: nil, scale: .log), values: values)
        }
        #expect(judge(min: exp(0.75)).verdict == .pass)
        #expect(judge(min: exp(0.76)).verdict == .inconclusive)
        #expect(judge(max: exp(0.74)).verdict == .fail)
        #expect(judge(min: exp(0.75), max: exp(1.25)).verdict == .pass)
        #expect(judge(min: exp(0.75), max: exp(1.24)).verdict == .inconclusive)
        // The linear rule on the same values differs: mean 2.727 ± 0.676 reaches below e^0.75 = 2.117.
        #expect(ConditionResult.judge(Condition(metric: "m", band: Band(min: exp(0.75)), direction: nil), values: values).verdict == .inconclusive)
        let r = judge(min: exp(0.75))
        #expect(abs(r.summary.mean - 1) < 1e-12)
        #expect(r.oursText == "\(formatNumber(exp(1.0))) ×/÷ \(formatNumber(exp(4.303 * 0.1 / 3.0.squareRoot()))) (n=3, log scale)")
        #expect(judge(min: 1).verdict == .pass)
        let negative = ConditionResult.judge(Condition(metric: "m", band: Band(min: 1), direction: nil, scale: .log), values: [2, 0, 3])
        #expect(negative.verdict == .fail)
    }

    @Test func logScaleParsesAndNeedsPositiveEdges() throws {
        let yaml = equivalence.replacingOccurrences(of: "    kind: equivalence\n    margin: 0.015\n", with: "")
            .replacingOccurrences(of: "      - metric: a\n      - metric: b", with: "      - {metric: ratio, min: 2.5, scale: log}")
        #expect(try parse(yaml).claims[0].check.conditions[0].scale == .log)
        #expect(try parse(yaml).claims[0].check.conditions[0].judgedBand == Band(min: log(2.5)))
        #expect(problem(yaml.replacingOccurrences(of: "min: 2.5", with: "min: 0")).contains("positive band edges"))
        #expect(problem(yaml.replacingOccurrences(of: "scale: log", with: "scale: sqrt")).contains("scale must be"))
    }
}

@Suite struct AnyBranchLevel {
    @Test func eachBranchOfKIsJudgedAtAlphaOverK() {
        // mean 1, sd 0.1, n = 3: at 95% 1 ± 0.248 clears 0.7; at 97.5% (t = 6.205) 1 ± 0.358 does not.
        let values = [1.0, 1.1, 0.9]
        #expect(verdict(claim(leaf("a", min: 0.7)), ["a": values]).verdict == .pass)
        let either = claim(.any([leaf("a", min: 0.7), leaf("b", min: 100)]))
        let r = verdict(either, ["a": values, "b": values])
        #expect(r.verdict == .inconclusive)
        #expect(r.conditions.map(\.alpha) == [0.025, 0.025])
        #expect(abs(criticalT(alpha: 0.025, df: 2) - 6.2053) < 1e-3)
        // With k = 2 the lower end is 1 − 6.205·0.1/√3 = 0.6417: PASS at 0.64.
        #expect(verdict(claim(.any([leaf("a", min: 0.64), leaf("b", min: 100)])), ["a": values, "b": values]).verdict == .pass)
        // Nested: an `any` of 3 inside an `all`, and an `all` inside an `any` of 2.
        let nested = Check.all([leaf(), .any([leaf(), leaf(), .all([leaf(), .any([leaf(), leaf()])])])])
        let levels = nested.levels()
        #expect(levels.count == 6)
        for (a, b) in zip(levels, [0.05, 0.05 / 3, 0.05 / 3, 0.05 / 3, 0.05 / 6, 0.05 / 6]) { #expect(abs(a - b) < 1e-15) }
        #expect(r.conditions[0].oursText.contains("97.5% interval"))
    }
}

/// Values from scipy.stats (Fixtures/gen_power_reference.py).
private struct Reference: Decodable {
    struct NCT: Decodable { let t: Double; let df: Int; let nc: Double; let cdf: Double }
    struct PPF: Decodable { let p: Double; let df: Int; let q: Double }
    struct OneSided: Decodable { let d: Double; let n: Int; let alpha: Double; let p: Double }
    struct TwoSided: Decodable { let dl: Double; let du: Double; let n: Int; let alpha: Double; let p: Double }
    struct N80: Decodable { let d: Double; let n80: Int }
    let nct_cdf: [NCT]
    let t_ppf: [PPF]
    let pass_one_sided: [OneSided]
    let pass_two_sided: [TwoSided]
    let n80: [N80]

    static func load() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/power_reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }
}

@Suite struct PowerAgainstScipy {
    @Test func noncentralTMatchesScipy() throws {
        let ref = try Reference.load()
        #expect(ref.nct_cdf.count > 300)
        for r in ref.nct_cdf {
            let ours = noncentralTCDF(r.t, df: r.df, noncentrality: r.nc)
            #expect(abs(ours - r.cdf) < 1e-7, "nct.cdf(\(r.t), \(r.df), \(r.nc)) = \(r.cdf), ours \(ours)")
        }
    }

    @Test func tQuantilesMatchScipy() throws {
        for r in try Reference.load().t_ppf {
            let ours = tQuantile(r.p, df: r.df)
            #expect(abs(ours - r.q) < 1e-6 * Swift.max(1, r.q), "t.ppf(\(r.p), \(r.df)) = \(r.q), ours \(ours)")
            #expect(abs(tQuantile(1 - r.p, df: r.df) + r.q) < 1e-6 * Swift.max(1, r.q))
        }
        // The table of the verdict rule agrees with the exact quantile to its 3 decimals.
        for df in 1...30 { #expect(abs(tQuantile975(df: df) - tQuantile(0.975, df: df)) < 6e-4) }
    }

    @Test func passChancesMatchScipy() throws {
        let ref = try Reference.load()
        for r in ref.pass_one_sided {
            let ours = VerdictChances.of(band: Band(min: 0), mean: r.d, sd: 1, n: r.n, alpha: r.alpha)
            // Mirror image: a `max` edge at the same distance.
            let mirror = VerdictChances.of(band: Band(max: 0), mean: -r.d, sd: 1, n: r.n, alpha: r.alpha)
            let tolerance = r.alpha == 0.05 ? 2e-3 : 1e-6   // at 5% the harness uses the 3-decimal table
            #expect(abs(ours.pass - r.p) < tolerance, "one-sided d=\(r.d) n=\(r.n) α=\(r.alpha): \(r.p), ours \(ours.pass)")
            #expect(abs(mirror.pass - ours.pass) < 1e-12)
            #expect(ours.pass + ours.fail <= 1 + 1e-9)
        }
        for r in ref.pass_two_sided {
            let ours = VerdictChances.of(band: Band(min: -r.dl, max: r.du), mean: 0, sd: 1, n: r.n, alpha: r.alpha)
            let tolerance = r.alpha == 0.05 ? 2e-3 : 1e-6
            #expect(abs(ours.pass - r.p) < tolerance, "TOST dl=\(r.dl) du=\(r.du) n=\(r.n) α=\(r.alpha): \(r.p), ours \(ours.pass)")
        }
    }

    @Test func n80MatchesScipy() throws {
        let ref = try Reference.load()
        #expect(ref.n80.count >= 5)
        for r in ref.n80 {
            // The scale does not matter: d is in sds.
            let n80 = PowerAnalysis.n80 { VerdictChances.of(band: Band(min: 10), mean: 10 + 3 * r.d, sd: 3, n: $0, alpha: 0.05).pass }
            #expect(n80 == r.n80, "d = \(r.d)")
        }
    }

    @Test func headingOfSyntheticClaims() {
        // n = 3, the edge 1.5 sd below the mean: INCONCLUSIVE (t·sd/√3 = 2.48 sd), toward PASS
        // with the one-condition n80; scipy's n80 is 7 at d = 1.3 and 6 at d = 1.6.
        let inside = [1.0, 1.1, 0.9]
        let s = SampleSummary(inside)
        let edge = s.mean - 1.5 * s.sd
        let r = verdict(claim(leaf(min: edge)), ["m": inside])
        #expect(r.verdict == .inconclusive)
        guard case let .towardPass(n80)? = r.heading else { Issue.record("\(String(describing: r.heading))"); return }
        #expect([6, 7].contains(n80))
        #expect(r.label.contains("toward PASS: n80 = \(n80)"))
        // Two conditions: the claim needs both, so no fewer seeds than either alone.
        let both = verdict(claim(.all([leaf("m", min: edge), leaf("k", min: edge)])), ["m": inside, "k": inside])
        guard case let .towardPass(n80Both)? = both.heading else { Issue.record("no heading"); return }
        #expect(n80Both > n80)
        // The mean 1.5 sd outside: toward FAIL.
        let outside = verdict(claim(leaf(min: s.mean + 1.5 * s.sd)), ["m": inside])
        guard case .towardFail? = outside.heading else { Issue.record("\(String(describing: outside.heading))"); return }
        // The mean on the edge: no n decides.
        let onEdge = verdict(claim(leaf(min: s.mean)), ["m": inside])
        #expect(onEdge.heading == .onTheEdge(cap: 100))
        #expect(onEdge.label.contains("on the edge: no n ≤ 100 decides"))
        // Decided claims carry no hint.
        #expect(verdict(claim(leaf(min: s.mean - 10)), ["m": inside]).heading == nil)
    }
}

/// The fake target with `claims`, run on 3 seeds of the default tier (or judged from `store`).
private func evaluate(_ claims: String = fakeClaims, store: ResultsStore? = nil) throws -> Evaluation {
    let dir = tempDir()
    let target = makeTarget(in: dir, claims: claims)
    let db = try store ?? ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    if store == nil { _ = try Runner(target: target, store: db, options: quietOptions(seeds: 3)).run() }
    return try Evaluation.evaluate(target, tier: .default, store: db)
}

@Suite struct PowerTable {
    @Test func everyConditionOfAStoredRunGetsItsN80() throws {
        let e = try evaluate()
        let lines = e.powerTable.split(separator: "\n").map(String.init)
        #expect(lines[0] == "fake tier=default seeds 1–3; registered 3 (seeds 1–3)")
        for c in e.claims {
            for (i, r) in c.conditions.enumerated() {
                let row = lines.first { $0.hasPrefix(i == 0 ? c.claim.id + " " : " ") && $0.contains(" \(r.condition.metric) ") }
                #expect(row != nil, "\(c.claim.id) \(r.condition.metric)")
                let n80 = PowerAnalysis.n80 { r.chances(at: $0)!.pass }
                #expect(row?.hasSuffix(n80.map(String.init) ?? "> 100") == true, "\(row ?? "")")
            }
        }
        // F1 passes with room to spare; F3 (report only, ≤ 1e-9) cannot pass at any n.
        #expect(e.powerTable.contains("→ PASS; P(PASS)@3 "))
        #expect(e.powerTable.contains("→ FAIL (report only)"))
        #expect(e.powerTable.contains("toward FAIL"))
    }
}

/// The fake pipeline with other expectations: what `replicate verify` fails on.
@Suite struct Expectations {
    @Test func unchangedVerdictsVerify() throws {
        let e = try evaluate(fakeClaims)
        #expect(e.differences.isEmpty)
        #expect(e.verifyExitCode == 0)
        #expect(e.table.contains("F1  PASS (3/3 seeds pass)  [robust]  expected PASS"))
        #expect(!e.table.contains("CHANGED"))
    }

    @Test func aFlippedExpectationFails() throws {
        let flipped = fakeClaims.replacingOccurrences(of: "    transfer: robust\n    expect: PASS",
                                                      with: "    transfer: robust\n    expect: FAIL\n    expect_reason: a finding")
        let e = try evaluate(flipped)
        #expect(e.differences == ["F1: PASS, expected FAIL"])
        #expect(e.verifyExitCode == 1)
        #expect(e.table.contains("expected FAIL  ← CHANGED"))
        // An expectation of INCONCLUSIVE that now passes (an improvement) fails too.
        let improved = fakeClaims.replacingOccurrences(of: "    transfer: likely\n    expect: PASS",
                                                       with: "    transfer: likely\n    expect: INCONCLUSIVE\n    expect_reason: n = 3")
        #expect(try evaluate(improved).differences == ["F2: PASS, expected INCONCLUSIVE"])
    }

    @Test func aRegressionFails() throws {
        // The band moves out of reach: the expected PASS becomes FAIL.
        let e = try evaluate(fakeClaims.replacingOccurrences(of: "        min: 0.0\n        direction: higher", with: "        min: 100"))
        #expect(e.differences == ["F1: FAIL, expected PASS"])
        #expect(e.verifyExitCode == 1)
    }

    @Test func aFailingMechanicsClaimFails() throws {
        let mech = fakeClaims.replacingOccurrences(of: "    transfer: robust\n    expect: PASS\n    conditions:\n      - metric: gap\n        min: 0.0",
                                                   with: "    transfer: robust\n    mechanics: true\n    conditions:\n      - metric: gap\n        min: 100")
        let e = try evaluate(mech)
        #expect(e.differences == ["F1: mechanics claim FAIL, must PASS"])
        #expect(e.verifyExitCode == 1)
        #expect(e.table.contains("mechanics  ← CHANGED"))
        #expect(problem(equivalence.replacingOccurrences(of: "    expect: PASS", with: "    mechanics: true\n    expect: FAIL\n    expect_reason: r"))
            .contains("a mechanics claim must PASS"))
    }

    @Test func aGatedClaimWithoutDataFails() throws {
        let dir = tempDir()
        let e = try evaluate(fakeClaims, store: try ResultsStore(path: dir.appendingPathComponent("empty.sqlite").path))
        #expect(e.differences == ["F1: no data (gated claim)", "F2: no data (gated claim)"])
        #expect(e.verifyExitCode == 1)
    }

    @Test func expectationsAreDeclaredWithReasons() throws {
        #expect(problem(equivalence.replacingOccurrences(of: "    expect: PASS\n", with: "")).contains("missing field 'expect'"))
        #expect(problem(equivalence.replacingOccurrences(of: "expect: PASS", with: "expect: FAIL")).contains("missing field 'expect_reason'"))
        #expect(problem(equivalence.replacingOccurrences(of: "expect: PASS", with: "expect: MAYBE")).contains("expect must be PASS, FAIL or INCONCLUSIVE"))
        #expect(problem(equivalence.replacingOccurrences(of: "expect: PASS", with: "report_only: true\n    expect: PASS")).contains("report-only claim has no 'expect'"))
        // Per tier.
        let perTier = equivalence.replacingOccurrences(of: "tiers: [default]", with: "tiers: [smoke, default]")
            .replacingOccurrences(of: "expect: PASS", with: "expect: {smoke: PASS, default: INCONCLUSIVE}\n    expect_reason: n = 3")
        let c = try parse(perTier).claims[0]
        #expect(c.expected(in: .smoke) == .pass && c.expected(in: .default) == .inconclusive && c.expected(in: .extended) == nil)
        #expect(problem(perTier.replacingOccurrences(of: "smoke: PASS, ", with: "")).contains("no verdict for tier 'smoke'"))
    }
}

@Suite struct RegisteredSeeds {
    @Test func aRunUsesTheRegisteredSeedsUnlessOverridden() throws {
        let target = makeTarget(in: tempDir())
        #expect(try RunPlan.seeds(target, tier: .smoke, override: nil) == [1])
        #expect(try RunPlan.seeds(target, tier: .default, override: nil) == [1, 2, 3])
        #expect(try RunPlan.seeds(target, tier: .extended, override: nil) == [101, 102])
        #expect(try RunPlan.seeds(target, tier: .default, override: "5") == [1, 2, 3, 4, 5])
        #expect(try RunPlan.seeds(target, tier: .extended, override: "7,2") == [2, 7])
        let (failed, e) = try Evaluation.freshRun(target, tier: .default)
        #expect(failed.isEmpty && e.seedList == [1, 2, 3] && e.onRegisteredSeeds && e.seedWarning == nil)
    }

    @Test func aReportOnOtherSeedsSaysSo() throws {
        let dir = tempDir()
        let target = makeTarget(in: dir)
        let (_, e) = try Evaluation.freshRun(target, tier: .default, seeds: [1, 2])
        #expect(!e.onRegisteredSeeds)
        #expect(e.seedWarning == "seeds 1, 2 are not the 3 registered for this tier (1–3): verdicts and expectations hold for the registered set")
        let md = ReportWriter.markdown(e, figures: [])
        #expect(md.contains("**Not the registered seeds:**"))
        #expect(md.contains("Registered seeds for this tier: 3 (seeds 1–3); every check passes at n = 3."))
        #expect(md.contains("make replicate PAPER=fake TIER=default SEEDS=2"))
        #expect(e.table.contains("note: seeds 1, 2 are not the 3 registered"))
    }

    @Test func seedRegistrationsParse() throws {
        func seeds(_ s: String) throws -> SeedRegistration {
            try ClaimsFile.parse("paper: fake\nseeds: \(s)\nclaims: []\n", file: "claims.yaml", metricNames: []).seeds
        }
        let r = try seeds("{smoke: 1, default: [1, 4, 9], extended: \"101-112\"}")
        #expect(r.seeds(for: .default) == [1, 4, 9] && r.seeds(for: .extended) == Array(101...112))
        #expect(r.text(for: .extended) == "12 (seeds 101–112)" && r.text(for: .default) == "3 (seeds 1, 4, 9)")
        for bad in ["{smoke: 1, default: 3}", "{smoke: 0, default: 3, extended: 3}", "{smoke: 1, default: [2, 2], extended: 3}",
                    "{smoke: 1, default: 3, extended: \"112-101\"}", "{smoke: 1, default: 3, extended: 3, huge: 9}", "3"] {
            #expect(throws: HarnessError.self, "\(bad)") { try seeds(bad) }
        }
        #expect { try ClaimsFile.parse("paper: fake\nclaims: []\n", file: "claims.yaml", metricNames: []) }
            throws: { "\($0)".contains("missing field 'seeds'") }
    }
}
