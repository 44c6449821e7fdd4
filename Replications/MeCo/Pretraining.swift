import Corpora
import Foundation
import Harness
import LMCore

/// One arm of the run matrix: data, model, optimizer, the two-stage split and what to evaluate.
struct ArmConfig: Codable {
    var msm: MarkovMixture.Parameters
    var model: GPTConfig
    var batch: Int
    var steps: Int
    var peakLR: Float
    var warmupFraction: Double = 0.05
    var floorFraction: Float = 0.1
    var weightDecay: Float = 0.033
    /// nil: plain documents only (the standard arm).
    var metadata: MetadataKind?
    /// Share of the steps in stage 1 (pool A; metadata-conditioned if `metadata` is set): 0.9 for
    /// MeCo, 1 for URL100 and MIX, 0.8/0.7 for the longer cooldowns; the standard arms switch pools
    /// at 0.9 too, so every arm reads the same documents.
    var stage1Fraction: Double
    /// MIX: probability that a stage-1 document is plain (per document).
    var plainMix: Double = 0
    /// false: loss on metadata and separator tokens too (UNMASKED).
    var maskMetadata: Bool = true
    /// false: cross-document attention and packed positions (XDOC).
    var documentMask: Bool = true
    var evalDocuments: Int
    /// Points of the held-out loss curve.
    var curvePoints: Int
    var curveDocuments: Int
    /// Steering prompts (0 = not measured).
    var steeringSources: Int = 0
    var steeringSamples: Int = 0
    var steeringLength: Int = 0
    /// Continuation-choice items (0 = not measured).
    var choiceItems: Int = 0
    var topicClusters: Int = 48
    var topicFitDocuments: Int = 2000
    var checkpointEvery: Int = 0

    var warmupSteps: Int { Int((Double(steps) * warmupFraction).rounded()) }
    var schedule: LRSchedule {
        .warmupCosine(peak: peakLR, floor: peakLR * floorFraction, warmup: warmupSteps, total: steps)
    }
}

enum Pretraining {
    /// The LR the uninterrupted whole-run cosine gives at `step`, computed independently of LRSchedule.
    static func cosineValue(_ c: ArmConfig, step: Int) -> Double {
        let peak = Double(c.peakLR), floor = peak * Double(c.floorFraction), w = c.warmupSteps
        if step < w { return peak * Double(step + 1) / Double(w) }
        return floor + 0.5 * (peak - floor) * (1 + cos(Double.pi * Double(step - w) / Double(c.steps - w)))
    }

    static func run(_ c: ArmConfig, context: RunContext) throws {
        let g = MarkovMixture.Generator(c.msm)
        let p = g.parameters
        context.measure("lambda", g.lambda)
        context.measure("accuracy16", g.calibration.accuracy16)
        context.measure("accuracy64", g.calibration.accuracy64)
        // Topics are fitted on training documents of pool A (a data-pipeline step, like the
        // paper's topic model run over the pre-training corpus).
        var topics: TopicModel? = nil
        if c.metadata == .topic {
            topics = TopicModel(documents: g.trainingDocuments(count: c.topicFitDocuments, runSeed: UInt64(context.seed), pool: "topic-fit"),
                                vocabulary: p.contentTokens, clusters: min(c.topicClusters, p.sources), iterations: 20,
                                rng: context.random("topics"))
        }
        let writer = c.metadata.map { MetadataWriter(generator: g, kind: $0, topics: topics) }
        let data = TwoStageData(config: c, generator: g, writer: writer, seed: context.seed)

        // Method checks on the data this arm trains on (M-D1, M-D2 pools and switch step, M-D3).
        if writer != nil, c.maskMetadata {
            let m = DataChecks.mask(data.stage1, parameters: p)
            context.measure("mask_violations", Double(m.violations))
            context.measure("first_token_target_fraction", m.firstTokenTargets)
        }
        context.measure("bos_start_fraction", DataChecks.bosStart(data.allSequences, parameters: p))
        context.measure("pool_overlap", Double(DataChecks.overlap(data.poolA, data.poolB)))
        if writer != nil {
            context.measure("cooldown_start_fraction", Double(DataChecks.firstPlainStep(data, parameters: p)) / Double(c.steps))
        }
        let metaTokens = data.allSequences.reduce(0) { $0 + $1.weights.filter { $0 > 0 }.count }
        context.measure("target_tokens", Double(metaTokens))

        let model = GPT(c.model, seed: UInt64(context.seed))
        let optimizer = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: c.weightDecay, clip: 1.0))
        let curveSteps = (0...c.curvePoints).map { c.steps * $0 / c.curvePoints }

        let heldOut = HeldOutEvaluator(generator: g, count: c.evalDocuments)
        let curveDocs = Array(heldOut.documents.prefix(c.curveDocuments))
        let tokensPerStep = c.batch * c.model.contextLength
        func evaluate(_ step: Int) -> [String: Double] {
            var out: [String: Double] = [:]
            if curveSteps.contains(step) {
                out["heldout_loss"] = LossSummary(heldOut.losses(model, writer: nil, prefix: .none, documents: curveDocs), withEOS: true).overall
            }
            if let writer, step == data.cooldownStart {
                // Stage 1 ends here: conditional inference before the cooldown (M-1), and the state
                // the cooldown starts from (M-D2: optimizer moments carried over).
                let u = LossSummary(heldOut.losses(model, writer: nil, prefix: .none), withEOS: true)
                let cnd = LossSummary(heldOut.losses(model, writer: writer, prefix: .truth), withEOS: true)
                out["pre_lu"] = u.overall
                out["pre_lc"] = cnd.overall
                out["pre_gap_captured"] = (u.contentSum - cnd.contentSum) / heldOut.bayesGapSum
                out["optimizer_steps_at_cooldown"] = Double(optimizer.t)
                out["moment_norm_at_cooldown"] = Double(optimizer.m.array.reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
            return out
        }
        let phase = context.trainingPhase(
            steps: c.steps, schedule: c.schedule,
            evalSteps: curveSteps + (writer != nil && data.cooldownStart < c.steps ? [data.cooldownStart] : []),
            checkpointEvery: c.checkpointEvery, probes: evaluate)
        let trained = try context.train(phase, model: model, optimizer: optimizer, recordLog: false) { data.batch(step: $0) }
        context.measure("train_seconds", trained.seconds)
        context.measure("tokens_per_second", Double(c.steps * tokensPerStep) / max(trained.seconds, 1e-9))

        // Everything the trainer logged (the held-out curve keyed by training tokens).
        for (name, points) in trained.log.series {
            for pt in points {
                if name == "heldout_loss" { context.log("heldout_loss_by_tokens", step: pt.step * tokensPerStep, value: pt.value) }
                if name.hasPrefix("pre_") || name.hasSuffix("_at_cooldown") { context.measure(name, pt.value); continue }
                context.log(name, step: pt.step, value: pt.value)
            }
        }
        if writer != nil, data.cooldownStart < c.steps {
            let used = trained.log.series["lr"]?.first { $0.step == data.cooldownStart + 1 }?.value ?? .nan
            context.measure("lr_difference_at_cooldown", abs(used - cosineValue(c, step: data.cooldownStart)))
            let t = trained.log.series["optimizer_steps_at_cooldown"]?.last?.value ?? -1
            let norm = trained.log.series["moment_norm_at_cooldown"]?.last?.value ?? 0
            context.measure("moments_carried", t == Double(data.cooldownStart) && norm > 0 ? 1 : 0)
        }

        // Final evaluation (§4.5): ℓ_u, ℓ_c, ℓ_w, Bayes references per position bucket.
        let u = LossSummary(heldOut.losses(model, writer: nil, prefix: .none), withEOS: true)
        func record(_ prefix: String, _ s: LossSummary) {
            context.measure(prefix, s.overall)
            context.measure(prefix + "_early", s.early); context.measure(prefix + "_mid", s.mid); context.measure(prefix + "_late", s.late)
        }
        record("lu", u)
        record("bayes_uncond", heldOut.bayesUnconditional)
        record("bayes_cond", heldOut.bayesConditional)
        record("bayes_site", heldOut.bayesSiteKnown)
        // Metadata-free models are also asked with the true URL prefix (Δc of the standard model).
        let probe = writer ?? MetadataWriter(generator: g, kind: .url, topics: nil)
        let cnd = LossSummary(heldOut.losses(model, writer: probe, prefix: .truth), withEOS: true)
        let wrong = LossSummary(heldOut.losses(model, writer: probe, prefix: .wrong), withEOS: true)
        record("lc", cnd)
        record("lw", wrong)
        // ℓ_c over content tokens only (ℓ_c counts EOS too), comparable with the Bayes losses.
        context.measure("lc_content", cnd.contentMean)
        context.measure("gap_captured", (u.contentSum - cnd.contentSum) / heldOut.bayesGapSum)

        if c.choiceItems > 0 {
            let choice = ContinuationChoice(generator: g, documents: heldOut.documents, count: c.choiceItems)
            context.measure("choice_u", choice.modelAccuracy(model, generator: g, writer: nil, rows: 32))
            context.measure("choice_c", choice.modelAccuracy(model, generator: g, writer: probe, rows: 32))
            context.measure("choice_bayes_u", choice.bayesAccuracy(g, conditional: false))
            context.measure("choice_bayes_c", choice.bayesAccuracy(g, conditional: true))
        }
        if c.steeringSources > 0 {
            let sources = Steering.sources(g, count: c.steeringSources)
            let f = Steering.measure(model, generator: g, writer: probe, sources: sources, samples: c.steeringSamples,
                                     length: c.steeringLength, rng: context.random("steering"))
            context.measure("steering_fraction", f.fraction)
            context.measure("steering_site_fraction", f.siteFraction)
            context.measure("steering_true_chain_accuracy", f.trueChainAccuracy)
            context.measure("steering_site_only_accuracy", f.siteOnlyAccuracy)
        }
    }
}
