import Corpora
import Foundation
import Harness
import LMCore

// The real-text pair of claim I-R1 (extended tier): GCIDE-1L entries as bytes, ordered at random
// (GC-RANDOM) or by the same ICP pipeline on hashed-word TF-IDF (GC-ICP), trained like the EC arms
// at context 512, then probed for the benefit of a related previous document (CB) and for the loss
// on randomly concatenated held-out documents.

/// One GC arm. The corpus and its sample are fixed across seeds; the seed drives the order, the
/// context shuffle, the initialisation and the probe's random previous documents.
struct RealTextConfig: Codable, TrainingBudget {
    /// The prepared corpus; its labels only score orders and probe pairs, no ordering reads them.
    var corpus = "GCIDE-1L"
    /// Documents are cut to this many bytes, so that 2–4 share a 512-byte context.
    var maxBytes = 300
    /// The first n training-split documents in key order (a hash order: a fixed pseudo-random sample).
    var trainingDocuments: Int
    var ordering: OrderingKind
    var orderingConfig: OrderingConfig
    /// Hash buckets of the word features.
    var dimension = 4096
    var model: GPTConfig
    var batch: Int
    var steps: Int
    var peakLR: Float
    var warmupFraction: Double
    var floorFraction: Float
    var logEvery: Int
    var checkpointEvery: Int
    /// Held-out documents B scored by the context-benefit probe: the first n in key order.
    var probePairs: Int
}

enum RealText {
    /// A document as the model reads it (its first `maxBytes` bytes) and its label index.
    struct Doc: Sendable {
        var bytes: [UInt8]
        var label: Int
        var tokens: [Int32] { bytes.map(Int32.init) }
    }

    /// Training sample and held-out split (rule S2's held-out documents, never trained on).
    static func load(_ cfg: RealTextConfig) throws -> (train: [Doc], heldOut: [Doc]) {
        let corpus = try DatasetStore.standard().corpus(cfg.corpus)
        let labels = Dictionary(uniqueKeysWithValues: Set(corpus.documents.map(\.source)).sorted().enumerated().map { ($1, $0) })
        func doc(_ d: Corpora.Document) -> Doc { Doc(bytes: Array(d.text.utf8.prefix(cfg.maxBytes)), label: labels[d.source]!) }
        let train = corpus.train.sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) }
        guard train.count >= cfg.trainingDocuments else {
            throw HarnessError.usage("\(cfg.corpus) has \(train.count) training documents, \(cfg.trainingDocuments) asked")
        }
        return (train.prefix(cfg.trainingDocuments).map(doc), corpus.evaluation.map(doc))
    }

    /// Hashed-word TF-IDF vectors and exact kNN lists of a document set (step 1 on real text).
    static func index(_ docs: [Doc], dimension: Int, k: Int) -> RetrievalIndex {
        RetrievalIndex(features: docs.map { HashedWords.features(bytes: $0.bytes, dimension: dimension) }, dimension: dimension, k: k)
    }

    static func run(_ cfg: RealTextConfig, context: RunContext) throws {
        let (train, held) = try load(cfg)
        let index = Self.index(train, dimension: cfg.dimension, k: cfg.orderingConfig.k)
        let data = context.random("data")
        let order: DocumentOrder
        switch cfg.ordering {
        case .random: order = Orderings.random(count: train.count, random: data.child("order"))
        case .icp: order = Orderings.icp(index, config: cfg.orderingConfig).order
        default: throw HarnessError.usage("a GC arm orders at random or by ICP, not by \(cfg.ordering.rawValue)")
        }
        let contexts = Pretraining.packed(order.sequence, tokens: train.map(\.tokens), context: cfg.model.contextLength,
                                          eos: ByteTokenizer.eos, data: data)
        guard !contexts.isEmpty else { throw HarnessError.usage("the ordered corpus is shorter than one context") }

        // What the contexts hold, scored by the labels; a random order of the same documents
        // (its own stream) is the baseline in every arm, so GC-ICP's row carries both.
        let labels: [Int?] = train.map(\.label)
        let adj = Orderings.adjacency(order.sequence, labels: labels, cosine: index.cosine)
        let base = Orderings.adjacency(Orderings.random(count: train.count, random: data.child("baseline")).sequence,
                                       labels: labels, cosine: index.cosine)
        context.measure("order_same_label", adj.shared)
        context.measure("order_cosine", adj.cosine)
        context.measure("random_same_label", base.shared)
        context.measure("random_cosine", base.cosine)
        context.measure("top1_same_label", PipelineChecks.top1Precision(index, labels: labels))
        context.measure("documents_kept", Double(order.kept.filter { $0 }.count))

        let model = try Pretraining.fit(contexts, order: order, budget: cfg, data: data, context: context)
        try evaluate(model, cfg: cfg, heldOut: held, context: context)
    }

    /// P-LM on held-out documents (random order, as the paper evaluates; and ICP order), then the
    /// context benefit CB over held-out pairs.
    static func evaluate(_ model: GPT, cfg: RealTextConfig, heldOut held: [Doc], context: RunContext) throws {
        let eval = context.random("eval")
        let eos = ByteTokenizer.eos, width = cfg.model.contextLength
        let tokens = held.map(\.tokens)
        var r = eval.child("lm-order")
        context.measure("lm_random_concat", Probes.loss(Orderings.pack(r.permutation(tokens.count), tokens: tokens, context: width, eos: eos),
                                                        model: model))
        let heldIndex = index(held, dimension: cfg.dimension, k: cfg.orderingConfig.k)
        let heldOrder = Orderings.icp(heldIndex, config: cfg.orderingConfig).order
        context.measure("lm_icp_order", Probes.loss(Orderings.pack(heldOrder.sequence, tokens: tokens, context: width, eos: eos), model: model))

        let pairs = contextBenefitPairs(heldIndex, count: cfg.probePairs, random: eval.child("cb"))
        guard !pairs.isEmpty else { throw HarnessError.usage("no held-out pairs for the context-benefit probe") }
        let cb = contextBenefit(pairs, tokens: tokens, context: width, eos: eos) { Probes.loss($0, model: model) }
        context.measure("cb", cb.benefit)
        context.measure("cb_loss_neighbour", cb.neighbour)
        context.measure("cb_loss_random", cb.random)
        context.measure("cb_pairs", Double(pairs.count))
        let n = Double(pairs.count)
        context.measure("cb_neighbour_cosine", pairs.reduce(0.0) { $0 + Double(heldIndex.cosine($1.document, $1.neighbour)) } / n)
        context.measure("cb_neighbour_same_label", Double(pairs.filter { held[$0.document].label == held[$0.neighbour].label }.count) / n)
        context.measure("cb_random_same_label", Double(pairs.filter { held[$0.document].label == held[$0.random].label }.count) / n)
    }

    /// A held-out document B with the two documents the probe puts before it.
    struct ContextBenefitPair: Equatable, Sendable {
        var document: Int
        /// B's nearest neighbour in the held-out set (top-1 of the same kNN lists).
        var neighbour: Int
        /// A uniformly drawn held-out document other than B and its neighbour.
        var random: Int
    }

    /// The first `count` documents of `index` as B (held-out documents in key order), each with
    /// its top-1 neighbour and a random other document.
    static func contextBenefitPairs(_ index: RetrievalIndex, count: Int, random: RandomStream) -> [ContextBenefitPair] {
        let n = index.knn.count
        guard n >= 3 else { return [] }
        var rng = random
        return (0..<min(count, n)).compactMap { b in
            guard let a = index.knn.neighbours(of: b).first?.id else { return nil }
            var x = rng.int(below: n - 2)
            for skip in [min(a, b), max(a, b)] where x >= skip { x += 1 }
            return ContextBenefitPair(document: b, neighbour: a, random: x)
        }
    }

    /// One probe window: EOS, the previous document, EOS, then B; cut from the left so that it
    /// fits the model's context, padded on the right; only B's bytes carry loss.
    static func window(_ b: [Int32], after previous: [Int32], context: Int, eos: Int32) -> PackedSequence {
        precondition(b.count < context, "a probe document must leave room for context before it")
        var prefix = [eos] + previous + [eos]
        let overflow = prefix.count + b.count - (context + 1)
        if overflow > 0 { prefix.removeFirst(overflow) }
        let docs = [TokenDocument(tokens: prefix, weights: [Float](repeating: 0, count: prefix.count)), TokenDocument(tokens: b)]
        return Packing.concatenateAndCut(docs, context: context, padding: eos)[0]
    }

    /// CB = ℓ(B | random previous document) − ℓ(B | nearest neighbour before B): the loss per byte
    /// of B, pooled over the pairs (`loss` returns the weighted mean loss of windows).
    static func contextBenefit(_ pairs: [ContextBenefitPair], tokens: [[Int32]], context: Int, eos: Int32,
                               loss: ([PackedSequence]) -> Double) -> (benefit: Double, neighbour: Double, random: Double) {
        let withNeighbour = loss(pairs.map { window(tokens[$0.document], after: tokens[$0.neighbour], context: context, eos: eos) })
        let withRandom = loss(pairs.map { window(tokens[$0.document], after: tokens[$0.random], context: context, eos: eos) })
        return (withRandom - withNeighbour, withNeighbour, withRandom)
    }
}

extension InContextPretrainingTarget {
    /// The GC pair (claim I-R1), extended tier only: RANDOM and ICP on the same documents, steps and tokens.
    static var realTextArms: [ArmSpec] {
        [ArmSpec("GC-RANDOM", config: realText(.random)), ArmSpec("GC-ICP", config: realText(.icp))]
    }

    /// The EC arms' model (d = 128, 4 layers, 4 heads, FFN 512) and optimiser at context 512 on
    /// bytes + EOS. Budget: FINDINGS.md, 2026-12-03 (one arm ≈ 10 min on a quiet 2-core machine).
    static func realText(_ ordering: OrderingKind) -> RealTextConfig {
        var o = OrderingConfig(); o.k = 10
        return RealTextConfig(trainingDocuments: gcTrainingDocuments, ordering: ordering, orderingConfig: o,
                              model: GPTConfig(vocabSize: ByteTokenizer(eos: true).vocabularySize, contextLength: 512,
                                               dModel: 128, nLayers: 4, nHeads: 4, mlpHidden: 512),
                              batch: batch, steps: gcSteps, peakLR: 2e-3, warmupFraction: 0.05, floorFraction: 0.1,
                              logEvery: 10, checkpointEvery: 100, probePairs: gcProbePairs)
    }
    /// The whole training split of GCIDE-1L (capped at 300 bytes, ≈3.7M tokens with EOS).
    static let gcTrainingDocuments = 19_229
    /// About one epoch at batch 8 × 512 bytes (3.7M tokens), as the EC arms train.
    static let gcSteps = 900
    /// Nearly all 1,005 held-out documents as B.
    static let gcProbePairs = 1000
}
