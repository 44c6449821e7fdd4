import Foundation

extension RunPlan {
    /// The seeds a run uses: `--seeds` when given, else the ones the paper's claims file registers
    /// for the tier (pre-registered, so that no seed is added after looking at the verdicts).
    public static func seeds(_ target: any ReplicationTarget, tier: Tier, override: String?) throws -> [Int] {
        if let override { return try parseSeeds(override) }
        return try target.loadClaims().seeds.seeds(for: tier)
    }
}
