import Foundation
import Harness
import LMCore

/// Guo et al. 2024 in miniature: pre-train on general English with a share of quiz-format lines,
/// continue on a specialist pool, and watch the held-out medical quiz loss rise and recover (the
/// stability gap); then test the three data strategies that are meant to shorten it. See README.md.
public struct StabilityGapTarget: ReplicationTarget {
    public init() {}

    public let key = "stability-gap"
    /// 2: batches always shuffled (the stream-order option is gone).
    public let version = 2
    public let citation = "Y. Guo, J. Fu, H. Zhang, D. Zhao, Y. Shen. Efficient Continual Pre-training by Mitigating the Stability Gap. arXiv 2406.14833 (v2, 2024); ACL 2025 as \"Efficient Domain Continual pretraining by Mitigating the Stability Gap\"."
    public let summary = """
        Continual pre-training on a new domain first lowers domain-task performance, then recovers (the "stability gap"); \
        a few epochs on a small high-quality subset, mixed with data like the pre-training corpus, shorten the gap and \
        end higher with 40% of the compute. The miniature keeps the two-phase protocol, the re-warm to the upstream peak \
        with 10% warmup, Adam reset, the arms (full pass, 0.1× LR, 40%-compute control, Strategies I–III, 10% replay) and \
        the KenLM-style perplexity filter (a byte-trigram model on a medical reference corpus); it replaces OpenLLaMA-3B \
        and medical QA accuracy by a 474k-parameter byte-level GPT pre-trained on dictionary English with 10% quiz lines, \
        and the accuracy by the quiz-answer loss on held-out medical headwords (accuracy is report-only: chance level here).
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    // MARK: run matrix

    /// The continual arms, each from the final upstream checkpoint; the raw value is the arm's name
    /// in runs, reports and claims.
    enum Arm: String, CaseIterable {
        case G0, G0mix, G0lo, G0s, G1, G2, G3, G4, G5, G6
    }

    /// Continual arms of a tier (besides `upstream`).
    static func continualArms(_ tier: Tier) -> [Arm] {
        switch tier {
        case .smoke: return [.G0, .G3]
        case .default: return defaultArms
        case .extended: return defaultArms + [.G6]
        }
    }
    static let defaultArms: [Arm] = [.G0, .G0mix, .G0lo, .G0s, .G1, .G2, .G3, .G4, .G5]

    public func arms(for tier: Tier) -> [ArmSpec] {
        let s = Design.scale(tier)
        var arms = [ArmSpec("upstream", config: Self.upstreamConfig(s))]
        for arm in Self.continualArms(tier) {
            arms.append(ArmSpec(arm.rawValue, config: Self.continualConfig(arm, s), dependencies: ["upstream"]))
        }
        return arms
    }

    /// Upstream pre-training on the mix: 1% warmup, cosine 2e-3 → 2e-4, final checkpoint kept.
    static func upstreamConfig(_ s: Design.Scale) -> ArmConfig {
        let t = s.upstreamSteps
        return ArmConfig(model: Design.model, batchSize: Design.batchSize, steps: t, peak: Design.peak,
                         floor: Design.minLRRatio * Design.peak, warmup: Design.warmupSteps(fraction: 0.01, total: t),
                         data: .upstream, subsetBytes: 0, startArm: nil, startStep: 0,
                         evalSteps: Array(stride(from: 0, through: t, by: s.upstreamEvalEvery)),
                         validationBatches: s.validationBatches, medItems: s.medItems, genItems: s.genItems, snapshots: [t])
    }

    /// Subset size S = 0.2 × the continual phase's tokens (92 KB at T1 = 450).
    static func subsetBytes(_ s: Design.Scale, fraction: Double = Design.subsetFraction) -> Int {
        Int((fraction * Double(s.continualSteps * Design.batchSize * Design.model.contextLength)).rounded())
    }

    /// A continual phase of T1 steps from the final upstream checkpoint, Adam reset, re-warm to
    /// the upstream peak with 10% warmup and cosine to 10%, unless the arm says otherwise.
    static func continualConfig(_ arm: Arm, _ s: Design.Scale) -> ArmConfig {
        let t = s.continualSteps
        var cfg = ArmConfig(model: Design.model, batchSize: Design.batchSize, steps: t, peak: Design.peak,
                            floor: Design.minLRRatio * Design.peak, warmup: Design.warmupSteps(fraction: 0.1, total: t),
                            data: .pool, subsetBytes: subsetBytes(s), startArm: "upstream", startStep: s.upstreamSteps,
                            evalSteps: s.evalSteps, validationBatches: s.validationBatches, medItems: s.medItems,
                            genItems: s.genItems, snapshots: [])
        switch arm {
        case .G0: cfg.subsetBytes = 0
        case .G0mix: cfg.data = .upstreamMix; cfg.subsetBytes = 0   // the same-mix control: the re-warm alone
        case .G0lo:
            cfg.subsetBytes = 0
            cfg.peak = Design.minLRRatio * Design.peak; cfg.floor = Design.minLRRatio * cfg.peak
        case .G0s:
            // The compute-matched control: 40% of the steps, its own 10% warmup and cosine.
            cfg.subsetBytes = 0
            cfg.steps = Int((0.4 * Double(t)).rounded())
            cfg.warmup = Design.warmupSteps(fraction: 0.1, total: cfg.steps)
            cfg.evalSteps = Design.evalSteps(s, steps: cfg.steps)
        case .G1: cfg.data = .random
        case .G2: cfg.data = .hq
        case .G3: cfg.data = .hqMix
        case .G4: cfg.data = .poolReplay; cfg.subsetBytes = 0
        case .G5: cfg.data = .hqReplay
        case .G6: cfg.data = .hq; cfg.subsetBytes = subsetBytes(s, fraction: Design.smallSubsetFraction)
        }
        return cfg
    }

    public func run(_ context: RunContext) throws {
        try ArmRun.run(try context.config(ArmConfig.self), context: context)
    }

    // MARK: claim metrics

    public var metricNames: [String] { Metrics.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        Metrics.compute(seed, scale: Design.scale(tier))
    }

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] {
        StabilityGapFigures.all(results, scale: Design.scale(results.tier))
    }
}
