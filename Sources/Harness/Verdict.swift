import Foundation

/// Mean, spread and 95% confidence interval (t-distribution) of per-seed values.
public struct SampleSummary: Sendable, Equatable {
    public let values: [Double]
    public var n: Int { values.count }
    public var mean: Double { values.reduce(0, +) / Double(max(n, 1)) }
    public var sd: Double {
        guard n > 1 else { return 0 }
        let m = mean
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n - 1)).squareRoot()
    }
    /// Half-width of the 95% CI of the mean; 0 for n = 1 (the point decides).
    public var halfWidth: Double { n > 1 ? tQuantile975(df: n - 1) * sd / Double(n).squareRoot() : 0 }

    public init(_ values: [Double]) { self.values = values }
}

/// Two-sided 95% quantile of Student's t (exact table to df 30, Cornish–Fisher beyond).
public func tQuantile975(df: Int) -> Double {
    let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                           2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                           2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
    precondition(df >= 1)
    if df <= table.count { return table[df - 1] }
    let z = 1.959964, v = Double(df)
    return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * v * v)
}

public enum Verdict: String, Sendable, Comparable {
    case pass = "PASS", fail = "FAIL", inconclusive = "INCONCLUSIVE", noData = "NO DATA"

    public static func < (a: Verdict, b: Verdict) -> Bool { a.order < b.order }
    private var order: Int { [.pass: 0, .inconclusive: 1, .noData: 2, .fail: 3][self]! }

    /// all: FAIL if any FAIL, PASS if all PASS, else INCONCLUSIVE (missing data counts as undecided).
    static func all(_ vs: [Verdict]) -> Verdict {
        if vs.contains(.fail) { return .fail }
        if vs.allSatisfy({ $0 == .pass }) { return .pass }
        return vs.allSatisfy({ $0 == .noData }) ? .noData : .inconclusive
    }

    /// any: PASS if any PASS, FAIL if all FAIL, else INCONCLUSIVE.
    static func any(_ vs: [Verdict]) -> Verdict {
        if vs.contains(.pass) { return .pass }
        if vs.allSatisfy({ $0 == .fail }) { return .fail }
        return vs.allSatisfy({ $0 == .noData }) ? .noData : .inconclusive
    }
}

/// One condition judged over seeds.
public struct ConditionResult: Sendable {
    public let condition: Condition
    /// Over the per-seed values on the judged scale (ln for `scale: log`).
    public let summary: SampleSummary
    public private(set) var verdict: Verdict
    /// The test level: 0.05, or 0.05/k inside an `any` of k branches.
    public let alpha: Double

    /// PASS whole interval inside, FAIL whole interval outside, else INCONCLUSIVE; n = 1: the point.
    /// The interval is the mean ± t(1 − α/2, n − 1)·sd/√n on the judged scale.
    public static func judge(_ condition: Condition, values: [Double], alpha: Double = 0.05) -> ConditionResult {
        let s = SampleSummary(condition.judged(values))
        var r = ConditionResult(condition: condition, summary: s, verdict: .noData, alpha: alpha)
        guard s.n > 0 else { return r }
        let band = condition.judgedBand, lo = s.mean - r.halfWidth, hi = s.mean + r.halfWidth
        if s.values.contains(where: { !$0.isFinite }) { r.verdict = .fail }
        else if band.contains(lo) && band.contains(hi) { r.verdict = .pass }
        else if (band.max.map { lo > $0 } ?? false) || (band.min.map { hi < $0 } ?? false) { r.verdict = .fail }
        else { r.verdict = .inconclusive }
        return r
    }

    /// Half-width of the interval at this condition's level; 0 for n = 1 (the point decides).
    public var halfWidth: Double {
        summary.n > 1 ? criticalT(alpha: alpha, df: summary.n - 1) * summary.sd / Double(summary.n).squareRoot() : 0
    }

    /// Chances of PASS and FAIL at n seeds if the values were normal with this mean and sd;
    /// nil without a spread to go on (fewer than 2 finite values).
    public func chances(at n: Int) -> VerdictChances? {
        guard summary.n >= 2, summary.values.allSatisfy(\.isFinite) else { return nil }
        return VerdictChances.of(band: condition.judgedBand, mean: summary.mean, sd: summary.sd, n: n, alpha: alpha)
    }

    /// Signed distance from the mean to the nearest band edge in sds (positive inside the band,
    /// ±∞ without spread); nil without a spread to go on.
    public var standardisedDistance: Double? {
        guard summary.n >= 2, summary.values.allSatisfy(\.isFinite) else { return nil }
        let band = condition.judgedBand, m = summary.mean
        let distance = band.edges.map { abs(m - $0) }.min()!
        let inside = band.contains(m) ? 1.0 : -1.0
        return summary.sd > 0 ? inside * distance / summary.sd : inside * .infinity
    }

    /// "0.1234 ± 0.0100 (n=3)"; on the log scale the geometric mean ×/÷ the interval's factor;
    /// inside an `any` the interval's level is named.
    public var oursText: String {
        let s = summary
        guard s.n > 0 else { return "no data" }
        var notes = ["n=\(s.n)"]
        if condition.scale == .log { notes.append("log scale") }
        if s.n > 1 && alpha != 0.05 { notes.append("\(formatNumber(100 * (1 - alpha)))% interval") }
        let log = condition.scale == .log && s.values.allSatisfy(\.isFinite)
        let center = formatNumber(log ? exp(s.mean) : s.mean)
        let spread = s.n == 1 ? "" : log ? " ×/÷ \(formatNumber(exp(halfWidth)))" : " ± \(formatNumber(halfWidth))"
        return "\(center)\(spread) (\(notes.joined(separator: ", ")))"
    }
}

/// A claim judged over the seeds of one tier.
public struct ClaimResult: Sendable {
    public let claim: Claim
    public let tier: Tier
    public let verdict: Verdict
    /// Every leaf condition in file order.
    public let conditions: [ConditionResult]
    /// Seeds whose own point values pass the whole check, and how many seeds had all its metrics.
    public let seedsPassing: Int
    public let seedsJudged: Int
    /// For INCONCLUSIVE: where more seeds would take it (n80 and the direction).
    public let heading: Heading?
    /// Why a claim that would gate here is only reported: its positive control did not PASS.
    public var controlReason: String? = nil

    public var gated: Bool { claim.gates(in: tier) && controlReason == nil }
    /// The mean passes but some single seed does not.
    public var fragile: Bool { verdict == .pass && seedsPassing < seedsJudged }
    /// n of the verdict (the smallest over conditions).
    public var n: Int { conditions.map(\.summary.n).min() ?? 0 }
    /// The verdict `verify` expects here (nil: report only).
    public var expected: Verdict? { gated ? claim.expected(in: tier) : nil }

    /// Chances of PASS and FAIL for the whole claim at n seeds, treating its conditions as
    /// independent (`all`: every one passes; `any`: some one does); nil if a condition has no spread.
    public func chances(at n: Int) -> VerdictChances? {
        let leaves = conditions.map { $0.chances(at: n) }
        guard leaves.allSatisfy({ $0 != nil }) else { return nil }
        func product(_ xs: [Double]) -> Double { xs.reduce(1, *) }
        func all(_ cs: [VerdictChances]) -> VerdictChances {
            VerdictChances(pass: product(cs.map(\.pass)), fail: 1 - product(cs.map { 1 - $0.fail }))
        }
        func any(_ cs: [VerdictChances]) -> VerdictChances {
            VerdictChances(pass: 1 - product(cs.map { 1 - $0.pass }), fail: product(cs.map(\.fail)))
        }
        var index = 0
        return claim.check.fold(leaf: { (_: Condition) -> VerdictChances in defer { index += 1 }; return leaves[index]! },
                                all: all, any: any)
    }

    /// Verdict label as printed: "PASS (fragile, 2/3 seeds pass)", "FAIL (n=1)".
    public var label: String {
        var s = verdict.rawValue
        var notes: [String] = []
        if fragile { notes.append("fragile") }
        if verdict != .noData {
            notes.append(n == 1 ? "n=1" : "\(seedsPassing)/\(seedsJudged) seeds pass")
        }
        if let heading { notes.append(heading.text) }
        if let controlReason { notes.append("report only: \(controlReason)") } else if !gated { notes.append("report only") }
        if !notes.isEmpty { s += " (" + notes.joined(separator: ", ") + ")" }
        return s
    }

    /// Judge `claim` from per-seed metric values (seed → metric → value).
    public static func judge(_ claim: Claim, tier: Tier, perSeed: [Int: [String: Double]]) -> ClaimResult {
        let seeds = perSeed.keys.sorted()
        let leaves = zip(claim.check.conditions, claim.check.levels()).map { c, alpha in
            ConditionResult.judge(c, values: seeds.compactMap { perSeed[$0]?[c.metric] }, alpha: alpha)
        }
        var index = 0
        let verdict = combine(claim.check) { _ in defer { index += 1 }; return leaves[index].verdict }
        let needed = Set(claim.check.conditions.map(\.metric))
        let complete = seeds.filter { s in needed.allSatisfy { perSeed[s]?[$0] != nil } }
        let passing = complete.filter { s in
            combine(claim.check) { c in c.band.contains(perSeed[s]![c.metric]!) ? .pass : .fail } == .pass
        }
        var result = ClaimResult(claim: claim, tier: tier, verdict: verdict, conditions: leaves,
                                 seedsPassing: passing.count, seedsJudged: complete.count, heading: nil)
        if verdict == .inconclusive, result.chances(at: 2) != nil {
            let r = result
            result = ClaimResult(claim: claim, tier: tier, verdict: verdict, conditions: leaves, seedsPassing: passing.count,
                                 seedsJudged: complete.count,
                                 heading: PowerAnalysis.heading(pass: { r.chances(at: $0)!.pass }, fail: { r.chances(at: $0)!.fail }))
        }
        return result
    }

    /// Judge `claims` and apply their positive controls: a claim whose control does not PASS in
    /// this evaluation is reported, not gated, and says why.
    public static func judgeWithControls(_ claims: [Claim], tier: Tier, perSeed: [Int: [String: Double]]) -> [ClaimResult] {
        var judged = claims.map { judge($0, tier: tier, perSeed: perSeed) }
        let verdicts = Dictionary(judged.map { ($0.claim.id, $0.verdict) }, uniquingKeysWith: { a, _ in a })
        for i in judged.indices {
            guard let control = judged[i].claim.control, judged[i].claim.gates(in: tier) else { continue }
            let v = verdicts[control] ?? .noData
            if v != .pass { judged[i].controlReason = "positive control \(control) is \(v.rawValue)" }
        }
        return judged
    }

    /// Combine leaf verdicts (visited in file order) through the all/any tree.
    private static func combine(_ check: Check, _ leaf: (Condition) -> Verdict) -> Verdict {
        check.fold(leaf: leaf, all: Verdict.all, any: Verdict.any)
    }
}
