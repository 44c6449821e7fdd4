import Foundation

/// The claims of one (paper, tier) judged from the store: what `verify` prints and the report shows.
public struct Evaluation: Sendable {
    public let target: any ReplicationTarget
    public let tier: Tier
    /// The seeds the claims file registers for this tier.
    public let registeredSeeds: [Int]
    /// The power analysis those counts came from.
    public let seedAnalysis: String?
    public let results: TierResults
    /// Claims evaluated in this tier, in file order (gated and report-only).
    public let claims: [ClaimResult]
    /// Arm → runs found for it (current fingerprints only), by seed.
    public let matrix: [(arm: String, runs: [RunResult])]
    /// The claims file's claims that this tier does not judge (each names the tiers that do).
    public let otherTierClaims: [Claim]

    public var gatedFailures: [ClaimResult] { claims.filter { $0.gated && $0.verdict == .fail } }
    /// Gated claims without any value: the runs are missing, so nothing was verified.
    public var gatedMissing: [ClaimResult] { claims.filter { $0.gated && $0.verdict == .noData } }

    /// What `verify` fails on, one line per claim: a gated claim without data, a mechanics claim
    /// that does not PASS, or a verdict other than its expectation (either direction).
    public var differences: [String] {
        claims.compactMap { c in
            guard let expected = c.expected else { return nil }
            if c.verdict == .noData { return "\(c.claim.id): no data (gated claim)" }
            if c.claim.mechanics && c.verdict != .pass { return "\(c.claim.id): mechanics claim \(c.verdict.rawValue), must PASS" }
            if c.verdict != expected { return "\(c.claim.id): \(c.verdict.rawValue), expected \(expected.rawValue)" }
            return nil
        }
    }

    /// `replicate verify`'s exit status: 0 when nothing differs from the expectations, else 1.
    public var verifyExitCode: Int32 { differences.isEmpty ? 0 : 1 }

    /// The judged seeds are the registered ones.
    public var onRegisteredSeeds: Bool { seedList == registeredSeeds }

    /// One line for report and verify when the seeds are not the registered ones; nil when they are.
    public var seedWarning: String? {
        guard !onRegisteredSeeds, !seedList.isEmpty else { return nil }
        return "seeds \(seedListText(seedList)) are not the \(registeredSeeds.count) registered for this tier "
            + "(\(seedListText(registeredSeeds))): verdicts and expectations hold for the registered set"
    }

    /// Judge `target`'s claims in `tier` from `store`. Only runs whose fingerprint matches the
    /// current run matrix count (a run made with an older config is ignored, not mixed in).
    public static func evaluate(_ target: any ReplicationTarget, tier: Tier, store: ResultsStore) throws -> Evaluation {
        let claimsFile = try target.loadClaims()
        let stored = try store.runs(paper: target.key, tier: tier)
        let arms = try RunPlan.ordered(target.arms(for: tier), paper: target.key)
        let byFingerprint = Dictionary(stored.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let threads = prevailingThreadCount(stored, arms: arms, paper: target.key, tier: tier, version: target.version)
        var seeds: [SeedResults] = []
        for seed in Set(stored.map(\.seed)).sorted() {
            var runs: [String: RunResult] = [:]
            for a in arms {
                let fp = runFingerprint(paper: target.key, arm: a.arm, tier: tier, seed: seed, configJSON: a.configJSON,
                                        threads: threads, version: target.version)
                if let r = byFingerprint[fp], r.status == "complete" { runs[a.arm] = r }
            }
            if !runs.isEmpty { seeds.append(SeedResults(seed: seed, runs: runs)) }
        }
        var metrics: [Int: [String: Double]] = [:]
        for s in seeds { metrics[s.seed] = try target.checkedMetrics(for: s, tier: tier) }
        let results = TierResults(paper: target.key, tier: tier, seeds: seeds, metrics: metrics)
        let judged = ClaimResult.judgeWithControls(claimsFile.claims.filter { $0.tiers.contains(tier) }, tier: tier,
                                                   perSeed: metrics)
        let matrix = arms.map { a in (a.arm, seeds.compactMap { $0.runs[a.arm] }) }
        return Evaluation(target: target, tier: tier, registeredSeeds: claimsFile.seeds.seeds(for: tier),
                          seedAnalysis: claimsFile.seedAnalysis, results: results, claims: judged, matrix: matrix,
                          otherTierClaims: claimsFile.claims.filter { !$0.tiers.contains(tier) })
    }

    public var seedList: [Int] { results.seeds.map(\.seed) }

    /// The verdict table as plain text (for `replicate verify`): each claim with its expectation,
    /// "← CHANGED" where the verdict differs from it.
    public var table: String {
        var lines = ["\(target.key) tier=\(tier.rawValue) seeds=\(seedList.map(String.init).joined(separator: ",")) "
                     + "(registered: \(seedListText(registeredSeeds)))"]
        if let w = seedWarning { lines.append("note: " + w) }
        for c in claims {
            var line = "\(c.claim.id)  \(c.label)  [\(c.claim.transfer.rawValue)]"
            if let e = c.expected { line += c.claim.mechanics ? "  mechanics" : "  expected \(e.rawValue)" }
            if let e = c.expected, e != c.verdict { line += "  ← CHANGED" }
            lines.append(line)
            for r in c.conditions {
                lines.append("    \(r.condition.metric) = \(r.oursText)  band \(r.condition.band.text)  → \(r.verdict.rawValue)")
            }
        }
        let counts = Dictionary(grouping: claims.filter(\.gated), by: \.verdict).mapValues(\.count)
        lines.append("gated: " + [Verdict.pass, .fail, .inconclusive, .noData].map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                     + "; report only: \(claims.filter { !$0.gated }.count); "
                     + (differences.isEmpty ? "every verdict as expected" : "\(differences.count) differ from the expectations"))
        return lines.joined(separator: "\n")
    }
}

extension Evaluation {
    /// Runs one tier of a target into a throwaway results store and evaluates it: what each
    /// paper's smoke gate in `swift test` checks. Returns the runs that failed (one line each).
    /// `seeds`: the registered ones when nil.
    public static func freshRun(_ target: any ReplicationTarget, tier: Tier = .smoke,
                                seeds: [Int]? = nil) throws -> (failedRuns: [String], evaluation: Evaluation) {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(target.key)-\(tier.rawValue)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try ResultsStore(path: dir.appendingPathComponent("results.sqlite").path)
        let seeds = try seeds ?? RunPlan.seeds(target, tier: tier, override: nil)
        let summary = try Runner(target: target, store: store, options: RunOptions(tier: tier, seeds: seeds, verbose: false)).run()
        return (summary.failed, try evaluate(target, tier: tier, store: store))
    }
}

extension ReplicationTarget {
    /// `metrics(for:tier:)` with its failures made loud: a throw or a name outside `metricNames`
    /// becomes one line naming the paper, tier, seed and metric, never a silent NO DATA.
    public func checkedMetrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        func failure(_ metric: String?, _ problem: String) -> HarnessError {
            .metricFailed(paper: key, tier: tier.rawValue, seed: seed.seed, metric: metric, problem: problem)
        }
        let values: [String: Double]
        do { values = try metrics(for: seed, tier: tier) } catch let e as HarnessError {
            throw e
        } catch {
            throw failure((error as? MetricError)?.metric, (error as? MetricError)?.problem ?? "\(error)")
        }
        let known = Set(metricNames)
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw failure(unknown, "computed but not declared in metricNames")
        }
        return values
    }
}

/// What a paper's metric code throws when one metric cannot be computed from runs that are there.
public struct MetricError: Error, CustomStringConvertible {
    public let metric: String
    public let problem: String
    public init(_ metric: String, _ problem: String) { self.metric = metric; self.problem = problem }
    public var description: String { "metric \(metric): \(problem)" }
}
