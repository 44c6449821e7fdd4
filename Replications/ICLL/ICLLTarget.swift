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

    public var metricNames: [String] { Self.vocabulary.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        try Self.vocabulary.values(seed, tier: tier)
    }

    /// Every metric the claims read, by check: accuracies and TVDs of the architectures and of
    /// the reference lines (the in-context n-gram baselines).
    static let vocabulary: MetricVocabulary = {
        func base(_ name: String) -> Measured { Measured(baselinesArm, name) }
        let tf = armName(.transformer), lstm = armName(.lstm), ng = armName(.lstmNGram)
        func of(_ arm: String, _ name: String) -> Measured { Measured(arm, name) }
        return MetricVocabulary([
            // I0, I0b: the reference lines.
            .value("i0_acc_3gram", base("acc_3gram")),
            .value("i0_acc_2gram", base("acc_2gram")),
            .difference("i0_acc_gap", base("acc_3gram"), base("acc_2gram")),
            .value("i0_tvd_3gram", base("tvd_3gram")),
            .value("i0b_acc_3gram", base("paper_acc_3gram")),
            .value("i0b_tvd_3gram", base("paper_tvd_3gram")),
            .value("i0b_acc_2gram", base("paper_acc_2gram")),
            // Per-architecture numbers (shown in the report).
            .value("acc_tf", of(tf, "accuracy")), .value("tvd_tf", of(tf, "tvd")),
            .value("acc_lstm", of(lstm, "accuracy")), .value("tvd_lstm", of(lstm, "tvd")),
            .value("acc_lstm_ng", of(ng, "accuracy")), .value("tvd_lstm_ng", of(ng, "tvd")),
            // I1: Transformer against LSTM.
            .difference("i1_acc_gap", of(tf, "accuracy"), of(lstm, "accuracy")),
            .difference("i1_tvd_gap", of(tf, "tvd"), of(lstm, "tvd")),
            // I2: the Transformer against the reference lines.
            .difference("i2_tvd_excess", of(tf, "tvd"), base("tvd_3gram")),
            .difference("i2_acc_over_2gram", of(tf, "accuracy"), base("acc_2gram")),
            .difference("i2_acc_over_3gram", of(tf, "accuracy"), base("acc_3gram")),
            // I3: static n-gram layers lift the LSTM.
            .difference("i3_lift", of(ng, "accuracy"), of(lstm, "accuracy")),
            .difference("smoke_ng_lift", of(ng, "accuracy"), of(lstm, "accuracy")).only(in: .smoke),
            .difference("i3_acc_vs_3gram", of(ng, "accuracy"), base("acc_3gram")),
            // I4: the Transformer is closer to the in-context 3-gram than the LSTM.
            .difference("i4_tvd3_gap", of(tf, "tvd_to_3gram"), of(lstm, "tvd_to_3gram")),
            // I5: the most n-gram-like head of the last layer.
            .value("i5_head_mass", of(tf, "ngram_head_mass")),
            .value("i5_uniform_mass", of(tf, "ngram_head_uniform")),
        ])
    }()

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { ICLLFigures.all(results) }
}
