import Foundation
import Corpora
import Harness
import LMCore

/// One arm's configuration: upstream pre-training on the mix, or a continual phase from the
/// final upstream checkpoint on one of the data strategies.
struct ArmConfig: Codable, Hashable, Sendable {
    enum TrainingData: String, Codable, Sendable {
        /// GCIDE-U 75% + quiz lines 10% + FOLDOC-F 15% (the upstream mix).
        case upstream
        /// The upstream mix again, drawn in a fresh order (no shift): the re-warm's own disruption.
        case upstreamMix = "upstream-mix"
        /// The domain pool, read once ("50B × 1 epoch").
        case pool
        /// Strategy I: a random subset of the pool, several epochs.
        case random
        /// Strategy II: the trigram-selected high-quality subset, several epochs.
        case hq
        /// Strategy III: HQ 75% + quiz 10% + F 15%, HQ reshuffled at every pass ("data-dynamic").
        case hqMix = "hq-mix"
        /// Pool 90% + U 10% (Meditron's replay).
        case poolReplay = "pool-replay"
        /// HQ 90% + U 10% (replay + strategies).
        case hqReplay = "hq-replay"
    }

    var model: GPTConfig
    var batchSize: Int
    var steps: Int
    var peak: Double
    var floor: Double
    var warmup: Int
    var data: TrainingData
    /// Strategies I/II: subset size in bytes.
    var subsetBytes: Int
    /// Arm whose final checkpoint the phase starts from (nil = random initialisation: upstream).
    var startArm: String?
    var startStep: Int
    var evalSteps: [Int]
    var validationBatches: Int
    var medItems: Int?
    var genItems: Int
    /// Upstream only: steps after which a checkpoint is kept for the continual arms.
    var snapshots: [Int]

    var schedule: LRSchedule {
        .warmupCosine(peak: Float(peak), floor: Float(floor), warmup: warmup, total: steps)
    }
}

/// Runs an arm on the general machinery: `TrainingPhase` (LMCore) for the phase, its validation
/// sets and the relative-update probe; `ByteStream`, `MixedStream`, `SequenceTable` (Corpora)
/// for the data.
enum ArmRun {
    static let context = Design.model.contextLength


    /// Everything read from the corpora, loaded once per process.
    struct Sources: @unchecked Sendable {
        let u, f, m, n: Corpus
        let domain: DomainData
        static func load() throws -> Sources {
            let store = try DatasetStore.standard()
            let u = try store.corpus("GCIDE-U"), f = try store.corpus("FOLDOC-F")
            let m = try store.corpus("GCIDE-M"), n = try store.corpus("GCIDE-N")
            return Sources(u: u, f: f, m: m, n: n, domain: DomainData(medicalTrain: m.train, specialistTrain: n.train))
        }
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Sources?
    static func sources() throws -> Sources {
        lock.lock(); defer { lock.unlock() }
        if let s = cached { return s }
        let s = try Sources.load()
        cached = s
        return s
    }

    /// Evaluation items (fixed for every arm and seed): medQ from GCIDE-M validation, genQ from GCIDE-U validation.
    static func quizItems(_ src: Sources, medItems: Int?, genItems: Int) -> (med: [QuizItem], gen: [QuizItem]) {
        (QuizItem.items(src.m.definitionQuestions(.validation), limit: medItems), QuizItem.items(src.u.definitionQuestions(.validation), limit: genItems))
    }

    /// An arm's training data: every sequence drawn up front (a step's batch is a pure function of
    /// the step), the subsets it reads, and where each pass over its subset starts.
    struct TrainingData {
        let table: SequenceTable
        let hq: [PoolEntry], random: [PoolEntry]
        /// (sequence index, pass number) where a new pass over the tracked subset begins; the
        /// indices are also the blocks of the batch shuffle.
        let passStarts: [(sequence: Int, epoch: Int)]
        /// Passes over the subset read by the end of the phase (Strategies I–III).
        let subsetPasses: Double?
    }

    static func trainingData(_ cfg: ArmConfig, sources src: Sources, data: RandomStream, subsetRNG: RandomStream) -> TrainingData {
        let b = cfg.batchSize, c = context
        func stream(_ texts: [String], _ name: String, separator: String = "\n\n") -> ByteStream {
            ByteStream(texts: texts, rng: data.child(name), separator: separator)
        }
        let uTexts = src.u.train.map(\.text), fTexts = src.f.train.map(\.text)
        let quizTexts = src.u.definitionQuestions(.train)
        let n = cfg.steps * b
        var hq: [PoolEntry] = [], random: [PoolEntry] = []
        if [.hq, .hqMix, .hqReplay].contains(cfg.data) {
            hq = src.domain.highQualitySubset(budget: cfg.subsetBytes)
            random = src.domain.randomSubset(budget: cfg.subsetBytes, rng: subsetRNG)
        } else if cfg.data == .random {
            random = src.domain.randomSubset(budget: cfg.subsetBytes, rng: subsetRNG)
        }
        // `tracked` is the stream whose passes are logged (the subset of Strategies I–III);
        // `share` is the fraction of sequences it supplies.
        var streams: [ByteStream], weights: [Double], tracked: Int? = nil
        switch cfg.data {
        case .upstream:
            streams = [stream(uTexts, "U"), stream(quizTexts, "quiz", separator: "\n"), stream(fTexts, "F")]
            weights = Design.upstreamMix.map(\.weight)
        case .upstreamMix:
            streams = [stream(uTexts, "U-fresh"), stream(quizTexts, "quiz-fresh", separator: "\n"), stream(fTexts, "F-fresh")]
            weights = Design.upstreamMix.map(\.weight)
        case .pool:
            streams = [stream(src.domain.pool.map(\.text), "pool")]; weights = [1]
        case .random:
            streams = [stream(random.map(\.text), "subset")]; weights = [1]; tracked = 0
        case .hq:
            streams = [stream(hq.map(\.text), "subset")]; weights = [1]; tracked = 0
        case .hqMix:
            streams = [stream(hq.map(\.text), "subset"), stream(quizTexts, "quiz-replay", separator: "\n"), stream(fTexts, "F-replay")]
            weights = Design.strategy3Mix.map(\.weight); tracked = 0
        case .poolReplay:
            streams = [stream(src.domain.pool.map(\.text), "pool"), stream(uTexts, "U-replay")]
            weights = [1 - Design.replayFraction, Design.replayFraction]
        case .hqReplay:
            streams = [stream(hq.map(\.text), "subset"), stream(uTexts, "U-replay")]
            weights = [1 - Design.replayFraction, Design.replayFraction]; tracked = 0
        }
        var mix = MixedStream(streams: streams, weights: weights, rng: data.child("mix"))
        var passStarts: [(sequence: Int, epoch: Int)] = []
        var seen = 0, index = 0
        let table = SequenceTable(count: n, context: c) {
            let next = mix.next(context: c)
            if let t = tracked {
                let e = mix.streams[t].epoch
                if e != seen { passStarts.append((index, e)); seen = e }
            }
            index += 1
            return next
        }
        var passes: Double? = nil
        if let t = tracked {
            let subset = Double((cfg.data == .random ? random : hq).reduce(0) { $0 + $1.bytes })
            passes = table.fraction(of: t) * Double(n * c) / subset
        }
        return TrainingData(table: table, hq: hq, random: random, passStarts: passStarts, subsetPasses: passes)
    }

    static func run(_ cfg: ArmConfig, context ctx: RunContext) throws {
        let src = try sources()
        let b = cfg.batchSize, c = context
        let train = trainingData(cfg, sources: src, data: ctx.random("data"), subsetRNG: ctx.random("subset"))
        // Shuffled within each pass of a repeated subset, so its epochs stay in order.
        let table = train.table.shuffled(blockStarts: train.passStarts.map(\.sequence), rng: ctx.random("data").child("batch-order"))
        for (name, s) in [("hq", train.hq), ("random", train.random)] where !s.isEmpty {
            ctx.measure("\(name)_medical_fraction", DomainData.medicalFraction(s))
            ctx.measure("\(name)_entries", Double(s.count))
            ctx.measure("\(name)_bytes", Double(s.reduce(0) { $0 + $1.bytes }))
        }
        ctx.measure("pool_entries", Double(src.domain.pool.count))
        ctx.measure("pool_bytes", Double(src.domain.pool.reduce(0) { $0 + $1.bytes }))
        ctx.measure("pool_medical_fraction", DomainData.medicalFraction(src.domain.pool))
        let sourceCount = Int(table.sources.max() ?? 0) + 1
        for k in 0..<sourceCount where sourceCount > 1 { ctx.measure("source_fraction_\(k)", table.fraction(of: k)) }
        ctx.measure("sequences", Double(table.count))
        for p in train.passStarts { ctx.log("epoch", step: p.sequence / b, value: Double(p.epoch)) }
        if let p = train.subsetPasses { ctx.measure("subset_passes", p) }

        // Fixed evaluation sets, identical for every arm: LM windows (U, M) and quiz items (medQ, genQ).
        let (med, gen) = quizItems(src, medItems: cfg.medItems, genItems: cfg.genItems)
        ctx.measure("medq_items", Double(med.count)); ctx.measure("genq_items", Double(gen.count))
        var validation: [(name: String, batches: [Batch])] = []
        for (name, corpus) in [("U", src.u), ("M", src.m)] {
            let w = corpus.validationWindows(context: c, count: cfg.validationBatches * b)
            ctx.measure("window_hash_\(name)", Double(FNV1a.hash(w.joined()) >> 12))
            validation.append((name, validationBatches(w, batchSize: b)))
        }
        for (name, items) in [("medQ", med), ("genQ", gen)] {
            ctx.measure("window_hash_\(name)", Double(FNV1a.hash(items.flatMap(\.bytes)) >> 12))
            validation.append((name, QuizBatches.batches(items.map { ($0.prompt, $0.answer) }, context: c, batchSize: b)))
        }

        var initRNG = ctx.random("init")
        let model = GPT(cfg.model, seed: initRNG.nextUInt64())
        let optimizer = AdamW(model.parameters, config: AdamW.Config(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clip: 1.0))
        var start = TrainingPhase.Start.fresh
        var probe: RelativeUpdate? = nil
        if let arm = cfg.startArm {
            let url = try ctx.dependencySnapshot(arm, step: cfg.startStep)
            start = .checkpoint(url, optimizer: .reset)
            probe = try RelativeUpdate(start: url, model: model)
        }
        let phase = ctx.trainingPhase(steps: cfg.steps, schedule: cfg.schedule, start: start,
                                      evalSteps: cfg.evalSteps, validation: validation, snapshotSteps: cfg.snapshots,
                                      probes: probe.map { probe in { _ in probe.measure() } })
        let began = Date()
        let log = try ctx.train(phase, model: model, optimizer: optimizer, batch: { table.batch(step: $0, batchSize: b) }).log
        ctx.measure("tokens_per_second_with_eval", Double(cfg.steps * b * c) / max(Date().timeIntervalSince(began), 1e-9))
        for name in ["U", "M", "medQ", "genQ"] { if let v = log.last("val/\(name)") { ctx.measure("\(name)_end", v) } }

        // Report only: 4-way multiple choice at the end of the phase (for the upstream run: the
        // starting point of every continual arm).
        for (name, items) in [("medQ", med), ("genQ", gen)] where items.count >= Design.choices {
            let mc = MultipleChoice(items: items.count, rng: RandomStream(seed: 0, stream: "mc-\(name)"))
            let acc = mc.accuracy(model, items: items, context: c, batchSize: b)
            ctx.measure("mc_\(name)", acc.raw); ctx.measure("mc_pmi_\(name)", acc.pmi)
        }
        // Keep the disk small: a continual arm's resume checkpoint is not needed once it is stored.
        try? FileManager.default.removeItem(at: ctx.workDirectory.appendingPathComponent("resume.ckpt"))
    }
}

/// Guo's Fig. 3b quantity: for every weight matrix of the blocks, |W_t − W_0|_F / |W_0|_F with
/// W_0 the starting checkpoint; averaged over the bottom half and the top half of the layers.
final class RelativeUpdate: @unchecked Sendable {
    let model: GPT
    /// (layer, offset, count, |W_0|) of every block matrix, and W_0 itself.
    let matrices: [(layer: Int, offset: Int, count: Int, norm: Double)]
    let initial: [Float]

    init(start: URL, model: GPT) throws {
        let scratch = GPT(model.config)
        try Checkpoint.read(from: start).restore(into: scratch, optimizer: nil)
        self.model = model
        let p = scratch.parameters
        initial = Array(UnsafeBufferPointer(start: p.value(0), count: p.count))
        matrices = p.entries.compactMap { e -> (Int, Int, Int, Double)? in
            guard e.shape.count == 2, e.name.hasPrefix("h."), let layer = Int(e.name.split(separator: ".")[1]) else { return nil }
            var s = 0.0
            for i in 0..<e.count { let v = Double(p.value(e.offset)[i]); s += v * v }
            return (layer, e.offset, e.count, s.squareRoot())
        }
    }

    /// Ratios per layer half at the current parameters: `update_bottom`, `update_top`, and
    /// `update_ratio` = bottom / top (only once the top has moved).
    func measure() -> [String: Double] {
        let layers = model.config.nLayers
        var bottom: [Double] = [], top: [Double] = []
        let p = model.parameters
        for m in matrices {
            var s = 0.0
            let w = p.value(m.offset)
            for i in 0..<m.count { let d = Double(w[i]) - Double(initial[m.offset + i]); s += d * d }
            let r = s.squareRoot() / m.norm
            if m.layer < layers / 2 { bottom.append(r) } else if m.layer >= layers - layers / 2 { top.append(r) }
        }
        let b = bottom.reduce(0, +) / Double(bottom.count), t = top.reduce(0, +) / Double(top.count)
        var out = ["update_bottom": b, "update_top": t]
        if t > 0 { out["update_ratio"] = b / t }
        return out
    }
}
