import Foundation
import Harness
import LMCore

/// A. Author et al. 2026 in miniature (the template docs/adding-a-paper.md starts from): a larger
/// peak learning rate lowers a small transformer's validation loss on a counting task at a fixed,
/// short budget. Replace the method, the arms and the metric with the paper's own; keep the shape.
public struct TemplatePaperTarget: ReplicationTarget {
    public init() {}

    public let key = "template"
    public let citation = "A. Author, B. Author. A Paper Title. Venue 2026 (arXiv 0000.00000)."
    public let summary = """
        One line on the paper's finding. One line on what the miniature keeps (the protocol, the \
        arms, the measurement) and what it changes (scale, data).
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }
    /// Bump when a change alters this paper's results: older stored runs then stop counting.
    public let version = 1

    // MARK: the arms

    /// Arms are typed: a misspelt arm is a compile error, never a missing run.
    enum Arm: String, CaseIterable, Codable {
        case baseline, largerLR = "larger-lr"
    }

    /// Everything that determines a run's numbers: it is hashed into the run's fingerprint.
    struct Config: Codable {
        var arm: Arm
        var model: GPTConfig
        var steps: Int
        var batch: Int
        var peakLR: Float
    }

    public func arms(for tier: Tier) -> [ArmSpec] {
        let steps = tier == .smoke ? 40 : 150
        let model = GPTConfig(vocabSize: 8, contextLength: 16, dModel: 16, nLayers: 1, nHeads: 2, mlpHidden: 32)
        return Arm.allCases.map { arm in
            ArmSpec(arm.rawValue, config: Config(arm: arm, model: model, steps: steps, batch: 8,
                                                 peakLR: arm == .baseline ? 1e-3 : 1e-2))
        }
    }

    // MARK: the method

    /// Counting sequences (each token is the previous one plus 1, modulo the vocabulary) from a
    /// random start: a rule a small transformer learns in a few dozen steps at a good LR.
    static func countingBatch(_ rng: RandomStream, batch: Int, length: Int, vocabulary: Int) -> Batch {
        var r = rng
        var tokens: [Int32] = [], targets: [Int32] = []
        for _ in 0..<batch {
            let start = r.int(below: vocabulary)
            let row = (0...length).map { Int32((start + $0) % vocabulary) }
            tokens += row[0..<length]
            targets += row[1...length]
        }
        return Batch(batchSize: batch, seqLen: length, tokens: tokens, targets: targets,
                     weights: [Float](repeating: 1, count: batch * length))
    }

    public func run(_ context: RunContext) throws {
        let c = try context.config(Config.self)
        let model = GPT(c.model, seed: UInt64(context.seed))
        let optimizer = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0, clip: 1.0))
        let data = context.random("data"), held = context.random("validation")
        let validation = (0..<4).map { Self.countingBatch(held.child($0), batch: c.batch, length: c.model.contextLength, vocabulary: c.model.vocabSize) }
        let phase = context.trainingPhase(
            steps: c.steps, schedule: .warmupCosine(peak: c.peakLR, floor: 0.1 * c.peakLR, warmup: c.steps / 10, total: c.steps),
            evalSteps: [0, c.steps], validation: [("counting", validation)], checkpointEvery: 50)
        let log = try context.train(phase, model: model, optimizer: optimizer) {
            Self.countingBatch(data.child($0), batch: c.batch, length: c.model.contextLength, vocabulary: c.model.vocabSize)
        }.log
        if let end = log.last("val/counting") { context.measure("counting_loss_end", end) }
    }

    // MARK: the claims' metrics

    /// Each metric a claim may read, named once beside how one seed's runs give it (arms of a
    /// seed are paired): here how much lower the larger LR ends than the baseline.
    static let vocabulary = MetricVocabulary([
        .difference("lr_gain", Measured(Arm.baseline.rawValue, "counting_loss_end"),
                    Measured(Arm.largerLR.rawValue, "counting_loss_end")),
    ])

    public var metricNames: [String] { Self.vocabulary.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        try Self.vocabulary.values(seed, tier: tier)
    }
}
