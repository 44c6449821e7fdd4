import Foundation

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
