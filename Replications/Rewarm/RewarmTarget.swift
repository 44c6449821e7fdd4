import Foundation
import Harness
import LMCore

/// Gupta et al. 2023 (with Ibrahim et al. 2024's replay and infinite schedules) in miniature:
/// pre-train on general English, continue on computing text, and vary how the learning rate is
/// re-warmed and re-decayed. See README.md in this folder.
public struct RewarmTarget: ReplicationTarget {
    public init() {}

    public let key = "rewarm"
    /// 2: batches always shuffled (the stream-order option is gone) and the training log every 5 steps.
    public let version = 2
    public let citation = "K. Gupta, B. Thérien, A. Ibrahim, M. L. Richter, Q. Anthony, E. Belilovsky, I. Rish, T. Lesort. Continual Pre-Training of Large Language Models: How to (re)warm your model? ES-FoMo @ ICML 2023 (arXiv 2308.04014); with A. Ibrahim et al., Simple and Scalable Strategies to Continually Pre-train Large Language Models, TMLR 2024 (arXiv 2403.08763)."
    public let summary = """
        Continuing a pre-trained LM on new data needs the learning rate re-warmed and re-decayed: the re-warm first raises \
        the loss (more for a larger maximum LR), the warmup length hardly matters, the maximum LR trades adaptation against \
        forgetting, a constant small LR forgets least but adapts worst, and replaying a few percent of the old data removes \
        most forgetting (Ibrahim et al.). The miniature keeps the two-phase protocol, AdamW with its state reset at the switch, \
        warmup + cosine to 0.1 × peak, the arms and the loss-only evaluation; it replaces Pythia-410M on the Pile → SlimPajama \
        by a 474k-parameter byte-level GPT on general English (GCIDE-U, 1.5M tokens) → computing text (FOLDOC-F, 0.46M tokens), \
        a stronger shift at 1/10⁵ of the tokens.
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    // MARK: run matrix

    /// The continual arms (each starts from an upstream checkpoint unless it says otherwise); the
    /// raw value is the arm's name in runs, reports and claims.
    enum Arm: String, CaseIterable {
        case const, lr05 = "lr0.5", lr1, lr2, wu0, wu05 = "wu0.5", wu2, same1, same2, rep1, rep5, rep25
        case scratch, ck25, ck50
        case lr1Keep = "lr1-keep", weakConst = "weak-const", weakLR1 = "weak-lr1", weakLR2 = "weak-lr2", inf, union
    }

    /// Continual arms of a tier (besides `upstream`).
    static func continualArms(_ tier: Tier) -> [Arm] {
        switch tier {
        // Smoke: three arms (A1, A3). The replay mechanics (M4) are checked without training, on
        // the rep1/rep5/rep25 sequence tables of the default tier (RewarmTests).
        case .smoke: return [.lr1, .wu0, .wu2]
        case .default: return defaultArms
        case .extended: return defaultArms + [.lr1Keep, .weakConst, .weakLR1, .weakLR2, .inf, .union]
        }
    }
    /// The 12 arms of the paper's sweeps plus the ones the robust checks need: scratch (A9) and
    /// the earlier upstream checkpoints ck25/ck50 (A12).
    static let defaultArms: [Arm] = [.const, .lr05, .lr1, .lr2, .wu0, .wu05, .wu2, .same1, .same2, .rep1, .rep5, .rep25,
                                     .scratch, .ck25, .ck50]
    static let replayArms: [(percent: Double, arm: String)] = [(0, "lr1"), (1, "rep1"), (5, "rep5"), (25, "rep25")]

    public func arms(for tier: Tier) -> [ArmSpec] {
        let s = Design.scale(tier)
        var arms = [ArmSpec("upstream", config: Self.upstreamConfig(s, infinite: false))]
        if tier == .extended { arms.append(ArmSpec("upstream-inf", config: Self.upstreamConfig(s, infinite: true))) }
        for arm in Self.continualArms(tier) {
            let cfg = Self.continualConfig(arm, s)
            arms.append(ArmSpec(arm.rawValue, config: cfg, dependencies: cfg.startArm.map { [$0] } ?? []))
        }
        return arms
    }

    /// Upstream pre-training on U: 1% warmup, cosine 2e-3 → 2e-4; checkpoints at 25%, 50%, 100%.
    /// The infinite variant cools down to 0.55 × peak over 60% of the steps and stays there (no anneal).
    static func upstreamConfig(_ s: Design.Scale, infinite: Bool) -> ArmConfig {
        let t = s.upstreamSteps, peak = Design.upstreamPeak
        var schedule = ScheduleSpec(kind: .warmupCosine, peak: peak, floor: Design.minLRRatio * peak,
                                    warmup: Design.warmupSteps(fraction: 0.01, total: t), total: t)
        if infinite {
            schedule.kind = .infiniteUpstream
            schedule.plateau = 0.55 * peak
            schedule.cooldown = Int((0.6 * Double(t)).rounded()) - schedule.warmup
        }
        let snapshots = [t / 4, t / 2, t]
        return ArmConfig(model: Design.model, batchSize: Design.batchSize, steps: t, schedule: schedule, data: .upstream,
                         replayFraction: 0, upstreamSteps: t, startArm: nil, startStep: 0, optimizer: .reset,
                         evalSteps: Array(Set(Array(stride(from: 0, through: t, by: s.upstreamEvalEvery)) + snapshots)).sorted(),
                         validation: ["U", "F"], validationBatches: s.validationBatches, snapshots: snapshots)
    }

    /// A continual phase of T1 steps from the final upstream checkpoint on F, Adam reset, re-warm
    /// with 1% warmup and cosine to 0.1 × peak, unless the arm says otherwise.
    static func continualConfig(_ arm: Arm, _ s: Design.Scale) -> ArmConfig {
        let t = s.continualSteps, t0 = s.upstreamSteps, base = s.warmupBase
        let lr1 = Design.upstreamPeak
        var cfg = ArmConfig(model: Design.model, batchSize: Design.batchSize, steps: t,
                            schedule: .rewarm(peak: lr1, warmupFraction: 0.01, total: t, warmupBase: base), data: .downstream,
                            replayFraction: 0, upstreamSteps: t0, startArm: "upstream", startStep: t0, optimizer: .reset,
                            evalSteps: s.evalSteps, validation: ["U", "F"], validationBatches: s.validationBatches, snapshots: [])
        switch arm {
        case .const: cfg.schedule = .constant(Design.minLRRatio * lr1, total: t)
        case .lr05: cfg.schedule = .rewarm(peak: 0.5 * lr1, warmupFraction: 0.01, total: t, warmupBase: base)
        case .lr1: break
        case .lr2: cfg.schedule = .rewarm(peak: 2 * lr1, warmupFraction: 0.01, total: t, warmupBase: base)
        case .wu0: cfg.schedule = .rewarm(peak: lr1, warmupFraction: 0, total: t, warmupBase: base)
        case .wu05: cfg.schedule = .rewarm(peak: lr1, warmupFraction: 0.005, total: t, warmupBase: base)
        case .wu2: cfg.schedule = .rewarm(peak: lr1, warmupFraction: 0.02, total: t, warmupBase: base)
        case .same1: cfg.data = .sameData
        case .same2: cfg.data = .sameData; cfg.schedule = .rewarm(peak: 2 * lr1, warmupFraction: 0.01, total: t, warmupBase: base)
        case .rep1: cfg.replayFraction = 0.01
        case .rep5: cfg.replayFraction = 0.05
        case .rep25: cfg.replayFraction = 0.25
        case .scratch: cfg.startArm = nil; cfg.startStep = 0
        case .ck25: cfg.startStep = t0 / 4
        case .ck50: cfg.startStep = t0 / 2
        case .lr1Keep: cfg.optimizer = .keep
        case .weakConst:
            cfg.data = .weakShift; cfg.validation = ["U", "F", "MN"]; cfg.schedule = .constant(Design.minLRRatio * lr1, total: t)
        case .weakLR1: cfg.data = .weakShift; cfg.validation = ["U", "F", "MN"]
        case .weakLR2:
            cfg.data = .weakShift; cfg.validation = ["U", "F", "MN"]; cfg.schedule = .rewarm(peak: 2 * lr1, warmupFraction: 0.01, total: t, warmupBase: base)
        case .inf:
            // No re-warm: continue at η_const for 80% of the phase, then anneal exponentially to 2e-4.
            // The optimizer state continues too (nothing is restarted at the switch).
            cfg.startArm = "upstream-inf"; cfg.optimizer = .keep
            cfg.schedule = ScheduleSpec(kind: .infiniteContinual, peak: 0.55 * lr1, floor: Design.minLRRatio * lr1, warmup: 0,
                                        total: t, plateau: 0.55 * lr1, annealStart: Int((0.8 * Double(t)).rounded()))
        case .union:
            cfg.startArm = nil; cfg.startStep = 0; cfg.data = .union; cfg.steps = t0 + t
            cfg.schedule = .rewarm(peak: lr1, warmupFraction: 0.01, total: t0 + t)
            cfg.evalSteps = [t0 + t]
        }
        return cfg
    }

    public func run(_ context: RunContext) throws {
        try ContinualRun.run(try context.config(ArmConfig.self), context: context)
    }

    // MARK: claim metrics

    public var metricNames: [String] { Metrics.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        Metrics.compute(seed, scale: Design.scale(tier))
    }

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] {
        RewarmFigures.all(results, scale: Design.scale(results.tier))
    }
}
