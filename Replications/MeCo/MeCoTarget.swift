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

    public var metricNames: [String] {
        ["md1_mask_violations", "md1_first_token_targets", "md2_cooldown_start", "md2_lr_difference", "md2_moments_carried",
         "md2_pool_overlap", "md3_bos_start", "m1_delta_c_pre", "m1_gap_captured_pre", "m1_deb_delta_c_pre",
         "m2_url100_ratio", "m2_url100_choice_drop", "m2_meco_ratio", "m2_meco_log_ratio", "m3_rel_diff", "m4_late_ratio",
         "m4_late_log_ratio", "m4_r",
         "m4_std_late_excess", "m5_delta_c", "m5_std_ratio", "m5_deb_delta_c", "m6_wrong_over_c", "m6_wrong_over_u",
         "m6_deb_wrong_over_c", "m7_steering", "m7_steering_margin", "m7_site_steering", "m7_site_steering_margin",
         "m7_true_chain_accuracy", "m7_site_only_steering", "m7_page_information", "m7_meco_excess",
         "m7_excess_over_page_information", "m8_hashed_rel_diff", "m8_hashed_delta_c",
         "m9_fixed_delta_c", "m9_suffix_minus_meco", "m9_top_minus_meco", "m10_topic_rel_diff", "m10_topic_delta_c",
         "m11_mix_rel_diff", "m11_cool20_rel_diff", "m11_cool30_rel_diff", "m12_xdoc_std_ratio", "m12_xdoc_meco_ratio",
         "m12_unmasked_ratio", "m12_unmasked_delta_c", "m2_deb_url100_ratio", "m3_deb_ratio", "smoke_delta_c"]
    }

    /// Relative conditional benefit Δc = (ℓ_u − ℓ_c)/ℓ_u of an arm.
    static func deltaC(_ s: SeedResults, _ arm: String) -> Double? {
        guard let m = s.runs[arm]?.measurements, let u = m["lu"], let c = m["lc"] else { return nil }
        return (u - c) / u
    }

    static func value(_ s: SeedResults, _ arm: String, _ name: String) -> Double? { s.runs[arm]?.measurements[name] }

    /// Data-efficiency ratio r = T/T*, where STD reaches MECO@T's late-position loss at T*
    /// (linear in log-tokens between STD@T and STD@1.5T; clipped to [1/1.5, 1.5]).
    static func dataEfficiency(meco: Double, std: Double, std15: Double) -> Double {
        let slope = (std15 - std) / log(1.5)           // loss change per unit log-tokens (negative if STD improves)
        guard slope < 0 else { return meco <= std ? 1 / 1.5 : 1.5 }
        let logRatio = (meco - std) / slope            // ln(T*/T)
        return min(max(exp(-logRatio), 1 / 1.5), 1.5)
    }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var out: [String: Double] = [:]
        let v = { (arm: String, name: String) in Self.value(seed, arm, name) }
        let conditioned = seed.runs.keys.filter { seed.runs[$0]!.measurements["mask_violations"] != nil }
        if !conditioned.isEmpty {
            out["md1_mask_violations"] = conditioned.map { v($0, "mask_violations")! }.max()
            out["md1_first_token_targets"] = conditioned.compactMap { v($0, "first_token_target_fraction") }.min()
        }
        out["md2_cooldown_start"] = v("MECO", "cooldown_start_fraction")
        out["md2_lr_difference"] = v("MECO", "lr_difference_at_cooldown")
        out["md2_moments_carried"] = v("MECO", "moments_carried")
        out["md2_pool_overlap"] = seed.runs.values.compactMap { $0.measurements["pool_overlap"] }.max()
        out["md3_bos_start"] = seed.runs.values.compactMap { $0.measurements["bos_start_fraction"] }.min()

        if let u = v("MECO", "pre_lu"), let c = v("MECO", "pre_lc") { out["m1_delta_c_pre"] = (u - c) / u }
        out["m1_gap_captured_pre"] = v("MECO", "pre_gap_captured")
        let dcMeco = Self.deltaC(seed, "MECO")
        if tier == .smoke { out["smoke_delta_c"] = dcMeco }
        if let std = v("STD", "lu") {
            if let url = v("URL100", "lu") { out["m2_url100_ratio"] = url / std }
            if let a = v("STD", "choice_u"), let b = v("URL100", "choice_u") { out["m2_url100_choice_drop"] = a - b }
            if let meco = v("MECO", "lu") {
                out["m2_meco_ratio"] = meco / std; out["m3_rel_diff"] = abs(meco - std) / std
                out["m2_meco_log_ratio"] = log(meco / std)   // M-2b's non-inferiority reads the signed log-ratio
            }
        }
        if let meco = v("MECO", "lu_late"), let std = v("STD", "lu_late") {
            out["m4_late_ratio"] = meco / std
            out["m4_late_log_ratio"] = log(meco / std)
            if let std15 = v("STD@1.5T", "lu_late") { out["m4_r"] = Self.dataEfficiency(meco: meco, std: std, std15: std15) }
            if let bayes = v("STD", "bayes_uncond_late") { out["m4_std_late_excess"] = std - bayes }
        }
        if let dc = dcMeco {
            out["m5_delta_c"] = dc
            if let dcStd = Self.deltaC(seed, "STD") { out["m5_std_ratio"] = dcStd / dc }
        }
        if let w = v("MECO", "lw"), let c = v("MECO", "lc"), let u = v("MECO", "lu") {
            out["m6_wrong_over_c"] = w / c; out["m6_wrong_over_u"] = w / u
        }
        if let a = v("MECO", "steering_fraction") {
            out["m7_steering"] = a
            if let b = v("STD", "steering_fraction") { out["m7_steering_margin"] = a - b }
        }
        out["m7_site_steering"] = v("MECO", "steering_site_fraction")
        if let a = v("MECO", "steering_site_fraction"), let b = v("STD", "steering_site_fraction") { out["m7_site_steering_margin"] = a - b }
        out["m7_true_chain_accuracy"] = v("MECO", "steering_true_chain_accuracy")
        out["m7_site_only_steering"] = v("MECO", "steering_site_only_accuracy")
        // The Bayes summaries are over content tokens only (no EOS), as lc_content is.
        if let site = v("MECO", "bayes_site"), let cond = v("MECO", "bayes_cond") {
            out["m7_page_information"] = site - cond
            if let c = v("MECO", "lc_content") {
                out["m7_meco_excess"] = c - cond
                if site > cond { out["m7_excess_over_page_information"] = (c - cond) / (site - cond) }
            }
        }
        func relDiff(_ arm: String) -> Double? {
            guard let a = v(arm, "lu"), let m = v("MECO", "lu") else { return nil }
            return abs(a - m) / m
        }
        out["m8_hashed_rel_diff"] = relDiff("HASHED")
        out["m8_hashed_delta_c"] = Self.deltaC(seed, "HASHED")
        out["m9_fixed_delta_c"] = Self.deltaC(seed, "FIXED")
        if let dc = dcMeco {
            if let s = Self.deltaC(seed, "SUFFIX") { out["m9_suffix_minus_meco"] = s - dc }
            if let t = Self.deltaC(seed, "TOP") { out["m9_top_minus_meco"] = t - dc }
        }
        out["m10_topic_rel_diff"] = relDiff("TOPIC")
        out["m10_topic_delta_c"] = Self.deltaC(seed, "TOPIC")
        out["m11_mix_rel_diff"] = relDiff("MIX")
        out["m11_cool20_rel_diff"] = relDiff("COOL20")
        out["m11_cool30_rel_diff"] = relDiff("COOL30")
        if let a = v("XDOC-STD", "lu"), let b = v("STD", "lu") { out["m12_xdoc_std_ratio"] = a / b }
        if let a = v("XDOC-MECO", "lu"), let b = v("MECO", "lu") { out["m12_xdoc_meco_ratio"] = a / b }
        if let a = v("UNMASKED", "lu"), let b = v("MECO", "lu") { out["m12_unmasked_ratio"] = a / b }
        out["m12_unmasked_delta_c"] = Self.deltaC(seed, "UNMASKED")
        // DEB (real text) variants of M-1, M-5, M-6.
        if let u = v("DEB-MECO", "pre_lu"), let c = v("DEB-MECO", "pre_lc") { out["m1_deb_delta_c_pre"] = (u - c) / u }
        out["m5_deb_delta_c"] = Self.deltaC(seed, "DEB-MECO")
        if let w = v("DEB-MECO", "lw"), let c = v("DEB-MECO", "lc") { out["m6_deb_wrong_over_c"] = w / c }
        if let a = v("DEB-URL100", "lu"), let b = v("DEB-STD", "lu") { out["m2_deb_url100_ratio"] = a / b }
        if let a = v("DEB-MECO", "lu"), let b = v("DEB-STD", "lu") { out["m3_deb_ratio"] = a / b }
        return out.compactMapValues { $0 }
    }

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { MeCoFigures.all(results) }
}
