import LMCore

/// The identity of a run: SHA-256 of (paper, arm, tier, seed, canonical config JSON, thread
/// count, the target's version), first 16 hex digits. The thread count is in it because the core
/// splits its sums over that many workers, so another count changes the numbers in the last
/// digits: one store never mixes counts under one identity. The target's `version` is bumped by
/// a change that alters its results, so older runs stop counting; version 1 adds nothing to the
/// hash, which keeps the identities of runs made before targets had versions. The commit is
/// recorded with the run but deliberately not hashed (see `currentCodeVersion`).
public func runFingerprint(paper: String, arm: String, tier: Tier, seed: Int, configJSON: String, threads: Int,
                           version: Int = 1) -> String {
    var fields = [paper, arm, tier.rawValue, String(seed), configJSON, "threads=\(threads)"]
    if version != 1 { fields.append("version=\(version)") }
    let text = fields.joined(separator: "\u{1F}")
    return String(SHA256.hex(Array(text.utf8)).prefix(16))
}

/// The thread count most of the current runs among `runs` were made with (ties: the smaller),
/// so a verdict reads runs of one count; 0 when there are none. A run is current when its
/// fingerprint is that of its arm's configuration in `arms` at its recorded thread count.
public func prevailingThreadCount(_ runs: [RunResult], arms: [ArmSpec], paper: String, tier: Tier, version: Int = 1) -> Int {
    let configs = Dictionary(arms.map { ($0.arm, $0.configJSON) }, uniquingKeysWith: { a, _ in a })
    let current = runs.filter { r in
        configs[r.arm].map {
            runFingerprint(paper: paper, arm: r.arm, tier: tier, seed: r.seed, configJSON: $0, threads: r.environment.threads,
                           version: version) == r.fingerprint
        } ?? false
    }
    let counts = Dictionary(grouping: current, by: \.environment.threads).mapValues(\.count)
    return counts.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key ?? 0
}
