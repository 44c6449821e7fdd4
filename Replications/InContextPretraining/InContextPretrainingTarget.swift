import Corpora
import Foundation
import Harness
import LMCore

/// Shi et al. 2024 in miniature: order the pre-training documents so that each context holds
/// related ones (retrieval, dedup, min-degree greedy traversal), train with attention across
/// document boundaries, and compare with random order, kNN repeats and clustering on the entity
/// corpus. See README.md in this folder.
public struct InContextPretrainingTarget: ReplicationTarget {
    public init() {}

    public let key = "icp"
    public let citation = "W. Shi, S. Min, M. Lomeli, C. Zhou, M. Li, R. James, X. V. Lin, N. A. Smith, L. Zettlemoyer, S. Yih, M. Lewis. In-Context Pretraining: Language Modeling Beyond Document Boundaries. ICLR 2024 (arXiv 2310.10638)."
    public let summary = """
        Reordering the pre-training corpus so that every context holds related documents (kNN retrieval, semantic \
        dedup, a greedy min-degree traversal of the document graph) lowers training loss and teaches the model to use \
        earlier documents (reading comprehension, faithfulness to context) without hurting closed-book recall. The \
        miniature runs the real pipeline (TF-IDF instead of Contriever, exact kNN instead of FAISS, Algorithm 1 as \
        published) on a synthetic entity corpus whose facts are spread over sibling documents, trains a ≈0.8M-parameter \
        GPT for about one epoch per ordering, and replaces the paper's benchmarks by associative-recall probes.
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    // MARK: run matrix

    static func corpus(_ tier: Tier) -> EntityCorpus.Parameters {
        if tier == .smoke { return .smoke }
        // The brief scales the training entities to the budget: 3,000 entities instead of 2,000 (one
        // epoch ≈ 650k tokens, 320 steps); held-out and conflict sets stay 300. On a quiet 2-core
        // machine the core trains this model at ≈30k tokens/s (SkylakeX kernels; ≈11k was measured
        // under load), so one epoch is ≈23 s, below the brief's R × 60–90 s; the default keeps one
        // epoch because the paper trains ≈1 epoch and 1,000 steps would not change the probes (the
        // model starts to read the relation cue only between 1,000 and 2,000 steps; see I-2).
        var p = EntityCorpus.Parameters()
        p.trainingEntities = 3000
        return p
    }

    static func model(_ tier: Tier, vocab: Int) -> GPTConfig {
        tier == .smoke
            ? GPTConfig(vocabSize: vocab, contextLength: 256, dModel: 32, nLayers: 2, nHeads: 2, mlpHidden: 128)
            : GPTConfig(vocabSize: vocab, contextLength: 256, dModel: 128, nLayers: 4, nHeads: 4, mlpHidden: 512)
    }

    /// Size of the entity corpus vocabulary (PAD, BOS, EOS, function tokens, syllables, cues, values, fillers).
    static func vocabularySize(_ p: EntityCorpus.Parameters) -> Int {
        3 + p.functionTokens + p.syllables + p.relations + p.relations * p.valuesPerRelation + p.fillers
    }

    /// About one epoch of the tier's corpus at batch 8 × 256 tokens (default: 3,000 entities ≈ 650k tokens).
    static func steps(_ tier: Tier) -> Int { tier == .smoke ? 100 : 320 }
    static let batch = 8

    /// The long-budget diagnostic arms of the extended tier: 12.5× the default's steps (≈12
    /// epochs), past the point (≈1,000–2,000 steps) where the model starts to read the relation cue.
    static let longSteps = 4000

    static func train(_ tier: Tier, _ ordering: OrderingKind, duplicates: Bool = false, dedup: Bool = true, k: Int = 5,
                      steps: Int? = nil) -> PretrainConfig {
        let c = corpus(tier)
        let vocab = Self.vocabularySize(c)
        var o = OrderingConfig(); o.k = k; o.dedup = dedup
        var probes = ProbeSizes()
        if tier == .smoke { probes = ProbeSizes(readingComprehension: 100, closedBook: 100, faithfulness: 60, inContextPerK: 60) }
        return PretrainConfig(corpus: c, duplicates: duplicates, ordering: ordering, orderingConfig: o,
                              model: model(tier, vocab: vocab), batch: batch, steps: steps ?? Self.steps(tier), peakLR: 2e-3,
                              warmupFraction: 0.05, floorFraction: 0.1, probes: probes, logEvery: 5, checkpointEvery: 100)
    }

    static func pipeline(_ tier: Tier) -> PipelineConfig {
        PipelineConfig(corpus: corpus(tier), ordering: OrderingConfig(), tokenBudget: steps(tier) * batch * 256, context: 256,
                       timingEntities: tier == .smoke ? [1600, 3200] : [3200, 6400], timingSyllables: 96,
                       timingRepeats: 25)
    }

    public func arms(for tier: Tier) -> [ArmSpec] {
        var arms = [ArmSpec("pipeline", config: Self.pipeline(tier)),
                    ArmSpec("RANDOM", config: Self.train(tier, .random)),
                    ArmSpec("ICP", config: Self.train(tier, .icp))]
        if tier >= .default {
            arms += [ArmSpec("KNN", config: Self.train(tier, .knn)),
                     ArmSpec("CLUSTER", config: Self.train(tier, .cluster)),
                     ArmSpec("ICP-dedup", config: Self.train(tier, .icp, duplicates: true, dedup: true)),
                     ArmSpec("ICP-nodedup", config: Self.train(tier, .icp, duplicates: true, dedup: false))]
        }
        if tier == .extended {
            arms += [ArmSpec("ICP-CODE", config: Self.train(tier, .icpCode)),
                     ArmSpec("ICP-k3", config: Self.train(tier, .icp, k: 3)),
                     ArmSpec("ICP-k10", config: Self.train(tier, .icp, k: 10)),
                     ArmSpec("RANDOM-long", config: Self.train(tier, .random, steps: Self.longSteps)),
                     ArmSpec("ICP-long", config: Self.train(tier, .icp, steps: Self.longSteps)),
                     ArmSpec("ORACLE-long", config: Self.train(tier, .oracle, steps: Self.longSteps))]
        }
        return arms
    }

    public func run(_ context: RunContext) throws {
        if context.arm == "pipeline" {
            try PipelineChecks.run(try context.config(PipelineConfig.self), context: context)
        } else {
            try Pretraining.run(try context.config(PretrainConfig.self), context: context)
        }
    }

    // MARK: claim metrics

    public var metricNames: [String] {
        ["id1_permutation", "id2_same_entity_icp", "id2_same_entity_random", "id2_cosine_ratio",
         "id2_same_entity_ceiling", "id2_top1_same_entity", "id3_algorithm1",
         "id4_unique_ratio", "id5_copies_removed", "id5_clean_removed", "id6_time_ratio", "id6_ops_ratio",
         "i1_loss_ratio", "i2_easy_gap", "i2_easy_ratio", "i2_hard_gap", "i3_cb_gap", "i4_faith_gap",
         "i5_rc_gap", "i5_lm_ratio", "i6_lm_ratio", "i6_lm_gain", "i7_cluster_minus_random", "i7_icp_minus_cluster",
         "i8_lm_ratio", "i8_train_loss_ratio", "i9_min_gap", "i9_gap_k8", "smoke_loss_ratio", "smoke_icp_loss_ratio",
         "r1_cb_icp", "r1_cb_ratio", "r1_lm_ratio", "i2_cue_pool_logmass", "i2l_icp_gap", "i2l_oracle_gap",
         "i2l_cue_pool_logmass"]
    }

    /// Mean training loss over the last 20% of steps.
    static func lateLoss(_ run: RunResult) -> Double? {
        guard let s = run.series["train_loss"], let last = s.last?.step else { return nil }
        let late = s.filter { Double($0.step) > 0.8 * Double(last) }
        return late.isEmpty ? nil : late.map(\.value).reduce(0, +) / Double(late.count)
    }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var out: [String: Double] = [:]
        if let p = seed.runs["pipeline"]?.measurements {
            for name in ["id1_permutation", "id2_same_entity_icp", "id2_same_entity_random", "id3_algorithm1",
                         "id5_copies_removed", "id5_clean_removed", "id6_time_ratio", "id6_ops_ratio"] { out[name] = p[name] }
            if let a = p["id2_cosine_icp"], let b = p["id2_cosine_random"], b > 0 { out["id2_cosine_ratio"] = a / b }
            out["id2_same_entity_ceiling"] = p["id2_same_entity_ceiling"]
            out["id2_top1_same_entity"] = p["top1_same_entity"]
            if let knn = p["unique_documents_knn"], let icp = p["unique_documents_icp"], icp > 0 { out["id4_unique_ratio"] = knn / icp }
        }
        func m(_ arm: String, _ name: String) -> Double? { seed.runs[arm]?.measurements[name] }
        let points = 100.0
        if let r = seed.runs["RANDOM"], let i = seed.runs["ICP"] {
            if let a = Self.lateLoss(i), let b = Self.lateLoss(r) {
                out["i1_loss_ratio"] = a / b
                if tier == .smoke { out["smoke_icp_loss_ratio"] = a / b }
            }
            if let a = m("ICP", "rc_easy"), let b = m("RANDOM", "rc_easy") {
                out["i2_easy_gap"] = (a - b) * points
                if b > 0 { out["i2_easy_ratio"] = a / b }
            }
            if let a = m("ICP", "rc_hard"), let b = m("RANDOM", "rc_hard") { out["i2_hard_gap"] = (a - b) * points }
            if let a = m("ICP", "cb"), let b = m("RANDOM", "cb") { out["i3_cb_gap"] = (a - b) * points }
            if let a = m("ICP", "faith"), let b = m("RANDOM", "faith") { out["i4_faith_gap"] = (a - b) * points }
            if let a = m("ICP", "lm_random_concat"), let b = m("RANDOM", "lm_random_concat") {
                out["i6_lm_ratio"] = a / b
                out["i6_lm_gain"] = (b - a) / b
            }
            let gaps = [1, 2, 4, 8].compactMap { k -> Double? in
                guard let a = m("ICP", "icl_k\(k)"), let b = m("RANDOM", "icl_k\(k)") else { return nil }
                return (a - b) * points
            }
            if gaps.count == 4 { out["i9_min_gap"] = gaps.min(); out["i9_gap_k8"] = gaps[3] }
            if tier == .smoke, let s = r.series["train_loss"], let first = s.first?.value, let last = Self.lateLoss(r) {
                out["smoke_loss_ratio"] = last / first
            }
        }
        out["i2_cue_pool_logmass"] = m("ICP", "rc_easy_pool_logmass")
        if let b = m("RANDOM-long", "rc_easy") {
            if let a = m("ICP-long", "rc_easy") { out["i2l_icp_gap"] = (a - b) * points }
            if let a = m("ORACLE-long", "rc_easy") { out["i2l_oracle_gap"] = (a - b) * points }
        }
        out["i2l_cue_pool_logmass"] = m("ICP-long", "rc_easy_pool_logmass")
        if let a = m("ICP", "rc_easy"), let b = m("KNN", "rc_easy") { out["i5_rc_gap"] = (a - b) * points }
        if let a = m("KNN", "lm_random_concat"), let b = m("ICP", "lm_random_concat") { out["i5_lm_ratio"] = a / b }
        if let r = m("RANDOM", "rc_easy"), let c = m("CLUSTER", "rc_easy"), let i = m("ICP", "rc_easy") {
            out["i7_cluster_minus_random"] = (c - r) * points
            out["i7_icp_minus_cluster"] = (i - c) * points
        }
        if let a = m("ICP-nodedup", "lm_random_concat"), let b = m("ICP-dedup", "lm_random_concat") { out["i8_lm_ratio"] = a / b }
        if let a = seed.runs["ICP-nodedup"].flatMap(Self.lateLoss), let b = seed.runs["ICP-dedup"].flatMap(Self.lateLoss) {
            out["i8_train_loss_ratio"] = a / b
        }
        return out
    }

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { ICPFigures.all(results) }
}
