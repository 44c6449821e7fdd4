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
    public let summary: SampleSummary
    public let verdict: Verdict
    /// For INCONCLUSIVE: how many more seeds (same sd) would shrink the interval off the band
    /// edge; nil if undecidable that way (sd = 0 or mean on the edge) or more than 1000.
    public let moreSeeds: Int?

    /// PASS whole interval inside, FAIL whole interval outside, else INCONCLUSIVE; n = 1: the point.
    public static func judge(_ condition: Condition, values: [Double]) -> ConditionResult {
        let s = SampleSummary(values)
        guard s.n > 0 else { return ConditionResult(condition: condition, summary: s, verdict: .noData, moreSeeds: nil) }
        if values.contains(where: { !$0.isFinite }) {
            return ConditionResult(condition: condition, summary: s, verdict: .fail, moreSeeds: nil)
        }
        let band = condition.band, lo = s.mean - s.halfWidth, hi = s.mean + s.halfWidth
        let verdict: Verdict
        if band.contains(lo) && band.contains(hi) { verdict = .pass }
        else if (band.max.map { lo > $0 } ?? false) || (band.min.map { hi < $0 } ?? false) { verdict = .fail }
        else { verdict = .inconclusive }
        var more: Int?
        if verdict == .inconclusive, s.sd > 0 {
            let distance = band.edges.map { abs(s.mean - $0) }.min() ?? 0
            if distance > 0 {
                more = (s.n + 1...s.n + 1000).first { m in tQuantile975(df: m - 1) * s.sd / Double(m).squareRoot() < distance }.map { $0 - s.n }
            }
        }
        return ConditionResult(condition: condition, summary: s, verdict: verdict, moreSeeds: more)
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

    public var gated: Bool { claim.gates(in: tier) }
    /// The mean passes but some single seed does not.
    public var fragile: Bool { verdict == .pass && seedsPassing < seedsJudged }
    /// n of the verdict (the smallest over conditions).
    public var n: Int { conditions.map(\.summary.n).min() ?? 0 }

    /// Verdict label as printed: "PASS (fragile, 2/3 seeds pass)", "FAIL (n=1)".
    public var label: String {
        var s = verdict.rawValue
        var notes: [String] = []
        if fragile { notes.append("fragile") }
        if verdict != .noData {
            notes.append(n == 1 ? "n=1" : "\(seedsPassing)/\(seedsJudged) seeds pass")
        }
        if verdict == .inconclusive {
            let more = conditions.filter { $0.verdict == .inconclusive }.map(\.moreSeeds)
            if !more.isEmpty, more.allSatisfy({ $0 != nil }) { notes.append("~\(more.compactMap { $0 }.max()!) more seeds to decide") }
        }
        if !gated { notes.append("report only") }
        if !notes.isEmpty { s += " (" + notes.joined(separator: ", ") + ")" }
        return s
    }

    /// Judge `claim` from per-seed metric values (seed → metric → value).
    public static func judge(_ claim: Claim, tier: Tier, perSeed: [Int: [String: Double]]) -> ClaimResult {
        let seeds = perSeed.keys.sorted()
        let leaves = claim.check.conditions.map { c in
            ConditionResult.judge(c, values: seeds.compactMap { perSeed[$0]?[c.metric] })
        }
        var index = 0
        let verdict = combine(claim.check) { _ in defer { index += 1 }; return leaves[index].verdict }
        let needed = Set(claim.check.conditions.map(\.metric))
        let complete = seeds.filter { s in needed.allSatisfy { perSeed[s]?[$0] != nil } }
        let passing = complete.filter { s in
            combine(claim.check) { c in c.band.contains(perSeed[s]![c.metric]!) ? .pass : .fail } == .pass
        }
        return ClaimResult(claim: claim, tier: tier, verdict: verdict, conditions: leaves,
                           seedsPassing: passing.count, seedsJudged: complete.count)
    }

    /// Combine leaf verdicts (visited in file order) through the all/any tree.
    private static func combine(_ check: Check, _ leaf: (Condition) -> Verdict) -> Verdict {
        switch check {
        case let .condition(c): return leaf(c)
        case let .all(cs): return Verdict.all(cs.map { combine($0, leaf) })
        case let .any(cs): return Verdict.any(cs.map { combine($0, leaf) })
        }
    }
}
