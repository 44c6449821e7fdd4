import Foundation
import Corpora
import Harness
import LMCore

/// The miniature's design (README, The miniature): model, data, schedules, arms per tier.
///
/// Gupta et al. continue Pythia-410M (pre-trained on the Pile) on SlimPajama and vary the
/// learning-rate schedule of the second phase. Here: a 474k-parameter byte-level GPT is
/// pre-trained on general English (GCIDE-U) and continued on computing text (FOLDOC-F).
enum Design {
    /// Decoder-only Transformer, d = 96, 4 layers, 4 heads, MLP 384, context 64, pre-RMSNorm,
    /// learned positions, tied embeddings, no biases: 474k parameters.
    static let model = GPTConfig(vocabSize: 256, contextLength: 64, dModel: 96, nLayers: 4, nHeads: 4, mlpHidden: 384,
                                 norm: .rmsNorm, bias: false, tiedEmbeddings: true, initStd: 0.02)
    /// 16 sequences × 64 bytes = 1,024 tokens per step.
    static let batchSize = 16
    /// Upstream peak (the Pythia analogue's MaxLR); every floor is 0.1 × its peak.
    static let upstreamPeak = 2e-3
    static let minLRRatio = 0.1

    /// Lengths of one tier.
    struct Scale {
        var upstreamSteps: Int
        var continualSteps: Int
        /// Evaluation steps of a continual phase (dense early).
        var evalSteps: [Int]
        /// The "17% point" (Gupta's first 50B of 297B tokens).
        var step17: Int
        var upstreamEvalEvery: Int
        var validationBatches: Int
        /// Phase length the continual warmup fractions are taken of: W = ⌈p · warmupBase⌉. T1 in
        /// the default tier (0 / 3 / 5 / 9 steps for 0 / 0.5 / 1 / 2%). The smoke tier keeps these
        /// step counts: at T1 = 60, 1% would round up to 1 step, making lr1 identical to wu0
        /// (η(0) = peak · 1/1), and 2% to 2 steps. A warmup this short acts on Adam's second-moment
        /// estimate after the reset, which is a matter of steps, not of the phase's fraction.
        var warmupBase: Int
    }

    static func scale(_ tier: Tier) -> Scale {
        switch tier {
        case .smoke:
            return Scale(upstreamSteps: 200, continualSteps: 60, evalSteps: [0, 1, 2, 3, 5, 8, 10, 12, 15, 20, 30, 45, 60],
                         step17: 10, upstreamEvalEvery: 50, validationBatches: 2, warmupBase: 450)
        case .default, .extended:
            return Scale(upstreamSteps: 1500, continualSteps: 450,
                         evalSteps: [0, 1, 2, 3, 5, 8, 12, 20, 30, 45, 70, 76, 100, 150, 225, 300, 375, 450],
                         step17: 76, upstreamEvalEvery: 100, validationBatches: 8, warmupBase: 450)
        }
    }

    /// W = ⌈p·T⌉ warmup steps for a warmup fraction p of a phase of T steps.
    static func warmupSteps(fraction: Double, total: Int) -> Int { Int((fraction * Double(total) - 1e-9).rounded(.up)) }
}

/// A phase's learning-rate schedule as the paper states it; `lrSchedule` builds the LMCore value
/// and `formula` evaluates the same definition independently in Double (the mechanics check).
struct ScheduleSpec: Codable, Hashable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// η(t) = peak for every step.
        case constant
        /// Linear warmup to `peak` over `warmup` steps, cosine to `floor` at `total`, then `floor`.
        case warmupCosine
        /// Infinite schedule, first task: warmup, cosine cooldown to `plateau` over `cooldown` steps, then constant.
        case infiniteUpstream
        /// Infinite schedule, later task: `plateau` until `annealStart`, then exponential anneal to `floor` at `total`.
        case infiniteContinual
    }
    var kind: Kind
    var peak: Double
    var floor: Double
    var warmup: Int
    var total: Int
    var plateau: Double = 0
    var cooldown: Int = 0
    var annealStart: Int = 0

    static func constant(_ lr: Double, total: Int) -> ScheduleSpec {
        ScheduleSpec(kind: .constant, peak: lr, floor: lr, warmup: 0, total: total)
    }
    /// Warmup of ⌈p · `warmupBase`⌉ steps (default: the phase itself), cosine to 0.1 × peak at `total`.
    static func rewarm(peak: Double, warmupFraction: Double, total: Int, warmupBase: Int? = nil) -> ScheduleSpec {
        ScheduleSpec(kind: .warmupCosine, peak: peak, floor: Design.minLRRatio * peak,
                     warmup: Design.warmupSteps(fraction: warmupFraction, total: warmupBase ?? total), total: total)
    }

    var lrSchedule: LRSchedule {
        func f(_ x: Double) -> Float { Float(x) }
        switch kind {
        case .constant: return .constant(f(peak), steps: total)
        case .warmupCosine: return .warmupCosine(peak: f(peak), floor: f(floor), warmup: warmup, total: total)
        case .infiniteUpstream:
            return .infinite(peak: f(peak), constant: f(plateau), floor: f(plateau), warmup: warmup, cooldown: cooldown,
                             plateau: total - warmup - cooldown, anneal: 0)
        case .infiniteContinual:
            return .infinite(peak: f(plateau), constant: f(plateau), floor: f(floor), warmup: 0, cooldown: 0,
                             plateau: annealStart, anneal: total - annealStart, annealShape: .exponential)
        }
    }

    /// The schedules' formulas (README), step index t from 0.
    func formula(_ t: Int) -> Double {
        switch kind {
        case .constant: return peak
        case .warmupCosine:
            if t < warmup { return peak * Double(t + 1) / Double(warmup) }
            if t >= total { return floor }
            return floor + 0.5 * (peak - floor) * (1 + cos(Double.pi * Double(t - warmup) / Double(total - warmup)))
        case .infiniteUpstream:
            if t < warmup { return peak * Double(t + 1) / Double(warmup) }
            if t < warmup + cooldown {
                return plateau + 0.5 * (peak - plateau) * (1 + cos(Double.pi * Double(t - warmup) / Double(cooldown)))
            }
            return plateau
        case .infiniteContinual:
            if t < annealStart { return plateau }
            if t >= total { return floor }
            return plateau * pow(floor / plateau, Double(t - annealStart) / Double(total - annealStart))
        }
    }

    /// Largest |η_schedule(t) − formula(t)| / formula(t) over the phase (float32 rounding ≈ 1e-7).
    var maxRelativeError: Double {
        let s = lrSchedule
        return (0..<total).map { abs(Double(s($0)) - formula($0)) / formula($0) }.max() ?? 0
    }
}
