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

    /// The tier's corpus: EC-v2 (names in every statement, names that rarely share syllables),
    /// 3,000 training entities in the default and extended tiers (one epoch ≈ 640k tokens), the
    /// smoke size otherwise. The README's "From EC-v1 to EC-v2" says why v1 was replaced.
    static func corpus(_ tier: Tier) -> EntityCorpus.Parameters {
        if tier == .smoke { return .smokeV2 }
        var p = EntityCorpus.Parameters.v2
        p.trainingEntities = 3000
        return p
    }

    /// EC-v1 at the same size: the pipeline arm measures its retrieval beside v2's, and the
    /// extended tier's `-long` diagnostics still train on it.
    static func corpusV1(_ tier: Tier) -> EntityCorpus.Parameters {
        if tier == .smoke { return .smoke }
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
    static func vocabularySize(_ p: EntityCorpus.Parameters) -> Int { EntityCorpus.Vocabulary(p: p).size }

    /// Training steps at batch 8 × 256 tokens: the default's budget is where ORACLE's positive
    /// control (I-2c) passes (FINDINGS.md, the levers table).
    static func steps(_ tier: Tier) -> Int { tier == .smoke ? 100 : defaultSteps }
    static let defaultSteps = 320
    static let batch = 8

    /// The long-budget diagnostic arms of the extended tier: 12.5× the default's steps (≈12
    /// epochs), past the point (≈1,000–2,000 steps) where the model starts to read the relation cue.
    static let longSteps = 4000

    static func train(_ tier: Tier, _ ordering: OrderingKind, duplicates: Bool = false, dedup: Bool = true, k: Int = 5,
                      steps: Int? = nil, corpus: EntityCorpus.Parameters? = nil, peakLR: Float = 2e-3) -> PretrainConfig {
        let c = corpus ?? Self.corpus(tier)
        let vocab = Self.vocabularySize(c)
        var o = OrderingConfig(); o.k = k; o.dedup = dedup
        var probes = ProbeSizes()
        if tier == .smoke { probes = ProbeSizes(readingComprehension: 100, closedBook: 100, faithfulness: 60, inContextPerK: 60) }
        return PretrainConfig(corpus: c, duplicates: duplicates, ordering: ordering, orderingConfig: o,
                              model: model(tier, vocab: vocab), batch: batch, steps: steps ?? Self.steps(tier), peakLR: peakLR,
                              warmupFraction: 0.05, floorFraction: 0.1, probes: probes, logEvery: 5, checkpointEvery: 100)
    }

    static func pipeline(_ tier: Tier) -> PipelineConfig {
        PipelineConfig(corpus: corpus(tier), ordering: OrderingConfig(), tokenBudget: steps(tier) * batch * 256, context: 256,
                       timingEntities: tier == .smoke ? [1600, 3200] : [3200, 6400], timingSyllables: 384,
                       timingRepeats: 25, comparison: corpusV1(tier))
    }

    public func arms(for tier: Tier) -> [ArmSpec] {
        var arms = [ArmSpec("pipeline", config: Self.pipeline(tier)),
                    ArmSpec("RANDOM", config: Self.train(tier, .random)),
                    ArmSpec("ICP", config: Self.train(tier, .icp))]
        if tier >= .default {
            arms += [ArmSpec("KNN", config: Self.train(tier, .knn)),
                     ArmSpec("CLUSTER", config: Self.train(tier, .cluster)),
                     ArmSpec("ICP-dedup", config: Self.train(tier, .icp, duplicates: true, dedup: true)),
                     ArmSpec("ICP-nodedup", config: Self.train(tier, .icp, duplicates: true, dedup: false)),
                     ArmSpec("ORACLE", config: Self.train(tier, .oracle))]
        }
        if tier == .extended {
            arms += [ArmSpec("ICP-CODE", config: Self.train(tier, .icpCode)),
                     ArmSpec("ICP-k3", config: Self.train(tier, .icp, k: 3)),
                     ArmSpec("ICP-k10", config: Self.train(tier, .icp, k: 10)),
                     ArmSpec("RANDOM-long", config: Self.train(tier, .random, steps: Self.longSteps, corpus: Self.corpusV1(tier))),
                     ArmSpec("ICP-long", config: Self.train(tier, .icp, steps: Self.longSteps, corpus: Self.corpusV1(tier))),
                     ArmSpec("ORACLE-long", config: Self.train(tier, .oracle, steps: Self.longSteps, corpus: Self.corpusV1(tier)))]
            // The levers tried to make ORACLE's control pass (FINDINGS.md, levers table): each
            // arm alone in its dependency group, so `--shard i/N` runs exactly one of them.
            for lever in Self.levers {
                for (arm, ordering) in [("ORACLE", OrderingKind.oracle), ("RANDOM", .random), ("ICP", .icp)] where lever.arms.contains(arm) {
                    arms.append(ArmSpec("\(lever.name)-\(arm)", config: Self.train(tier, ordering, steps: lever.steps, corpus: lever.corpus,
                                                                                  peakLR: lever.peakLR)))
                }
            }
            // The real-text pair (claim I-R1), last so that the shards above keep their numbers.
            arms += Self.realTextArms
        }
        return arms
    }

    /// One attempt of the levers table: a corpus and a budget.
    struct Lever {
        var name: String; var corpus: EntityCorpus.Parameters; var steps: Int
        var arms = ["ORACLE", "RANDOM", "ICP"]
        var peakLR: Float = 2e-3
    }

    /// The attempts, in the order the README's levers list gives (each adds to the previous).
    static var levers: [Lever] {
        var l0 = EntityCorpus.Parameters.v2           // v2 names and statements, v1's document shape
        l0.trainingEntities = 3000
        l0.relationsPerDocument = 3; l0.fillerSentences = 1...3; l0.fillerSentenceLength = 11...17
        var l1 = l0; l1.relationsPerDocument = 4      // more facts copyable from a sibling
        var l3 = l1; l3.fillerSentences = 1...2; l3.fillerSentenceLength = 8...12   // shorter documents (= EC-v2)
        return [Lever(name: "L0", corpus: l0, steps: 320), Lever(name: "L1", corpus: l1, steps: 320, arms: ["ORACLE"]),
                Lever(name: "L3", corpus: l3, steps: 320, arms: ["ORACLE"]), Lever(name: "L4", corpus: l3, steps: 1000),
                Lever(name: "L5", corpus: l3, steps: 1600),
                // Beyond the listed levers: the peak learning rate of the README's one-seed sweep.
                Lever(name: "L6", corpus: l3, steps: 1000, arms: ["ORACLE"], peakLR: 3e-3),
                Lever(name: "L7", corpus: l3, steps: 3000, arms: ["ORACLE"])]
    }

    public func run(_ context: RunContext) throws {
        if context.arm == "pipeline" {
            try PipelineChecks.run(try context.config(PipelineConfig.self), context: context)
        } else if context.arm.hasPrefix("GC-") {
            try RealText.run(try context.config(RealTextConfig.self), context: context)
        } else {
            try Pretraining.run(try context.config(PretrainConfig.self), context: context)
        }
    }

    // MARK: claim metrics

    public var metricNames: [String] { Self.vocabulary.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        try Self.vocabulary.values(seed, tier: tier)
    }

    /// Mean training loss over the last 20% of steps.
    static func lateLoss(_ run: RunResult) -> Double? {
        guard let s = run.series["train_loss"], let last = s.last?.step else { return nil }
        let late = s.filter { Double($0.step) > 0.8 * Double(last) }
        return late.isEmpty ? nil : late.map(\.value).reduce(0, +) / Double(late.count)
    }

    /// Every metric the claims read, by check. Accuracies are fractions in the runs and
    /// percentage points here.
    static let vocabulary: MetricVocabulary = {
        let points = 100.0
        func pipeline(_ name: String, as metric: String? = nil) -> Metric { .value(metric ?? name, Measured("pipeline", name)) }
        /// a / b when b > 0.
        func positiveRatio(_ name: String, _ a: Measured, _ b: Measured) -> Metric {
            Metric(name) { s in
                guard let x = a.value(s), let y = b.value(s), y > 0 else { return nil }
                return x / y
            }
        }
        /// Accuracy gap in points between two arms' measurement.
        func gap(_ name: String, _ a: String, _ b: String, _ measurement: String = "rc_easy") -> Metric {
            .difference(name, Measured(a, measurement), Measured(b, measurement), scale: points)
        }
        func lateLossRatio(_ name: String, _ a: String, _ b: String) -> Metric {
            Metric(name) { s in
                guard let x = s.runs[a].flatMap(lateLoss), let y = s.runs[b].flatMap(lateLoss) else { return nil }
                return x / y
            }
        }
        /// ICP − RANDOM closed-book accuracy in points at k = 1, 2, 4, 8 demonstrations (all four or none).
        @Sendable func iclGaps(_ s: SeedResults) -> [Double]? {
            let gaps = [1, 2, 4, 8].compactMap { k -> Double? in
                guard let a = Measured("ICP", "icl_k\(k)").value(s), let b = Measured("RANDOM", "icl_k\(k)").value(s) else { return nil }
                return (a - b) * points
            }
            return gaps.count == 4 ? gaps : nil
        }
        /// RANDOM, CLUSTER and ICP open-book easy accuracy, when all three ran.
        @Sendable func levels(_ s: SeedResults) -> (random: Double, cluster: Double, icp: Double)? {
            guard let r = Measured("RANDOM", "rc_easy").value(s), let c = Measured("CLUSTER", "rc_easy").value(s),
                  let i = Measured("ICP", "rc_easy").value(s) else { return nil }
            return (r, c, i)
        }
        return MetricVocabulary([
            // I-D1 to I-D6: the pipeline (one run per seed, "pipeline").
            pipeline("id1_permutation"), pipeline("id2_same_entity_icp"), pipeline("id2_same_entity_random"),
            positiveRatio("id2_cosine_ratio", Measured("pipeline", "id2_cosine_icp"), Measured("pipeline", "id2_cosine_random")),
            pipeline("id2_same_entity_ceiling"), pipeline("top1_same_entity", as: "id2_top1_same_entity"),
            pipeline("id3_algorithm1"),
            positiveRatio("id4_unique_ratio", Measured("pipeline", "unique_documents_knn"), Measured("pipeline", "unique_documents_icp")),
            pipeline("id5_copies_removed"), pipeline("id5_clean_removed"), pipeline("id6_time_ratio"), pipeline("id6_ops_ratio"),
            pipeline("v1_top1_same_entity"), pipeline("v1_id2_same_entity_icp"), pipeline("v1_id2_same_entity_ceiling"),
            pipeline("v1_id2_cosine_ratio"),
            // I-1 to I-9: the pre-trained arms.
            lateLossRatio("i1_loss_ratio", "ICP", "RANDOM"),
            gap("i2_easy_gap", "ICP", "RANDOM"),
            positiveRatio("i2_easy_ratio", Measured("ICP", "rc_easy"), Measured("RANDOM", "rc_easy")),
            gap("i2_hard_gap", "ICP", "RANDOM", "rc_hard"),
            .value("i2_cue_pool_logmass", Measured("ICP", "rc_easy_pool_logmass")),
            // The positive control: ORACLE (the known grouping) against RANDOM, open-book easy.
            gap("i2c_oracle_gap", "ORACLE", "RANDOM"),
            .value("rc_easy_oracle", Measured("ORACLE", "rc_easy"), scale: points),
            .value("rc_easy_icp", Measured("ICP", "rc_easy"), scale: points),
            .value("rc_easy_random", Measured("RANDOM", "rc_easy"), scale: points),
            gap("i2l_icp_gap", "ICP-long", "RANDOM-long"),
            gap("i2l_oracle_gap", "ORACLE-long", "RANDOM-long"),
            .value("i2l_cue_pool_logmass", Measured("ICP-long", "rc_easy_pool_logmass")),
            gap("i3_cb_gap", "ICP", "RANDOM", "cb"),
            gap("i4_faith_gap", "ICP", "RANDOM", "faith"),
            gap("i5_rc_gap", "ICP", "KNN"),
            .ratio("i5_lm_ratio", Measured("KNN", "lm_random_concat"), Measured("ICP", "lm_random_concat")),
            .ratio("i6_lm_ratio", Measured("ICP", "lm_random_concat"), Measured("RANDOM", "lm_random_concat")),
            Metric("i6_lm_gain") { s in
                guard let a = Measured("ICP", "lm_random_concat").value(s), let b = Measured("RANDOM", "lm_random_concat").value(s) else { return nil }
                return (b - a) / b
            },
            Metric("i7_cluster_minus_random") { s in levels(s).map { ($0.cluster - $0.random) * points } },
            Metric("i7_icp_minus_cluster") { s in levels(s).map { ($0.icp - $0.cluster) * points } },
            .ratio("i8_lm_ratio", Measured("ICP-nodedup", "lm_random_concat"), Measured("ICP-dedup", "lm_random_concat")),
            lateLossRatio("i8_train_loss_ratio", "ICP-nodedup", "ICP-dedup"),
            Metric("i9_min_gap") { s in iclGaps(s)?.min() },
            Metric("i9_gap_k8") { s in iclGaps(s)?[3] },
            // I-R1: real text, the GC pair (extended). A ratio over CB(GC-RANDOM) ≤ 0 is no number:
            // that seed gives no r1_cb_ratio (its CBs stay in the runs' measurements).
            .value("r1_cb_icp", Measured("GC-ICP", "cb")),
            positiveRatio("r1_cb_ratio", Measured("GC-ICP", "cb"), Measured("GC-RANDOM", "cb")),
            .ratio("r1_lm_ratio", Measured("GC-ICP", "lm_random_concat"), Measured("GC-RANDOM", "lm_random_concat")),
            // Smoke gates.
            lateLossRatio("smoke_icp_loss_ratio", "ICP", "RANDOM").only(in: .smoke),
            Metric("smoke_loss_ratio") { s in
                guard s.runs["ICP"] != nil, let r = s.runs["RANDOM"], let first = r.series["train_loss"]?.first?.value,
                      let last = lateLoss(r) else { return nil }
                return last / first
            }.only(in: .smoke),
        ])
    }()

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] { ICPFigures.all(results) }
}
