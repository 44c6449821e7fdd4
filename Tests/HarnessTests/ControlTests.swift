import Testing
@testable import Harness

/// A claims file with a positive control `C` and a claim `E` that depends on it.
private func file(_ extra: String = "", eControl: String = "C") throws -> ClaimsFile {
    let yaml = """
    paper: fake
    seeds: {smoke: 1, default: 3, extended: 12}
    claims:
      - id: C
        statement: the oracle learns
        paper_number: "-"
        tiers: [default, extended]
        transfer: robust
        expect: PASS
        conditions:
          - metric: oracle
            min: 0.2
      - id: E
        statement: the method beats random
        paper_number: "1"
        tiers: [default, extended]
        transfer: robust
        report_only: [default]
        control: \(eControl)
        expect: PASS
        conditions:
          - metric: gap
            min: 0
    \(extra)
    """
    return try ClaimsFile.parse(yaml, file: "claims.yaml", metricNames: ["oracle", "gap"])
}

@Test func reportOnlyByTier() throws {
    let f = try file(eControl: "C")
    let e = f.claims[1]
    #expect(!e.gates(in: .default) && e.gates(in: .extended))
    #expect(e.expected(in: .default) == nil && e.expected(in: .extended) == .pass)
}

@Test func aClaimGatesOnlyWhereItsControlPasses() throws {
    let yaml = try file(eControl: "C")
    #expect(yaml.claims[1].control == "C")
    let c = Claim(id: "C", claimRef: nil, statement: "s", paperNumber: "-", source: nil, tiers: [.default],
                  transfer: .robust, reportOnly: false,
                  check: .condition(Condition(metric: "oracle", band: Band(min: 0.2), direction: nil)), note: nil)
    let e = Claim(id: "E", claimRef: nil, statement: "s", paperNumber: "1", source: nil, tiers: [.default],
                  transfer: .robust, reportOnly: false,
                  check: .condition(Condition(metric: "gap", band: Band(min: 0), direction: nil)), note: nil,
                  control: "C")
    let passing: [Int: [String: Double]] = [1: ["oracle": 0.5, "gap": 0.1], 2: ["oracle": 0.6, "gap": 0.12], 3: ["oracle": 0.55, "gap": 0.11]]
    let withControl = ClaimResult.judgeWithControls([c, e], tier: .default, perSeed: passing)
    #expect(withControl[1].gated && withControl[1].controlReason == nil && withControl[1].expected == .pass)
    var failing = passing
    for s in failing.keys { failing[s]!["oracle"] = 0.05 }
    let without = ClaimResult.judgeWithControls([c, e], tier: .default, perSeed: failing)
    #expect(without[0].verdict == .fail)
    #expect(!without[1].gated && without[1].expected == nil)
    #expect(without[1].controlReason == "positive control C is FAIL")
    #expect(without[1].label.contains("report only: positive control C is FAIL"))
}

@Test func controlsAreValidatedAtLoad() {
    func problem(_ f: () throws -> ClaimsFile) -> String { do { _ = try f(); return "parsed" } catch { return "\(error)" } }
    #expect(problem { try file(eControl: "Z") }.contains("control 'Z' is not a claim of this file"))
    // E gates in extended, where C does not.
    let yaml = """
    paper: fake
    seeds: {smoke: 1, default: 3, extended: 12}
    claims:
      - id: C
        statement: s
        paper_number: "-"
        tiers: [default]
        transfer: robust
        expect: PASS
        conditions:
          - metric: oracle
            min: 0.2
      - id: E
        statement: s
        paper_number: "1"
        tiers: [default, extended]
        transfer: robust
        control: C
        expect: PASS
        conditions:
          - metric: gap
            min: 0
    """
    let p = problem { try ClaimsFile.parse(yaml, file: "claims.yaml", metricNames: ["oracle", "gap"]) }
    #expect(p.contains("control 'C' does not gate in tier 'extended'"))
    let tiers = problem { try ClaimsFile.parse(yaml.replacingOccurrences(of: "control: C", with: "report_only: [huge]"),
                                               file: "claims.yaml", metricNames: ["oracle", "gap"]) }
    #expect(tiers.contains("report_only: 'huge' is not one of the claim's tiers"))
}
