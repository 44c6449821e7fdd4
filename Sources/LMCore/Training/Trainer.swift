import Foundation

/// Named metric series recorded during training: name → [(step, value)].
public struct TrainingLog: Codable, Equatable, Sendable {
    public var series: [String: [Point]] = [:]
    public struct Point: Codable, Equatable, Sendable {
        public var step: Int
        public var value: Double
    }
    public init() {}
    public mutating func record(_ name: String, step: Int, _ value: Double) {
        series[name, default: []].append(Point(step: step, value: value))
    }
    public func last(_ name: String) -> Double? { series[name]?.last?.value }
    public func values(_ name: String) -> [Double] { series[name]?.map(\.value) ?? [] }
}

public enum TrainingError: Error, CustomStringConvertible {
    case diverged(step: Int, loss: Float)
    public var description: String {
        switch self {
        case .diverged(let step, let loss):
            return "training diverged at step \(step): loss is \(loss); lower the learning rate or check the data"
        }
    }
}

/// What the progress line shows.
public struct ProgressInfo: Sendable {
    public var label: String
    public var step: Int
    public var totalSteps: Int
    public var loss: Float
    public var tokensPerSecond: Double
    public var etaSeconds: Double
}

/// The training loop: batches are a pure function of the step index, so a run resumed from a
/// checkpoint sees exactly the data it would have seen, and ends bit-identical.
public final class Trainer {
    public let model: SequenceModel
    public let optimizer: AdamW
    public let schedule: LRSchedule
    public let totalSteps: Int
    public var label = "train"
    /// Record the train loss every k steps (every step by default).
    public var logEvery = 1
    /// Steps after which `evaluate` runs (the step count done so far: 0 = before training).
    public var evalSteps: Set<Int> = []
    /// Write a checkpoint every k steps (0 = never) to `checkpointURL`.
    public var checkpointEvery = 0
    public var checkpointURL: URL?
    /// Identity of the run a checkpoint may be resumed into.
    public var configHash = ""
    public var progress: ((ProgressInfo) -> Void)?
    /// For tests: stop after this many steps as if killed (the checkpoint stays).
    public var stopAfter: Int?

    public private(set) var log = TrainingLog()
    public private(set) var step = 0

    public init(model: SequenceModel, optimizer: AdamW, schedule: LRSchedule, totalSteps: Int) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.totalSteps = totalSteps
    }

    /// Resume from `checkpointURL` if a checkpoint of this run is there. Returns the step resumed at.
    @discardableResult
    public func resumeIfPossible() throws -> Int {
        guard let url = checkpointURL, FileManager.default.fileExists(atPath: url.path) else { return 0 }
        let ck = try Checkpoint.read(from: url)
        guard ck.header.configHash == configHash else {
            throw CheckpointError.mismatch("\(url.path) belongs to another configuration; delete it or use --force")
        }
        try ck.restore(into: model, optimizer: optimizer)
        log = ck.header.log
        step = ck.header.step
        return step
    }

    public func saveCheckpoint() throws {
        guard let url = checkpointURL else { return }
        try Checkpoint(step: step, configHash: configHash, model: model, optimizer: optimizer, log: log).write(to: url)
    }

    /// Train to `totalSteps`. `batch(step)` must be a pure function of the step;
    /// `evaluate(step)` returns metrics recorded at that step under their names.
    public func run(batch: (Int) throws -> Batch, evaluate: ((Int) throws -> [String: Double])? = nil) throws {
        if step == 0, evalSteps.contains(0), let evaluate {
            for (k, v) in try evaluate(0).sorted(by: { $0.key < $1.key }) { log.record(k, step: 0, v) }
        }
        let start = Date()
        let startStep = step
        var tokens = 0
        while step < totalSteps {
            if let stop = stopAfter, step >= stop { return }
            let b = try batch(step)
            let lr = schedule(step)
            model.parameters.zeroGrads()
            let loss = model.forward(b)
            guard loss.isFinite else { throw TrainingError.diverged(step: step + 1, loss: loss) }
            model.backward()
            let norm = optimizer.step(lr: lr)
            guard norm.isFinite else { throw TrainingError.diverged(step: step + 1, loss: .nan) }
            step += 1
            tokens += b.count
            if step % logEvery == 0 || step == totalSteps {
                log.record("train_loss", step: step, Double(loss))
                log.record("lr", step: step, Double(lr))
                log.record("grad_norm", step: step, Double(norm))
            }
            if evalSteps.contains(step), let evaluate {
                for (k, v) in try evaluate(step).sorted(by: { $0.key < $1.key }) { log.record(k, step: step, v) }
            }
            if checkpointEvery > 0, step % checkpointEvery == 0, step < totalSteps { try saveCheckpoint() }
            if let progress {
                let dt = Date().timeIntervalSince(start)
                let rate = Double(tokens) / max(dt, 1e-9)
                let eta = dt / Double(step - startStep) * Double(totalSteps - step)
                progress(ProgressInfo(label: label, step: step, totalSteps: totalSteps, loss: loss,
                                      tokensPerSecond: rate, etaSeconds: eta))
            }
        }
    }

    /// Mean loss of the model over fixed batches (no gradient).
    public static func evaluate(_ model: SequenceModel, batches: [Batch]) -> Double {
        var total = 0.0, weight = 0.0
        for b in batches {
            let w = Double(b.weights.reduce(0, +))
            total += Double(model.forward(b)) * w
            weight += w
        }
        return weight > 0 ? total / weight : .nan
    }
}
