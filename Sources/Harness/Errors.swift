import Foundation

/// Every error the harness reports to a user. Each prints as one line that names the
/// file, paper, tier or claim concerned, so the CLI can print it as is.
public enum HarnessError: Error, CustomStringConvertible, Equatable {
    case unknownPaper(String, valid: [String])
    case unknownTier(String, valid: [String])
    case malformedClaims(file: String, claim: String?, problem: String)
    case notADatabase(path: String, problem: String)
    case runFailed(run: String, problem: String)
    case missingResult(String)
    case usage(String)
    case gnuplot(String)
    /// A target's metric computation failed, or returned a name its vocabulary does not declare.
    case metricFailed(paper: String, tier: String, seed: Int, metric: String?, problem: String)

    public var description: String {
        switch self {
        case let .unknownPaper(p, valid):
            return "unknown paper '\(p)'; valid papers: \(valid.isEmpty ? "(none registered)" : valid.joined(separator: ", "))"
        case let .unknownTier(t, valid):
            return "unknown tier '\(t)'; valid tiers: \(valid.joined(separator: ", "))"
        case let .malformedClaims(file, claim, problem):
            return "\(file): \(claim.map { "claim \($0): " } ?? "")\(problem)"
        case let .notADatabase(path, problem):
            return "\(path): not a usable results database (\(problem)); nothing was written"
        case let .runFailed(run, problem):
            return "run \(run) failed: \(problem); not stored"
        case let .missingResult(what):
            return "missing result: \(what)"
        case let .usage(s):
            return s
        case let .gnuplot(s):
            return "gnuplot: \(s)"
        case let .metricFailed(paper, tier, seed, metric, problem):
            return "\(paper) \(tier) seed \(seed): \(metric.map { "metric \($0): " } ?? "metrics: ")\(problem); "
                + "fix the paper's metric code (no verdict was written)"
        }
    }
}
