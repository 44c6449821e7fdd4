import Foundation

/// One phase of a multi-phase run (pre-training, then one or more continual phases): where it
/// starts, its length and schedule, named validation sets evaluated at chosen steps, and
/// checkpoints kept at chosen steps for later phases to start from.
///
/// Steps count from the start of the phase: "step s" is after s updates of this phase, step 0
/// is the starting point. Validation series are logged as `val/<name>`; a phase that starts
/// from a checkpoint also logs, at step 0, the optimizer state it starts with
/// (`switch/optimizer_step`, `switch/moment_norm` = Σ|m| + Σ|v|), so a reset is checkable.
public struct TrainingPhase {
    /// What happens to the optimizer when a phase starts from a checkpoint.
    public enum OptimizerHandover: String, Codable, Sendable {
        /// Zero the moments and the step count (Ibrahim et al. 2024's reset at the switch).
        case reset
        /// Continue with the moments and step count stored in the checkpoint.
        case keep
    }

    public enum Start {
        /// The model and optimizer as constructed (random initialisation).
        case fresh
        /// Parameters from a checkpoint written by an earlier phase.
        case checkpoint(URL, optimizer: OptimizerHandover)
    }

    public var label: String
    public var steps: Int
    public var schedule: LRSchedule
    public var start: Start
    /// Steps after which the validation sets are evaluated (0 = the starting point).
    public var evalSteps: Set<Int>
    /// Named fixed validation sets (the same batches for every phase that should be compared).
    public var validation: [(name: String, batches: [Batch])]
    /// Steps after which a checkpoint is written for later phases (e.g. 25%, 50%, 100%).
    public var snapshots: [Int: URL]
    /// Resume checkpoint of this phase (written every `checkpointEvery` steps), and its identity.
    public var resumeURL: URL?
    public var checkpointEvery: Int
    public var configHash: String
    /// Record the train loss, LR and gradient norm every k steps (and at the last step).
    public var logEvery: Int
    /// Extra measurements taken at the evaluation steps beside the validation losses (e.g. how
    /// far the weights moved from the starting point); recorded under the names it returns.
    public var probes: ((Int) throws -> [String: Double])?

    public init(label: String, steps: Int, schedule: LRSchedule, start: Start, evalSteps: Set<Int>,
                validation: [(name: String, batches: [Batch])], snapshots: [Int: URL] = [:],
                resumeURL: URL? = nil, checkpointEvery: Int = 0, configHash: String = "", logEvery: Int = 1) {
        self.label = label; self.steps = steps; self.schedule = schedule; self.start = start
        self.evalSteps = evalSteps; self.validation = validation; self.snapshots = snapshots
        self.resumeURL = resumeURL; self.checkpointEvery = checkpointEvery; self.configHash = configHash
        self.logEvery = logEvery
        self.probes = nil
    }

    /// Train `model` with `optimizer` through the phase. `batch(step)` must be a pure function of
    /// the phase step. Resumes from `resumeURL` when a checkpoint of this phase is there.
    public func run(model: SequenceModel, optimizer: AdamW, batch: (Int) throws -> Batch,
                    progress: ((ProgressInfo) -> Void)? = nil) throws -> TrainingLog {
        let trainer = Trainer(model: model, optimizer: optimizer, schedule: schedule, totalSteps: steps)
        (trainer.label, trainer.configHash, trainer.progress) = (label, configHash, progress)
        (trainer.checkpointURL, trainer.checkpointEvery, trainer.logEvery) = (resumeURL, checkpointEvery, logEvery)
        trainer.evalSteps = evalSteps.union(snapshots.keys).union([0])
        var switchState: [String: Double] = [:]
        if try trainer.resumeIfPossible() == 0, case let .checkpoint(url, handover) = start {
            let ck = try Checkpoint.read(from: url)
            try ck.restore(into: model, optimizer: handover == .keep ? optimizer : nil)
            if handover == .reset { optimizer.reset() }
            var norm = 0.0
            for i in 0..<optimizer.parameters.count { norm += Double(abs(optimizer.m[i])) + Double(abs(optimizer.v[i])) }
            switchState = ["switch/optimizer_step": Double(optimizer.t), "switch/moment_norm": norm]
        }
        try trainer.run(batch: batch) { step in
            var out: [String: Double] = step == 0 ? switchState : [:]
            if self.evalSteps.contains(step) {
                for v in self.validation { out["val/\(v.name)"] = Trainer.evaluate(model, batches: v.batches) }
                if let probes = self.probes { out.merge(try probes(step)) { _, new in new } }
            }
            if let url = self.snapshots[step] {
                try Checkpoint(step: step, configHash: self.configHash, model: model, optimizer: optimizer).write(to: url)
            }
            return out
        }
        return trainer.log
    }
}
