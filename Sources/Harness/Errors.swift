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
        }
    }
}

/// Looks targets and tiers up by name, with errors that list the valid names.
public struct TargetRegistry: Sendable {
    public let targets: [any ReplicationTarget]

    public init(_ targets: [any ReplicationTarget]) {
        self.targets = targets.sorted { $0.key < $1.key }
    }

    public var keys: [String] { targets.map(\.key) }

    public func target(_ key: String) throws -> any ReplicationTarget {
        guard let t = targets.first(where: { $0.key == key }) else {
            throw HarnessError.unknownPaper(key, valid: keys)
        }
        return t
    }

    /// The tier named `name`, checked against what `target` implements.
    public static func tier(_ name: String, of target: (any ReplicationTarget)? = nil) throws -> Tier {
        let valid = target?.tiers ?? Tier.allCases
        guard let t = Tier(rawValue: name), valid.contains(t) else {
            throw HarnessError.unknownTier(name, valid: valid.map(\.rawValue))
        }
        return t
    }
}
