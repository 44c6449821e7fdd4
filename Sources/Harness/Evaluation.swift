import Foundation

/// The claims of one (paper, tier) judged from the store: what `verify` prints and the report shows.
public struct Evaluation: Sendable {
    public let target: any ReplicationTarget
    public let tier: Tier
    public let results: TierResults
    /// Claims evaluated in this tier, in file order (gated and report-only).
    public let claims: [ClaimResult]
    /// Arm → runs found for it (current fingerprints only), by seed.
    public let matrix: [(arm: String, runs: [RunResult])]

    public var gatedFailures: [ClaimResult] { claims.filter { $0.gated && $0.verdict == .fail } }
    /// Gated claims without any value: the runs are missing, so nothing was verified.
    public var gatedMissing: [ClaimResult] { claims.filter { $0.gated && $0.verdict == .noData } }

    /// Judge `target`'s claims in `tier` from `store`. Only runs whose fingerprint matches the
    /// current run matrix count (a run made with an older config is ignored, not mixed in).
    public static func evaluate(_ target: any ReplicationTarget, tier: Tier, store: ResultsStore) throws -> Evaluation {
        let claimsFile = try target.loadClaims()
        let stored = try store.runs(paper: target.key, tier: tier)
        let arms = try RunPlan.ordered(target.arms(for: tier), paper: target.key)
        let byFingerprint = Dictionary(stored.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let threads = prevailingThreadCount(stored, arms: arms, paper: target.key, tier: tier)
        var seeds: [SeedResults] = []
        for seed in Set(stored.map(\.seed)).sorted() {
            var runs: [String: RunResult] = [:]
            for a in arms {
                let fp = runFingerprint(paper: target.key, arm: a.arm, tier: tier, seed: seed, configJSON: a.configJSON,
                                        threads: threads)
                if let r = byFingerprint[fp], r.status == "complete" { runs[a.arm] = r }
            }
            if !runs.isEmpty { seeds.append(SeedResults(seed: seed, runs: runs)) }
        }
        var metrics: [Int: [String: Double]] = [:]
        for s in seeds { metrics[s.seed] = (try? target.metrics(for: s, tier: tier)) ?? [:] }
        let results = TierResults(paper: target.key, tier: tier, seeds: seeds, metrics: metrics)
        let judged = claimsFile.claims.filter { $0.tiers.contains(tier) }.map {
            ClaimResult.judge($0, tier: tier, perSeed: metrics)
        }
        let matrix = arms.map { a in (a.arm, seeds.compactMap { $0.runs[a.arm] }) }
        return Evaluation(target: target, tier: tier, results: results, claims: judged, matrix: matrix)
    }

    public var seedList: [Int] { results.seeds.map(\.seed) }

    /// The verdict table as plain text (for `replicate verify`).
    public var table: String {
        var lines = ["\(target.key) tier=\(tier.rawValue) seeds=\(seedList.map(String.init).joined(separator: ","))"]
        for c in claims {
            lines.append("\(c.claim.id)  \(c.label)  [\(c.claim.transfer.rawValue)]")
            for r in c.conditions {
                lines.append("    \(r.condition.metric) = \(Evaluation.ours(r.summary))  band \(r.condition.band.text)  → \(r.verdict.rawValue)")
            }
        }
        let counts = Dictionary(grouping: claims.filter(\.gated), by: \.verdict).mapValues(\.count)
        lines.append("gated: " + [Verdict.pass, .fail, .inconclusive, .noData].map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                     + "; report only: \(claims.filter { !$0.gated }.count)")
        return lines.joined(separator: "\n")
    }

    /// "0.1234 ± 0.0100 (n=3)", "0.1234 (n=1)", "no data".
    static func ours(_ s: SampleSummary) -> String {
        guard s.n > 0 else { return "no data" }
        return s.n == 1 ? "\(formatNumber(s.mean)) (n=1)" : "\(formatNumber(s.mean)) ± \(formatNumber(s.halfWidth)) (n=\(s.n))"
    }
}

extension Evaluation {
    /// Runs one tier of a target into a throwaway results store and evaluates it: what each
    /// paper's smoke gate in `swift test` checks. Returns the runs that failed (one line each).
    public static func freshRun(_ target: any ReplicationTarget, tier: Tier = .smoke,
                                seeds: [Int] = [1]) throws -> (failedRuns: [String], evaluation: Evaluation) {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(target.key)-\(tier.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try ResultsStore(path: dir.appendingPathComponent("results.sqlite").path)
        let summary = try Runner(target: target, store: store, options: RunOptions(tier: tier, seeds: seeds, verbose: false)).run()
        return (summary.failed, try evaluate(target, tier: tier, store: store))
    }
}
