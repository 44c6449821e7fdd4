import Foundation
import Corpora
import Harness
import LMCore

/// One arm's configuration: the phase it trains (upstream pre-training, a continual phase from
/// an upstream checkpoint, or a run from scratch), its data, its schedule and its evaluation.
struct ArmConfig: Codable, Hashable, Sendable {
    enum TrainingData: String, Codable, Sendable {
        /// U from the start of its stream (upstream pre-training).
        case upstream = "U"
        /// F, the downstream domain (computing), optionally with compute-equivalent replay of U.
        case downstream = "F"
        /// U continued where the upstream run stopped: unseen U data (same-data control, §4.4).
        case sameData = "U-continued"
        /// GCIDE-M ∪ GCIDE-N (weak-shift variant).
        case weakShift = "MN"
        /// The union U + F from scratch, in the token shares of the two phases (Ibrahim's baseline).
        case union = "U+F"
    }

    var model: GPTConfig
    var batchSize: Int
    var steps: Int
    var schedule: ScheduleSpec
    var data: TrainingData
    /// Probability that a sequence of the phase is replayed U (0 = no replay).
    var replayFraction: Double
    /// Upstream length: where the U stream continues for same-data and replay arms.
    var upstreamSteps: Int
    /// Arm whose checkpoint the phase starts from (nil = random initialisation) and at which step.
    var startArm: String?
    var startStep: Int
    /// Reset or keep the Adam state at the switch.
    var optimizer: TrainingPhase.OptimizerHandover
    var evalSteps: [Int]
    /// Validation domains (U, F, MN), each `validationBatches` × batch windows.
    var validation: [String]
    var validationBatches: Int
    /// Upstream only: steps after which a checkpoint is kept for the continual arms.
    var snapshots: [Int]
}

/// Runs an arm: the continual-pretraining recipe of Gupta et al. / Ibrahim et al. on the
/// general machinery (`TrainingPhase` in LMCore; streams, replay mixtures and paired windows in Corpora).
enum ContinualRun {
    static let context = Design.model.contextLength


    static func corpusName(_ domain: String) -> [String] {
        switch domain {
        case "U": return ["GCIDE-U"]
        case "F": return ["FOLDOC-F"]
        case "MN": return ["GCIDE-M", "GCIDE-N"]
        default: preconditionFailure("unknown domain \(domain)")
        }
    }

    /// Fixed windows of a domain (evaluation documents in key order), identical for every arm.
    static func windows(_ domain: String, count: Int, store: DatasetStore) throws -> [[UInt8]] {
        let docs = try corpusName(domain).flatMap { try store.corpus($0).evaluation }
            .sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) }
        return validationWindows(texts: docs.map(\.text), context: context, count: count)
    }

    static func trainTexts(_ domain: String, store: DatasetStore) throws -> [String] {
        try corpusName(domain).flatMap { try store.corpus($0).train.map(\.text) }
    }

    /// The phase's training sequences, drawn up front so a step's batch is a pure function of the
    /// step. Every arm of a seed reads each domain in the same order (one named stream per domain
    /// under `data`); source 1 of a mixture is the replayed U (or F in the union). The table is in
    /// stream order; `run` reads it in a seeded shuffled order.
    static func trainingTable(_ cfg: ArmConfig, data: RandomStream, store: DatasetStore) throws -> SequenceTable {
        let b = cfg.batchSize, c = context
        func stream(_ domain: String) throws -> ByteStream {
            ByteStream(texts: try trainTexts(domain, store: store), rng: data.child(domain))
        }
        let n = cfg.steps * b
        switch cfg.data {
        case .upstream:
            var u = try stream("U")
            return SequenceTable(count: n, context: c, stream: &u)
        case .sameData:
            var u = try stream("U")
            u.skip(cfg.upstreamSteps * b, context: c)
            return SequenceTable(count: n, context: c, stream: &u)
        case .weakShift:
            var mn = try stream("MN")
            return SequenceTable(count: n, context: c, stream: &mn)
        case .downstream:
            var f = try stream("F")
            if cfg.replayFraction > 0 {
                var u = try stream("U")
                u.skip(cfg.upstreamSteps * b, context: c)
                var mix = MixedStream.replay(new: f, old: u, fraction: cfg.replayFraction, rng: data.child("replay"))
                return SequenceTable(count: n, context: c, mixture: &mix)
            }
            return SequenceTable(count: n, context: c, stream: &f)
        case .union:
            let t0 = Double(cfg.upstreamSteps), t1 = Double(cfg.steps - cfg.upstreamSteps)
            var mix = MixedStream(streams: [try stream("U"), try stream("F")], weights: [t0 / (t0 + t1), t1 / (t0 + t1)],
                                  rng: data.child("union"))
            return SequenceTable(count: n, context: c, mixture: &mix)
        }
    }

    static func run(_ cfg: ArmConfig, context ctx: RunContext) throws {
        let store = try DatasetStore.standard()
        let b = cfg.batchSize, c = context
        let table = try trainingTable(cfg, data: ctx.random("data"), store: store)
            .shuffled(rng: ctx.random("data").child("batch-order"))
        if cfg.replayFraction > 0 {
            ctx.measure("replay_fraction", table.fraction(of: 1))
            ctx.measure("replay_sequences", Double(table.count))
        }
        if cfg.data == .union { ctx.measure("union_F_fraction", table.fraction(of: 1)) }

        // Paired validation windows: the same bytes for every arm (their hash is recorded).
        var validation: [(name: String, batches: [Batch])] = []
        for domain in cfg.validation {
            let w = try windows(domain, count: cfg.validationBatches * b, store: store)
            ctx.measure("window_hash_\(domain)", Double(FNV1a.hash(w.joined()) >> 12))
            validation.append((domain, validationBatches(w, batchSize: b)))
        }

        var initRNG = ctx.random("init")
        let model = GPT(cfg.model, seed: initRNG.nextUInt64())
        let optimizer = AdamW(model.parameters, config: AdamW.Config(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, clip: 1.0))
        var start = TrainingPhase.Start.fresh
        if let arm = cfg.startArm {
            start = .checkpoint(try ctx.dependencySnapshot(arm, step: cfg.startStep), optimizer: cfg.optimizer)
        }
        // Train loss, LR and gradient norm every 5 steps keep the committed data small; the
        // validation curves the claims read are at `evalSteps`.
        let phase = ctx.trainingPhase(steps: cfg.steps, schedule: cfg.schedule.lrSchedule, start: start,
                                      evalSteps: cfg.evalSteps, validation: validation, snapshotSteps: cfg.snapshots,
                                      logEvery: 5)
        let began = Date()
        let log = try ctx.train(phase, model: model, optimizer: optimizer, batch: { table.batch(step: $0, batchSize: b) }).log
        let seconds = Date().timeIntervalSince(began)
        ctx.measure("lr_formula_max_rel_error", cfg.schedule.maxRelativeError)
        ctx.measure("tokens_per_second_with_eval", Double(cfg.steps * b * c) / max(seconds, 1e-9))
        for domain in cfg.validation { if let v = log.last("val/\(domain)") { ctx.measure("\(domain)_end", v) } }
        // Keep the disk small: a continual arm's resume checkpoint is not needed once it is stored.
        try? FileManager.default.removeItem(at: ctx.workDirectory.appendingPathComponent("resume.ckpt"))
    }
}
