import Foundation
import Testing
@testable import Harness

private let metrics = ["gap", "solo_final", "tuned_final"]

private func problem(_ yaml: String) -> String {
    do {
        _ = try ClaimsFile.parse(yaml, file: "claims.yaml", metricNames: metrics)
        return "parsed"
    } catch { return "\(error)" }
}

@Test func parsesCompoundClaims() throws {
    let f = try ClaimsFile.parse(fakeClaims, file: "claims.yaml", metricNames: metrics, paper: "fake")
    #expect(f.claims.map(\.id) == ["F1", "F2", "F3"])
    #expect(f.claims[0].check == .condition(Condition(metric: "gap", band: Band(min: 0), direction: .higher)))
    #expect(f.claims[0].claimRef == "C1")
    guard case let .any(parts) = f.claims[1].check else { Issue.record("F2 should be 'any'"); return }
    #expect(parts.count == 2)
    #expect(f.claims[1].check.conditions.map(\.metric) == ["solo_final", "tuned_final", "gap"])
    #expect(f.claims[2].reportOnly && f.claims[2].transfer == .doesNotTransfer)
    #expect(f.claims[2].check.conditions[0].band.max == 1e-9)
    #expect(f.claims[1].gates(in: .default) && !f.claims[1].gates(in: .smoke))
}

private let good = """
paper: fake
seeds: {smoke: 1, default: 3, extended: 12}
claims:
  - id: K1
    statement: s
    paper_number: "1"
    tiers: [default]
    transfer: robust
    expect: PASS
    conditions:
      - metric: gap
        min: 0
"""

@Test func malformedClaimsAreOneLineErrors() {
    #expect(problem(good) == "parsed")
    let badYAML = problem("paper: fake\nclaims: [\n  - id: {")
    #expect(badYAML.hasPrefix("claims.yaml: invalid YAML"))
    let missing = problem(good.replacingOccurrences(of: "    statement: s\n", with: ""))
    #expect(missing == "claims.yaml: claim K1: missing field 'statement'")
    let unknownMetric = problem(good.replacingOccurrences(of: "metric: gap", with: "metric: gapp"))
    #expect(unknownMetric.hasPrefix("claims.yaml: claim K1: unknown metric 'gapp'"))
    let inverted = problem(good.replacingOccurrences(of: "min: 0", with: "min: 2\n        max: 1"))
    #expect(inverted == "claims.yaml: claim K1: gap: band has min 2 > max 1")
    let tier = problem(good.replacingOccurrences(of: "[default]", with: "[default, huge]"))
    #expect(tier.hasPrefix("claims.yaml: claim K1: unknown tier 'huge'"))
    let noBand = problem(good.replacingOccurrences(of: "\n        min: 0", with: ""))
    #expect(noBand.contains("band needs 'min' and/or 'max'"))
    let transfer = problem(good.replacingOccurrences(of: "robust", with: "maybe"))
    #expect(transfer.contains("unknown transfer 'maybe'"))
    let direction = problem(good.replacingOccurrences(of: "min: 0", with: "min: 0\n        direction: lower"))
    #expect(direction.contains("contradicts"))
    let dup = problem(good + "\n" + good.split(separator: "\n").dropFirst(3).joined(separator: "\n"))
    #expect(dup.contains("claim K1: duplicate id"))
    for p in [badYAML, missing, unknownMetric, inverted, tier, noBand, transfer, direction, dup] {
        #expect(!p.contains("\n"), "one line: \(p)")
    }
}

@Test func claimsFileMustNameItsPaper() {
    #expect(throws: HarnessError.self) {
        try ClaimsFile.parse(good, file: "claims.yaml", metricNames: metrics, paper: "other")
    }
}
