import Corpora
import Foundation
import Harness
import LMCore

/// Akyürek et al. 2024 in miniature: on random regular languages learned in context (REGBENCH),
/// a small Transformer beats an LSTM and reaches the in-context 3-gram baseline, and static
/// n-gram layers lift the LSTM above that baseline. See README.md in this folder.
public struct ICLLTarget: ReplicationTarget {
    public init() {}

    public let key = "icll"
    public let citation = "E. Akyürek, B. Wang, Y. Kim, J. Andreas. In-Context Language Learning: Architectures and Algorithms. ICML 2024 (arXiv 2401.12973)."
    public let summary = """
        Trained to predict the next symbol of strings from a regular language seen only in its context (REGBENCH), \
        Transformers beat recurrent and state-space models, behave like in-context n-gram estimators (with "n-gram heads"), \
        and hard-wired static n-gram layers close the gap for weaker architectures. The miniature keeps uniform-PFA \
        sampling without self-loops, 1–3 edges per state, disjoint train/test automata, masked separator targets, the \
        exact accuracy/TVD metrics and the exact backoff rule of the n-gram baseline; it shrinks the alphabet 18 → 8 letters, \
        states ≤ 12 → ≤ 8, instances to 6–10 strings of length 1–15 (≈70 tokens), training to 2,000 instances, and the models \
        to a 2-layer d = 32 Transformer, a d = 64 LSTM and that LSTM with n-gram blocks of orders 1–3 (≈31k–59k parameters).
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    static let baselinesArm = "baselines"
    static func armName(_ a: Architecture) -> String { a.rawValue }

    public func arms(for tier: Tier) -> [ArmSpec] {
        [ArmSpec(Self.baselinesArm, config: BaselineConfig.for(tier))]
            + (tier == .smoke ? [Architecture.lstm, .lstmNGram] : [.transformer, .lstm, .lstmNGram])
                .map { ArmSpec(Self.armName($0), config: ModelConfig.for(tier, $0)) }
    }

    public func run(_ context: RunContext) throws {
        if context.arm == Self.baselinesArm {
            try ClosedFormBaselines.run(try context.config(BaselineConfig.self), context: context)
        } else {
            try ModelRun.run(try context.config(ModelConfig.self), context: context)
        }
    }

    // MARK: claim metrics

    public var metricNames: [String] {
        ["i0_acc_3gram", "i0_acc_2gram", "i0_acc_gap", "i0_tvd_3gram",
         "i0b_acc_3gram", "i0b_tvd_3gram", "i0b_acc_2gram",
         "i1_acc_gap", "i1_tvd_gap", "i2_tvd_excess", "i2_acc_over_2gram", "i2_acc_over_3gram",
         "i3_lift", "i3_acc_vs_3gram", "i4_tvd3_gap", "i5_head_mass", "i5_uniform_mass",
         "acc_tf", "acc_lstm", "acc_lstm_ng", "tvd_tf", "tvd_lstm", "tvd_lstm_ng", "smoke_ng_lift"]
    }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var out: [String: Double] = [:]
        func m(_ arm: String, _ name: String) -> Double? { seed.runs[arm]?.measurements[name] }
        let base = Self.baselinesArm
        let tf = Self.armName(.transformer), lstm = Self.armName(.lstm), ng = Self.armName(.lstmNGram)
        // I0, I0b: the reference lines
        if let a3 = m(base, "acc_3gram"), let a2 = m(base, "acc_2gram"), let t3 = m(base, "tvd_3gram") {
            out["i0_acc_3gram"] = a3; out["i0_acc_2gram"] = a2; out["i0_acc_gap"] = a3 - a2; out["i0_tvd_3gram"] = t3
        }
        out["i0b_acc_3gram"] = m(base, "paper_acc_3gram")
        out["i0b_tvd_3gram"] = m(base, "paper_tvd_3gram")
        out["i0b_acc_2gram"] = m(base, "paper_acc_2gram")
        // Per-architecture numbers (shown in the report)
        out["acc_tf"] = m(tf, "accuracy"); out["tvd_tf"] = m(tf, "tvd")
        out["acc_lstm"] = m(lstm, "accuracy"); out["tvd_lstm"] = m(lstm, "tvd")
        out["acc_lstm_ng"] = m(ng, "accuracy"); out["tvd_lstm_ng"] = m(ng, "tvd")
        // I1: Transformer vs LSTM
        if let at = m(tf, "accuracy"), let al = m(lstm, "accuracy") { out["i1_acc_gap"] = at - al }
        if let tt = m(tf, "tvd"), let tl = m(lstm, "tvd") { out["i1_tvd_gap"] = tt - tl }
        // I2: Transformer against the reference lines
        if let tt = m(tf, "tvd"), let t3 = m(base, "tvd_3gram") { out["i2_tvd_excess"] = tt - t3 }
        if let at = m(tf, "accuracy"), let a2 = m(base, "acc_2gram") { out["i2_acc_over_2gram"] = at - a2 }
        if let at = m(tf, "accuracy"), let a3 = m(base, "acc_3gram") { out["i2_acc_over_3gram"] = at - a3 }
        // I3: static n-gram layers lift the LSTM
        if let an = m(ng, "accuracy"), let al = m(lstm, "accuracy") {
            out["i3_lift"] = an - al
            if tier == .smoke { out["smoke_ng_lift"] = an - al }
        }
        if let an = m(ng, "accuracy"), let a3 = m(base, "acc_3gram") { out["i3_acc_vs_3gram"] = an - a3 }
        // I4: the Transformer is closer to the in-context 3-gram than the LSTM
        if let dt = m(tf, "tvd_to_3gram"), let dl = m(lstm, "tvd_to_3gram") { out["i4_tvd3_gap"] = dt - dl }
        // I5: the most n-gram-like head of the last layer
        out["i5_head_mass"] = m(tf, "ngram_head_mass")
        out["i5_uniform_mass"] = m(tf, "ngram_head_uniform")
        return out
    }

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { ICLLFigures.all(results) }
}
