import Corpora
import Foundation
import Harness
import LMCore

/// Which sequence mixer an arm trains (README, the model table).
enum Architecture: String, Codable, Sendable {
    /// GPT-2-style pre-LN Transformer, softmax attention, learned positions.
    case transformer = "TF"
    /// One LSTM layer, no MLP.
    case lstm = "LSTM"
    /// The same LSTM followed by static n-gram blocks of orders 1, 2, 3.
    case lstmNGram = "LSTM+NG"
}

/// One trained model: architecture, data size, optimiser and schedule.
struct ModelConfig: Codable {
    var architecture: Architecture
    var generator: RegBench.Parameters
    /// The first `trainInstances` training instances are used (all 2,000 in default).
    var trainInstances: Int
    var gpt: GPTConfig?
    var recurrent: RecurrentLMConfig?
    var epochs: Int
    var batch: Int
    var peakLR: Float
    /// Cosine floor as a fraction of the peak.
    var floorFraction: Float
    var warmupFraction: Double
    var weightDecay: Float
    /// Test accuracy/TVD every k epochs.
    var evalEveryEpochs: Int
    /// Instances per sorted-length chunk when batches are formed (length bucketing).
    var bucketBatches: Int
    var checkpointEvery: Int

    static func `for`(_ tier: Tier, _ arch: Architecture) -> ModelConfig {
        let p = RegBench.Parameters.miniature
        let smoke = tier == .smoke
        var gpt: GPTConfig?, rec: RecurrentLMConfig?
        switch arch {
        case .transformer:
            gpt = GPTConfig(vocabSize: p.vocabularySize, contextLength: 160, dModel: 32, nLayers: 2, nHeads: 2, mlpHidden: 128,
                            norm: .layerNorm, bias: true, tiedEmbeddings: true)
        case .lstm: rec = RecurrentLMConfig(vocabSize: p.vocabularySize, dModel: 64, orders: [])
        case .lstmNGram: rec = RecurrentLMConfig(vocabSize: p.vocabularySize, dModel: 64, orders: [1, 2, 3])
        }
        let epochs: Int
        switch (tier, arch) {
        case (.smoke, _): epochs = 2
        case (_, .lstmNGram): epochs = 20
        case (.extended, _): epochs = 100
        default: epochs = 60
        }
        return ModelConfig(architecture: arch, generator: p, trainInstances: smoke ? 500 : p.trainInstances, gpt: gpt, recurrent: rec,
                           epochs: epochs, batch: 32, peakLR: 3e-3, floorFraction: 0.1, warmupFraction: 0.1, weightDecay: 0.1,
                           evalEveryEpochs: smoke ? 1 : 5, bucketBatches: 8, checkpointEvery: 500)
    }

    var stepsPerEpoch: Int { trainInstances / batch }
    var totalSteps: Int { stepsPerEpoch * epochs }
}

/// Batching of REGBENCH instances: inputs x_0…x_{T−2}, targets x_1…x_{T−1}, weight 0 on separator
/// targets and on padding; each batch is padded to its own longest instance.
enum InstanceBatches {
    static func batch(_ instances: [RegBench.Instance], pad: Int32) -> Batch {
        let t = instances.map { $0.tokens.count - 1 }.max() ?? 1
        let b = instances.count
        var tokens = [Int32](repeating: pad, count: b * t), targets = [Int32](repeating: pad, count: b * t)
        var weights = [Float](repeating: 0, count: b * t)
        for (r, inst) in instances.enumerated() {
            let n = inst.tokens.count - 1
            for i in 0..<n {
                tokens[r * t + i] = inst.tokens[i]
                targets[r * t + i] = inst.tokens[i + 1]
                weights[r * t + i] = inst.weights[i + 1]
            }
        }
        return Batch(batchSize: b, seqLen: t, tokens: tokens, targets: targets, weights: weights)
    }

    /// The batches of one epoch as instance indices: a seeded permutation (the last partial batch
    /// dropped), cut into chunks of `bucket` batches, each chunk sorted by length and cut into
    /// batches, then the batch order shuffled. A pure function of (stream, epoch).
    static func epochPlan(lengths: [Int], batch: Int, bucket: Int, rng: RandomStream) -> [[Int]] {
        var r = rng
        var order = Array(lengths.indices)
        r.shuffle(&order)
        let steps = lengths.count / batch
        order = Array(order.prefix(steps * batch))
        var batches: [[Int]] = []
        var start = 0
        while start < order.count {
            let chunk = order[start..<min(order.count, start + bucket * batch)].sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            var i = 0
            while i < chunk.count { batches.append(Array(chunk[chunk.startIndex + i ..< chunk.startIndex + i + batch])); i += batch }
            start += bucket * batch
        }
        r.shuffle(&batches)
        return batches
    }

    /// Fixed evaluation batches: instances in order, `size` at a time.
    static func evaluationBatches(_ instances: [RegBench.Instance], size: Int, pad: Int32) -> [(range: Range<Int>, batch: Batch)] {
        stride(from: 0, to: instances.count, by: size).map { s in
            let r = s..<min(instances.count, s + size)
            return (r, batch(Array(instances[r]), pad: pad))
        }
    }
}

/// The model predictions on the test set and what the metrics need from them.
struct ModelEvaluation {
    var score = ICLScore()
    /// Mean ½‖p_model − p_3gram‖₁ (3-gram renormalised) over the scored positions.
    var tvdTo3Gram = 0.0
    var tvdTo2Gram = 0.0
}

enum ModelRun {
    static func makeModel(_ cfg: ModelConfig, seed: Int) -> SequenceModel {
        if let g = cfg.gpt { return GPT(g, seed: UInt64(seed)) }
        return RecurrentLM(cfg.recurrent!, seed: UInt64(seed))
    }

    /// Softmax of logits rows into Double distributions.
    static func softmax(_ logits: ArraySlice<Float>) -> [Double] {
        let m = logits.max() ?? 0
        let e = logits.map { Foundation.exp(Double($0 - m)) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Scores the model on the instances against the true law and the n-gram baselines.
    static func evaluate(_ model: SequenceModel, _ test: TestSet) -> ModelEvaluation {
        var e = ModelEvaluation()
        var d3 = 0.0, d2 = 0.0
        for (range, batch) in test.batches {
            _ = model.forward(batch)
            let logits = (model as? GPT)?.outputs ?? (model as! RecurrentLM).outputs
            let v = test.parameters.vocabularySize, t = batch.seqLen
            for (r, k) in range.enumerated() {
                let inst = test.instances[k]
                for i in 0..<(inst.tokens.count - 1) where inst.tokens[i + 1] != test.parameters.separator {
                    let row = (r * t + i) * v
                    let p = softmax(logits[row..<(row + v)])
                    e.score.add(argmaxFrom: p, tvdFrom: p, valid: test.valid[k][i])
                    d3 += ICLScore.tvd(p, test.trigram[k][i])
                    d2 += ICLScore.tvd(p, test.bigram[k][i])
                }
            }
        }
        e.tvdTo3Gram = d3 / Double(e.score.positions)
        e.tvdTo2Gram = d2 / Double(e.score.positions)
        return e
    }

    static func run(_ cfg: ModelConfig, context: RunContext) throws {
        let corpus = ICLLData.corpus(cfg.generator)
        let train = Array(corpus.train.prefix(cfg.trainInstances))
        let test = TestSet(corpus: corpus)
        let model = makeModel(cfg, seed: context.seed)
        let optimizer = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: cfg.weightDecay, clip: nil))
        let total = cfg.totalSteps
        let warmup = Int((Double(total) * cfg.warmupFraction).rounded())

        let lengths = train.map(\.tokens.count)
        let data = context.random("data")
        var plan: (epoch: Int, batches: [[Int]]) = (-1, [])
        func trainingBatch(_ step: Int) -> Batch {
            let epoch = step / cfg.stepsPerEpoch
            if plan.epoch != epoch {
                plan = (epoch, InstanceBatches.epochPlan(lengths: lengths, batch: cfg.batch, bucket: cfg.bucketBatches, rng: data.child(epoch)))
            }
            return InstanceBatches.batch(plan.batches[step % cfg.stepsPerEpoch].map { train[$0] }, pad: cfg.generator.pad)
        }
        func evaluateNow(_ step: Int) -> [String: Double] {
            let e = evaluate(model, test)
            return ["test_accuracy": e.score.accuracy, "test_tvd": e.score.tvd]
        }
        let phase = context.trainingPhase(
            steps: total, schedule: .warmupCosine(peak: cfg.peakLR, floor: cfg.peakLR * cfg.floorFraction, warmup: warmup, total: total),
            evalSteps: Array(stride(from: 0, through: total, by: cfg.stepsPerEpoch * cfg.evalEveryEpochs)) + [total],
            checkpointEvery: cfg.checkpointEvery, logEvery: cfg.stepsPerEpoch, probes: evaluateNow)
        let trained = try context.train(phase, model: model, optimizer: optimizer, recordLog: false, batch: trainingBatch)

        // Series: per-epoch train loss, test metrics every few epochs (x = epoch).
        for (name, points) in trained.log.series {
            for p in points { context.log(name, step: p.step / cfg.stepsPerEpoch, value: p.value) }
        }
        let e = evaluate(model, test)
        context.measure("accuracy", e.score.accuracy)
        context.measure("tvd", e.score.tvd)
        context.measure("tvd_to_3gram", e.tvdTo3Gram)
        context.measure("tvd_to_2gram", e.tvdTo2Gram)
        context.measure("scored_positions", Double(e.score.positions))
        context.measure("parameters", Double(model.parameters.count))
        context.measure("train_seconds", trained.seconds)
        if let gpt = model as? GPT { AttentionAnalysis.record(gpt, test, context: context) }
    }
}

/// The corpus of a generator configuration (built once per process; it is the same for every seed).
enum ICLLData {
    nonisolated(unsafe) private static var cache: [String: RegBench.Corpus] = [:]
    private static let lock = NSLock()

    static func corpus(_ p: RegBench.Parameters) -> RegBench.Corpus {
        lock.lock(); defer { lock.unlock() }
        let key = canonicalJSON(p)
        if let c = cache[key] { return c }
        let c = RegBench.generate(p)
        cache[key] = c
        return c
    }
}

/// The test instances with their true law and n-gram baselines precomputed per position.
struct TestSet {
    let parameters: RegBench.Parameters
    let instances: [RegBench.Instance]
    /// [instance][prefix] valid next tokens.
    let valid: [[[Int32]]]
    /// [instance][prefix] renormalised 3-gram / 2-gram distributions.
    let trigram: [[[Double]]]
    let bigram: [[[Double]]]
    let batches: [(range: Range<Int>, batch: Batch)]

    init(corpus: RegBench.Corpus, batchSize: Int = 50) {
        let p = corpus.parameters
        parameters = p
        instances = corpus.test
        valid = corpus.test.map { TrueDistribution.validNext(tokens: $0.tokens, automaton: corpus.automata[$0.automaton], separator: p.separator) }
        let test = corpus.test
        func ngram(_ n: Int) -> [[[Double]]] {
            test.map { InContextNGram.distributions(tokens: $0.tokens, order: n, separator: p.separator, vocabularySize: p.vocabularySize)
                .map(InContextNGram.renormalised) }
        }
        trigram = ngram(3)
        bigram = ngram(2)
        batches = InstanceBatches.evaluationBatches(test, size: batchSize, pad: p.pad)
    }
}
