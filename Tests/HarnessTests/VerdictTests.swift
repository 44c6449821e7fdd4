import Testing
@testable import Harness

private func cond(_ metric: String = "m", min: Double? = nil, max: Double? = nil) -> Condition {
    Condition(metric: metric, band: Band(min: min, max: max), direction: nil)
}

private func claim(_ check: Check, reportOnly: Bool = false) -> Claim {
    Claim(id: "X", claimRef: nil, statement: "s", paperNumber: "1", source: nil, tiers: [.default],
          transfer: .robust, reportOnly: reportOnly, check: check, note: nil)
}

@Test func tQuantilesMatchTables() {
    #expect(tQuantile975(df: 2) == 4.303)
    #expect(abs(tQuantile975(df: 60) - 2.000) < 0.002)
    #expect(abs(tQuantile975(df: 1000) - 1.962) < 0.002)
}

@Test func conditionPassFailInconclusive() {
    let v = [1.0, 1.1, 0.9]   // mean 1, CI half-width 4.303·0.1/√3 ≈ 0.248
    #expect(ConditionResult.judge(cond(min: 0.5), values: v).verdict == .pass)
    #expect(ConditionResult.judge(cond(min: 2), values: v).verdict == .fail)
    #expect(ConditionResult.judge(cond(max: 0.7), values: v).verdict == .fail)
    let straddle = ConditionResult.judge(cond(min: 0.95), values: v)
    #expect(straddle.verdict == .inconclusive)
    // The mean is 0.05 = 0.5 sd inside the edge; on the edge the distance is 0.
    #expect(abs(straddle.standardisedDistance! - 0.5) < 1e-12)
    #expect(ConditionResult.judge(cond(min: 1.0), values: v).standardisedDistance == 0)
    #expect(ConditionResult.judge(cond(min: 1.2), values: v).standardisedDistance! < 0)
    #expect(ConditionResult.judge(cond(min: 0), values: []).verdict == .noData)
    #expect(ConditionResult.judge(cond(min: 0), values: [1, .nan]).verdict == .fail)
}

@Test func singleSeedPointDecides() {
    let r = ClaimResult.judge(claim(.condition(cond(max: 0.2))), tier: .default, perSeed: [1: ["m": 0.3]])
    #expect(r.verdict == .fail)
    #expect(r.n == 1)
    #expect(r.label == "FAIL (n=1)")
    let p = ClaimResult.judge(claim(.condition(cond(max: 0.2))), tier: .default, perSeed: [1: ["m": 0.2]])
    #expect(p.verdict == .pass)   // bands are closed
}

@Test func allAndAnyCombine() {
    #expect(Verdict.all([.pass, .pass]) == .pass)
    #expect(Verdict.all([.pass, .fail, .inconclusive]) == .fail)
    #expect(Verdict.all([.pass, .inconclusive]) == .inconclusive)
    #expect(Verdict.any([.fail, .pass]) == .pass)
    #expect(Verdict.any([.fail, .fail]) == .fail)
    #expect(Verdict.any([.fail, .inconclusive]) == .inconclusive)
    let seeds: [Int: [String: Double]] = [1: ["a": 1, "b": 5], 2: ["a": 1.1, "b": 5.2], 3: ["a": 0.9, "b": 4.9]]
    let both = Check.all([.condition(cond("a", min: 0.5)), .condition(cond("b", max: 1))])
    #expect(ClaimResult.judge(claim(both), tier: .default, perSeed: seeds).verdict == .fail)
    let either = Check.any([.condition(cond("a", min: 0.5)), .condition(cond("b", max: 1))])
    let r = ClaimResult.judge(claim(either), tier: .default, perSeed: seeds)
    #expect(r.verdict == .pass)
    #expect(r.seedsPassing == 3 && r.conditions.count == 2)
    // "there is an M with A and B": any of (all of …)
    let nested = Check.any([.all([.condition(cond("a", min: 2)), .condition(cond("b", min: 0))]),
                            .all([.condition(cond("a", min: 0.5)), .condition(cond("b", min: 4))])])
    #expect(ClaimResult.judge(claim(nested), tier: .default, perSeed: seeds).verdict == .pass)
}

@Test func fragileWhenMeanPassesButASeedFails() {
    var seeds: [Int: [String: Double]] = [:]
    for s in 1...9 { seeds[s] = ["m": 1.0] }
    seeds[10] = ["m": 0.45]
    let r = ClaimResult.judge(claim(.condition(cond(min: 0.5))), tier: .default, perSeed: seeds)
    #expect(r.verdict == .pass)
    #expect(r.fragile)
    #expect(r.seedsPassing == 9 && r.seedsJudged == 10)
    #expect(r.label == "PASS (fragile, 9/10 seeds pass)")
    let ro = ClaimResult.judge(claim(.condition(cond(min: 0.5)), reportOnly: true), tier: .default, perSeed: seeds)
    #expect(!ro.gated && ro.label.contains("report only"))
}

@Test func numbersFormatDeterministically() {
    #expect(formatNumber(0.123456) == "0.1235")
    #expect(formatNumber(2.5) == "2.5")
    #expect(formatNumber(1234.6) == "1235")
    #expect(formatNumber(1e-9) == "1.000e-09")
    #expect(Band(min: 0.5, max: 2).text == "∈ [0.5, 2]")
}
