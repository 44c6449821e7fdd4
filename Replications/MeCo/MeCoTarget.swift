import Corpora
import Foundation
import Harness
import LMCore

/// Gao et al. 2025 (MeCo) in miniature: documents are conditioned on their source's metadata
/// (masked from the loss) for the first 90% of training, then a cooldown on plain documents of a
/// disjoint pool finishes the same cosine schedule with the same optimizer. The data is a mixture
/// of Markov sources whose exact Bayes losses are known. See README.md in this folder.
public struct MeCoTarget: ReplicationTarget {
    public init() {}

    public let key = "meco"
    public let citation = "T. Gao, A. Wettig, L. He, Y. Dong, S. Malladi, D. Chen. Metadata Conditioning Accelerates Language Model Pre-training. ICML 2025 (arXiv 2501.01956)."
    public let summary = """
        Prepending each document's URL domain (masked from the loss) for the first 90% of pre-training and cooling down on \
        plain documents for the last 10% lets a model use metadata at inference and be steered by it, without hurting its \
        unconditional loss; the paper reports matching a 240B-token baseline with 160B tokens (1.6B model). The miniature \
        keeps the template and loss mask, document-masked attention, pack_complete packing, the two-stage schedule with \
        optimizer and LR carried over and a disjoint cooldown pool; it replaces web text by a 48-source Markov mixture \
        (metadata = a 3-symbol source id) with exact Bayes losses, and the model by a 4-layer d = 128 GPT trained for a \
        few minutes. Downstream accuracy becomes loss, continuation choice and source steering.
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    // MARK: run matrix

    /// Steps of T in each tier (STD@1.5T trains 1.5× as long; every step is batch × context tokens).
    static func steps(_ tier: Tier) -> Int { tier == .smoke ? 200 : 480 }

    static func base(_ tier: Tier) -> ArmConfig {
        if tier == .smoke {
            let model = GPTConfig(vocabSize: MarkovMixture.Parameters.smoke.vocabularySize, contextLength: 96, dModel: 32,
                                  nLayers: 2, nHeads: 2, mlpHidden: 128)
            return ArmConfig(msm: .smoke, model: model, batch: 8, steps: steps(tier), peakLR: 3e-3, metadata: nil,
                             stage1Fraction: 0.9, evalDocuments: 96, curvePoints: 4, curveDocuments: 32,
                             steeringSources: 6, steeringSamples: 8, steeringLength: 32, choiceItems: 0, topicClusters: 6,
                             topicFitDocuments: 300, checkpointEvery: 0)
        }
        let msm = MarkovMixture.Parameters()
        let model = GPTConfig(vocabSize: msm.vocabularySize, contextLength: 256, dModel: 128, nLayers: 4, nHeads: 4, mlpHidden: 512)
        return ArmConfig(msm: msm, model: model, batch: 8, steps: steps(tier), peakLR: 3e-3, metadata: nil,
                         stage1Fraction: 0.9, evalDocuments: 256, curvePoints: 8, curveDocuments: 64,
                         steeringSources: 0, steeringSamples: 0, steeringLength: 0, choiceItems: 0, checkpointEvery: 100)
    }

    static func arm(_ tier: Tier, _ edit: (inout ArmConfig) -> Void) -> ArmConfig {
        var c = base(tier); edit(&c); return c
    }

    public func arms(for tier: Tier) -> [ArmSpec] {
        let smoke = tier == .smoke
        func probes(_ c: inout ArmConfig) {
            if !smoke { c.steeringSources = 10; c.steeringSamples = 20; c.steeringLength = 64; c.choiceItems = 200 }
        }
        var arms = [
            ArmSpec("STD", config: Self.arm(tier) { probes(&$0) }),
            ArmSpec("MECO", config: Self.arm(tier) { $0.metadata = .url; probes(&$0) }),
        ]
        if smoke { return arms }
        arms += [
            ArmSpec("URL100", config: Self.arm(tier) { $0.metadata = .url; $0.stage1Fraction = 1; $0.choiceItems = 200 }),
            ArmSpec("STD@1.5T", config: Self.arm(tier) { $0.steps = $0.steps * 3 / 2 }),
            ArmSpec("HASHED", config: Self.arm(tier) { $0.metadata = .hashed }),
        ]
        if tier == .extended {
            arms += [
                ArmSpec("SUFFIX", config: Self.arm(tier) { $0.metadata = .suffix }),
                ArmSpec("TOP", config: Self.arm(tier) { $0.metadata = .top }),
                ArmSpec("FIXED", config: Self.arm(tier) { $0.metadata = .fixed }),
                ArmSpec("TOPIC", config: Self.arm(tier) { $0.metadata = .topic }),
                ArmSpec("MIX", config: Self.arm(tier) { $0.metadata = .url; $0.stage1Fraction = 1; $0.plainMix = 0.1 }),
                ArmSpec("COOL20", config: Self.arm(tier) { $0.metadata = .url; $0.stage1Fraction = 0.8 }),
                ArmSpec("COOL30", config: Self.arm(tier) { $0.metadata = .url; $0.stage1Fraction = 0.7 }),
                ArmSpec("UNMASKED", config: Self.arm(tier) { $0.metadata = .url; $0.maskMetadata = false }),
                ArmSpec("XDOC-STD", config: Self.arm(tier) { $0.documentMask = false }),
                ArmSpec("XDOC-MECO", config: Self.arm(tier) { $0.metadata = .url; $0.documentMask = false }),
                ArmSpec("DEB-STD", config: Self.deb(conditioned: false, stage1: 0.9)),
                ArmSpec("DEB-MECO", config: Self.deb(conditioned: true, stage1: 0.9)),
                ArmSpec("DEB-URL100", config: Self.deb(conditioned: true, stage1: 1)),
            ]
        }
        return arms
    }

    /// The real-text arms: bytes, context 512, the same model, optimizer and schedule.
    static func deb(conditioned: Bool, stage1: Double) -> DebConfig {
        let model = GPTConfig(vocabSize: 258, contextLength: 512, dModel: 128, nLayers: 4, nHeads: 4, mlpHidden: 512)
        return DebConfig(model: model, batch: 8, steps: 480, peakLR: 3e-3, conditioned: conditioned, stage1Fraction: stage1,
                         evalDocuments: 256, evalBytes: 440, checkpointEvery: 100)
    }

    public func run(_ context: RunContext) throws {
        if context.arm.hasPrefix("DEB-") {
            try DebText.run(try context.config(DebConfig.self), context: context)
        } else {
            try Pretraining.run(try context.config(ArmConfig.self), context: context)
        }
    }

    // MARK: claim metrics

    public var metricNames: [String] { Self.vocabulary.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        try Self.vocabulary.values(seed, tier: tier)
    }

    /// Relative conditional benefit Δc = (ℓ_u − ℓ_c)/ℓ_u of an arm.
    static func deltaC(_ s: SeedResults, _ arm: String) -> Double? {
        guard let m = s.runs[arm]?.measurements, let u = m["lu"], let c = m["lc"] else { return nil }
        return (u - c) / u
    }

    /// Data-efficiency ratio r = T/T*, where STD reaches MECO@T's late-position loss at T*
    /// (linear in log-tokens between STD@T and STD@1.5T; clipped to [1/1.5, 1.5]).
    static func dataEfficiency(meco: Double, std: Double, std15: Double) -> Double {
        let slope = (std15 - std) / log(1.5)           // loss change per unit log-tokens (negative if STD improves)
        guard slope < 0 else { return meco <= std ? 1 / 1.5 : 1.5 }
        let logRatio = (meco - std) / slope            // ln(T*/T)
        return min(max(exp(-logRatio), 1 / 1.5), 1.5)
    }

    /// Every metric the claims read, by check. ℓ_u = `lu` (unconditional loss), ℓ_c = `lc`.
    static let vocabulary: MetricVocabulary = {
        @Sendable func lu(_ arm: String) -> Measured { Measured(arm, "lu") }
        @Sendable func meco(_ name: String) -> Measured { Measured("MECO", name) }
        func deltaC(_ name: String, _ arm: String) -> Metric { Metric(name) { s in Self.deltaC(s, arm) } }
        /// Δc(arm) − Δc(MECO).
        func deltaCOverMeco(_ name: String, _ arm: String) -> Metric {
            Metric(name) { s in Self.deltaC(s, "MECO").flatMap { dc in Self.deltaC(s, arm).map { $0 - dc } } }
        }
        /// (ℓ_u − ℓ_c)/ℓ_u from a pair of measurements of one arm.
        func benefit(_ name: String, _ arm: String, u: String, c: String) -> Metric {
            Metric(name) { s in
                guard let u = Measured(arm, u).value(s), let c = Measured(arm, c).value(s) else { return nil }
                return (u - c) / u
            }
        }
        /// Arms with conditional evaluation record `mask_violations`.
        @Sendable func conditioned(_ s: SeedResults) -> [RunResult] { s.runs.values.filter { $0.measurements["mask_violations"] != nil } }
        @Sendable func all(_ s: SeedResults, _ name: String) -> [Double] { s.runs.values.compactMap { $0.measurements[name] } }
        return MetricVocabulary([
            // MD-1 to MD-3: mechanics.
            Metric("md1_mask_violations") { s in conditioned(s).map { $0.measurements["mask_violations"]! }.max() },
            Metric("md1_first_token_targets") { s in conditioned(s).compactMap { $0.measurements["first_token_target_fraction"] }.min() },
            .value("md2_cooldown_start", meco("cooldown_start_fraction")),
            .value("md2_lr_difference", meco("lr_difference_at_cooldown")),
            .value("md2_moments_carried", meco("moments_carried")),
            Metric("md2_pool_overlap") { s in all(s, "pool_overlap").max() },
            Metric("md3_bos_start") { s in all(s, "bos_start_fraction").min() },
            // M-1: MECO uses its metadata during pre-training.
            benefit("m1_delta_c_pre", "MECO", u: "pre_lu", c: "pre_lc"),
            .value("m1_gap_captured_pre", meco("pre_gap_captured")),
            // M-2, M-3: URLs alone hurt; MECO's cooldown recovers plain-text loss.
            .ratio("m2_url100_ratio", lu("URL100"), lu("STD")),
            .difference("m2_url100_choice_drop", Measured("STD", "choice_u"), Measured("URL100", "choice_u")),
            .ratio("m2_meco_ratio", lu("MECO"), lu("STD")),
            .logRatio("m2_meco_log_ratio", lu("MECO"), lu("STD")),
            .relativeDistance("m3_rel_diff", lu("MECO"), from: lu("STD")),
            // M-4: late-position loss and data efficiency.
            .ratio("m4_late_ratio", meco("lu_late"), Measured("STD", "lu_late")),
            .logRatio("m4_late_log_ratio", meco("lu_late"), Measured("STD", "lu_late")),
            Metric("m4_r") { s in
                guard let m = meco("lu_late").value(s), let std = Measured("STD", "lu_late").value(s),
                      let std15 = Measured("STD@1.5T", "lu_late").value(s) else { return nil }
                return Self.dataEfficiency(meco: m, std: std, std15: std15)
            },
            .difference("m4_std_late_excess", Measured("STD", "lu_late"), Measured("STD", "bayes_uncond_late")),
            // M-5, M-6: conditioning helps, wrong metadata hurts.
            deltaC("m5_delta_c", "MECO"),
            Metric("m5_std_ratio") { s in
                guard let dc = Self.deltaC(s, "MECO"), let std = Self.deltaC(s, "STD") else { return nil }
                return std / dc
            },
            .ratio("m6_wrong_over_c", meco("lw"), meco("lc")),
            .ratio("m6_wrong_over_u", meco("lw"), meco("lu")),
            // M-7: steering by metadata, site level and page level.
            .value("m7_steering", meco("steering_fraction")),
            .difference("m7_steering_margin", meco("steering_fraction"), Measured("STD", "steering_fraction")),
            .value("m7_site_steering", meco("steering_site_fraction")),
            .difference("m7_site_steering_margin", meco("steering_site_fraction"), Measured("STD", "steering_site_fraction")),
            .value("m7_true_chain_accuracy", meco("steering_true_chain_accuracy")),
            .value("m7_site_only_steering", meco("steering_site_only_accuracy")),
            // The Bayes summaries are over content tokens only (no EOS), as lc_content is.
            .difference("m7_page_information", meco("bayes_site"), meco("bayes_cond")),
            .difference("m7_meco_excess", meco("lc_content"), meco("bayes_cond")),
            Metric("m7_excess_over_page_information") { s in
                guard let site = meco("bayes_site").value(s), let cond = meco("bayes_cond").value(s),
                      let c = meco("lc_content").value(s), site > cond else { return nil }
                return (c - cond) / (site - cond)
            },
            // M-8 to M-12: variants of the metadata and the recipe (extended).
            .relativeDistance("m8_hashed_rel_diff", lu("HASHED"), from: lu("MECO")),
            deltaC("m8_hashed_delta_c", "HASHED"),
            deltaC("m9_fixed_delta_c", "FIXED"),
            deltaCOverMeco("m9_suffix_minus_meco", "SUFFIX"),
            deltaCOverMeco("m9_top_minus_meco", "TOP"),
            .relativeDistance("m10_topic_rel_diff", lu("TOPIC"), from: lu("MECO")),
            deltaC("m10_topic_delta_c", "TOPIC"),
            .relativeDistance("m11_mix_rel_diff", lu("MIX"), from: lu("MECO")),
            .relativeDistance("m11_cool20_rel_diff", lu("COOL20"), from: lu("MECO")),
            .relativeDistance("m11_cool30_rel_diff", lu("COOL30"), from: lu("MECO")),
            .ratio("m12_xdoc_std_ratio", lu("XDOC-STD"), lu("STD")),
            .ratio("m12_xdoc_meco_ratio", lu("XDOC-MECO"), lu("MECO")),
            .ratio("m12_unmasked_ratio", lu("UNMASKED"), lu("MECO")),
            deltaC("m12_unmasked_delta_c", "UNMASKED"),
            // DEB (real text) variants of M-1, M-2, M-3, M-5, M-6.
            benefit("m1_deb_delta_c_pre", "DEB-MECO", u: "pre_lu", c: "pre_lc"),
            deltaC("m5_deb_delta_c", "DEB-MECO"),
            .ratio("m6_deb_wrong_over_c", Measured("DEB-MECO", "lw"), Measured("DEB-MECO", "lc")),
            .ratio("m2_deb_url100_ratio", lu("DEB-URL100"), lu("DEB-STD")),
            .ratio("m3_deb_ratio", lu("DEB-MECO"), lu("DEB-STD")),
            deltaC("smoke_delta_c", "MECO").only(in: .smoke),
        ])
    }()

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { MeCoFigures.all(results) }
}
