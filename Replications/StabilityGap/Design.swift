import Foundation
import Harness
import LMCore

/// The miniature's design (README, The miniature): model, tier scales, arms.
///
/// Guo et al. continue OpenLLaMA-3B (pre-trained on a general web mix) on KenLM-selected medical
/// web text and watch medical-task accuracy dip and recover. Here: a 474k-parameter byte-level GPT
/// is pre-trained on general English dictionary entries plus a 10% share of quiz-format lines and
/// 15% computing text, then continued on a pool of specialist (medical + botany/zoology/chemistry)
/// entries; the domain task is the quiz-answer loss on held-out medical headwords.
enum Design {
    /// Decoder-only Transformer, d = 96, 4 layers, 4 heads, MLP 384, context 64, pre-RMSNorm,
    /// learned positions, tied embeddings, no biases: 474k parameters (the same model as rewarm).
    static let model = GPTConfig(vocabSize: 256, contextLength: 64, dModel: 96, nLayers: 4, nHeads: 4, mlpHidden: 384,
                                 norm: .rmsNorm, bias: false, tiedEmbeddings: true, initStd: 0.02)
    /// 16 sequences × 64 bytes = 1,024 tokens per step.
    static let batchSize = 16
    /// Upstream and re-warm peak; every cosine ends at 0.1 × its peak.
    static let peak = 2e-3
    static let minLRRatio = 0.1
    /// Upstream mix: GCIDE-U 75% + quiz lines 10% + FOLDOC-F 15% (per sequence).
    static let upstreamMix: [(source: String, weight: Double)] = [("U", 0.75), ("quiz", 0.10), ("F", 0.15)]
    /// Strategy III: HQ 75% + quiz 10% + F 15% (the LLaMA mixture with CC+C4 replaced by HQ).
    static let strategy3Mix: [(source: String, weight: Double)] = [("HQ", 0.75), ("quiz", 0.10), ("F", 0.15)]
    /// Replay share of U in the replay arms (Meditron's 10%).
    static let replayFraction = 0.10
    /// Size of the reference corpus (the KenLM training text's stand-in): the first GCIDE-M training entries in key order.
    static let referenceEntries = 400
    /// Add-k smoothing of the byte-trigram scorer.
    static let trigramK = 0.5
    /// Subset size of Strategies I/II as a fraction of the continual phase's tokens (5B of a 50B
    /// budget would be 0.1; the design uses 0.2 of T1 so that a subset is read ≈5 times).
    static let subsetFraction = 0.2
    /// The small subset of arm G6 (Guo Fig. 5c's "1B").
    static let smallSubsetFraction = 0.05
    /// Quiz evaluation items: answer bytes scored, and the maximum item length (prefix "\n" included).
    static let answerBytes = 30
    static let maxItemBytes = 64
    /// Multiple-choice report: candidates per item.
    static let choices = 4

    /// Lengths of one tier.
    struct Scale: Codable, Hashable, Sendable {
        var upstreamSteps: Int
        var continualSteps: Int
        /// Evaluation steps of a full continual phase (dense early).
        var evalSteps: [Int]
        var upstreamEvalEvery: Int
        var validationBatches: Int
        /// Quiz items per domain (nil = every item that fits; genQ is capped at 256).
        var medItems: Int?
        var genItems: Int
    }

    static func scale(_ tier: Tier) -> Scale {
        switch tier {
        case .smoke:
            return Scale(upstreamSteps: 120, continualSteps: 40, evalSteps: [0, 2, 4, 8, 12, 16, 24, 32, 40],
                         upstreamEvalEvery: 40, validationBatches: 2, medItems: 64, genItems: 64)
        case .default, .extended:
            return Scale(upstreamSteps: 1500, continualSteps: 450,
                         evalSteps: [0, 1, 2, 3, 5, 8, 12, 20, 30, 45, 70, 100, 150, 180, 225, 300, 375, 450],
                         upstreamEvalEvery: 100, validationBatches: 8, medItems: nil, genItems: 256)
        }
    }

    /// W = ⌈p·T⌉ warmup steps for a warmup fraction p of a phase of T steps.
    static func warmupSteps(fraction: Double, total: Int) -> Int { Int((fraction * Double(total) - 1e-9).rounded(.up)) }

    /// Evaluation steps of a phase of `steps` steps: the tier's steps at the same fractions.
    static func evalSteps(_ s: Scale, steps: Int) -> [Int] {
        if steps == s.continualSteps { return s.evalSteps }
        return Array(Set(s.evalSteps.map { Int((Double($0) * Double(steps) / Double(s.continualSteps)).rounded()) })).sorted()
    }
}
