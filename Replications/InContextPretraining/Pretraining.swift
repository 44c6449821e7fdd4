import Corpora
import Foundation
import Harness
import LMCore

/// One training arm: an ordering of the entity corpus (EC or EC-dup), packed into contexts,
/// a GPT trained on them with plain causal attention across document boundaries, then probed.
struct PretrainConfig: Codable, TrainingBudget {
    var corpus: EntityCorpus.Parameters
    /// EC-dup (near-copies injected) instead of EC.
    var duplicates: Bool
    var ordering: OrderingKind
    var orderingConfig: OrderingConfig
    var model: GPTConfig
    var batch: Int
    var steps: Int
    var peakLR: Float
    var warmupFraction: Double
    var floorFraction: Float
    var probes: ProbeSizes
    var logEvery: Int
    var checkpointEvery: Int

    var context: Int { model.contextLength }
    var tokenBudget: Int { steps * batch * context }
}

/// What the shared training loop reads from an arm's configuration (EC's `PretrainConfig`,
/// GC's `RealTextConfig`), so both train the same way without sharing a JSON shape (fingerprints).
protocol TrainingBudget {
    var model: GPTConfig { get }
    var batch: Int { get }
    var steps: Int { get }
    var peakLR: Float { get }
    var warmupFraction: Double { get }
    var floorFraction: Float { get }
    var logEvery: Int { get }
    var checkpointEvery: Int { get }
}

enum Pretraining {
    /// The ordered, packed and shuffled training contexts of an arm, with the order they came from.
    static func contexts(_ cfg: PretrainConfig, corpus c: EntityCorpus.Corpus, index: RetrievalIndex,
                         data: RandomStream) -> (contexts: [PackedSequence], order: DocumentOrder) {
        let docs = c.documents
        let tokens = docs.map(\.tokens)
        let eos = EntityCorpus.Vocabulary.eos
        let order: DocumentOrder
        switch cfg.ordering {
        case .random: order = Orderings.random(count: docs.count, random: data.child("order"))
        case .icp: order = Orderings.icp(index, config: cfg.orderingConfig).order
        case .knn: order = Orderings.knn(index, lengths: tokens.map { $0.count + 1 }, tokenBudget: cfg.tokenBudget + 1, random: data.child("order"))
        case .cluster: order = Orderings.cluster(index, config: cfg.orderingConfig, random: data.child("order"))
        case .icpCode: order = Orderings.icpCode(index, units: tokens, config: cfg.orderingConfig, random: data.child("order"))
        case .oracle: order = Orderings.oracle(labels: docs.map(\.entity), random: data.child("order"))
        }
        return (packed(order.sequence, tokens: tokens, context: cfg.context, eos: eos, data: data), order)
    }

    /// Step 4 for any corpus: pack the ordered documents (EOS between them), then shuffle the
    /// contexts with the `data` stream's child "contexts".
    static func packed(_ sequence: [Int], tokens: [[Int32]], context: Int, eos: Int32, data: RandomStream) -> [PackedSequence] {
        var contexts = Orderings.pack(sequence, tokens: tokens, context: context, eos: eos)
        var rng = data.child("contexts")
        rng.shuffle(&contexts)
        return contexts
    }

    /// Context index used at (step, row): epochs over the shuffled contexts, reshuffled per epoch.
    struct Schedule {
        let count: Int
        let batch: Int
        let data: RandomStream
        var permutations: [Int: [Int]] = [:]
        mutating func context(step: Int, row: Int) -> Int {
            let i = step * batch + row
            let epoch = i / count, pos = i % count
            if epoch == 0 { return pos }
            if permutations[epoch] == nil { var r = data.child("epoch").child(epoch); permutations[epoch] = r.permutation(count) }
            return permutations[epoch]![pos]
        }
    }

    static func run(_ cfg: PretrainConfig, context: RunContext) throws {
        let base = EntityCorpus.generate(cfg.corpus)
        let c = cfg.duplicates ? EntityCorpus.withDuplicates(base) : base
        let v = c.vocabulary
        guard cfg.model.vocabSize == v.size else {
            throw HarnessError.usage("model vocabulary \(cfg.model.vocabSize) does not match the entity corpus vocabulary \(v.size)")
        }
        let index = EntityFeatures.index(c.documents, v, k: cfg.orderingConfig.k)
        let data = context.random("data")
        let (contexts, order) = Self.contexts(cfg, corpus: c, index: index, data: data)
        guard !contexts.isEmpty else { throw HarnessError.usage("the ordered corpus is shorter than one context") }

        // Order statistics: what the arm's contexts hold.
        let adj = Orderings.adjacency(order.sequence, labels: c.documents.map(\.entity), cosine: index.cosine)
        context.measure("order_same_entity", adj.shared)
        context.measure("order_cosine", adj.cosine)
        context.measure("documents_kept", Double(order.kept.filter { $0 }.count))
        let model = try fit(contexts, order: order, budget: cfg, data: data, context: context)
        try evaluate(model, cfg: cfg, corpus: c, context: context)
    }

    /// The training every arm shares (EC and GC): a fresh GPT, AdamW (0.9, 0.95, weight decay 0.1,
    /// clip 1), warmup then cosine to the floor, epochs over the shuffled contexts. Records how
    /// many contexts and distinct documents the budget covers, and the training throughput.
    static func fit(_ contexts: [PackedSequence], order: DocumentOrder, budget cfg: some TrainingBudget, data: RandomStream,
                    context: RunContext) throws -> GPT {
        let width = cfg.model.contextLength
        var schedule = Schedule(count: contexts.count, batch: cfg.batch, data: data)
        var seen = Set<Int>()
        for s in 0..<cfg.steps {
            for b in 0..<cfg.batch {
                for id in Set(contexts[schedule.context(step: s, row: b)].documentIds) where id >= 0 { seen.insert(order.sequence[Int(id)]) }
            }
        }
        context.measure("unique_documents_seen", Double(seen.count))
        context.measure("training_contexts", Double(contexts.count))

        let model = GPT(cfg.model, seed: UInt64(context.seed))
        let optimizer = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clip: 1.0))
        let warmup = max(1, Int((Double(cfg.steps) * cfg.warmupFraction).rounded()))
        let phase = context.trainingPhase(
            steps: cfg.steps,
            schedule: .warmupCosine(peak: cfg.peakLR, floor: cfg.peakLR * cfg.floorFraction, warmup: warmup, total: cfg.steps),
            checkpointEvery: cfg.checkpointEvery, logEvery: cfg.logEvery)
        let trained = try context.train(phase, model: model, optimizer: optimizer) { step in
            let rows = (0..<cfg.batch).map { contexts[schedule.context(step: step, row: $0)] }
            return Batch(batchSize: cfg.batch, seqLen: width, tokens: rows.flatMap(\.inputs),
                         targets: rows.flatMap(\.targets), weights: rows.flatMap(\.weights))
        }
        if trained.stepsTrained > 0, trained.seconds > 0 {
            context.measure("tokens_per_second", Double(trained.stepsTrained * cfg.batch * width) / trained.seconds)
        }
        return model
    }

    /// Every probe of the README's list, recorded as measurements of the run.
    static func evaluate(_ model: GPT, cfg: PretrainConfig, corpus c: EntityCorpus.Corpus, context: RunContext) throws {
        let v = c.vocabulary
        let eval = context.random("eval")
        let eos = EntityCorpus.Vocabulary.eos
        let heldTokens = c.heldOutDocuments.map(\.tokens)
        // P-LM: held-out documents in random order (the paper's protocol), in ICP order, and alone.
        var r = eval.child("lm-order")
        let randomConcat = Orderings.pack(r.permutation(heldTokens.count), tokens: heldTokens, context: cfg.context, eos: eos)
        context.measure("lm_random_concat", Probes.loss(randomConcat, model: model))
        let heldIndex = EntityFeatures.index(c.heldOutDocuments, v, k: cfg.orderingConfig.k)
        let heldOrder = Orderings.icp(heldIndex, config: cfg.orderingConfig).order
        context.measure("lm_icp_order", Probes.loss(Orderings.pack(heldOrder.sequence, tokens: heldTokens, context: cfg.context, eos: eos), model: model))
        context.measure("lm_isolated", Probes.isolatedLoss(heldTokens, model: model))

        let p = cfg.probes
        let easy = Probes.score(Probes.readingComprehension(c, count: p.readingComprehension, hard: false, random: eval.child("rc-easy")), model: model, vocabulary: v)
        context.measure("rc_easy", easy.accuracy); context.measure("rc_easy_logp", easy.goldLogProb)
        context.measure("rc_easy_pool_logmass", easy.poolLogMass)
        let hard = Probes.score(Probes.readingComprehension(c, count: p.readingComprehension, hard: true, random: eval.child("rc-hard")), model: model, vocabulary: v)
        context.measure("rc_hard", hard.accuracy); context.measure("rc_hard_logp", hard.goldLogProb)
        let cb = Probes.score(Probes.closedBook(c, count: p.closedBook, random: eval.child("cb")), model: model, vocabulary: v)
        context.measure("cb", cb.accuracy); context.measure("cb_logp", cb.goldLogProb)
        let faith = Probes.score(Probes.faithfulness(c, count: p.faithfulness, random: eval.child("faith")), model: model, vocabulary: v)
        context.measure("faith", faith.contextPreferred); context.measure("faith_accuracy", faith.accuracy)
        for k in p.kValues {
            let items = Probes.inContext(c, k: k, count: p.inContextPerK, context: cfg.context, random: eval.child("icl").child(k))
            let s = Probes.score(items, model: model, vocabulary: v)
            context.measure("icl_k\(k)", s.accuracy)
            context.log("icl_accuracy", step: k, value: s.accuracy)
        }
    }
}
