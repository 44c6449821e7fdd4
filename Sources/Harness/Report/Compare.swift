import Foundation

/// `replicate compare`: the same claims judged on two sets of runs (two stores, two commits'
/// report data), claim by claim. Both sides are judged by the current claims file, so what
/// differs is the runs, not the bands.
public struct ClaimComparison: Sendable {
    public let id: String
    public let a: ClaimResult?
    public let b: ClaimResult?

    public var verdictChanged: Bool { a?.verdict != b?.verdict }
    /// The means as the report prints them differ (rounded to what their intervals support).
    public var meanChanged: Bool { ClaimComparison.means(a) != ClaimComparison.means(b) }

    static func means(_ c: ClaimResult?) -> String {
        guard let c else { return "not evaluated" }
        let named = c.conditions.count > 1
        return c.conditions.map { (named ? "\($0.condition.metric) " : "") + ReportFormat.ours($0) }.joined(separator: "; ")
    }

    static func side(_ c: ClaimResult?) -> String {
        guard let c else { return "–" }
        return "\(c.verdict.rawValue) [\(means(c))]"
    }

    /// Claims of both evaluations, in A's order then any only B has.
    public static func of(_ a: Evaluation, _ b: Evaluation) -> [ClaimComparison] {
        let byID = Dictionary(b.claims.map { ($0.claim.id, $0) }, uniquingKeysWith: { x, _ in x })
        let inA = Set(a.claims.map(\.claim.id))
        return a.claims.map { ClaimComparison(id: $0.claim.id, a: $0, b: byID[$0.claim.id]) }
            + b.claims.filter { !inA.contains($0.claim.id) }.map { ClaimComparison(id: $0.claim.id, a: nil, b: $0) }
    }

    /// One paper's comparison as text: a heading, one line per claim ("← VERDICT CHANGED",
    /// "← mean changed"), and a count.
    public static func report(_ a: Evaluation, _ b: Evaluation, names: (a: String, b: String)) -> (text: String, verdictChanges: Int) {
        let rows = of(a, b)
        var lines = ["\(a.target.key) tier=\(a.tier.rawValue)  A: \(names.a) (seeds \(seedListText(a.seedList)))  "
                     + "B: \(names.b) (seeds \(seedListText(b.seedList)))"]
        let width = rows.map(\.id.count).max() ?? 0
        for r in rows {
            var line = "  " + r.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  A " + side(r.a) + "  B " + side(r.b)
            if r.verdictChanged { line += "  ← VERDICT CHANGED" } else if r.meanChanged { line += "  ← mean changed" }
            lines.append(line)
        }
        let changed = rows.filter(\.verdictChanged).count
        let means = rows.filter { !$0.verdictChanged && $0.meanChanged }.count
        lines.append("  \(rows.count) claims: \(changed) verdicts changed, \(means) means changed with the same verdict")
        return (lines.joined(separator: "\n"), changed)
    }
}
